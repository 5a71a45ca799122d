import { randomUUID } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { KnowledgeBase } from '../kb/knowledge-base.js';
import { type Hit, Retriever } from '../kb/retrieval.js';
import type { Nlu } from '../nlu/index.js';
import { shanghaiDay } from '../ops/day.js';
import { cardAnswer } from './card-answer.js';
import { answer, type ComposeContext, compose, forReader, handoffReply, inScript } from './compose.js';
import type { DialogueData } from './data.js';
import { confidence, decide } from './decide.js';
import { ground } from './ground.js';
import { locate } from './locate.js';
import { plan } from './query.js';
import type { Reply } from './reply.js';
import { retrieve } from './retrieve.js';
import { advance, MemorySessionStore, newSession, type SessionState, type SessionStore, stateFromJson, stateJson } from './session.js';
import type { Candidates, Decision, Location, Trace } from './types.js';
import { understand } from './understand.js';

export interface AskInput {
  text: string;
  sessionId?: string;
  region?: string;
}

/** One of the answers offered to a hotline agent (`POST /api/assist`). */
export interface Suggestion {
  text: string;
  citations: Reply['citations'];
  intent: string;
  confidence: number;
  region: string;
}

/** How many worked-out replies to keep, in all and in bytes, and for how long (max 0 turns the cache off). */
export interface AnswerCacheOptions {
  max: number;
  ttlMs: number;
  /** What the kept replies may take in memory, roughly (UTF-16 text of key, reply and state); none when absent. */
  maxBytes?: number;
}

interface Built {
  kb: KnowledgeBase;
  /** Tells this knowledge base's cached replies from an earlier one's. */
  generation: number;
  retriever: Retriever;
}

/** A reply worked out once, and the session state it leaves behind. */
interface Memo {
  reply: Omit<Reply, 'sessionId'>;
  after: string;
  /** Its weight in the cache's byte budget. */
  bytes: number;
}

