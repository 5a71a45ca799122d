import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Reply } from '../dialogue/reply.js';
import type { Feedback } from '../store/types.js';
import { textResponse } from './schemas.js';

/** The service's metrics, one registry per app (so tests can build several apps). */
export class Metrics {
  readonly registry = new Registry();

  constructor() {
    // The process's own figures (heap, RSS, event-loop lag, GC), as prom-client names them (nodejs_*, process_*).
    collectDefaultMetrics({ register: this.registry });
  }

  readonly requests = new Counter({
    name: 'hl_http_requests_total',
    help: 'HTTP requests by route, method and status',
    labelNames: ['route', 'method', 'status'],
    registers: [this.registry],
  });
  readonly latency = new Histogram({
    name: 'hl_http_request_duration_seconds',
    help: 'HTTP request latency by route',
    labelNames: ['route'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [this.registry],
  });
  readonly replies = new Counter({
    name: 'hl_replies_total',
    help: 'Replies by channel, type and intent',
    labelNames: ['channel', 'type', 'intent'],
    registers: [this.registry],
  });
  readonly handoffs = new Counter({
    name: 'hl_handoffs_total',
    help: 'Handoffs by reason',
    labelNames: ['reason'],
    registers: [this.registry],
  });
  readonly desk = new Counter({
    name: 'hl_handoff_events_total',
    help: 'Handoff desk events: sessions queued for a person, and sessions no person could take (unavailable, by reason: no-agent, queue-full, wait-limit)',
    labelNames: ['event', 'reason'],
    registers: [this.registry],
  });
  readonly wechat = new Counter({
    name: 'hl_wechat_pushes_total',
    help: 'WeChat pushes answered, by what they got: text, transfer (to WeChat customer service) or none',
    labelNames: ['kind'],
    registers: [this.registry],
  });
  readonly sockets = new Gauge({
    name: 'hl_open_sockets',
    help: 'Open WebSocket connections by channel',
    labelNames: ['channel'],
    registers: [this.registry],
  });

  /** Statements sent to PostgreSQL since start (set by the app when the store is PostgreSQL; read on scrape). */
  storeStatements: (() => number) | null = null;
  readonly statements = new Gauge({
    name: 'hl_store_statements',
    help: 'Statements this instance has sent to PostgreSQL since it started (BEGIN and COMMIT included); absent on SQLite',
    registers: [this.registry],
    collect: () => {
      if (this.storeStatements) this.statements.set(this.storeStatements());
    },
  });

  /** Consoles registered to receive agents' frames (set by the agent channel, read on scrape). */
  consoles: () => number = () => 0;
  readonly agentConsoles = new Gauge({
    name: 'hl_agent_consoles',
    help: 'Agent consoles registered to receive frames (one per open console tab)',
    registers: [this.registry],
    collect: () => {
      this.agentConsoles.set(this.consoles());
    },
  });

  readonly feedback = new Counter({
    name: 'hl_feedback_total',
    help: 'Citizens’ verdicts on answers (👍 up / 👎 down, with the reason given) by channel',
    labelNames: ['channel', 'vote', 'reason'],
    registers: [this.registry],
  });
  readonly ratings = new Counter({
    name: 'hl_chat_ratings_total',
    help: 'Citizens’ ratings of chats with a person, 1 非常不满意 … 5 非常满意, by channel',
    labelNames: ['channel', 'score'],
    registers: [this.registry],
  });

  observeFeedback(f: Feedback): void {
    if (f.kind === 'chat') this.ratings.inc({ channel: f.channel, score: String(f.score) });
    else this.feedback.inc({ channel: f.channel, vote: f.vote ?? '', reason: f.reason ?? '' });
  }

  handoffEvent(event: string, reason = ''): void {
    this.desk.inc({ event, reason });
  }

  /** Sessions waiting for a person now (set by the app, read on scrape). */
  waiting: () => number = () => 0;
  readonly queueLength = new Gauge({
    name: 'hl_handoff_waiting',
    help: 'Sessions waiting in the handoff queue',
    registers: [this.registry],
    collect: () => {
      this.queueLength.set(this.waiting());
    },
  });

  /** The caches' fill (set by the app, read on scrape): how far they are from their bounds. */
  caches: () => { answers: number; answerBytes: number } = () => ({ answers: 0, answerBytes: 0 });
  readonly cacheFill = new Gauge({
    name: 'hl_cache_fill',
    help: 'What the in-memory caches hold: answers (worked-out replies), answer_bytes (their weight against ANSWER_CACHE_MAX_MB)',
    labelNames: ['figure'],
    registers: [this.registry],
    collect: () => {
      const c = this.caches();
      this.cacheFill.set({ figure: 'answers' }, c.answers);
      this.cacheFill.set({ figure: 'answer_bytes' }, c.answerBytes);
    },
  });

  observeReply(channel: string, reply: Reply): void {
    this.replies.inc({ channel, type: reply.type, intent: reply.intent });
    if (reply.handoff) this.handoffs.inc({ reason: reply.handoff.reason });
  }
}

/** Count every request and time it, by route (call on the root instance). */
export function instrument(app: FastifyInstance, metrics: Metrics): void {
  // A callback hook, not an async one: no promise per request (issue 14).
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.requests.inc({ route, method: request.method, status: String(reply.statusCode) });
    metrics.latency.observe({ route }, reply.elapsedTime / 1000);
    done();
  });
}

/** `GET /metrics` in Prometheus text format. */
export const metricsRoutes: FastifyPluginAsync<{ metrics: Metrics }> = async (app, { metrics }) => {
  app.get(
    '/metrics',
    {
      config: { rateLimit: false },
      schema: {
        summary: 'Prometheus metrics',
        description:
          'Requests and latency by route, replies by channel/type/intent, handoffs by reason, open sockets, agent consoles, handoff desk events, sessions waiting. Not rate-limited.',
        tags: ['operations'],
        response: { 200: textResponse('text/plain', 'Prometheus text exposition format 0.0.4') },
      },
    },
    async (_request, reply) => {
      reply.type(metrics.registry.contentType);
      return metrics.registry.metrics();
    },
  );
};
