import { randomUUID } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { FactType } from '../ingest/facts/index.js';
import type { KnowledgeBase } from '../kb/knowledge-base.js';
import { type Hit, type Passage, type QueryTerm, Retriever } from '../kb/retrieval.js';
import type { HandoffReason, IntentDef, Nlu, Understanding } from '../nlu/index.js';
import {
  composeAnswer,
  composeClarify,
  composeHandoff,
  FALLBACK_TEXT,
  GREETING_TEXT,
  inScript,
  regionHotline,
  THANKS_TEXT,
} from './compose.js';
import { RegionFinder } from './regions.js';
import type { Reply } from './reply.js';
import { newSession, type SessionState, type SessionStore } from './session.js';

/** Thresholds of the policy (all in the one config). */
export interface PolicyOptions {
  /** Minimum share of the question's weight a sentence must cover to be given as an answer. */
  minCoverage: number;
  /** Minimum retrieval score of an answer. */
  minScore: number;
  /** Posterior an intent needs to decide a handoff, small talk or out-of-scope reply by itself. */
  intentThreshold: number;
  /** A second region within this share of the best region's score makes the city ambiguous. */
  ambiguityMargin: number;
}

export interface AskInput {
  text: string;
  sessionId?: string;
  region?: string;
}

/** Words that only steer a follow-up: “那大连呢？”, “还有其他的吗”. */
const FOLLOW_UP = /^(?:那|那么|还有|另外|再问|再问一下|如果是|要是)|呢[?？]?$|[?？]$/;
/** A question that asks for a number only has an answer where a notice states one. */
const ASKS_FOR: [RegExp, FactType][] = [
  [/电话|热线|号码|打哪个|拨打|联系方式/, 'phone'],
  [/编码|代码/, 'code'],
];

const FILLER = /^(?:那|那么|呢|在|是|的|我|我在|我是|我们|参保|市|省|地区|这边|那边|人|吗)+$/;

interface Built {
  kb: KnowledgeBase;
  /** Tells this knowledge base's cached replies from an earlier one's. */
  generation: number;
  retriever: Retriever;
  regions: RegionFinder;
}

/** A reply worked out once, and the session state it leaves behind. */
interface Memo {
  reply: Omit<Reply, 'sessionId'>;
  after: string;
}

/** One of the answers offered to a hotline agent (`POST /api/assist`). */
export interface Suggestion {
  text: string;
  citations: Reply['citations'];
  intent: string;
  confidence: number;
  region: string;
}

/** How many worked-out replies to keep, and for how long (0 turns the cache off). */
export interface AnswerCacheOptions {
  max: number;
  ttlMs: number;
}

/**
 * The dialogue: understand a question, decide between answer, clarify, handoff and fallback, and compose
 * the reply with its citations. Pure but for the session store and the id generator it is given.
 */
export class Assistant {
  private readonly built = new WeakMap<KnowledgeBase, Built>();
  private generations = 0;
  /**
   * Replies already worked out, by question, request region and the session state before it. A reply
   * depends on nothing else (the knowledge base is fixed until a reload, which empties this), so the
   * same question in the same situation is answered from here — hotlines hear the same questions all day.
   */
  private readonly memo: LRUCache<string, Memo> | null;

  constructor(
    private readonly nlu: Nlu,
    private readonly sessions: SessionStore,
    private readonly options: PolicyOptions,
    private readonly newId: () => string = randomUUID,
    cache: AnswerCacheOptions = { max: 0, ttlMs: 0 },
  ) {
    this.memo = cache.max > 0 ? new LRUCache({ max: cache.max, ttl: cache.ttlMs }) : null;
  }

  /** Index a knowledge base (once per knowledge base; a reload brings a new one). */
  private index(kb: KnowledgeBase): Built {
    let built = this.built.get(kb);
    if (!built) {
      built = {
        kb,
        generation: ++this.generations,
        retriever: new Retriever(kb, (n) => this.nlu.indexWords(n)),
        regions: new RegionFinder(kb),
      };
      this.built.set(kb, built);
    }
    return built;
  }