/**
 * The answer engine: understand → locate → query → retrieve → decide → compose → ground, each a stage of
 * its own (src/dialogue/*.ts) with typed input and output; this file only runs them in order, keeps the
 * session (advance() is its one writer) and remembers worked-out replies.
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
    private readonly data: DialogueData,
    private readonly sessions: SessionStore,
    private readonly newId: () => string = randomUUID,
    cache: AnswerCacheOptions = { max: 0, ttlMs: 0 },
    private readonly now: () => Date = () => new Date(),
  ) {
    this.memo =
      cache.max > 0
        ? new LRUCache<string, Memo>({
            max: cache.max,
            ttl: cache.ttlMs,
            // Bounded in bytes too, so the cache's memory is known whatever the replies' sizes (issue 12's soak).
            ...(cache.maxBytes ? { maxSize: cache.maxBytes, sizeCalculation: (m: Memo, key: string) => m.bytes + 2 * key.length } : {}),
          })
        : null;
  }

  /** The answer cache's fill: replies kept and their weight in its byte budget (for the metrics). */
  cacheStats(): { entries: number; bytes: number } {
    return { entries: this.memo?.size ?? 0, bytes: this.memo?.calculatedSize ?? 0 };
  }

  /** Sessions held in memory now. */
  get sessionsHeld(): number {
    return this.sessions.size ?? 0;
  }

  /** The language model the assistant reads questions with (the operators' desk groups questions by its words). */
  get language(): Nlu {
    return this.nlu;
  }

  /**
   * An assistant on the same language model and dialogue data with sessions of its own and no answer cache: what
   * scores a labelled set against a knowledge base without touching the service's conversations or cached replies.
   */
  detached(): Assistant {
    return new Assistant(
      this.nlu,
      this.data,
      new MemorySessionStore({ max: 10_000, ttlMs: 3_600_000 }),
      this.newId,
      { max: 0, ttlMs: 0 },
      this.now,
    );
  }

  /** The rules' thresholds in force. */
  get policy(): DialogueData['policy'] {
    return this.data.policy;
  }

  /** Index a knowledge base (once per knowledge base; a reload brings a new one). */
  private index(kb: KnowledgeBase): Built {
    let built = this.built.get(kb);
    if (!built) {
      built = {
        kb,
        generation: ++this.generations,
        retriever: new Retriever(
          kb,
          (n) => this.nlu.indexWords(n),
          (n) => this.nlu.rewrite(n),
        ),
      };
      this.built.set(kb, built);
    }
    return built;
  }

  /**
   * Get ready to answer from a knowledge base before it is served: index it, and understand a
   * Traditional question once (its tables load on first use). Leaves no session and no cached reply behind.
   */
  prepare(kb: KnowledgeBase): void {
    this.index(kb);
    this.nlu.understand('醫保門診報銷比例是多少');
  }

  /**
   * Load the Simplified→Traditional tables that replies to Traditional questions use (about 50 ms, 10 MB):
   * off the start-up path, once the service is up, so that the first such question does not pay for them.
   */
  warmTraditional(): void {
    inScript('医保门诊报销比例是多少', 'traditional');
  }

  /**
   * Run the whole pipeline over the intents' own examples (a few of each) once the service is up, so that the
   * first citizens' questions meet code V8 has already compiled and optimized (issue 14: the first second of a
   * WebSocket burst had a p99 five times the rest). Works through them in slices, yielding to the event loop
   * between slices so that requests arriving meanwhile are served; stops at `budgetMs` of work. Reads no
   * session and leaves none, nor a cached reply. Returns how many it ran. Once is enough: a reload brings new
   * data to the same code, which stays compiled.
   */
  async warmUp(kb: KnowledgeBase, budgetMs = 400, perExample = 3): Promise<number> {
    const texts = [...this.nlu.intents.values()].flatMap((i) => i.examples.slice(0, perExample));
    const built = this.index(kb);
    let spent = 0;
    let ran = 0;
    for (let i = 0; i < texts.length && spent < budgetMs; i += 8) {
      const started = performance.now();
      for (const text of texts.slice(i, i + 8)) this.turn(built, newSession(), { text }, false);
      ran += Math.min(8, texts.length - i);
      spent += performance.now() - started;
      await new Promise((resolve) => setImmediate(resolve));
    }
    return ran;
  }

  /** A reply in its conversation, the session kept in this assistant's own session store (the CLI, the eval). */
  ask(kb: KnowledgeBase, input: AskInput): Reply {
    const sessionId = input.sessionId ?? this.newId();
    const { reply, after } = this.answer(kb, { ...input, sessionId }, this.sessions.get(sessionId) ?? newSession());
    this.sessions.set(sessionId, after);
    return reply;
  }

  /**
   * A reply to `input` in a conversation that remembers `state`, and what it remembers after: the caller keeps the
   * session (the service keeps it with the conversation, in the same unit as the turn's transcript).
   */
  answer(kb: KnowledgeBase, input: AskInput & { sessionId: string }, state: SessionState): { reply: Reply; after: SessionState } {
    const built = this.index(kb);
    // The day is part of the situation: a temporary measure's answer changes the day it expires.
    const key = this.memo
      ? `${built.generation}\u0000${this.today()}\u0000${input.region ?? ''}\u0000${input.text}\u0000${stateJson(state)}`
      : '';
    const known = this.memo?.get(key);
    if (known) return { reply: { ...known.reply, sessionId: input.sessionId }, after: stateFromJson(known.after) };
    const { reply, after } = this.turn(built, state, input, false);
    if (this.memo) {
      // Serialized once: the caller stores the same JSON (stateJson remembers it).
      const json = stateJson(after);
      this.memo.set(key, { reply, after: json, bytes: 2 * (json.length + JSON.stringify(reply).length) + 512 });
    }
    return { reply: { ...reply, sessionId: input.sessionId }, after };
  }

  /**
   * A reply in its conversation, as `ask` gives it, with the trace of how it was reached: words, intents,
   * region, hits, the rule, the grounding check (`npm run ask -- --explain`). Worked out afresh.
   */
  explain(kb: KnowledgeBase, input: AskInput): { reply: Reply; trace: Trace } {
    const sessionId = input.sessionId ?? this.newId();
    const state = this.sessions.get(sessionId) ?? newSession();
    const { reply, after, trace } = this.turn(this.index(kb), state, input, true);
    this.sessions.set(sessionId, after);
    return { reply: { ...reply, sessionId }, trace: trace as Trace };
  }

  /**
   * How a question would be answered as the first turn of a conversation, with the trace — for agents and
   * editors (`POST /api/agent/explain`). Reads no session and leaves none behind.
   */
  trace(kb: KnowledgeBase, input: { text: string; region?: string }): { reply: Omit<Reply, 'sessionId'>; trace: Trace } {
    const { reply, trace } = this.turn(this.index(kb), newSession(), input, true);
    return { reply, trace: trace as Trace };
  }

  private context(b: Built): ComposeContext {
    return { kb: b.kb, retriever: b.retriever, responses: this.data.responses, today: () => this.today() };
  }

  /** Today's date in China (ISO), as measures' end dates are compared with it. */
  private today(): string {
    return shanghaiDay(this.now().getTime());
  }

  private turn(
    b: Built,
    state: SessionState,
    input: AskInput,
    explain: boolean,
  ): { reply: Omit<Reply, 'sessionId'>; after: SessionState; trace: Trace | null } {
    const { kb, retriever } = b;
    const { asks, policy } = this.data;
    const heard = understand({ nlu: this.nlu, places: kb.regions, asks, policy }, input.text);
    const location = locate(kb, heard, state, input.region);
    const planned = plan(
      { nlu: this.nlu, asks, policy, knows: (w) => retriever.knows(w), knowsGram: (g) => retriever.knowsGram(g) },
      heard,
      location,
      state,
    );
    const found = retrieve(retriever, planned, location);
    const decision = this.chosen(b, state, input.text) ?? decide({ kb, policy, asks }, heard, location, planned, found, state);
    const ctx = this.context(b);
    const draft = compose(ctx, decision, planned, location, planned.intentId);
    const { reply, grounding } = ground(
      draft,
      () =>
        decision.rule === 'answer'
          ? answer(ctx, decision.region, decision.hit, planned, location, planned.intentId, decision.confidence, { lead: false })
          : draft,
      () => handoffReply(ctx, 'unanswered', location.place, planned.intentId, 0),
    );
    const after = advance(state, heard, location, planned, decision);
    const script: 'simplified' | 'traditional' = heard.u.script === 'traditional' ? 'traditional' : 'simplified';
    // Every field in one order, an absent one undefined (JSON leaves it out): replies come out of composing in
    // many shapes, and copying them in one keeps what copies and serializes them from going megamorphic
    // (issue 14: a spread of the reply here was 5% of an answer's time).
    const shown: Omit<Reply, 'sessionId'> = {
      type: reply.type,
      text: script === 'traditional' ? inScript(reply.text, 'traditional') : reply.text,
      citations: forReader(reply.citations, script),
      intent: reply.intent,
      confidence: reply.confidence,
      suggestions: reply.suggestions,
      handoff: reply.handoff,
      region: reply.region,
      script,
      rule: decision.rule,
      candidates: closest(found, location, 3).map((h) => ({
        notice: h.passage.notice.id,
        clause: h.passage.clause.path,
        score: Math.round(h.score * 100) / 100,
        confidence: Math.round(confidence(h) * 100) / 100,
      })),
    };
    if (!explain) return { reply: shown, after, trace: null };
    const hits = closest(found, location, 5);
    const trace: Trace = {
      text: input.text,
      norm: heard.u.norm,
      words: heard.u.words,
      intents: heard.u.intents.slice(0, 3),
      asks: heard.asks,
      meta: heard.meta,
      places: heard.places,
      location,
      followUp: planned.followUp,
      query: { words: planned.query.words.map((t) => ({ ...t })), grams: planned.query.grams.map((t) => ({ ...t })) },
      hits: hits.map((h) => ({
        notice: h.passage.notice.id,
        clause: h.passage.clause.path,
        region: h.passage.notice.meta.region,
        score: Math.round(h.score * 100) / 100,
        confidence: confidence(h),
        words: Math.round(h.wordCoverage * 100) / 100,
        grams: Math.round(h.gramCoverage * 100) / 100,
        text: h.passage.text.slice(0, 60),
      })),
      rule: decision.rule,
      thresholds: thresholdsOf(policy),
      grounding,
    };
    return { reply: shown, after, trace };
  }

  /** A “您是想问…？” chip sent back: answer the item it stands for. */
  private chosen(b: Built, state: SessionState, text: string): Decision | null {
    const choice = state.choices.find((c) => c.label === text.trim());
    if (!choice) return null;
    const hit = b.retriever.sentencesOf(choice.clause, { words: [], grams: [] })[0];
    const region = hit?.passage.notice.meta.region;
    return hit && region ? { rule: 'answer', region, hit, confidence: 1 } : null;
  }

  /**
   * For a hotline agent typing what a caller says: up to `limit` answers from different clauses, best
   * first, each with its citations and confidence. The same stages as a citizen's question, without a
   * session; an agent sees weaker candidates than a citizen would be given, but never one without a region.
   * A question asking for a contact (电话, 网址) also gets the ones the region's quick-reference card lists,
   * cited: first when it names no topic of its own (医保热线是多少), after the best retrieved answer when it
   * does; not at all when the retrieved answers already quote every clause it would list.
   */
  suggest(kb: KnowledgeBase, input: { text: string; region?: string }, limit = 3): Suggestion[] {
    const b = this.index(kb);
    const { asks, policy } = this.data;
    const state = newSession();
    const heard = understand({ nlu: this.nlu, places: kb.regions, asks, policy }, input.text);
    const location = locate(kb, heard, state, input.region);
    const planned = plan(
      { nlu: this.nlu, asks, policy, knows: (w) => b.retriever.knows(w), knowsGram: (g) => b.retriever.knowsGram(g) },
      heard,
      location,
      state,
    );
    const found = retrieve(b.retriever, planned, location);
    const hits = (location.place !== null ? found.byScope.flatMap((s) => s.hits) : found.all).slice().sort((a, x) => x.score - a.score);
    const ctx = this.context(b);
    const inScriptOf = (text: string) => (heard.u.script === 'traditional' ? inScript(text, 'traditional') : text);
    const card = cardAnswer(ctx, planned, location);
    const out: Suggestion[] = [];
    const clauses = new Set<string>();
    for (const h of hits) {
      if (out.length >= limit - (card ? 1 : 0)) break;
      const r = h.passage.notice.meta.region;
      if (!r || clauses.has(h.passage.clause.id) || confidence(h) < policy.answer.threshold * 0.5) continue;
      clauses.add(h.passage.clause.id);
      const a = answer(ctx, r, h, planned, location, planned.intentId, confidence(h));
      // Agents read Simplified, whatever the notice's script.
      out.push({
        text: inScriptOf(a.text),
        citations: forReader(a.citations, 'simplified'),
        intent: a.intent,
        confidence: a.confidence,
        region: r,
      });
    }
    const cited = new Set(out.flatMap((s) => s.citations.map((c) => `${c.notice}#${c.clause}`)));
    if (card && limit > 0 && !card.clauses.every((c) => cited.has(c))) {
      const listed = {
        text: inScriptOf(card.text),
        citations: forReader(card.citations, 'simplified'),
        intent: planned.intentId,
        confidence: card.confidence,
        region: card.region,
      };
      out.splice(planned.topicless ? 0 : Math.min(1, out.length), 0, listed);
    }
    return out;
  }
}

/**
 * The best hits where the asker is (over every notice when the place is unknown), one per clause, best first: one
 * pass keeping the best `limit` (every turn computes these for the operators' desk; no copy of the hits is sorted).
 */
function closest(found: Candidates, location: Location, limit: number): Hit[] {
  const best: Hit[] = [];
  const consider = (h: Hit) => {
    const same = best.findIndex((b) => b.passage.clause === h.passage.clause);
    if (same >= 0) {
      if ((best[same] as Hit).score >= h.score) return;
      best.splice(same, 1);
    } else if (best.length >= limit && (best[limit - 1] as Hit).score >= h.score) return;
    let at = best.length;
    while (at > 0 && (best[at - 1] as Hit).score < h.score) at--;
    best.splice(at, 0, h);
    if (best.length > limit) best.pop();
  };
  if (location.place !== null) for (const scope of found.byScope) for (const h of scope.hits) consider(h);
  else for (const h of found.all) consider(h);
  return best;
}

function thresholdsOf(policy: DialogueData['policy']): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [rule, values] of Object.entries(policy)) for (const [k, v] of Object.entries(values)) out[`${rule}.${k}`] = v as number;
  return out;
}
