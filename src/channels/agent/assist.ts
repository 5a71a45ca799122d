import type { FastifyPluginAsync } from 'fastify';
import type { Assistant } from '../../dialogue/assistant.js';
import { type Card, regionCard } from '../../dialogue/card.js';
import type { KnowledgeStore } from '../../kb/store.js';
import { MAX_TEXT } from '../http/ask.js';
import { errorSchema } from '../schemas.js';
import { AGENT_ONLY, type AgentAccount, authenticate } from './auth.js';
import { cardSchema, suggestionSchema } from './wire-schema.js';

export interface AssistOptions {
  knowledge: KnowledgeStore;
  assistant: Assistant;
  accounts: readonly AgentAccount[];
}

/** What a caller says, and the region the agent's line serves if any. */
const callerText = {
  type: 'object',
  required: ['text'],
  properties: {
    text: { type: 'string', minLength: 1, maxLength: MAX_TEXT, pattern: '\\S', description: 'what the caller says, 1–500 characters' },
    region: { type: 'string', minLength: 1, maxLength: 40, description: 'the city the caller is from, when the agent knows it' },
  },
  examples: [{ text: '我在大连参保，要去外地住院，异地就医备案怎么办理？' }, { text: '高血压的药一次能开几个月', region: '包头' }],
} as const;

const agentErrors = { 400: errorSchema, 401: errorSchema, 404: errorSchema } as const;

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
        description:
          'Up to three answers from different clauses for what a caller says, each cited (the same stages as a citizen’s question).',
        ...AGENT_ONLY,
        body: callerText,
        response: {
          200: {
            type: 'object',
            required: ['suggestions'],
            properties: { suggestions: { type: 'array', maxItems: 3, items: suggestionSchema } },
          },
          ...agentErrors,
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
          'The reply a citizen would get as the first turn of a conversation, and the trace of how it was reached: words, intents with scores, places and how the region was resolved, the query, the top hits with their scores and coverage, the rule that fired with the thresholds in force, the grounding check. Reads and writes no session.',
        ...AGENT_ONLY,
        body: callerText,
        response: {
          200: {
            type: 'object',
            required: ['reply', 'trace'],
            properties: {
              reply: {
                type: 'object',
                additionalProperties: true,
                description: 'the reply (as POST /api/ask, without sessionId), with `region` and the `rule` that fired',
              },
              trace: {
                type: 'object',
                additionalProperties: true,
                description:
                  'text, norm, words, intents, asks, meta, places, location, followUp, query {words, grams}, hits [{notice, clause, region, score, confidence, words, grams, text}], rule, thresholds, grounding {ok, ungrounded, action} (src/dialogue/types.ts, Trace)',
              },
            },
          },
          ...agentErrors,
        },
      },
    },
    async (request) => assistant.trace(knowledge.require(), request.body),
  );

  app.get(
    '/api/agent/regions',
    {
      schema: {
        summary: 'Regions that have notices',
        ...AGENT_ONLY,
        response: {
          200: {
            type: 'object',
            required: ['regions'],
            properties: { regions: { type: 'array', items: { type: 'string' }, examples: [['包头', '北京', '大连', '云南', '商洛']] } },
          },
          ...agentErrors,
        },
      },
    },
    async () => ({
      regions: knowledge.require().regionNames(),
    }),
  );

  app.get<{ Querystring: { region: string } }>(
    '/api/agent/card',
    {
      schema: {
        summary: 'A region’s quick-reference card',
        description:
          'What an agent reads out to a caller, from the region’s notices: phone numbers with their offices and hours, web addresses, deadlines, prescription quantities, time limits, and ratios and sums tied to a benefit; each with its sentence and clause link, and the notice’s short name.',
        ...AGENT_ONLY,
        querystring: {
          type: 'object',
          required: ['region'],
          properties: {
            region: {
              type: 'string',
              minLength: 1,
              maxLength: 40,
              description: 'a region or any name the knowledge base knows for it',
              examples: ['大连'],
            },
            token: { type: 'string', description: 'the agent token, when it cannot be sent as Authorization: Bearer' },
          },
        },
        response: { 200: cardSchema, ...agentErrors },
      },
    },
    async (request): Promise<Card> => regionCard(knowledge.require(), request.query.region),
  );
};
