/**
 * Issue 12, defect 1 (each closed agent console stayed registered): after 300 connect/close cycles on
 * /ws/agent, and 300 on /ws/chat, the registry is empty again — `hl_agent_consoles` and `hl_open_sockets`
 * on /metrics read 0. The heap is measured by `npm run reliability` (bench/reliability/consoles.ts), not here.
 */
import { describe, expect, it } from 'vitest';
import { consoles } from '../../bench/reliability/consoles.js';
import { summarize } from '../../bench/reliability/lib/check.js';

describe('agent consoles that come and go (issue 12, defect 1)', () => {
  it('leave nothing registered after 300 connect/close cycles', async () => {
    const r = await consoles({ cycles: 300, heap: false });
    console.log(summarize(r));
    expect(r.figures.agentConsolesAfter).toBe(0);
    expect(r.figures.agentOpenSocketsAfter).toBe(0);
    expect(r.figures.chatOpenSocketsAfter).toBe(0);
    expect(r.pass, r.reasons.join('\n')).toBe(true);
  }, 60_000);
});
