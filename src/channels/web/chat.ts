import type { FastifyPluginAsync } from 'fastify';
import type { Reply } from '../../dialogue/reply.js';
import { isHlError } from '../../errors.js';
import { type Concierge, standingText } from '../../handoff/concierge.js';
import type { Hub } from '../../handoff/hub.js';
import type { SessionNotification } from '../../handoff/notifications.js';
import type { KnowledgeStore } from '../../kb/store.js';
import { redact } from '../../redact.js';
import type { TranscriptEntry } from '../../store/types.js';
import { heartbeat } from '../heartbeat.js';
import { MAX_TEXT, toWire } from '../http/ask.js';
import type { Metrics } from '../metrics.js';
import { wsRoute } from '../ws-route.js';
import { type ClientFrame, type HandoffFrame, type HistoryEntry, parseClientFrame, type ServerFrame } from './protocol.js';
import type { SessionTokens } from './session-token.js';

export interface ChatOptions {
  knowledge: KnowledgeStore;
  concierge: Concierge;
  hub: Hub;
  tokens: SessionTokens;
  /** Messages a connection may send per window; more get HL_ERR_WS_RATE_LIMITED and are dropped. */
  rate: { messages: number; windowMs: number };
  /** Interval of the server's pings; a connection that has not answered the previous one is dropped. */
  heartbeatMs: number;
  newId: () => string;
  metrics: Metrics;
  /** The display name a citizen is shown for an agent (AGENT_TOKENS; the id when it has none). */
  agentName: (agentId: string) => string;
}

/** How many of the latest transcript lines a resumed chat is sent. */
const HISTORY = 50;

/** A transcript line as the citizen sees it again (an agent's with the agent's display name). */
function historyEntry(sessionId: string, e: TranscriptEntry, agentName: (agentId: string) => string): HistoryEntry {
  const { seq, role, text, at } = e;
  const reply = role === 'bot' && e.reply ? toWire({ ...(e.reply as Omit<Reply, 'sessionId'>), sessionId }) : undefined;
  return {
    seq,
    role,
    text,
    at,
    ...(reply ? { reply } : {}),
    ...(role === 'agent' && e.agentId ? { agent: { name: agentName(e.agentId) } } : {}),
  };
}

/**
 * The frame a desk notification becomes in the user's chat; an agent's message names the agent as the
 * citizen should see them (their display name) and says when it was written.
 */
function handoffFrame(
  concierge: Concierge,
  knowledge: KnowledgeStore,
  agentName: (agentId: string) => string,
  n: SessionNotification,
): ServerFrame | null {
  if (n.kind === 'agent-message') return { type: 'agent', text: n.text, seq: n.seq, agent: { name: agentName(n.agentId) }, at: n.at };
  const line = concierge.describe(knowledge.current, n);
  if (!line) return null;
  const frame: HandoffFrame = { type: 'handoff', state: n.state, event: n.kind, text: line.text, citations: line.citations };
  if ('position' in n) Object.assign(frame, { position: n.position, estimatedWaitMs: n.estimatedWaitMs });
  if (n.kind === 'resolved' || n.kind === 'returned') frame.offerRating = true;
  if (n.kind === 'unavailable') {
    Object.assign(frame, { offerTicket: true, reason: n.reason });
    if (n.reason === 'queue-full') frame.code = 'HL_ERR_QUEUE_FULL';
  }
  return frame;
}

/**
 * `/ws/chat`: the web widget's door. One JSON protocol (README): hello → ready, message → typing + reply
 * (or ack while a person has the conversation), handoff/cancel/ticket for the human handoff, ping → pong,
 * error frames for anything bad while the connection stays usable. A reconnect with the sessionId and the
 * resume token given in `ready` resumes the conversation; without the token it starts a new one.
 */