  /**
   * Get ready to answer from a knowledge base before it is served: index it, and walk both scripts'
   * paths once (the Simplified→Traditional tables load on first use, ~130 ms) so that no citizen's
   * question pays for it. Leaves no session and no cached reply behind.
   */
  prepare(kb: KnowledgeBase): void {
    this.index(kb);
    inScript(this.nlu.understand('醫保門診報銷比例是多少').text, 'traditional');
  }

  /**
   * For a hotline agent typing what a caller says: up to `limit` answers from different clauses, best
   * first, each with its citations and confidence. Reads no session and leaves none behind.
   */
  suggest(kb: KnowledgeBase, input: { text: string; region?: string }, limit = 3): Suggestion[] {
    const b = this.index(kb);
    const u = this.nlu.understand(input.text, (w) => b.regions.isRegionWord(w) || FILLER.test(w));
    const named = b.regions.find(u.norm).find((r) => b.kb.noticesOf(r.name).length > 0)?.name;
    const region = named ?? (input.region ? (b.kb.regions.canonical(input.region) ?? input.region) : null);
    const top = u.intents[0];
    const topDef = top ? this.nlu.intents.get(top.intent) : undefined;
    const intent = topDef?.kind === 'notice' && top && top.p >= 0.2 ? topDef : undefined;
    const terms = this.queryTerms(b, u);
    this.addKeywords(b, terms, intent);
    if (terms.length === 0) return [];
    const hits = b.retriever.search(terms, (n) => !region || n.meta.region === region, 40);
    const out: Suggestion[] = [];
    const clauses = new Set<string>();
    for (const h of hits) {
      if (out.length >= limit) break;
      const r = h.passage.notice.meta.region;
      // An agent sees weaker candidates than a citizen would be given, but never one without a city.
      if (!r || clauses.has(h.passage.clause.id) || !this.acceptable([h], 0.5)) continue;
      clauses.add(h.passage.clause.id);
      const a = this.answer(b, r, h, terms, intent?.id ?? topDef?.id ?? 'none', intent, []);
      out.push({
        text: u.script === 'traditional' ? inScript(a.text, 'traditional') : a.text,
        citations: a.citations,
        intent: a.intent,
        confidence: a.confidence,
        region: r,
      });
    }
    return out;
  }

  ask(kb: KnowledgeBase, input: AskInput): Reply {
    const built = this.index(kb);
    const sessionId = input.sessionId ?? this.newId();
    const state = this.sessions.get(sessionId) ?? newSession();
    if (!this.memo) return this.work(built, sessionId, state, input);
    const key = `${built.generation}\u0000${input.region ?? ''}\u0000${input.text}\u0000${JSON.stringify(state)}`;
    const known = this.memo.get(key);
    if (known) {
      this.sessions.set(sessionId, JSON.parse(known.after) as SessionState);
      return { ...known.reply, sessionId };
    }
    const out = this.work(built, sessionId, state, input);
    const { sessionId: _id, ...reply } = out;
    this.memo.set(key, { reply, after: JSON.stringify(state) });
    return out;
  }

  private work(built: Built, sessionId: string, state: SessionState, input: AskInput): Reply {
    // Place names and filler say where, not what: the topic is classified on the other words.
    const u = this.nlu.understand(input.text, (w) => built.regions.isRegionWord(w) || FILLER.test(w));
    const reply = this.decide(built, u, state, input);
    const out: Reply = { ...reply, sessionId, text: u.script === 'traditional' ? inScript(reply.text, 'traditional') : reply.text };
    state.failures = out.type === 'answer' || out.type === 'clarify' ? 0 : state.failures + (out.type === 'handoff' ? 0 : 1);
    this.sessions.set(sessionId, state);
    return out;
  }

