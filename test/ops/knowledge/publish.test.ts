import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { HlError } from '../../../src/errors.js';
import type { EvalItem, WireReply } from '../../../src/eval/judge.js';
import type { KnowledgeBase } from '../../../src/kb/knowledge-base.js';
import { buildFromDir } from '../../../src/kb/load.js';
import { KnowledgeStore, type ReloadResult } from '../../../src/kb/store.js';
import { PublishLog, type PublishRecord } from '../../../src/ops/knowledge/log.js';
import { NoticeDesk } from '../../../src/ops/knowledge/publish.js';
import { afterTest } from '../../helpers/cleanup.js';
import { FIXTURES, KNOWLEDGE_DIR } from '../../helpers/knowledge.js';

const LINHU = 'linhu-2022-05-16';
const linhu = await readFile(join(FIXTURES, 'ops', `${LINHU}.txt`));
const BAOTOU = 'baotou-2022-10-08';

/** Two labelled questions: 包头's long prescription (live today) and 临湖's (not live yet). */
const items: EvalItem[] = [
  { id: 'bt', turns: [{ q: '包头慢病药能开几个月', expect: { type: ['answer'], notice: BAOTOU, include: [['三个月']] } }] },
  { id: 'lh', turns: [{ q: '临湖慢病长处方能开多久', expect: { type: ['answer'], notice: LINHU, include: [['12周']] } }] },
];

/** A stand-in for the assistant: it answers with the clause the question is about, when the knowledge base has it. */
function ask(kb: KnowledgeBase) {
  return (q: string): WireReply => {
    const id = q.startsWith('包头') ? `${BAOTOU}#五` : `${LINHU}#一`;
    const citation = kb.citation(id);
    return citation
      ? { type: 'answer', text: citation.quote, citations: [citation] }
      : { type: 'fallback', text: '抱歉，没有找到。', citations: [] };
  };
}

interface Setup {
  desk: NoticeDesk;
  store: KnowledgeStore;
  reload: ReturnType<typeof vi.fn<() => Promise<ReloadResult>>>;
  knowledgeDir: string;
  opsDir: string;
  live: () => KnowledgeBase;
  clock: { now: number };
}

async function setup(options: { floor?: number; failReloads?: number; staleReloads?: number } = {}): Promise<Setup> {
  const root = await mkdtemp(join(tmpdir(), 'hl-publish-'));
  afterTest(() => rm(root, { recursive: true, force: true }));
  const knowledgeDir = join(root, 'knowledge');
  const opsDir = join(root, 'ops');
  await cp(KNOWLEDGE_DIR, knowledgeDir, { recursive: true, filter: (src) => !src.startsWith(join(KNOWLEDGE_DIR, 'build')) });
  const store = new KnowledgeStore(() => buildFromDir(knowledgeDir));
  await store.reload();
  let failing = options.failReloads ?? 0;
  let stale = options.staleReloads ?? 0;
  const reload = vi.fn(async (): Promise<ReloadResult> => {
    if (failing-- > 0) return { ok: false, error: new HlError('HL_ERR_KB_RELOAD_FAILED', ['disk on fire']), kb: store.current };
    // A reload that was already running when the files were written: it read the folder before them.
    if (stale-- > 0) return { ok: true, kb: store.require() };
    return store.reload();
  });
  const clock = { now: Date.UTC(2026, 11, 4, 9, 30) };
  const desk = new NoticeDesk({
    knowledgeDir,
    opsDir,
    build: (dir) => buildFromDir(dir),
    reload,
    evaluate: { sets: async () => [{ name: 'own', items }], ask },
    floor: options.floor ?? 0.5,
    now: () => clock.now,
  });
  return { desk, store, reload, knowledgeDir, opsDir, live: () => store.require(), clock };
}

async function refusal(p: Promise<unknown>): Promise<HlError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(err instanceof HlError)) throw new Error(`expected an HlError, got ${String(err)}`);
  return err;
}

