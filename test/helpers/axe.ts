import { createRequire } from 'node:module';
import type { Browser, BrowserContext, Page } from 'playwright-core';

const require = createRequire(import.meta.url);

/** axe-core's browser build, injected into the page under test. */
export const AXE_SCRIPT = require.resolve('axe-core');

export interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/**
 * A browser context for accessibility checks. The service's CSP (`script-src 'self'`) refuses the inline
 * script axe is injected as, so this context bypasses CSP; the pages' own scripts are the same either way.
 */
export function axeContext(browser: Browser, viewport: { width: number; height: number }): Promise<BrowserContext> {
  return browser.newContext({ viewport, bypassCSP: true });
}

/** axe-core's violations on the page as it is now, with the selectors of the nodes they were found on. */
export async function axeViolations(page: Page): Promise<Violation[]> {
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.addScriptTag({ path: AXE_SCRIPT });
  const result = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run: () => Promise<{ violations: unknown[] }> } }).axe;
    return axe.run();
  });
  return (result.violations as { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[]).map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map((n) => n.target.join(' ')),
  }));
}

/** The serious and critical violations: what the pages must not have. */
export async function seriousViolations(page: Page): Promise<Violation[]> {
  return (await axeViolations(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** The page's width and the viewport's: `document.documentElement.scrollWidth` and `innerWidth`. */
export function widths(page: Page): Promise<{ scrollWidth: number; innerWidth: number }> {
  return page.evaluate(() => {
    const g = globalThis as unknown as { document: { documentElement: { scrollWidth: number } }; innerWidth: number };
    return { scrollWidth: g.document.documentElement.scrollWidth, innerWidth: g.innerWidth };
  });
}

/** Whether the page scrolls sideways: wider than the viewport. */
export async function scrollsSideways(page: Page): Promise<boolean> {
  const { scrollWidth, innerWidth } = await widths(page);
  return scrollWidth > innerWidth;
}

/** The violations that block a person (axe's `serious` and `critical`) among those found. */
export function blocking(violations: readonly Violation[]): Violation[] {
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
