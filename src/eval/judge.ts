import { ungroundedNumbers } from '../dialogue/reply.js';
import { matchForm } from '../ingest/normalize.js';
import type { Citation } from '../kb/knowledge-base.js';

/** One labelled conversation (format: shared/eval/README.md). */
export interface EvalItem {
  id: string;
  tags?: string[];
  turns: { q: string; region?: string; expect: { type: string[]; notice?: string; include?: string[][]; exclude?: string[] } }[];
}

export interface WireReply {
  type: string;
  text: string;
  citations: Citation[];
  intent?: string;
}

/** Both sides are compared folded: Simplified, ASCII width, lower case, no white space. */
export function fold(text: string): string {
  return matchForm(text).replace(/\s+/g, '');
}

/** Why a turn fails, or an empty list when it passes. */
export function judgeTurn(turn: EvalItem['turns'][number], reply: WireReply): string[] {
  const why: string[] = [];
  const e = turn.expect;
  if (!e.type.includes(reply.type)) why.push(`type ${reply.type}, expected ${e.type.join('|')}`);
  if (e.notice && !reply.citations.some((c) => c.notice === e.notice)) {
    why.push(`cites ${[...new Set(reply.citations.map((c) => c.notice))].join(',') || 'nothing'}, expected ${e.notice}`);
  }
  const text = fold(reply.text);
  if (e.include && (reply.type === 'answer' || e.type.length === 1)) {
    for (const group of e.include) if (!group.some((alt) => text.includes(fold(alt)))) why.push(`missing one of ${group.join('/')}`);
  }
  for (const x of e.exclude ?? []) if (text.includes(fold(x))) why.push(`contains excluded ${x}`);
  if (reply.type === 'answer') {
    const loose = ungroundedNumbers(reply.text, reply.citations);
    if (loose.length > 0) why.push(`ungrounded numbers ${loose.join(',')}`);
  }
  return why;
}
