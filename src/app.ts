import { randomBytes, randomUUID } from 'node:crypto';
import { Socket } from 'node:net';
import { dirname, join } from 'node:path';
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import websocket from '@fastify/websocket';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyServerOptions } from 'fastify';
import { BuildCache, folderParts } from './cache.js';
import { adminRoutes } from './channels/admin.js';
import { agentRoutes } from './channels/agent/agent.js';
import { assistRoutes } from './channels/agent/assist.js';
import { consoleRoutes } from './channels/agent/console.js';
import { ticketRoutes } from './channels/agent/tickets.js';
import { openapiOptions, swaggerUiOptions } from './channels/docs/openapi.js';
import { docsRoutes } from './channels/docs/routes.js';
import { type Dependency, healthRoutes } from './channels/health.js';
import { askRoutes } from './channels/http/ask.js';
import { feedbackRoutes } from './channels/http/feedback.js';
import { noticesRoutes } from './channels/http/notices.js';
import { instrument, Metrics, metricsRoutes } from './channels/metrics.js';
import { operatorsRoutes } from './channels/operators.js';
import { opsRoutes } from './channels/ops.js';
import { opsPageRoutes } from './channels/ops-page.js';
import { RequestLog } from './channels/request-log.js';
import { addSecurityHeaders } from './channels/security-headers.js';
import { clientErrorHandler, handshakeRefusal } from './channels/socket-refusals.js';
import { timeoutOptions } from './channels/timeouts.js';
import { chatRoutes } from './channels/web/chat.js';
import { SessionTokens } from './channels/web/session-token.js';
import { widgetRoutes } from './channels/web/widget.js';
import { wechatRoutes } from './channels/wechat/routes.js';
import type { Config } from './config.js';
import { Assistant } from './dialogue/assistant.js';
import { loadDialogueData, type Policy } from './dialogue/data.js';
import { MemorySessionStore, type SessionStore } from './dialogue/session.js';
import { ERRORS, type ErrorCode, HlError, isHlError } from './errors.js';
import { Concierge } from './handoff/concierge.js';
import { HandoffDesk } from './handoff/desk.js';
import { Hub } from './handoff/hub.js';
import { type DeskShare, RedisDeskShare } from './handoff/share.js';
import type { KnowledgeStore, ReloadResult } from './kb/store.js';
import { slimDictionaries } from './nlu/dictionary.js';
import { Nlu } from './nlu/index.js';
import { loadLanguageData } from './nlu/load.js';
import { OperatorsDesk } from './ops/desk.js';
import { SharedRedis } from './shared/redis.js';
import { Reloads } from './shared/reload.js';
import { RedisPushOnce } from './shared/wechat-once.js';
import { CoalescingStore, coalescing } from './store/coalescing.js';
import { MemoryStore } from './store/memory.js';
import { PgStore } from './store/postgres.js';
import type { Store } from './store/types.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Reload the knowledge base here and, with Redis, on every instance (SIGHUP, POST /admin/reload). */
    reloadKnowledge(): Promise<ReloadResult>;
  }
}

export interface AppDeps {
  config: Readonly<Config>;
  knowledge: KnowledgeStore;
  assistant: Assistant;
  /** Fastify's logger option: a pino config, or false for none (tests). */
  logger?: FastifyServerOptions['logger'];
  /**
   * Transcripts, handoffs and tickets; in memory when not given (tests). The caller closes it. Given as a
   * `CoalescingStore`, the same one the dialogue states are kept in, a turn's first read fetches its state too.
   */
  store?: Store;
  /** The other instances of the service, with whom the handoff desk is shared (issue 15); none: this is the only one. */
  share?: DeskShare;
  /** Signs chat resume tokens; random (per process) when not given. */
  sessionSecret?: string;
  /** The clock (epoch ms). */
  now?: () => number;
}

function errorBody(code: ErrorCode, message: string) {
  return { error: { code, message } };
}

