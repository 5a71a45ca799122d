import type { FactType } from '../ingest/facts/index.js';
import type { Notice } from '../ingest/notice.js';
import type { Hit, Query } from '../kb/retrieval.js';
import type { HandoffReason, IntentDef, IntentScore, Understanding } from '../nlu/index.js';
import type { MetaAsk } from './data.js';

/** What one turn brings: the user's text and the channel's city, if it is bound to one. */
export interface TurnInput {
  text: string;
  region?: string;
}

/** A place named in the question, with how it is named. */
export interface NamedPlace {
  /** The place's region name in the gazetteer (海淀, 青岛, 贵州 …). */
  name: string;
  form: string;
  index: number;
  /** Named as somewhere else than the asker's own place: 去海南, 支援湖北, 来渝人员. */
  elsewhere: boolean;
  /** Every place the words may mean (江北区: two cities). */
  candidates: string[];
}

/** Stage 1, understand: the NLU's reading of the question plus what it asks for. */
export interface Heard {
  u: Understanding;
  places: NamedPlace[];
  /** The question's words that make up those places' names. */
  placeWords: ReadonlySet<string>;
  /** Kinds of value asked for (asks.yaml): phone, date, duration … */
  asks: string[];
  /** Fact types that state those values. */
  factTypes: FactType[];
  /** The fact types of the first kind of value asked for (asks.yaml order: a phone before a date before a duration …). */
  primaryFacts: FactType[];
  /** A sentence without one of these facts is no answer (a phone number asked for). */
  requiredFacts: FactType[];
  /** A number with a measure word answers (多少家). */
  wantsCount: boolean;
  /** Questions about the notice itself: 文号, 发布日期, 发文单位, 全称, 执行日期. */
  meta: MetaAsk[];
  /** A 文号 the question names (甬医保发〔2021〕12号), in match form. */
  docNumber: string | null;
  /** Years the question names (2023年). */
  years: number[];
  /** Words that carry the topic: the words minus place names and filler. */
  content: string[];
  /** Steered by the previous turn: 那…呢, 要是…呢, or only a place. */
  followUpCue: boolean;
  /** The question is word for word a small-talk example (你好, 谢谢). */
  smalltalk: boolean;
  /** Top intent, when the classifier is sure enough to let it decide by itself. */
  confident: IntentScore | null;
  top: IntentScore | null;
  topDef: IntentDef | undefined;
}

/** How the region was found. */
export type RegionSource = 'question' | 'request' | 'session' | 'none';

/** Stage 2, locate: where the asker is and which regions' notices speak for that place. */
export interface Location {
  /** The asker's place (a district, a city, a province), when known. */
  place: string | null;
  /** Regions with notices that cover the place, most specific first (遵义 → 贵州, 全国); all regions when the place is unknown. */
  scopes: string[];
  /** The place is known but no notice covers it, not even a national one. */
  unserved: boolean;
  source: RegionSource;
  /** Place words below the covering region's level (黄岛 in 青岛's notice): they pick a row or an office. */
  local: string[];
}

/** Stage 3, query: the retrieval query and the topic it carries. */
export interface Plan {
  query: Query;
  followUp: boolean;
  intent: IntentDef | undefined;
  intentId: string;
  factTypes: FactType[];
  primaryFacts: FactType[];
  /** The fact types the quoted sentences should hold: those asked for, else the topic's (intents.yaml). */
  quoteFacts: FactType[];
  requiredFacts: FactType[];
  wantsCount: boolean;
  /** The question names no topic, only the kind of value it wants (电话多少). */
  topicless: boolean;
  /** The question is in the domain (its words, or the topic it follows up). */
  inDomain: boolean;
}

/** Stage 4, retrieve: the best hits in each scope, and over all notices. */
export interface Candidates {
  byScope: { region: string; hits: Hit[] }[];
  /** Over every notice, when the asker's place is unknown. */
  all: Hit[];
}

export type RuleName =
  | 'handoff.requested'
  | 'complaint'
  | 'urgent'
  | 'personal'
  | 'smalltalk'
  | 'out_of_domain'
  | 'repeated_failure'
  | 'no_notice_for_region'
  | 'no_notice_for_year'
  | 'answer'
  | 'answer.meta'
  | 'clarify.city'
  | 'clarify.topic'
  | 'clarify.region_only'
  | 'unanswered';

/** Stage 5, decide: the rule that fired and what it needs to be said. */
export type Decision =
  | { rule: 'answer'; region: string; hit: Hit; confidence: number }
  | { rule: 'answer.meta'; region: string; notice: Notice; fields: MetaAsk[]; confidence: number }
  | { rule: 'clarify.city'; regions: string[]; confidence: number }
  | { rule: 'clarify.topic'; choices: Hit[]; region: string | null; confidence: number }
  | { rule: 'clarify.region_only'; region: string | null }
  | { rule: 'smalltalk'; intent: string; confidence: number }
  | { rule: 'out_of_domain' }
  | {
      rule:
        | 'handoff.requested'
        | 'complaint'
        | 'urgent'
        | 'personal'
        | 'repeated_failure'
        | 'no_notice_for_region'
        | 'no_notice_for_year'
        | 'unanswered';
      reason: HandoffReason;
      region: string | null;
      confidence: number;
      year?: number;
    };

/** Why the assistant replied as it did: the explain trace (`npm run ask -- --explain`, agents' `explain`). */
export interface Trace {
  text: string;
  norm: string;
  words: string[];
  intents: IntentScore[];
  asks: string[];
  meta: MetaAsk[];
  places: NamedPlace[];
  location: Location;
  followUp: boolean;
  query: { words: { term: string; weight: number; cover: number }[]; grams: { term: string; weight: number; cover: number }[] };
  hits: {
    notice: string;
    clause: string;
    region: string | null;
    score: number;
    confidence: number;
    words: number;
    grams: number;
    text: string;
  }[];
  rule: RuleName;
  thresholds: Record<string, number>;
  grounding: { ok: boolean; ungrounded: string[]; action: 'none' | 'quote_only' | 'handoff' };
}
