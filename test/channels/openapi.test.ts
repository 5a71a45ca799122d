/**
 * The HTTP API's OpenAPI document at /docs/json (issue 13, item 8): every route summarised and tagged,
 * with a response schema and real examples that match their schemas and that the service itself accepts.
 */
import { Ajv } from 'ajv';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { TAGS } from '../../src/channels/docs/openapi.js';
import { build } from '../helpers/app.js';

const AGENT = 'alice-token-0123456789';
const ADMIN = 'admin-token-0123456789';
/** Every route on: agents, admin and WeChat. */
const EVERYTHING = { AGENT_TOKENS: `alice:${AGENT}`, ADMIN_TOKEN: ADMIN, WECHAT_TOKEN: 'hotlinetoken' };

type Json = Record<string, unknown>;
interface Operation {
  summary?: string;
  tags?: string[];
  requestBody?: { content: Record<string, { schema: Json; example?: unknown; examples?: Record<string, { value: unknown }> }> };
  responses: Record<string, { content?: Record<string, { schema?: Json }> }>;
}

async function openapi(app: FastifyInstance): Promise<[string, string, Operation][]> {
  const doc = (await app.inject('/docs/json')).json() as { paths: Record<string, Record<string, Operation>> };
  return Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => [method, path, op] as [string, string, Operation]),
  );
}

const examplesOf = (media: { example?: unknown; examples?: Record<string, { value: unknown }> }) =>
  media.example !== undefined ? [media.example] : Object.values(media.examples ?? {}).map((e) => e.value);

describe('the OpenAPI document (/docs/json)', () => {
  it('gives every operation a summary and a known tag', async () => {
    const { app } = await build(EVERYTHING);
    const ops = await openapi(app);
    expect(ops.length).toBeGreaterThanOrEqual(21);
    const tags = new Set<string>(TAGS.map((t) => t.name));
    for (const [method, path, op] of ops) {
      expect(op.summary?.trim(), `${method} ${path} summary`).toBeTruthy();
      expect(op.tags?.length, `${method} ${path} tags`).toBeGreaterThan(0);
      for (const tag of op.tags ?? []) expect(tags.has(tag), `${method} ${path} tag ${tag}`).toBe(true);
    }
  });

  it('gives every request body an example that matches its schema and is not a placeholder', async () => {
    const { app } = await build(EVERYTHING);
    const ajv = new Ajv({ strict: false });
    let bodies = 0;
    for (const [method, path, op] of await openapi(app)) {
      for (const [type, media] of Object.entries(op.requestBody?.content ?? {})) {
        bodies++;
        const examples = examplesOf(media);
        expect(examples.length, `${method} ${path} ${type} example`).toBeGreaterThan(0);
        const validate = ajv.compile(media.schema);
        for (const example of examples) {
          expect(validate(example), `${method} ${path} ${JSON.stringify(validate.errors)}`).toBe(true);
          expect(JSON.stringify(example)).not.toMatch(/"string"|lorem|foo|example/i);
        }
      }
    }
    expect(bodies).toBeGreaterThanOrEqual(5);
  });

  it('documents a response for every operation, with a schema for what it sends', async () => {
    const { app } = await build(EVERYTHING);
    for (const [method, path, op] of await openapi(app)) {
      const ok = Object.entries(op.responses).find(([status]) => status.startsWith('2'));
      expect(ok, `${method} ${path} 2xx`).toBeDefined();
      const content = Object.values(ok?.[1].content ?? {});
      expect(content.length, `${method} ${path} response content`).toBeGreaterThan(0);
      for (const media of content) expect(media.schema, `${method} ${path} response schema`).toBeDefined();
    }
  });

  it('has examples the service itself takes: each JSON example body is answered, not refused as bad', async () => {
    const { app } = await build(EVERYTHING);
    let sent = 0;
    for (const [method, path, op] of await openapi(app)) {
      const media = op.requestBody?.content['application/json'];
      if (!media) continue;
      for (const example of examplesOf(media)) {
        const url = path.replace('{id}', 'T000001');
        const res = await app.inject({
          method: method.toUpperCase() as 'POST',
          url,
          payload: example as Json,
          headers: { authorization: `Bearer ${AGENT}` },
        });
        expect([200, 404], `${method} ${path} ${res.body}`).toContain(res.statusCode);
        sent++;
      }
    }
    expect(sent).toBeGreaterThanOrEqual(7);
  });

  it('links the WebSocket protocols’ document', async () => {
    const { app } = await build();
    const doc = (await app.inject('/docs/json')).json();
    expect(doc.externalDocs.url).toBe('/docs/asyncapi');
    expect(doc.info.description).toContain('/docs/asyncapi.json');
  });
});
