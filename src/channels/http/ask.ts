import type { FastifyPluginAsync } from 'fastify';
import type { Assistant } from '../../dialogue/assistant.js';
import type { Reply } from '../../dialogue/reply.js';
import type { KnowledgeStore } from '../../kb/store.js';
import { redact } from '../../redact.js';
import type { Metrics } from '../metrics.js';

export interface AskOptions {
  knowledge: KnowledgeStore;
  assistant: Assistant;
  metrics: Metrics;
}

export const MAX_TEXT = 500;

/** The reply as clients receive it (DESIGN.md), on every channel. */
export type WireReply = Omit<Reply, 'region'>;

export function toWire(reply: Reply): WireReply {
  const { region: _region, ...wire } = reply;
  return wire;
}

const askBody = {
  type: 'object',
  required: ['text'],
  properties: {
    text: { type: 'string', minLength: 1, maxLength: MAX_TEXT, pattern: '\\S' },
    sessionId: { type: 'string', minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9._:-]+$' },
    region: { type: 'string', minLength: 1, maxLength: 40 },
  },
} as const;

/** `POST /api/ask {text, sessionId?, region?}` → the reply (DESIGN.md). */
export const askRoutes: FastifyPluginAsync<AskOptions> = async (app, { knowledge, assistant, metrics }) => {
  app.post<{ Body: { text: string; sessionId?: string; region?: string } }>(
    '/api/ask',
    { schema: { body: askBody }, attachValidation: false },
    async (request) => {
      const kb = knowledge.require();
      request.log.debug({ text: redact(request.body.text) }, 'question');
      const reply = assistant.ask(kb, request.body);
      metrics.observeReply('http', reply);
      request.log.info({ type: reply.type, intent: reply.intent, confidence: reply.confidence }, 'answered');
      return toWire(reply);
    },
  );
};
