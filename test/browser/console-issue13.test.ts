/**
 * Issue 13, item 6, in a real browser (Debian's Chromium, 1280×800), beside a citizen's chat widget: the
 * pressed 在线/离开 button stays readable on hover and focus; closed tickets show their resolution in
 * Chinese; a ticket opens its conversation read-only; the card's links name the notice and clause, its
 * numbers never break, its noise is gone; assist lists 包头's numbers for 医保热线是多少; the citizen is told
 * the agent's name and the time. axe-core finds nothing serious or critical signed in, with a chat open,
 * with the card, with a ticket's conversation open. Screenshots: test-output/console-presence.png,
 * console-card.png, console-ticket-transcript.png.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { axeViolations, blocking } from '../helpers/axe.js';
import { chromiumAvailable, launchChromium, serveProject } from '../helpers/browser.js';
import { frames } from '../helpers/frames.js';
import { ROOT } from '../helpers/knowledge.js';

const available = chromiumAvailable();

const ALICE = 'alice-console-token-0013';
const OUT = join(ROOT, 'test-output');

let app: FastifyInstance;
let base = '';
let browser: Browser;
let agentPage: Page;
let citizenPage: Page;
/** What the citizen's page received on its WebSocket. */
const citizenFrames: Record<string, unknown>[] = [];
const sockets: WebSocket[] = [];

async function citizenSocket() {
  const s = new WebSocket(`ws://${base.slice('http://'.length)}/ws/chat`);
  sockets.push(s);
  const f = frames(s);
  await new Promise((r) => s.once('open', r));
  return { f, send: (frame: object) => s.send(JSON.stringify(frame)) };
}

/** A citizen in 包头 who asks the bot one question and leaves a callback ticket: its id. */
async function ticketFromCitizen(question = '请回电说明慢性病备案'): Promise<string> {
  const c = await citizenSocket();
  c.send({ type: 'hello', region: '包头' });
  await c.f.next('ready');
  c.send({ type: 'message', id: 'm1', text: '高血压一次能开几个月的药？' });
  await c.f.next('reply');
  c.send({ type: 'ticket', id: 't', phone: '13804712345', question });
  return (await c.f.next('ticket')).id as string;
}

type Rgba = [number, number, number, number];

function parseColour(css: string): Rgba {
  const [r = 0, g = 0, b = 0, a = 1] = (css.match(/[\d.]+/g) ?? []).map(Number);
  return [r, g, b, css.startsWith('rgba') ? a : 1];
}

function over(top: Rgba, bottom: Rgba): Rgba {
  const a = top[3];
  return [0, 1, 2].map((i) => (top[i] as number) * a + (bottom[i] as number) * (1 - a)).concat(1) as Rgba;
}