  private decide(b: Built, u: Understanding, state: SessionState, input: AskInput): Omit<Reply, 'sessionId'> {
    const found = b.regions.find(u.norm);
    const named = [...found.filter((r) => b.kb.noticesOf(r.name).length > 0), ...found.filter((r) => b.kb.noticesOf(r.name).length === 0)];
    const requestRegion = input.region ? (b.kb.regions.canonical(input.region) ?? input.region) : null;
    const contentWords = u.words.filter((w) => !b.regions.isRegionWord(w) && !FILLER.test(w));
    const top = u.intents[0];
    const topDef = top ? this.nlu.intents.get(top.intent) : undefined;
    const runnerUp = u.intents[1]?.p ?? 0;
    const confident = top !== undefined && (top.p >= this.options.intentThreshold || (top.p >= 0.2 && top.p >= 2 * runnerUp));
    const onlyRegion = named.length > 0 && contentWords.length === 0;
    const followUp = state.topic !== null && (onlyRegion || (FOLLOW_UP.test(u.norm) && contentWords.length <= 3));

    // Personal records and card services are ours to hand over only when the question is about insurance.
    const handoffNeedsDomain = topDef?.reason === 'personal' || topDef?.reason === 'not_covered';
    if (confident && topDef?.kind === 'handoff' && !onlyRegion && (!handoffNeedsDomain || u.domainWords.length > 0))
      return this.handoff(b, topDef.reason ?? 'requested', topDef.id, top.p, named[0]?.name ?? requestRegion);
    if (confident && topDef?.kind === 'smalltalk' && !onlyRegion && contentWords.length <= 2) {
      return {
        type: 'fallback',
        text: topDef.id === 'thanks' ? THANKS_TEXT : GREETING_TEXT,
        citations: [],
        intent: topDef.id,
        confidence: top.p,
        suggestions: [],
      };
    }

    const region = named[0]?.name ?? requestRegion ?? state.region;
    if (named[0]) state.region = named[0].name;
    else if (requestRegion) state.region = requestRegion;

    const asked = [
      ...new Set([
        ...ASKS_FOR.filter(([re]) => re.test(u.norm)).map(([, type]) => type),
        ...(followUp && state.topic ? state.topic.asked : []),
      ]),
    ];
    const states = (h: Hit) =>
      asked.every((type) => h.passage.notice.facts.some((f) => f.type === type && f.clause === h.passage.clause.id));
    let terms = this.queryTerms(b, u);
    let intent: IntentDef | undefined = topDef?.kind === 'notice' && top && top.p >= 0.2 ? topDef : undefined;
    if (followUp && state.topic) {
      const own = new Set(terms.map((t) => t.term));
      terms = [
        ...terms.map((t) => ({ ...t, weight: t.weight * 1.5 })),
        ...state.topic.terms.filter((t) => !own.has(t)).map((term) => ({ term, weight: 1 })),
      ];
      if (!intent && state.topic.intent) intent = this.nlu.intents.get(state.topic.intent);
    }
    this.addKeywords(b, terms, intent);

    const inDomain = u.domainWords.length > 0 || (followUp && state.topic !== null);
    if (!inDomain || terms.length === 0) {
      if (topDef?.kind === 'handoff' && !handoffNeedsDomain)
        return this.handoff(b, topDef.reason ?? 'requested', topDef.id, top?.p ?? 0, region);
      if (onlyRegion && !state.topic) return this.clarifyTopic(region);
      return this.fallback(state, b, region);
    }
    const intentId = intent?.id ?? topDef?.id ?? 'none';
    const remember = () => {
      state.topic = { terms: terms.filter((t) => t.weight >= 1).map((t) => t.term), intent: intent?.id ?? null, text: u.text, asked };
    };

    if (region) {
      const notices = b.kb.noticesOf(region);
      if (notices.length === 0) {
        remember();
        return this.handoff(b, 'not_covered', intentId, 0.5, region, `目前没有${region}的医保通知，`);
      }
      const hits = b.retriever.search(terms, (n) => n.meta.region === region, 12).filter(states);
      // A follow-up (or the city the bot asked for) carries the earlier question's words, which the
      // new city's notice may put differently: it is held to the bar used to suggest that city.
      const best = this.acceptable(hits, followUp ? 0.75 : 1);
      remember();
      state.pending = false;
      if (!best)
        return this.handoff(
          b,
          topDef?.kind === 'handoff' ? (topDef.reason ?? 'unanswered') : 'unanswered',
          intentId,
          hits[0]?.coverage ?? 0,
          region,
        );
      return this.answer(b, region, best, terms, intentId, intent, asked);
    }

    const hits = b.retriever.search(terms, () => true, 24).filter(states);
    const perRegion = new Map<string, Hit>();
    for (const h of hits) {
      const r = h.passage.notice.meta.region;
      if (r && !perRegion.has(r) && this.acceptable([h])) perRegion.set(r, h);
    }
    remember();
    const ranked = [...perRegion.entries()].sort((a, b2) => b2[1].score - a[1].score);
    if (ranked.length === 0) {
      if (topDef?.kind === 'fallback' && confident) return this.fallback(state, b, null);
      return this.handoff(b, 'unanswered', intentId, hits[0]?.coverage ?? 0, null);
    }
    if (asked.length > 0) {
      // “Which number?” depends on the city whenever several cities' notices state one.
      const stating = b.kb.regionNames().filter((r) => asked.every((type) => b.kb.facts({ region: r, type }).length > 0));
      if (stating.length >= 2) {
        state.pending = true;
        return { type: 'clarify', text: composeClarify(stating), citations: [], intent: intentId, confidence: 0.5, suggestions: stating };
      }
    }
    const first = ranked[0] as [string, Hit];
    const needsRegion = intent?.needs?.includes('region') ?? true;
    if (needsRegion) {
      // Other regions whose notices speak to the question, if less closely, make the city worth asking.
      for (const h of hits) {
        const r = h.passage.notice.meta.region;
        if (r && !perRegion.has(r) && h.coverage >= 0.75 * this.options.minCoverage && h.score >= 0.5 * first[1].score) {
          perRegion.set(r, h);
          ranked.push([r, h]);
        }
      }
    }
    const second = ranked[1];
    const clear = !second || second[1].score < first[1].score * (1 - this.options.ambiguityMargin) * 0.5;
    if (ranked.length === 1 || (!needsRegion && clear)) {
      const [r, h] = first;
      state.region = r;
      return this.answer(b, r, h, terms, intentId, intent, asked);
    }
    state.pending = true;
    const suggestions = ranked.map(([r]) => r);
    return {
      type: 'clarify',
      text: composeClarify(suggestions),
      citations: [],
      intent: intentId,
      confidence: first[1].coverage,
      suggestions,
    };
  }

