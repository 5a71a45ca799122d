/**
 * Issue 12, SIGKILL: citizens chat and leave callback tickets while the service (SQLite store) is killed
 * twice with SIGKILL and restarted on the same DATA_DIR; every turn and ticket it acknowledged is in the
 * database exactly once afterwards (bench/reliability/sigkill.ts).
 */
import { describe, expect, it } from 'vitest';
import { summarize } from '../../bench/reliability/lib/check.js';
import { sigkill } from '../../bench/reliability/sigkill.js';

describe('the service killed with SIGKILL (issue 12)', () => {
  it('loses and duplicates nothing it acknowledged', async () => {
    const r = await sigkill({ kills: 2, writers: 3, minUpMs: 300, maxUpMs: 600, seed: 1212, entry: 'src' });
    console.log(summarize(r));
    expect(r.figures.ticketsAcknowledged).toBeGreaterThanOrEqual(20);
    expect(r.figures.lostTickets).toBe(0);
    expect(r.figures.duplicatedTickets).toBe(0);
    expect(r.figures.lostTurns).toBe(0);
    expect(r.figures.duplicatedTurns).toBe(0);
    expect(r.pass, r.reasons.join('\n')).toBe(true);
  }, 90_000);
});
