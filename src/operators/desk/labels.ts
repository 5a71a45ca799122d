/** Every Chinese word the desk shows for a value the server sends, in one place. */

export const KIND: Readonly<Record<string, string>> = {
  handoff: '转人工',
  fallback: '兜底回复',
  low_confidence: '低置信回答',
  down_vote: '点踩',
  low_rating: '人工服务低评分',
};

export const REPLY_TYPE: Readonly<Record<string, string>> = {
  answer: '回答',
  clarify: '追问',
  handoff: '转人工',
  fallback: '兜底回复',
};

export const CHANNEL: Readonly<Record<string, string>> = { web: '网页', wechat: '微信', api: '接口' };

export const GROUP_BY: ReadonlyArray<readonly [string, string]> = [
  ['question', '相似问题'],
  ['region', '地区'],
  ['intent', '意图'],
];

export const CLAUSE_STATUS: Readonly<Record<string, string>> = { new: '新增', changed: '修改', gone: '删除', same: '未变' };
export const NOTICE_STATUS: Readonly<Record<string, string>> = { new: '新通知', changed: '有修改', unchanged: '无变化' };
export const CHANGE: Readonly<Record<string, string>> = { better: '变好', worse: '变差', same: '回复变了，结果不变' };

export const META_FIELD: Readonly<Record<string, string>> = {
  title: '标题',
  authority: '发文机关',
  docNumber: '文号',
  date: '发文日期',
  region: '地区',
  kind: '类型',
  expires: '有效期至',
  effective: '施行日期',
};

export const NOTICE_KIND: Readonly<Record<string, string>> = { standing: '长期有效', temporary: '阶段性措施' };

export const SOURCE: Readonly<Record<string, string>> = { text: '正文', filename: '文件名', sidecar: '附注文件', none: '未知' };

export const FACT: Readonly<Record<string, string>> = {
  date: '日期',
  channel: '办理渠道',
  phone: '电话',
  deadline: '截止时间',
  prescription: '处方用量',
  duration: '期限',
  ratio: '比例',
  cap: '限额',
  money: '金额',
  code: '编码',
  url: '网址',
};

/** Server error codes an operator may meet, said in Chinese; the code is always shown too. */
const ERROR_TEXT: Readonly<Record<string, string>> = {
  HL_ERR_OPS_UNAUTHORIZED: '令牌无效或已过期',
  HL_ERR_OPS_DISABLED: '运营功能未开启（未配置 OPERATOR_TOKENS）',
  HL_ERR_SET_NOT_FOUND: '没有这个评测集',
  HL_ERR_BAD_SET: '无法导出评测集',
  HL_ERR_SIDECAR_INVALID: '附注文件有误',
  HL_ERR_NOTICE_NOT_FOUND: '没有这个通知',
  HL_ERR_PUBLISH_FAILED: '发布失败，已恢复原来的通知',
  HL_ERR_STAGED_INVALID: '文件无法作为通知使用',
  HL_ERR_STAGED_NOT_FOUND: '暂存区没有这个文件',
  HL_ERR_NOTHING_STAGED: '暂存区是空的，请先上传通知',
  HL_ERR_EVAL_BELOW_FLOOR: '评测通过率低于发布下限',
  HL_ERR_STAGED_CHANGED: '预览之后暂存区有变化，请重新预览',
  HL_ERR_NOTHING_TO_ROLL_BACK: '没有可以回滚的发布',
  HL_ERR_BAD_REQUEST: '请求有误',
  HL_ERR_RATE_LIMITED: '请求过于频繁，请稍后再试',
  HL_ERR_BODY_TOO_LARGE: '文件过大',
  HL_ERR_KB_NOT_READY: '知识库尚未加载完成，请稍后再试',
  HL_ERR_INTERNAL: '服务器内部错误',
  NETWORK: '无法连接服务器',
};

/** Codes whose server message says something the Chinese sentence does not (why a file is invalid, the rates). */
const SAY_MESSAGE = new Set([
  'HL_ERR_STAGED_INVALID',
  'HL_ERR_EVAL_BELOW_FLOOR',
  'HL_ERR_BAD_SET',
  'HL_ERR_SIDECAR_INVALID',
  'HL_ERR_PUBLISH_FAILED',
  'HL_ERR_BAD_REQUEST',
  'HTTP_400',
]);

/** `中文说明：server message（CODE）`. */
export function errorText(code: string, message: string): string {
  const known = ERROR_TEXT[code];
  if (!known) return `${message || '请求失败'}（${code}）`;
  return SAY_MESSAGE.has(code) && message ? `${known}：${message}（${code}）` : `${known}（${code}）`;
}

export function labelOf(labels: Readonly<Record<string, string>>, code: string | null | undefined): string {
  if (code === null || code === undefined || code === '') return '—';
  return Object.hasOwn(labels, code) ? (labels[code] as string) : code;
}

export function percent(rate: number): string {
  return `${(rate * 100).toFixed(1)}%`;
}
