/**
 * The widget in a handoff, in Chromium at 1280×800, with an agent (Bob, one chat at a time) on the console's
 * socket: the focus stays in the dialog by keyboard alone, a message while queued is acknowledged, a reload
 * puts the page back in the queue (with 取消排队) or in the agent's chat, the agent's replies while the panel is
 * closed show as a badge (in the launcher's name), a flashing title and a tone, a dropped connection loses none
 * of the agent's lines. axe-core finds nothing serious or critical while queued or with the agent.
 * Screenshots: widget-reload-queued.png, widget-badge.png, widget-reload-agent.png.
 */
import type { Browser, Page, WebSocketRoute } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium } from '../helpers/browser.js';
import { agentSocket, axe, chatSocket, hostPage, type PageGlobals, type Server, screenshot, serve } from './widget-kit.js';

const available = chromiumAvailable();

const BOB = 'bob-widget-token-00000001';
const W = '#hl-chat-widget';

let server: Server;
let browser: Browser;
let page: Page;
let bob: Awaited<ReturnType<typeof agentSocket>>;
let busy: Awaited<ReturnType<typeof chatSocket>>;
let busySession = '';
let citizenSession = '';
/** The widget's socket as the page sees it and the server side of it (to drop the connection). */
let route: { page: WebSocketRoute; server: WebSocketRoute } | null = null;
const errors: string[] = [];

async function askInPage(text: string): Promise<void> {
  await page.locator(`${W} form.ask input`).fill(text);
  await page.locator(`${W} form.ask button[type=submit]`).click();
}

/** What has the keyboard focus inside the widget (`tag.class`), or `outside:TAG`. */
function focused(): Promise<string> {
  return page.evaluate(() => {
    const { document } = globalThis as unknown as PageGlobals;
    const outer = document.activeElement;
    const inner = outer?.shadowRoot?.activeElement;
    if (!inner) return `outside:${outer?.tagName}`;
    return `${inner.tagName.toLowerCase()}${inner.className ? `.${inner.className.split(' ')[0]}` : ''}`;
  });
}

const texts = (selector: string) => page.locator(`${W} ${selector} .text`).allTextContents();

