import type { EndReason, FactType, Presence, TicketStatus } from './protocol.js';

/** Every Chinese word the console shows for a protocol value, in one place. */

export type LinkState = 'offline' | 'connecting' | 'online' | 'reconnecting';

export const LINK_STATE: Readonly<Record<LinkState, string>> = {
  offline: '未登录',
  connecting: '连接中',
  online: '在线',
  reconnecting: '重连中',
};

export const PRESENCE: Readonly<Record<Presence, string>> = { online: '在线', away: '离开' };

/** Why a user asked for a person (the NLU's handoff reasons). */
export const REASON: Readonly<Record<string, string>> = {
  requested: '用户要求转人工',
  complaint: '投诉',
  urgent: '紧急情况',
  personal: '个人业务',
  not_covered: '超出知识库范围',
  unanswered: '机器人未能解答',
  repeated_failure: '多次未能解答',
};

export const ENDED: Readonly<Record<EndReason, string>> = {
  resolved: '会话已结束',
  returned: '已转回机器人',
  released: '已放回排队',
};

/** The resolution tag of a chat (`close` frame). */
export const RESOLUTIONS: ReadonlyArray<readonly [string, string]> = [
  ['answered', '已解答'],
  ['ticket', '已转工单'],
  ['unresolved', '无法解决'],
  ['other', '其他'],
];

/** The resolution of a callback ticket. */
export const TICKET_RESOLUTIONS: ReadonlyArray<readonly [string, string]> = [
  ['answered', '已回电解答'],
  ['unreachable', '无法联系'],
  ['unresolved', '无法解决'],
  ['other', '其他'],
];

/**
 * The Chinese label of a code from one of the lists above (a resolution, a reason); a code the list does
 * not know is shown as it was typed, never hidden.
 */
export function labelOf(labels: ReadonlyArray<readonly [string, string]> | Readonly<Record<string, string>>, code: string): string {
  const found = Array.isArray(labels)
    ? (labels as ReadonlyArray<readonly [string, string]>).find(([value]) => value === code)?.[1]
    : Object.hasOwn(labels, code)
      ? (labels as Readonly<Record<string, string>>)[code]
      : undefined;
  return found ?? code;
}

export const TICKET_STATUS: Readonly<Record<TicketStatus, string>> = { open: '待处理', claimed: '已认领', closed: '已关闭' };

/** The quick-reference card's groups, in the card's order. */
export const FACT_HEADINGS: ReadonlyArray<readonly [FactType, string]> = [
  ['phone', '电话'],
  ['deadline', '截止时间'],
  ['prescription', '处方用量'],
  ['duration', '期限'],
  ['ratio', '比例'],
  ['cap', '限额'],
  ['money', '金额'],
  ['code', '编码'],
  ['url', '网址'],
];

/** System lines of a transcript when the server sends a bare event name instead of a sentence. */
export const SYSTEM_TEXT: Readonly<Record<string, string>> = {
  queued: '用户进入排队',
  requeued: '用户重新排队',
  assigned: '坐席已接入',
  returned: '已转回机器人',
  released: '已放回排队',
  resolved: '会话已结束',
  cancelled: '用户取消了等待',
  unavailable: '暂无坐席可接入',
  'handoff.requested': '用户请求人工服务',
  'handoff.cancelled': '用户取消了等待',
  'handoff.assigned': '坐席已接入',
  'handoff.requeued': '已放回排队',
  'handoff.returned': '已转回机器人',
  'handoff.resolved': '会话已结束',
  'handoff.unavailable': '暂无坐席可接入',
  'ticket.created': '用户留下了回电请求',
};

/** Server error codes (HL_ERR_*) an agent may meet, said in Chinese; the code is always shown too. */
export const ERROR_TEXT: Readonly<Record<string, string>> = {
  HL_ERR_AGENT_UNAUTHORIZED: '令牌无效或已过期',
  HL_ERR_AGENTS_DISABLED: '坐席功能未开启',
  HL_ERR_AGENT_BUSY: '已达接待上限',
  HL_ERR_AGENT_NOT_OWNER: '该会话不由你接待',
  HL_ERR_AGENT_UNKNOWN: '坐席未登记，请刷新页面',
  HL_ERR_SESSION_NOT_FOUND: '会话不存在',
  HL_ERR_BAD_TRANSITION: '会话或工单的状态已变化，操作未执行',
  HL_ERR_TICKET_NOT_FOUND: '工单不存在',
  HL_ERR_BAD_TICKET: '工单信息有误',
  HL_ERR_BAD_REQUEST: '请求有误',
  HL_ERR_KB_NOT_READY: '知识库尚未加载完成，请稍后再试',
  HL_ERR_RATE_LIMITED: '请求过于频繁，请稍后再试',
  HL_ERR_WS_RATE_LIMITED: '发送过于频繁，请稍后再试',
  HL_ERR_WS_BAD_MESSAGE: '消息格式有误',
  HL_ERR_WS_BAD_FRAME: '消息格式有误',
  HL_ERR_WS_UNKNOWN_TYPE: '服务器不支持该操作',
  HL_ERR_BODY_TOO_LARGE: '内容过长',
  HL_ERR_INTERNAL: '服务器内部错误',
  NETWORK: '无法连接服务器',
  NOT_CONNECTED: '未连接到服务器，请稍候再试',
};

/** `中文说明（CODE）`, falling back to the server's own message. */
export function describeError(code: string, message: string): string {
  return `${ERROR_TEXT[code] ?? message}（${code}）`;
}