  /** The intent's keywords the notices use, as light extra terms (0.35) after the question's own. */
  private addKeywords(b: Built, terms: QueryTerm[], intent: IntentDef | undefined): void {
    if (!intent?.keywords) return;
    const own = new Set(terms.map((t) => t.term));
    for (const k of intent.keywords)
      for (const w of this.nlu.keywordWords(k))
        if (!own.has(w) && b.retriever.knows(w)) {
          own.add(w);
          terms.push({ term: w, weight: 0.35 });
        }
  }

  /** Terms of the question for retrieval: its content words minus region names, each weight 1. */
  private queryTerms(b: Built, u: Understanding): QueryTerm[] {
    const seen = new Set<string>();
    const out: QueryTerm[] = [];
    for (const w of u.searchWords) {
      if (seen.has(w) || b.regions.isRegionWord(w)) continue;
      seen.add(w);
      out.push({ term: w, weight: 1 });
    }
    return out;
  }

  private acceptable(hits: readonly Hit[], leniency = 1): Hit | null {
    const h = hits[0];
    if (!h) return null;
    return h.coverage >= this.options.minCoverage * leniency && h.score >= this.options.minScore ? h : null;
  }

  private answer(
    b: Built,
    region: string,
    best: Hit,
    terms: readonly QueryTerm[],
    intentId: string,
    intent: IntentDef | undefined,
    asked: readonly string[],
  ): Omit<Reply, 'sessionId'> {
    const passages = this.select(b, best, terms, intent, asked);
    const { text, citations } = composeAnswer({ region, passages, kb: b.kb });
    const confidence = Math.round(Math.min(1, 0.7 * best.coverage + 0.3 * (1 - Math.exp(-best.score / 10))) * 100) / 100;
    return { type: 'answer', text, citations, intent: intentId, confidence, suggestions: [], region };
  }

