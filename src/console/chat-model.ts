import type { Entry, Suggestion } from './protocol.js';

/** A chat the agent holds, as the console keeps it between frames. */
export interface Chat {
  sessionId: string;
  region: string | null;
  /** By seq, without duplicates. */
  entries: Entry[];
  /** The bot's suggestion sent with a user message, by the message's seq (only `user` frames carry one). */
  suggestions: Map<number, Suggestion>;
  /** User messages that arrived while another chat was on screen. */
  unread: number;
  /** The reply being written, kept when the agent switches chats. */
  draft: string;
  /** A `chat` frame has arrived (else only its id from `welcome`, or a stray line, is known). */
  loaded: boolean;
}

export function newChat(sessionId: string): Chat {
  return { sessionId, region: null, entries: [], suggestions: new Map(), unread: 0, draft: '', loaded: false };
}

/** Adds lines by seq, in order and without duplicates (a transcript re-sent after a reconnect overlaps); returns the new ones. */
export function mergeEntries(chat: Chat, incoming: readonly Entry[]): Entry[] {
  const known = new Set(chat.entries.map((e) => e.seq));
  const fresh: Entry[] = [];
  for (const e of incoming) {
    if (typeof e?.seq !== 'number' || known.has(e.seq)) continue;
    known.add(e.seq);
    fresh.push(e);
  }
  if (fresh.length === 0) return fresh;
  const last = chat.entries.at(-1)?.seq ?? Number.NEGATIVE_INFINITY;
  chat.entries.push(...fresh);
  if (fresh.some((e) => e.seq < last) || fresh.some((e, i) => i > 0 && e.seq < (fresh[i - 1]?.seq ?? 0))) {
    chat.entries.sort((a, b) => a.seq - b.seq);
  }
  return fresh;
}

/** The chat's last user line, shortened, for the list. */
export function preview(chat: Chat): string {
  for (let i = chat.entries.length - 1; i >= 0; i--) {
    const e = chat.entries[i];
    if (e && e.role === 'user') return e.text.length > 40 ? `${e.text.slice(0, 40)}…` : e.text;
  }
  return '';
}
