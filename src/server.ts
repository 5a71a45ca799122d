/** Process entry: read the config, load the knowledge base, listen; SIGHUP reloads, SIGTERM/SIGINT stop. */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { buildApp, buildAssistant } from './app.js';
import { BuildCache } from './cache.js';
import { loadConfig } from './config.js';
import { buildFromDir } from './kb/load.js';
import { KnowledgeStore } from './kb/store.js';
import { sessionSecret } from './secret.js';
import { coalescing } from './store/coalescing.js';
import { openStore } from './store/open.js';
import { PgStore } from './store/postgres.js';

const config = loadConfig();
// Transcripts, handoffs and tickets outlive the process (SQLite under DATA_DIR) unless STORE=memory; a turn reads
// its conversation and dialogue state once and writes them once, with its transcript lines (issue 14).
// With DATABASE_URL, PostgreSQL, which several instances share (issue 15).
const opened = await openStore({
  kind: config.store,
  dataDir: config.dataDir,
  database: config.databaseUrl ? { url: config.databaseUrl, schema: config.databaseSchema } : null,
});
const store = coalescing(opened);
// Every instance signs chat resume tokens with the same secret, so a chat resumes on any of them.
const secret =
  config.sessionSecret ??
  (opened instanceof PgStore ? await opened.secret('session', randomBytes(32).toString('hex')) : await sessionSecret(config.dataDir));
// What the bot remembers of a conversation (its city, its topic) is kept there too, so it survives a restart;
// states idle past SESSION_TTL_MS are deleted.
const assistant = await buildAssistant(config);
const pruning = setInterval(
  () => {
    store.pruneSessions(Date.now() - config.sessions.ttlMs).catch((err: unknown) => app.log.warn({ err }, 'dialogue states not pruned'));
  },
  Math.min(60_000, config.sessions.ttlMs),
);
pruning.unref();
// What the notices, regions.yaml and the places build into is kept under DATA_DIR/cache (issue 14).
const cache = new BuildCache(join(config.dataDir, 'cache'));
// A knowledge base is indexed and the answer paths warmed before it is swapped in.
const knowledge = new KnowledgeStore(async () => {
  const kb = await buildFromDir(config.knowledgeDir, undefined, cache);
  assistant.prepare(kb);
  return kb;
});
const app = await buildApp({
  config,
  knowledge,
  assistant,
  store,
  sessionSecret: secret,
  logger: { level: config.logLevel },
});

const started = performance.now();
const first = await knowledge.reload();
if (!first.ok) {
  app.log.fatal({ err: first.error }, 'knowledge base could not be loaded');
  process.exit(1);
}
for (const s of first.kb.skipped) app.log.warn({ file: s.file, code: s.code }, `notice skipped: ${s.message}`);
const built = cache.events
  .splice(0)
  .map((e) => `${e.name}: ${e.outcome}`)
  .join(', ');
app.log.info({ cache: built, ...first.kb.counts, ms: Math.round(performance.now() - started) }, 'knowledge base loaded');
if (!config.adminToken) app.log.info('admin routes are off: no ADMIN_TOKEN configured');
if (config.agents.length === 0) app.log.info('agent console and assist are off: no AGENT_TOKENS configured');
if (!config.wechat) app.log.info('WeChat route is off: no WECHAT_TOKEN configured');
else
  app.log.info(
    { mode: config.wechat.encodingAesKey ? 'safe/compatible' : 'plaintext', handoff: config.wechat.handoff },
    'WeChat route on: /wechat',
  );
app.log.info(
  { store: opened.kind, instance: config.instanceId, shared: opened.kind === 'postgres' && config.redis !== null },
  opened.kind === 'postgres' && config.redis
    ? 'conversation store open; handoff desk shared with the other instances'
    : 'conversation store open',
);

process.on('SIGHUP', () => {
  // Every instance reloads, with Redis (issue 15).
  app.reloadKnowledge().then((r) => {
    if (r.ok) app.log.info({ ...r.kb.counts }, 'knowledge reloaded (SIGHUP)');
    else app.log.error({ err: r.error }, 'knowledge reload failed (SIGHUP); previous knowledge base kept');
  });
});

let closing = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    // Stop accepting, tell chat sockets to reconnect (1001), let in-flight requests finish, flush the log.
    app.close().then(
      async () => {
        clearInterval(pruning);
        await store.close();
        app.log.info('stopped');
        (app.log as { flush?: () => void }).flush?.();
        process.exit(0);
      },
      (err) => {
        app.log.error({ err }, 'error while closing');
        process.exit(1);
      },
    );
  });
}

await app.listen({ port: config.port, host: config.host });
// Replies in Traditional characters need tables the first Simplified questions do not: loaded a second after
// listening rather than before (issue 14); a Traditional question in that second loads them itself.
setTimeout(() => assistant.warmTraditional(), 1000).unref();
// The whole pipeline run over the intents' examples, a slice at a time, so the first questions meet optimized code.
const warming = knowledge.current;
if (warming)
  void assistant.warmUp(warming).then(
    (n) => app.log.debug({ questions: n }, 'answer pipeline warmed'),
    (err: unknown) => app.log.warn({ err }, 'answer pipeline warm-up stopped'),
  );
