/**
 * The project's own "other notices" set (test/eval/other/): eight fictional notices in the shapes real
 * bureaus publish, with labelled questions. This checks the set itself, not the assistant: the questions
 * are well formed, every answer's key value stands in the notice it names, every handoff asks for something
 * no notice states, the notices have the lengths of real ones, and no sentence was lifted from the project's
 * five real notices or from the shared generality notices (which stay an untouched check).
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EvalItem } from '../../src/eval/judge.js';
import { matchForm, stripPinyin } from '../../src/ingest/normalize.js';
import { KNOWLEDGE_DIR, ROOT } from '../helpers/knowledge.js';

const OTHER = join(ROOT, 'test', 'eval', 'other');
const GENERALITY = join(ROOT, '..', 'shared', 'eval', 'generality', 'notices');
const TYPES = new Set(['answer', 'clarify', 'handoff', 'fallback']);
/** How long a shared run of characters may be before it counts as copied. */
const COPIED = 16;

/** What each handoff item asks for, in words that no notice (of this set or the real five) may contain. */
const ABSENT: Record<string, string[]> = {
  'o-069': ['近视'],
  'o-070': ['缴费基数'],
  'o-071': ['保险公司', '承办'],
  'o-072': ['试管', '辅助生殖'],
};

/** The form compared: pinyin annotations and white space gone, Traditional and full-width folded. */
function fold(text: string): string {
  return matchForm(stripPinyin(text).text).replace(/\s+/g, '');
}

async function readNotices(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const f of (await readdir(dir)).filter((x) => x.endsWith('.txt')).sort()) {
    out.set(f.slice(0, -'.txt'.length), await readFile(join(dir, f), 'utf8'));
  }
  return out;
}

/** Every run of `n` characters of a folded text. */
function runs(chars: string[], n: number): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i + n <= chars.length; i++) out.add(chars.slice(i, i + n).join(''));
  return out;
}

/** The stretches of a notice of the set, `n` characters or longer, that also stand in one of `others`. */
function shared(others: Map<string, string>, n: number): string[] {
  const seen = new Set<string>();
  for (const text of others.values()) for (const r of runs([...fold(text)], n)) seen.add(r);
  const hits: string[] = [];
  for (const [stem, text] of set) {
    const chars = [...fold(text)];
    let end = -1;
    for (let i = 0; i + n <= chars.length; i++) {
      if (!seen.has(chars.slice(i, i + n).join(''))) continue;
      if (i <= end) {
        hits[hits.length - 1] += chars.slice(end, i + n).join('');
      } else {
        hits.push(`${stem}: ${chars.slice(i, i + n).join('')}`);
      }
      end = i + n;
    }
  }
  return hits;
}

const set = await readNotices(join(OTHER, 'notices'));
const real = await readNotices(join(KNOWLEDGE_DIR, 'notices'));
const lines = (await readFile(join(OTHER, 'questions.jsonl'), 'utf8')).split('\n').filter((l) => l.trim() !== '');
const items: EvalItem[] = lines.map((l) => JSON.parse(l));
const turns = items.flatMap((item) => item.turns.map((turn, n) => ({ item, turn, where: `${item.id}#${n + 1}` })));
const answers = turns.filter((t) => t.turn.expect.type.includes('answer'));
const first = (item: EvalItem) => item.turns[0]?.expect.type[0];

describe('the other-notices set: notices', () => {
  it('has eight notices named <pinyin>-<yyyy-mm-dd> or <pinyin>-<yyyy-mm>, none of them also a real notice', () => {
    expect(set.size).toBe(8);
    for (const stem of set.keys()) {
      expect(stem).toMatch(/^[a-z]+-20(?:2[0-3])-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?$/);
      expect(real.has(stem)).toBe(false);
    }
  });

  it('keeps every notice between 600 and 2,500 characters', () => {
    const wrong = [...set].map(([stem, text]) => [stem, [...text].length] as const).filter(([, n]) => n < 600 || n > 2500);
    expect(wrong).toEqual([]);
  });

  it(`shares no run of ${COPIED} characters with the five real notices`, () => {
    expect(real.size).toBeGreaterThanOrEqual(5);
    expect(shared(real, COPIED)).toEqual([]);
  });

  it.skipIf(!existsSync(GENERALITY))(`shares no run of ${COPIED} characters with the shared generality notices`, async () => {
    const generality = await readNotices(GENERALITY);
    expect(generality.size).toBeGreaterThan(0);
    expect(shared(generality, COPIED)).toEqual([]);
  });
});

