import type { FastifyPluginAsync } from 'fastify';
import type { Reply } from '../../dialogue/reply.js';
import type { Concierge } from '../../handoff/concierge.js';
import type { KnowledgeStore } from '../../kb/store.js';
import { redact } from '../../redact.js';
import { answerExample, clarifyExample, EXAMPLE_SESSION } from '../examples.js';
import type { Metrics } from '../metrics.js';
import { errorSchema, replySchema } from '../schemas.js';

export interface AskOptions {
  knowledge: KnowledgeStore;
  concierge: Concierge;
  metrics: Metrics;
  newId: () => string;
}

export const MAX_TEXT = 500;

/** The reply as clients receive it (DESIGN.md), on every channel. */
export type WireReply = Omit<Reply, 'region' | 'rule' | 'candidates'>;

export function toWire(reply: Reply): WireReply {
  const { region: _region, rule: _rule, candidates: _candidates, ...wire } = reply;
  return wire;
}

const askBody = {
  type: 'object',
  required: ['text'],
  properties: {
    text: { type: 'string', minLength: 1, maxLength: MAX_TEXT, pattern: '\\S', description: 'the question, 1–500 characters, not blank' },
    sessionId: {
      type: 'string',
      minLength: 1,
      maxLength: 128,
      pattern: '^[A-Za-z0-9_.:-]+$',
      description: 'carries the conversation across turns (region, last topic); the reply gives one when omitted',
    },
    region: {
      type: 'string',
      minLength: 1,
      maxLength: 40,
      description: 'the city the channel serves: the default when the question names none',
    },
  },
  examples: [{ text: '大连异地就医备案怎么办理？' }, { text: '慢性病处方一次能开多久的药？', sessionId: EXAMPLE_SESSION, region: '包头' }],
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
        tags: ['citizens'],
        body: askBody,
        response: {
          200: { ...replySchema, examples: [answerExample, clarifyExample] },
          400: errorSchema,
          409: errorSchema,
          429: errorSchema,
          503: errorSchema,
        },
      },
    },
    async (request) => {
      const kb = knowledge.require();
      request.log.debug({ text: redact(request.body.text) }, 'question');
      const { text, region } = request.body;
      const sessionId = request.body.sessionId ?? newId();
      const outcome = await concierge.handle(kb, { sessionId, channel: 'api', text, origin: request.ip, ...(region ? { region } : {}) });
      const reply = outcome.reply;
      if (outcome.kind === 'bot') metrics.observeReply('http', reply);
      // On the request's one info line (issue 14).
      request.logged = { type: reply.type, intent: reply.intent, confidence: reply.confidence, rule: reply.rule };
      return outcome.kind === 'bot' ? { ...toWire(reply), seq: outcome.seq } : toWire(reply);
    },
  );
};
