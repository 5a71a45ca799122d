/**
 * The WebSocket protocols' AsyncAPI document at /docs/asyncapi.json (issue 13, item 8): valid by the
 * official AsyncAPI 3.0.0 JSON Schema, built from the very frame schemas the server validates with, and
 * readable as a page at /docs/asyncapi.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { agentClientFrames, agentServerFrames } from '../../src/channels/agent/frames.js';
import { MAX_TEXT } from '../../src/channels/http/ask.js';
import { chatClientFrames, chatServerFrames } from '../../src/channels/web/frames.js';
import { build } from '../helpers/app.js';
import { ROOT } from '../helpers/knowledge.js';

type Json = Record<string, unknown>;

/** The official AsyncAPI 3.0.0 JSON Schema (draft-07), from @asyncapi/specs. */
function asyncapiValidator() {
  const schema = JSON.parse(readFileSync(join(ROOT, 'node_modules/@asyncapi/specs/schemas/3.0.0.json'), 'utf8'));
  // The schema embeds draft-07's meta-schema under its own id: ajv's built-in copy would clash with it.
  // Formats (uri …) are not checked: the project has no format plugin of its own.
  const ajv = new Ajv({ strict: false, allErrors: true, meta: false, validateSchema: false, validateFormats: false });
  return ajv.compile(schema);
}

/** The object a local `$ref` points to. */
function resolve(doc: Json, ref: string): Json | undefined {
  return ref
    .replace(/^#\//, '')
    .split('/')
    .reduce<Json | undefined>((at, key) => at?.[key] as Json | undefined, doc);
}

function refsIn(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) refsIn(v, out);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string') out.push(v);
      else refsIn(v, out);
    }
  }
  return out;
}

describe('the AsyncAPI document (/docs/asyncapi.json)', () => {
  it('is valid AsyncAPI 3.0.0 by the official JSON Schema, and the schema does refuse a broken one', async () => {
    const { app } = await build();
    const res = await app.inject('/docs/asyncapi.json');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/json');
    const doc = res.json();
    const validate = asyncapiValidator();
    expect(validate(doc), JSON.stringify(validate.errors?.slice(0, 5))).toBe(true);
    const broken = structuredClone(doc);
    broken.operations['chat.send'].action = 'publish';
    broken.channels.chat.address = 5;
    expect(validate(broken)).toBe(false);
  });

  it('describes /ws/chat and /ws/agent with the very schemas the server validates with, and every reference resolves', async () => {
    const { app } = await build();
    const doc = (await app.inject('/docs/asyncapi.json')).json();
    expect(doc.asyncapi).toBe('3.0.0');
    expect(doc.channels.chat.address).toBe('/ws/chat');
    expect(doc.channels.agent.address).toBe('/ws/agent');
    const lists = {
      'chat.client': chatClientFrames(MAX_TEXT),
      'chat.server': chatServerFrames,
      'agent.client': agentClientFrames(MAX_TEXT),
      'agent.server': agentServerFrames,
    };
    for (const [prefix, specs] of Object.entries(lists)) {
      for (const spec of specs) {
        const message = doc.components.messages[`${prefix}.${spec.type}`];
        expect(message?.payload, `${prefix}.${spec.type}`).toEqual(spec.schema);
        expect(message.examples.map((e: { payload: unknown }) => e.payload)).toEqual(spec.examples);
      }
    }
    for (const ref of refsIn(doc)) expect(resolve(doc, ref), ref).toBeDefined();
    // An operation's messages are its channel's (AsyncAPI 3.0: a subset of them).
    for (const op of Object.values(doc.operations) as { channel: { $ref: string }; messages: { $ref: string }[] }[]) {
      for (const m of op.messages) expect(m.$ref.startsWith(`${op.channel.$ref}/messages/`)).toBe(true);
    }
    expect(doc.operations['chat.receive'].action).toBe('receive');
    expect(doc.operations['agent.send'].security).toEqual([
      { $ref: '#/components/securitySchemes/agentBearer' },
      { $ref: '#/components/securitySchemes/agentQueryToken' },
    ]);
    expect(doc.components.securitySchemes.agentQueryToken).toMatchObject({ type: 'httpApiKey', in: 'query', name: 'token' });
  });

  it('is readable at /docs/asyncapi: channels, messages and their fields, nothing from elsewhere', async () => {
    const { app } = await build();
    const res = await app.inject('/docs/asyncapi');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    for (const text of [
      '/ws/chat',
      '/ws/agent',
      'resumeToken',
      'reply.citations[].quote',
      'queue',
      'Authorization: Bearer',
      '大连异地就医备案怎么办理？',
    ])
      expect(res.body).toContain(text);
    expect(res.body).not.toMatch(/<script|https?:\/\//);
  });
});
