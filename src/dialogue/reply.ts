import { foldDigits } from '../ingest/normalize.js';
import type { Citation } from '../kb/knowledge-base.js';
import type { HandoffReason } from '../nlu/index.js';
import type { Candidate } from '../ops/types.js';

export type ReplyType = 'answer' | 'clarify' | 'handoff' | 'fallback';

/** The reply every channel renders (DESIGN.md's contract for `POST /api/ask`). */
export interface Reply {
  type: ReplyType;
  text: string;
  citations: Citation[];
  intent: string;
  confidence: number;
  sessionId: string;
  suggestions: string[];
  /** Set on `handoff`: why a person is needed. */
  handoff?: { reason: HandoffReason };
  /** The region the reply is about, when there is one. */
  region?: string;
  /** The asker's script: the reply's text, labels and the sources' titles follow it (quotes stay as published). */
  script?: 'simplified' | 'traditional';
  /** The decision rule that fired (src/dialogue/decide.ts), for the logs; not sent to clients. */
  rule?: string;
  /** The closest clauses retrieval found, best first (at most three), for the operators' desk; not sent to clients. */
  candidates?: Candidate[];
}

/** Runs of digits in a reply's text that no citation's quote, title, 文号 or date contains. */
export function ungroundedNumbers(text: string, citations: readonly Citation[]): string[] {
  const runs = foldDigits(text).match(/\d+/g);
  if (!runs) return [];
  // Runs are ASCII digits: a source holds one as folded when it holds it with its full-width digits folded,
  // and most hold none (issue 14: folding every quote's full-width punctuation was 9% of an answer's memory).
  const sources: string[] = [];
  for (const c of citations) for (const s of [c.quote, c.title, c.docNumber, c.date]) if (s !== null) sources.push(foldDigits(s));
  return [...new Set(runs)].filter((run) => !sources.some((s) => s.includes(run)));
}
