import type { Gazetteer, Place, PlaceMention } from '../geo/gazetteer.js';
import type { Authority } from './authority.js';
import type { Paragraph } from './paragraphs.js';
import { isClosingLine } from './patterns.js';

/** How a notice's region was found, strongest evidence first. */
export type RegionBasis = 'authority' | 'national' | 'headline' | '本市' | 'most-named' | 'implied' | 'sidecar';

export interface RegionResult {
  place: Place | null;
  basis: RegionBasis | null;
}

/** Named and weighed in the most-named count: the first paragraphs (title, headline, lead) weigh more. */
export const REGION_RULES = {
  leadParagraphs: 3,
  leadWeight: 3,
  /** The place named most must hold more than this share of all weighed mentions … */
  share: 0.5,
  /** … and at least this weight. */
  minWeight: 2,
  /** How far a `从…来` span reaches. */
  fromSpan: 40,
  /** Paragraphs searched for a national document's addressees. */
  addresseeParagraphs: 8,
} as const;

/** A national document's addressees: 各省、自治区、直辖市（及新疆生产建设兵团）…. */
const NATIONAL_ADDRESSEES = /^各省[、,，]?自治区[、,，]?直辖市/;
/** A distribution list: `各区县医保局，市医保中心，各定点医药机构：`. */
const ADDRESSEES = /^各[^。]{0,120}[：:]$/;
/** Words before a place that make it someone else's: 支援湖北, 援鄂, 来自武汉, 赴京, 返回原籍, 前往上海. */
const FOREIGN_BEFORE = /(?:支援|援助|驰援|援|来自|赴|到|去|前往|返回|途经|途径)$/;
/** Words after a place that make it someone else's: 湖北籍, 武汉来的. */
const FOREIGN_AFTER = /^(?:籍|来的)/;
/** Between two places of one list: 、 和 及 与 或. */
const LIST_GAP = /^[、，,和及与或\s]*$/;
/** `从武汉来`, `从河北省石家庄市、邢台市…等地区来渝返渝`: places between 从 and a verb of coming are someone else's. */
const FROM_TO = /从([^。；;]*?)(?:来|返|回|抵|入)/g;
/** Set phrases that name a destination (赴京, 抵沪, 进藏, 驻京), not the notice's own place (离沪, 回京, 来渝). */
const DESTINATION_PHRASE = /^[赴抵进驻]/;
/** What may stand before a headline's place: 【合肥】…, “合肥”…. */
const HEADLINE_LEAD = /^[\s【\[（(“"「]*/;
const CITY_WORDS = /本市|我市|全市/;
const PROVINCE_WORDS = /本省|我省|全省/;

/** Blank what is not the notice's own words: titles of other documents 《…》 and citations （…〔2020〕…）. */
function ownWords(norm: string): string {
  return norm.replace(/《[^》]*》|[(（][^)）]*〔[^)）]*[)）]/g, (s) => ' '.repeat(s.length));
}

/** The places of a text that are the notice's own, i.e. not someone else's (支援湖北, 从武汉来, 赴京). */
function ownMentions(norm: string, gazetteer: Gazetteer): PlaceMention[] {
  const mentions = gazetteer.mentions(norm);
  const foreign = new Set<PlaceMention>();
  const spans = [...norm.matchAll(FROM_TO)].filter((m) => (m[1]?.length ?? 0) <= REGION_RULES.fromSpan);
  for (const [i, m] of mentions.entries()) {
    const end = m.index + m.length;
    const prev = mentions[i - 1];
    if (
      FOREIGN_BEFORE.test(norm.slice(Math.max(0, m.index - 2), m.index)) ||
      FOREIGN_AFTER.test(norm.slice(end)) ||
      spans.some((s) => s.index < m.index && end <= s.index + s[0].length) ||
      (prev && foreign.has(prev) && LIST_GAP.test(norm.slice(prev.index + prev.length, m.index)))
    ) {
      foreign.add(m);
    }
  }
  return mentions.filter((m) => !foreign.has(m));
}

interface Tally {
  score: Map<string, number>;
  total: number;
}

/** Weigh every own mention toward its place and every place above it (a city's districts count for the city). */
function tally(paragraphs: readonly Paragraph[], gazetteer: Gazetteer): Tally {
  const score = new Map<string, number>();
  let total = 0;
  for (const [i, p] of paragraphs.entries()) {
    if (ADDRESSEES.test(p.norm) || isClosingLine(p.norm)) continue;
    const weight = i < REGION_RULES.leadParagraphs ? REGION_RULES.leadWeight : 1;
    for (const m of ownMentions(ownWords(p.norm), gazetteer)) {
      total += weight;
      for (const place of gazetteer.lineage(m.place)) {
        if (place.level !== 'country') score.set(place.code, (score.get(place.code) ?? 0) + weight);
      }
    }
  }
  return { score, total };
}

/** The most specific place that holds more than half of the weighed mentions, or null. */
function mostNamed(t: Tally, gazetteer: Gazetteer): Place | null {
  let best: Place | null = null;
  for (const [code, score] of t.score) {
    if (score <= t.total * REGION_RULES.share || score < REGION_RULES.minWeight) continue;
    const place = gazetteer.get(code) as Place;
    if (!best || gazetteer.contains(best, place)) best = place;
  }
  return best;
}

/** Of places on one line of descent, the most specific; of places that disagree, the first. */
function mostSpecific(places: readonly Place[], gazetteer: Gazetteer): Place | null {
  let best: Place | null = null;
  for (const p of places) {
    if (!best) best = p;
    else if (gazetteer.contains(best, p)) best = p;
    else if (!gazetteer.contains(p, best)) return places[0] ?? null;
  }
  return best;
}

const cityLike = (p: Place) => p.level !== 'country' && p.fullName.endsWith('市');
const provinceLike = (p: Place) => p.level === 'province' && !p.fullName.endsWith('市');

/**
 * A notice's region from the strongest evidence its text gives: the issuing body's place (a national
 * body → 全国); a national document's addressees; a headline `合肥：…` or a title starting with a place;
 * 本市/我省 resolved against the headline or the places the text names; the place it names most, others'
 * places aside (支援湖北, 从武汉来, places in 《…》 or in the distribution list); a set phrase (离沪).
 */
export function inferRegion(
  paragraphs: readonly Paragraph[],
  title: { norm: string; index: number } | null,
  authority: Authority | null,
  gazetteer: Gazetteer,
): RegionResult {
  const headlineNorm = title?.norm ?? paragraphs[0]?.norm ?? '';
  const headlineMentions = ownMentions(ownWords(headlineNorm), gazetteer);
  const lead = HEADLINE_LEAD.exec(headlineNorm)?.[0].length ?? 0;
  const headline = headlineMentions[0]?.index === lead ? headlineMentions[0].place : null;

  const places = (authority?.bodies ?? []).flatMap((b) => (b.place ? [b.place] : []));
  const fromBody = mostSpecific(places, gazetteer);
  // A press report's source counts unless its headline names a place it does not lie in (合肥：… quoting 国家医保局).
  if (fromBody && (authority?.from !== 'report' || !headline || gazetteer.contains(headline, fromBody))) {
    return { place: fromBody, basis: fromBody.level === 'country' ? 'national' : 'authority' };
  }
  if (paragraphs.slice(0, REGION_RULES.addresseeParagraphs).some((p) => NATIONAL_ADDRESSEES.test(p.norm))) {
    return { place: gazetteer.national, basis: 'national' };
  }
  if (headline) return { place: headline, basis: 'headline' };

  const body = paragraphs.filter((p) => p.norm !== headlineNorm).map((p) => p.norm);
  const t = tally(paragraphs, gazetteer);
  for (const [words, fits] of [
    [CITY_WORDS, cityLike],
    [PROVINCE_WORDS, provinceLike],
  ] as const) {
    if (!body.some((n) => words.test(n))) continue;
    const inTitle = headlineMentions.find((m) => fits(m.place))?.place;
    const named = [...t.score.entries()]
      .map(([code, score]) => [gazetteer.get(code) as Place, score] as const)
      .filter(([p]) => fits(p))
      .sort((a, b) => b[1] - a[1])[0]?.[0];
    const place = inTitle ?? named;
    if (place) return { place, basis: '本市' };
  }
  const most = mostNamed(t, gazetteer);
  if (most) return { place: most, basis: 'most-named' };
  for (const p of paragraphs) {
    const implied = gazetteer.implied(p.norm).find((m) => !DESTINATION_PHRASE.test(m.form));
    if (implied) return { place: implied.place, basis: 'implied' };
  }
  return { place: null, basis: null };
}
