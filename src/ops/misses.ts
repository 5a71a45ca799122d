import type { Reply } from '../dialogue/reply.js';
import { redact } from '../redact.js';
import type { Channel, Feedback, StoreData } from '../store/types.js';
import type { Candidate, NewMiss } from './types.js';

/** Why a handoff counts as the assistant's miss: nothing in the notices answered, or none covers the place. */
const MISSED_HANDOFFS: ReadonlySet<string> = new Set(['unanswered', 'not_covered']);

/** A bot reply as the transcript keeps it (concierge.ts `botEntry`). */
type StoredReply = Partial<Pick<Reply, 'type' | 'intent' | 'region' | 'rule' | 'confidence' | 'citations'>>;

/**
 * The miss a bot turn makes, or null when it answered well: a handoff for `unanswered`/`not_covered`, a
 * fallback, or an answer whose confidence is under `lowConfidence`. The citizen's words and the reply are
 * redacted as the logs are.
 */
export function turnMiss(
  turn: { sessionId: string; channel: Channel; text: string; at: number },
  reply: Reply,
  lowConfidence: number,
): NewMiss | null {
  const kind =
    reply.type === 'handoff' && MISSED_HANDOFFS.has(reply.handoff?.reason ?? '')
      ? 'handoff'
      : reply.type === 'fallback'
        ? 'fallback'
        : reply.type === 'answer' && reply.confidence < lowConfidence
          ? 'low_confidence'
          : null;
  if (kind === null) return null;
  return {
    kind,
    sessionId: turn.sessionId,
    channel: turn.channel,
    text: redact(turn.text),
    reply: redact(reply.text),
    replyType: reply.type,
    region: reply.region ?? null,
    intent: reply.intent,
    rule: reply.rule ?? null,
    confidence: reply.type === 'answer' ? reply.confidence : null,
    candidates: reply.candidates ?? [],
    detail: reply.type === 'handoff' ? (reply.handoff?.reason ?? null) : null,
    comment: null,
    at: turn.at,
  };
}

/**
 * The miss a 👎 makes: the question the answer was to (the citizen's message before it), what the bot said, and
 * the clauses it cited as the closest ones. Read through the unit storing the vote.
 */
export async function voteMiss(data: StoreData, feedback: Feedback): Promise<NewMiss> {
  const lines = await data.transcript(feedback.sessionId);
  const at = lines.findIndex((e) => e.seq === feedback.target);
  const answer = lines[at];
  const question = lines
    .slice(0, Math.max(0, at))
    .reverse()
    .find((e) => e.role === 'user');
  const reply = (answer?.reply ?? {}) as StoredReply;
  const confidence = typeof reply.confidence === 'number' ? reply.confidence : null;
  return {
    kind: 'down_vote',
    sessionId: feedback.sessionId,
    channel: feedback.channel,
    text: redact(question?.text ?? ''),
    reply: redact(answer?.text ?? ''),
    replyType: reply.type ?? null,
    region: reply.region ?? feedback.region,
    intent: reply.intent ?? feedback.intent,
    rule: reply.rule ?? null,
    confidence,
    candidates: cited(reply.citations ?? [], confidence ?? 0),
    detail: feedback.reason,
    comment: feedback.comment === null ? null : redact(feedback.comment),
    at: feedback.at,
  };
}

/** The miss a rating below 满意 (1–3) of a chat with a person makes: the question that brought the chat. */
export async function ratingMiss(data: StoreData, feedback: Feedback): Promise<NewMiss> {
  const conversation = await data.getConversation(feedback.sessionId);
  const handoff = await data.getHandoff(feedback.target);
  return {
    kind: 'low_rating',
    sessionId: feedback.sessionId,
    channel: feedback.channel,
    text: redact(conversation?.lastUserText ?? ''),
    reply: `人工服务${feedback.agentId ? `（坐席 ${feedback.agentId}）` : ''}，转人工原因：${handoff?.reason ?? '未知'}`,
    replyType: null,
    region: feedback.region,
    intent: null,
    rule: null,
    confidence: null,
    candidates: [],
    detail: String(feedback.score),
    comment: feedback.comment === null ? null : redact(feedback.comment),
    at: feedback.at,
  };
}

/** Ratings below this (满意 is 4) are misses. */
export const SATISFIED = 4;

/** The miss a verdict makes, or null for a 👍 or a rating of 满意 and above. */
export function feedbackMiss(data: StoreData, feedback: Feedback): Promise<NewMiss> | null {
  if (feedback.kind === 'answer') return feedback.vote === 'down' ? voteMiss(data, feedback) : null;
  return feedback.score !== null && feedback.score < SATISFIED ? ratingMiss(data, feedback) : null;
}

function cited(citations: readonly { notice: string; clause: string }[], confidence: number): Candidate[] {
  const seen = new Set<string>();
  const out: Candidate[] = [];
  for (const c of citations) {
    const key = `${c.notice}#${c.clause}`;
    if (seen.has(key) || out.length >= 3) continue;
    seen.add(key);
    out.push({ notice: c.notice, clause: c.clause, score: 0, confidence });
  }
  return out;
}
