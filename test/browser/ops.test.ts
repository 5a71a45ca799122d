/**
 * The operators' desk (`/ops`, issue 16) in a real browser (Debian's Chromium via playwright-core), on a copy
 * of the project's knowledge: a refused token and sign-in; misses seeded by asking real questions the bot
 * hands off or falls back on (and a 👎) shown grouped with their samples; the trends drawn as charts; a
 * group exported as a labelled set that the project's eval runs; a fictional GBK notice uploaded, previewed
 * (report, diff, eval live vs staged), refused below the eval floor, published when confirmed, answered
 * from, and rolled back; an expiry staged as a sidecar; axe-core on every tab, and a narrow window.
 * Screenshots: test-output/ops-groups.png, test-output/ops-trends.png, test-output/ops-preview.png.
 */
import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, buildAssistant } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { Assistant } from '../../src/dialogue/assistant.js';
import { knowledgeWith } from '../../src/eval/knowledge-copy.js';
import { readItems, score } from '../../src/eval/score.js';
import { buildFromDir } from '../../src/kb/load.js';
import { KnowledgeStore } from '../../src/kb/store.js';
import { axeContext, scrollsSideways, seriousViolations } from '../helpers/axe.js';
import { chromiumAvailable, launchChromium } from '../helpers/browser.js';
import { FIXTURES, KNOWLEDGE_DIR, ROOT } from '../helpers/knowledge.js';

const available = chromiumAvailable();

const TOKEN = 'ops-token-0123456789';
const FIXTURE = join(FIXTURES, 'ops-page');
const NOTICE = 'zhoushan-2026-10-15';
/** Questions no notice of the project answers (no notice covers 舟山): each is handed off, a miss. */
const ZHOUSHAN = ['舟山高血压一次最多能开几周的药？', '舟山异地就医备案要交纸质材料吗？', '舟山医保服务中心的咨询电话是多少？'];

let dir = '';
let app: FastifyInstance;
let base = '';
let browser: Browser;
/** The server's assistant; the exported set is scored with it too (jieba loads one dictionary set per process). */
let assistant: Assistant;
let page: Page;

interface Reply {
  type: string;
  text: string;
  seq?: number;
  sessionId: string;
  citations: { notice: string }[];
}

async function ask(text: string, sessionId?: string): Promise<Reply> {
  const res = await fetch(`${base}/api/ask`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ text, ...(sessionId ? { sessionId } : {}) }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as Reply;
}

async function signIn(p: Page): Promise<void> {
  await p.goto(`${base}/ops`);
  await p.locator('#signin input[name=token]').fill(TOKEN);
  await p.locator('#signin form button[type=submit]').click();
  await p.locator('#operator').waitFor({ timeout: 10_000 });
}

async function tab(p: Page, id: 'groups' | 'trends' | 'updates' | 'expiry'): Promise<void> {
  await p.locator(`#tab-${id}`).click();
  await expect.poll(() => p.locator(`#panel-${id}`).isVisible()).toBe(true);
}

/** What the test reads of a canvas in the page (the tests' tsconfig has no DOM types). */
interface CanvasLike {
  width: number;
  height: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null;
}

/** How many of a canvas's pixels are drawn (not transparent). */
function drawnPixels(p: Page, id: string): Promise<number> {
  return p.evaluate((canvasId) => {
    const doc = (globalThis as unknown as { document: { getElementById(id: string): CanvasLike | null } }).document;
    const canvas = doc.getElementById(canvasId);
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx || canvas.width === 0) return 0;
    const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    let n = 0;
    for (let i = 3; i < data.length; i += 4) if ((data[i] ?? 0) > 0) n++;
    return n;
  }, id);
}

/** The visible buttons lower than 44px (a touch target's least height), by their text. */
function lowButtons(p: Page): Promise<string[]> {
  return p.evaluate(() => {
    type Button = { offsetParent: unknown; textContent: string | null; getBoundingClientRect(): { height: number } };
    const doc = (globalThis as unknown as { document: { querySelectorAll(s: string): Iterable<Button> } }).document;
    return [...doc.querySelectorAll('button')]
      .filter((b) => b.offsetParent !== null && b.getBoundingClientRect().height < 44)
      .map((b) => b.textContent ?? '');
  });
}

