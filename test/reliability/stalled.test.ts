/**
 * Issue 12, stalled bodies: five sockets send the head of a POST /api/ask with Content-Length 1000 and 10
 * bytes of body, then nothing; with HTTP_REQUEST_TIMEOUT_MS=1000 the service drops each within the timeout
 * and a second of slack, and still answers /healthz meanwhile (bench/reliability/stalled.ts).
 */
import { describe, expect, it } from 'vitest';
import { summarize } from '../../bench/reliability/lib/check.js';
import { stalled } from '../../bench/reliability/stalled.js';

describe('a request whose body stalls (issue 12)', () => {
  it('is dropped within HTTP_REQUEST_TIMEOUT_MS', async () => {
    const r = await stalled({ sockets: 5, timeoutMs: 1000, slackMs: 1000, entry: 'src' });
    console.log(summarize(r));
    expect(r.figures.held).toBe(0);
    expect(r.pass, r.reasons.join('\n')).toBe(true);
  }, 60_000);
});