export const chatRoutes: FastifyPluginAsync<ChatOptions> = async (app, options) => {
  const beat = heartbeat(app, options.heartbeatMs);

  wsRoute(app, '/ws/chat', {}, (socket, request) => {
    const log = request.log.child({ channel: 'web' });
    beat.watch(socket);
    options.metrics.sockets.inc({ channel: 'web' });
    let sessionId: string | null = null;
    let region: string | undefined;
    let window = { start: Date.now(), count: 0 };
    /** The client was told it is over the limit in this window. */
    let told = false;
    let unlisten: (() => void) | null = null;
    /**
     * The desk's news during the user's own turns (those waiting for their commit included), sent after the last
     * reply so the chat reads in order (issue 13).
     */
    let held: ServerFrame[] = [];
    let holding = 0;
    const release = () => {
      if (--holding > 0) return;
      const news = held;
      held = [];
      for (const f of news) send(f);
    };
    const { concierge, hub, tokens } = options;
    const send = (frame: ServerFrame) => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(frame));
    };
    /** The socket's frames are handled one after another, in the order sent (hello before the message after it). */
    let work: Promise<void> = Promise.resolve();
    const serially = (job: () => Promise<void>) => {
      work = work.then(job);
    };
    const hello = async (id?: string, token?: string, r?: string): Promise<string> => {
      const resumed = id !== undefined && tokens.verify(id, token);
      const sid = resumed ? id : options.newId();
      sessionId = sid;
      region = r;
      unlisten?.();
      unlisten = hub.session(sid, (n) => {
        const frame = handoffFrame(concierge, options.knowledge, options.agentName, n);
        if (!frame) return;
        if (holding > 0) held.push(frame);
        else send(frame);
      });
      const [conversation, lines] = await Promise.all([
        concierge.desk.conversation(sid),
        resumed ? concierge.desk.transcript(sid, { limit: HISTORY }) : [],
      ]);
      const state = conversation?.state ?? 'bot';
      const history = lines.map((e) => historyEntry(sid, e, options.agentName));
      send({ type: 'ready', sessionId: sid, resumeToken: tokens.sign(sid), state, ...(resumed ? { history } : {}) });
      // Back in the queue or with the agent, as before the reload: the standing (and 取消排队), or the agent.
      const standing = concierge.desk.standing(sid);
      if (state === 'queued' && standing) {
        send({
          type: 'handoff',
          state,
          event: 'resumed',
          text: `正在排队等待人工客服，${standingText(standing)}`,
          citations: [],
          ...standing,
        });
      } else if (state === 'agent') {
        send({ type: 'handoff', state, event: 'resumed', text: '人工客服正在为您服务，请继续描述您的问题。', citations: [] });
      }
      return sid;
    };
    const refuse = (err: unknown, replyTo?: string) => {
      if (isHlError(err) && err.code === 'HL_ERR_UNAVAILABLE') {
        const line = concierge.outage(options.knowledge.current, region ?? null);
        log.warn({ code: err.code }, 'message not kept: the store is unavailable');
        return send({ type: 'error', code: err.code, message: err.message, ...(replyTo ? { replyTo } : {}), ...line });
      }
      if (isHlError(err)) return send({ type: 'error', code: err.code, message: err.message, ...(replyTo ? { replyTo } : {}) });
      log.error({ err }, 'chat frame failed');
      send({ type: 'error', code: 'HL_ERR_INTERNAL', message: 'Internal error', ...(replyTo ? { replyTo } : {}) });
    };

    socket.on('close', () => {
      unlisten?.();
      options.metrics.sockets.dec({ channel: 'web' });
    });
    socket.on('error', (err) => log.warn({ code: (err as { code?: unknown }).code, reason: err.message }, 'chat socket error'));
    socket.on('message', (data, isBinary) => {
      beat.alive(socket);
      // Every frame counts, hello, ping and a bad one too (issue 12: 20,000 hellos a second went unchecked);
      // past the limit one error says so, and the rest of the window's frames are dropped unanswered.
      const now = Date.now();
      if (now - window.start >= options.rate.windowMs) {
        window = { start: now, count: 0 };
        told = false;
      }
      if (++window.count > options.rate.messages) {
        if (told) return;
        told = true;
        const over = isBinary ? null : parseClientFrame(data.toString(), MAX_TEXT);
        const id = over?.ok && (over.frame.type === 'message' || over.frame.type === 'ticket') ? over.frame.id : undefined;
        return send({
          type: 'error',
          code: 'HL_ERR_WS_RATE_LIMITED',
          message: 'Too many messages; wait a moment and send again',
          ...(id ? { replyTo: id } : {}),
        });
      }
      if (isBinary) {
        send({ type: 'error', code: 'HL_ERR_WS_BAD_FRAME', message: 'Frames must be text (JSON)' });
        return;
      }
      const parsed = parseClientFrame(data.toString(), MAX_TEXT);
      if (!parsed.ok) {
        send({ type: 'error', code: parsed.code, message: parsed.message, ...(parsed.replyTo ? { replyTo: parsed.replyTo } : {}) });
        return;
      }
      const frame = parsed.frame;
      if (frame.type === 'ping') return send({ type: 'pong' });
      serially(() => handle(frame).catch((err: unknown) => refuse(err, 'id' in frame ? frame.id : undefined)));
    });

    const handle = async (frame: Exclude<ClientFrame, { type: 'ping' }>): Promise<void> => {
      if (frame.type === 'hello') {
        await hello(frame.sessionId, frame.resumeToken, frame.region);
        return;
      }
      const replyTo = 'id' in frame ? frame.id : undefined;
      const sid = sessionId ?? (await hello());
      const kb = options.knowledge.current;
      if (!kb) {
        send({
          type: 'error',
          code: 'HL_ERR_KB_NOT_READY',
          message: 'The knowledge base is not loaded yet',
          ...(replyTo ? { replyTo } : {}),
        });
        return;
      }
      holding++;
      try {
        if (frame.type === 'handoff') {
          // Where it stands (queued, with an agent, or nobody there) reaches the user as the desk's notification.
          await concierge.requestHuman({ sessionId: sid, channel: 'web', origin: request.ip, ...(region ? { region } : {}) });
          return;
        }
        if (frame.type === 'cancel') return await concierge.cancel(sid);
        if (frame.type === 'feedback' || frame.type === 'rating') {
          const f =
            frame.type === 'feedback'
              ? await concierge.answerFeedback(sid, 'web', {
                  seq: frame.seq,
                  vote: frame.vote,
                  ...(frame.reason ? { reason: frame.reason } : {}),
                  ...(frame.comment !== undefined ? { comment: frame.comment } : {}),
                })
              : await concierge.rateChat(sid, 'web', {
                  score: frame.score,
                  ...(frame.comment !== undefined ? { comment: frame.comment } : {}),
                });
          const text = f.vote === 'down' || (f.score !== null && f.score <= 2) ? '感谢您的反馈，我们会据此改进。' : '感谢您的评价！';
          send({ type: 'feedback', kind: f.kind, target: f.target, vote: f.vote, score: f.score, text, ...(replyTo ? { replyTo } : {}) });
          return;
        }
        if (frame.type === 'ticket') {
          const ticket = await concierge.leaveTicket(sid, 'web', {
            phone: frame.phone,
            question: frame.question,
            ...(region ? { region } : {}),
          });
          send({
            type: 'ticket',
            id: ticket.id,
            text: `已为您登记回电请求，工单号 ${ticket.id}。工作人员会尽快给您回电。`,
            ...(replyTo ? { replyTo } : {}),
          });
          return;
        }
        log.debug({ text: redact(frame.text) }, 'question');
        send({ type: 'typing' });
        // Answered once the turn has committed (group commit, issue 14); the news stays held until then.
        const outcome = await concierge.handle(kb, {
          sessionId: sid,
          channel: 'web',
          text: frame.text,
          origin: request.ip,
          status: false,
          ...(region ? { region } : {}),
        });
        if (outcome.kind === 'waiting') {
          send({ type: 'ack', replyTo: frame.id, state: outcome.state, text: outcome.reply.text });
          return;
        }
        const reply = outcome.reply;
        options.metrics.observeReply('web', reply);
        send({ type: 'reply', replyTo: frame.id, reply: toWire(reply), seq: outcome.seq });
        log.info({ type: reply.type, intent: reply.intent, rule: reply.rule }, 'answered');
      } catch (err) {
        refuse(err, replyTo);
      } finally {
        release();
      }
    };
  });
};
