import type { FastifyPluginAsync } from 'fastify';
import type { WebSocket } from 'ws';
import type { Assistant } from '../../dialogue/assistant.js';
import type { KnowledgeStore } from '../../kb/store.js';
import { redact } from '../../redact.js';
import { MAX_TEXT, toWire } from '../http/ask.js';
import type { Metrics } from '../metrics.js';
import { parseClientFrame, type ServerFrame } from './protocol.js';

export interface ChatOptions {
  knowledge: KnowledgeStore;
  assistant: Assistant;
  /** Messages a connection may send per window; more get HL_ERR_WS_RATE_LIMITED and are dropped. */
  rate: { messages: number; windowMs: number };
  /** Interval of the server's pings; a connection that has not answered the previous one is dropped. */
  heartbeatMs: number;
  newId: () => string;
  metrics: Metrics;
}

/**
 * `/ws/chat`: the web widget's door. One JSON protocol (README): hello → ready, message → typing + reply,
 * ping → pong, error frames for anything bad while the connection stays usable. Conversations live in the
 * assistant's session store, so a reconnect with the same sessionId resumes.
 */
export const chatRoutes: FastifyPluginAsync<ChatOptions> = async (app, options) => {
  const alive = new WeakMap<WebSocket, boolean>();
  const sockets = new Set<WebSocket>();

  const heartbeat = setInterval(() => {
    for (const socket of sockets) {
      if (alive.get(socket) === false) {
        socket.terminate();
        continue;
      }
      alive.set(socket, false);
      socket.ping();
    }
  }, options.heartbeatMs);
  heartbeat.unref();
  app.addHook('onClose', async () => clearInterval(heartbeat));

  app.get('/ws/chat', { websocket: true }, (socket, request) => {
    const log = request.log.child({ channel: 'web' });
    sockets.add(socket);
    options.metrics.sockets.inc({ channel: 'web' });
    alive.set(socket, true);
    let sessionId: string | null = null;
    let region: string | undefined;
    let window = { start: Date.now(), count: 0 };
    const send = (frame: ServerFrame) => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(frame));
    };
    const hello = (id?: string, r?: string) => {
      sessionId = id ?? options.newId();
      region = r;
      send({ type: 'ready', sessionId });
    };

    socket.on('pong', () => alive.set(socket, true));
    socket.on('close', () => {
      sockets.delete(socket);
      options.metrics.sockets.dec({ channel: 'web' });
    });
    socket.on('error', (err) => log.warn({ err }, 'chat socket error'));
    socket.on('message', (data, isBinary) => {
      alive.set(socket, true);
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
      if (frame.type === 'hello') return hello(frame.sessionId, frame.region);

      const now = Date.now();
      if (now - window.start >= options.rate.windowMs) window = { start: now, count: 0 };
      if (++window.count > options.rate.messages) {
        send({
          type: 'error',
          code: 'HL_ERR_WS_RATE_LIMITED',
          message: 'Too many messages; wait a moment and send again',
          replyTo: frame.id,
        });
        return;
      }
      if (!sessionId) hello();
      const kb = options.knowledge.current;
      if (!kb) {
        send({ type: 'error', code: 'HL_ERR_KB_NOT_READY', message: 'The knowledge base is not loaded yet', replyTo: frame.id });
        return;
      }
      log.debug({ text: redact(frame.text) }, 'question');
      send({ type: 'typing' });
      try {
        const reply = options.assistant.ask(kb, { text: frame.text, sessionId: sessionId as string, ...(region ? { region } : {}) });
        options.metrics.observeReply('web', reply);
        send({ type: 'reply', replyTo: frame.id, reply: toWire(reply) });
        log.info({ type: reply.type, intent: reply.intent }, 'answered');
      } catch (err) {
        log.error({ err }, 'chat message failed');
        send({ type: 'error', code: 'HL_ERR_INTERNAL', message: 'Internal error', replyTo: frame.id });
      }
    });
  });
};
