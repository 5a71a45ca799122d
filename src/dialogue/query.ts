import { FACT_TYPES, type FactType } from '../ingest/facts/index.js';
import type { QueryTerm } from '../kb/retrieval.js';
import { charGrams } from '../kb/retrieval.js';
import type { IntentDef, Nlu } from '../nlu/index.js';
import { holdsAny } from '../nlu/phrases.js';
import type { AsksFile, Policy } from './data.js';
import type { SessionState } from './session.js';
import type { Heard, Location, Plan } from './types.js';

/** How much more a follow-up's own words count than the topic they follow. */
const FOLLOW_UP_WEIGHT = 1.5;
/** Intent keywords the notices use, as light extra terms after the question's own. */
const KEYWORD_WEIGHT = 0.35;
/** Place words below the covering region's level: they pick the row that names the place. */
const LOCAL_WEIGHT = 2;
/** Words of a question about the notice itself that say nothing of its topic. */
/** Words that say who or where, not what, left out of the query (a narrower list than understand's FILLER, which also drops 住, 家, 要是 … for classifying the topic). */
const QUERY_FILLER = /^(?:那|那么|呢|在|是|的|我|我在|我是|我们|参保|市|省|区|县|这边|那边|人|吗)+$/;
export const META_FILLER =
  /^(?:通知|公告|通告|文件|政策|新政策|规定|措施|办法|那个|这个|这份|那份|发|印发|出台|发布|联合|部门|单位|机构|文号|号|哪天|几号|几月|日期|时间|执行|施行|实施|生效|开始|全称|标题|名称|名字|叫)$/;

export interface QueryContext {
  nlu: Nlu;
  asks: AsksFile;
  policy: Policy;
  /** Whether any notice uses a word (expansions the notices never use are left out). */
  knows: (word: string) => boolean;
  /** Whether any notice has a character bigram. */
  knowsGram: (gram: string) => boolean;
}

/**
 * Stage 3: the retrieval query — the question's content words and their character bigrams; for a
 * follow-up, the topic's words too (the new words count more); the intent's keywords lightly; the
 * district or city named below the covering region's level, to pick its row.
 */
