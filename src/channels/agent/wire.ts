/**
 * The agents' protocol as it crosses the wire: the frames of `/ws/agent` and the bodies of the agent HTTP
 * routes (README documents both). One definition for the server and the console (`src/console`, browser
 * code): this file imports nothing, so both builds can read it. The server checks at compile time that its
 * own records (store, knowledge base, assistant) fit these shapes (`protocol.ts`).
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
  readerQuote?: string;
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

/** A transcript line. */
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
export type EndReason = 'resolved' | 'returned' | 'released';

/** Frames the server sends to a console. */
export type ServerFrame =
  /** `agent` is the id, `name` what citizens are shown (AGENT_TOKENS `id=name:token`; the id by default). */
  | { type: 'welcome'; agent: string; name: string; capacity: number; presence: Presence; now: number; chats: string[] }
  /** The front of the queue (its first page) and how many wait in all. */
  | { type: 'queue'; items: QueueItem[]; total: number }
  | { type: 'chat'; sessionId: string; region: string | null; transcript: Entry[] }
  | { type: 'user'; sessionId: string; entry: Entry; suggestion: Suggestion | null }
  | { type: 'entry'; sessionId: string; entry: Entry }
  | { type: 'ended'; sessionId: string; reason: EndReason }
  | { type: 'tickets' }
  | { type: 'pong' }
  | { type: 'error'; code: string; message: string; replyTo?: string };

/** Frames a console sends; any may carry an `id`, echoed as an error's `replyTo`. */
export type ClientFrame = { id?: string } & (
  | { type: 'ping' }
  | { type: 'presence'; status: Presence }
  | { type: 'accept'; sessionId: string }
  | { type: 'transcript'; sessionId: string }
  | { type: 'message'; sessionId: string; text: string }
  | { type: 'return'; sessionId: string }
  | { type: 'release'; sessionId: string }
  | { type: 'close'; sessionId: string; resolution: string }
);

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

/** `GET /api/agent/tickets/:id/transcript`: the conversation a ticket came from, read-only. */
export interface TicketTranscript {
  ticket: Ticket;
  /** The conversation's region (the bot may have learnt it after the ticket was left). */
  region: string | null;
  /** Its latest lines, oldest first. */
  transcript: Entry[];
  /** Older lines were left out. */
  truncated: boolean;
}

/** The kinds of fact on a region's quick-reference card, in its order. */
export const CARD_TYPES = ['phone', 'deadline', 'prescription', 'duration', 'ratio', 'cap', 'money', 'code', 'url'] as const;
export type CardType = (typeof CARD_TYPES)[number];

export interface CardEntry {
  type: CardType;
  /** The fact as the notice writes it. */
  text: string;
  /** For a phone: the office or purpose; for a prescription: the patients it is for. */
  label: string | null;
  /** For a phone: when it is answered (工作日8:30-17:00, 24小时), as its sentence says. */
  hours: string | null;
  /** The sentence that states it. */
  sentence: string;
  notice: string;
  clause: string;
  url: string;
  /** The notice's short name for links (title without issuer, 关于 and 的通知, cut short). */
  source: string;
  /** The notice's full title. */
  title: string | null;
  date: string | null;
}

/** A notice a card draws on. */
export interface CardSource {
  notice: string;
  source: string;
  title: string | null;
  date: string | null;
  /** Its page, `/notices/:id`. */
  url: string;
}

export interface Card {
  region: string;
  notices: string[];
  sources: CardSource[];
  entries: CardEntry[];
}
