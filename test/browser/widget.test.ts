/**
 * The widget in a real browser (Debian's Chromium driven by playwright-core), on the demo page at 1280×800:
 * it asks, shows the cited answer with its time, clicks a suggestion chip, shows an injection attempt as plain
 * text, says the bot's reply before the desk's note and the callback form, copies and downloads the
 * conversation, shows it again after a reload, says when the connection drops and comes back without
 * repeating a line, and follows the asker's script. axe-core finds nothing serious or critical closed, open,
 * with sources expanded and with the callback form.
 * Screenshots under test-output/: widget.png, widget-history.png, widget-phone.png.
 */
import { readFile } from 'node:fs/promises';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toTraditional } from '../../src/ingest/script.js';
import { chromiumAvailable, launchChromium } from '../helpers/browser.js';
import { axe, type PageGlobals, type Server, screenshot, serve } from './widget-kit.js';

const available = chromiumAvailable();

const W = '#hl-chat-widget';
const DAY = 86_400_000;

let server: Server;
let browser: Browser;
let context: BrowserContext;
let page: Page;

async function askInPage(p: Page, text: string): Promise<void> {
  await p.locator(`${W} form.ask input`).fill(text);
  await p.locator(`${W} form.ask button[type=submit]`).click();
}

const texts = (l: Locator) => l.locator('.text').allTextContents();

/** The conversation as saved: 保存对话 → 复制对话 (the clipboard) or 下载对话 (the file). */
async function save(p: Page, how: 'copy' | 'download'): Promise<{ text: string; file?: string }> {
  await p.locator(`${W} button.more`).click();
  if (how === 'copy') {
    await p.locator(`${W} button.copy`).click();
    await expect.poll(() => p.locator(`${W} .toast`).textContent()).toContain('已复制');
    return { text: await p.evaluate(() => (globalThis as unknown as PageGlobals).navigator.clipboard.readText()) };
  }
  const [download] = await Promise.all([p.waitForEvent('download'), p.locator(`${W} button.download`).click()]);
  const path = await download.path();
  const text = (await readFile(path, 'utf8')).replace(/^\ufeff/, '');
  return { text, file: download.suggestedFilename() };
}

