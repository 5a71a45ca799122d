import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { HlError } from '../errors.js';
import type { HandoffDesk } from '../handoff/desk.js';
import type { KnowledgeStore } from '../kb/store.js';

export interface AdminOptions {
  knowledge: KnowledgeStore;
  token: string | null;
  desk: HandoffDesk;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** The admin token, compared in constant time whatever the length given (both sides hashed, as agents' tokens are). */
function authorized(request: FastifyRequest, token: string): boolean {
  const header = request.headers.authorization ?? '';
  const given = header.startsWith('Bearer ') ? header.slice(7) : '';
  return timingSafeEqual(digest(given), digest(token)) && given !== '';
}

/**
 * `POST /admin/reload` (Bearer ADMIN_TOKEN): rebuild the knowledge base from disk and swap it in. A failed
 * reload answers 500 HL_ERR_KB_RELOAD_FAILED and the previous knowledge base keeps serving.
 */
export const adminRoutes: FastifyPluginAsync<AdminOptions> = async (app, { knowledge, token, desk }) => {
  app.addHook('onRequest', async (request) => {
    if (token === null) throw new HlError('HL_ERR_ADMIN_DISABLED');
    if (!authorized(request, token)) throw new HlError('HL_ERR_UNAUTHORIZED');
  });

  app.post('/admin/reload', async (request) => {
    const result = await knowledge.reload();
    if (!result.ok) {
      request.log.error({ err: result.error }, 'knowledge reload failed; previous knowledge base kept');
      throw result.error;
    }
    request.log.info({ counts: result.kb.counts }, 'knowledge reloaded');
    return { status: 'reloaded', builtAt: result.kb.builtAt, ...result.kb.counts, skipped: result.kb.skipped };
  });

  /** 好差评 for the operators: the newest first, with what each was about (the answer's source and intent, or the agent). */
  app.get<{ Querystring: { kind?: 'answer' | 'chat'; vote?: 'up' | 'down'; limit?: number } }>(
    '/admin/feedback',
    {
      schema: {
        summary: 'Citizens’ feedback on answers and chats, newest first',
        tags: ['admin'],
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            kind: { type: 'string', enum: ['answer', 'chat'] },
            vote: { type: 'string', enum: ['up', 'down'] },
            limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
          },
        },
      },
    },
    async (request) => ({ feedback: desk.listFeedback(request.query) }),
  );
};
