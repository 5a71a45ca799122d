import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const require = createRequire(import.meta.url);
/** axe-core's browser bundle (a dev dependency). */
const AXE = require.resolve('axe-core');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/**
 * Runs axe-core on the page as it stands (injected once per page; the page's context must bypass its CSP,
 * which allows no inline script) and returns the violations, each with the selectors of its nodes.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  // Browser code below: the test's tsconfig has no DOM library, so the page's globals are typed here.
  interface AxeResult {
    violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[];
  }
  type Browser = { axe?: { run(context: unknown, options: object): Promise<AxeResult> }; document: unknown };
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const g = globalThis as unknown as Browser;
    const result = await (g.axe as NonNullable<Browser['axe']>).run(g.document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')) }));
  });
}

/** The violations that block a person: axe's `serious` and `critical`. */
export function blocking(violations: readonly AxeViolation[]): AxeViolation[] {
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
