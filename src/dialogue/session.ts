import { LRUCache } from 'lru-cache';
import type { FactType } from '../ingest/facts/index.js';

/** What a conversation remembers between turns. */
export interface SessionState {
  /** The city the conversation is about, once known. */
  region: string | null;
  /** The last question answered or asked back about: its terms, for follow-ups such as “那大连呢？”. */
  topic: { terms: string[]; intent: string | null; text: string; asked: FactType[] } | null;
  /** A question waiting for the city (the bot asked back). */
  pending: boolean;
  /** Turns in a row the bot could not help with. */
  failures: number;
}

export interface SessionStore {
  get(id: string): SessionState | undefined;
  set(id: string, state: SessionState): void;
}

export function newSession(): SessionState {
  return { region: null, topic: null, pending: false, failures: 0 };
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
