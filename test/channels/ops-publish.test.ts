/**
 * Safe notice updates through the operators' desk (issue 16), end to end on a copy of the project's knowledge: a
 * question handed off today is found among the misses; a notice staged for it is previewed (its report, the diff,
 * the labelled sets on both knowledge bases); published, the question is answered from it; rolled back, it is not.
 * This is README's worked example.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES } from '../helpers/knowledge.js';
import { opsApp } from '../helpers/ops.js';

const NOTICE = join(FIXTURES, 'ops', 'dalian-ltc-example.txt');
const QUESTION = '大连长期护理保险在哪里申请';
const desk = (env: Record<string, string> = {}) => opsApp(env, { copy: true });

describe('publishing a staged notice from the operators’ desk', () => {
  it('finds a question handed off today, previews a notice for it, publishes it so the question is answered, and rolls it back', async () => {
    const { call, ask, knowledgeDir } = await desk();
    const before = await ask(QUESTION);
    expect(before.type).toBe('handoff');
    const { groups } = (await call('GET', '/api/ops/groups?by=question')).json();
    expect(groups[0].samples[0]).toMatchObject({ text: QUESTION, kind: 'handoff', region: '大连' });

    const bytes = await readFile(NOTICE);
    const staged = await call('PUT', '/api/ops/staging/dalian-ltc-example.txt', bytes);
    expect(staged.statusCode).toBe(200);
    expect(staged.json()).toMatchObject({ name: 'dalian-ltc-example.txt', size: bytes.length });

    const preview = (await call('POST', '/api/ops/preview')).json();
    const [report] = preview.report.notices;
    expect(report).toMatchObject({
      id: 'dalian-ltc-example',
      meta: { region: '大连', docNumber: '大医保发〔2026〕99号', date: '2026-11-20' },
    });
    expect(report.facts.phone).toBe(1);
    expect(preview.diff).toEqual([
      expect.objectContaining({
        notice: 'dalian-ltc-example',
        status: 'new',
        clauses: expect.arrayContaining([expect.objectContaining({ path: '二', status: 'new' })]),
      }),
    ]);
    expect(preview.eval.sets.map((s: { name: string }) => s.name)).toEqual(['questions.jsonl']);
    const own = preview.eval.sets[0];
    expect(own.live.items.total).toBeGreaterThan(200);
    expect(own.staged.items.total).toBe(own.live.items.total);
    // What would change is listed: the new notice states 大连's hotline too, so the hotline questions the set labels
    // with the older notice would cite the new one — the same number, another source.
    const worse = own.changed.filter((c: { change: string }) => c.change === 'worse');
    expect(worse.length).toBeGreaterThan(0);
    for (const c of worse) {
      expect(c.after.citations[0]).toMatch(/^dalian-ltc-example#/);
      expect(c.after.text).toContain('83709222');
      expect(c.before.citations.join(' ')).toContain('dalian-2020-02-20');
    }
    expect(preview.eval.staged).toBeLessThan(preview.eval.live);
    expect(preview.belowFloor).toBe(false);

    // A stale preview is refused; the right one publishes.
    const stale = await call('POST', '/api/ops/publish', { fingerprint: '0000000000000000' });
    expect([stale.statusCode, stale.json().error.code]).toEqual([409, 'HL_ERR_STAGED_CHANGED']);
    const published = await call('POST', '/api/ops/publish', { fingerprint: preview.fingerprint, note: '长期护理保险申请' });
    expect(published.statusCode).toBe(200);
    expect(published.json()).toMatchObject({
      kind: 'publish',
      operator: 'wang',
      files: { added: ['dalian-ltc-example.txt'], replaced: [] },
    });
    expect(await readdir(join(knowledgeDir, 'notices'))).toContain('dalian-ltc-example.txt');
    expect((await call('GET', '/api/ops/staging')).json().files).toEqual([]);

    const after = await ask(QUESTION);
    expect(after.type).toBe('answer');
    expect(after.citations[0]).toMatchObject({ notice: 'dalian-ltc-example', clause: '二' });
    expect(after.text).toContain('“大连医保”微信公众号');

    const rolled = await call('POST', '/api/ops/rollback');
    expect(rolled.statusCode).toBe(200);
    expect(rolled.json()).toMatchObject({ kind: 'rollback', operator: 'wang' });
    expect(await readdir(join(knowledgeDir, 'notices'))).not.toContain('dalian-ltc-example.txt');
    expect((await ask(QUESTION)).type).toBe('handoff');
    const history = (await call('GET', '/api/ops/publishes')).json().publishes;
    expect(history.map((r: { kind: string }) => r.kind)).toEqual(['rollback', 'publish']);
    const none = await call('POST', '/api/ops/rollback');
    expect([none.statusCode, none.json().error.code]).toEqual([409, 'HL_ERR_NOTHING_TO_ROLL_BACK']);
  });

  it('refuses a publish below OPS_EVAL_FLOOR until the operator confirms it', async () => {
    const { call, ask } = await desk({ OPS_EVAL_FLOOR: '1' });
    await call('PUT', '/api/ops/staging/dalian-ltc-example.txt', await readFile(NOTICE));
    const preview = (await call('POST', '/api/ops/preview')).json();
    expect(preview.belowFloor).toBe(true);
    const refused = await call('POST', '/api/ops/publish', { fingerprint: preview.fingerprint });
    expect([refused.statusCode, refused.json().error.code]).toEqual([409, 'HL_ERR_EVAL_BELOW_FLOOR']);
    expect((await ask(QUESTION)).type).toBe('handoff');
    const confirmed = await call('POST', '/api/ops/publish', { fingerprint: preview.fingerprint, confirm: true });
    expect(confirmed.json()).toMatchObject({ kind: 'publish', confirmedBelowFloor: true });
    expect((await ask(QUESTION)).type).toBe('answer');
  });

  it('refuses bad staged files with a code and keeps nothing of them', async () => {
    const { call } = await desk();
    const cases: [string, Buffer, number, string][] = [
      ['../evil.txt', Buffer.from('x'), 400, 'HL_ERR_BAD_REQUEST'],
      ['notice.exe', Buffer.from('x'), 400, 'HL_ERR_BAD_REQUEST'],
      ['broken.yaml', Buffer.from('version: 2\nregion: [\n'), 400, 'HL_ERR_STAGED_INVALID'],
      ['empty.txt', Buffer.alloc(0), 400, 'HL_ERR_STAGED_INVALID'],
    ];
    for (const [name, body, status, code] of cases) {
      const res = await call('PUT', `/api/ops/staging/${encodeURIComponent(name)}`, body);
      expect([res.statusCode, res.json().error.code], name).toEqual([status, code]);
    }
    const json = await call('PUT', '/api/ops/staging/a.txt', { text: '通知' });
    expect([json.statusCode, json.json().error.code]).toEqual([415, 'HL_ERR_UNSUPPORTED_MEDIA_TYPE']);
    const big = await call('PUT', '/api/ops/staging/big.txt', Buffer.alloc(3 * 2 ** 20, 0x41));
    expect([big.statusCode, big.json().error.code]).toEqual([413, 'HL_ERR_BODY_TOO_LARGE']);
    expect((await call('GET', '/api/ops/staging')).json().files).toEqual([]);
    const nothing = await call('POST', '/api/ops/preview');
    expect([nothing.statusCode, nothing.json().error.code]).toEqual([409, 'HL_ERR_NOTHING_STAGED']);
    const gone = await call('DELETE', '/api/ops/staging/missing.txt');
    expect([gone.statusCode, gone.json().error.code]).toEqual([404, 'HL_ERR_STAGED_NOT_FOUND']);
  });
});
