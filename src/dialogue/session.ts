import { LRUCache } from 'lru-cache';
import type { FactType } from '../ingest/facts/index.js';
import type { SessionRow } from '../store/types.js';
import type { Decision, Heard, Location, Plan } from './types.js';

/** The topic of the last question answered or asked back about, for follow-ups such as “那大连呢？”. */
export interface Topic {
  /** The words the topic is about (its bigrams are taken from them again). */
  words: string[];
  intent: string | null;
  factTypes: FactType[];
  requiredFacts: FactType[];
  /** The notice last answered from, for “这个通知是哪天发的”. */
  notice: string | null;
}

/** What a conversation remembers between turns. */
export interface SessionState {
  /** The region whose notices last answered, once known. */
  region: string | null;
  /** The asker's place as last named (a district, a city, a province). */
  place: string | null;
  topic: Topic | null;
  /** A question waiting for the city (the bot asked back). */
  pending: boolean;
  /** Items offered by “您是想问…？”: the chip's text and its clause. */
  choices: { label: string; clause: string }[];
  /** Turns in a row the bot could not help with. */
  failures: number;
}

export interface SessionStore {
  get(id: string): SessionState | undefined;
  set(id: string, state: SessionState): void;
  /** Sessions held in memory now (for the metrics). */
  readonly size?: number;
}

const jsonOf = new WeakMap<SessionState, string>();

/**
 * A state's JSON, written once per state: states are never changed once made (`advance` makes a new one), so the
 * store's copy and the answer cache's key share one serialization (issue 14).
 */
export function stateJson(state: SessionState): string {
  let json = jsonOf.get(state);
  if (json === undefined) {
    json = JSON.stringify(state);
    jsonOf.set(state, json);
  }
  return json;
}

/** A state from JSON `stateJson` wrote, remembered with it so it is not serialized again. */
export function stateFromJson(json: string): SessionState {
  const state = JSON.parse(json) as SessionState;
  jsonOf.set(state, json);
  return state;
}

export function newSession(): SessionState {
  return { region: null, place: null, topic: null, pending: false, choices: [], failures: 0 };
}

/**
 * The one writer of session state: what a turn leaves behind, from what was heard, where, the plan and the
 * decision. Pure: returns the next state.
 */
export function advance(state: SessionState, heard: Heard, location: Location, plan: Plan | null, decision: Decision): SessionState {
  const next: SessionState = { ...state, choices: [] };
  const named = heard.places.find((p) => !p.elsewhere);
  if (location.place && (location.source === 'question' || location.source === 'request')) next.place = location.place;
  if (named && location.scopes[0] && location.scopes[0] !== '全国') next.region = location.scopes[0];
  else if (location.source === 'request' && location.scopes[0]) next.region = location.scopes[0];

  const keepTopic = plan?.inDomain === true && decision.rule !== 'out_of_domain' && decision.rule !== 'smalltalk';
  if (keepTopic && plan) {
    next.topic = {
      words: plan.query.words.filter((t) => t.cover > 0).map((t) => t.term),
      intent: plan.intent?.id ?? null,
      factTypes: plan.factTypes,
      requiredFacts: plan.requiredFacts,
      notice: state.topic?.notice ?? null,
    };
  }
  switch (decision.rule) {
    case 'answer':
      next.region = decision.region === '全国' ? next.region : decision.region;
      next.pending = false;
      if (next.topic) next.topic.notice = decision.hit.passage.notice.id;
      break;
    case 'answer.meta':
      next.pending = false;
      if (next.topic) next.topic.notice = decision.notice.id;
      else next.topic = null;
      break;
    case 'clarify.city':
      next.pending = true;
      break;
    case 'clarify.topic':
      next.choices = decision.choices.map((h) => ({
        label: choiceLabel(h.passage.clause.heading, h.passage.text),
        clause: h.passage.clause.id,
      }));
      break;
    case 'clarify.region_only':
      break;
    default:
      next.pending = false;
  }
  // Helped resets the count; a reply that only says what the assistant can do adds one; a handoff leaves it.
  const helped = decision.rule === 'answer' || decision.rule === 'answer.meta' || decision.rule.startsWith('clarify');
  const missed = decision.rule === 'out_of_domain' || decision.rule === 'smalltalk';
  next.failures = helped ? 0 : missed ? state.failures + 1 : state.failures;
  return next;
}

/** The text of a “您是想问…？” chip: the item's heading, else the start of its sentence. */
export function choiceLabel(heading: string | null, sentence: string): string {
  if (heading && heading.length <= 24) return heading;
  const s = sentence.replace(/^[（(]?[一二三四五六七八九十\d]+[)）、．.]\s*/, '');
  return s.length <= 24 ? s.replace(/[。；;，,]$/, '') : `${s.slice(0, 22)}…`;
}

/** Sessions in memory, bounded in number and idle time (lru-cache, max and ttl from config). */
export class MemorySessionStore implements SessionStore {
  private readonly cache: LRUCache<string, SessionState>;

  constructor(options: { max: number; ttlMs: number }) {
    this.cache = new LRUCache({ max: options.max, ttl: options.ttlMs, updateAgeOnGet: true });
  }

  get(id: string): SessionState | undefined {
    return this.cache.get(id);
  }

  set(id: string, state: SessionState): void {
    this.cache.set(id, state);
  }

  get size(): number {
    return this.cache.size;
  }
}

/**
 * The state a stored row holds, or a new session when there is none, when it was written `ttlMs` or longer ago
 * (forgotten: the store prunes such rows on a timer), or when it is not one this code wrote.
 */
export function storedState(row: SessionRow | undefined, now: number, ttlMs: number): SessionState {
  if (!row || now - row.updatedAt >= ttlMs) return newSession();
  return parseState(row.state) ?? newSession();
}

/** A stored state, or undefined when it is not one this code wrote (an older shape starts afresh). */
function parseState(json: string): SessionState | undefined {
  try {
    const value = JSON.parse(json) as Partial<SessionState>;
    if (typeof value !== 'object' || value === null || !Array.isArray(value.choices) || typeof value.failures !== 'number')
      return undefined;
    return { ...newSession(), ...value };
  } catch {
    return undefined;
  }
}