/** Map any error to `{ error: { code, message } }` with its status; a 500 never carries internals. */
function toReply(err: FastifyError | HlError | Error): { status: number; code: ErrorCode; message: string } {
  if (isHlError(err)) return { status: err.statusCode, code: err.code, message: err.message };
  const fe = err as FastifyError;
  if (fe.validation) return { status: 400, code: 'HL_ERR_BAD_REQUEST', message: new HlError('HL_ERR_BAD_REQUEST', [fe.message]).message };
  const status = fe.statusCode ?? 500;
  if (status === 413) return { status, code: 'HL_ERR_BODY_TOO_LARGE', message: ERRORS.HL_ERR_BODY_TOO_LARGE.message };
  if (status === 415)
    return { status, code: 'HL_ERR_UNSUPPORTED_MEDIA_TYPE', message: new HlError('HL_ERR_UNSUPPORTED_MEDIA_TYPE', [fe.message]).message };
  if (status >= 400 && status < 500)
    return { status: 400, code: 'HL_ERR_BAD_REQUEST', message: new HlError('HL_ERR_BAD_REQUEST', [fe.message]).message };
  return { status: 500, code: 'HL_ERR_INTERNAL', message: ERRORS.HL_ERR_INTERNAL.message };
}

/** Request logs without secrets: the agent console's `token` query parameter is masked. */
/**
 * A request URL with the value of every `token` parameter masked, however the name is spelled (`%74oken`,
 * `TOKEN`): the routes read the decoded query, so the mask does too (issue 12: an encoded name slipped by).
 */
export function maskQueryTokens(url: string): string {
  const at = url.indexOf('?');
  if (at < 0) return url;
  const pairs = url
    .slice(at + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const raw = eq < 0 ? pair : pair.slice(0, eq);
      let name = raw;
      try {
        name = decodeURIComponent(raw.replace(/\+/g, ' '));
      } catch {
        name = raw;
      }
      return name.trim().toLowerCase() === 'token' ? `${raw}=***` : pair;
    });
  return `${url.slice(0, at)}?${pairs.join('&')}`;
}

function withSafeRequests(logger: FastifyServerOptions['logger']): FastifyServerOptions['logger'] {
  if (!logger || typeof logger !== 'object') return logger;
  return {
    ...logger,
    serializers: {
      req: (req: { method: string; url: string; host?: string; ip?: string; socket?: { remotePort?: number } }) => ({
        method: req.method,
        url: maskQueryTokens(req.url),
        host: req.host,
        remoteAddress: req.ip,
        remotePort: req.socket?.remotePort,
      }),
      ...(logger as { serializers?: Record<string, unknown> }).serializers,
    },
  } as FastifyServerOptions['logger'];
}