function luminance([r, g, b]: Rgba): number {
  const lin = (c: number) => (c / 255 <= 0.03928 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4);
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/** The contrast of an element's text against what shows behind it (its and its ancestors' backgrounds, over white). */
async function contrastOf(locator: Locator): Promise<{ ratio: number; color: string; background: string }> {
  const { color, backgrounds } = await locator.evaluate((node) => {
    type Styled = { parentElement: Styled | null };
    const view = globalThis as unknown as { getComputedStyle(n: Styled): { color: string; backgroundColor: string } };
    const chain: string[] = [];
    for (let n: Styled | null = node as unknown as Styled; n; n = n.parentElement) chain.push(view.getComputedStyle(n).backgroundColor);
    return { color: view.getComputedStyle(node as unknown as Styled).color, backgrounds: chain };
  });
  const behind = backgrounds.reduceRight<Rgba>((acc, bg) => over(parseColour(bg), acc), [255, 255, 255, 1]);
  const text = over(parseColour(color), behind);
  const [hi, lo] = [luminance(text), luminance(behind)].sort((x, y) => y - x) as [number, number];
  return { ratio: Math.round(((hi + 0.05) / (lo + 0.05)) * 100) / 100, color, background: backgrounds[0] ?? '' };
}

async function expectNoBlockingAxe(page: Page, state: string): Promise<void> {
  const found = blocking(await axeViolations(page));
  expect(found, `${state}: ${JSON.stringify(found)}`).toEqual([]);
}

describe.runIf(available)('issue 13, item 6: the agents’ console in Chromium', () => {
  beforeAll(async () => {
    ({ app, base } = await serveProject({ AGENT_TOKENS: `alice=王芳:${ALICE}`, AGENT_CAPACITY: '2' }));
    browser = await launchChromium();
    // axe is injected as a script: the pages' CSP (scripts from the origin only) is bypassed for it.
    agentPage = await (await browser.newContext({ viewport: { width: 1280, height: 800 }, bypassCSP: true })).newPage();
    citizenPage = await (await browser.newContext({ viewport: { width: 1000, height: 800 } })).newPage();
    // A step that cannot happen fails in 5 s with what it waited for, well inside the test's time.
    agentPage.setDefaultTimeout(5000);
    citizenPage.setDefaultTimeout(5000);
    citizenPage.on('websocket', (ws) =>
      ws.on('framereceived', ({ payload }) => {
        if (typeof payload === 'string') citizenFrames.push(JSON.parse(payload) as Record<string, unknown>);
      }),
    );
    await mkdir(OUT, { recursive: true });
    await agentPage.goto(`${base}/agent`);
    await agentPage.locator('#signin input[name=token]').fill(ALICE);
    await agentPage.locator('#signin form button[type=submit]').click();
    await agentPage.locator('#status[data-state="在线"]').waitFor({ timeout: 10_000 });
  }, 30_000);

  afterAll(async () => {
    for (const s of sockets) s.terminate();
    await browser?.close();
    await app?.close();
  });

  it('keeps the pressed 在线/离开 button at 4.5:1 or more on hover and on keyboard focus', async () => {
    const online = agentPage.locator('#presence button[data-presence=online]');
    const away = agentPage.locator('#presence button[data-presence=away]');
    // The signed-in agent shows by display name, the id beside it.
    expect(await agentPage.locator('#agent').textContent()).toContain('王芳（alice）');
    await online.click();
    await expect.poll(() => online.getAttribute('aria-pressed')).toBe('true');
    const measured: Record<string, Awaited<ReturnType<typeof contrastOf>>> = {};
    await agentPage.mouse.move(640, 700);
    measured.pressed = await contrastOf(online);
    await online.hover();
    measured['pressed, hover'] = await contrastOf(online);
    await agentPage.screenshot({ path: join(OUT, 'console-presence.png'), clip: { x: 0, y: 0, width: 1280, height: 160 } });
    await away.hover();
    measured['not pressed, hover'] = await contrastOf(away);
    await agentPage.mouse.move(640, 700);
    // Keyboard focus (focus-visible): from 离开 back to 在线 with Shift+Tab.
    await away.focus();
    await agentPage.keyboard.press('Shift+Tab');
    expect(await online.evaluate((n) => (n as unknown as { matches(s: string): boolean }).matches(':focus-visible'))).toBe(true);
    measured['pressed, focus'] = await contrastOf(online);
    await agentPage.keyboard.press('Tab');
    measured['not pressed, focus'] = await contrastOf(away);
    for (const [state, m] of Object.entries(measured))
      expect(m.ratio, `${state}: ${m.color} on ${m.background}`).toBeGreaterThanOrEqual(4.5);
    // axe with the mouse resting on the pressed button, as after a click (issue 13: it failed color-contrast).
    await online.hover();
    await expectNoBlockingAxe(agentPage, 'signed in');
  });

  it('tells the citizen the agent’s name and the time of each message, and has nothing serious for axe with a chat open', async () => {
    await citizenPage.goto(`${base}/`);
    await citizenPage.locator('#hl-chat-widget .launcher').click();
    await citizenPage.locator('#hl-chat-widget[data-state="在线"]').waitFor({ state: 'attached', timeout: 10_000 });
    await citizenPage.locator('#hl-chat-widget form.ask input').fill('大连透析审核怎么办？');
    await citizenPage.locator('#hl-chat-widget form button[type=submit]').click();
    await expect
      .poll(() => citizenPage.locator('#hl-chat-widget .msg.bot').last().getAttribute('data-type'), { timeout: 5000 })
      .toBe('answer');
    await citizenPage.locator('#hl-chat-widget button.human').click();
    // 王芳 is online with room: the chat is hers at once.
    await agentPage.locator('#chat .entry[data-role=bot]').first().waitFor({ timeout: 5000 });
    const before = Date.now();
    await agentPage.locator('#chat textarea').fill('您好，透析治疗的审核已改为系统自动通过。');
    await agentPage.locator('#chat button.send').click();
    await expect
      .poll(() => citizenPage.locator('#hl-chat-widget .msg.agent').last().textContent(), { timeout: 5000 })
      .toContain('自动通过');
    const said = citizenFrames.find((f) => f.type === 'agent');
    expect(said).toMatchObject({ text: '您好，透析治疗的审核已改为系统自动通过。', agent: { name: '王芳' } });
    expect(said?.at).toBeGreaterThanOrEqual(before - 1000);
    expect(said?.at).toBeLessThanOrEqual(Date.now());
    await expectNoBlockingAxe(agentPage, 'with a chat open');
  }, 40_000);

  it('lists 包头’s three numbers, cited, for 医保热线是多少 in the assist panel', async () => {
    await agentPage.locator('#assist textarea').fill('医保热线是多少');
    await agentPage.locator('#assist select').selectOption('包头');
    await agentPage.locator('#assist button.query').click();
    const first = agentPage.locator('#assist .suggestion').first();
    await first.waitFor({ timeout: 5000 });
    const text = (await first.textContent()) ?? '';
    for (const n of ['0472-6970828', '0472-6970829', '0472-6169515']) expect(text).toContain(n);
    expect(await first.locator('.citations a').count()).toBeGreaterThanOrEqual(2);
  });

  it('labels the card’s links by the notice’s short title and clause, keeps numbers whole, and leaves the noise out', async () => {
    await agentPage.locator('#card select').selectOption('大连');
    await agentPage.locator('#card .entry[data-type=phone]').first().waitFor({ timeout: 5000 });
    expect((await agentPage.locator('#card .entry[data-type=duration] .value').allTextContents()).join()).not.toContain('24小时');
    expect(await agentPage.locator('#card [data-group=money]').count()).toBe(0);
    // Its hours are in its name already (24小时医保热线): not said twice.
    expect(await agentPage.locator('#card .entry[data-type=phone] .fact').textContent()).toBe('24小时医保热线：83709222');

    await agentPage.locator('#card select').selectOption('包头');
    await expect.poll(() => agentPage.locator('#card .entry[data-type=phone]').count(), { timeout: 5000 }).toBe(3);
    const links = await agentPage.locator('#card a.clause').allTextContents();
    expect(links).toContain('做好新冠肺炎疫情防控期间医疗保险经办业务 第十二条（四）');
    for (const l of links) expect(l).not.toMatch(/baotou|#|\d{4}-\d{2}-\d{2}/);
    // The full title and the date are the link's title (a tooltip).
    expect(await agentPage.locator('#card a.clause').first().getAttribute('title')).toBe(
      '《关于做好新冠肺炎疫情防控期间医疗保险经办业务的紧急通知》 2022-10-08 第十二条（四）',
    );
    expect(await agentPage.locator('#card .sources-of-card').textContent()).toContain(
      '《做好新冠肺炎疫情防控期间医疗保险经办业务》（2022-10-08）',
    );
    // Every number on the card, in a value or inside a sentence, stands on one line: it never breaks.
    const numbers = agentPage.locator('#card .number');
    expect(await numbers.count()).toBeGreaterThanOrEqual(6);
    const lines = await numbers.evaluateAll((nodes) =>
      nodes.map((n) => ({
        text: (n as unknown as { textContent: string }).textContent,
        rects: (n as unknown as { getClientRects(): { length: number } }).getClientRects().length,
        wrap: (globalThis as unknown as { getComputedStyle(n: unknown): { whiteSpace: string } }).getComputedStyle(n).whiteSpace,
      })),
    );
    for (const n of lines) expect(n, n.text).toMatchObject({ rects: 1, wrap: 'nowrap' });
    await agentPage
      .locator('#card')
      .evaluate((n) => (n as unknown as { scrollIntoView(o: object): void }).scrollIntoView({ block: 'start' }));
    await agentPage.screenshot({ path: join(OUT, 'console-card.png') });
    await expectNoBlockingAxe(agentPage, 'with the card');
  });

  it('shows a closed ticket’s resolution in Chinese, and an unknown code as it was typed', async () => {
    const known = await ticketFromCitizen('请回电：慢性病备案');
    const unknown = await ticketFromCitizen('请回电：异地就医');
    const close = (id: string, resolution: string) =>
      app.inject({
        method: 'POST',
        url: `/api/agent/tickets/${id}/close`,
        headers: { authorization: `Bearer ${ALICE}` },
        payload: { resolution },
      });
    expect((await close(known, 'answered')).statusCode).toBe(200);
    expect((await close(unknown, 'called-back-twice')).statusCode).toBe(200);
    await agentPage.locator('#tickets select.status').selectOption('closed');
    const row = (id: string) => agentPage.locator(`#tickets li[data-ticket="${id}"]`);
    await row(known).waitFor({ timeout: 5000 });
    expect(await row(known).textContent()).toContain('结果：已回电解答');
    expect(await row(known).textContent()).not.toContain('answered');
    expect(await row(unknown).textContent()).toContain('结果：called-back-twice');
  });

  it('opens a ticket’s conversation read-only from the ticket, and closes back to it', async () => {
    const id = await ticketFromCitizen();
    await agentPage.locator('#tickets select.status').selectOption('open');
    const row = agentPage.locator(`#tickets li[data-ticket="${id}"]`);
    await row.waitFor({ timeout: 5000 });
    await row.locator('button.transcript').click();
    const dialog = agentPage.locator('#ticket-transcript');
    await dialog.locator('.entry[data-role=bot]').waitFor({ timeout: 5000 });
    expect(await dialog.locator('h2').textContent()).toBe(`工单 ${id} · 会话记录`);
    expect(
      await dialog
        .locator('.entry[data-role]')
        .evaluateAll((n) => n.map((e) => (e as unknown as { dataset: { role: string } }).dataset.role)),
    ).toEqual(['user', 'bot', 'system']);
    expect(await dialog.locator('.entry[data-role=user]').textContent()).toContain('高血压一次能开几个月的药？');
    expect(await dialog.locator('.entry[data-role=bot] details.sources').count()).toBe(1);
    expect(await dialog.textContent()).toContain('13804712345');
    // Read-only: nothing to write with.
    expect(await dialog.locator('textarea, input, button.send, button.use').count()).toBe(0);
    await agentPage.screenshot({ path: join(OUT, 'console-ticket-transcript.png') });
    await expectNoBlockingAxe(agentPage, 'with a ticket’s conversation open');
    await agentPage.keyboard.press('Escape');
    await expect.poll(() => dialog.evaluate((d) => (d as unknown as { open: boolean }).open)).toBe(false);
    expect(
      await row
        .locator('button.transcript')
        .evaluate((b) => b === (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement),
    ).toBe(true);
  });
});
