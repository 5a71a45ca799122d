import type { Channel } from '../store/types.js';
import type { HandoffDesk } from './desk.js';
import type { AgentNotification, AgentsNotification, SessionNotification } from './notifications.js';

type SessionListener = (n: SessionNotification) => void;
type AgentListener = (n: AgentNotification | AgentsNotification) => void;

/**
 * Delivers the desk's notifications to whoever is connected: a session's chat sockets, an agent's console
 * sockets (its own chats, and what every agent sees: the queue, tickets), and channels without sockets
 * (WeChat answers through its customer-service API) for the sessions that came through them.
 */
export class Hub {
  private readonly sessions = new Map<string, Set<SessionListener>>();
  private readonly agents = new Map<string, Set<AgentListener>>();
  private readonly channels = new Map<Channel, SessionListener>();

  constructor(desk: HandoffDesk) {
    desk.subscribe((n, remote) => {
      if (n.to === 'session') this.toSession(n, remote);
      else if (n.to === 'agent') for (const fn of this.agents.get(n.agentId) ?? []) fn(n);
      else for (const set of this.agents.values()) for (const fn of set) fn(n);
    });
  }

  /** Listens to one session's notifications; returns the function that stops listening. */
  session(sessionId: string, fn: SessionListener): () => void {
    return add(this.sessions, sessionId, fn);
  }

  agent(agentId: string, fn: AgentListener): () => void {
    return add(this.agents, agentId, fn);
  }

  /** Sockets an agent has open (0 once the last one closed). */
  agentSockets(agentId: string): number {
    return this.agents.get(agentId)?.size ?? 0;
  }

  /** Notifications of sessions that came through `channel`, for a channel that has no socket to push to. */
  channel(channel: Channel, fn: SessionListener): void {
    this.channels.set(channel, fn);
  }

  /** To the session's sockets here; to its channel (WeChat's API) only from the instance whose run made the news. */
  private toSession(n: SessionNotification, remote: boolean): void {
    for (const fn of this.sessions.get(n.sessionId) ?? []) fn(n);
    if (!remote) this.channels.get(n.channel)?.(n);
  }
}

function add<T>(map: Map<string, Set<T>>, key: string, fn: T): () => void {
  const set = map.get(key) ?? new Set<T>();
  map.set(key, set);
  set.add(fn);
  return () => {
    set.delete(fn);
    if (set.size === 0 && map.get(key) === set) map.delete(key);
  };
}
