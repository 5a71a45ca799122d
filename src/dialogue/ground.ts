import type { Reply } from './reply.js';
import { ungroundedNumbers } from './reply.js';
import type { Trace } from './types.js';

type Draft = Omit<Reply, 'sessionId'>;

/**
 * Stage 7: the grounding guard. Every figure, date or phone number in an answer must stand in a cited
 * quote or in the cited notice's title, 文号 or date. An answer that fails is given again as its quotes
 * alone; one that still fails is not given at all (a person takes over).
 */
export function ground(draft: Draft, quoteOnly: () => Draft, handoff: () => Draft): { reply: Draft; grounding: Trace['grounding'] } {
  if (draft.type !== 'answer') return { reply: draft, grounding: { ok: true, ungrounded: [], action: 'none' } };
  const loose = ungroundedNumbers(draft.text, draft.citations);
  if (loose.length === 0) return { reply: draft, grounding: { ok: true, ungrounded: [], action: 'none' } };
  const plain = quoteOnly();
  if (plain.type === 'answer' && ungroundedNumbers(plain.text, plain.citations).length === 0)
    return { reply: plain, grounding: { ok: false, ungrounded: loose, action: 'quote_only' } };
  return { reply: handoff(), grounding: { ok: false, ungrounded: loose, action: 'handoff' } };
}