  /**
   * The sentences to quote, from the best sentence's clause: the sentence that holds most of the
   * question, then others of the clause that add words of the question it lacks (at most three in all);
   * the next sentence when the first is only a heading; and, when the intent prefers a kind of fact none
   * of them states, the clause's sentence that states it.
   */
  private select(b: Built, best: Hit, terms: readonly QueryTerm[], intent: IntentDef | undefined, asked: readonly string[]): Passage[] {
    const clause = b.retriever.sentencesOf(best.passage.clause.id, terms);
    const ranked = [...clause].sort((x, y) => y.sentenceCoverage - x.sentenceCoverage || y.score - x.score);
    const first = ranked[0] ?? best;
    const out: Passage[] = [first.passage];
    const covered = new Set(terms.filter((t) => t.weight >= 1 && first.passage.norm.includes(t.term)).map((t) => t.term));
    for (const h of ranked.slice(1)) {
      if (out.length >= 3) break;
      const adds = terms.filter(
        (t) => t.weight >= 1 && !covered.has(t.term) && b.retriever.idf(t.term) > 1.5 && h.passage.norm.includes(t.term),
      );
      if (adds.length === 0) continue;
      for (const t of adds) covered.add(t.term);
      out.push(h.passage);
    }
    const order = clause.map((h) => h.passage);
    const at = order.indexOf(first.passage);
    const next = order[at + 1];
    if (first.passage.text.length < 16 && next && !out.includes(next)) out.push(next);
    const wanted = new Set(asked.length > 0 ? asked : (intent?.facts ?? []));
    const facts = first.passage.notice.facts;
    const has = (x: Passage) => facts.some((f) => f.clause === x.clause.id && wanted.has(f.type) && f.start >= x.start && f.end <= x.end);
    if (wanted.size > 0 && !out.some(has)) {
      const withFact = order.find(has);
      if (withFact) out.push(withFact);
    }
    return out.sort((x, y) => x.start - y.start);
  }

  private handoff(
    b: Built,
    reason: HandoffReason,
    intent: string,
    confidence: number,
    region: string | null,
    prefix = '',
  ): Omit<Reply, 'sessionId'> {
    const hotline = region ? regionHotline(b.kb, region) : null;
    return {
      type: 'handoff',
      text: `${prefix}${composeHandoff(reason, hotline, region)}`,
      citations: hotline ? [hotline.citation] : [],
      intent,
      confidence: Math.round(confidence * 100) / 100,
      suggestions: [],
      handoff: { reason },
      ...(region ? { region } : {}),
    };
  }

  private fallback(state: SessionState, b: Built, region: string | null): Omit<Reply, 'sessionId'> {
    if (state.failures >= 1) return this.handoff(b, 'repeated_failure', 'none', 0, region);
    return { type: 'fallback', text: FALLBACK_TEXT, citations: [], intent: 'none', confidence: 0, suggestions: [] };
  }

  private clarifyTopic(region: string | null): Omit<Reply, 'sessionId'> {
    return {
      type: 'clarify',
      text: `好的，${region ?? ''}。请问您想咨询什么问题？例如慢性病开药量、异地就医备案、医保缴费、医疗费用报销等。`,
      citations: [],
      intent: 'region.only',
      confidence: 1,
      suggestions: [],
      ...(region ? { region } : {}),
    };
  }
}