export function plan(ctx: QueryContext, heard: Heard, location: Location, state: SessionState): Plan {
  const topic = state.topic;
  // A follow-up: steered by 那…呢 or only a place; the city asked for; or a question of a kind of value
  // with no topic of its own (各省的细则啥时候出) right after a topic.
  const bare = heard.u.domainWords.length === 0 && heard.asks.length > 0 && heard.content.length <= 6;
  const followUp = topic !== null && (heard.followUpCue || (state.pending && heard.places.length > 0) || bare);
  const placeWord = (w: string) => heard.placeWords.has(w) || heard.places.some((p) => p.form.includes(w) && w.length >= 2);
  const metaCues = cueWords(ctx.asks, heard);
  const metaCue = (w: string) => heard.meta.length > 0 && (META_FILLER.test(w) || metaCues.has(w));
  const cues = factCueWords(ctx.asks);
  const factCue = (w: string) => cues.set.has(w) || holdsAny(w, cues.long);

  const words: QueryTerm[] = [];
  const seen = new Set<string>();
  const push = (list: QueryTerm[], set: Set<string>, term: string, weight: number, cover: number) => {
    if (set.has(term)) return;
    set.add(term);
    list.push({ term, weight, cover });
  };
  const { situational } = ctx.policy.coverage;
  const ownWeight = followUp ? FOLLOW_UP_WEIGHT : 1;
  // Coverage is measured on the question's words as said (precise mode); the shorter words inside them
  // (search mode: 门诊慢性病 → 门诊, 慢性病) only add to the score, or one long word would count many times.
  const said = new Set(heard.u.words);
  for (const w of heard.u.searchWords) {
    if (placeWord(w) || metaCue(w) || QUERY_FILLER.test(w)) continue;
    if (!said.has(w)) {
      push(words, seen, w, ownWeight, 0);
      continue;
    }
    // Words that only say what kind of value is wanted (电话, 多久) steer the sentence, not the topic. A word
    // of the domain counts fully, known to the notices or not (a 种植牙 they never mention is a topic they do
    // not cover); a word outside it (春节, 老家, 饭馆) tells the asker's situation: it counts less, and not
    // at all when no notice uses it.
    const cue = factCue(w) && heard.content.length > 1;
    const cover = cue ? 0 : ctx.nlu.isDomainWord(w) ? 1 : ctx.knows(w) ? situational : 0;
    push(words, seen, w, cue ? 0.5 : ownWeight, cover);
  }
  // The domain's terms the question holds however jieba cut it (长护险 as 长/护/险): a topic of the domain
  // the notices may not cover, which counts in full.
  const grams: QueryTerm[] = [];
  const seenGrams = new Set<string>();
  for (const t of heard.u.domainWords) {
    if (t.length < 2 || placeWord(t) || metaCue(t) || factCue(t)) continue;
    push(words, seen, t, ownWeight, 1);
    for (const g of charGrams(t)) if (g.length === 2) push(grams, seenGrams, g, ownWeight, 1);
  }
  // Bigrams inside a word count as its word would; a bigram across two words (高血压|病人 → 压病) counts only
  // when the notices have it (a compound the question split), never against the answer.
  for (const run of heard.u.runs) {
    const text = run.join('');
    if (heard.meta.length > 0 && metaCues.has(text)) continue;
    const inside = new Set(run.flatMap((w) => charGrams(w)));
    for (const g of charGrams(text)) {
      if (g.length !== 2 || /^\d+$/.test(g)) continue;
      const known = ctx.knowsGram(g);
      const cover = factCue(g) && heard.content.length > 1 ? 0 : inside.has(g) && ctx.nlu.isDomainWord(g) ? 1 : known ? situational : 0;
      push(grams, seenGrams, g, ownWeight, cover);
    }
  }

  let intent: IntentDef | undefined = heard.topDef?.kind === 'notice' && heard.top && heard.top.p >= 0.2 ? heard.topDef : undefined;
  let factTypes = heard.factTypes;
  let requiredFacts = heard.requiredFacts;
  if (followUp && topic) {
    for (const t of topic.words) push(words, seen, t, 1, 1);
    for (const t of topic.words) for (const g of charGrams(t)) if (g.length === 2) push(grams, seenGrams, g, 1, 1);
    if (!intent && topic.intent) intent = ctx.nlu.intents.get(topic.intent);
    if (factTypes.length === 0) factTypes = topic.factTypes;
    if (requiredFacts.length === 0) requiredFacts = topic.requiredFacts;
  }
  // Nothing asked for in so many words: the kinds of fact the topic's answers hold (intents.yaml `facts`),
  // for picking the sentences to quote only — the intents know the notices they were written from.
  const quoteFacts =
    factTypes.length > 0 ? factTypes : (intent?.facts ?? []).filter((f): f is FactType => (FACT_TYPES as readonly string[]).includes(f));
  for (const k of intent?.keywords ?? [])
    for (const w of ctx.nlu.keywordWords(k)) if (ctx.knows(w)) push(words, seen, w, KEYWORD_WEIGHT, 0);
  // A place named as somewhere else (去成都, 支援湖北) is part of the topic: it picks the clause about it.
  for (const p of heard.places.filter((x) => x.elsewhere)) {
    push(words, seen, p.name, 1, 0);
    for (const g of charGrams(p.name)) if (g.length === 2) push(grams, seenGrams, g, 1, 0);
  }
  for (const name of location.local) {
    push(words, seen, name, LOCAL_WEIGHT, 0);
    for (const g of charGrams(name)) if (g.length === 2) push(grams, seenGrams, g, LOCAL_WEIGHT, 0);
  }
  const inDomain = heard.u.domainWords.length > 0 || (followUp && topic !== null) || heard.meta.length > 0;
  return {
    query: { words, grams },
    followUp,
    intent,
    intentId: intent?.id ?? heard.topDef?.id ?? 'none',
    factTypes,
    primaryFacts: heard.primaryFacts.length > 0 ? heard.primaryFacts : factTypes,
    quoteFacts,
    requiredFacts,
    wantsCount: heard.wantsCount,
    // Nothing said of the topic but the kind of value and words every notice uses (医保, 咨询, 中心).
    topicless: heard.content.every((w) => factCue(w) || ctx.asks.generic.includes(w)),
    inDomain,
  };
}

const factCueCache = new WeakMap<AsksFile, { set: Set<string>; long: string[] }>();

/** The cue phrases of asked-for values (电话, 号码, 多久, 比例): a word that is one, or holds one of two characters or more. */
function factCueWords(asks: AsksFile): { set: Set<string>; long: string[] } {
  let cues = factCueCache.get(asks);
  if (!cues) {
    const set = new Set(Object.values(asks.facts).flatMap((k) => k.cues));
    cues = { set, long: [...set].filter((c) => c.length >= 2) };
    factCueCache.set(asks, cues);
  }
  return cues;
}

function cueWords(asks: AsksFile, heard: Heard): Set<string> {
  return new Set(heard.meta.flatMap((m) => asks.meta[m]));
}