/** Build the application: every route, the error contract, nothing listening yet. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: withSafeRequests(deps.logger ?? false),
    // One line per request at info, with what the route adds (issue 14).
    logController: new RequestLog(),
    bodyLimit: 64 * 1024,
    // A client that stalls mid-request is dropped (issue 12: one sending headers and part of a body held its socket forever).
    ...timeoutOptions(deps.config.http),
    // Node would refuse an HTTP/1.1 request without Host with an empty 400 of its own; the hook below says why.
    http: { ...timeoutOptions(deps.config.http).http, requireHostHeader: false },
    requestIdHeader: 'x-request-id',
    // Behind a balancer, the citizen's address is the one the proxies say (TRUST_PROXY), for the per-address limits.
    trustProxy: deps.config.trustProxy as FastifyServerOptions['trustProxy'],
    // Notice ids may be up to 200 characters (the route's schema); longer is refused with the contract's body.
    routerOptions: { maxParamLength: 200 },
    // The router's own refusals (a URL that does not decode, a path parameter too long) get the documented
    // error body and a code too (issue 12: they answered Fastify's own shape).
    frameworkErrors: (error, request, reply) => {
      const tooLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH';
      const code: ErrorCode = tooLong ? 'HL_ERR_URL_TOO_LONG' : 'HL_ERR_BAD_REQUEST';
      request.log.info({ code }, 'request refused');
      const message = tooLong ? ERRORS.HL_ERR_URL_TOO_LONG.message : new HlError('HL_ERR_BAD_REQUEST', [error.message]).message;
      return (reply as FastifyReply).code(tooLong ? 414 : 400).send(errorBody(code, message));
    },
    // What Node's parser rejects or times out is answered on the bare socket, with the contract's body too.
    clientErrorHandler,
    // Bodies are validated as sent: a number is not a string, and nothing is coerced.
    ajv: { customOptions: { coerceTypes: false, allErrors: false } },
  });

  app.decorateRequest('logged', null);
  // What Node would answer by itself with an empty body gets the contract's (issue 12, defect 9).
  app.addHook('onRequest', (request, _reply, done) => {
    // Only on a real connection, whose request Node's parser read (an injected one has no socket).
    if (request.raw.httpVersion === '1.1' && request.headers.host === undefined && request.raw.socket instanceof Socket)
      return done(new HlError('HL_ERR_BAD_REQUEST', ['HTTP/1.1 requires a Host header']));
    done();
  });
  app.server.on('checkExpectation', (request, response) => {
    const body = JSON.stringify(
      errorBody('HL_ERR_EXPECTATION_FAILED', new HlError('HL_ERR_EXPECTATION_FAILED', [String(request.headers.expect)]).message),
    );
    response.writeHead(417, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
      connection: 'close',
    });
    response.end(body);
  });
  app.setErrorHandler((err, request, reply) => {
    const r = toReply(err as Error);
    if (r.status >= 500) request.log.error({ err }, 'request failed');
    // A refusal's code goes on the request's one line; an upgrade refused has no other line.
    else if (request.raw.headers.upgrade === undefined) request.logged = { code: r.code };
    else request.log.info({ code: r.code }, 'request refused');
    return reply.code(r.status).send(errorBody(r.code, r.message));
  });
  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .send(
        errorBody(
          'HL_ERR_ROUTE_NOT_FOUND',
          new HlError('HL_ERR_ROUTE_NOT_FOUND', [request.method, request.url.split('?')[0] ?? '']).message,
        ),
      ),
  );

  // What instances share live goes through Redis when REDIS_URL is set (issue 15); otherwise this process.
  const shared = deps.config.redis;
  const redis = shared ? new SharedRedis({ ...shared, name: deps.config.instanceId, log: app.log.child({ dependency: 'redis' }) }) : null;
  // The records: PostgreSQL when several instances share them.
  const records = deps.store instanceof CoalescingStore ? deps.store.inner : deps.store;
  const postgres = records instanceof PgStore ? records : null;
  const dependencies: Dependency[] = [
    ...(redis ? [{ name: 'redis', check: () => redis.ping() }] : []),
    ...(postgres ? [{ name: 'postgres', check: () => postgres.ping() }] : []),
  ];
  // With both, the instances share the handoff desk: its state in PostgreSQL, its news through Redis.
  const share =
    deps.share ??
    (redis && postgres
      ? await RedisDeskShare.create({
          redis,
          instanceId: deps.config.instanceId,
          onError: (err) => app.log.debug({ err }, 'desk news not published'),
        })
      : undefined);
  const reloads = new Reloads(deps.knowledge, redis, deps.config.instanceId, app.log);
  await reloads.start();
  app.decorate('reloadKnowledge', () => reloads.reload());
  app.addHook('onClose', async () => {
    reloads.close();
    await share?.close();
    await redis?.close();
  });

  await app.register(swagger, openapiOptions);
  await app.register(swaggerUi, swaggerUiOptions);
  await app.register(docsRoutes);
  const metrics = new Metrics();
  instrument(app, metrics);
  const http = deps.config.http;
  // helmet's headers, worked out once (issue 14).
  addSecurityHeaders(app);
  await app.register(cors, { origin: http.corsOrigins === '*' ? '*' : http.corsOrigins.length > 0 ? [...http.corsOrigins] : false });
  await app.register(rateLimit, {
    max: http.rateLimitMax,
    timeWindow: http.rateLimitWindowMs,
    // What this returns is thrown, so the error handler answers it like every other error.
    errorResponseBuilder: (_request, context) => new HlError('HL_ERR_RATE_LIMITED', [context.after]),
    // Counted in Redis for every instance together; while Redis does not answer, requests go through.
    ...(redis ? { redis: redis.commands, nameSpace: 'rate:', skipOnError: true } : {}),
  });
  await app.register(metricsRoutes, { metrics });
  await app.register(healthRoutes, { knowledge: deps.knowledge, dependencies });
  await app.register(noticesRoutes, { knowledge: deps.knowledge });
  await app.register(widgetRoutes, { file: deps.config.widgetFile });
  const now = deps.now ?? Date.now;
  // A turn reads its conversation once and writes it once (issue 14).
  const store = coalescing(deps.store ?? new MemoryStore());
  const desk = new HandoffDesk({
    store,
    now,
    ...(share ? { share } : {}),
    config: {
      waitLimitMs: deps.config.handoff.waitLimitMs,
      defaultHandleMs: deps.config.handoff.handleMs,
      maxWaiting: deps.config.handoff.queueMax,
      maxWaitingPerOrigin: deps.config.handoff.queuePerAddress,
      queuePage: deps.config.handoff.queuePage,
    },
  });
  // Chats that were with an agent before a restart go back to the queue.
  await desk.open();
  metrics.waiting = () => desk.waitingCount();
  if (postgres) metrics.storeStatements = () => postgres.statements;
  metrics.caches = () => {
    const answers = deps.assistant.cacheStats();
    return { answers: answers.entries, answerBytes: answers.bytes };
  };
  const hub = new Hub(desk);
  const concierge = new Concierge(deps.assistant, desk, {
    sessionTtlMs: deps.config.sessions.ttlMs,
    now,
    lowConfidence: deps.config.ops.lowConfidence,
  });
  // The wait limit is checked on every desk operation, and once a second for queues nobody touches.
  const ticker = setInterval(() => {
    desk.tick().catch((err: unknown) => app.log.error({ err }, 'handoff desk tick failed'));
  }, 1000);
  ticker.unref();
  app.addHook('onClose', async () => clearInterval(ticker));
  desk.subscribe((n, remote) => {
    // Each instance counts what its own runs did.
    if (remote) return;
    if (n.to === 'session' && n.kind === 'queued') metrics.handoffEvent(n.kind);
    if (n.to === 'session' && n.kind === 'unavailable') metrics.handoffEvent(n.kind, n.reason);
  });
  await app.register(askRoutes, { knowledge: deps.knowledge, concierge, metrics, newId: randomUUID });
  concierge.onFeedback = (f) => metrics.observeFeedback(f);
  await app.register(feedbackRoutes, { concierge });
  const ws = deps.config.ws;
  // A frame over the limit closes its connection with 1009 (ws's maxPayload).
  await app.register(websocket, {
    options: { maxPayload: ws.maxFrameBytes },
    // On shutdown, ask every client to reconnect (1001 going away): to another instance, or to this one later.
    preClose(done) {
      for (const client of this.websocketServer.clients) client.close(1001, 'server shutting down');
      this.websocketServer.close();
      done();
    },
    // A client's bad frame (too big, not UTF-8: ws closes it 1009/1007) is the client's doing: a warn line
    // without a stack, not an error (issue 12). Anything else stays an error.
    errorHandler(error, socket, request) {
      const code = (error as { code?: unknown }).code;
      if (typeof code === 'string' && code.startsWith('WS_ERR_'))
        request.log.warn({ code, reason: error.message }, 'websocket closed on a bad frame');
      else request.log.error({ err: error }, 'websocket failed');
      socket.terminate();
    },
  });
  // A handshake ws refuses is answered with the contract's body, not ws's plain text (issue 12, defect 9).
  app.websocketServer.on('wsClientError', handshakeRefusal(app.log));
  await app.register(chatRoutes, {
    knowledge: deps.knowledge,
    concierge,
    hub,
    tokens: new SessionTokens(deps.sessionSecret ?? randomBytes(32).toString('hex')),
    rate: { messages: ws.rateMessages, windowMs: ws.rateWindowMs },
    heartbeatMs: ws.heartbeatMs,
    newId: randomUUID,
    metrics,
    agentName: (id) => deps.config.agents.find((a) => a.id === id)?.name ?? id,
  });
  const agentDeps = { knowledge: deps.knowledge, accounts: deps.config.agents };
  await app.register(assistRoutes, { ...agentDeps, assistant: deps.assistant });
  await app.register(ticketRoutes, { ...agentDeps, desk });
  await app.register(agentRoutes, {
    ...agentDeps,
    assistant: deps.assistant,
    concierge,
    hub,
    metrics,
    capacity: deps.config.handoff.capacity,
    now,
    graceMs: 10_000,
    rate: { messages: deps.config.handoff.agentRateMessages, windowMs: ws.rateWindowMs },
    heartbeatMs: ws.heartbeatMs,
  });
  await app.register(consoleRoutes, { file: join(dirname(deps.config.widgetFile), 'console.js') });
  await app.register(operatorsRoutes, { file: join(dirname(deps.config.widgetFile), 'operators.js') });
  await app.register(opsPageRoutes, { file: join(dirname(deps.config.widgetFile), 'ops.js') });
  if (deps.config.wechat) {
    await app.register(wechatRoutes, {
      config: deps.config.wechat,
      knowledge: deps.knowledge,
      concierge,
      hub,
      metrics,
      publicBaseUrl: deps.config.publicBaseUrl,
      now,
      ...(redis
        ? {
            once: await RedisPushOnce.create(
              redis,
              deps.config.instanceId,
              deps.config.wechat.replyBudgetMs,
              app.log.child({ channel: 'wechat' }),
            ),
          }
        : {}),
    });
  }
  const operators = new OperatorsDesk({
    store,
    knowledge: deps.knowledge,
    knowledgeDir: deps.config.knowledgeDir,
    assistant: deps.assistant,
    reload: () => app.reloadKnowledge(),
    dir: deps.config.ops.dir,
    evalFloor: deps.config.ops.evalFloor,
    evalFiles: deps.config.ops.evalFiles,
    expirySoonDays: deps.config.ops.expirySoonDays,
    now,
  });
  if (deps.config.operators.length > 0) {
    // A publish or rollback a crash cut short is put back before anyone uses the desk (its files, then a reload).
    const restored = await operators.recover();
    if (restored.length > 0) {
      app.log.warn({ restored }, 'operators’ desk: an interrupted publish was put back');
      await deps.knowledge.reload();
    }
  }
  await app.register(opsRoutes, { accounts: deps.config.operators, desk: operators });
  await app.register(adminRoutes, { knowledge: deps.knowledge, token: deps.config.adminToken, desk, reload: app.reloadKnowledge });
  return app;
}

/** The assistant the config describes: language data, reply copy and the rules' thresholds from INTENTS_DIR, sessions in an LRU. */
/** The assistant; its sessions in memory unless a store for them is given (the server keeps them in the conversation store). */
export async function buildAssistant(config: Readonly<Config>, sessions?: SessionStore): Promise<Assistant> {
  return (await assistantFactory(config))(undefined, sessions);
}

/**
 * Assistants on one loaded language model, each with fresh sessions; `policy` replaces the thresholds of
 * policy.yaml (calibration tries candidates this way).
 */
export async function assistantFactory(config: Readonly<Config>): Promise<(policy?: Policy, sessions?: SessionStore) => Assistant> {
  const cache = new BuildCache(join(config.dataDir, 'cache'));
  const dictionaries = await slimDictionaries(cache.dir, config.jiebaMinFrequency);
  // The checked language data, read back from the build cache while the intents folder is unchanged (issue 14).
  const load = () => Promise.all([loadLanguageData(config.intentsDir), loadDialogueData(config.intentsDir)]);
  const [language, dialogue] = await cache.get('intents', await folderParts(config.intentsDir), load);
  const nlu = await Nlu.load(language, dictionaries, cache);
  return (policy, sessions) =>
    new Assistant(
      nlu,
      policy ? { ...dialogue, policy } : dialogue,
      sessions ?? new MemorySessionStore(config.sessions),
      randomUUID,
      config.answerCache,
    );
}