describe.runIf(available)('the operators’ desk in Chromium', () => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hl-ops-page-'));
    await cp(KNOWLEDGE_DIR, join(dir, 'knowledge'), { recursive: true });
    const config = loadConfig({
      OPERATOR_TOKENS: `op1=王工:${TOKEN}`,
      KNOWLEDGE_DIR: join(dir, 'knowledge'),
      DATA_DIR: join(dir, 'data'),
      OPS_DIR: join(dir, 'ops'),
      OPS_EVAL_FILES: join(FIXTURE, 'questions.jsonl'),
      OPS_EVAL_FLOOR: '0.9',
    });
    const knowledge = new KnowledgeStore(() => buildFromDir(config.knowledgeDir));
    await knowledge.reload();
    assistant = await buildAssistant(config);
    app = await buildApp({ config, knowledge, assistant, logger: false });
    await app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    browser = await launchChromium();
    // axe is injected as an inline script, which the service's CSP refuses: this context bypasses CSP (the
    // narrow-window test below runs the desk under the CSP).
    page = await (await axeContext(browser, { width: 1280, height: 900 })).newPage();
    await mkdir(join(ROOT, 'test-output'), { recursive: true });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('refuses a wrong token and signs in with the right one, showing the operator’s name', async () => {
    await page.goto(`${base}/ops`);
    await page.locator('#signin input[name=token]').fill('not-an-operator-token');
    await page.locator('#signin form button[type=submit]').click();
    await expect.poll(() => page.locator('#signin-error').textContent(), { timeout: 10_000 }).toContain('令牌无效');
    expect(await page.locator('#desk').isHidden()).toBe(true);
    await page.locator('#signin input[name=token]').fill(TOKEN);
    await page.locator('#signin form button[type=submit]').click();
    await expect.poll(() => page.locator('#operator').textContent(), { timeout: 10_000 }).toContain('王工');
    expect(await page.locator('#tab-groups').getAttribute('aria-selected')).toBe('true');
  });

  it('groups the misses of real questions (handoffs, a fallback, a 👎) with samples and the bot’s replies', async () => {
    for (const q of ZHOUSHAN) expect((await ask(q)).type).toBe('handoff');
    expect((await ask('帮我订一张去北京的机票')).type).toBe('fallback');
    const answered = await ask('包头高血压一次能开几个月的药？');
    expect(answered.type).toBe('answer');
    const vote = await fetch(`${base}/api/feedback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sessionId: answered.sessionId, seq: answered.seq, vote: 'down', reason: 'wrong' }),
    });
    expect(vote.status).toBe(201);

    await tab(page, 'groups');
    await page.locator('#groups-by').selectOption('region');
    const zhoushan = page.locator('#groups li.group', { hasText: '舟山' }).first();
    await zhoushan.waitFor({ timeout: 10_000 });
    expect(await zhoushan.locator('.count').textContent()).toContain('3');
    expect(await zhoushan.locator('.samples').textContent()).toContain('舟山高血压一次最多能开几周的药');
    expect(await zhoushan.locator('.samples').textContent()).toContain('转接人工');
    expect(await page.locator('#groups').textContent()).toContain('点踩');
    expect(await page.locator('#groups').textContent()).toContain('兜底回复');
    await page.screenshot({ path: join(ROOT, 'test-output', 'ops-groups.png'), fullPage: true });
    expect(await seriousViolations(page)).toEqual([]);
  }, 30_000);

  it('draws the trends as charts, each with a name and a table of its numbers', async () => {
    await tab(page, 'trends');
    await page.locator('#chart-channel-canvas').waitFor({ timeout: 10_000 });
    await expect.poll(() => drawnPixels(page, 'chart-channel-canvas'), { timeout: 5000 }).toBeGreaterThan(500);
    await expect.poll(() => drawnPixels(page, 'chart-type-canvas'), { timeout: 5000 }).toBeGreaterThan(500);
    await expect.poll(() => drawnPixels(page, 'chart-unanswered-canvas'), { timeout: 5000 }).toBeGreaterThan(500);
    expect(await page.locator('#chart-channel-canvas').getAttribute('aria-label')).toContain('每日提问量');
    expect(await page.locator('#chart-unanswered table').textContent()).toContain('高血压');
    expect(await page.locator('#chart-type table').textContent()).toContain('转人工');
    await page.screenshot({ path: join(ROOT, 'test-output', 'ops-trends.png'), fullPage: true });
    expect(await seriousViolations(page)).toEqual([]);
  }, 30_000);

  it('exports a group as a labelled set that the project’s eval reads and scores', async () => {
    await tab(page, 'groups');
    await page.locator('#groups-by').selectOption('region');
    const zhoushan = page.locator('#groups li.group', { hasText: '舟山' }).first();
    await zhoushan.waitFor({ timeout: 10_000 });
    await zhoushan.locator('button.export-toggle').click();
    const form = zhoushan.locator('form.export');
    await form.locator('input[name=name]').fill('zhoushan-misses');
    await form.locator('input[name=notice]').fill(NOTICE);
    await form.locator('input[name=tags]').fill('ops, zhoushan');
    const [download] = await Promise.all([page.waitForEvent('download'), form.locator('button[type=submit]').click()]);
    expect(download.suggestedFilename()).toBe('ops-zhoushan-misses.jsonl');
    await expect.poll(() => form.locator('.result').textContent()).toContain('3 条');
    await page.locator('#sets li[data-set="zhoushan-misses"]').waitFor({ timeout: 5000 });

    const file = join(dir, 'exported.jsonl');
    await download.saveAs(file);
    const items = await readItems(file);
    expect(items).toHaveLength(3);
    expect(items.map((i) => i.turns[0]?.q).sort()).toEqual([...ZHOUSHAN].sort());
    expect(items[0]?.turns[0]?.expect).toMatchObject({ type: ['answer'], notice: NOTICE });
    // The set runs through the eval: on the live knowledge nothing passes; with the notice, they do.
    const on = (kb: Awaited<ReturnType<typeof buildFromDir>>) => (text: string, sessionId: string, region?: string) =>
      assistant.ask(kb, { text, sessionId, ...(region ? { region } : {}) });
    const live = await score(items, on(await buildFromDir(KNOWLEDGE_DIR)), 'live');
    expect(live.items).toEqual({ pass: 0, total: 3 });
    const copy = await knowledgeWith(KNOWLEDGE_DIR, [FIXTURE]);
    try {
      const staged = await score(items, on(await buildFromDir(copy.dir)), 'staged');
      expect(staged.items.pass).toBeGreaterThanOrEqual(2);
    } finally {
      await copy.remove();
    }
  }, 60_000);

  it('uploads a GBK notice to staging and previews its report, its diff and the eval live vs staged', async () => {
    await tab(page, 'updates');
    await page.locator('#staging-file').setInputFiles(join(FIXTURE, `${NOTICE}.txt`));
    await page.locator('form.upload button[type=submit]').click();
    await page.locator(`#staging li[data-file="${NOTICE}.txt"]`).waitFor({ timeout: 10_000 });
    await page.locator('#preview').click();
    await page.locator('#preview-result').waitFor({ timeout: 60_000 });

    const report = page.locator(`.report[data-notice="${NOTICE}"]`);
    expect(await report.locator('[data-field=region]').textContent()).toContain('舟山');
    expect(await report.locator('[data-field=authority]').textContent()).toContain('舟山市医疗保障局');
    expect(await report.locator('[data-field=docNumber]').textContent()).toContain('舟医保发〔2026〕9号');
    expect(await report.locator('[data-field=date]').textContent()).toContain('2026-10-15');
    const diff = page.locator(`.notice-diff[data-notice="${NOTICE}"]`);
    expect(await diff.textContent()).toContain('新通知');
    expect(await diff.locator('.clause[data-status=new]').count()).toBeGreaterThan(0);
    expect(await diff.textContent()).toContain('12周');
    // The fixture's set and the exported one: 1 of 7 items pass live, 6 of 7 staged — under the 90% floor.
    expect(await page.locator('#pv-verdict').textContent()).toContain('低于下限');
    expect(await page.locator('table.eval').textContent()).toContain('zhoushan-misses');
    const better = page.locator('#pv-changes li[data-change=better]');
    expect(await better.count()).toBeGreaterThanOrEqual(2);
    expect(await better.first().textContent()).toContain('舟山');
    await page.screenshot({ path: join(ROOT, 'test-output', 'ops-preview.png'), fullPage: true });
    expect(await seriousViolations(page)).toEqual([]);
  }, 90_000);

  it('refuses to publish below the eval floor, publishes when confirmed, and the question is then answered from the notice', async () => {
    await page.locator('#publish').click();
    const refusal = page.locator('#publish-refusal');
    await refusal.waitFor({ timeout: 30_000 });
    expect(await refusal.textContent()).toContain('HL_ERR_EVAL_BELOW_FLOOR');
    expect((await ask(ZHOUSHAN[0] as string)).type).toBe('handoff');
    await page.locator('#publish-confirm').click();
    await expect.poll(() => page.locator('#publish-status').textContent(), { timeout: 30_000 }).toContain('已发布');
    const record = page.locator('#history li[data-kind=publish]').first();
    await record.waitFor({ timeout: 5000 });
    expect(await record.textContent()).toContain(NOTICE);
    expect(await record.textContent()).toContain('低于下限，已确认');

    const reply = await ask(ZHOUSHAN[0] as string);
    expect(reply.type).toBe('answer');
    expect(reply.text).toContain('12周');
    expect(reply.citations.map((c) => c.notice)).toContain(NOTICE);
  }, 60_000);

  it('rolls the publish back after asking to confirm, and the question is handed off again', async () => {
    await page.locator('#rollback').click();
    await page.locator('#rollback-confirm').click();
    await page.locator('#history li[data-kind=rollback]').first().waitFor({ timeout: 30_000 });
    expect(await page.locator('#history-status').textContent()).toContain('已回滚');
    expect((await ask(ZHOUSHAN[0] as string)).type).toBe('handoff');
  }, 60_000);

  it('lists notices by expiry and stages a new end date as a sidecar to preview and publish', async () => {
    await tab(page, 'expiry');
    await expect.poll(() => page.locator('#expiry-status').textContent(), { timeout: 10_000 }).toContain('今天是');
    const row = page.locator('.expiry-lists li[data-notice]').first();
    await row.waitFor({ timeout: 5000 });
    const notice = (await row.getAttribute('data-notice')) as string;
    expect(await seriousViolations(page)).toEqual([]);
    await row.locator('input[type=date]').fill('2027-06-30');
    await row.locator('form.set-expiry button[type=submit]').click();
    await expect.poll(() => row.locator('.result').textContent(), { timeout: 10_000 }).toContain('已暂存');
    await row.locator('.result button.go').click();
    expect(await page.locator('#tab-updates').getAttribute('aria-selected')).toBe('true');
    const staged = page.locator(`#staging li[data-file="${notice}.yaml"]`);
    await staged.waitFor({ timeout: 5000 });
    await staged.locator('button.remove').click();
    await staged.waitFor({ state: 'detached', timeout: 5000 });
  }, 30_000);

  it('works under the CSP in a narrow window: every tab without sideways scrolling, the charts drawn', async () => {
    const narrow = await browser.newPage({ viewport: { width: 400, height: 800 } });
    const refused: string[] = [];
    narrow.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy|Refused to/.test(m.text())) refused.push(m.text());
    });
    await signIn(narrow);
    for (const id of ['groups', 'trends', 'updates', 'expiry'] as const) {
      await tab(narrow, id);
      await narrow.waitForTimeout(300);
      expect(await scrollsSideways(narrow), id).toBe(false);
      // Every button shown is at least 44px high.
      expect(await lowButtons(narrow), id).toEqual([]);
    }
    await tab(narrow, 'trends');
    await expect.poll(() => drawnPixels(narrow, 'chart-channel-canvas'), { timeout: 5000 }).toBeGreaterThan(500);
    expect(refused).toEqual([]);
    await narrow.close();
  }, 30_000);
});
