import type { WechatConfig } from '../../config.js';
import type { Reply } from '../../dialogue/reply.js';
import { isHlError } from '../../errors.js';
import type { Concierge, Outcome } from '../../handoff/concierge.js';
import type { KnowledgeBase } from '../../kb/knowledge-base.js';
import type { WechatMessage } from './xml.js';
import { truncateForWechat } from './xml.js';

/** What a push leads to: a text to send back, a handover to WeChat's own customer service, or nothing. */
export type WechatAnswer = { kind: 'text'; text: string } | { kind: 'transfer' } | { kind: 'none' };

export const WELCOME =
  '您好，欢迎关注！我是医保热线助手，可以解答：门诊慢性病开药量、异地就医备案、医保缴费与缓缴、医疗费用报销、各地医保咨询电话等问题。请直接发文字提问，例如“慢性病一次能开多久的药？”。需要人工服务请回复“转人工”。';
export const CANNOT = '抱歉，我目前只能看懂文字消息。您可以用文字提问医保问题，例如“异地就医怎么备案？”，我会引用官方通知回答。';
export const SAY_IT_AGAIN = '抱歉，没有听清您的语音。请用文字再发一次您的问题。';

/** Said under every answer: WeChat has no buttons, so 好差评 is a number replied next. */
export const FEEDBACK_HINT = '\n——\n这个回答有帮助请回复1，没帮助请回复2。';
export const THANKS_UP = '感谢您的评价！';
export const THANKS_DOWN = '感谢您的反馈，我们会改进这个回答。您可以换个说法再问，或回复“转人工”。';
export const RATED = '您已经评价过这条回答了，谢谢！';

/** The WeChat session of a follower: one per openid. */
export const sessionOf = (openid: string) => `wx:${openid}`;

/**
 * The reply as WeChat shows it: plain text, the answer and its source lines as composed, and, when a public
 * base URL is configured, the link to the first cited clause; cut to what WeChat delivers (about 600 characters).
 */
export function wechatText(reply: Pick<Reply, 'text' | 'citations'>, publicBaseUrl: string | null, footer = ''): string {
  const first = reply.citations[0];
  const link = first && publicBaseUrl ? `\n原文：${publicBaseUrl}${first.url}` : '';
  return `${truncateForWechat(reply.text, 600 - [...link].length - [...footer].length)}${link}${footer}`;
}

/**
 * A reply of 1 or 2 right after an answer is 好差评 on it (👍/👎), not a question; anything else, or a number
 * after something other than an answer, is asked as usual. Returns the thanks, or null when it is not feedback.
 */
async function verdictByNumber(text: string, sessionId: string, concierge: Concierge): Promise<string | null> {
  const digit = text.replace(/[１２]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));
  if (digit !== '1' && digit !== '2') return null;
  const last = (await concierge.desk.transcript(sessionId, { limit: 1 }))[0];
  if (last?.role !== 'bot' || (last.reply as { type?: string } | undefined)?.type !== 'answer') return null;
  const vote = digit === '1' ? 'up' : 'down';
  try {
    await concierge.answerFeedback(sessionId, 'wechat', { seq: last.seq, vote });
  } catch (err) {
    if ((err as { code?: string }).code === 'HL_ERR_FEEDBACK_EXISTS') return RATED;
    throw err;
  }
  return vote === 'up' ? THANKS_UP : THANKS_DOWN;
}

/** The turn's outcome, or null when the conversation store cannot be reached (HL_ERR_UNAVAILABLE). */
async function handled(turn: Promise<Outcome>): Promise<Outcome | null> {
  try {
    return await turn;
  } catch (err) {
    if (isHlError(err) && err.code === 'HL_ERR_UNAVAILABLE') return null;
    throw err;
  }
}

/** Works out the answer to one push (text, recognised voice, events, everything else); a question's once it has committed. */
export async function answerPush(
  m: WechatMessage,
  deps: { kb: KnowledgeBase; concierge: Concierge; config: WechatConfig; publicBaseUrl: string | null },
): Promise<WechatAnswer> {
  const ask = async (text: string): Promise<WechatAnswer> => {
    const outcome = await handled(
      deps.concierge.handle(deps.kb, {
        sessionId: sessionOf(m.fromUserName),
        channel: 'wechat',
        text,
        ...(deps.config.region ? { region: deps.config.region } : {}),
        queue: deps.config.handoff === 'queue',
      }),
    );
    // The store is down: nothing was kept; the follower is told to send it again, or given the hotline.
    if (!outcome) return { kind: 'text', text: deps.concierge.outage(deps.kb, deps.config.region).text };
    // With a person (or waiting for one): the message went to the agent; the status only while queued.
    if (outcome.kind === 'waiting') return outcome.state === 'queued' ? { kind: 'text', text: outcome.reply.text } : { kind: 'none' };
    if (outcome.reply.type === 'handoff' && deps.config.handoff === 'wechat') return { kind: 'transfer' };
    const footer = outcome.reply.type === 'answer' ? FEEDBACK_HINT : '';
    return { kind: 'text', text: wechatText(outcome.reply, deps.publicBaseUrl, footer) };
  };
  const questionOrVerdict = async (text: string): Promise<WechatAnswer> => {
    const thanks = await verdictByNumber(text, sessionOf(m.fromUserName), deps.concierge);
    return thanks ? { kind: 'text', text: thanks } : ask(text);
  };
  switch (m.msgType) {
    case 'text':
      return m.content?.trim() ? questionOrVerdict(m.content.trim().slice(0, 500)) : { kind: 'text', text: CANNOT };
    case 'voice':
      return m.recognition?.trim() ? ask(m.recognition.trim().slice(0, 500)) : { kind: 'text', text: SAY_IT_AGAIN };
    case 'event': {
      const event = (m.event ?? '').toLowerCase();
      if (event === 'subscribe') return { kind: 'text', text: WELCOME };
      if (event === 'click') {
        const topic = m.eventKey ? deps.config.menu[m.eventKey] : undefined;
        return topic ? ask(topic) : { kind: 'text', text: WELCOME };
      }
      // unsubscribe, VIEW, SCAN, LOCATION …: nothing to say.
      return { kind: 'none' };
    }
    default:
      return { kind: 'text', text: CANNOT };
  }
}
