/**
 * The widget on a phone (375×667, touch) in Chromium, on the demo page and on a hostile host page: a
 * 2000-px-wide element (which widens the layout viewport that `position: fixed` follows), a transform on
 * body, an overlay with the highest z-index, rules aimed at the widget's element. The launcher and the
 * panel's ✕, 转人工 and input stay on the screen, every button, chip and summary is at least 44×44 px, and
 * the newest message stays in view when the keyboard takes half the screen (issue 13, rough edge 1).
 * Screenshot: test-output/widget-phone-hostile.png.
 */
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium } from '../helpers/browser.js';
import { axe, hostPage, type PageGlobals, type Server, screenshot, serve } from './widget-kit.js';

const available = chromiumAvailable();

const W = '#hl-chat-widget';
const PHONE = { width: 375, height: 667 };

const HOSTILE = hostPage(
  `<main><h1>某区政务服务网</h1><div class="wide">一张 2000 像素宽的表格</div>
<p>${'页面正文。'.repeat(200)}</p></main><div class="cover"></div>`,
  {
    head: `<style>
body{margin:0;transform:translateZ(0) scale(1);font-size:18px}
.wide{width:2000px;height:60px;background:#dde}
.cover{position:fixed;left:0;top:0;width:100vw;height:100vh;z-index:2147483647;background:rgba(200,0,0,.06)}
hl-chat-widget{position:absolute!important;left:1500px!important;transform:translateX(300px)!important;display:none!important}
*{box-sizing:content-box!important}
button{font-size:40px!important;padding:0!important}
</style>`,
  },
);

let server: Server;
let browser: Browser;

async function phone(options: { bypassCSP?: boolean } = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true, timezoneId: 'Asia/Shanghai', ...options });
  return context.newPage();
}

async function askInPage(page: Page, text: string): Promise<void> {
  await page.locator(`${W} form.ask input`).fill(text);
  await page.locator(`${W} form.ask button[type=submit]`).click();
}

/** The element's box lies on the screen, and a tap at its centre reaches it (nothing of the page above it). */
async function onScreen(locator: Locator, screen = PHONE): Promise<void> {
  const box = await locator.boundingBox();
  expect(box, await locator.evaluate((e) => e.outerHTML.slice(0, 80))).not.toBeNull();
  if (!box) return;
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.y).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(screen.width);
  expect(box.y + box.height).toBeLessThanOrEqual(screen.height);
  // The box is on the screen (the visual viewport); elementFromPoint takes layout-viewport coordinates.
  const hit = await locator.evaluate(
    (e, [sx, sy]) => {
      const { document, visualViewport } = globalThis as unknown as PageGlobals;
      const x = sx + (visualViewport?.offsetLeft ?? 0);
      const y = sy + (visualViewport?.offsetTop ?? 0);
      const host = document.elementFromPoint(x, y);
      const inner = host?.shadowRoot?.elementFromPoint(x, y);
      return host?.id === 'hl-chat-widget' && inner !== null && inner !== undefined && (inner === e || e.contains(inner));
    },
    [box.x + box.width / 2, box.y + box.height / 2] as const,
  );
  expect(hit).toBe(true);
}

