import type { Suggestion as AssistSuggestion } from '../../dialogue/assistant.js';
import type { Card as KbCard, CardType as KbCardType } from '../../dialogue/card.js';
import type { FactType } from '../../ingest/facts/index.js';
import type { Citation as KbCitation } from '../../kb/knowledge-base.js';
import type { Ticket as StoredTicket, TranscriptEntry } from '../../store/types.js';
import { frameParser, type Parsed } from '../frames.js';
import { agentClientFrames } from './frames.js';
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

const parsers = new Map<number, (raw: string) => Parsed<ClientFrame>>();

/**
 * Check one raw console frame against the console's frame schemas (`frames.ts`, compiled once per text
 * limit); a bad one gets a code and a reason, never an exception, and a valid `id` back as `replyTo`.
 */
export function parseAgentFrame(raw: string, maxText: number): Parsed<ClientFrame> {
  let parse = parsers.get(maxText);
  if (!parse) {
    const notObject = 'The frame must be a JSON object with a type';
    parse = frameParser<ClientFrame>(agentClientFrames(maxText), {
      notJson: notObject,
      notObject,
      unknownType: (type) => `Unknown frame type ${JSON.stringify(type ?? null)}`,
      echoIdOnUnknown: true,
    });
    parsers.set(maxText, parse);
  }
  return parse(raw);
}
