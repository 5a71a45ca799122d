/**
 * Issue 14: one line per request at `info` (it was three per ask: incoming, answered, completed), with the
 * answer's type and intent or the refusal's code on it, and never the citizen's words; the incoming line at `debug`.
 */
import { describe, expect, it } from 'vitest';
import { buildApp, buildAssistant } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { KnowledgeStore } from '../../src/kb/store.js';
import { build } from '../helpers/app.js';
import { projectKnowledge } from '../helpers/knowledge.js';

interface Line {
  level: number;
  msg: string;
  reqId?: string;
  req?: { method: string; url: string };
  res?: { statusCode: number };
  [key: string]: unknown;
}

const parse = (log: string[]) => log.map((l) => JSON.parse(l) as Line);

describe('the request log (issue 14)', () => {
  it('writes one info line for an ask, with its answer’s type and intent, not the question', async () => {
    const log: string[] = [];
    const { app } = await build({}, undefined, { log });
    const res = await app.inject({ method: 'POST', url: '/api/ask', payload: { text: '大连异地就医备案怎么办理？我的手机13912345678' } });
    expect(res.statusCode).toBe(200);
    const lines = parse(log).filter((l) => l.reqId !== undefined);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 30,
      msg: 'request completed',
      req: { method: 'POST', url: '/api/ask' },
      res: { statusCode: 200 },
      type: res.json().type,
      intent: res.json().intent,
      responseTime: expect.any(Number),
    });
    expect(log.join('')).not.toContain('13912345678');
    expect(log.join('')).not.toContain('异地就医备案怎么办理');
  });

  it('writes one info line for a refused request, with its code', async () => {
    const log: string[] = [];
    const { app } = await build({}, undefined, { log });
    expect((await app.inject({ method: 'POST', url: '/api/ask', payload: { text: 42 } })).statusCode).toBe(400);
    expect((await app.inject('/healthz')).statusCode).toBe(200);
    const lines = parse(log).filter((l) => l.reqId !== undefined);
    expect(lines).toEqual([
      expect.objectContaining({ level: 30, code: 'HL_ERR_BAD_REQUEST', res: { statusCode: 400 } }),
      expect.objectContaining({ level: 30, req: expect.objectContaining({ url: '/healthz' }), res: { statusCode: 200 } }),
    ]);
  });

  it('writes the incoming line at debug, and the question there with ID and phone numbers masked', async () => {
    const log: string[] = [];
    const config = loadConfig({});
    const knowledge = new KnowledgeStore(projectKnowledge);
    await knowledge.reload();
    const app = await buildApp({
      config,
      knowledge,
      assistant: await buildAssistant(config),
      logger: { level: 'debug', stream: { write: (line: string) => void log.push(line) } },
    });
    try {
      await app.inject({ method: 'POST', url: '/api/ask', payload: { text: '手机13912345678能备案吗' } });
      const lines = parse(log).filter((l) => l.reqId !== undefined);
      expect(lines.map((l) => [l.level, l.msg])).toEqual([
        [20, 'incoming request'],
        [20, 'question'],
        [30, 'request completed'],
      ]);
      expect(log.join('')).not.toContain('13912345678');
    } finally {
      await app.close();
    }
  });
});
