import { describe, expect, it } from 'vitest';
import { redact } from '../../src/redact.js';
import { build } from '../helpers/app.js';

describe('readiness and metrics', () => {
  it('answers /readyz with the knowledge base it serves, 503 before it is loaded', async () => {
    const { app } = await build();
    const res = await app.inject('/readyz');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ready', knowledge: { notices: 5, builtAt: expect.any(String) } });
    const { app: cold } = await build({}, () => new Promise(() => {}), { awaitLoad: false });
    expect((await cold.inject('/readyz')).statusCode).toBe(503);
  });

  it('exposes request counts, latency, replies by type and intent, and handoffs in Prometheus format', async () => {
    const { app } = await build();
    await app.inject({ method: 'POST', url: '/api/ask', payload: { text: '大连透析审核怎么办' } });
    await app.inject({ method: 'POST', url: '/api/ask', payload: { text: '转人工' } });
    const res = await app.inject('/metrics');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.body).toMatch(/hl_http_requests_total\{route="\/api\/ask",method="POST",status="200"\} 2/);
    expect(res.body).toMatch(/hl_http_request_duration_seconds_bucket\{le="[\d.]+",route="\/api\/ask"\}/);
    expect(res.body).toMatch(/hl_replies_total\{channel="http",type="answer",intent="dialysis.review"\} 1/);
    expect(res.body).toMatch(/hl_handoffs_total\{reason="requested"\} 1/);
    expect(res.body).toMatch(/hl_open_sockets/);
  });

  it('shows how full the answer cache is: answers kept and their bytes (issue 12: the soak tells filling from leaking)', async () => {
    const { app } = await build();
    const fill = async () => {
      const text = (await app.inject('/metrics')).body;
      const read = (figure: string) => Number(new RegExp(`^hl_cache_fill\\{figure="${figure}"\\} (\\d+)`, 'm').exec(text)?.[1]);
      return { answers: read('answers'), bytes: read('answer_bytes') };
    };
    expect(await fill()).toEqual({ answers: 0, bytes: 0 });
    for (const sessionId of ['s1', 's2', 's3'])
      await app.inject({ method: 'POST', url: '/api/ask', payload: { text: '门诊报销比例是多少', sessionId } });
    const after = await fill();
    expect(after.answers).toBeGreaterThanOrEqual(1);
    expect(after.bytes).toBeGreaterThan(100);
  });
});

describe('HTTP protections', () => {
  it('limits requests per address with 429 and a code', async () => {
    const { app } = await build({ RATE_LIMIT_MAX: '3' });
    const codes: number[] = [];
    for (let i = 0; i < 4; i++) codes.push((await app.inject('/notices/beijing-2020-02-07')).statusCode);
    expect(codes).toEqual([200, 200, 200, 429]);
    const res = await app.inject('/notices/beijing-2020-02-07');
    expect(res.json().error.code).toBe('HL_ERR_RATE_LIMITED');
    expect(res.headers['retry-after']).toBeDefined();
    expect((await app.inject('/healthz')).statusCode).toBe(200);
  });

  it('counts the citizens behind a trusted proxy one by one (TRUST_PROXY), and a forged X-Forwarded-For not at all', async () => {
    const spend = async (app: Awaited<ReturnType<typeof build>>['app'], from: string) => {
      const codes: number[] = [];
      for (let i = 0; i < 3; i++)
        codes.push((await app.inject({ url: '/notices/beijing-2020-02-07', headers: { 'x-forwarded-for': from } })).statusCode);
      return codes;
    };
    // The balancer (127.0.0.1, as inject's requests come) is trusted: each citizen has a budget of their own.
    const { app: behind } = await build({ RATE_LIMIT_MAX: '2', TRUST_PROXY: '127.0.0.1' });
    expect(await spend(behind, '203.0.113.7')).toEqual([200, 200, 429]);
    expect(await spend(behind, '203.0.113.8')).toEqual([200, 200, 429]);
    // Not trusted: the header is ignored, one budget for all.
    const { app: direct } = await build({ RATE_LIMIT_MAX: '2' });
    expect(await spend(direct, '203.0.113.7')).toEqual([200, 200, 429]);
    expect(await spend(direct, '203.0.113.8')).toEqual([429, 429, 429]);
  });

  it('allows the configured embedding sites only', async () => {
    const { app } = await build({ CORS_ORIGINS: 'https://ybj.example.gov.cn' });
    const ok = await app.inject({ url: '/healthz', headers: { origin: 'https://ybj.example.gov.cn' } });
    expect(ok.headers['access-control-allow-origin']).toBe('https://ybj.example.gov.cn');
    const other = await app.inject({ url: '/healthz', headers: { origin: 'https://evil.example.com' } });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('sends security headers', async () => {
    const { app } = await build();
    const res = await app.inject('/notices/beijing-2020-02-07');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
  });

  it('refuses a body over the size limit with 413 and a code', async () => {
    const { app } = await build();
    const res = await app.inject({
      method: 'POST',
      url: '/api/ask',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ text: 'x'.repeat(70_000) }),
    });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('HL_ERR_BODY_TOO_LARGE');
  });
});

