import { readFileSync } from 'node:fs';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { Assistant } from '../../src/dialogue/assistant.js';
import { loadDialogueData } from '../../src/dialogue/data.js';
import type { Reply } from '../../src/dialogue/reply.js';
import { MemorySessionStore } from '../../src/dialogue/session.js';
import { buildFromDir } from '../../src/kb/load.js';
import { slimDictionaries } from '../../src/nlu/dictionary.js';
import { Nlu } from '../../src/nlu/index.js';
import { loadLanguageData } from '../../src/nlu/load.js';
import { KNOWLEDGE_DIR, projectKnowledge as loadKnowledge } from '../helpers/knowledge.js';

const config = loadConfig({});
const conversations = readFileSync(new URL('../eval/questions.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => (JSON.parse(l) as { turns: { q: string }[] }).turns.map((t) => t.q));

async function assistant(cacheMax: number, maxBytes?: number) {
  const dictionaries = await slimDictionaries(`${config.dataDir}/cache`, config.jiebaMinFrequency);
  const nlu = new Nlu(await loadLanguageData(config.intentsDir), dictionaries);
  const data = await loadDialogueData(config.intentsDir);
  let n = 0;
  return new Assistant(nlu, data, new MemorySessionStore(config.sessions), () => `s${++n}`, {
    max: cacheMax,
    ttlMs: 60_000,
    ...(maxBytes ? { maxBytes } : {}),
  });
}

describe('the answer cache', () => {
  it('keeps within its byte budget: a reply bigger than the budget is worked out again (issue 12: a bounded soak)', async () => {
    const kb = await loadKnowledge();
    const turns = (a: Assistant) => {
      const spy = vi.spyOn(a as unknown as { turn: (...args: unknown[]) => unknown }, 'turn');
      for (let i = 0; i < 3; i++) a.ask(kb, { text: '大连异地就医备案怎么办理？', sessionId: `b${i}` });
      return spy.mock.calls.length;
    };
    expect(turns(await assistant(10_000, 8 * 2 ** 20))).toBe(1);
    expect(turns(await assistant(10_000, 1024))).toBe(3);
  });

  it('gives every conversation of the own set the same replies as working each one out, on a second pass too', async () => {
    const kb = await loadKnowledge();
    const plain = await assistant(0);
    const cached = await assistant(10_000);
    const run = (a: Assistant, pass: string) =>
      conversations.map((turns, i) => turns.map((text) => a.ask(kb, { text, sessionId: `${pass}-${i}` })));
    const strip = (replies: Reply[][]) => replies.map((c) => c.map(({ sessionId: _s, ...r }) => r));
    const expected = strip(run(plain, 'a'));
    expect(strip(run(cached, 'a'))).toEqual(expected);
    // Second pass with fresh sessions: every reply now comes from the cache, and must not differ.
    expect(strip(run(cached, 'b'))).toEqual(expected);
  });

  it('keeps each session its own: a cached reply carries the asking session’s id and leaves its state as working it out would', async () => {
    const kb = await loadKnowledge();
    const a = await assistant(100);
    const first = a.ask(kb, { text: '门诊慢特病一次能开多久的药？', sessionId: 'x' });
    const again = a.ask(kb, { text: '门诊慢特病一次能开多久的药？', sessionId: 'y' });
    expect(again.sessionId).toBe('y');
    expect({ ...again, sessionId: 'x' }).toEqual(first);
    // Both sessions now wait for the city (or hold the topic): the follow-up is answered alike.
    const fx = a.ask(kb, { text: '包头', sessionId: 'x' });
    const fy = a.ask(kb, { text: '包头', sessionId: 'y' });
    expect({ ...fy, sessionId: 'x' }).toEqual(fx);
  });

  it('forgets what it worked out when the knowledge base is replaced', async () => {
    const kb = await loadKnowledge();
    const dir = await mkdtemp(join(tmpdir(), 'hl-cache-'));
    try {
      // The same knowledge without 包头's notice: the cached 包头 answer must not outlive it.
      await cp(KNOWLEDGE_DIR, dir, { recursive: true, filter: (src) => !src.includes('baotou') });
      const without = await buildFromDir(dir);
      const a = await assistant(100);
      const q = { text: '包头高血压一次能开几个月的药？' };
      expect(a.ask(kb, q).citations.map((c) => c.notice)).toContain('baotou-2022-10-08');
      const after = a.ask(without, q);
      expect(after.citations.map((c) => c.notice)).not.toContain('baotou-2022-10-08');
      expect(after.type).not.toBe('answer');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('the warm-up after listening (issue 14)', () => {
  it('runs the intents’ examples through the whole pipeline and leaves no session and no cached reply behind', async () => {
    const kb = await loadKnowledge();
    const a = await assistant(1000);
    const spy = vi.spyOn(a as unknown as { turn: (...args: unknown[]) => unknown }, 'turn');
    const ran = await a.warmUp(kb, 10_000, 1);
    expect(ran).toBeGreaterThan(20);
    expect(spy).toHaveBeenCalledTimes(ran);
    expect(a.sessionsHeld).toBe(0);
    expect(a.cacheStats()).toEqual({ entries: 0, bytes: 0 });
    // Within its budget: none at all with none to spend.
    expect(await a.warmUp(kb, 0)).toBe(0);
  });
});
