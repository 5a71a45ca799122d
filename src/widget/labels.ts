import type { Script } from './types.js';

/**
 * The widget's own words in both scripts; a reply's `script` (the asker's) picks the table, Simplified until
 * one says otherwise. The server's texts (replies, the desk's notes) arrive already in the asker's script.
 */
export interface Labels {
  lang: string;
  human: string;
  close: string;
  more: string;
  copy: string;
  download: string;
  copied: string;
  copyFailed: string;
  downloaded: string;
  send: string;
  input: string;
  placeholder: string;
  log: string;
  sources: (n: number) => string;
  /** The asker's script's name, on the button that shows a quote in it. */
  readerScript: string;
  readerScriptTitle: string;
  suggestions: string;
  typing: string;
  you: string;
  bot: string;
  agent: string;
  system: string;
  delivered: string;
  cancel: string;
  ticketForm: string;
  phone: string;
  phonePlaceholder: string;
  question: string;
  questionPlaceholder: string;
  submitTicket: string;
  badPhone: string;
  submitFailed: string;
  failed: string;
  tooFast: string;
  states: Record<LinkState, string>;
  dropped: string;
  back: string;
  unread: (n: number) => string;
  newMessage: string;
  transcript: string;
  date: string;
  source: string;
  quote: string;
  helpful: string;
  up: string;
  down: string;
  why: string;
  reasons: Record<'unanswered' | 'wrong' | 'unclear' | 'other', string>;
  comment: string;
  submit: string;
  sent: string;
  rated: string;
  rateTitle: string;
  /** 1 … 5 */
  scores: readonly string[];
}

export type LinkState = 'connecting' | 'online' | 'reconnecting' | 'dropped';

const SIMPLIFIED: Labels = {
  lang: 'zh-Hans',
  human: '转人工',
  close: '关闭',
  more: '保存对话',
  copy: '复制对话',
  download: '下载对话',
  copied: '已复制对话。',
  copyFailed: '无法复制，请使用“下载对话”。',
  downloaded: '已下载对话。',
  send: '发送',
  input: '输入您的问题',
  placeholder: '请输入您的问题，例如：慢性病能开多久的药？',
  log: '对话',
  sources: (n) => `来源（${n}）`,
  readerScript: '简体',
  readerScriptTitle: '以简体显示这段原文',
  suggestions: '可选回复',
  typing: '正在输入…',
  you: '我',
  bot: '智能助手',
  agent: '人工客服',
  system: '提示',
  delivered: '已送达',
  cancel: '取消排队',
  ticketForm: '留言回电',
  phone: '联系电话',
  phonePlaceholder: '联系电话（手机或带区号的座机）',
  question: '问题',
  questionPlaceholder: '请简要描述您的问题',
  submitTicket: '提交回电请求',
  badPhone: '请填写正确的手机号码或带区号的座机号码。',
  submitFailed: '提交失败，请稍后再试。',
  failed: '出错了，请稍后再试。',
  tooFast: '发送太频繁，请稍等片刻再发。',
  states: { connecting: '连接中…', online: '在线', reconnecting: '重新连接中…', dropped: '连接已断开，正在重连…' },
  dropped: '连接已断开，正在重新连接…',
  back: '已重新连接。',
  unread: (n) => `（${n}条新消息）`,
  newMessage: '【新消息】',
  transcript: '对话记录',
  date: '日期',
  source: '来源',
  quote: '原文',
  helpful: '这个回答有帮助吗？',
  up: '有帮助',
  down: '没帮助',
  why: '哪里不好？',
  reasons: { unanswered: '没回答我的问题', wrong: '信息不对', unclear: '看不懂', other: '其他' },
  comment: '补充说明（可选，200字以内）',
  submit: '提交',
  sent: '已提交',
  rated: '您已经评价过了，谢谢！',
  rateTitle: '请为本次人工服务评分',
  scores: ['非常不满意', '不满意', '一般', '满意', '非常满意'],
};

const TRADITIONAL: Labels = {
  lang: 'zh-Hant',
  human: '轉人工',
  close: '關閉',
  more: '保存對話',
  copy: '複製對話',
  download: '下載對話',
  copied: '已複製對話。',
  copyFailed: '無法複製，請使用「下載對話」。',
  downloaded: '已下載對話。',
  send: '發送',
  input: '輸入您的問題',
  placeholder: '請輸入您的問題，例如：慢性病能開多久的藥？',
  log: '對話',
  sources: (n) => `來源（${n}）`,
  readerScript: '繁體',
  readerScriptTitle: '以繁體顯示這段原文',
  suggestions: '可選回覆',
  typing: '正在輸入…',
  you: '我',
  bot: '智能助手',
  agent: '人工客服',
  system: '提示',
  delivered: '已送達',
  cancel: '取消排隊',
  ticketForm: '留言回電',
  phone: '聯絡電話',
  phonePlaceholder: '聯絡電話（手機或帶區號的座機）',
  question: '問題',
  questionPlaceholder: '請簡要描述您的問題',
  submitTicket: '提交回電請求',
  badPhone: '請填寫正確的手機號碼或帶區號的座機號碼。',
  submitFailed: '提交失敗，請稍後再試。',
  failed: '出錯了，請稍後再試。',
  tooFast: '發送太頻繁，請稍等片刻再發。',
  states: { connecting: '連接中…', online: '在線', reconnecting: '重新連接中…', dropped: '連接已斷開，正在重連…' },
  dropped: '連接已斷開，正在重新連接…',
  back: '已重新連接。',
  unread: (n) => `（${n}條新消息）`,
  newMessage: '【新消息】',
  transcript: '對話記錄',
  date: '日期',
  source: '來源',
  quote: '原文',
  helpful: '這個回答有幫助嗎？',
  up: '有幫助',
  down: '沒幫助',
  why: '哪裡不好？',
  reasons: { unanswered: '沒回答我的問題', wrong: '資訊不對', unclear: '看不懂', other: '其他' },
  comment: '補充說明（可選，200字以內）',
  submit: '提交',
  sent: '已提交',
  rated: '您已經評價過了，謝謝！',
  rateTitle: '請為本次人工服務評分',
  scores: ['非常不滿意', '不滿意', '一般', '滿意', '非常滿意'],
};

export const LABELS: Readonly<Record<Script, Labels>> = { simplified: SIMPLIFIED, traditional: TRADITIONAL };
