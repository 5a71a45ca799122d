/**
 * The project's own labelled set (test/eval/questions.jsonl, written from the notices; dev.jsonl stays
 * held out) run through the assistant: a floor under the pass rate, and two things that must never happen —
 * an out-of-scope question answered as `answer`, and an answer with a figure no citation holds.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Reply } from '../../src/dialogue/reply.js';
import { type EvalItem, judgeTurn } from '../../src/eval/judge.js';
import { projectAssistant } from '../helpers/assistant.js';
import { projectKnowledge, ROOT } from '../helpers/knowledge.js';

const items: EvalItem[] = (await readFile(join(ROOT, 'test', 'eval', 'questions.jsonl'), 'utf8'))
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l));

const results: { item: EvalItem; turn: EvalItem['turns'][number]; reply: Reply; why: string[] }[] = [];
beforeAll(async () => {
  const kb = await projectKnowledge();
  const assistant = await projectAssistant();
  for (const [n, item] of items.entries()) {
    for (const turn of item.turns) {
      const reply = assistant.ask(kb, { text: turn.q, sessionId: `own-${n}`, ...(turn.region ? { region: turn.region } : {}) });
      results.push({ item, turn, reply, why: judgeTurn(turn, reply) });
    }
  }
});

describe('the own labelled set', () => {
  it('has at least 150 items', () => {
    expect(items.length).toBeGreaterThanOrEqual(150);
  });

  it('passes at least 87% of its items', () => {
    const failed = new Set(results.filter((r) => r.why.length > 0).map((r) => r.item.id));
    expect((items.length - failed.size) / items.length).toBeGreaterThanOrEqual(0.87);
  });

  it('never answers an out-of-scope question as an answer', () => {
    const wrong = results.filter((r) => r.turn.expect.type.includes('fallback') && r.reply.type === 'answer').map((r) => r.turn.q);
    expect(wrong).toEqual([]);
  });

  it('never gives an answer with a figure that no citation holds', () => {
    const loose = results.filter((r) => r.why.some((w) => w.startsWith('ungrounded'))).map((r) => `${r.turn.q}: ${r.why.join('; ')}`);
    expect(loose).toEqual([]);
  });
});
