import type { ErrorCode } from '../../errors.js';
import type { WireReply } from '../http/ask.js';

/** Frames a chat client sends (README documents them). */
export type ClientFrame =
  | { type: 'hello'; sessionId?: string; region?: string }
  | { type: 'message'; id: string; text: string }
  | { type: 'ping' };

/** Frames the server sends. */
export type ServerFrame =
  | { type: 'ready'; sessionId: string }
  | { type: 'typing' }
  | { type: 'reply'; replyTo: string; reply: WireReply }
  | { type: 'pong' }
  | { type: 'error'; code: ErrorCode; message: string; replyTo?: string };

export type ParseResult = { ok: true; frame: ClientFrame } | { ok: false; code: ErrorCode; message: string; replyTo?: string };

const SESSION_ID = /^[A-Za-z0-9._:-]{1,128}$/;

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
      return { ok: true, frame: { type: 'ping' } };
    case 'hello': {
      if (f.sessionId !== undefined && (typeof f.sessionId !== 'string' || !SESSION_ID.test(f.sessionId))) {
        return { ok: false, code: 'HL_ERR_WS_BAD_MESSAGE', message: 'sessionId must be 1–128 letters, digits or ._:-' };
      }
      if (f.region !== undefined && (typeof f.region !== 'string' || f.region.length === 0 || f.region.length > 40)) {
        return { ok: false, code: 'HL_ERR_WS_BAD_MESSAGE', message: 'region must be a non-empty string of at most 40 characters' };
      }
      return {
        ok: true,
        frame: {
          type: 'hello',
          ...(f.sessionId ? { sessionId: f.sessionId as string } : {}),
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
        message: `Unknown frame type ${JSON.stringify(f.type ?? null)}; expected hello, message or ping`,
      };
  }
}
