import type { FastifyPluginAsync } from 'fastify';
import type { Assistant } from '../../dialogue/assistant.js';
import { type Card, regionCard } from '../../dialogue/card.js';
import type { KnowledgeStore } from '../../kb/store.js';
import { MAX_TEXT } from '../http/ask.js';
import { type AgentAccount, authenticate } from './auth.js';

export interface AssistOptions {
  knowledge: KnowledgeStore;
  assistant: Assistant;
  accounts: readonly AgentAccount[];
}

const citation = {
  type: 'object',
  properties: {
    notice: { type: 'string' },
    clause: { type: 'string' },
    title: { type: ['string', 'null'] },
    authority: { type: ['string', 'null'] },
    docNumber: { type: ['string', 'null'] },
    date: { type: ['string', 'null'] },
    quote: { type: 'string' },
    url: { type: 'string' },
  },
} as const;

/** What a caller says, and the region the agent's line serves if any. */
const callerText = {
  type: 'object',
  required: ['text'],
  properties: {
    text: { type: 'string', minLength: 1, maxLength: MAX_TEXT, pattern: '\\S' },
    region: { type: 'string', minLength: 1, maxLength: 40 },
  },
} as const;

const errorSchema = {
  type: 'object',
  properties: { error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' } } } },
} as const;

/**
 * Agent-only HTTP routes (Bearer agent token): `POST /api/assist {text, region?}` → the top three
 * suggestions for what a caller says; `POST /api/agent/explain {text, region?}` → a reply and how it was
 * reached; `GET /api/agent/card?region=` → the region's quick-reference card.
 */
export const assistRoutes: FastifyPluginAsync<AssistOptions> = async (app, { knowledge, assistant, accounts }) => {
  app.addHook('onRequest', async (request) => {
    authenticate(request, accounts);
  });

  app.post<{ Body: { text: string; region?: string } }>(
    '/api/assist',
    {
      schema: {
        summary: 'Suggest answers for a hotline agent',
        description: 'Up to three answers from different clauses for what a caller says, each cited. Bearer agent token.',
        security: [{ agentToken: [] }],
        body: callerText,
        response: {
          200: {
            type: 'object',
            properties: {
              suggestions: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    text: { type: 'string' },
                    citations: { type: 'array', items: citation },
                    intent: { type: 'string' },
                    confidence: { type: 'number' },
                    region: { type: 'string' },
                  },
                },
              },
            },
          },
          400: errorSchema,
          401: errorSchema,
        },
      },
    },
    async (request) => ({ suggestions: assistant.suggest(knowledge.require(), request.body) }),
  );

  app.post<{ Body: { text: string; region?: string } }>(
    '/api/agent/explain',
    {
      schema: {
        summary: 'Explain how a question is answered',
        description:
          'The reply a citizen would get as the first turn of a conversation, and the trace of how it was reached: words, intents with scores, places and how the region was resolved, the query, the top hits with their scores and coverage, the rule that fired with the thresholds in force, the grounding check. Reads and writes no session. Bearer agent token.',
        security: [{ agentToken: [] }],
        body: callerText,
        response: { 400: errorSchema, 401: errorSchema },
      },
    },
    async (request) => assistant.trace(knowledge.require(), request.body),
  );

  app.get('/api/agent/regions', { schema: { summary: 'Regions that have notices' } }, async () => ({
    regions: knowledge.require().regionNames(),
  }));

  app.get<{ Querystring: { region: string } }>(
    '/api/agent/card',
    {
      schema: {
        summary: 'A region’s quick-reference card',
        description:
          'What an agent reads out to a caller, from the region’s notices: phone numbers with their offices and hours, web addresses, deadlines, prescription quantities, time limits, and ratios and sums tied to a benefit; each with its sentence and clause link, and the notice’s short name.',
        querystring: {
          type: 'object',
          required: ['region'],
          properties: { region: { type: 'string', minLength: 1, maxLength: 40 }, token: { type: 'string' } },
        },
      },
    },
    async (request): Promise<Card> => regionCard(knowledge.require(), request.query.region),
  );
};
