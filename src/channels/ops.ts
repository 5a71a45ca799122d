import type { FastifyPluginAsync } from 'fastify';
import { HlError } from '../errors.js';
import type { OperatorsDesk } from '../ops/desk.js';
import type { ExportExpect, GroupBy, MissKind } from '../ops/types.js';
import { type AgentAccount, authenticate, OPERATORS } from './agent/auth.js';
import { errorSchema } from './schemas.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The operator signed in (OPERATOR_TOKENS), on the operators' routes. */
    operator: AgentAccount | null;
  }
}

export interface OpsOptions {
  desk: OperatorsDesk;
  accounts: readonly AgentAccount[];
}

const OPS_ONLY = { tags: ['operators'], security: [{ operatorToken: [] }] };
/** What every operators' route may refuse with, besides its own. */
const REFUSALS = { 400: errorSchema, 401: errorSchema, 404: errorSchema } as const;
/** A response the desk's page reads as a whole; its shape is src/ops/types.ts's (and README's). */
const anyObject = (description: string) => ({ type: 'object', additionalProperties: true, description });

const MISS_KINDS: MissKind[] = ['handoff', 'fallback', 'low_confidence', 'down_vote', 'low_rating'];
/** Query values are strings (nothing is coerced): 1–90 days. */
const DAYS = { type: 'string', pattern: '^(?:[1-9]|[1-8]\\d|90)$', description: 'the last this many days, 1–90 (default 30)' };
/** Staged file names: a notice's stem and .txt, or its sidecar's .yaml/.yml. */
const STAGED_NAME = { type: 'string', pattern: '^[\\p{L}\\p{N}][\\p{L}\\p{N}._-]{0,150}\\.(?:txt|ya?ml)$', maxLength: 160 };
const SET_NAME = { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,39}$' };
const REPLY_TYPES = ['answer', 'clarify', 'handoff', 'fallback'];

/**
 * The operators' desk's routes (issue 16), every one behind an operator token (OPERATOR_TOKENS): what the
 * assistant missed, grouped and as trends; labelled sets exported from it; staged notices previewed, published and
 * rolled back; notices' expiry. The page at /ops (src/operators/desk/) reads these.
 */
