/**
 * The operators' desk's routes (issue 16): a role of its own, the misses grouped and counted, a group exported as
 * a labelled set that the eval command runs, and the notices' end dates.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { readItems, score } from '../../src/eval/score.js';
import { projectAssistant } from '../helpers/assistant.js';
import { projectKnowledge, ROOT } from '../helpers/knowledge.js';
import { AGENT, OPERATOR, opsApp } from '../helpers/ops.js';

const desk = opsApp;
const run = promisify(execFile);

describe('the operators’ desk routes', () => {
  it('let only operators in: an agent’s token, no token and a wrong one are refused; off without OPERATOR_TOKENS', async () => {
    const { get } = await desk();
    expect((await get('/api/ops/me')).json()).toEqual({ id: 'wang', name: '王工' });
    for (const token of [AGENT, '', 'op-token-0123456789abcdeX']) {
      const res = await get('/api/ops/me', token);
      expect([res.statusCode, res.json().error.code]).toEqual([401, 'HL_ERR_OPS_UNAUTHORIZED']);
    }
    // An operator's token opens no agent route.
    expect((await get('/api/agent/tickets', OPERATOR)).statusCode).toBe(401);
    const off = await desk({ OPERATOR_TOKENS: '' });
    const res = await off.get('/api/ops/groups');
    expect([res.statusCode, res.json().error.code]).toEqual([404, 'HL_ERR_OPS_DISABLED']);
  });

  it('groups what the assistant missed by similar question, region and intent, with samples, replies and the closest clauses', async () => {
    const { get, ask } = await desk();
    for (const q of ['大连长期护理保险怎么申请', '大连长期护理保险在哪里申请', '大连申请长期护理保险要什么材料', '今天天气怎么样'])
      await ask(q);
    await ask('包头门诊报销比例多少');
    const byQuestion = (await get('/api/ops/groups?by=question&days=7')).json();
    expect(byQuestion.total).toBe(4);
    expect(byQuestion.days).toHaveLength(7);
    const care = byQuestion.groups[0];
    expect(care.count).toBe(3);
    expect(care.label).toMatch(/护理/);
    expect(care.perDay.at(-1)).toBe(3);
    expect(care.kinds).toEqual({ handoff: 3 });
    expect(care.samples.map((s: { text: string }) => s.text)).toContain('大连长期护理保险怎么申请');
    expect(care.samples[0].reply).toMatch(/人工/);
    expect(care.clauses[0]).toMatchObject({ notice: 'dalian-2020-02-20', title: expect.any(String) });
    const byRegion = (await get('/api/ops/groups?by=region')).json();
    expect(byRegion.groups.map((g: { label: string; count: number }) => [g.label, g.count])).toEqual([
      ['大连', 3],
      ['(未知地区)', 1],
    ]);
    const refused = await get('/api/ops/groups?by=city');
    expect([refused.statusCode, refused.json().error.code]).toEqual([400, 'HL_ERR_BAD_REQUEST']);
  });

  it('draws the trends: replies per day by channel and type, the top unanswered topics, votes', async () => {
    const { get, ask, app } = await desk();
    const a = await ask('包头门诊报销比例多少');
    await ask('今天天气怎么样');
    await ask('大连长期护理保险怎么申请');
    await app.inject({
      method: 'POST',
      url: '/api/feedback',
      payload: { sessionId: a.sessionId, seq: a.seq, vote: 'down', reason: 'wrong' },
    });
    const t = (await get('/api/ops/trends?days=3')).json();
    expect(t.days).toHaveLength(3);
    expect(t.byChannel).toEqual([{ channel: 'api', counts: [0, 0, 3] }]);
    const types = Object.fromEntries(t.byType.map((s: { type: string; counts: number[] }) => [s.type, s.counts.at(-1)]));
    expect(types).toEqual({ answer: 1, fallback: 1, handoff: 1 });
    expect(t.topUnanswered.map((u: { count: number }) => u.count)).toEqual([1, 1]);
    expect(t.feedback.at(-1)).toMatchObject({ up: 0, down: 1, ratings: 0, average: null });
  });

  it('exports a group as a labelled set the eval command runs, keeps it, and lists it', async () => {
    const { get, post, ask, dir } = await desk();
    await ask('今天天气怎么样');
    await ask('明天会下雨吗');
    const { groups } = (await get('/api/ops/groups?by=intent')).json();
    const ids = groups.flatMap((g: { ids: number[] }) => g.ids);
    const res = await post('/api/ops/export', { ids, name: 'weather', types: ['fallback'] });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ name: 'weather', file: 'ops-weather.jsonl', items: 2 });
    const items = await readItems(join(dir, 'sets', 'ops-weather.jsonl'));
    const assistant = await projectAssistant();
    const kb = await projectKnowledge();
    const s = await score(items, (text, sessionId, region) => assistant.ask(kb, { text, sessionId, ...(region ? { region } : {}) }));
    expect(s.items).toEqual({ pass: 2, total: 2 });
    // The project's eval command runs it as it is.
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'src', 'cli', 'eval.ts'), join(dir, 'sets', 'ops-weather.jsonl')],
      {
        cwd: ROOT,
      },
    );
    expect(stdout).toMatch(/items {2}2\/2 passed/);
    expect(stdout).toMatch(/fallback +2\/2/);
    expect((await get('/api/ops/sets')).json().sets).toMatchObject([{ name: 'weather', items: 2 }]);
    const file = await get('/api/ops/sets/weather');
    expect(file.headers['content-type']).toMatch(/ndjson/);
    expect(file.headers['content-disposition']).toContain('ops-weather.jsonl');
    expect(file.body.trim().split('\n')).toHaveLength(2);
    const bad = await post('/api/ops/export', { ids: [9999], name: 'none' });
    expect([bad.statusCode, bad.json().error.code]).toEqual([400, 'HL_ERR_BAD_SET']);
    expect((await get('/api/ops/sets/nothing-here')).json().error.code).toBe('HL_ERR_SET_NOT_FOUND');
  });

  it('lists the temporary notices without an end date, and stages one set in the desk', async () => {
    const { get, post } = await desk();
    const e = (await get('/api/ops/expiry')).json();
    expect(e.today).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(e.open.length).toBeGreaterThan(0);
    const notice = e.open[0].notice;
    const set = await post('/api/ops/expiry', { notice, expires: '2020-06-30' });
    expect(set.statusCode).toBe(200);
    expect(set.json().staged.name).toBe(`${notice}.yaml`);
    expect((await get('/api/ops/staging')).json().files.map((f: { name: string }) => f.name)).toEqual([`${notice}.yaml`]);
    const unknown = await post('/api/ops/expiry', { notice: 'no-such-notice', expires: '2020-06-30' });
    expect(unknown.statusCode).toBe(404);
  });
});