describe.runIf(available)('the chat widget in Chromium', () => {
  beforeAll(async () => {
    server = await serve();
    browser = await launchChromium();
    context = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      timezoneId: 'Asia/Shanghai',
      permissions: ['clipboard-read', 'clipboard-write'],
      // axe-core goes in as an inline script, which the demo page's CSP (rightly) refuses.
      bypassCSP: true,
    });
    page = await context.newPage();
    await page.goto(`${server.base}/`);
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('has nothing serious or critical for axe-core, closed and open', async () => {
    const closed = await axe(page);
    expect(closed.violations.filter((v) => /^(serious|critical)/.test(v))).toEqual([]);
    await page.locator(`${W} .launcher`).click();
    await page.locator(`${W}[data-state="在线"]`).waitFor({ state: 'attached', timeout: 10_000 });
    const open = await axe(page);
    expect([open.serious, open.critical]).toEqual([0, 0]);
    // Nothing at all on the demo page either (it has its <main>, the widget its dialog).
    expect([...closed.violations, ...open.violations]).toEqual([]);
  });

  it('offers the cities as chips when it asks back, and a click answers (a new conversation knows no city)', async () => {
    await askInPage(page, '慢性病处方能开多久的药？');
    const chip = page.locator(`${W} .chip`, { hasText: '包头' }).last();
    await chip.waitFor({ timeout: 5000 });
    await chip.click();
    const reply = page.locator(`${W} .msg.bot`).last();
    await expect.poll(() => reply.textContent(), { timeout: 5000 }).toContain('包头：');
    await expect.poll(() => reply.getAttribute('data-type')).toBe('answer');
  });

  it('answers with its sources linking to the clause, every line with its time, and axe finds nothing serious with them open', async () => {
    const before = Date.now();
    await askInPage(page, '大连透析审核怎么办？');
    const reply = page.locator(`${W} .msg.bot`).last();
    await expect.poll(() => reply.textContent(), { timeout: 5000 }).toContain('自动通过');
    await reply.locator('summary').click();
    const href = await reply.locator('details a').first().getAttribute('href');
    expect(href).toBe(`${server.base}/notices/dalian-2020-02-20#${encodeURIComponent('s3.四')}`);
    for (const line of [page.locator(`${W} .msg.user`).last(), reply]) {
      const time = line.locator('.meta time');
      expect(await time.textContent()).toMatch(/^\d{2}:\d{2}$/);
      const at = Date.parse((await time.getAttribute('datetime')) ?? '');
      expect(at).toBeGreaterThanOrEqual(before - 60_000);
      expect(at).toBeLessThanOrEqual(Date.now());
    }
    const figures = await axe(page);
    expect(figures.violations.filter((v) => /^(serious|critical)/.test(v))).toEqual([]);
  });

  it('shows an injection attempt as plain text', async () => {
    const attack = '<img src=x onerror="window.__pwned=1"><b>粗体</b>';
    await askInPage(page, attack);
    const mine = page.locator(`${W} .msg.user`).last();
    await expect.poll(() => mine.locator('.text').textContent()).toBe(attack);
    expect(await mine.locator('img, b').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  });

  it('says the bot’s reply, then that nobody is there, then offers the callback form, in that order (issue 13, rough edge 3)', async () => {
    await askInPage(page, '我要投诉，窗口态度很差');
    const form = page.locator(`${W} form.ticket`).last();
    await form.waitFor({ timeout: 5000 });
    const tail = await page
      .locator(`${W} .log > *`)
      .evaluateAll((nodes) =>
        nodes.slice(-3).map((n) => `${n.tagName.toLowerCase()}.${n.className.replaceAll(' ', '.')}:${n.dataset.event ?? ''}`),
      );
    expect(tail).toEqual(['div.msg.bot.handoff:', 'div.msg.system:unavailable', 'form.ticket:']);
    const figures = await axe(page);
    expect([figures.serious, figures.critical]).toEqual([0, 0]);
    await form.locator('input[name=phone]').fill('13804712345');
    await form.locator('input[name=question]').fill('窗口工作人员态度问题');
    await form.locator('button[type=submit]').click();
    const done = page.locator(`${W} .msg.system[data-event=ticket]`).last();
    await expect.poll(() => done.textContent(), { timeout: 5000 }).toMatch(/工单号 T\d{6}/);
  });

  it('offers the hotline and a callback form after 转人工 when no person is there, checks the phone and shows the ticket id', async () => {
    await askInPage(page, '大连透析审核怎么办？');
    await expect.poll(() => page.locator(`${W} .msg.bot`).last().getAttribute('data-type'), { timeout: 5000 }).toBe('answer');
    await page.locator(`${W} button.human`).click();
    const line = page.locator(`${W} .msg.system[data-event=unavailable]`).last();
    await expect.poll(() => line.textContent(), { timeout: 5000 }).toContain('83709222');
    const form = page.locator(`${W} form.ticket`).last();
    await form.locator('input[name=phone]').fill('12345');
    await form.locator('input[name=question]').fill('透析审核的问题想请工作人员回电');
    await form.locator('button[type=submit]').click();
    await expect.poll(() => form.locator('.error').textContent(), { timeout: 5000 }).toContain('正确的手机号码');
    const tickets = page.locator(`${W} .msg.system[data-event=ticket]`);
    const before = await tickets.count();
    await form.locator('input[name=phone]').fill('0411-83709222');
    await form.locator('button[type=submit]').click();
    await expect.poll(() => tickets.count(), { timeout: 5000 }).toBe(before + 1);
    expect(await tickets.last().textContent()).toMatch(/工单号 T\d{6}/);
    expect(await page.locator(`${W} form.ticket`).count()).toBe(0);
    // The submit button went away with the form: the focus stayed in the dialog.
    expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).document.activeElement?.id)).toBe('hl-chat-widget');
  });

  it('copies the conversation and downloads it as text: the title and date, each line’s time and speaker, the sources, the ticket', async () => {
    const ticket = (await page.locator(`${W} .msg.system[data-event=ticket]`).last().textContent())?.match(/T\d{6}/)?.[0];
    const copied = (await save(page, 'copy')).text;
    const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
    expect(copied.split('\n').slice(0, 2)).toEqual([
      '医保咨询 · 对话记录',
      expect.stringMatching(new RegExp(`^日期：${today} \\d{2}:\\d{2}$`)),
    ]);
    expect(copied).toMatch(/\n\[\d{2}:\d{2}\] 我：大连透析审核怎么办？\n\[\d{2}:\d{2}\] 智能助手：大连：/);
    expect(copied).toContain(`  来源：`);
    expect(copied).toContain(` s3.四 ${server.base}/notices/dalian-2020-02-20#${encodeURIComponent('s3.四')}`);
    expect(copied).toMatch(/ {2}原文：.*自动通过/);
    expect(copied).toContain(`工单号 ${ticket}`);
    const { text, file } = await save(page, 'download');
    expect(file).toMatch(/^医保咨询-对话记录-\d{8}-\d{4}\.txt$/);
    expect(text.split('\n').slice(2)).toEqual(copied.split('\n').slice(2));
  });

  it('shows the conversation again after a reload: the same lines with their times and sources, the panel open as it was', async () => {
    const users = (await texts(page.locator(`${W} .msg.user`))).filter((t) => t !== '转人工');
    const bots = await texts(page.locator(`${W} .msg.bot`));
    await page.reload();
    await page.locator(`${W} .panel`).waitFor({ state: 'visible' });
    await expect.poll(() => texts(page.locator(`${W} .msg.user`)), { timeout: 5000 }).toEqual(users);
    expect(await texts(page.locator(`${W} .msg.bot`))).toEqual(bots);
    // What the desk wrote down stays too: the ticket number.
    expect(await page.locator(`${W} .msg.system[data-event=history]`).allTextContents()).toContainEqual(
      expect.stringMatching(/工单号 T\d{6}/),
    );
    expect(await page.locator(`${W} .msg time[datetime]`).count()).toBe(await page.locator(`${W} .msg`).count());
    const cited = page.locator(`${W} .msg.bot`, { hasText: '自动通过' }).last();
    await cited.locator('summary').click();
    expect(await cited.locator('details a').first().getAttribute('href')).toContain('/notices/dalian-2020-02-20#');
    await screenshot(page, 'widget-history.png');
  });

  it('says the connection dropped and came back after a server restart, repeats no line, and goes on answering', async () => {
    const count = await page.locator(`${W} .msg.user, ${W} .msg.bot`).count();
    await server.stop();
    await expect.poll(() => page.locator(W).getAttribute('data-state'), { timeout: 5000 }).toContain('重连');
    await expect.poll(() => page.locator(`${W} .msg.system[data-event=dropped]`).textContent(), { timeout: 5000 }).toContain('连接已断开');
    await server.start();
    await expect.poll(() => page.locator(W).getAttribute('data-state'), { timeout: 15_000 }).toBe('在线');
    await expect
      .poll(() => page.locator(`${W} .msg.system[data-event=reconnected]`).textContent(), { timeout: 5000 })
      .toContain('已重新连接');
    expect(await page.locator(`${W} .state`).textContent()).toBe('在线');
    expect(await page.locator(`${W} .msg.user, ${W} .msg.bot`).count()).toBe(count);
    await askInPage(page, '商洛企业缓缴医保最长多久？');
    const reply = page.locator(`${W} .msg.bot`).last();
    await expect.poll(() => reply.textContent(), { timeout: 5000 }).toContain('3个月');
    await screenshot(page, 'widget.png');
  }, 30_000);

  it('puts its labels in the asker’s script and shows a quote published in the other script in theirs on request', async () => {
    // The server gives reply.script and, for a notice in the other script, each citation's readerQuote.
    const p = await context.newPage();
    try {
      await p.goto(`${server.base}/`);
      await p.locator(`${W} .launcher`).click();
      await askInPage(p, '大連透析審核怎麼辦？');
      const reply = p.locator(`${W} .msg.bot`).last();
      await expect.poll(() => reply.locator('summary').textContent(), { timeout: 5000 }).toMatch(/^來源（\d）$/);
      expect(await p.locator(`${W} button.human`).textContent()).toBe('轉人工');
      expect(await p.locator(`${W} form.ask button`).textContent()).toBe('發送');
      expect(await p.locator(`${W} button.more`).textContent()).toBe('保存對話');
      await reply.locator('summary').click();
      const quote = reply.locator('blockquote').first();
      const published = (await quote.textContent()) ?? '';
      const toggle = reply.locator('button.script').first();
      expect(await toggle.textContent()).toBe('繁體');
      expect(await toggle.getAttribute('aria-pressed')).toBe('false');
      await toggle.click();
      expect(await quote.textContent()).toBe(toTraditional(published));
      expect(await toggle.getAttribute('aria-pressed')).toBe('true');
      await toggle.click();
      expect(await quote.textContent()).toBe(published);
    } finally {
      await p.close();
    }
  });

  it('dates the lines that were not said today, on screen and in the download', async () => {
    await page.clock.setFixedTime(Date.now() + DAY);
    await page.reload();
    const time = page.locator(`${W} .msg.user .meta time`).first();
    await expect.poll(() => time.textContent(), { timeout: 5000 }).toMatch(/^\d{1,2}月\d{1,2}日 \d{2}:\d{2}$/);
    const { text } = await save(page, 'download');
    const tomorrow = new Date(Date.now() + DAY).toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
    expect(text).toContain(`日期：${tomorrow} `);
    expect(text).toMatch(/\n\[\d{1,2}月\d{1,2}日 \d{2}:\d{2}\] 我：/);
    // The connection's notes are not part of the conversation.
    expect(text).not.toContain('连接');
  });

  it('fills a phone’s screen, works by keyboard alone and closes with Escape', async () => {
    const phone = await browser.newPage({ viewport: { width: 375, height: 667 }, isMobile: true, hasTouch: true });
    try {
      await phone.goto(`${server.base}/`);
      const widget = phone.locator(W);
      await widget.locator('.launcher').focus();
      await phone.keyboard.press('Enter');
      const panel = widget.locator('.panel');
      await panel.waitFor({ state: 'visible' });
      const box = await panel.boundingBox();
      expect(box).toEqual({ x: 0, y: 0, width: 375, height: 667 });
      await phone.locator(`${W}[data-state="在线"]`).waitFor({ state: 'attached', timeout: 10_000 });
      // The launcher opened the dialog and left; the focus is in the input: type and send with the keyboard.
      expect(await widget.locator('.launcher').isHidden()).toBe(true);
      await phone.keyboard.type('北京慢性病能开几个月的药？');
      await phone.keyboard.press('Enter');
      const reply = widget.locator('.msg.bot').last();
      await expect.poll(() => reply.getAttribute('data-type'), { timeout: 5000 }).toBe('answer');
      const input = await widget.locator('form.ask input').boundingBox();
      expect((input?.y ?? 0) + (input?.height ?? 0)).toBeLessThanOrEqual(667);
      await screenshot(phone, 'widget-phone.png');
      await phone.keyboard.press('Escape');
      await panel.waitFor({ state: 'hidden' });
      expect(await widget.locator('.launcher').getAttribute('aria-expanded')).toBe('false');
    } finally {
      await phone.close();
    }
  }, 30_000);
});
