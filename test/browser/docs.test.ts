/**
 * The API documentation pages in Chromium (issue 13, item 8): axe-core finds no serious or critical
 * violation on swagger-ui at /docs — as it loads, with every operation open, trying POST /api/ask and GET
 * /api/agent/tickets, with POST /api/ask's response shown, and in the Authorize dialog — nor on the
 * WebSocket protocols' page at /docs/asyncapi, on a desktop and a phone, where it does not scroll sideways
 * either. Screenshot: test-output/docs-asyncapi-phone.png.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeContext, scrollsSideways, seriousViolations } from '../helpers/axe.js';
import { chromiumAvailable, launchChromium, serveProject } from '../helpers/browser.js';
import { ROOT } from '../helpers/knowledge.js';

const available = chromiumAvailable();

let app: FastifyInstance;
let base = '';
let browser: Browser;
let desktop: BrowserContext;
let phone: BrowserContext;

describe.runIf(available)('the API documentation pages in Chromium', () => {
  beforeAll(async () => {
    // Every route on, so that every operation is on the page.
    ({ app, base } = await serveProject({
      AGENT_TOKENS: 'alice:alice-token-0123456789',
      ADMIN_TOKEN: 'admin-token-0123456789',
      WECHAT_TOKEN: 'hotlinetoken',
    }));
    browser = await launchChromium();
    desktop = await axeContext(browser, { width: 1280, height: 800 });
    phone = await axeContext(browser, { width: 375, height: 667 });
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('has no serious or critical violations on swagger-ui: as loaded, every operation open, trying two, a response, the Authorize dialog', async () => {
    const page = await desktop.newPage();
    await page.goto(`${base}/docs`);
    const operations = page.locator('.opblock-summary-control');
    await operations.first().waitFor();
    expect(await seriousViolations(page), 'as loaded').toEqual([]);
    const count = await operations.count();
    expect(count).toBeGreaterThanOrEqual(21);
    for (let i = 0; i < count; i++) await operations.nth(i).click();
    const ask = page.locator('#operations-citizens-post_api_ask');
    await ask.locator('.try-out__btn').click();
    await ask.locator('textarea.body-param__text').waitFor();
    const tickets = page.locator('#operations-agents-get_api_agent_tickets');
    await tickets.locator('.try-out__btn').click();
    await tickets.locator('tr[data-param-name="limit"] input').waitFor();
    expect(await seriousViolations(page), 'expanded, trying POST /api/ask and GET /api/agent/tickets').toEqual([]);
    await ask.locator('.execute').click();
    await ask.locator('.live-responses-table').waitFor();
    // The response as it settles: its status rendered, nothing still loading (a half-drawn state can fail contrast under load).
    await expect
      .poll(() => ask.locator('.live-responses-table tbody .response-col_status').first().textContent(), { timeout: 10_000 })
      .toContain('200');
    await page.waitForLoadState('networkidle');
    expect(await ask.locator('.live-responses-table').textContent()).toContain('citations');
    // swagger-ui highlights the response body after it is shown; on a loaded machine axe can catch a half-drawn
    // state (a colour-contrast finding that is gone a moment later). Asked again until the page has settled: a
    // violation that stays still fails.
    await expect
      .poll(() => seriousViolations(page), { timeout: 15_000, interval: 500, message: 'POST /api/ask executed, its response shown' })
      .toEqual([]);
    await page.locator('.btn.authorize').first().click();
    await page.locator('.modal-ux').waitFor();
    expect(await seriousViolations(page), 'the Authorize dialog').toEqual([]);
    await page.close();
    // axe over every operation open: the operators' routes (issue 16) brought it to ≈66 s under CI on 2 cores.
  }, 240_000);

  it('has no serious or critical violations on /docs/asyncapi, and it does not scroll sideways on a phone', async () => {
    for (const context of [desktop, phone]) {
      const page = await context.newPage();
      const res = await page.goto(`${base}/docs/asyncapi`);
      expect(res?.status()).toBe(200);
      expect(await seriousViolations(page)).toEqual([]);
      if (context === phone) {
        expect(await scrollsSideways(page)).toBe(false);
        await page.locator('#chat-send-reply').scrollIntoViewIfNeeded();
        await mkdir(join(ROOT, 'test-output'), { recursive: true });
        await page.screenshot({ path: join(ROOT, 'test-output', 'docs-asyncapi-phone.png') });
      }
      await page.close();
    }
  }, 60_000);
});
