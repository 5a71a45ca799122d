/**
 * Issue 12, the handoff flood: 300 /ws/chat sockets over many loopback addresses ask for a person while the
 * one agent online is at capacity; with HANDOFF_QUEUE_MAX=50 and HANDOFF_QUEUE_PER_ADDRESS=10 the queue
 * stays within both caps and every refused session gets HL_ERR_QUEUE_FULL (bench/reliability/flood.ts).
 * The ask latency under the flood is printed, not asserted (no timing assertions in the unit tests).
 */
import { describe, expect, it } from 'vitest';
import { flood } from '../../bench/reliability/flood.js';
import { summarize } from '../../bench/reliability/lib/check.js';

describe('a flood of handoff requests (issue 12)', () => {
  it('is capped per service and per address, and every refusal says HL_ERR_QUEUE_FULL', async () => {
    const r = await flood({ sockets: 300, queueMax: 50, perAddress: 10, asks: 50, deadlineMs: 30_000, latency: false, entry: 'src' });
    console.log(summarize(r));
    expect(r.figures.maxQueueShown).toBeLessThanOrEqual(50);
    expect(r.figures.maxQueuedPerAddress).toBeLessThanOrEqual(10);
    expect(r.figures.refusedWithoutCode).toBe(0);
    expect(r.figures.unanswered).toBe(0);
    expect(r.pass, r.reasons.join('\n')).toBe(true);
  }, 90_000);
});
