import { matchForm } from '../ingest/normalize.js';
import type { Notice } from '../ingest/notice.js';
import { toSimplified } from '../ingest/script.js';
import type { Clause } from '../ingest/structure.js';
import type { Citation } from '../kb/knowledge-base.js';
import { type CardEntry, type CardType, regionCard } from './card.js';
import { type ComposeContext, reminderOf, sourceLine } from './compose.js';
import { fill } from './data.js';
import type { Location, Plan } from './types.js';

/**
 * The card's kinds of fact that answer a question asking for them as they stand, whatever its topic: the
 * contacts (a phone with its office and hours, a web address). A limit or a sum needs its topic, so it is
 * left to retrieval.
 */
export const CONTACT_KINDS = ['phone', 'url'] as const satisfies readonly CardType[];
/** How sure such a listing is: the card states the kind of value asked for; how well it fits the caller's topic is not measured. */
export const CARD_CONFIDENCE = 0.9;

export interface CardAnswer {
  text: string;
  citations: Citation[];
  region: string;
  confidence: number;
  kind: (typeof CONTACT_KINDS)[number];
  /** The clauses the listed contacts stand in (`notice#path`). */
  clauses: string[];
}

/**
 * A question asking for a contact (医保热线是多少), answered from the quick-reference card of the nearest
 * region that lists one: each with its office and hours, cited to the sentence that states it, those naming
 * the asker's district first; then the source and the notice's reminder, as an answer ends. Null when the
 * question asks for no contact, the asker's place is unknown, or no card of theirs lists one.
 */
export function cardAnswer(ctx: ComposeContext, plan: Plan, location: Location): CardAnswer | null {
  const kinds = CONTACT_KINDS.filter((k) => plan.primaryFacts.includes(k));
  if (kinds.length === 0 || location.place === null) return null;
  for (const scope of location.scopes) {
    const card = regionCard(ctx.kb, scope);
    const kind = kinds.find((k) => card.entries.some((e) => e.type === k));
    if (!kind) continue;
    const listed = card.entries.filter((e) => e.type === kind);
    const local = (e: CardEntry) => location.local.some((l) => matchForm(`${e.label ?? ''}${e.sentence}`).includes(l));
    const entries = [...listed.filter(local), ...listed.filter((e) => !local(e))];
    const clauses = [...new Set(entries.map((e) => `${e.notice}#${e.clause}`))];
    return { ...compose(ctx, scope, kind, entries), region: scope, confidence: CARD_CONFIDENCE, kind, clauses };
  }
  return null;
}

function compose(ctx: ComposeContext, region: string, kind: CardAnswer['kind'], entries: readonly CardEntry[]) {
  const lines = [fill(ctx.responses[`card_${kind}`], { region })];
  const citations: Citation[] = [];
  const byNotice = new Map<Notice, { clauses: Clause[]; quotes: string[] }>();
  for (const e of entries) {
    const id = `${e.notice}#${e.clause}`;
    const notice = ctx.kb.notice(e.notice);
    const clause = ctx.kb.clause(id);
    if (!notice || !clause) continue;
    const simplified = (t: string) => (notice.script === 'simplified' ? t : toSimplified(t));
    const label = e.label ? `${simplified(e.label)}：` : '';
    const hours = e.hours && !(e.label ?? '').includes(e.hours) ? `（${simplified(e.hours)}）` : '';
    lines.push(`· ${label}${e.text}${hours}`);
    const group = byNotice.get(notice) ?? { clauses: [], quotes: [] };
    byNotice.set(notice, group);
    if (!group.clauses.includes(clause)) group.clauses.push(clause);
    if (citations.some((c) => c.notice === e.notice && c.clause === e.clause && c.quote === e.sentence)) continue;
    const cite = ctx.kb.citation(id, e.sentence);
    if (cite) {
      citations.push(cite);
      group.quotes.push(cite.quote);
    }
  }
  const reminders = new Set<string>();
  for (const [notice, { clauses, quotes }] of byNotice) {
    lines.push(sourceLine(ctx, notice, clauses, quotes.join('')));
    const ending = reminderOf(ctx, notice);
    reminders.add(ending.text);
    if (ending.citation) citations.push(ending.citation);
  }
  lines.push(...[...reminders].map((r) => `${r}。`));
  return { text: lines.join('\n'), citations };
}
