import type { Suggestion as AssistSuggestion } from '../../dialogue/assistant.js';
import type { Card as KbCard, CardType as KbCardType } from '../../dialogue/card.js';
import type { ErrorCode } from '../../errors.js';
import type { FactType } from '../../ingest/facts/index.js';
import type { Citation as KbCitation } from '../../kb/knowledge-base.js';
import type { Ticket as StoredTicket, TranscriptEntry } from '../../store/types.js';
import type { BotReply, Card, CardType, Citation, ClientFrame, Entry, Suggestion, Ticket } from './wire.js';

export type { ClientFrame as AgentClientFrame, ServerFrame as AgentServerFrame } from './wire.js';

// The server's own records must fit the wire shapes the console reads: a change to either fails here.
type Fits<A extends B, B> = A;
export type CheckedFits = [
  Fits<KbCitation, Citation>,
  Fits<AssistSuggestion, Suggestion>,
  Fits<StoredTicket, Ticket>,
  Fits<CardType, FactType>,
  Fits<KbCard, Card>,
  Fits<KbCardType, CardType>,
  Fits<CardType, KbCardType>,
];

/** A stored transcript line as the console reads it (the bot's reply is kept as JSON in the store). */
export function toEntry(e: TranscriptEntry): Entry {
  const { seq, role, text, at, agentId, reply } = e;
  return { seq, role, text, at, ...(agentId ? { agentId } : {}), ...(reply !== undefined ? { reply: reply as BotReply } : {}) };
}

type Parsed = { ok: true; frame: ClientFrame } | { ok: false; code: ErrorCode; message: string; replyTo?: string };

const SESSION_ID = /^[A-Za-z0-9_.:-]{1,128}$/;
const bad = (message: string): Parsed => ({ ok: false, code: 'HL_ERR_WS_BAD_MESSAGE', message });

/** Check one raw console frame; a bad one gets a code and a reason, never an exception. */
export function parseAgentFrame(raw: string, maxText: number): Parsed {
  const parsed = parseFrame(raw, maxText);
  let id: string | undefined;
  try {
    const v = JSON.parse(raw) as { id?: unknown };
    if (typeof v?.id === 'string' && v.id.length > 0 && v.id.length <= 64) id = v.id;
  } catch {
    // not JSON: parseFrame said so
  }
  if (!id) return parsed;
  return parsed.ok ? { ok: true, frame: { ...parsed.frame, id } } : { ...parsed, replyTo: id };
}

function parseFrame(raw: string, maxText: number): Parsed {
  let f: Record<string, unknown>;
  try {
    const value: unknown = JSON.parse(raw);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not an object');
    f = value as Record<string, unknown>;
  } catch {
    return { ok: false, code: 'HL_ERR_WS_BAD_FRAME', message: 'The frame must be a JSON object with a type' };
  }
  if (f.type === 'ping') return { ok: true, frame: { type: 'ping' } };
  if (f.type === 'presence') {
    return f.status === 'online' || f.status === 'away'
      ? { ok: true, frame: { type: 'presence', status: f.status } }
      : bad('status must be online or away');
  }
  const known = ['accept', 'transcript', 'message', 'return', 'release', 'close'] as const;
  const type = known.find((k) => k === f.type);
  if (!type) {
    return { ok: false, code: 'HL_ERR_WS_UNKNOWN_TYPE', message: `Unknown frame type ${JSON.stringify(f.type ?? null)}` };
  }
  if (typeof f.sessionId !== 'string' || !SESSION_ID.test(f.sessionId)) return bad(`${type} needs a sessionId`);
  const sessionId = f.sessionId;
  if (type === 'message') {
    if (typeof f.text !== 'string' || f.text.trim() === '' || f.text.length > maxText) {
      return bad(`text must be a non-blank string of at most ${maxText} characters`);
    }
    return { ok: true, frame: { type, sessionId, text: f.text } };
  }
  if (type === 'close') {
    if (typeof f.resolution !== 'string' || f.resolution.trim() === '' || f.resolution.length > 200) {
      return bad('close needs a resolution of 1–200 characters');
    }
    return { ok: true, frame: { type, sessionId, resolution: f.resolution } };
  }
  return { ok: true, frame: { type, sessionId } };
}
