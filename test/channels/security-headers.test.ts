/**
 * Issue 14: the security headers are computed once at start, not by @fastify/helmet on every request — and
 * they are the same headers @fastify/helmet sends with the service's options, on every kind of response.
 */
import helmetPlugin from '@fastify/helmet';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { HELMET_OPTIONS, securityHeaders } from '../../src/channels/security-headers.js';
import { build } from '../helpers/app.js';

/** What @fastify/helmet itself sends with the service's options (lower-case names, as inject gives them). */
async function helmetsOwn(): Promise<Record<string, string>> {
  const reference = Fastify();
  await reference.register(helmetPlugin, HELMET_OPTIONS);
  reference.get('/', async () => ({ ok: true }));
  const res = await reference.inject('/');
  await reference.close();
  const plain = new Set(['content-type', 'content-length', 'date', 'connection', 'keep-alive']);
  return Object.fromEntries(Object.entries(res.headers).filter(([name]) => !plain.has(name))) as Record<string, string>;
}

describe('the security headers (issue 14)', () => {
  it('are the headers @fastify/helmet sends with the same options, worked out once', async () => {
    const own = await helmetsOwn();
    const computed = Object.fromEntries(securityHeaders().map(([name, value]) => [name.toLowerCase(), value]));
    expect(computed).toEqual(own);
    expect(computed['content-security-policy']).toContain("style-src 'self' 'unsafe-inline'");
  });

  it('are on every kind of response the service gives, as @fastify/helmet sent them', async () => {
    const own = await helmetsOwn();
    const { app } = await build();
    const { app: limited } = await build({ RATE_LIMIT_MAX: '1' });
    await limited.inject('/notices');
    const responses = [
      await app.inject('/healthz'),
      await app.inject('/notices/beijing-2020-02-07'),
      await app.inject({ url: '/notices/no-such-notice', headers: { accept: 'text/html' } }),
      await app.inject('/no/such/route'),
      await app.inject({ method: 'POST', url: '/api/ask', payload: { text: '大连异地就医备案怎么办理？' } }),
      await app.inject({ method: 'POST', url: '/api/ask', payload: { text: 42 } }),
      await app.inject('/docs/json'),
      await app.inject('/metrics'),
      // Past the rate limit: refused before the route runs.
      await limited.inject('/notices'),
    ];
    expect(responses.map((r) => r.statusCode)).toEqual([200, 200, 404, 404, 200, 400, 200, 200, 429]);
    for (const res of responses) {
      const sent = Object.fromEntries(Object.keys(own).map((name) => [name, res.headers[name]]));
      expect(sent, `${res.statusCode} ${res.headers['content-type']}`).toEqual(own);
    }
  });
});
