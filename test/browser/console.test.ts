/**
 * The agents' console in a real browser (Debian's Chromium via playwright-core), beside a citizen's chat
 * widget in another page: a refused token, sign-in, a waiting citizen accepted from the queue, a live
 * exchange both ways, the bot's suggestion, back to the bot, and the assist panel.
 * Screenshot: test-output/console.png.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { chromiumAvailable, launchChromium, serveProject } from '../helpers/browser.js';
import { frames } from '../helpers/frames.js';
import { ROOT } from '../helpers/knowledge.js';

const available = chromiumAvailable();

const ALICE = 'alice-console-token-0001';
const BOB = 'bob-console-token-000002';

let app: FastifyInstance;
let base = '';
let browser: Browser;
let agentPage: Page;
let citizenPage: Page;
const sockets: WebSocket[] = [];

async function socket(path: string) {
  const s = new WebSocket(`ws://${base.slice('http://'.length)}${path}`);
  sockets.push(s);
  const f = frames(s);
  await new Promise((r) => s.once('open', r));
  return { s, f, send: (frame: object) => s.send(JSON.stringify(frame)) };
}

describe.runIf(available)('the agents’ console in Chromium', () => {
  beforeAll(async () => {
    ({ app, base } = await serveProject({ AGENT_TOKENS: `alice:${ALICE},bob:${BOB}`, AGENT_CAPACITY: '1' }));
    browser = await launchChromium();
    agentPage = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    citizenPage = await browser.newPage({ viewport: { width: 1000, height: 800 } });
  }, 30_000);

  afterAll(async () => {
    for (const s of sockets) s.terminate();
    await browser?.close();
    await app?.close();
  });

  it('refuses a wrong token and signs in with a right one', async () => {
    await agentPage.goto(`${base}/agent`);
    await agentPage.locator('#signin input[name=token]').fill('not-a-valid-token-xyz');
    await agentPage.locator('#signin form button[type=submit]').click();
    await expect.poll(() => agentPage.locator('#signin').textContent(), { timeout: 10_000 }).toContain('令牌无效');
    await agentPage.locator('#signin input[name=token]').fill(ALICE);
    await agentPage.locator('#signin form button[type=submit]').click();
    await expect.poll(() => agentPage.locator('#status').getAttribute('data-state'), { timeout: 10_000 }).toBe('在线');
  });

  it('accepts a waiting citizen from the queue, chats live both ways, and hands back to the bot', async () => {
    // Alice is away (gets nothing by herself); Bob is online but full, so the next citizen waits.
    await agentPage.locator('#presence button[data-presence=away]').click();
    const bob = await socket(`/ws/agent?token=${BOB}`);
    await bob.f.next('welcome');
    const busy = await socket('/ws/chat');
    busy.send({ type: 'handoff' });
    await bob.f.next('chat');

    await citizenPage.goto(`${base}/`);
    await citizenPage.locator('#hl-chat-widget .launcher').click();
    await citizenPage.locator('#hl-chat-widget[data-state="在线"]').waitFor({ state: 'attached', timeout: 10_000 });
    await citizenPage.locator('#hl-chat-widget form.ask input').fill('大连透析审核怎么办？');
    await citizenPage.locator('#hl-chat-widget form button[type=submit]').click();
    await expect
      .poll(() => citizenPage.locator('#hl-chat-widget .msg.bot').last().getAttribute('data-type'), { timeout: 5000 })
      .toBe('answer');
    await citizenPage.locator('#hl-chat-widget button.human').click();
    const waiting = citizenPage.locator('#hl-chat-widget .msg.system').last();
    await expect.poll(() => waiting.textContent(), { timeout: 5000 }).toContain('您是下一位');

    const row = agentPage.locator('#queue li[data-session]').first();
    await row.waitFor({ timeout: 5000 });
    await row.locator('button.accept').click();
    const transcript = agentPage.locator('#chat .entry[data-role]');
    await expect.poll(() => transcript.count(), { timeout: 5000 }).toBeGreaterThanOrEqual(3);
    expect(await agentPage.locator('#chat .entry[data-role=bot]').first().textContent()).toContain('自动通过');
    // The city the bot learned from the citizen's question heads the chat.
    expect(await agentPage.locator('#chat').textContent()).toContain('大连');
    await expect
      .poll(() => citizenPage.locator('#hl-chat-widget .msg.system').last().textContent(), { timeout: 5000 })
      .toContain('人工客服已接入');

    // The citizen writes; the agent sees it with the bot's suggestion, adopts it and sends it.
    await citizenPage.locator('#hl-chat-widget form.ask input').fill('透析审核需要多久？');
    await citizenPage.locator('#hl-chat-widget form button[type=submit]').click();
    await agentPage.locator('#chat .suggestion.bot').last().waitFor({ timeout: 5000 });
    await agentPage.locator('#chat .suggestion.bot button.use').last().click();
    await agentPage.locator('#chat textarea').fill('您好，我是人工客服：透析治疗的审核已改为系统自动通过。');
    await agentPage.locator('#chat button.send').click();
    const agentLine = citizenPage.locator('#hl-chat-widget .msg.agent').last();
    await expect.poll(() => agentLine.textContent(), { timeout: 5000 }).toContain('透析治疗的审核已改为系统自动通过');

    await mkdir(join(ROOT, 'test-output'), { recursive: true });
    await agentPage.screenshot({ path: join(ROOT, 'test-output', 'console.png') });
    await citizenPage.screenshot({ path: join(ROOT, 'test-output', 'widget-agent.png') });

    await agentPage.locator('#chat button.return').click();
    await expect
      .poll(() => citizenPage.locator('#hl-chat-widget .msg.system').last().textContent(), { timeout: 5000 })
      .toContain('转回智能助手');
    await expect.poll(() => agentPage.locator('#chats li[data-session]').count(), { timeout: 5000 }).toBe(0);
  }, 40_000);

  it('suggests cited answers for a caller’s words, copies one with a click, and shows a region’s card', async () => {
    await agentPage.locator('#assist textarea').fill('来电人问：包头高血压一次能开几个月的药');
    await agentPage.locator('#assist button.query').click();
    const first = agentPage.locator('#assist .suggestion').first();
    await first.waitFor({ timeout: 5000 });
    expect(await first.textContent()).toContain('三个月');
    await first.locator('button.copy').click();
    await expect.poll(() => first.textContent(), { timeout: 3000 }).toContain('已复制');
    // The quick-reference card of a region: its phone numbers with their offices.
    await agentPage.locator('#card select').selectOption('大连');
    const phone = agentPage.locator('#card .entry[data-type=phone]').first();
    await phone.waitFor({ timeout: 5000 });
    expect(await agentPage.locator('#card').textContent()).toContain('83709222');
  });

  it('lists a citizen’s callback ticket as it comes in, claims it and closes it', async () => {
    const citizen = await socket('/ws/chat');
    citizen.send({ type: 'hello', region: '包头' });
    await citizen.f.next('ready');
    citizen.send({ type: 'ticket', id: 't', phone: '13804712345', question: '请回电说明慢性病备案' });
    const id = (await citizen.f.next('ticket')).id as string;
    const row = agentPage.locator(`#tickets li[data-ticket="${id}"]`);
    await expect.poll(() => row.getAttribute('data-status'), { timeout: 5000 }).toBe('open');
    expect(await row.textContent()).toContain('13804712345');
    await row.locator('button.claim').click();
    await agentPage.locator('#tickets select.status').selectOption('claimed');
    await expect.poll(() => row.getAttribute('data-status'), { timeout: 5000 }).toBe('claimed');
    await row.locator('button.close').click();
    await agentPage.locator('#tickets select.status').selectOption('closed');
    await expect.poll(() => row.getAttribute('data-status'), { timeout: 5000 }).toBe('closed');
  });
});