describe('redaction of citizen text in logs', () => {
  it('masks ID-card numbers, mobiles and landlines', () => {
    expect(redact('我的身份证110101199003077777，手机13912345678，座机0472-6970828')).toBe(
      '我的身份证110*************77，手机139****5678，座机0472****28',
    );
    expect(redact('高血压开药三个月')).toBe('高血压开药三个月');
  });

  it('masks them however they are written (issue 12: eight spellings passed the mask)', () => {
    for (const written of [
      '+8613912345678',
      '8613712345678',
      '136 1234 5678',
      '135-1234-5678',
      '１３３１２３４５６７８',
      '(0472)6970829',
      '0473 6970827',
      '110101900307451',
    ]) {
      const masked = redact(`我的号码是${written}，麻烦回电`);
      expect(masked, written).toContain('****');
      expect(masked.replace(/[^0-9０-９]/g, '').length, written).toBeLessThanOrEqual(7);
    }
    // Figures a notice answer holds are not numbers anyone is found by.
    expect(redact('2022年9月20日至2022年12月31日，360元，20220101')).toBe('2022年9月20日至2022年12月31日，360元，20220101');
  });
});

describe('API documentation', () => {
  it('serves the OpenAPI document with /api/ask, its request and reply schemas', async () => {
    const { app } = await build();
    const doc = (await app.inject('/docs/json')).json();
    expect(doc.openapi).toMatch(/^3\./);
    const ask = doc.paths['/api/ask'].post;
    expect(ask.requestBody.content['application/json'].schema.required).toEqual(['text']);
    expect(Object.keys(ask.responses)).toEqual(expect.arrayContaining(['200', '400']));
    expect(ask.responses['200'].content['application/json'].schema.properties.type.enum).toEqual([
      'answer',
      'clarify',
      'handoff',
      'fallback',
    ]);
  });

  it('serves a docs page', async () => {
    const { app } = await build();
    const res = await app.inject('/docs/');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
  });
});

describe('error paths', () => {
  it('answers the router’s own refusals with the documented body and a code (issue 12: Fastify’s shape)', async () => {
    const { app } = await build();
    const bad = await app.inject({ url: '/notices/%ff' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: { code: 'HL_ERR_BAD_REQUEST', message: expect.any(String) } });
    const allowed = await app.inject({ url: `/notices/${'a'.repeat(150)}` });
    expect(allowed.json().error.code).toBe('HL_ERR_NOTICE_NOT_FOUND');
    const long = await app.inject({ url: `/notices/${'a'.repeat(201)}` });
    expect(long.statusCode).toBe(414);
    expect(long.json()).toEqual({ error: { code: 'HL_ERR_URL_TOO_LONG', message: expect.any(String) } });
  });

  it('answers a question that arrives before the knowledge base is loaded with 503 and a code', async () => {
    const { app } = await build({}, () => new Promise(() => {}), { awaitLoad: false });
    const res = await app.inject({ method: 'POST', url: '/api/ask', payload: { text: '慢性病开药' } });
    expect(res.statusCode).toBe(503);
    expect(res.json().error.code).toBe('HL_ERR_KB_NOT_READY');
  });

  it('answers /widget.js and /console.js with 503 and a code when they are not built', async () => {
    const { app } = await build({ WIDGET_FILE: '/nonexistent/widget.js' });
    const res = await app.inject('/widget.js');
    expect(res.statusCode).toBe(503);
    expect(res.json().error.code).toBe('HL_ERR_WIDGET_MISSING');
    const consoleScript = await app.inject('/console.js');
    expect(consoleScript.statusCode).toBe(503);
    expect(consoleScript.json().error.code).toBe('HL_ERR_WIDGET_MISSING');
    expect(consoleScript.json().error.message).toContain('/nonexistent/console.js');
  });

  it('serves the built console script and the console page', async () => {
    const { app } = await build();
    const script = await app.inject('/console.js');
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toContain('javascript');
    const page = await app.inject('/agent');
    expect(page.body).toContain('<script src="/console.js" defer></script>');
  });

  it('answers an unexpected failure with 500 HL_ERR_INTERNAL and no internals', async () => {
    const { app } = await build();
    app.get('/boom', async () => {
      throw new Error('secret stack detail');
    });
    const res = await app.inject('/boom');
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ error: { code: 'HL_ERR_INTERNAL', message: 'Internal error' } });
  });
});