describe.runIf(available)('the chat widget in a handoff, in Chromium', () => {
  beforeAll(async () => {
    server = await serve(
      { AGENT_TOKENS: `bob=王芳:${BOB}`, AGENT_CAPACITY: '1' },
      {
        '/help': hostPage('<main><h1>帮助中心</h1><p>有问题请点右下角的医保咨询。</p></main>', {
          script: '<script src="/widget.js" data-title="医保咨询" data-sound="on"></script>',
        }),
      },
    );
    bob = await agentSocket(server.base, BOB);
    await bob.f.next('welcome');
    // Bob is busy with another citizen, so the next one waits.
    busy = await chatSocket(server.base);
    busy.send({ type: 'handoff' });
    busySession = (await bob.f.next('chat')).sessionId as string;

    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, timezoneId: 'Asia/Shanghai', bypassCSP: true });
    page = await context.newPage();
    page.on('pageerror', (e) => errors.push(String(e)));
    // Counts the widget's tones.
    await page.addInitScript(() => {
      const w = globalThis as unknown as PageGlobals;
      w.__tones = 0;
      const create = w.AudioContext.prototype.createOscillator;
      w.AudioContext.prototype.createOscillator = function (this: unknown) {
        w.__tones++;
        return create.call(this);
      };
    });
    // The chat's frames pass through the test, which can cut the connection (a dropped socket).
    await page.routeWebSocket(/\/ws\/chat$/, (ws) => {
      const upstream = ws.connectToServer();
      route = { page: ws, server: upstream };
      upstream.onMessage((message) => {
        const f = JSON.parse(String(message));
        if (f.type === 'ready') citizenSession = f.sessionId;
        ws.send(JSON.stringify(f));
      });
    });
    await page.goto(`${server.base}/help`);
  }, 30_000);

  afterAll(async () => {
    bob?.s.terminate();
    busy?.s.terminate();
    await browser?.close();
    await server?.stop();
  });

  it('keeps the focus in the open dialog: Tab goes round, 转人工 leaves it inside, Escape closes and gives it to the launcher', async () => {
    const launcher = page.locator(`${W} .launcher`);
    await launcher.focus();
    await page.keyboard.press('Enter');
    await page.locator(`${W}[data-state="在线"]`).waitFor({ state: 'attached', timeout: 10_000 });
    expect(await focused()).toBe('input');
    // The launcher is out of the page (and the tab order) while the dialog is open.
    expect(await launcher.isHidden()).toBe(true);
    await askInPage('大连透析审核怎么办？');
    await expect.poll(() => page.locator(`${W} .msg.bot`).last().getAttribute('data-type'), { timeout: 5000 }).toBe('answer');

    const round: string[] = [];
    for (let i = 0; i < 16; i++) {
      await page.keyboard.press('Tab');
      round.push(await focused());
    }
    expect(round.filter((f) => f.startsWith('outside'))).toEqual([]);
    expect(new Set(round)).toEqual(
      new Set(['button.human', 'button.more', 'button.close', 'div.log', 'summary', 'button.vote', 'input', 'button']),
    );
    // Backwards from the first stop comes the last one.
    await page.locator(`${W} button.human`).focus();
    await page.keyboard.press('Shift+Tab');
    expect(await focused()).toBe('button');

    await page.locator(`${W} button.human`).focus();
    await page.keyboard.press('Enter');
    const queued = page.locator(`${W} .msg.system[data-event=queued]`);
    await expect.poll(() => queued.textContent(), { timeout: 5000 }).toContain('您是下一位');
    expect(await page.locator(`${W} button.human`).isDisabled()).toBe(true);
    expect(await focused()).toBe('input');
    const figures = await axe(page);
    expect(figures.violations.filter((v) => /^(serious|critical)/.test(v))).toEqual([]);

    await page.keyboard.press('Escape');
    await page.locator(`${W} .panel`).waitFor({ state: 'hidden' });
    expect(await focused()).toBe('button.launcher');
    await page.keyboard.press('Enter');
    expect(await focused()).toBe('input');
  });

  it('acknowledges a message sent while queued', async () => {
    await askInPage('透析审核一直没通过怎么办？');
    const ack = page.locator(`${W} .msg.system[data-event=ack]`).last();
    await expect.poll(() => ack.textContent(), { timeout: 5000 }).toContain('人工客服接入后会先看到');
  });

  it('is back in the queue with 取消排队 after a reload, the conversation above it once', async () => {
    const users = (await texts('.msg.user')).filter((t) => t !== '转人工');
    const bots = await texts('.msg.bot');
    await page.reload();
    await page.locator(`${W} .panel`).waitFor({ state: 'visible' });
    const resumed = page.locator(`${W} .msg.system[data-event=resumed]`);
    await expect.poll(() => resumed.textContent(), { timeout: 5000 }).toContain('正在排队等待人工客服');
    expect(await resumed.locator('button.cancel').textContent()).toBe('取消排队');
    expect(await page.locator(`${W} button.cancel`).count()).toBe(1);
    expect(await page.locator(`${W} button.human`).isDisabled()).toBe(true);
    expect(await texts('.msg.user')).toEqual(users);
    expect(await texts('.msg.bot')).toEqual(bots);
    await screenshot(page, 'widget-reload-queued.png');
    const figures = await axe(page);
    expect([figures.serious, figures.critical]).toEqual([0, 0]);
    await resumed.locator('button.cancel').click();
    await expect.poll(() => page.locator(`${W} .msg.system`).last().textContent(), { timeout: 5000 }).toContain('已取消人工排队');
    expect(await page.locator(`${W} button.human`).isEnabled()).toBe(true);
    expect(await page.locator(`${W} button.cancel`).count()).toBe(0);
  });

  it('counts the agent’s replies on the launcher (and in its name), flashes the title and sounds while the panel is closed; opening shows the newest', async () => {
    bob.send({ type: 'return', sessionId: busySession });
    await bob.f.next('ended');
    await page.locator(`${W} button.human`).click();
    await expect.poll(() => page.locator(`${W} .msg.system`).last().textContent(), { timeout: 5000 }).toContain('人工客服已接入');
    await bob.f.next('chat');
    bob.send({ type: 'message', sessionId: citizenSession, text: '您好，我是人工客服，请问透析审核具体遇到什么问题？' });
    const agent = page.locator(`${W} .msg.agent`).last();
    await expect.poll(() => agent.locator('.text').textContent(), { timeout: 5000 }).toContain('请问透析审核');
    expect(await agent.locator('.who').textContent()).toMatch(/^人工客服 · 王芳 · \d{2}:\d{2}$/);
    // What the citizen writes reaches the agent: marked delivered, no note each time.
    await askInPage('审核提交三天了还没有结果');
    await expect.poll(() => page.locator(`${W} .msg.user`).last().locator('.meta').textContent(), { timeout: 5000 }).toContain('已送达');

    await page.locator(`${W} button.close`).click();
    const tones = await page.evaluate(() => (globalThis as unknown as PageGlobals).__tones);
    for (const text of [
      '我查了一下，您的透析审核已经自动通过。',
      '疫情期间透析审核先自动通过，疫情结束后再补审核。',
      '如还有问题，可以拨打24小时医保热线83709222。',
    ]) {
      bob.send({ type: 'message', sessionId: citizenSession, text });
    }
    const launcher = page.getByRole('button', { name: '医保咨询（3条新消息）' });
    await launcher.waitFor({ timeout: 5000 });
    expect(await page.locator(`${W} .badge`).textContent()).toBe('3');
    await expect.poll(() => page.title(), { timeout: 3000 }).toBe('【新消息】测试页');
    await expect.poll(() => page.title(), { timeout: 3000 }).toBe('测试页');
    await expect.poll(() => page.evaluate(() => (globalThis as unknown as PageGlobals).__tones)).toBe(tones + 3);
    await screenshot(page, 'widget-badge.png');

    await launcher.click();
    expect(await page.locator(`${W} .badge`).isHidden()).toBe(true);
    expect(await page.locator(`${W} .launcher`).getAttribute('aria-label')).toBe('医保咨询');
    expect(await page.title()).toBe('测试页');
    const log = page.locator(`${W} .log`);
    const left = await log.evaluate((l) => l.scrollHeight - l.scrollTop - l.clientHeight);
    expect(left).toBeLessThan(2);
    const last = await page.locator(`${W} .msg.agent`).last().boundingBox();
    const view = await log.boundingBox();
    expect((last?.y ?? 0) + (last?.height ?? 0)).toBeLessThanOrEqual((view?.y ?? 0) + (view?.height ?? 0) + 1);

    // The panel open but the page in the background (another tab): the title says so until the page is back.
    const visibility = (state: 'hidden' | 'visible') =>
      page.evaluate((s) => {
        const { document } = globalThis as unknown as PageGlobals;
        Object.defineProperty(document, 'visibilityState', { value: s, configurable: true });
        (document as unknown as { dispatchEvent(e: unknown): void }).dispatchEvent(new Event('visibilitychange'));
      }, state);
    await visibility('hidden');
    bob.send({ type: 'message', sessionId: citizenSession, text: '您还在吗？' });
    await expect.poll(() => page.title(), { timeout: 3000 }).toBe('【新消息】测试页');
    await visibility('visible');
    expect(await page.title()).toBe('测试页');
    expect(errors).toEqual([]);
  });

  it('is back in the agent’s chat after a reload, and loses none of the agent’s lines when the connection drops', async () => {
    const agentLines = await texts('.msg.agent');
    await page.reload();
    const resumed = page.locator(`${W} .msg.system[data-event=resumed]`);
    await expect.poll(() => resumed.textContent(), { timeout: 5000 }).toContain('人工客服正在为您服务');
    expect(await texts('.msg.agent')).toEqual(agentLines);
    expect(await page.locator(`${W} button.human`).isDisabled()).toBe(true);
    await screenshot(page, 'widget-reload-agent.png');
    const figures = await axe(page);
    expect([figures.serious, figures.critical]).toEqual([0, 0]);

    // The connection drops; the agent writes meanwhile; on the way back the line is there, once.
    route?.server.close();
    route?.page.close();
    bob.send({ type: 'message', sessionId: citizenSession, text: '刚才网络断了吗？审核结果已经发到您的手机。' });
    await expect.poll(() => page.locator(`${W} .msg.system[data-event=reconnected]`).count(), { timeout: 10_000 }).toBe(1);
    expect(await page.locator(`${W} .msg.system[data-event=dropped]`).textContent()).toContain('连接已断开');
    await expect.poll(() => texts('.msg.agent'), { timeout: 5000 }).toEqual([...agentLines, '刚才网络断了吗？审核结果已经发到您的手机。']);

    bob.send({ type: 'return', sessionId: citizenSession });
    await expect.poll(() => page.locator(`${W} .msg.system`).last().textContent(), { timeout: 5000 }).toContain('转回智能助手');
    expect(await page.locator(`${W} button.human`).isEnabled()).toBe(true);
    expect(errors).toEqual([]);
  });
});
