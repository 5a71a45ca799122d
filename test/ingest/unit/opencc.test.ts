import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as OpenCC from 'opencc-js';
import { describe, expect, it } from 'vitest';
import { converter } from '../../../src/ingest/opencc.js';
import { ROOT } from '../../helpers/knowledge.js';

type Config = { segmentation?: unknown; conversionChain: unknown[][] };

/** Phrases of every string dictionary a config converts with. */
function phrasesOf(name: string): string[] {
  const config = (OpenCC.Locale.configs as unknown as Record<string, Config>)[name] as Config;
  const out: string[] = [];
  for (const group of config.conversionChain)
    for (const dict of group) if (typeof dict === 'string') for (const entry of dict.split('|')) out.push(...entry.split(' ').slice(0, 2));
  return out;
}

/** Lines of the project's notices and language data: what the service converts. */
function projectLines(): string[] {
  const lines: string[] = [];
  for (const dir of ['knowledge/notices', 'intents'])
    for (const f of readdirSync(join(ROOT, dir)))
      if (/\.(txt|yaml)$/.test(f)) lines.push(...readFileSync(join(ROOT, dir, f), 'utf8').split('\n'));
  return lines;
}

/** The phrases alone, in runs (so that neighbours compete for the longest match) and around other text. */
function samples(phrases: readonly string[]): string[] {
  const out = [...phrases];
  for (let i = 0; i + 6 <= phrases.length; i += 3) out.push(phrases.slice(i, i + 6).join(''));
  for (let i = 0; i + 3 <= phrases.length; i += 50) out.push(`A ${phrases.slice(i, i + 3).join('，')}。😀`);
  out.push('', '⿰氵青⿱艹化', '⿲', '𠀀醫療😀𪚥', '头发 後来 里面 只有', 'abc 123 ｆｕｌｌ');
  return out;
}

describe('OpenCC over compact tables (issue 14)', () => {
  it.each([
    ['s2tw', { from: 'cn', to: 'tw' }],
    ['t2s', { from: 't', to: 'cn' }],
  ] as const)('converts as opencc-js does with %s: every phrase of its tables, in runs, and the project’s texts', (name, options) => {
    const ours = converter(name);
    const theirs = OpenCC.Converter(options);
    const texts = [...samples([...phrasesOf(name), ...phrasesOf(name === 's2tw' ? 't2s' : 's2tw')]), ...projectLines()];
    const differ = texts.filter((t) => ours(t) !== theirs(t));
    expect(differ.slice(0, 5)).toEqual([]);
    expect(texts.length).toBeGreaterThan(50_000);
  });

  it('refuses a config OpenCC does not have', () => {
    expect(() => converter('x2y')).toThrow(/no config 'x2y'/);
  });
});
