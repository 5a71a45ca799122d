import type { FastifyPluginAsync } from 'fastify';
import type { Reply } from '../../dialogue/reply.js';
import type { Concierge } from '../../handoff/concierge.js';
import type { KnowledgeStore } from '../../kb/store.js';
import { redact } from '../../redact.js';
import type { Metrics } from '../metrics.js';

export interface AskOptions {
  knowledge: KnowledgeStore;
  concierge: Concierge;
  metrics: Metrics;
  newId: () => string;
}

export const MAX_TEXT = 500;

/** The reply as clients receive it (DESIGN.md), on every channel. */
export type WireReply = Omit<Reply, 'region' | 'rule'>;

export function toWire(reply: Reply): WireReply {
  const { region: _region, rule: _rule, ...wire } = reply;
  return wire;
}

const askBody = {
  type: 'object',
  required: ['text'],
  properties: {
    text: { type: 'string', minLength: 1, maxLength: MAX_TEXT, pattern: '\\S' },
    sessionId: { type: 'string', minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9_.:-]+$' },
    region: { type: 'string', minLength: 1, maxLength: 40 },
  },
} as const;

const nullableString = { type: ['string', 'null'] } as const;

/** The reply's schema: documents it (OpenAPI) and serializes it (fast-json-stringify). */
export const replySchema = {
  type: 'object',
  required: ['type', 'text', 'citations', 'intent', 'confidence', 'sessionId', 'suggestions'],
  properties: {
    type: { type: 'string', enum: ['answer', 'clarify', 'handoff', 'fallback'] },
    text: { type: 'string', description: 'reply shown to the user, plain text, Chinese' },
    citations: {
      type: 'array',
      items: {
        type: 'object',
        required: ['notice', 'clause', 'title', 'authority', 'docNumber', 'date', 'quote', 'url'],
        properties: {
          notice: { type: 'string' },
          clause: { type: 'string' },
          title: nullableString,
          authority: nullableString,
          docNumber: nullableString,
          date: nullableString,
          quote: { type: 'string', description: 'exact sentence(s) from the notice, as published' },
          url: { type: 'string' },
          readerQuote: { type: 'string', description: 'the quote in the asker’s script, when the notice is published in the other one' },
        },
      },
    },
    intent: { type: 'string' },
    confidence: { type: 'number' },
    sessionId: { type: 'string' },
    suggestions: { type: 'array', items: { type: 'string' } },
    handoff: { type: 'object', properties: { reason: { type: 'string' } } },
    seq: { type: 'integer', description: 'the answer’s place in the conversation’s transcript: what feedback on it names' },
    script: {
      type: 'string',
      enum: ['simplified', 'traditional'],
      description: 'the asker’s script: the text and the sources’ titles follow it; quotes stay as published',
    },
  },
} as const;

const errorSchema = {
  type: 'object',
  properties: { error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' } } } },
} as const;

/** `POST /api/ask {text, sessionId?, region?}` → the reply (DESIGN.md). */
export const askRoutes: FastifyPluginAsync<AskOptions> = async (app, { knowledge, concierge, metrics, newId }) => {
  app.post<{ Body: { text: string; sessionId?: string; region?: string } }>(
    '/api/ask',
    {
      schema: {
        summary: 'Ask a question',
        description:
          'Answer, ask back (clarify), hand over to a person, or say what the assistant can help with. A `handoff` reply puts the session in the queue for a person; while a person has the conversation (or it waits for one) the bot is silent: the message goes to the agent and the reply is a `handoff` status line.',
        body: askBody,
        response: { 200: replySchema, 400: errorSchema, 429: errorSchema, 503: errorSchema },
      },
    },
    async (request) => {
      const kb = knowledge.require();
      request.log.debug({ text: redact(request.body.text) }, 'question');
      const { text, region } = request.body;
      const sessionId = request.body.sessionId ?? newId();
      const outcome = concierge.handle(kb, { sessionId, channel: 'api', text, origin: request.ip, ...(region ? { region } : {}) });
      const reply = outcome.reply;
      if (outcome.kind === 'bot') metrics.observeReply('http', reply);
      request.log.info({ type: reply.type, intent: reply.intent, confidence: reply.confidence, rule: reply.rule }, 'answered');
      return outcome.kind === 'bot' ? { ...toWire(reply), seq: outcome.seq } : toWire(reply);
    },
  );
};
