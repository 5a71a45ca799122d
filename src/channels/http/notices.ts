import type { FastifyPluginAsync } from 'fastify';
import { HlError } from '../../errors.js';
import type { KnowledgeStore } from '../../kb/store.js';
import { escapeHtml, renderNoticePage } from './notice-page.js';

export interface NoticesOptions {
  knowledge: KnowledgeStore;
}

function wantsJson(accept: string | undefined): boolean {
  if (!accept) return false;
  const json = accept.indexOf('application/json');
  const html = accept.indexOf('text/html');
  return json >= 0 && (html < 0 || json < html);
}

/** `GET /notices` (index) and `GET /notices/:id`: HTML by default, JSON on `Accept: application/json`. */
export const noticesRoutes: FastifyPluginAsync<NoticesOptions> = async (app, { knowledge }) => {
  app.get('/notices', async (request, reply) => {
    const kb = knowledge.require();
    const list = kb.notices.map((n) => ({ id: n.id, ...n.meta, url: `/notices/${encodeURIComponent(n.id)}` }));
    if (wantsJson(request.headers.accept)) return { notices: list };
    const items = list
      .map(
        (n) =>
          `<li><a href="${escapeHtml(n.url)}">${escapeHtml(n.title ?? n.id)}</a> — ${escapeHtml(n.region ?? '')} ${escapeHtml(n.date ?? '')}</li>`,
      )
      .join('');
    return reply
      .type('text/html; charset=utf-8')
      .send(
        `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>通知</title></head><body><h1>通知</h1><ul>${items}</ul></body></html>`,
      );
  });

  app.get<{ Params: { id: string } }>(
    '/notices/:id',
    { schema: { params: { type: 'object', properties: { id: { type: 'string', minLength: 1, maxLength: 200 } }, required: ['id'] } } },
    async (request, reply) => {
      const kb = knowledge.require();
      const notice = kb.notice(request.params.id);
      if (!notice) throw new HlError('HL_ERR_NOTICE_NOT_FOUND', [request.params.id]);
      reply.header('vary', 'accept');
      if (wantsJson(request.headers.accept)) {
        return {
          id: notice.id,
          ...notice.meta,
          metaSources: notice.metaSources,
          script: notice.script,
          header: notice.header,
          clauses: notice.clauses.map((c) => ({
            id: c.id,
            path: c.path,
            kind: c.kind,
            marker: c.marker,
            depth: c.depth,
            parent: c.parent,
            heading: c.heading,
            headings: c.headings,
            quote: c.quote,
            url: `/notices/${encodeURIComponent(notice.id)}#${encodeURIComponent(c.path)}`,
          })),
          facts: notice.facts,
        };
      }
      return reply.type('text/html; charset=utf-8').send(renderNoticePage(notice));
    },
  );
};
