/**
 * The agents' wire shapes (`wire.ts`) as JSON Schemas: for the agent HTTP routes' responses (OpenAPI) and
 * the console's frames (AsyncAPI). `wire.ts` stays the compiler's source; tests check real responses and
 * frames against these.
 */
import { TICKET_STATES } from '../../handoff/machine.js';
import { members } from '../frames.js';
import { citationSchema, nullableString } from '../schemas.js';
import { CARD_TYPES, type EndReason, type Presence, type Role } from './wire.js';

export const PRESENCE = members<Presence>()(['online', 'away']);
export const END_REASONS = members<EndReason>()(['resolved', 'returned', 'released']);
const ROLES = members<Role>()(['user', 'bot', 'agent', 'system']);

const epochMs = { type: 'integer', description: 'epoch milliseconds' } as const;

/** The bot's reply kept with a transcript line. */
export const botReplySchema = {
  type: 'object',
  required: ['type', 'text', 'citations', 'intent', 'confidence'],
  properties: {
    type: { type: 'string' },
    text: { type: 'string' },
    citations: { type: 'array', items: citationSchema },
    intent: { type: 'string' },
    confidence: { type: 'number' },
  },
} as const;

/** A transcript line. */
export const entrySchema = {
  type: 'object',
  required: ['seq', 'role', 'text', 'at'],
  additionalProperties: false,
  properties: {
    seq: { type: 'integer', description: 'the line’s number in the conversation' },
    role: { type: 'string', enum: [...ROLES] },
    text: { type: 'string' },
    at: epochMs,
    agentId: { type: 'string', description: 'the agent who wrote it (role agent)' },
    reply: botReplySchema,
  },
} as const;

/** A suggested answer, with its sources. */
export const suggestionSchema = {
  type: 'object',
  required: ['text', 'citations', 'intent', 'confidence', 'region'],
  additionalProperties: false,
  properties: {
    text: { type: 'string' },
    citations: { type: 'array', items: citationSchema },
    intent: { type: 'string' },
    confidence: { type: 'number', minimum: 0, maximum: 1 },
    region: nullableString,
  },
} as const;

/** One waiting session as agents see the queue. */
export const queueItemSchema = {
  type: 'object',
  required: ['sessionId', 'region', 'reason', 'queuedAt', 'lastUserText', 'position'],
  additionalProperties: false,
  properties: {
    sessionId: { type: 'string' },
    region: nullableString,
    reason: { type: 'string', description: 'why the user wants a person (requested, complaint, urgent …)' },
    queuedAt: epochMs,
    lastUserText: nullableString,
    position: { type: 'integer', minimum: 1 },
  },
} as const;

/** A callback ticket. */
export const ticketSchema = {
  type: 'object',
  required: ['id', 'sessionId', 'phone', 'question', 'region', 'status', 'claimedBy', 'resolution', 'createdAt', 'updatedAt'],
  additionalProperties: false,
  properties: {
    id: { type: 'string', pattern: '^T\\d{6,}$' },
    sessionId: { type: 'string' },
    phone: { type: 'string' },
    question: { type: 'string' },
    region: nullableString,
    status: { type: 'string', enum: [...TICKET_STATES] },
    claimedBy: { ...nullableString, description: 'the agent holding it' },
    resolution: nullableString,
    createdAt: epochMs,
    updatedAt: epochMs,
  },
} as const;

/** A region's quick-reference card. */
export const cardSchema = {
  type: 'object',
  required: ['region', 'notices', 'sources', 'entries'],
  additionalProperties: false,
  properties: {
    region: { type: 'string' },
    notices: { type: 'array', items: { type: 'string' } },
    sources: {
      type: 'array',
      description: 'the notices the card draws on',
      items: {
        type: 'object',
        required: ['notice', 'source', 'title', 'date', 'url'],
        additionalProperties: false,
        properties: {
          notice: { type: 'string' },
          source: { type: 'string', description: 'the notice’s short name' },
          title: nullableString,
          date: nullableString,
          url: { type: 'string' },
        },
      },
    },
    entries: {
      type: 'array',
      items: {
        type: 'object',
        required: ['type', 'text', 'label', 'hours', 'sentence', 'notice', 'clause', 'url', 'source', 'title', 'date'],
        additionalProperties: false,
        properties: {
          type: { type: 'string', enum: [...CARD_TYPES] },
          text: { type: 'string', description: 'the fact as the notice writes it' },
          label: { ...nullableString, description: 'a phone’s office or purpose; the patients a prescription is for' },
          hours: { ...nullableString, description: 'for a phone: when it is answered, as its sentence says' },
          sentence: { type: 'string', description: 'the sentence that states it' },
          notice: { type: 'string' },
          clause: { type: 'string' },
          url: { type: 'string' },
          source: { type: 'string', description: 'the notice’s short name, for the link' },
          title: nullableString,
          date: nullableString,
        },
      },
    },
  },
} as const;
