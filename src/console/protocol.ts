/**
 * The agent protocol as the console sees it: the frames of /ws/agent and the answers of the agent HTTP
 * routes, as one definition with the server (`src/channels/agent/wire.ts`). Frames from the server are checked at the top level before use; every
 * string in them is later rendered as text, never as HTML.
 */

export type {
  BotReply,
  Card,
  CardEntry,
  CardType as FactType,
  Citation,
  ClientFrame,
  EndReason,
  Entry,
  Presence,
  QueueItem,
  Role,
  ServerFrame,
  Suggestion,
  Ticket,
  TicketStatus,
  TicketTranscript,
} from '../channels/agent/wire.js';

import type { ServerFrame } from '../channels/agent/wire.js';

type Kind = 'string' | 'number' | 'array' | 'object';

/** The fields each frame must carry to be used at all; anything else is read defensively. */
const REQUIRED: { readonly [T in ServerFrame['type']]: Readonly<Record<string, Kind>> } = {
  welcome: { agent: 'string', capacity: 'number', now: 'number', chats: 'array' },
  queue: { items: 'array' },
  chat: { sessionId: 'string', transcript: 'array' },
  user: { sessionId: 'string', entry: 'object' },
  entry: { sessionId: 'string', entry: 'object' },
  ended: { sessionId: 'string' },
  tickets: {},
  error: { code: 'string', message: 'string' },
  pong: {},
};

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function is(value: unknown, kind: Kind): boolean {
  if (kind === 'array') return Array.isArray(value);
  if (kind === 'object') return isRecord(value);
  return typeof value === kind;
}

/** One frame from the server, or null when it is not JSON, lacks a field, or has a type this console does not know. */
export function parseServerFrame(raw: unknown): ServerFrame | null {
  if (typeof raw !== 'string') return null;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return null;
  }
  if (!isRecord(value) || typeof value.type !== 'string' || !Object.hasOwn(REQUIRED, value.type)) return null;
  const fields = REQUIRED[value.type as ServerFrame['type']];
  for (const [name, kind] of Object.entries(fields)) if (!is(value[name], kind)) return null;
  return value as unknown as ServerFrame;
}