const baotouText = () => readFile(join(KNOWLEDGE_DIR, 'notices', `${BAOTOU}.txt`), 'utf8');
/** 包头's notice with the long prescription cut from three months to one: the labelled question fails on it. */
const shortened = async () => Buffer.from((await baotouText()).replace('購藥量可放寬至三個月', '購藥量可放寬至一個月'));

describe('previewing staged notices', () => {
  it('reports the staged notice, diffs it against the live knowledge base and runs the sets on both', async () => {
    const { desk, live } = await setup();
    await desk.staging.put(`${LINHU}.txt`, linhu);
    const p = await desk.preview(live());
    expect(p.staged.map((f) => f.name)).toEqual([`${LINHU}.txt`]);
    expect(p.report.notices.map((n) => n.id)).toEqual([LINHU]);
    expect(p.report.notices[0]?.meta).toMatchObject({ docNumber: '临医保发〔2022〕9号', date: '2022-05-16', kind: 'temporary' });
    expect(p.report.notices[0]?.notes.join()).toContain('region');
    expect(p.report.totals).toMatchObject({ notices: 1, clauses: 6, skipped: 0 });
    expect(p.diff.notices).toHaveLength(1);
    expect(p.diff.notices[0]).toMatchObject({ notice: LINHU, status: 'new' });
    expect(p.diff.gone).toEqual([]);
    expect(p.eval).toHaveLength(1);
    expect(p.eval[0]?.changed.map((c) => [c.item, c.trend])).toEqual([['lh', 'better']]);
    expect(p.overall).toEqual({ live: 0.5, staged: 1 });
    expect(p).toMatchObject({ floor: 0.5, belowFloor: false });
    expect(p.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    // The same staged files and live knowledge base: the same preview, not run again.
    expect(await desk.preview(live())).toBe(p);
  });

  it('shows a hand-dropped file’s problem and a sidecar with no notice, and leaves them out of the build', async () => {
    const { desk, live } = await setup();
    await desk.staging.put(`${LINHU}.txt`, linhu);
    await desk.staging.put('nowhere-2020.yaml', Buffer.from('version: 1\nregion: 北京\n'));
    await writeFile(join(desk.staging.dir, 'scan.pdf'), 'x');
    const p = await desk.preview(live());
    expect(p.staged.map((f) => [f.name, f.problem === undefined])).toEqual([
      [`${LINHU}.txt`, true],
      ['nowhere-2020.yaml', false],
      ['scan.pdf', false],
    ]);
    expect(p.report.notices.map((n) => n.id)).toEqual([LINHU]);
    expect((await refusal(desk.publish({ operator: 'wang' }, live()))).code).toBe('HL_ERR_STAGED_INVALID');
  });

  it('says HL_ERR_NOTHING_STAGED when nothing is staged', async () => {
    const { desk, live } = await setup();
    expect((await refusal(desk.preview(live()))).code).toBe('HL_ERR_NOTHING_STAGED');
    expect((await refusal(desk.publish({ operator: 'wang' }, live()))).code).toBe('HL_ERR_NOTHING_STAGED');
  });
});

describe('publishing staged notices', () => {
  it('writes the staged files into the live folder, reloads, clears staging and records who, when and what', async () => {
    const { desk, live, reload, knowledgeDir, store, clock } = await setup();
    await desk.staging.put(`${LINHU}.txt`, linhu);
    await desk.staging.stageExpiry(knowledgeDir, BAOTOU, '2022-12-31');
    const preview = await desk.preview(live());
    const record = await desk.publish({ operator: 'wang', fingerprint: preview.fingerprint, note: '临湖通知上线' }, live());
    expect(await readFile(join(knowledgeDir, 'notices', `${LINHU}.txt`))).toEqual(linhu);
    expect(await readFile(join(knowledgeDir, 'notices', `${BAOTOU}.yaml`), 'utf8')).toContain('expires: 2022-12-31');
    expect(reload).toHaveBeenCalledTimes(1);
    expect(store.require().notice(LINHU)).toBeDefined();
    expect(store.require().notice(BAOTOU)?.meta.expires).toBe('2022-12-31');
    expect(await desk.staging.list()).toEqual([]);
    expect(record).toEqual({
      id: 'P000001',
      kind: 'publish',
      operator: 'wang',
      at: clock.now,
      outcome: 'done',
      fingerprint: preview.fingerprint,
      files: { added: [`${LINHU}.txt`], replaced: [`${BAOTOU}.yaml`] },
      notices: [
        { id: BAOTOU, status: 'changed', clauses: { new: 0, changed: 0, gone: 0 }, facts: { new: 0, gone: 0 } },
        { id: LINHU, status: 'new', clauses: { new: 6, changed: 0, gone: 0 }, facts: { new: 9, gone: 0 } },
      ],
      eval: { live: 0.5, staged: 1, floor: 0.5 },
      confirmedBelowFloor: false,
      note: '临湖通知上线',
    });
    expect(await desk.history()).toEqual([record]);
    // No temp file is left in the live folder.
    expect((await readdir(join(knowledgeDir, 'notices'))).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  it('is refused below the eval floor unless the operator confirms', async () => {
    const { desk, live, reload, knowledgeDir } = await setup({ floor: 0.5 });
    const before = await readFile(join(knowledgeDir, 'notices', `${BAOTOU}.txt`));
    await desk.staging.put(`${BAOTOU}.txt`, await shortened());
    const refused = await refusal(desk.publish({ operator: 'wang' }, live()));
    expect(refused.code).toBe('HL_ERR_EVAL_BELOW_FLOOR');
    expect(refused.statusCode).toBe(409);
    expect(refused.message).toContain('passes 0.0% of the labelled items (live: 50.0%), below the floor of 50.0%');
    expect(await readFile(join(knowledgeDir, 'notices', `${BAOTOU}.txt`))).toEqual(before);
    expect(reload).not.toHaveBeenCalled();
    expect(await desk.history()).toEqual([]);

    const record = await desk.publish({ operator: 'wang', confirm: true }, live());
    expect(record).toMatchObject({ confirmedBelowFloor: true, eval: { live: 0.5, staged: 0, floor: 0.5 } });
    expect(record.notices[0]).toMatchObject({ id: BAOTOU, status: 'changed', clauses: { changed: 1 } });
    expect(await readFile(join(knowledgeDir, 'notices', `${BAOTOU}.txt`))).toEqual(await shortened());
  });

  it('is refused when the staged files changed since the preview it confirms', async () => {
    const { desk, live } = await setup();
    await desk.staging.put(`${LINHU}.txt`, linhu);
    const preview = await desk.preview(live());
    await desk.staging.put(`${LINHU}.txt`, Buffer.concat([linhu, Buffer.from('\n五、补充条款。\n')]));
    const e = await refusal(desk.publish({ operator: 'wang', fingerprint: preview.fingerprint }, live()));
    expect(e.code).toBe('HL_ERR_STAGED_CHANGED');
    expect(e.message).toContain(preview.fingerprint);
  });

  it('puts the previous files back when the reload fails, reloads again and says why', async () => {
    const { desk, live, reload, knowledgeDir } = await setup({ failReloads: 1 });
    const notices = join(knowledgeDir, 'notices');
    const before = await readFile(join(notices, `${BAOTOU}.yaml`));
    await desk.staging.put(`${LINHU}.txt`, linhu);
    await desk.staging.stageExpiry(knowledgeDir, BAOTOU, '2022-12-31');
    const e = await refusal(desk.publish({ operator: 'wang' }, live()));
    expect(e.code).toBe('HL_ERR_PUBLISH_FAILED');
    expect(e.message).toContain('disk on fire');
    expect(reload).toHaveBeenCalledTimes(2);
    expect(await readFile(join(notices, `${BAOTOU}.yaml`))).toEqual(before);
    expect(await readdir(notices)).not.toContain(`${LINHU}.txt`);
    expect(live().notice(LINHU)).toBeUndefined();
    // Still staged, to try again; the attempt is on record.
    expect((await desk.staging.list()).map((f) => f.name)).toEqual([`${BAOTOU}.yaml`, `${LINHU}.txt`]);
    expect(await desk.history()).toMatchObject([{ id: 'P000001', outcome: 'failed', error: expect.stringContaining('disk on fire') }]);
    await expect(desk.rollback({ operator: 'wang' })).rejects.toMatchObject({ code: 'HL_ERR_NOTHING_TO_ROLL_BACK' });
  });

  it('reloads once more when the reload it got had read the folder before the files were written', async () => {
    const { desk, live, reload, store } = await setup({ staleReloads: 1 });
    await desk.staging.put(`${LINHU}.txt`, linhu);
    await desk.publish({ operator: 'wang' }, live());
    expect(reload).toHaveBeenCalledTimes(2);
    expect(store.require().notice(LINHU)).toBeDefined();
  });

  it('runs one at a time: a second publish of the same files finds nothing staged', async () => {
    const { desk, live, reload } = await setup();
    await desk.staging.put(`${LINHU}.txt`, linhu);
    const [first, second] = await Promise.allSettled([
      desk.publish({ operator: 'wang' }, live()),
      desk.publish({ operator: 'li' }, live()),
    ]);
    expect(first).toMatchObject({ status: 'fulfilled', value: { operator: 'wang' } });
    expect(second).toMatchObject({ status: 'rejected', reason: { code: 'HL_ERR_NOTHING_STAGED' } });
    expect(reload).toHaveBeenCalledTimes(1);
  });
});

describe('rolling back', () => {
  it('restores the exact previous bytes, removes the files a publish added, and is recorded', async () => {
    const { desk, live, reload, knowledgeDir, store, clock } = await setup();
    const notices = join(knowledgeDir, 'notices');
    const snapshot = async () =>
      Object.fromEntries(await Promise.all((await readdir(notices)).sort().map(async (f) => [f, await readFile(join(notices, f))])));
    const original = await snapshot();

    await desk.staging.put(`${LINHU}.txt`, linhu);
    const first = await desk.publish({ operator: 'wang' }, live());
    const afterFirst = await snapshot();
    clock.now += 60_000;
    await desk.staging.put(`${BAOTOU}.txt`, await shortened());
    await desk.staging.stageExpiry(knowledgeDir, LINHU, '2022-10-31');
    const second = await desk.publish({ operator: 'li', confirm: true }, store.require());
    expect(second.files).toEqual({ added: [`${LINHU}.yaml`], replaced: [`${BAOTOU}.txt`] });

    clock.now += 60_000;
    const undo = await desk.rollback({ operator: 'zhao' });
    expect(undo).toEqual({
      id: 'R000003',
      kind: 'rollback',
      of: second.id,
      operator: 'zhao',
      at: clock.now,
      outcome: 'done',
      files: { restored: [`${BAOTOU}.txt`], removed: [`${LINHU}.yaml`] },
      drift: [],
    });
    expect(await snapshot()).toEqual(afterFirst);
    expect(store.require().notice(BAOTOU)?.text).toContain('三個月');

    await desk.rollback({ operator: 'zhao' });
    expect(await snapshot()).toEqual(original);
    expect(store.require().notice(LINHU)).toBeUndefined();
    expect(reload).toHaveBeenCalledTimes(4);
    await expect(desk.rollback({ operator: 'zhao' })).rejects.toMatchObject({ code: 'HL_ERR_NOTHING_TO_ROLL_BACK', statusCode: 409 });

    const history = await desk.history();
    expect(history.map((r) => [r.id, r.kind, r.operator])).toEqual([
      ['R000004', 'rollback', 'zhao'],
      ['R000003', 'rollback', 'zhao'],
      ['P000002', 'publish', 'li'],
      ['P000001', 'publish', 'wang'],
    ]);
    expect((history[2] as PublishRecord).rolledBackBy).toBe('R000003');
    expect((history[3] as PublishRecord).rolledBackBy).toBe('R000004');
    expect(first.id).toBe('P000001');
  });

  it('notes a file changed by hand since the publish, and puts it back all the same', async () => {
    const { desk, live, knowledgeDir } = await setup();
    const file = join(knowledgeDir, 'notices', `${BAOTOU}.yaml`);
    const before = await readFile(file);
    await desk.staging.stageExpiry(knowledgeDir, BAOTOU, '2022-12-31');
    await desk.publish({ operator: 'wang' }, live());
    await writeFile(file, 'version: 1\n');
    expect((await desk.rollback({ operator: 'wang' })).drift).toEqual([`${BAOTOU}.yaml`]);
    expect(await readFile(file)).toEqual(before);
  });
  it('leaves the notices as published when the rollback’s reload fails, says why, and can be tried again', async () => {
    const { desk, live, reload, knowledgeDir, store } = await setup();
    const notices = join(knowledgeDir, 'notices');
    await desk.staging.put(`${LINHU}.txt`, linhu);
    const published = await desk.publish({ operator: 'wang' }, live());
    reload.mockImplementationOnce(async () => ({
      ok: false,
      error: new HlError('HL_ERR_KB_RELOAD_FAILED', ['disk on fire']),
      kb: store.current,
    }));
    const e = await refusal(desk.rollback({ operator: 'zhao' }));
    expect([e.code, e.statusCode]).toEqual(['HL_ERR_ROLLBACK_FAILED', 500]);
    expect(e.message).toContain('disk on fire');
    expect(await readdir(notices)).toContain(`${LINHU}.txt`);
    expect(store.require().notice(LINHU)).toBeDefined();
    expect((await desk.history())[0]).toMatchObject({ kind: 'rollback', of: published.id, outcome: 'failed' });
    // The publish is still the one to undo, and undoing it works once the reload does.
    expect(await desk.rollback({ operator: 'zhao' })).toMatchObject({ of: published.id, outcome: 'done' });
    expect(await readdir(notices)).not.toContain(`${LINHU}.txt`);
  });
});

describe('after a crash mid-publish', () => {
  it('puts back the files of a change that has an intent but no record, and records it as interrupted', async () => {
    const { knowledgeDir, opsDir, reload, desk, store } = await setup();
    const notices = join(knowledgeDir, 'notices');
    const before = await readFile(join(notices, `${BAOTOU}.txt`));
    // What a publish had done when the process died: its snapshot and intent, then the live files written.
    const log = new PublishLog(join(opsDir, 'publishes'));
    const record: PublishRecord = {
      id: await log.allocate('publish'),
      kind: 'publish',
      operator: 'wang',
      at: 1,
      outcome: 'done',
      fingerprint: 'f',
      files: { added: [`${LINHU}.txt`], replaced: [`${BAOTOU}.txt`] },
      notices: [],
      eval: { live: 1, staged: 1, floor: 0.5 },
      confirmedBelowFloor: false,
    };
    const change = {
      writes: [
        { name: `${BAOTOU}.txt`, bytes: await shortened() },
        { name: `${LINHU}.txt`, bytes: linhu },
      ],
      removes: [],
    };
    await log.begin(record, change, notices);
    await writeFile(join(notices, `${BAOTOU}.txt`), await shortened());
    await writeFile(join(notices, `${LINHU}.txt`), linhu);
    // A change that died before its intent touched nothing; its folder is dropped.
    await log.allocate('publish');

    expect(await desk.recover()).toEqual(['P000001']);
    expect(await readFile(join(notices, `${BAOTOU}.txt`))).toEqual(before);
    expect(await readdir(notices)).not.toContain(`${LINHU}.txt`);
    expect(reload).toHaveBeenCalledTimes(1);
    expect(store.require().notice(LINHU)).toBeUndefined();
    expect(await desk.history()).toMatchObject([{ id: 'P000001', outcome: 'interrupted' }]);
    expect(await readdir(join(opsDir, 'publishes'))).toEqual(['P000001']);
    expect(await desk.recover()).toEqual(['P000001']);
    expect(reload).toHaveBeenCalledTimes(1);
  });
});
