import type { FastifyPluginAsync } from 'fastify';
import { HlError } from '../../errors.js';
import type { KnowledgeStore } from '../../kb/store.js';
import { errorSchema, nullableString } from '../schemas.js';
import { preferred } from './accept.js';
import { renderNoticeIndex, renderNoticeNotFound, renderNoticePage } from './notice-page.js';

export interface NoticesOptions {
  knowledge: KnowledgeStore;
}

const HTML = 'text/html; charset=utf-8';

const metaProperties = {
  id: { type: 'string' },
  title: nullableString,
  authority: nullableString,
  docNumber: nullableString,
  date: { ...nullableString, description: 'ISO date, as complete as known: 2022-10-08, 2020-01, 2020' },
  dateText: { ...nullableString, description: 'the date as the notice writes it' },
  region: nullableString,
  kind: { type: 'string', enum: ['temporary', 'standing'] },
  expires: nullableString,
  effective: nullableString,
  effectiveText: nullableString,
} as const;
const metaRequired = Object.keys(metaProperties);

const indexSchema = {
  type: 'object',
  required: ['notices'],
  properties: {
    notices: {
      type: 'array',
      items: { type: 'object', required: [...metaRequired, 'url'], properties: { ...metaProperties, url: { type: 'string' } } },
    },
  },
} as const;

const noticeSchema = {
  type: 'object',
  required: [...metaRequired, 'metaSources', 'script', 'header', 'clauses', 'facts'],
  properties: {
    ...metaProperties,
    metaSources: {
      type: 'object',
      additionalProperties: { type: 'string', enum: ['text', 'filename', 'sidecar', 'none'] },
      description: 'where each field came from',
    },
    script: { type: 'string', enum: ['simplified', 'traditional', 'mixed'] },
    header: { type: 'array', items: { type: 'string' }, description: 'letterhead paragraphs (title, 文号, by-line) that are not clauses' },
    clauses: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'path', 'kind', 'marker', 'depth', 'parent', 'heading', 'headings', 'quote', 'url'],
        properties: {
          id: { type: 'string', description: '<notice>#<path>' },
          path: { type: 'string', description: '五, 三.六, s3.四, preamble, signature …' },
          kind: { type: 'string', enum: ['preamble', 'policy', 'signature', 'attachment'] },
          marker: { type: 'string', description: 'the numbering as written (五、 （六） 1. 一是), or empty' },
          depth: { type: 'integer' },
          parent: nullableString,
          heading: nullableString,
          headings: { type: 'array', items: { type: 'string' } },
          quote: { type: 'string', description: 'the clause, exactly as published' },
          url: { type: 'string' },
        },
      },
    },
    facts: {
      type: 'array',
      description:
        'phones, dates, deadlines, durations, prescriptions, ratios, caps, amounts, codes, links, channels — each with its clause and exact text',
      items: { type: 'object', required: ['type', 'clause', 'text'], additionalProperties: true, properties: { type: { type: 'string' } } },
    },
  },
} as const;

const negotiated = (json: object, html: string) => ({
  description: 'JSON on `Accept: application/json`, else HTML',
  content: { 'application/json': { schema: json }, 'text/html': { schema: { type: 'string', description: html } } },
});

/**
 * `GET /notices` (index) and `GET /notices/:id`: HTML by default, JSON when the client prefers it
 * (`Accept: application/json`). An unknown (or malformed) id is 404 HL_ERR_NOTICE_NOT_FOUND: an HTML page
 * for a client that prefers HTML (a browser), the contract's JSON error for anything else — an API client,
 * `*\/*` or no Accept at all.
 */
export const noticesRoutes: FastifyPluginAsync<NoticesOptions> = async (app, { knowledge }) => {
  app.get(
    '/notices',
    {
      schema: {
        summary: 'The notices',
        description: 'HTML: the titles in Simplified characters, a title published in Traditional characters shown as published below it.',
        tags: ['citizens'],
        response: { 200: negotiated(indexSchema, 'the index page'), 503: errorSchema },
      },
    },
    async (request, reply) => {
      const kb = knowledge.require();
      const list = kb.notices.map((n) => ({ id: n.id, ...n.meta, url: `/notices/${encodeURIComponent(n.id)}` }));
      reply.header('vary', 'accept');
      if (preferred(request.headers.accept, ['text/html', 'application/json']) === 'application/json') return { notices: list };
      return reply.type(HTML).send(renderNoticeIndex(list));
    },
  );

  app.get<{ Params: { id: string } }>(
    '/notices/:id',
    {
      schema: {
        summary: 'A notice, with an anchor per clause',
        description:
          'HTML: the notice as published, one `<section id="<clause path>">` per clause, so `/notices/baotou-2022-10-08#五` lands on clause 五 (citations link here). JSON (`Accept: application/json`): metadata, clauses and facts. An unknown id: 404 HL_ERR_NOTICE_NOT_FOUND, as a page for a browser and as JSON for anything else.',
        tags: ['citizens'],
        params: {
          type: 'object',
          required: ['id'],
          properties: {
            id: { type: 'string', maxLength: 200, description: 'the notice’s file stem', examples: ['dalian-2020-02-20'] },
          },
        },
        response: {
          200: negotiated(noticeSchema, 'the notice page'),
          404: {
            description: 'no such notice: JSON, or a page for a client that prefers HTML',
            content: { 'application/json': { schema: errorSchema }, 'text/html': { schema: { type: 'string' } } },
          },
          503: errorSchema,
        },
      },
    },
    async (request, reply) => {
      const kb = knowledge.require();
      const { id } = request.params;
      const notice = kb.notice(id);
      reply.header('vary', 'accept');
      if (!notice) {
        const error = new HlError('HL_ERR_NOTICE_NOT_FOUND', [id]);
        if (preferred(request.headers.accept, ['application/json', 'text/html']) === 'application/json') throw error;
        request.log.info({ code: error.code }, 'request refused');
        return reply.code(404).type(HTML).send(renderNoticeNotFound(id, error.code));
      }
      if (preferred(request.headers.accept, ['text/html', 'application/json']) === 'application/json') {
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
      return reply.type(HTML).send(renderNoticePage(notice));
    },
  );
};
