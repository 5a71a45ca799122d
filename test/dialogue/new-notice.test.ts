/**
 * A notice dropped into the knowledge folder is answerable at once, with no code change: a city the
 * region table does not list becomes a city, its clauses are retrieved and cited, and a question about
 * it never gets another city's figure.
 */
import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Assistant } from '../../src/dialogue/assistant.js';
import type { KnowledgeBase } from '../../src/kb/knowledge-base.js';
import { buildFromDir } from '../../src/kb/load.js';
import { projectAssistant } from '../helpers/assistant.js';
import { FIXTURES, KNOWLEDGE_DIR } from '../helpers/knowledge.js';

let dir: string;
let kb: KnowledgeBase;
let assistant: Assistant;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hl-new-'));
  await mkdir(join(dir, 'notices'));
  await cp(join(KNOWLEDGE_DIR, 'regions.yaml'), join(dir, 'regions.yaml'));
  await cp(join(KNOWLEDGE_DIR, 'notices'), join(dir, 'notices'), { recursive: true });
  for (const f of ['hangzhou-2020-03-02.txt', 'suzhou-2022-04-15.txt', 'guangzhou-2020-02-10.txt']) {
    await cp(join(FIXTURES, 'notices', f), join(dir, 'notices', f));
  }
  kb = await buildFromDir(dir);
  assistant = await projectAssistant();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const ask = (text: string, sessionId = `n-${Math.random()}`) => assistant.ask(kb, { text, sessionId });

describe('a notice dropped in', () => {
  it('answers a question about the new city from its notice', () => {
    const r = ask('杭州门诊慢性病一次能开多少药？');
    expect(r.type).toBe('answer');
    expect(r.citations[0]?.notice).toBe('hangzhou-2020-03-02');
    expect(r.text).toContain('12周');
  });

  it('gives the office’s number from the new notice’s attachment table', () => {
    const r = ask('苏州吴中区医保中心电话多少？');
    expect(r.type).toBe('answer');
    expect(r.citations[0]?.notice).toBe('suzhou-2022-04-15');
    expect(r.text).toContain('0512-65222002');
  });

  it('adds the new cities to the ones it offers when it asks for the city', () => {
    const r = ask('门诊慢性病处方可以开多久？');
    expect(r.type).toBe('clarify');
    expect(r.suggestions).toEqual(expect.arrayContaining(['包头', '杭州']));
  });

  it('answers a Traditional question from a Traditional notice of a city it did not know', () => {
    const r = ask('廣州醫保服務熱線是多少？');
    expect(r.type).toBe('answer');
    expect(r.text).toContain('020-12345678');
    expect(r.text).not.toContain('83709222');
  });
});
