import type { Suggestion } from '../../dialogue/assistant.js';
import type { ErrorCode } from '../../errors.js';
import type { Presence } from '../../handoff/roster.js';
import type { TranscriptEntry } from '../../store/types.js';

/** Frames an agent's console sends (README documents them); any may carry an `id`, echoed as an error's `replyTo`. */
export type AgentClientFrame = { id?: string } & (
  | { type: 'ping' }
  | { type: 'presence'; status: Presence }
  | { type: 'accept'; sessionId: string }
  | { type: 'transcript'; sessionId: string }
  | { type: 'message'; sessionId: string; text: string }
  | { type: 'return'; sessionId: string }
  | { type: 'release'; sessionId: string }
  | { type: 'close'; sessionId: string; resolution: string }
);

export interface QueueEntry {
  sessionId: string;
  region: string | null;
  reason: string;
  queuedAt: number;
  lastUserText: string | null;
  position: number;
}

/** Frames the server sends to a console. */
export type AgentServerFrame =
  | { type: 'welcome'; agent: string; capacity: number; presence: Presence; now: number; chats: string[] }
  | { type: 'queue'; items: QueueEntry[] }
  | { type: 'chat'; sessionId: string; region: string | null; transcript: TranscriptEntry[] }
  | { type: 'user'; sessionId: string; entry: TranscriptEntry; suggestion: Suggestion | null }
  | { type: 'entry'; sessionId: string; entry: TranscriptEntry }
  | { type: 'ended'; sessionId: string; reason: 'resolved' | 'returned' | 'released' }
  | { type: 'tickets' }
  | { type: 'pong' }
  | { type: 'error'; code: ErrorCode; message: string; replyTo?: string };

type Parsed = { ok: true; frame: AgentClientFrame } | { ok: false; code: ErrorCode; message: string; replyTo?: string };

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
