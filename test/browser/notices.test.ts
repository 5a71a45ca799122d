/**
 * The notice pages in a real browser (issue 13, item 7): Debian's Chromium driven by playwright-core, on a
 * desktop (1280×800) and a phone (375×667). axe-core finds no serious or critical violation on the index, a
 * notice or the 404 page; no page scrolls sideways on the phone, not even the notice with the longest URL;
 * a browser gets an HTML 404 page and an API client JSON. Screenshots under test-output/:
 * notice-page-phone.png, notices-index.png, notice-404.png.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeContext, scrollsSideways, seriousViolations, widths } from '../helpers/axe.js';
import { chromiumAvailable, launchChromium, serveProject } from '../helpers/browser.js';
import { ROOT } from '../helpers/knowledge.js';

const available = chromiumAvailable();
const OUT = join(ROOT, 'test-output');
/** The notice with the longest unbroken text: https://ylbzj.nmg.gov.cn/ggfw/hallEnter/#/Index (44 characters). */
const LONGEST_URL = 'baotou-2022-10-08';
const NOTICES = ['baotou-2022-10-08', 'beijing-2020-02-07', 'dalian-2020-02-20', 'shangluo-2022-08-01', 'yunnan-2020-01'];

let app: FastifyInstance;
let base = '';
let browser: Browser;
let desktop: BrowserContext;
let phone: BrowserContext;

async function open(context: BrowserContext, path: string): Promise<{ page: Page; status: number | undefined }> {
  const page = await context.newPage();
  const response = await page.goto(`${base}${path}`);
  return { page, status: response?.status() };
}

describe.runIf(available)('the notice pages in Chromium', () => {
  beforeAll(async () => {
    ({ app, base } = await serveProject({}));
    browser = await launchChromium();
    desktop = await axeContext(browser, { width: 1280, height: 800 });
    phone = await axeContext(browser, { width: 375, height: 667 });
    await mkdir(OUT, { recursive: true });
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('has no serious or critical accessibility violations on the index, a notice and the 404 page, desktop and phone', async () => {
    for (const context of [desktop, phone]) {
      for (const path of ['/notices', `/notices/${LONGEST_URL}`, '/notices/yunnan-2020-01', '/notices/no-such-notice']) {
        const { page } = await open(context, path);
        expect(await seriousViolations(page), path).toEqual([]);
        await page.close();
      }
    }
  }, 120_000);

  it('never scrolls sideways on a phone: long URLs and numbers wrap, on every notice, the index and the 404 page', async () => {
    const { page } = await open(phone, `/notices/${LONGEST_URL}`);
    const url = page.locator('section', { hasText: 'ylbzj.nmg.gov.cn' });
    await url.scrollIntoViewIfNeeded();
    expect(await widths(page)).toEqual({ scrollWidth: 375, innerWidth: 375 });
    await page.screenshot({ path: join(OUT, 'notice-page-phone.png') });
    await page.close();
    for (const path of ['/notices', '/notices/no-such-notice', ...NOTICES.map((id) => `/notices/${id}`)]) {
      const p = (await open(phone, path)).page;
      expect(await scrollsSideways(p), path).toBe(false);
      await p.close();
    }
  }, 60_000);

  it('lists the titles in Simplified characters, a Traditional one with its original below, and keeps the notice as published', async () => {
    const { page } = await open(desktop, '/notices');
    await page.screenshot({ path: join(OUT, 'notices-index.png'), fullPage: true });
    const item = page.locator('li', { has: page.locator(`a[href="/notices/${LONGEST_URL}"]`) });
    const link = item.locator('a');
    expect(await link.textContent()).toBe('关于做好新冠肺炎疫情防控期间医疗保险经办业务的紧急通知');
    const original = item.locator('.original');
    expect(await original.textContent()).toMatch(/^原文：.*醫療保險/);
    expect(await original.getAttribute('lang')).toBe('zh-Hant');
    await link.click();
    await page.waitForURL(`**/notices/${LONGEST_URL}`);
    expect(await page.locator('h1').textContent()).toContain('醫療保險');
    expect(await page.locator('h1').getAttribute('lang')).toBe('zh-Hant');
    expect(await page.locator('header .reading').textContent()).toMatch(/^简体标题：.*医疗保险/);
    expect(await page.locator('main section#五').textContent()).toContain('門診特殊慢性病');
    await page.close();
  });

  it('shows a browser a Chinese 404 page with the way back and the code in small print', async () => {
    const { page, status } = await open(desktop, '/notices/no-such-notice');
    expect(status).toBe(404);
    expect(await page.locator('h1').textContent()).toBe('未找到这份通知');
    expect(await page.locator('main').textContent()).toContain('no-such-notice');
    expect(await page.locator('main small').textContent()).toContain('HL_ERR_NOTICE_NOT_FOUND');
    await page.screenshot({ path: join(OUT, 'notice-404.png') });
    await page.locator('main a[href="/notices"]').click();
    await page.waitForURL('**/notices');
    expect(await page.locator('h1').textContent()).toBe('医保通知');
    await page.close();
    // A malformed id the same way, its text shown as text.
    const odd = await open(desktop, `/notices/${encodeURIComponent('<b>x</b> 9')}`);
    expect(odd.status).toBe(404);
    expect(await odd.page.locator('main code').textContent()).toBe('<b>x</b> 9');
    expect(await odd.page.locator('main b').count()).toBe(0);
    await odd.page.close();
  });

  it('gives an API client the contract’s JSON for the same unknown id: Accept application/json, */* or none', async () => {
    for (const accept of ['application/json', '*/*', undefined]) {
      const res = await fetch(`${base}/notices/no-such-notice`, { headers: accept ? { accept } : {} });
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toContain('application/json');
      expect(await res.json()).toEqual({ error: { code: 'HL_ERR_NOTICE_NOT_FOUND', message: 'No notice with id no-such-notice' } });
    }
  });
});
