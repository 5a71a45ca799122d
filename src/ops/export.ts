/**
 * A group of missed questions exported as a labelled set (issue 16), so that an operator's finding becomes a
 * test: JSONL in the eval format (shared/eval/README.md), one one-turn item per distinct question, which
 * `npm run eval -- FILE` runs. `parseSet` checks such a file line by line.
 */
import type { EvalItem } from '../eval/judge.js';
import { type Schema, schemaProblems } from '../schema.js';
import type { ExportExpect } from './types.js';

export const REPLY_TYPES = ['answer', 'clarify', 'handoff', 'fallback'] as const;

export interface ExportOptions {
  /** The items' ids are `<prefix>-001`, `<prefix>-002` …: letters, digits, `_` and `-`. */
  prefix: string;
  /** Every item's tags (default: `ops`). */
  tags?: string[];
}

const nonEmpty = { type: 'string', minLength: 1 } as const;
const stringList = { type: 'array', items: nonEmpty, minItems: 1 } as const;
const expectSchema = {
  type: 'object',
  required: ['type'],
  additionalProperties: false,
  properties: {
    type: { type: 'array', items: { type: 'string', enum: REPLY_TYPES }, minItems: 1, uniqueItems: true },
    notice: nonEmpty,
    include: { type: 'array', items: stringList },
    exclude: { type: 'array', items: nonEmpty },
  },
} as const;
const itemSchema = {
  type: 'object',
  required: ['id', 'turns'],
  additionalProperties: false,
  properties: {
    id: nonEmpty,
    tags: { type: 'array', items: nonEmpty },
    turns: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['q', 'expect'],
        additionalProperties: false,
        properties: { q: nonEmpty, region: nonEmpty, expect: expectSchema },
      },
    },
  },
} as const;

const expectProblems = schemaProblems(expectSchema as unknown as Schema<ExportExpect>);
const itemProblems = schemaProblems(itemSchema as unknown as Schema<EvalItem>);

/** The questions as a labelled set: one item per distinct question (and region), in the order given. */
export function exportSet(
  samples: readonly { text: string; region: string | null }[],
  expect: ExportExpect,
  options: ExportOptions,
): string {
  if (!/^[A-Za-z0-9_-]+$/.test(options.prefix)) throw new Error(`the prefix '${options.prefix}' must be letters, digits, _ or -`);
  const problem = expectProblems(expect);
  if (problem) throw new Error(`expect: ${problem}`);
  const tags = options.tags ?? ['ops'];
  if (tags.some((t) => typeof t !== 'string' || t.trim() === '')) throw new Error('tags must be non-empty strings');
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const s of samples) {
    const q = s.text.trim();
    const region = s.region?.trim() || undefined;
    const key = `${q.replace(/\s+/g, ' ')}\u0000${region ?? ''}`;
    if (q === '' || seen.has(key)) continue;
    seen.add(key);
    const item: EvalItem = {
      id: `${options.prefix}-${String(lines.length + 1).padStart(3, '0')}`,
      tags: [...tags],
      turns: [{ q, ...(region ? { region } : {}), expect: copyExpect(expect) }],
    };
    lines.push(JSON.stringify(item));
  }
  if (lines.length === 0) throw new Error('no question to export');
  return `${lines.join('\n')}\n`;
}

/** The fields of the format in its order (type, notice, include, exclude), nothing else. */
function copyExpect(e: ExportExpect): EvalItem['turns'][number]['expect'] {
  return {
    type: [...e.type],
    ...(e.notice ? { notice: e.notice } : {}),
    ...(e.include ? { include: e.include.map((g) => [...g]) } : {}),
    ...(e.exclude ? { exclude: [...e.exclude] } : {}),
  };
}

/** The items of a labelled set, each line checked; a bad one throws an Error naming its line (from 1). */
export function parseSet(text: string): EvalItem[] {
  const items: EvalItem[] = [];
  const ids = new Set<string>();
  for (const [n, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      throw new Error(`line ${n + 1}: not JSON (${(err as Error).message})`);
    }
    const problem = itemProblems(value);
    if (problem) throw new Error(`line ${n + 1}: ${problem}`);
    const item = value as EvalItem;
    if (ids.has(item.id)) throw new Error(`line ${n + 1}: the id '${item.id}' is used twice`);
    ids.add(item.id);
    items.push(item);
  }
  return items;
}
