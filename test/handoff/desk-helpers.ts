import { type DeskConfig, HandoffDesk } from '../../src/handoff/desk.js';
import type { Notification, SessionNotification } from '../../src/handoff/notifications.js';
import { MemoryStore } from '../../src/store/memory.js';
import type { Store } from '../../src/store/types.js';

/** A desk on a fake clock, with every notification it sends kept in `sent`. */
export function deskWith(options: { store?: Store; waitLimitMs?: number; config?: Partial<DeskConfig> } = {}) {
  const clock = { t: 1_000_000 };
  const store = options.store ?? new MemoryStore();
  const config = { waitLimitMs: options.waitLimitMs ?? 600_000, ...options.config };
  const desk = new HandoffDesk({ store, now: () => clock.t, config });
  const sent: Notification[] = [];
  desk.subscribe((n) => sent.push(n));
  const advance = (ms: number) => {
    clock.t += ms;
  };
  /** A user message on the web channel. */
  const say = (sessionId: string, text = '我要转人工') => desk.record({ sessionId, role: 'user', text, channel: 'web' });
  /** The user asks for a person (after saying so). */
  const ask = async (sessionId: string, region: string | null = null, origin: string | null = null) => {
    await say(sessionId);
    return desk.request(sessionId, { reason: 'user-request', region, channel: 'web', lastUserText: '我要转人工', origin });
  };
  /** The notifications sent to one session so far. */
  const toSession = (sessionId: string) => sent.filter((n): n is SessionNotification => n.to === 'session' && n.sessionId === sessionId);
  const clear = () => {
    sent.length = 0;
  };
  return { desk, store, clock, sent, advance, say, ask, toSession, clear };
}
