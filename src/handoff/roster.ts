import { HlError } from '../errors.js';

export type Presence = 'online' | 'away';

export interface AgentView {
  agentId: string;
  presence: Presence;
  /** Most chats at once. */
  capacity: number;
  /** Session ids of the chats the agent holds, oldest first. */
  chats: string[];
  /** The instance whose console the agent is connected to (issue 15); null with one instance. */
  instance: string | null;
}

interface Agent {
  id: string;
  presence: Presence;
  capacity: number;
  chats: Set<string>;
  /** When the agent last got a chat (ties among the least busy go to who waited longest). */
  lastAssignedAt: number;
  instance: string | null;
}

/** An agent as the desk's shared state keeps it. */
export type SavedAgent = Omit<Agent, 'chats'> & { chats: string[] };

/**
 * The agents registered at the desk (connected), in memory: presence, capacity and the chats they
 * hold. An away agent keeps its chats and may accept one explicitly, but gets none automatically.
 */
export class Roster {
  private readonly agents = new Map<string, Agent>();

  /**
   * Registers the agent, or updates presence and capacity of one already registered (chats kept); `instance` says
   * where its console is connected now.
   */
  register(id: string, options: { capacity: number; presence?: Presence; instance?: string | null }): AgentView {
    if (!Number.isInteger(options.capacity) || options.capacity < 1) {
      throw new HlError('HL_ERR_BAD_REQUEST', ['an agent capacity is a whole number of chats, at least 1']);
    }
    const agent = this.agents.get(id) ?? {
      id,
      presence: 'online',
      capacity: 1,
      chats: new Set<string>(),
      lastAssignedAt: 0,
      instance: null,
    };
    agent.capacity = options.capacity;
    agent.presence = options.presence ?? agent.presence;
    agent.instance = options.instance ?? null;
    this.agents.set(id, agent);
    return view(agent);
  }

  setPresence(id: string, presence: Presence): AgentView {
    const agent = this.require(id);
    agent.presence = presence;
    return view(agent);
  }

  /** Removes the agent; returns the chats it held (empty for an unknown agent). */
  remove(id: string): string[] {
    const agent = this.agents.get(id);
    this.agents.delete(id);
    return agent ? [...agent.chats] : [];
  }

  has(id: string): boolean {
    return this.agents.has(id);
  }

  /** HL_ERR_AGENT_UNKNOWN when the agent is not registered. */
  require(id: string): Agent {
    const agent = this.agents.get(id);
    if (!agent) throw new HlError('HL_ERR_AGENT_UNKNOWN', [id]);
    return agent;
  }

  isFull(id: string): boolean {
    const agent = this.require(id);
    return agent.chats.size >= agent.capacity;
  }

  onlineCount(): number {
    let n = 0;
    for (const a of this.agents.values()) if (a.presence === 'online') n++;
    return n;
  }

  /** The online agent with a free slot holding the fewest chats (then idle longest), not in `exclude`. */
  pick(exclude?: ReadonlySet<string>): string | undefined {
    let best: Agent | undefined;
    for (const a of this.agents.values()) {
      if (a.presence !== 'online' || a.chats.size >= a.capacity || exclude?.has(a.id)) continue;
      if (!best || a.chats.size < best.chats.size || (a.chats.size === best.chats.size && a.lastAssignedAt < best.lastAssignedAt)) best = a;
    }
    return best?.id;
  }

  attach(id: string, sessionId: string, at: number): void {
    const agent = this.require(id);
    agent.chats.add(sessionId);
    agent.lastAssignedAt = at;
  }

  detach(id: string, sessionId: string): void {
    this.agents.get(id)?.chats.delete(sessionId);
  }

  list(): AgentView[] {
    return [...this.agents.values()].map(view);
  }

  /** One agent's view; undefined when not registered. */
  get(id: string): AgentView | undefined {
    const agent = this.agents.get(id);
    return agent && view(agent);
  }

  /** Every agent (the desk's shared state). */
  saved(): SavedAgent[] {
    return [...this.agents.values()].map((a) => ({ ...a, chats: [...a.chats] }));
  }

  /** The agents as `saved` gave them. */
  restore(agents: readonly SavedAgent[]): void {
    this.agents.clear();
    for (const a of agents) this.agents.set(a.id, { ...a, chats: new Set(a.chats) });
  }

  /** A copy to restore if an operation fails half-way. */
  snapshot(): () => void {
    const saved = [...this.agents.values()].map((a) => ({ ...a, chats: new Set(a.chats) }));
    return () => {
      this.agents.clear();
      for (const a of saved) this.agents.set(a.id, a);
    };
  }
}

function view(a: Agent): AgentView {
  return { agentId: a.id, presence: a.presence, capacity: a.capacity, chats: [...a.chats], instance: a.instance };
}
