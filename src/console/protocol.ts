/**
 * The agent protocol as the console sees it: the frames of /ws/agent and the answers of the agent HTTP
 * routes (README documents both). Frames from the server are checked at the top level before use; every
 * string in them is later rendered as text, never as HTML.
 */

export interface Citation {
  notice: string;
  clause: string;
  title: string | null;
  authority: string | null;
  docNumber: string | null;
  date: string | null;
  quote: string;
  url: string;
}

/** The bot's reply kept with a transcript line. */
export interface BotReply {
  type: string;
  text: string;
  citations: Citation[];
  intent: string;
  confidence: number;
}

/** A suggested answer: for a user's message in a chat, or from `POST /api/assist`. */
export interface Suggestion {
  text: string;
  citations: Citation[];
  intent: string;
  /** 0..1 */
  confidence: number;
  region: string | null;
}

export type Role = 'user' | 'bot' | 'agent' | 'system';

export interface Entry {
  seq: number;
  role: Role;
  text: string;
  at: number;
  agentId?: string;
  reply?: BotReply;
}

export interface QueueItem {
  sessionId: string;
  region: string | null;
  reason: string;
  queuedAt: number;
  lastUserText: string | null;
  position: number;
}

export type Presence = 'online' | 'away';
export type EndReason = 'resolved' | 'returned' | 'released' | 'cancelled' | 'left';

export type ServerFrame =
  | { type: 'welcome'; agent: string; capacity: number; presence: Presence; now: number; chats: string[] }
  | { type: 'queue'; items: QueueItem[] }
  | { type: 'chat'; sessionId: string; region: string | null; transcript: Entry[] }
  | { type: 'user'; sessionId: string; entry: Entry; suggestion: Suggestion | null }
  | { type: 'entry'; sessionId: string; entry: Entry }
  | { type: 'ended'; sessionId: string; reason: EndReason }
  | { type: 'tickets' }
  | { type: 'error'; code: string; message: string; replyTo?: string }
  | { type: 'pong' };

export type ClientFrame =
  | { type: 'presence'; status: Presence }
  | { type: 'accept'; sessionId: string }
  | { type: 'message'; sessionId: string; text: string }
  | { type: 'return'; sessionId: string }
  | { type: 'release'; sessionId: string }
  | { type: 'close'; sessionId: string; resolution: string }
  | { type: 'transcript'; sessionId: string }
  | { type: 'ping' };

export type TicketStatus = 'open' | 'claimed' | 'closed';

export interface Ticket {
  id: string;
  sessionId: string;
  phone: string;
  question: string;
  region: string | null;
  status: TicketStatus;
  claimedBy: string | null;
  resolution: string | null;
  createdAt: number;
  updatedAt: number;
}

export type FactType = 'phone' | 'deadline' | 'prescription' | 'duration' | 'ratio' | 'cap' | 'money' | 'code' | 'url';

export interface CardEntry {
  type: FactType;
  text: string;
  label: string | null;
  sentence: string;
  notice: string;
  clause: string;
  url: string;
}

export interface Card {
  region: string;
  notices: string[];
  entries: CardEntry[];
}

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