describe('the other-notices set: questions', () => {
  it('parses every line into an item with an id o-NNN, tags and turns', () => {
    expect(items.length).toBeGreaterThanOrEqual(64);
    expect(items.length).toBeLessThanOrEqual(80);
    for (const item of items) {
      expect(item.id).toMatch(/^o-\d{3}$/);
      expect(Array.isArray(item.tags) && item.tags.every((t) => typeof t === 'string' && t !== '')).toBe(true);
      expect(item.turns.length).toBeGreaterThan(0);
    }
  });

  it('has unique ids', () => {
    const ids = items.map((i) => i.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('gives every turn a question and known expected types, and a bound region only as a string', () => {
    for (const { turn, where } of turns) {
      expect(typeof turn.q === 'string' && turn.q.trim() !== '', where).toBe(true);
      expect(turn.expect.type.length, where).toBeGreaterThan(0);
      for (const t of turn.expect.type) expect(TYPES.has(t), `${where}: ${t}`).toBe(true);
      if (turn.region !== undefined) expect(typeof turn.region, where).toBe('string');
    }
  });

  it('has mostly answers, about four handoffs, three fallbacks and two clarify items', () => {
    const count = (type: string) => items.filter((i) => first(i) === type).length;
    expect(count('answer')).toBeGreaterThanOrEqual(55);
    expect(count('handoff')).toBeGreaterThanOrEqual(3);
    expect(count('fallback')).toBe(3);
    expect(count('clarify')).toBe(2);
  });

  it('names, in every answer turn, an existing notice of the set or of knowledge/notices, and what to include', () => {
    for (const { turn, where } of answers) {
      const notice = turn.expect.notice ?? '';
      expect(set.has(notice) || real.has(notice), `${where}: ${notice}`).toBe(true);
      expect(turn.expect.include?.length ?? 0, where).toBeGreaterThan(0);
      for (const group of turn.expect.include ?? []) expect(group.length, where).toBeGreaterThan(0);
    }
  });

  it('asks about every notice of the set in at least six answer turns', () => {
    for (const stem of set.keys()) expect(answers.filter((a) => a.turn.expect.notice === stem).length, stem).toBeGreaterThanOrEqual(6);
  });

  it("finds every answer turn's first include alternative in its notice", () => {
    const missing: string[] = [];
    for (const { turn, where } of answers) {
      const text = fold(set.get(turn.expect.notice ?? '') ?? real.get(turn.expect.notice ?? '') ?? '');
      for (const group of turn.expect.include ?? []) if (!text.includes(fold(group[0] ?? '\u0000'))) missing.push(`${where}: ${group[0]}`);
    }
    expect(missing).toEqual([]);
  });

  it('never excludes what a turn must include', () => {
    const clash: string[] = [];
    for (const { turn, where } of turns) {
      for (const x of turn.expect.exclude ?? []) {
        for (const group of turn.expect.include ?? []) if (fold(group[0] ?? '').includes(fold(x))) clash.push(`${where}: ${x}`);
      }
    }
    expect(clash).toEqual([]);
  });

  it('lists the asked-for terms of every handoff item, and no notice contains them', () => {
    const handoffs = items.filter((i) => first(i) === 'handoff').map((i) => i.id);
    expect(Object.keys(ABSENT).sort()).toEqual(handoffs.sort());
    const all = [...set.values(), ...real.values()].map(fold);
    const found: string[] = [];
    for (const [id, terms] of Object.entries(ABSENT)) {
      for (const term of terms) if (all.some((text) => text.includes(fold(term)))) found.push(`${id}: ${term}`);
    }
    expect(found).toEqual([]);
  });
});
