import type { ErrorCode } from '../../errors.js';
import type { ConversationState } from '../../handoff/machine.js';
import type { UnavailableReason } from '../../handoff/notifications.js';
import type { Citation } from '../../kb/knowledge-base.js';
import type { FeedbackReason } from '../../store/types.js';
import { frameParser, orList, type Parsed } from '../frames.js';
import type { WireReply } from '../http/ask.js';
import { chatClientFrames } from './frames.js';

/** Frames a chat client sends (README documents them). */
export type ClientFrame =
  | { type: 'hello'; sessionId?: string; resumeToken?: string; region?: string }
  | { type: 'message'; id: string; text: string }
  | { type: 'handoff' }
  | { type: 'cancel' }
  | { type: 'ticket'; id?: string; phone: string; question: string }
  | { type: 'feedback'; id?: string; seq: number; vote: 'up' | 'down'; reason?: FeedbackReason; comment?: string }
  | { type: 'rating'; id?: string; score: number; comment?: string }
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
  /** Offer the 1–5 rating of the chat with a person that just ended (events resolved, returned). */
  offerRating?: boolean;
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
  /** A verdict (好差评) was stored: on an answer (`target` its seq) or on a chat with a person (its handoff id). */
  | {
      type: 'feedback';
      kind: 'answer' | 'chat';
      target: number;
      vote: 'up' | 'down' | null;
      score: number | null;
      text: string;
      replyTo?: string;
    }
  | { type: 'pong' }
  | { type: 'error'; code: ErrorCode; message: string; replyTo?: string; text?: string; citations?: Citation[] };

export type ParseResult = Parsed<ClientFrame>;

const parsers = new Map<number, (raw: string) => ParseResult>();

/**
 * Check one raw frame against the chat's frame schemas (`frames.ts`, compiled once per text limit); a bad
 * frame gets a code and a reason, never an exception.
 */
export function parseClientFrame(raw: string, maxText: number): ParseResult {
  let parse = parsers.get(maxText);
  if (!parse) {
    const frames = chatClientFrames(maxText);
    const expected = orList(frames.map((f) => f.type));
    parse = frameParser<ClientFrame>(frames, {
      notJson: 'The frame is not JSON',
      notObject: 'The frame must be a JSON object with a type',
      unknownType: (type) => `Unknown frame type ${JSON.stringify(type ?? null)}; expected ${expected}`,
      echoIdOnUnknown: false,
    });
    parsers.set(maxText, parse);
  }
  return parse(raw);
}
