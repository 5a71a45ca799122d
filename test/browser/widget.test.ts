/**
 * The widget in a real browser: Debian's Chromium driven by playwright-core opens the demo page, asks,
 * sees the cited answer, clicks a suggestion chip, survives a server restart by reconnecting, and shows an
 * injection attempt as plain text; on a phone-size screen the panel fills it and works by keyboard.
 * Screenshots are kept under test-output/ (widget.png, widget-phone.png).
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, buildAssistant } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { KnowledgeStore } from '../../src/kb/store.js';
import { chromiumAvailable, launchChromium } from '../helpers/browser.js';
import { projectKnowledge, ROOT } from '../helpers/knowledge.js';

const available = chromiumAvailable();

let app: FastifyInstance;
let port = 0;
let browser: Browser;
let page: Page;

async function start(): Promise<void> {
  const config = loadConfig({});
  const knowledge = new KnowledgeStore(projectKnowledge);
  await knowledge.reload();
  app = await buildApp({ config, knowledge, assistant: await buildAssistant(config), logger: false });
  await app.listen({ port, host: '127.0.0.1' });
  port = (app.server.address() as { port: number }).port;
}

async function askInPage(text: string): Promise<void> {
  await page.locator('#hl-chat-widget input').fill(text);
  await page.locator('#hl-chat-widget form button[type=submit]').click();
}

describe.runIf(available)('the chat widget in Chromium', () => {
  beforeAll(async () => {
    await start();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.locator('#hl-chat-widget .launcher').click();
    await page.locator('#hl-chat-widget[data-state="在线"]').waitFor({ state: 'attached', timeout: 10_000 });
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('offers the cities as chips when it asks back, and a click answers (a new conversation knows no city)', async () => {
    await askInPage('慢性病处方能开多久的药？');
    const chip = page.locator('#hl-chat-widget .chip', { hasText: '包头' }).last();
    await chip.waitFor({ timeout: 5000 });
    await chip.click();
    const reply = page.locator('#hl-chat-widget .msg.bot').last();
    await expect.poll(() => reply.textContent(), { timeout: 5000 }).toContain('包头：');
    await expect.poll(() => reply.getAttribute('data-type')).toBe('answer');
  });

  it('answers a question naming another city with its sources linking to the clause', async () => {
    await askInPage('大连透析审核怎么办？');
    const reply = page.locator('#hl-chat-widget .msg.bot').last();
    await expect.poll(() => reply.textContent(), { timeout: 5000 }).toContain('自动通过');
    await reply.locator('summary').click();
    const href = await reply.locator('details a').first().getAttribute('href');
    expect(href).toBe(`http://127.0.0.1:${port}/notices/dalian-2020-02-20#${encodeURIComponent('s3.四')}`);
  });

  it('shows an injection attempt as plain text', async () => {
    const attack = '<img src=x onerror="window.__pwned=1"><b>粗体</b>';
    await askInPage(attack);
    const mine = page.locator('#hl-chat-widget .msg.user').last();
    await expect.poll(() => mine.textContent()).toBe(attack);
    expect(await mine.locator('img, b').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  });

  it('fills a phone’s screen, works by keyboard alone and closes with Escape', async () => {
    const phone = await browser.newPage({ viewport: { width: 375, height: 667 }, isMobile: true, hasTouch: true });
    try {
      await phone.goto(`http://127.0.0.1:${port}/`);
      const widget = phone.locator('#hl-chat-widget');
      await widget.locator('.launcher').focus();
      await phone.keyboard.press('Enter');
      const panel = widget.locator('.panel');
      await panel.waitFor({ state: 'visible' });
      const box = await panel.boundingBox();
      expect(box).not.toBeNull();
      expect(box?.x).toBe(0);
      expect(box?.width).toBe(375);
      expect(box?.height).toBe(667);
      await phone.locator('#hl-chat-widget[data-state="在线"]').waitFor({ state: 'attached', timeout: 10_000 });
      // Type and send with the keyboard only.
      await widget.locator('input').focus();
      await phone.keyboard.type('北京慢性病能开几个月的药？');
      await phone.keyboard.press('Enter');
      const reply = widget.locator('.msg.bot').last();
      await expect.poll(() => reply.getAttribute('data-type'), { timeout: 5000 }).toBe('answer');
      const input = await widget.locator('input').boundingBox();
      expect((input?.y ?? 0) + (input?.height ?? 0)).toBeLessThanOrEqual(667);
      await mkdir(join(ROOT, 'test-output'), { recursive: true });
      await phone.screenshot({ path: join(ROOT, 'test-output', 'widget-phone.png') });
      await phone.keyboard.press('Escape');
      await panel.waitFor({ state: 'hidden' });
      expect(await widget.locator('.launcher').getAttribute('aria-expanded')).toBe('false');
    } finally {
      await phone.close();
    }
  }, 30_000);

  it('offers the hotline and a callback form when no person is there, checks the phone and shows the ticket id', async () => {
    await askInPage('大连透析审核怎么办？');
    await expect.poll(() => page.locator('#hl-chat-widget .msg.bot').last().getAttribute('data-type'), { timeout: 5000 }).toBe('answer');
    await page.locator('#hl-chat-widget button.human').click();
    const line = page.locator('#hl-chat-widget .msg.system[data-event=unavailable]').last();
    await expect.poll(() => line.textContent(), { timeout: 5000 }).toContain('83709222');
    const form = page.locator('#hl-chat-widget form.ticket').last();
    await form.locator('input[name=phone]').fill('12345');
    await form.locator('input[name=question]').fill('透析审核的问题想请工作人员回电');
    await form.locator('button[type=submit]').click();
    await expect.poll(() => form.locator('.error').textContent(), { timeout: 5000 }).toContain('正确的手机号码');
    await form.locator('input[name=phone]').fill('0411-83709222');
    await form.locator('button[type=submit]').click();
    const done = page.locator('#hl-chat-widget .msg.system[data-event=ticket]').last();
    await expect.poll(() => done.textContent(), { timeout: 5000 }).toMatch(/工单号 T\d{6}/);
    expect(await page.locator('#hl-chat-widget form.ticket').count()).toBe(0);
  });

  it('reconnects after the server restarts and goes on answering', async () => {
    await app.close();
    await expect.poll(() => page.locator('#hl-chat-widget').getAttribute('data-state'), { timeout: 5000 }).toContain('重连');
    await start();
    await expect.poll(() => page.locator('#hl-chat-widget').getAttribute('data-state'), { timeout: 15_000 }).toBe('在线');
    await askInPage('商洛企业缓缴医保最长多久？');
    const reply = page.locator('#hl-chat-widget .msg.bot').last();
    await expect.poll(() => reply.textContent(), { timeout: 5000 }).toContain('3个月');
    await mkdir(join(ROOT, 'test-output'), { recursive: true });
    await page.screenshot({ path: join(ROOT, 'test-output', 'widget.png') });
  }, 30_000);
});
