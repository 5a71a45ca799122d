/**
 * 好差评 in the widget, in Chromium at 1280×800 (issue 13): 有帮助 / 没帮助 under an answer (没帮助 with a reason
 * and a comment), and the 1–5 rating of a chat with a person when the agent ends it; both stored (the operators'
 * list shows them) and thanked in their own form; axe-core finds nothing serious or critical in either.
 * Screenshots: widget-feedback.png, widget-rating.png.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium } from '../helpers/browser.js';
import { agentSocket, axe, type Server, screenshot, serve } from './widget-kit.js';

const available = chromiumAvailable();
const BOB = 'bob-feedback-token-000001';
const ADMIN = 'admin-feedback-token-0001';
const W = '#hl-chat-widget';

let server: Server;
let browser: Browser;
let page: Page;

async function listed(kind: 'answer' | 'chat') {
  const res = await fetch(`${server.base}/admin/feedback?kind=${kind}`, { headers: { authorization: `Bearer ${ADMIN}` } });
  return ((await res.json()) as { feedback: Record<string, unknown>[] }).feedback;
}

describe.runIf(available)('好差评 in the chat widget, in Chromium', () => {
  beforeAll(async () => {
    server = await serve({ AGENT_TOKENS: `bob=王芳:${BOB}`, ADMIN_TOKEN: ADMIN });
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, timezoneId: 'Asia/Shanghai', bypassCSP: true });
    page = await context.newPage();
    await page.goto(`${server.base}/`);
    await page.locator(`${W} .launcher`).click();
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('takes 没帮助 with a reason and a comment under an answer, once, and thanks in place', async () => {
    await page.locator(`${W} form.ask input`).fill('大连异地就医备案怎么办理？');
    await page.locator(`${W} form.ask button[type=submit]`).click();
    const answer = page.locator(`${W} .msg.bot.answer`).last();
    const verdict = answer.locator('.verdict');
    await verdict.waitFor({ timeout: 5000 });
    expect(await verdict.getAttribute('aria-label')).toBe('这个回答有帮助吗？');
    await verdict.locator('button.down').click();
    await verdict.locator('label', { hasText: '信息不对' }).click();
    await verdict.locator('textarea.comment').fill('电话打不通');
    expect(await axe(page)).toMatchObject({ serious: 0, critical: 0 });
    await screenshot(page, 'widget-feedback.png');
    await verdict.locator('button.submit').click();
    await expect.poll(() => verdict.locator('.said').textContent(), { timeout: 5000 }).toContain('感谢您的反馈');
    expect(await verdict.locator('button.up').isDisabled()).toBe(true);
    expect(await listed('answer')).toEqual([
      expect.objectContaining({ channel: 'web', vote: 'down', reason: 'wrong', comment: '电话打不通' }),
    ]);
  });

  it('offers the rating when the agent ends the chat, and stores the score with the agent', async () => {
    const bob = await agentSocket(server.base, BOB);
    await bob.f.next('welcome');
    await page.locator(`${W} button.human`).click();
    const sessionId = (await bob.f.next('chat')).sessionId as string;
    bob.send({ type: 'close', sessionId, resolution: 'answered' });
    const rating = page.locator(`${W} form.rating`);
    await rating.waitFor({ timeout: 5000 });
    await rating.locator('label', { hasText: /^满意$/ }).click();
    await rating.locator('textarea.comment').fill('很耐心');
    expect(await axe(page)).toMatchObject({ serious: 0, critical: 0 });
    await screenshot(page, 'widget-rating.png');
    await rating.locator('button.submit').click();
    await expect.poll(() => rating.locator('.said').textContent(), { timeout: 5000 }).toBe('感谢您的评价！');
    expect(await listed('chat')).toEqual([expect.objectContaining({ score: 4, agentId: 'bob', comment: '很耐心' })]);
    bob.s.terminate();
  });
});

describe.runIf(available)('the operators’ feedback page, in Chromium', () => {
  it('asks for the admin token, then lists the verdicts with their reason, comment and source; 0 serious or critical for axe', async () => {
    const s = await serve({ ADMIN_TOKEN: ADMIN });
    const b = await launchChromium();
    try {
      const res = await fetch(`${s.base}/api/ask`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text: '包头高血压能开几个月的药？' }),
      });
      const asked = (await res.json()) as {
        sessionId: string;
        seq: number;
        intent: string;
        citations: { notice: string; clause: string }[];
      };
      await fetch(`${s.base}/api/feedback`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ sessionId: asked.sessionId, seq: asked.seq, vote: 'down', reason: 'unanswered', comment: '想问的是门诊' }),
      });
      const p = await (await b.newContext({ viewport: { width: 1280, height: 800 }, bypassCSP: true })).newPage();
      await p.goto(`${s.base}/operators`);
      await p.locator('input[type=password]').fill('wrong-token-000000000000');
      await p.locator('button[type=submit]').click();
      await expect.poll(() => p.locator('.error').textContent(), { timeout: 5000 }).toBe('令牌不正确。');
      await p.locator('input[type=password]').fill(ADMIN);
      await p.locator('button[type=submit]').click();
      const cells = p.locator('tbody tr').first().locator('td');
      await cells.first().waitFor({ timeout: 5000 });
      expect(await cells.allTextContents()).toEqual([
        expect.any(String),
        '接口',
        '回答',
        '没帮助',
        '没回答我的问题',
        '想问的是门诊',
        `${asked.citations[0]?.notice} ${asked.citations[0]?.clause}`,
        asked.intent,
        '包头',
      ]);
      expect(await axe(p)).toMatchObject({ serious: 0, critical: 0 });
      await screenshot(p, 'operators-feedback.png');
    } finally {
      await b.close();
      await s.stop();
    }
  });
});
