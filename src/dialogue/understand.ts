import type { Gazetteer } from '../geo/gazetteer.js';
import type { FactType } from '../ingest/facts/index.js';
import type { Nlu } from '../nlu/index.js';
import { holdsAny } from '../nlu/phrases.js';
import { type AsksFile, META_FIELDS, type MetaAsk, type Policy } from './data.js';
import type { Heard, NamedPlace } from './types.js';

/** Words that say nothing of the topic once place names are gone: 我在, 参保, 市, 这边 … */
const FILLER =
  /^(?:那|那么|呢|在|是|的|我|我在|我是|我们|参保|市|省|区|县|地区|这边|那边|本地|当地|人|吗|住|家|要是|如果|假如|还有|另外|换成)+$/;
/** Words that steer a follow-up: “那大连呢？”, “要是孩子才12岁呢”, “换成北京呢”. */
const FOLLOW_UP = /^(?:那|那么|还有|另外|再问|如果|要是|假如|换成|换作)|呢[?？!！。.]*$/;
/** The asker is not there: 去海南, 到上海看病, 支援湖北, 从武汉来. */
const ELSEWHERE_BEFORE = /(?:去|到|赴|前往|支援|援助|援|来自|从|转往|转诊到|转到)$/;
const DOC_NUMBER = /[\p{Script=Han}]{1,12}[〔[(（【]\s*(?:19|20)\d{2}\s*[〕\])）】]\s*\d{1,4}\s*号/u;
const YEAR = /((?:19|20)\d{2})\s*年/g;

export interface UnderstandContext {
  nlu: Nlu;
  places: Gazetteer;
  asks: AsksFile;
  policy: Policy;
}

/** Stage 1: read the question — words, intents, places, what it asks for, whether it follows up. */
export function understand(ctx: UnderstandContext, text: string): Heard {
  const norm = ctx.nlu.normalize(text);
  // jieba's words with their offsets: place names must sit on their edges, and the words inside a place's
  // name (雁塔区 → 雁/塔/区) say where, not what.
  const tokens: { word: string; at: number }[] = [];
  let at = 0;
  for (const word of ctx.nlu.tokens(norm)) {
    tokens.push({ word, at });
    at += word.length;
  }
  const places = namedPlaces(ctx.places, norm, new Set([0, ...tokens.map((t) => t.at + t.word.length)]));
  const placeWords = new Set(
    tokens.filter((t) => places.some((p) => t.at >= p.index && t.at + t.word.length <= p.index + p.form.length)).map((t) => t.word),
  );
  const isPlaceWord = (w: string) => placeWords.has(w) || FILLER.test(w);
  const u = ctx.nlu.understand(text, isPlaceWord);
  const content = u.words.filter((w) => !isPlaceWord(w));

  const asks: string[] = [];
  const factTypes = new Set<FactType>();
  const requiredFacts = new Set<FactType>();
  let wantsCount = false;
  let primaryFacts: FactType[] = [];
  for (const [name, kind] of Object.entries(ctx.asks.facts)) {
    if (!holdsAny(u.norm, kind.cues)) continue;
    asks.push(name);
    if (primaryFacts.length === 0) primaryFacts = kind.facts;
    for (const f of kind.facts) factTypes.add(f);
    if (kind.required) for (const f of kind.facts) requiredFacts.add(f);
    if (kind.count) wantsCount = true;
  }
  const meta: MetaAsk[] = META_FIELDS.filter((f) => holdsAny(u.norm, ctx.asks.meta[f]));
  // Every 文号 ends in 号: the pattern, which tries up to twelve characters at each position, only runs then.
  const doc = u.norm.includes('号') ? DOC_NUMBER.exec(u.norm) : null;
  const years = [...u.norm.matchAll(YEAR)].map((m) => Number(m[1]));

  const small = ctx.nlu.smalltalk(u.norm);
  const top = small ? { intent: small, p: 1 } : (u.intents[0] ?? null);
  const runnerUp = u.intents[1]?.p ?? 0;
  const { threshold, ratio, floor } = ctx.policy.intent;
  const confident = top && (top.p >= threshold || (top.p >= floor && top.p >= ratio * runnerUp)) ? top : null;
  const rest = norm.replace(/[\s\p{P}\p{S}]/gu, '');
  const onlyPlace = places.length > 0 && content.length === 0;
  return {
    u,
    places,
    placeWords,
    asks,
    factTypes: [...factTypes],
    primaryFacts,
    requiredFacts: [...requiredFacts],
    wantsCount,
    meta,
    docNumber: doc ? doc[0].replace(/\s+/g, '') : null,
    years: [...new Set(years)],
    content,
    followUpCue: onlyPlace || (rest.length > 0 && FOLLOW_UP.test(norm.trim()) && content.length <= 6),
    confident,
    smalltalk: small !== null,
    top,
    topDef: top ? ctx.nlu.intents.get(top.intent) : undefined,
  };
}

/** Places the question names, the asker's own first; a place named as somewhere else is marked so. */
function namedPlaces(places: Gazetteer, norm: string, boundaries: ReadonlySet<number>): NamedPlace[] {
  const out: NamedPlace[] = [];
  for (const m of [...places.mentions(norm, boundaries), ...places.implied(norm)]) {
    if (out.some((o) => o.index === m.index)) continue;
    const before = norm.slice(Math.max(0, m.index - 4), m.index);
    out.push({
      name: m.place.name,
      form: m.form,
      index: m.index,
      elsewhere: ELSEWHERE_BEFORE.test(before),
      candidates: m.candidates.map((c) => c.name),
    });
  }
  return out.sort((a, b) => Number(a.elsewhere) - Number(b.elsewhere) || a.index - b.index);
}
