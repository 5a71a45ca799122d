import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

/** Debian's Chromium (DEVELOPERS.md); `.ci/run` installs it. */
export const CHROMIUM = '/usr/bin/chromium';

/**
 * Whether the browser tests can run here. Without Chromium they are skipped with a message — except under
 * CI, where they must run, so its absence fails the run.
 */
export function chromiumAvailable(): boolean {
  const available = existsSync(CHROMIUM);
  if (!available && process.env.CI) throw new Error(`${CHROMIUM} is missing: .ci/run installs Debian's chromium`);
  if (!available) console.warn(`skipping browser tests: ${CHROMIUM} not installed (apt-get install -y chromium)`);
  return available;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
}