export const opsRoutes: FastifyPluginAsync<OpsOptions> = async (app, { desk, accounts }) => {
  app.decorateRequest('operator', null);
  app.addHook('onRequest', async (request) => {
    request.operator = authenticate(request, accounts, OPERATORS);
  });
  const who = (request: { operator: AgentAccount | null }) => request.operator as AgentAccount;

  app.get(
    '/api/ops/me',
    {
      schema: {
        summary: 'The operator signed in',
        ...OPS_ONLY,
        response: {
          200: { type: 'object', required: ['id', 'name'], properties: { id: { type: 'string' }, name: { type: 'string' } } },
          ...REFUSALS,
        },
      },
    },
    async (request) => ({ id: who(request).id, name: who(request).name }),
  );

  app.get<{ Querystring: { days?: string; kind?: MissKind; region?: string; intent?: string; limit?: string } }>(
    '/api/ops/misses',
    {
      schema: {
        summary: 'Misses, newest first',
        description:
          'Every question the assistant could not answer well: a handoff for unanswered/not_covered, a fallback, an answer under OPS_LOW_CONFIDENCE, a 👎, a chat rated below 满意 — redacted, with region, intent, the rule and the closest clauses.',
        ...OPS_ONLY,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            days: DAYS,
            kind: { type: 'string', enum: MISS_KINDS },
            region: { type: 'string', maxLength: 40 },
            intent: { type: 'string', maxLength: 80 },
            limit: { type: 'string', pattern: '^(?:[1-9]\\d{0,2}|1000)$', description: 'at most this many, 1–1000 (default 200)' },
          },
        },
        response: {
          200: {
            type: 'object',
            required: ['misses'],
            properties: { misses: { type: 'array', items: anyObject('a miss (src/ops/types.ts)') } },
          },
          ...REFUSALS,
        },
      },
    },
    async (request) => {
      const { days, kind, region, intent, limit } = request.query;
      return {
        misses: await desk.misses({
          days: Number(days ?? 30),
          limit: Number(limit ?? 200),
          ...(kind ? { kind } : {}),
          ...(region ? { region } : {}),
          ...(intent ? { intent } : {}),
        }),
      };
    },
  );

  app.get<{ Querystring: { by?: GroupBy; days?: string; kind?: MissKind; region?: string; intent?: string } }>(
    '/api/ops/groups',
    {
      schema: {
        summary: 'Misses grouped by similar question, region or intent',
        description:
          'Groups with their counts per day, kinds, sample questions and what the bot replied, and the closest clauses; by similar question the groups come from clustering the questions’ jieba terms.',
        ...OPS_ONLY,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            by: { type: 'string', enum: ['question', 'region', 'intent'] },
            days: DAYS,
            kind: { type: 'string', enum: MISS_KINDS },
            region: { type: 'string', maxLength: 40 },
            intent: { type: 'string', maxLength: 80 },
          },
        },
        response: { 200: anyObject('GroupsResponse (src/ops/types.ts)'), ...REFUSALS },
      },
    },
    async (request) => {
      const { by, days, kind, region, intent } = request.query;
      return desk.groups({
        by: by ?? 'question',
        days: Number(days ?? 30),
        ...(kind ? { kind } : {}),
        ...(region ? { region } : {}),
        ...(intent ? { intent } : {}),
      });
    },
  );

  app.get<{ Querystring: { days?: string } }>(
    '/api/ops/trends',
    {
      schema: {
        summary: 'Questions per day by channel and reply type, top unanswered topics, 👍/👎 and ratings over time',
        ...OPS_ONLY,
        querystring: { type: 'object', additionalProperties: false, properties: { days: DAYS } },
        response: { 200: anyObject('TrendsResponse (src/ops/types.ts)'), ...REFUSALS },
      },
    },
    async (request) => desk.trends(Number(request.query.days ?? 30)),
  );

  app.post<{ Body: { ids: number[]; name: string; tags?: string[] } & Omit<ExportExpect, 'type'> & { types?: ExportExpect['type'] } }>(
    '/api/ops/export',
    {
      schema: {
        summary: 'Export misses as a labelled set',
        description:
          'The questions of the misses named, one item each, with what the operator expects of them (`types`: the reply types that pass, answer when none is given; the notice to cite; words to include or exclude), in the eval format (shared/eval/README.md); kept as ops-<name>.jsonl and scored with every staged notice.',
        ...OPS_ONLY,
        body: {
          type: 'object',
          required: ['ids', 'name'],
          additionalProperties: false,
          properties: {
            ids: { type: 'array', minItems: 1, maxItems: 500, items: { type: 'integer', minimum: 1 } },
            name: SET_NAME,
            tags: { type: 'array', maxItems: 10, items: { type: 'string', pattern: '^[\\p{L}\\p{N}_-]{1,30}$' } },
            types: { type: 'array', minItems: 1, maxItems: 4, uniqueItems: true, items: { type: 'string', enum: REPLY_TYPES } },
            notice: { type: 'string', maxLength: 200 },
            include: {
              type: 'array',
              maxItems: 10,
              items: { type: 'array', minItems: 1, maxItems: 10, items: { type: 'string', minLength: 1, maxLength: 50 } },
            },
            exclude: { type: 'array', maxItems: 10, items: { type: 'string', minLength: 1, maxLength: 50 } },
          },
          examples: [{ ids: [1, 2], name: 'long-term-care', types: ['answer'], notice: 'dalian-2020-02-20', include: [['长期护理']] }],
        },
        response: {
          200: {
            type: 'object',
            required: ['name', 'file', 'items', 'jsonl'],
            properties: { name: { type: 'string' }, file: { type: 'string' }, items: { type: 'integer' }, jsonl: { type: 'string' } },
          },
          ...REFUSALS,
        },
      },
    },
    async (request) => {
      const { ids, name, tags, types, notice, include, exclude } = request.body;
      const expect: ExportExpect = {
        type: types ?? ['answer'],
        ...(notice ? { notice } : {}),
        ...(include ? { include } : {}),
        ...(exclude ? { exclude } : {}),
      };
      return desk.exportSet({ ids, name, ...(tags ? { tags } : {}), expect, operator: who(request).id });
    },
  );

  app.get(
    '/api/ops/sets',
    {
      schema: {
        summary: 'The labelled sets operators exported',
        ...OPS_ONLY,
        response: {
          200: {
            type: 'object',
            required: ['sets'],
            properties: {
              sets: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['name', 'file', 'items', 'at'],
                  properties: { name: { type: 'string' }, file: { type: 'string' }, items: { type: 'integer' }, at: { type: 'integer' } },
                },
              },
            },
          },
          ...REFUSALS,
        },
      },
    },
    async () => ({ sets: await desk.sets() }),
  );

  app.get<{ Params: { name: string } }>(
    '/api/ops/sets/:name',
    {
      schema: {
        summary: 'One exported labelled set, as a file (JSONL)',
        ...OPS_ONLY,
        params: { type: 'object', required: ['name'], properties: { name: SET_NAME } },
        response: { 200: { type: 'string', description: 'the set, one JSON item a line' }, ...REFUSALS },
      },
    },
    async (request, reply) => {
      const { file, jsonl } = await desk.set(request.params.name);
      return reply.type('application/x-ndjson; charset=utf-8').header('content-disposition', `attachment; filename="${file}"`).send(jsonl);
    },
  );

  app.get(
    '/api/ops/staging',
    {
      schema: {
        summary: 'The notices and sidecars waiting in staging',
        ...OPS_ONLY,
        response: {
          200: { type: 'object', required: ['files'], properties: { files: { type: 'array', items: stagedSchema } } },
          ...REFUSALS,
        },
      },
    },
    async () => ({ files: await desk.staged() }),
  );

  // A notice comes as its file's bytes, whatever their encoding (GBK, Big5, UTF-8: ingestion decodes them).
  app.addContentTypeParser(['application/octet-stream', 'text/plain'], { parseAs: 'buffer', bodyLimit: 2 * 2 ** 20 }, (_r, body, done) =>
    done(null, body),
  );
  app.put<{ Params: { name: string }; Body: Buffer }>(
    '/api/ops/staging/:name',
    {
      bodyLimit: 2 * 2 ** 20,
      schema: {
        summary: 'Stage a notice (.txt) or its sidecar (.yaml)',
        description:
          'The file’s bytes as they are (application/octet-stream), at most 2 MB; a sidecar is checked now. Replaces a staged file of the same name. Nothing goes live before a publish.',
        ...OPS_ONLY,
        params: { type: 'object', required: ['name'], properties: { name: STAGED_NAME } },
        response: { 200: stagedSchema, ...REFUSALS, 413: errorSchema, 415: errorSchema },
      },
    },
    async (request) => {
      // The file as bytes: a JSON or form body is not a notice.
      if (!Buffer.isBuffer(request.body))
        throw new HlError('HL_ERR_UNSUPPORTED_MEDIA_TYPE', [
          `${request.headers['content-type']}: send the file as application/octet-stream`,
        ]);
      return desk.stage(request.params.name, request.body);
    },
  );

  app.delete<{ Params: { name: string } }>(
    '/api/ops/staging/:name',
    {
      schema: {
        summary: 'Take a file out of staging',
        ...OPS_ONLY,
        params: { type: 'object', required: ['name'], properties: { name: STAGED_NAME } },
        response: {
          200: { type: 'object', required: ['removed'], properties: { removed: { type: 'string', description: 'the file taken out' } } },
          ...REFUSALS,
        },
      },
    },
    async (request) => {
      await desk.unstage(request.params.name);
      return { removed: request.params.name };
    },
  );

  app.post(
    '/api/ops/preview',
    {
      schema: {
        summary: 'Preview what staging would change',
        description:
          'Builds the knowledge base with the staged files laid over the live ones: the build report of the staged notices, a per-clause diff against the live knowledge base, and the labelled sets scored on both, with every reply that would change. 409 HL_ERR_NOTHING_STAGED.',
        ...OPS_ONLY,
        response: { 200: anyObject('the preview (README, Operators’ desk)'), ...REFUSALS, 409: errorSchema },
      },
    },
    async () => desk.preview(),
  );

  app.post<{ Body: { fingerprint: string; confirm?: boolean; note?: string } }>(
    '/api/ops/publish',
    {
      schema: {
        summary: 'Publish what is staged',
        description:
          'Swaps the staged files into the live knowledge base atomically (on every instance, as a reload does) and records who, when and what changed. The fingerprint is the preview’s: 409 HL_ERR_STAGED_CHANGED when staging changed since. 409 HL_ERR_EVAL_BELOW_FLOOR when the staged knowledge passes fewer labelled items than OPS_EVAL_FLOOR, unless confirm is true.',
        ...OPS_ONLY,
        body: {
          type: 'object',
          required: ['fingerprint'],
          additionalProperties: false,
          properties: {
            fingerprint: { type: 'string', pattern: '^[0-9a-f]{8,64}$' },
            confirm: { type: 'boolean' },
            note: { type: 'string', maxLength: 200 },
          },
          examples: [{ fingerprint: '3f2a9c1e7b4d5a60', note: '新增长期护理保险通知' }],
        },
        response: { 200: anyObject('the publish record'), ...REFUSALS, 409: errorSchema, 500: errorSchema },
      },
    },
    async (request) => desk.publish({ ...request.body, operator: who(request).id }),
  );

  app.get(
    '/api/ops/publishes',
    {
      schema: {
        summary: 'Publishes and rollbacks, newest first',
        ...OPS_ONLY,
        response: {
          200: { type: 'object', required: ['publishes'], properties: { publishes: { type: 'array', items: anyObject('a record') } } },
          ...REFUSALS,
        },
      },
    },
    async () => ({ publishes: await desk.history() }),
  );

  app.post(
    '/api/ops/rollback',
    {
      schema: {
        summary: 'Roll back the latest publish',
        description:
          'Puts back the files the latest publish not yet rolled back replaced, removes those it added, and reloads. 409 HL_ERR_NOTHING_TO_ROLL_BACK.',
        ...OPS_ONLY,
        response: { 200: anyObject('the rollback record'), ...REFUSALS, 409: errorSchema, 500: errorSchema },
      },
    },
    async (request) => desk.rollback(who(request).id),
  );

  app.get<{ Querystring: { days?: string } }>(
    '/api/ops/expiry',
    {
      schema: {
        summary: 'Temporary notices: expired, expiring soon, and those without an end date',
        ...OPS_ONLY,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { days: { type: 'string', pattern: '^(?:[1-9]\\d{0,1}|[12]\\d{2}|3[0-5]\\d|36[0-5])$' } },
        },
        response: { 200: anyObject('{today, expired, soon, open}'), ...REFUSALS },
      },
    },
    async (request) => desk.expiry(request.query.days ? Number(request.query.days) : undefined),
  );

  app.post<{ Body: { notice: string; expires: string | null } }>(
    '/api/ops/expiry',
    {
      schema: {
        summary: 'Set (or clear) a notice’s end date',
        description:
          'Stages the notice’s sidecar with kind temporary and the date (null clears it); the change goes live with the next publish, after its preview.',
        ...OPS_ONLY,
        body: {
          type: 'object',
          required: ['notice', 'expires'],
          additionalProperties: false,
          properties: {
            notice: { type: 'string', pattern: '^[\\p{L}\\p{N}][\\p{L}\\p{N}._-]*$', maxLength: 150 },
            expires: { type: ['string', 'null'], pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
          },
          examples: [{ notice: 'beijing-2020-02-07', expires: '2020-06-30' }],
        },
        response: { 200: { type: 'object', required: ['staged'], properties: { staged: stagedSchema } }, ...REFUSALS, 409: errorSchema },
      },
    },
    async (request) => ({ staged: await desk.setExpiry(request.body.notice, request.body.expires) }),
  );
};

const stagedSchema = {
  type: 'object',
  required: ['name', 'size', 'at'],
  properties: {
    name: { type: 'string' },
    size: { type: 'integer' },
    at: { type: 'integer', description: 'when staged (epoch ms)' },
    problem: {
      type: 'string',
      description: 'why a file dropped into staging by hand cannot be published (its name, an unreadable notice, an invalid sidecar)',
    },
  },
} as const;
