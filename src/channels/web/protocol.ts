import type { ErrorCode } from '../../errors.js';
import type { ConversationState } from '../../handoff/machine.js';
import type { UnavailableReason } from '../../handoff/notifications.js';
import type { Citation } from '../../kb/knowledge-base.js';
import type { WireReply } from '../http/ask.js';

/** Frames a chat client sends (README documents them). */
export type ClientFrame =
  | { type: 'hello'; sessionId?: string; resumeToken?: string; region?: string }
  | { type: 'message'; id: string; text: string }
  | { type: 'handoff' }
  | { type: 'cancel' }
  | { type: 'ticket'; id?: string; phone: string; question: string }
  | { type: 'ping' };

/**
 * A line of the conversation as the citizen saw it, sent again on resume (`ready.history`): their messages,
 * the bot's replies with their sources, the agent's messages and the desk's notes.
 */
export interface HistoryEntry {
  seq: number;
  role: 'user' | 'bot' | 'agent' | 'system';
  text: string;
  /** epoch ms */
  at: number;
  /** The bot's reply as `reply` frames carry it. */
  reply?: WireReply;
  /** An agent's line: who wrote it, by display name. */
  agent?: { name: string };
}

/** A change in who is talking with the user: queued (with the standing), with an agent, back with the bot. */
export interface HandoffFrame {
  type: 'handoff';
  state: ConversationState;
  /** The desk's event: queued, position, requeued, assigned, returned, resolved, cancelled, unavailable, requested. */
  event: string;
  text: string;
  citations: Citation[];
  position?: number;
  estimatedWaitMs?: number;
  /** Offer the callback form (no agent could take the chat). */
  offerTicket?: boolean;
  /** Why no agent could take it (event `unavailable`): `no-agent`, `queue-full` or `wait-limit`. */
  reason?: UnavailableReason;
  /** `HL_ERR_QUEUE_FULL` when the queue was full. */
  code?: ErrorCode;
}

/** Frames the server sends. */
export type ServerFrame =
  | { type: 'ready'; sessionId: string; resumeToken: string; state: ConversationState; history?: HistoryEntry[] }
  | { type: 'typing' }
  /** `seq`: the answer's place in the transcript, which feedback on it names. */
  | { type: 'reply'; replyTo: string; reply: WireReply; seq: number }
  | { type: 'ack'; replyTo: string; state: ConversationState; text: string }
  | HandoffFrame
  /** An agent's message: who wrote it (the display name from AGENT_TOKENS) and when (epoch ms). */
  | { type: 'agent'; text: string; seq: number; agent: { name: string }; at: number }
  | { type: 'ticket'; id: string; text: string; replyTo?: string }
  | { type: 'pong' }
  | { type: 'error'; code: ErrorCode; message: string; replyTo?: string };

export type ParseResult = { ok: true; frame: ClientFrame } | { ok: false; code: ErrorCode; message: string; replyTo?: string };

const SESSION_ID = /^[A-Za-z0-9_.:-]{1,128}$/;

/** Check one raw frame; a bad frame gets a code and a reason, never an exception. */
export function parseClientFrame(raw: string, maxText: number): ParseResult {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { ok: false, code: 'HL_ERR_WS_BAD_FRAME', message: 'The frame is not JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, code: 'HL_ERR_WS_BAD_FRAME', message: 'The frame must be a JSON object with a type' };
  }
  const f = value as Record<string, unknown>;
  switch (f.type) {
    case 'ping':
    case 'handoff':
    case 'cancel':
      return { ok: true, frame: { type: f.type } };
    case 'ticket': {
      const id = typeof f.id === 'string' && f.id.length > 0 && f.id.length <= 64 ? f.id : undefined;
      if (typeof f.phone !== 'string' || f.phone.length === 0 || f.phone.length > 40) {
        return {
          ok: false,
          code: 'HL_ERR_WS_BAD_MESSAGE',
          message: 'ticket needs a phone: a string of at most 40 characters',
          ...(id ? { replyTo: id } : {}),
        };
      }
      if (typeof f.question !== 'string' || f.question.trim() === '' || f.question.length > maxText) {
        return {
          ok: false,
          code: 'HL_ERR_WS_BAD_MESSAGE',
          message: `ticket needs a question: a non-blank string of at most ${maxText} characters`,
          ...(id ? { replyTo: id } : {}),
        };
      }
      return { ok: true, frame: { type: 'ticket', phone: f.phone, question: f.question, ...(id ? { id } : {}) } };
    }
    case 'hello': {
      if (f.sessionId !== undefined && (typeof f.sessionId !== 'string' || !SESSION_ID.test(f.sessionId))) {
        return { ok: false, code: 'HL_ERR_WS_BAD_MESSAGE', message: 'sessionId must be 1–128 letters, digits or _.:-' };
      }
      if (f.resumeToken !== undefined && (typeof f.resumeToken !== 'string' || f.resumeToken.length > 64)) {
        return { ok: false, code: 'HL_ERR_WS_BAD_MESSAGE', message: 'resumeToken must be the string the server gave in ready' };
      }
      if (f.region !== undefined && (typeof f.region !== 'string' || f.region.length === 0 || f.region.length > 40)) {
        return { ok: false, code: 'HL_ERR_WS_BAD_MESSAGE', message: 'region must be a non-empty string of at most 40 characters' };
      }
      return {
        ok: true,
        frame: {
          type: 'hello',
          ...(f.sessionId ? { sessionId: f.sessionId as string } : {}),
          ...(f.resumeToken ? { resumeToken: f.resumeToken as string } : {}),
          ...(f.region ? { region: f.region as string } : {}),
        },
      };
    }
    case 'message': {
      const id = typeof f.id === 'string' && f.id.length > 0 && f.id.length <= 64 ? f.id : null;
      if (!id) return { ok: false, code: 'HL_ERR_WS_BAD_MESSAGE', message: 'message needs an id: a string of 1–64 characters' };
      if (typeof f.text !== 'string' || f.text.trim() === '' || f.text.length > maxText) {
        return {
          ok: false,
          code: 'HL_ERR_WS_BAD_MESSAGE',
          message: `text must be a non-blank string of at most ${maxText} characters`,
          replyTo: id,
        };
      }
      return { ok: true, frame: { type: 'message', id, text: f.text } };
    }
    default:
      return {
        ok: false,
        code: 'HL_ERR_WS_UNKNOWN_TYPE',
        message: `Unknown frame type ${JSON.stringify(f.type ?? null)}; expected hello, message, handoff, cancel, ticket or ping`,
      };
  }
}
