/**
 * The own set over other notices (test/eval/other: fictional notices in the shapes real bureaus publish)
 * run through the assistant with those notices dropped into a copy of the knowledge base, as a bureau
 * would: a floor under the pass rate, and what must never happen — an out-of-scope question answered, an
 * answer with a figure no citation holds.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { knowledgeWith } from '../../src/eval/knowledge-copy.js';
import { readItems, type Score, score } from '../../src/eval/score.js';
import { buildFromDir } from '../../src/kb/load.js';
import { projectAssistant } from '../helpers/assistant.js';
import { KNOWLEDGE_DIR, ROOT } from '../helpers/knowledge.js';

let result: Score;
let remove = async () => {};
beforeAll(async () => {
  const copy = await knowledgeWith(KNOWLEDGE_DIR, [join(ROOT, 'test', 'eval', 'other', 'notices')]);
  remove = copy.remove;
  const kb = await buildFromDir(copy.dir);
  const assistant = await projectAssistant();
  const items = await readItems(join(ROOT, 'test', 'eval', 'other', 'questions.jsonl'));
  result = await score(items, (text, sessionId, region) => assistant.ask(kb, { text, sessionId, ...(region ? { region } : {}) }), 'other');
});
afterAll(() => remove());

describe('the own set over other notices', () => {
  it('passes at least 80% of its items', () => {
    expect(result.items.pass / result.items.total).toBeGreaterThanOrEqual(0.8);
  });

  it('never answers an out-of-scope question, and never gives a figure no citation holds', () => {
    expect(result.outOfScopeAnswered).toBe(0);
    expect(result.ungrounded).toBe(0);
  });
});
