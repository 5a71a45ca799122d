import { HlError } from '../errors.js';
import type { Feedback, FeedbackReason, NewFeedback, StoreData } from '../store/types.js';

export const COMMENT_MAX = 200;

export const FEEDBACK_REASONS: Readonly<Record<FeedbackReason, string>> = {
  unanswered: '没回答我的问题',
  wrong: '信息不对',
  unclear: '看不懂',
  other: '其他',
};

/** 1 … 5, as a government service's 好差评 words them. */
export const SCORES: readonly string[] = ['非常不满意', '不满意', '一般', '满意', '非常满意'];

/** 👍/👎 on one bot answer: its transcript seq, and for 👎 an optional reason and comment. */
export interface AnswerVerdict {
  seq: number;
  vote: 'up' | 'down';
  reason?: FeedbackReason;
  comment?: string;
}

/** 1–5 on the conversation's last chat with a person, once it ended, with an optional comment. */
export interface ChatRating {
  score: number;
  comment?: string;
}

function comment(text: string | undefined): string | null {
  if (text === undefined) return null;
  if (typeof text !== 'string') throw new HlError('HL_ERR_BAD_FEEDBACK', ['comment must be text']);
  const t = text.trim();
  if ([...t].length > COMMENT_MAX) throw new HlError('HL_ERR_BAD_FEEDBACK', [`comment must be at most ${COMMENT_MAX} characters`]);
  return t === '' ? null : t;
}

/**
 * The verdict on an answer, checked against the session's transcript: the seq must be one of this session's
 * bot lines (HL_ERR_FEEDBACK_TARGET otherwise), a reason only with 👎. What it was about (the first source,
 * the intent) is taken from the stored reply, not from the client.
 */
export async function answerFeedback(
  data: StoreData,
  base: Pick<NewFeedback, 'sessionId' | 'channel' | 'at'>,
  v: AnswerVerdict,
): Promise<NewFeedback> {
  if (v.vote !== 'up' && v.vote !== 'down') throw new HlError('HL_ERR_BAD_FEEDBACK', ['vote must be up or down']);
  if (v.reason !== undefined && (v.vote !== 'down' || !Object.hasOwn(FEEDBACK_REASONS, v.reason)))
    throw new HlError('HL_ERR_BAD_FEEDBACK', ['a reason goes with a down vote, one of unanswered, wrong, unclear, other']);
  const line = Number.isSafeInteger(v.seq)
    ? (await data.transcript(base.sessionId)).find((e) => e.seq === v.seq && e.role === 'bot')
    : undefined;
  if (!line) throw new HlError('HL_ERR_FEEDBACK_TARGET', [`no answer ${v.seq} in this conversation`]);
  const reply = (line.reply ?? {}) as { intent?: string; region?: string; citations?: { notice: string; clause: string }[] };
  const source = reply.citations?.[0];
  return {
    ...base,
    kind: 'answer',
    target: v.seq,
    vote: v.vote,
    score: null,
    reason: v.reason ?? null,
    comment: comment(v.comment),
    notice: source?.notice ?? null,
    clause: source?.clause ?? null,
    intent: reply.intent ?? null,
    agentId: null,
    region: reply.region ?? null,
  };
}

/** The rating of the session's last chat with a person; HL_ERR_FEEDBACK_TARGET unless one has ended. */
export async function chatRating(
  data: StoreData,
  base: Pick<NewFeedback, 'sessionId' | 'channel' | 'at'>,
  r: ChatRating,
): Promise<NewFeedback> {
  if (!Number.isInteger(r.score) || r.score < 1 || r.score > 5) throw new HlError('HL_ERR_BAD_FEEDBACK', ['score must be 1–5']);
  const handoff = await data.latestHandoff(base.sessionId);
  if (!handoff || (handoff.status !== 'resolved' && handoff.status !== 'returned') || handoff.assignedAt === null)
    throw new HlError('HL_ERR_FEEDBACK_TARGET', ['no chat with a person has ended in this conversation']);
  return {
    ...base,
    kind: 'chat',
    target: handoff.id,
    vote: null,
    score: r.score,
    reason: null,
    comment: comment(r.comment),
    notice: null,
    clause: null,
    intent: null,
    agentId: handoff.agentId,
    region: handoff.region,
  };
}

/** The transcript line agents see: 用户评价：不满意（信息不对）：…, 用户对人工服务的评价：4分 满意. */
export function feedbackLine(f: Feedback): string {
  const said = f.comment ? `：${f.comment}` : '';
  if (f.kind === 'chat') return `用户对人工服务的评价：${f.score}分 ${SCORES[(f.score ?? 1) - 1]}${said}`;
  const why = f.reason ? `（${FEEDBACK_REASONS[f.reason]}）` : '';
  return `用户对第 ${f.target} 条回答的评价：${f.vote === 'up' ? '有帮助' : '没帮助'}${why}${said}`;
}
