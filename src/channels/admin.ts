import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { HlError } from '../errors.js';
import type { HandoffDesk } from '../handoff/desk.js';
import type { KnowledgeStore, ReloadResult } from '../kb/store.js';
import { errorSchema, feedbackSchema } from './schemas.js';

export interface AdminOptions {
  knowledge: KnowledgeStore;
  token: string | null;
  desk: HandoffDesk;
  /** How a reload is done: on every instance with Redis; the knowledge store's own when not given. */
  reload?: () => Promise<ReloadResult>;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** The admin token, compared in constant time whatever the length given (both sides hashed, as agents' tokens are). */
function authorized(request: FastifyRequest, token: string): boolean {
  const header = request.headers.authorization ?? '';
  const given = header.startsWith('Bearer ') ? header.slice(7) : '';
  return timingSafeEqual(digest(given), digest(token)) && given !== '';
}

/**
 * `POST /admin/reload` (Bearer ADMIN_TOKEN): rebuild the knowledge base from disk and swap it in (and, with
 * Redis, on every instance). A failed reload answers 500 HL_ERR_KB_RELOAD_FAILED and the previous knowledge
 * base keeps serving.
 */
export const adminRoutes: FastifyPluginAsync<AdminOptions> = async (app, { knowledge, token, desk, reload = () => knowledge.reload() }) => {
  app.addHook('onRequest', async (request) => {
    if (token === null) throw new HlError('HL_ERR_ADMIN_DISABLED');
    if (!authorized(request, token)) throw new HlError('HL_ERR_UNAUTHORIZED');
  });

  app.post(
    '/admin/reload',
    {
      schema: {
        summary: 'Reload the knowledge base from disk',
        description:
          'Rebuilds the knowledge base from KNOWLEDGE_DIR and swaps it in atomically; with REDIS_URL every other instance then reloads too. A failed reload answers 500 HL_ERR_KB_RELOAD_FAILED (or HL_ERR_KB_EMPTY) with the reason, and the previous knowledge base keeps serving. 404 HL_ERR_ADMIN_DISABLED while no ADMIN_TOKEN is configured.',
        tags: ['operations'],
        security: [{ adminToken: [] }],
        response: {
          200: {
            type: 'object',
            required: ['status', 'builtAt', 'notices', 'clauses', 'facts', 'skipped'],
            properties: {
              status: { type: 'string', const: 'reloaded' },
              builtAt: { type: 'string' },
              notices: { type: 'integer' },
              clauses: { type: 'integer' },
              facts: { type: 'integer' },
              skipped: {
                type: 'array',
                description: 'the notice files that could not be read, with why',
                items: { type: 'object', additionalProperties: true },
              },
            },
          },
          401: errorSchema,
          404: errorSchema,
          500: errorSchema,
        },
      },
    },
    async (request) => {
      const result = await reload();
      if (!result.ok) {
        request.log.error({ err: result.error }, 'knowledge reload failed; previous knowledge base kept');
        throw result.error;
      }
      request.log.info({ counts: result.kb.counts }, 'knowledge reloaded');
      return { status: 'reloaded', builtAt: result.kb.builtAt, ...result.kb.counts, skipped: result.kb.skipped };
    },
  );

  /** 好差评 for the operators: the newest first, with what each was about (the answer's source and intent, or the agent). */
  app.get<{ Querystring: { kind?: 'answer' | 'chat'; vote?: 'up' | 'down'; limit?: string } }>(
    '/admin/feedback',
    {
      schema: {
        summary: 'Citizens’ feedback on answers and chats, newest first',
        description:
          '好差评 as citizens gave it: 👍/👎 on an answer (with the reason and comment, the answer’s first source and intent) and 1–5 on a chat with a person (with the agent). 404 HL_ERR_ADMIN_DISABLED while no ADMIN_TOKEN is configured.',
        tags: ['operations'],
        security: [{ adminToken: [] }],
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            kind: { type: 'string', enum: ['answer', 'chat'] },
            vote: { type: 'string', enum: ['up', 'down'] },
            // Query values are strings (nothing is coerced): 1–1000.
            limit: { type: 'string', pattern: '^(?:[1-9]\\d{0,2}|1000)$', description: 'at most this many, 1–1000 (default 100)' },
          },
        },
        response: {
          200: { type: 'object', required: ['feedback'], properties: { feedback: { type: 'array', items: feedbackSchema } } },
          400: errorSchema,
          401: errorSchema,
          404: errorSchema,
        },
      },
    },
    async (request) => {
      const { kind, vote, limit } = request.query;
      return { feedback: await desk.listFeedback({ ...(kind ? { kind } : {}), ...(vote ? { vote } : {}), limit: Number(limit ?? 100) }) };
    },
  );
};