describe.runIf(available)('the chat widget on a phone, in Chromium', () => {
  beforeAll(async () => {
    server = await serve({}, { '/hostile': HOSTILE });
    browser = await launchChromium();
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('does not widen the demo page, and axe finds nothing serious or critical there, closed or open', async () => {
    const page = await phone({ bypassCSP: true });
    await page.goto(`${server.base}/`);
    expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      PHONE.width,
    );
    await onScreen(page.locator(`${W} .launcher`));
    const closed = await axe(page);
    await page.locator(`${W} .launcher`).click();
    await page.locator(`${W}[data-state="在线"]`).waitFor({ state: 'attached', timeout: 10_000 });
    await askInPage(page, '北京慢性病能开几个月的药？');
    await page.locator(`${W} .msg.bot summary`).click();
    const open = await axe(page);
    expect([...closed.violations, ...open.violations].filter((v) => /^(serious|critical)/.test(v))).toEqual([]);
    await page.context().close();
  });

  it('keeps the launcher and the panel’s ✕, 转人工 and input on the screen of a hostile page, opened by a tap or by script', async () => {
    const page = await phone();
    await page.goto(`${server.base}/hostile`);
    // The page is wider than the phone: the layout viewport is 2000 px wide, the screen 375.
    expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).innerWidth)).toBeGreaterThan(1000);
    await onScreen(page.locator(`${W} .launcher`));
    await page.evaluate(() =>
      (globalThis as unknown as PageGlobals).document.querySelector('hl-chat-widget')?.shadowRoot?.querySelector('.launcher')?.click(),
    );
    const panel = page.locator(`${W} .panel`);
    await panel.waitFor({ state: 'visible' });
    expect(await panel.boundingBox()).toEqual({ x: 0, y: 0, ...PHONE });
    for (const part of ['button.close', 'button.human', 'button.more', 'form.ask input', 'form.ask button'])
      await onScreen(page.locator(`${W} ${part}`));
    // Scrolled sideways, the widget follows the screen.
    await page.locator(`${W} button.close`).click();
    await page.mouse.wheel(800, 0);
    await expect.poll(() => page.evaluate(() => (globalThis as unknown as PageGlobals).visualViewport?.pageLeft ?? 0)).toBeGreaterThan(0);
    await onScreen(page.locator(`${W} .launcher`));
    // A finger on it (Playwright's own tap checks its target in layout-viewport coordinates, which a panned
    // visual viewport no longer matches).
    const box = await page.locator(`${W} .launcher`).boundingBox();
    await page.touchscreen.tap((box?.x ?? 0) + (box?.width ?? 0) / 2, (box?.y ?? 0) + (box?.height ?? 0) / 2);
    await panel.waitFor({ state: 'visible' });
    await onScreen(page.locator(`${W} button.close`));
    await onScreen(page.locator(`${W} form.ask input`));
    await page.context().close();
  });

  it('makes every button, chip and summary at least 44×44 px and keeps the newest message in view when the keyboard opens', async () => {
    const page = await phone();
    const downloads: string[] = [];
    page.on('download', (d) => downloads.push(d.suggestedFilename()));
    await page.goto(`${server.base}/hostile`);
    await page.locator(`${W} .launcher`).tap();
    await page.locator(`${W}[data-state="在线"]`).waitFor({ state: 'attached', timeout: 10_000 });
    // A new conversation knows no city: the bot asks back with chips; then an answer with its sources.
    await askInPage(page, '慢性病处方能开多久的药？');
    await page.locator(`${W} .chip`).first().waitFor({ timeout: 5000 });
    await askInPage(page, '北京慢性病能开几个月的药？');
    await page.locator(`${W} .msg.bot summary`).last().waitFor({ timeout: 5000 });
    await page.locator(`${W} .msg.bot summary`).last().click();
    await page.locator(`${W} button.human`).tap();
    await page.locator(`${W} form.ticket`).waitFor({ timeout: 5000 });
    await page.locator(`${W} button.more`).tap();

    const targets = page.locator(`${W} button:visible, ${W} summary:visible, ${W} input:visible`);
    const sizes = await targets.evaluateAll((nodes) =>
      nodes.map((n) => {
        const r = n.getBoundingClientRect();
        return { what: `${n.tagName.toLowerCase()}.${n.className} ${n.textContent?.slice(0, 8) ?? ''}`, width: r.width, height: r.height };
      }),
    );
    expect(sizes.length).toBeGreaterThan(12);
    expect(sizes.filter((s) => s.height < 44 || (!s.what.startsWith('input') && !s.what.startsWith('summary') && s.width < 44))).toEqual(
      [],
    );
    expect(sizes.map((s) => s.what)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^button\.chip /), expect.stringMatching(/^button\.close /)]),
    );

    // 下载对话 works under the page's Content Security Policy (a Blob URL download).
    await page.locator(`${W} button.download`).tap();
    await expect.poll(() => downloads).toEqual([expect.stringMatching(/^医保咨询-对话记录-\d{8}-\d{4}\.txt$/)]);
    await page.locator(`${W} .log`).evaluate((l) => {
      l.scrollTop = l.scrollHeight;
    });
    await screenshot(page, 'widget-phone-hostile.png');

    // The keyboard takes the lower part of the screen: the panel shrinks with the visual viewport and the newest
    // line (the callback form) and the input stay in view.
    await page.locator(`${W} form.ask input`).focus();
    await page.setViewportSize({ width: PHONE.width, height: 360 });
    const screen = { width: PHONE.width, height: 360 };
    await expect.poll(async () => (await page.locator(`${W} .panel`).boundingBox())?.height).toBe(360);
    await onScreen(page.locator(`${W} form.ask input`), screen);
    await expect.poll(() => page.locator(`${W} .log`).evaluate((l) => l.scrollHeight - l.scrollTop - l.clientHeight)).toBeLessThan(2);
    await onScreen(page.locator(`${W} form.ticket button[type=submit]`), screen);
    await page.context().close();
  });
});
