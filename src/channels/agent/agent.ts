import type { FastifyPluginAsync } from 'fastify';
import type { WebSocket } from 'ws';
import type { Assistant } from '../../dialogue/assistant.js';
import { HlError, isHlError } from '../../errors.js';
import type { Concierge } from '../../handoff/concierge.js';
import type { Hub } from '../../handoff/hub.js';
import type { QueueItem } from '../../handoff/notifications.js';
import type { KnowledgeStore } from '../../kb/store.js';
import { heartbeat } from '../heartbeat.js';
import { MAX_TEXT } from '../http/ask.js';
import type { Metrics } from '../metrics.js';
import { wsRoute } from '../ws-route.js';
import { type AgentAccount, authenticate } from './auth.js';
import { type AgentServerFrame, parseAgentFrame, toEntry } from './protocol.js';
import type { Entry } from './wire.js';

export interface AgentOptions {
  knowledge: KnowledgeStore;
  accounts: readonly AgentAccount[];
  assistant: Assistant;
  concierge: Concierge;
  hub: Hub;
  metrics: Metrics;
  /** Chats an agent holds at once (AGENT_CAPACITY). */
  capacity: number;
  now: () => number;
  /** How long an agent whose last console closed keeps its chats before they go back to the queue. */
  graceMs: number;
  /** Frames a console may send per window; more get HL_ERR_WS_RATE_LIMITED and are dropped. */
  rate: { messages: number; windowMs: number };
  /** Interval of the server's pings; a console that has not answered the previous one is dropped (its chats wait out the grace). */
  heartbeatMs: number;
}

/**
 * `/ws/agent?token=…` (or `Authorization: Bearer …`): the agents' console. A bad or missing token is
 * refused with 401 before the upgrade. An agent is registered at the desk while at least one of its
 * consoles is open (and for `graceMs` after the last closes, so a reload keeps its chats).
 */
