import { describe, expect, it } from 'vitest';
import { build } from '../helpers/app.js';

describe('GET /healthz', () => {
  it('answers {"status":"ok"} once the knowledge base is loaded', async () => {
    const { app } = await build();
    const res = await app.inject('/healthz');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('answers 503 before the knowledge base is loaded', async () => {
    const { app, knowledge } = await build({}, () => new Promise(() => {}), { awaitLoad: false });
    expect(knowledge.current).toBeNull();
    const res = await app.inject('/healthz');
    expect(res.statusCode).toBe(503);
  });
});

describe('GET /notices/:id', () => {
  it('renders the notice as a page with an anchor per clause id', async () => {
    const { app } = await build();
    const res = await app.inject('/notices/yunnan-2020-01');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('<section id="三.六"');
    expect(res.body).toContain('已确诊为新型冠状病毒感染的肺炎患者疾病主要诊断编码为J12.800');
    expect(res.body).toContain('云南省医疗保障局关于印发做好新型冠状病毒感染的肺炎疫情防控医疗保障经办服务工作方案的通知');
    expect(res.body).toContain('临时性措施');
  });

  it('keeps the wording of a Traditional notice, with the damage repaired and the pinyin gone', async () => {
    const { app } = await build();
    const res = await app.inject('/notices/baotou-2022-10-08');
    expect(res.body).toContain('<section id="五"');
    expect(res.body).toContain('門診特殊慢性病(門診特殊用藥)');
    expect(res.body).not.toContain('(yī)');
  });

  it('shows the by-line above the title but not the title’s broken-up repeat', async () => {
    const { app } = await build();
    const res = await app.inject('/notices/baotou-2022-10-08');
    expect(res.body).toContain('<p>包頭醫療保障 2022-10-08 18:10 發表于內蒙古</p>');
    expect(res.body).not.toContain('<p>醫療保險經辦業務的緊急通知</p>');
  });

  it('escapes the text it renders', async () => {
    const { app } = await build();
    const res = await app.inject('/notices/yunnan-2020-01');
    expect(res.body).toContain('“四个意识”');
    expect(res.body).not.toMatch(/<script/i);
  });

  it('answers JSON with clauses and facts on Accept: application/json', async () => {
    const { app } = await build();
    const res = await app.inject({ url: '/notices/dalian-2020-02-20', headers: { accept: 'application/json' } });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ id: 'dalian-2020-02-20', region: '大连', date: '2020-02-20', docNumber: null });
    const clause = body.clauses.find((c: { path: string }) => c.path === 's3.四');
    expect(clause.url).toBe(`/notices/dalian-2020-02-20#${encodeURIComponent('s3.四')}`);
    expect(body.facts.some((f: { type: string; number?: string }) => f.type === 'phone' && f.number === '83709222')).toBe(true);
  });

  it('answers 404 with an error code for an unknown id', async () => {
    const { app } = await build();
    const res = await app.inject({ url: '/notices/no-such-notice', headers: { accept: 'application/json' } });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: { code: 'HL_ERR_NOTICE_NOT_FOUND', message: 'No notice with id no-such-notice' } });
  });

  it('answers a browser’s unknown or malformed id with a Chinese 404 page, and anything else with the JSON error (issue 13, item 7)', async () => {
    const { app } = await build();
    const browser = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';
    for (const id of ['no-such-notice', encodeURIComponent('<script>alert(1)</script>')]) {
      const page = await app.inject({ url: `/notices/${id}`, headers: { accept: browser } });
      expect(page.statusCode).toBe(404);
      expect(page.headers['content-type']).toContain('text/html');
      expect(page.headers.vary).toContain('accept');
      expect(page.body).toContain('<html lang="zh-CN">');
      expect(page.body).toContain('未找到这份通知');
      expect(page.body).toContain('href="/notices"');
      expect(page.body).toContain('HL_ERR_NOTICE_NOT_FOUND');
      expect(page.body).not.toContain('<script>');
      for (const accept of ['application/json', '*/*', 'application/json, text/html', 'text/html;q=0.5, application/json']) {
        const json = await app.inject({ url: `/notices/${id}`, headers: { accept } });
        expect(json.statusCode).toBe(404);
        expect(json.json().error.code).toBe('HL_ERR_NOTICE_NOT_FOUND');
      }
      const none = await app.inject({ url: `/notices/${id}` });
      expect(none.json().error.code).toBe('HL_ERR_NOTICE_NOT_FOUND');
    }
  });

  it('lists the titles in Simplified characters, a Traditional title’s original below it (issue 13, item 7)', async () => {
    const { app } = await build();
    const res = await app.inject('/notices');
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('>关于做好新冠肺炎疫情防控期间医疗保险经办业务的紧急通知</a>');
    expect(res.body).toMatch(/<span class="original" lang="zh-Hant">原文：[^<]*醫療保險/);
    expect(res.body.match(/class="original"/g)).toHaveLength(1);
    const page = await app.inject('/notices/baotou-2022-10-08');
    expect(page.body).toContain('简体标题：关于做好新冠肺炎疫情防控期间医疗保险经办业务的紧急通知');
    expect(page.body).toContain('<main lang="zh-Hant">');
  });

  it('lists the notices at /notices', async () => {
    const { app } = await build();
    const res = await app.inject({ url: '/notices', headers: { accept: 'application/json' } });
    expect(res.json().notices.map((n: { id: string }) => n.id)).toHaveLength(5);
  });
});

describe('unknown routes and bad input', () => {
  it('answers 404 HL_ERR_ROUTE_NOT_FOUND for an unknown route', async () => {
    const { app } = await build();
    const res = await app.inject('/nope?x=1');
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('HL_ERR_ROUTE_NOT_FOUND');
  });

  it('answers 400 with a code for a body that is not JSON', async () => {
    const { app } = await build({ ADMIN_TOKEN: 'x'.repeat(20) });
    const res = await app.inject({
      method: 'POST',
      url: '/admin/reload',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${'x'.repeat(20)}` },
      payload: '{not json',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('HL_ERR_BAD_REQUEST');
  });
});
