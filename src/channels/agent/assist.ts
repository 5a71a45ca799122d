import type { FastifyPluginAsync } from 'fastify';
import type { Assistant } from '../../dialogue/assistant.js';
import { sentenceAround } from '../../dialogue/compose.js';
import type { Fact } from '../../ingest/facts/index.js';
import type { KnowledgeBase } from '../../kb/knowledge-base.js';
import type { KnowledgeStore } from '../../kb/store.js';
import { MAX_TEXT } from '../http/ask.js';
import { errorSchema } from '../schemas.js';
import { AGENT_ONLY, type AgentAccount, authenticate } from './auth.js';
import { CARD_TYPES, type CardEntry } from './wire.js';
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

/** A region's quick-reference card: its notices' phones, deadlines, prescription quantities …, each cited. */
export function factCard(kb: KnowledgeBase, region: string): CardEntry[] {
  const out: CardEntry[] = [];
  for (const type of CARD_TYPES) {
    const seen = new Set<string>();
    for (const f of kb.facts({ region, type }) as Fact[]) {
      const clause = kb.clause(f.clause);
      const cite = kb.citation(f.clause);
      if (!clause || !cite) continue;
      const label = f.type === 'phone' ? f.purpose : f.type === 'prescription' ? f.group : null;
      const key = `${f.text}\u0000${label ?? ''}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({
        type,
        text: f.text,
        label,
        sentence: sentenceAround(clause.quote, f.start, f.end),
        notice: cite.notice,
        clause: cite.clause,
        url: cite.url,
      });
    }
  }
  return out;
}

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
          'Phone numbers with their offices, deadlines, prescription quantities, durations, ratios, caps, amounts, codes and links from the region’s notices, each with the sentence that states it and its clause link.',
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
    async (request) => {
      const kb = knowledge.require();
      const region = kb.regions.canonical(request.query.region) ?? request.query.region;
      return { region, notices: kb.noticesOf(region).map((n) => n.id), entries: factCard(kb, region) };
    },
  );
};