export const agentRoutes: FastifyPluginAsync<AgentOptions> = async (app, options) => {
  const { concierge, hub, now } = options;
  const desk = concierge.desk;
  const leaving = new Map<string, NodeJS.Timeout>();
  /** Every open console of an agent (several tabs): what one does, all of them show. */
  const consoles = new Map<string, Set<(frame: AgentServerFrame) => void>>();
  const toAgent = (agentId: string, frame: AgentServerFrame) => {
    for (const send of consoles.get(agentId) ?? []) send(frame);
  };
  options.metrics.consoles = () => {
    let n = 0;
    for (const set of consoles.values()) n += set.size;
    return n;
  };
  const beat = heartbeat(app, options.heartbeatMs);
  app.addHook('onClose', async () => {
    for (const t of leaving.values()) clearTimeout(t);
  });

  /** The front of the queue and its length (issue 12: every change sent the whole queue to every console). */
  const queueFrame = ({ items, total }: { items: QueueItem[]; total: number }): AgentServerFrame => ({
    type: 'queue',
    total,
    items: items.map((q) => ({
      sessionId: q.sessionId,
      region: q.region,
      reason: q.reason,
      queuedAt: now() - q.waitingMs,
      lastUserText: q.lastUserText,
      position: q.position,
    })),
  });

  wsRoute(
    app,
    '/ws/agent',
    { onRequest: async (request) => void authenticate(request, options.accounts) },
    (socket: WebSocket, request) => {
      const account = authenticate(request, options.accounts);
      const agentId = account.id;
      const log = request.log.child({ channel: 'agent', agentId });
      options.metrics.sockets.inc({ channel: 'agent' });
      const send = (frame: AgentServerFrame) => {
        if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(frame));
      };
      /** A chat the agent holds, whole: read when the console opens or asks for it. */
      const chat = async (sessionId: string) => {
        const [conversation, transcript] = await Promise.all([desk.conversation(sessionId), desk.transcript(sessionId)]);
        send({ type: 'chat', sessionId, region: conversation?.region ?? null, transcript: transcript.map(toEntry) });
      };
      const held = () => desk.agent(agentId);
      /** The console's frames are handled one after another, in the order sent, as is its opening. */
      let work: Promise<void> = Promise.resolve();
      const serially = (job: () => Promise<void>) => {
        work = work.then(job).catch((err: unknown) => {
          if (isHlError(err)) return send({ type: 'error', code: err.code, message: err.message });
          log.error({ err }, 'agent console failed');
        });
      };
      const mine = consoles.get(agentId) ?? new Set();
      consoles.set(agentId, mine);
      mine.add(send);

      clearTimeout(leaving.get(agentId));
      leaving.delete(agentId);
      const unlisten = hub.agent(agentId, (n) => {
        if (n.to === 'agents') return send(n.kind === 'queue' ? queueFrame(n) : { type: 'tickets' });
        if (n.kind === 'assigned')
          return send({ type: 'chat', sessionId: n.sessionId, region: n.conversation.region, transcript: n.transcript.map(toEntry) });
        if (n.kind === 'entry') return send({ type: 'entry', sessionId: n.sessionId, entry: toEntry(n.entry) });
        const entry: Entry = { seq: n.seq, role: 'user', text: n.text, at: now() };
        const kb = options.knowledge.current;
        const region = n.region ?? undefined;
        const suggestion = kb ? (options.assistant.suggest(kb, { text: n.text, ...(region ? { region } : {}) }, 1)[0] ?? null) : null;
        send({ type: 'user', sessionId: n.sessionId, entry, suggestion });
      });
      serially(async () => {
        const view = held() ?? (await desk.register(agentId, { capacity: options.capacity, presence: 'online' }));
        send({
          type: 'welcome',
          agent: agentId,
          name: account.name,
          capacity: view.capacity,
          presence: view.presence,
          now: now(),
          chats: [...view.chats],
        });
        send(queueFrame(desk.queue()));
        for (const sessionId of held()?.chats ?? []) await chat(sessionId);
      });

      beat.watch(socket);
      socket.on('close', () => {
        unlisten();
        // This console no longer receives its agent's frames (issue 12: each closed console stayed registered).
        const registered = consoles.get(agentId);
        registered?.delete(send);
        if (registered?.size === 0) consoles.delete(agentId);
        options.metrics.sockets.dec({ channel: 'agent' });
        if (hub.agentSockets(agentId) > 0) return;
        const t = setTimeout(() => {
          leaving.delete(agentId);
          if (hub.agentSockets(agentId) === 0)
            desk.unregister(agentId).catch((err: unknown) => log.error({ err }, 'agent could not be signed off'));
        }, options.graceMs);
        t.unref();
        leaving.set(agentId, t);
      });
      socket.on('error', (err) => log.warn({ code: (err as { code?: unknown }).code, reason: err.message }, 'agent socket error'));
      let window = { start: now(), count: 0 };
      socket.on('message', (data, isBinary) => {
        beat.alive(socket);
        const t = now();
        if (t - window.start >= options.rate.windowMs) window = { start: t, count: 0 };
        if (++window.count > options.rate.messages) {
          return send({ type: 'error', code: 'HL_ERR_WS_RATE_LIMITED', message: 'Too many frames; wait a moment' });
        }
        const parsed = parseAgentFrame(isBinary ? '' : data.toString(), MAX_TEXT);
        if (!parsed.ok)
          return send({
            type: 'error',
            code: parsed.code,
            message: parsed.message,
            ...(parsed.replyTo ? { replyTo: parsed.replyTo } : {}),
          });
        const f = parsed.frame;
        if (f.type === 'ping') return send({ type: 'pong' });
        const replyTo = f.id ? { replyTo: f.id } : {};
        serially(async () => {
          try {
            switch (f.type) {
              case 'presence':
                await desk.setPresence(agentId, f.status);
                return;
              case 'accept':
                await desk.accept(agentId, f.sessionId);
                return;
              case 'transcript':
                if (!held()?.chats.includes(f.sessionId)) throw new HlError('HL_ERR_AGENT_NOT_OWNER', [agentId, f.sessionId]);
                return await chat(f.sessionId);
              case 'message': {
                const { entry } = await desk.record({ sessionId: f.sessionId, role: 'agent', text: f.text, agentId });
                return toAgent(agentId, { type: 'entry', sessionId: f.sessionId, entry: toEntry(entry) });
              }
              case 'return':
                await desk.returnToBot(agentId, f.sessionId);
                return toAgent(agentId, { type: 'ended', sessionId: f.sessionId, reason: 'returned' });
              case 'release':
                await desk.release(agentId, f.sessionId);
                return toAgent(agentId, { type: 'ended', sessionId: f.sessionId, reason: 'released' });
              case 'close':
                await desk.resolve(agentId, f.sessionId, f.resolution);
                return toAgent(agentId, { type: 'ended', sessionId: f.sessionId, reason: 'resolved' });
            }
          } catch (err) {
            if (isHlError(err)) return send({ type: 'error', code: err.code, message: err.message, ...replyTo });
            log.error({ err }, 'agent frame failed');
            send({ type: 'error', code: 'HL_ERR_INTERNAL', message: 'Internal error', ...replyTo });
          }
        });
      });
    },
  );
};
