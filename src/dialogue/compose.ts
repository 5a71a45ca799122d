import type { PhoneFact } from '../ingest/facts/index.js';
import { toSimplified, toTraditional } from '../ingest/script.js';
import type { Clause } from '../ingest/structure.js';
import type { Citation, KnowledgeBase } from '../kb/knowledge-base.js';
import type { Passage } from '../kb/retrieval.js';
import type { HandoffReason } from '../nlu/index.js';

const CN_PATH = /^[一二三四五六七八九十百]+(?:\.[一二三四五六七八九十百]+)*$/;

/** How a reply names a clause: 第五条, 第十二条第（四）项, 第3项, or its heading. */
export function clauseLabel(c: Clause): string | null {
  if (c.kind !== 'policy') return null;
  if (CN_PATH.test(c.path)) {
    const [first, ...rest] = c.path.split('.');
    return `第${first}条${rest.map((r) => `第（${r}）项`).join('')}`;
  }
  if (/^第.+[条章节]$/.test(c.path)) return c.path;
  if (c.heading) return `“${c.heading}”`;
  return null;
}

/** The reply in the user's script: a Traditional question gets a Traditional reply (replies are composed in Simplified). */
export function inScript(text: string, script: 'simplified' | 'traditional'): string {
  return script === 'traditional' ? toTraditional(text) : toSimplified(text);
}

/** The region's 24-hour or service hotline from its notices, with the sentence that gives it. */
export function regionHotline(kb: KnowledgeBase, region: string): { fact: PhoneFact; citation: Citation } | null {
  const phones = kb.facts({ region, type: 'phone' }) as PhoneFact[];
  const hotline = phones.find((f) => f.kind === 'hotline' || /热线|熱線/.test(f.purpose ?? ''));
  if (!hotline) return null;
  const clause = kb.clause(hotline.clause);
  if (!clause) return null;
  const sentence = sentenceAround(clause.quote, hotline.start, hotline.end);
  const citation = kb.citation(hotline.clause, sentence);
  return citation ? { fact: hotline, citation } : null;
}

export function sentenceAround(text: string, start: number, end: number): string {
  const stops = /[。；;！!？?\n]/;
  let a = start;
  while (a > 0 && !stops.test(text[a - 1] ?? '')) a--;
  let b = end;
  while (b < text.length && !stops.test(text[b] ?? '')) b++;
  return text.slice(a, Math.min(text.length, b + 1)).trim();
}

export interface AnswerParts {
  region: string;
  passages: Passage[];
  kb: KnowledgeBase;
}

/**
 * An answer: the quoted sentences first, then the source (issuing body, title, 文号, clause, date), then
 * the reminder that this was a dated, temporary COVID-era measure — with the region's hotline when the
 * knowledge base has one. Every figure in it comes from a cited quote.
 */
export function composeAnswer({ region, passages, kb }: AnswerParts): { text: string; citations: Citation[] } {
  const first = passages[0] as Passage;
  const notice = first.notice;
  const clauseIds = [...new Set(passages.map((p) => p.clause.id))];
  const citations: Citation[] = [];
  for (const id of clauseIds) {
    const quote = passages
      .filter((p) => p.clause.id === id)
      .sort((a, b) => a.start - b.start)
      .map((p) => p.text)
      .join('');
    const c = kb.citation(id, quote);
    if (c) citations.push(c);
  }
  const simplified = (t: string) => (notice.script === 'simplified' ? t : toSimplified(t));
  const body = simplified(citations.map((c) => c.quote).join(''));
  const m = notice.meta;
  const named = clauseLabel(first.clause);
  // A label such as “1项举措…” would bring a figure no quote holds.
  const label = named && (named.match(/\d+/g) ?? []).every((d) => body.includes(d)) ? named : null;
  const source = [m.authority, m.title ? `《${m.title}》` : null, m.docNumber ? `（${m.docNumber}）` : null, label]
    .filter(Boolean)
    .join('');
  const lines = [`${region}：${body}`];
  if (source) lines.push(`来源：${simplified(source)}${m.date ? `，${m.date}` : ''}。`);
  const hotline = regionHotline(kb, region);
  const when = m.date ? `${m.date}发布的` : '';
  let reminder = `提示：以上是${when}疫情期间的临时性措施，现在是否仍然执行，请以当地医保部门的最新规定为准`;
  if (hotline && !body.includes(hotline.fact.number)) {
    reminder += `，可拨打${simplified(hotline.fact.purpose ?? '医保热线')}${hotline.fact.number}咨询`;
    citations.push(hotline.citation);
  }
  lines.push(`${reminder}。`);
  return { text: lines.join('\n'), citations };
}

const HANDOFF_TEXT: Record<HandoffReason, string> = {
  requested: '好的，正在为您转接人工客服，请稍候。',
  complaint: '很抱歉给您带来不便。投诉和争议需要工作人员核实处理，正在为您转接人工客服，请稍候。',
  urgent: '如遇危及生命的紧急情况，请立即拨打120急救电话。您的问题需要工作人员尽快处理，正在为您转接人工客服。',
  personal: '查询个人缴费、账户、报销进度等信息需要核实身份，正在为您转接人工客服，请准备好身份证件。',
  not_covered: '这个问题在现有的医保通知中没有明确规定，为避免给您不准确的信息，正在为您转接人工客服。',
  unanswered: '抱歉，我在现有的医保通知中没有找到这个问题的明确答复，为避免给您不准确的信息，正在为您转接人工客服。',
  repeated_failure: '抱歉，我没能帮您解决这个问题，正在为您转接人工客服，请稍候。',
};

export function composeHandoff(reason: HandoffReason, hotline: { fact: PhoneFact } | null, region: string | null): string {
  const extra = hotline ? `您也可以拨打${region ?? ''}${toSimplified(hotline.fact.purpose ?? '医保热线')}${hotline.fact.number}。` : '';
  return `${HANDOFF_TEXT[reason]}${extra}`;
}

export function composeClarify(regions: readonly string[]): string {
  const list = regions.join('、');
  return regions.length > 0
    ? `请问您是在哪个城市参保的？各地政策不同，目前有${list}的相关通知，请告诉我您所在的城市。`
    : '请问您是在哪个城市参保的？各地政策不同，请告诉我您所在的城市。';
}

export const FALLBACK_TEXT =
  '抱歉，这个问题超出了我的服务范围。我是医保热线助手，可以解答医保经办相关问题，例如：慢性病开药量、异地就医备案、医保缴费与缓缴、医疗费用报销、咨询电话等。';
export const GREETING_TEXT =
  '您好！我是医保热线助手，可以解答慢性病开药量、异地就医备案、医保缴费与缓缴、医疗费用报销等问题。请问有什么可以帮您？';
export const THANKS_TEXT = '不客气！还有其他医保问题可以随时问我。';
