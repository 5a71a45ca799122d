/**
 * Issue 12, the short fuzz: 800 fuzzed inputs (HTTP on every documented route, /ws/chat and /ws/agent
 * sessions, malformed requests and handshakes over raw sockets) against `src/server.ts`, through the same
 * function as `npm run reliability` (bench/reliability/fuzz.ts) with a fixed seed.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type FuzzFigures, fuzz } from '../../bench/reliability/fuzz.js';
import { type CheckResult, summarize } from '../../bench/reliability/lib/check.js';

let r: CheckResult<FuzzFigures>;
const examples = (...kinds: string[]) => r.examples.filter((e) => kinds.some((k) => e.startsWith(k))).join('\n');

beforeAll(async () => {
  r = await fuzz({ count: 800, seed: 1212, entry: 'src' });
  console.log(summarize(r));
}, 90_000);

describe('the service under fuzzed input (issue 12)', () => {
  it('never crashes', () => {
    expect(r.figures.crashes, examples('crash')).toBe(0);
  });

  it('never answers with a 5xx or an HL_ERR_INTERNAL frame', () => {
    expect(r.figures.status5xx, examples('5xx')).toBe(0);
    expect(r.figures.wsInternalFrames, examples('internal')).toBe(0);
  });

  it('answers every request and every session within 5 s', () => {
    expect(r.figures.hangs + r.figures.wsHangs, examples('hang')).toBe(0);
  });

  it('answers every error, malformed requests and handshakes too, with {"error":{"code","message"}} and a registry code', () => {
    expect(r.figures.uncoded, examples('uncoded')).toBe(0);
    expect(r.figures.statusNotRegistry, examples('status')).toBe(0);
  });

  it('sends only JSON frames, error frames with a registry code, and closes a socket only when the client broke a limit', () => {
    expect(r.figures.wsUncodedFrames, examples('uncoded frame')).toBe(0);
    expect(r.figures.wsNotJson, examples('not JSON')).toBe(0);
    expect(r.figures.wsUnexpectedCloses, examples('closed unasked')).toBe(0);
    expect(r.figures.wsRateLimitMissing, examples('no rate limit')).toBe(0);
  });

  it('passes the fuzz check as a whole', () => {
    expect(r.figures.inputs).toBeGreaterThanOrEqual(800);
    expect(r.pass, r.reasons.join('\n')).toBe(true);
  });
});
