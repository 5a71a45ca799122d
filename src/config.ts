import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { envSchema } from 'env-schema';
import { HlError } from './errors.js';

/**
 * The one configuration of the service, read from the environment once, validated and frozen. No other
 * file reads `process.env`. README lists every variable.
 */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  knowledgeDir: string;
  /** Bearer token for the admin routes (knowledge reload); the routes are off when empty. */
  adminToken: string | null;
  intentsDir: string;
  widgetFile: string;
  /** jieba dictionary words kept: those seen at least this often (1 keeps jieba's full dictionaries). */
  jiebaMinFrequency: number;
  sessions: { max: number; ttlMs: number };
  /** Replies kept for the same question in the same situation (max 0: off). */
  answerCache: { max: number; ttlMs: number; maxBytes: number };
  http: {
    rateLimitMax: number;
    rateLimitWindowMs: number;
    corsOrigins: string[] | '*';
    /** A request must be received whole (headers and body) within this; a stall is dropped. */
    requestTimeoutMs: number;
    /** Its headers within this (at most requestTimeoutMs). */
    headersTimeoutMs: number;
    /** An idle keep-alive socket is closed after this. */
    keepAliveTimeoutMs: number;
  };
  ws: { maxFrameBytes: number; rateMessages: number; rateWindowMs: number; heartbeatMs: number };
  /**
   * Hotline agents who may sign in to the console, each with a token and the name a citizen is shown
   * (AGENT_TOKENS=id:token or id=显示名:token, …; the name defaults to the id).
   */
  agents: readonly AgentConfig[];
  /** The bureau's operators who may sign in to the operators' desk (/ops), a role of their own (OPERATOR_TOKENS, as AGENT_TOKENS). */
  operators: readonly AgentConfig[];
  /** The operators' desk (issue 16). */
  ops: {
    /** Staging, exported labelled sets, the publish history and its snapshots (OPS_DIR, default DATA_DIR/ops). */
    dir: string;
    /** Publishing is refused below this share of labelled items passing on the staged knowledge, unless confirmed. */
    evalFloor: number;
    /** Answers under this confidence are recorded as misses. */
    lowConfidence: number;
    /** The project's labelled sets the staged knowledge is scored on (the operators' exported sets too). */
    evalFiles: readonly string[];
    /** Notices expiring within this many days are listed as expiring soon. */
    expirySoonDays: number;
  };
  handoff: {
    capacity: number;
    waitLimitMs: number;
    handleMs: number;
    agentRateMessages: number;
    /** Sessions waiting at most, in all and from one client address; agents are sent the first `queuePage`. */
    queueMax: number;
    queuePerAddress: number;
    queuePage: number;
  };
  /** Where transcripts, handoffs and tickets are kept: SQLite under DATA_DIR, or memory (lost on exit). */
  store: 'sqlite' | 'memory';
  /** Signs the resume tokens of chat sessions; generated and kept under DATA_DIR when not given. */
  sessionSecret: string | null;
  /**
   * Which proxies in front are believed about the client's address (X-Forwarded-For), as Fastify's `trustProxy`:
   * false (none: the socket's address), a number of hops, or addresses/CIDRs. Behind a balancer the per-address
   * limits would otherwise count every citizen as one.
   */
  trustProxy: boolean | number | string[];
  /** Where citizens reach this service from outside (for links in WeChat replies), e.g. https://ybzx.example.gov.cn. */
  publicBaseUrl: string | null;
  /** The WeChat official-account channel; null (route off) when no WECHAT_TOKEN is configured. */
  wechat: WechatConfig | null;
  /**
   * Redis for what several instances share live (WeChat de-duplication, the HTTP rate limit, reloads), its
   * keys and channels under `prefix`; null: one process, all of it in memory.
   */
  redis: { url: string; prefix: string } | null;
  /** PostgreSQL for the durable records (DATABASE_URL); null: STORE decides. */
  databaseUrl: string | null;
  /** The schema the tables are kept in (DATABASE_SCHEMA, created if missing; default `public`). */
  databaseSchema: string;
  /** Tells this instance from the others (pub/sub, logs): INSTANCE_ID, else hostname-pid. */
  instanceId: string;
}

interface Env {
  PORT: number;
  HOST: string;
  DATA_DIR: string;
  LOG_LEVEL: Config['logLevel'];
  KNOWLEDGE_DIR: string;
  ADMIN_TOKEN: string;
  INTENTS_DIR: string;
  WIDGET_FILE: string;
  JIEBA_MIN_FREQUENCY: number;
  SESSION_MAX: number;
  SESSION_TTL_MS: number;
  ANSWER_CACHE_MAX: number;
  ANSWER_CACHE_TTL_MS: number;
  ANSWER_CACHE_MAX_MB: number;
  WS_MAX_FRAME_BYTES: number;
  RATE_LIMIT_MAX: number;
  RATE_LIMIT_WINDOW_MS: number;
  CORS_ORIGINS: string;
  HTTP_REQUEST_TIMEOUT_MS: number;
  HTTP_HEADERS_TIMEOUT_MS: number;
  HTTP_KEEP_ALIVE_TIMEOUT_MS: number;
  WS_RATE_MESSAGES: number;
  WS_RATE_WINDOW_MS: number;
  WS_HEARTBEAT_MS: number;
  AGENT_TOKENS: string;
  OPERATOR_TOKENS: string;
  OPS_DIR: string;
  OPS_EVAL_FLOOR: number;
  OPS_LOW_CONFIDENCE: number;
  OPS_EVAL_FILES: string;
  OPS_EXPIRY_SOON_DAYS: number;
  AGENT_CAPACITY: number;
  AGENT_RATE_MESSAGES: number;
  HANDOFF_WAIT_LIMIT_MS: number;
  HANDOFF_HANDLE_MS: number;
  HANDOFF_QUEUE_MAX: number;
  HANDOFF_QUEUE_PER_ADDRESS: number;
  HANDOFF_QUEUE_PAGE: number;
  STORE: 'sqlite' | 'memory';
  SESSION_SECRET: string;
  PUBLIC_BASE_URL: string;
  TRUST_PROXY: string;
  WECHAT_TOKEN: string;
  WECHAT_ENCODING_AES_KEY: string;
  WECHAT_ENCODING_AES_KEY_PREVIOUS: string;
  WECHAT_APP_ID: string;
  WECHAT_APP_SECRET: string;
  WECHAT_REGION: string;
  WECHAT_API_BASE: string;
  WECHAT_REPLY_BUDGET_MS: number;
  WECHAT_TIMESTAMP_WINDOW_S: number;
  WECHAT_MENU: string;
  WECHAT_HANDOFF: 'queue' | 'wechat';
  REDIS_URL: string;
  REDIS_PREFIX: string;
  DATABASE_URL: string;
  DATABASE_SCHEMA: string;
  INSTANCE_ID: string;
}

export const ENV_SCHEMA = {
  type: 'object',
  properties: {
    PORT: { type: 'integer', minimum: 0, maximum: 65535, default: 3000 },
    HOST: { type: 'string', minLength: 1, default: '127.0.0.1' },
    DATA_DIR: { type: 'string', minLength: 1, default: './data' },
    LOG_LEVEL: { type: 'string', enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], default: 'info' },
    KNOWLEDGE_DIR: { type: 'string', minLength: 1, default: './knowledge' },
    ADMIN_TOKEN: { type: 'string', default: '' },
    INTENTS_DIR: { type: 'string', minLength: 1, default: './intents' },
    WIDGET_FILE: { type: 'string', minLength: 1, default: './dist/public/widget.js' },
    JIEBA_MIN_FREQUENCY: { type: 'integer', minimum: 1, default: 35 },
    SESSION_MAX: { type: 'integer', minimum: 1, default: 10000 },
    SESSION_TTL_MS: { type: 'integer', minimum: 1000, default: 1800000 },
    ANSWER_CACHE_MAX: { type: 'integer', minimum: 0, default: 20000 },
    ANSWER_CACHE_TTL_MS: { type: 'integer', minimum: 1000, default: 3600000 },
    ANSWER_CACHE_MAX_MB: { type: 'integer', minimum: 1, default: 8 },
    WS_MAX_FRAME_BYTES: { type: 'integer', minimum: 256, default: 8192 },
    RATE_LIMIT_MAX: { type: 'integer', minimum: 1, default: 600 },
    RATE_LIMIT_WINDOW_MS: { type: 'integer', minimum: 1000, default: 60000 },
    CORS_ORIGINS: { type: 'string', default: '' },
    HTTP_REQUEST_TIMEOUT_MS: { type: 'integer', minimum: 100, default: 30000 },
    HTTP_HEADERS_TIMEOUT_MS: { type: 'integer', minimum: 0, default: 0 },
    HTTP_KEEP_ALIVE_TIMEOUT_MS: { type: 'integer', minimum: 100, default: 5000 },
    WS_RATE_MESSAGES: { type: 'integer', minimum: 1, default: 10 },
    WS_RATE_WINDOW_MS: { type: 'integer', minimum: 100, default: 10000 },
    WS_HEARTBEAT_MS: { type: 'integer', minimum: 100, default: 30000 },
    AGENT_TOKENS: { type: 'string', default: '' },
    OPERATOR_TOKENS: { type: 'string', default: '' },
    OPS_DIR: { type: 'string', default: '' },
    OPS_EVAL_FLOOR: { type: 'number', minimum: 0, maximum: 1, default: 0.85 },
    OPS_LOW_CONFIDENCE: { type: 'number', minimum: 0, maximum: 1, default: 0.4 },
    OPS_EVAL_FILES: { type: 'string', default: './test/eval/questions.jsonl' },
    OPS_EXPIRY_SOON_DAYS: { type: 'integer', minimum: 1, maximum: 365, default: 30 },
    AGENT_CAPACITY: { type: 'integer', minimum: 1, maximum: 50, default: 3 },
    AGENT_RATE_MESSAGES: { type: 'integer', minimum: 1, default: 100 },
    HANDOFF_WAIT_LIMIT_MS: { type: 'integer', minimum: 1000, default: 300000 },
    HANDOFF_HANDLE_MS: { type: 'integer', minimum: 1000, default: 180000 },
    HANDOFF_QUEUE_MAX: { type: 'integer', minimum: 1, default: 200 },
    HANDOFF_QUEUE_PER_ADDRESS: { type: 'integer', minimum: 1, default: 10 },
    HANDOFF_QUEUE_PAGE: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
    STORE: { type: 'string', enum: ['sqlite', 'memory'], default: 'sqlite' },
    SESSION_SECRET: { type: 'string', default: '' },
    PUBLIC_BASE_URL: { type: 'string', default: '' },
    TRUST_PROXY: { type: 'string', default: '' },
    WECHAT_TOKEN: { type: 'string', default: '' },
    WECHAT_ENCODING_AES_KEY: { type: 'string', default: '' },
    WECHAT_ENCODING_AES_KEY_PREVIOUS: { type: 'string', default: '' },
    WECHAT_APP_ID: { type: 'string', default: '' },
    WECHAT_APP_SECRET: { type: 'string', default: '' },
    WECHAT_REGION: { type: 'string', default: '' },
    WECHAT_API_BASE: { type: 'string', default: 'https://api.weixin.qq.com' },
    WECHAT_REPLY_BUDGET_MS: { type: 'integer', minimum: 100, maximum: 4800, default: 4000 },
    WECHAT_TIMESTAMP_WINDOW_S: { type: 'integer', minimum: 10, default: 300 },
    WECHAT_MENU: { type: 'string', default: '' },
    WECHAT_HANDOFF: { type: 'string', enum: ['queue', 'wechat'], default: 'queue' },
    REDIS_URL: { type: 'string', default: '' },
    REDIS_PREFIX: { type: 'string', pattern: '^[A-Za-z0-9:._-]{0,64}$', default: 'hl:' },
    DATABASE_URL: { type: 'string', default: '' },
    DATABASE_SCHEMA: { type: 'string', pattern: '^[a-z_][a-z0-9_]{0,62}$', default: 'public' },
    INSTANCE_ID: { type: 'string', pattern: '^[A-Za-z0-9._:-]{0,64}$', default: '' },
  },
} as const;

/** Validate an environment (by default the process's) into a frozen Config; HL_ERR_CONFIG_INVALID if it is wrong. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Readonly<Config> {
  let parsed: Env;
  try {
    // Only the variables given: env-schema would otherwise merge in process.env (a PORT in the shell must not reach a test).
    parsed = envSchema<Env>({ schema: ENV_SCHEMA, data: { ...env }, env: false, dotenv: false });
  } catch (err) {
    throw new HlError('HL_ERR_CONFIG_INVALID', [(err as Error).message], { cause: err });
  }
  if (parsed.ADMIN_TOKEN !== '' && parsed.ADMIN_TOKEN.length < 16) {
    throw new HlError('HL_ERR_CONFIG_INVALID', ['ADMIN_TOKEN must be at least 16 characters']);
  }
  // Node swaps the two when headers exceed request, and then judges a stalled body by the longer (issue 12, defect 3).
  if (
    parsed.HTTP_HEADERS_TIMEOUT_MS > parsed.HTTP_REQUEST_TIMEOUT_MS ||
    (parsed.HTTP_HEADERS_TIMEOUT_MS > 0 && parsed.HTTP_HEADERS_TIMEOUT_MS < 100)
  ) {
    throw new HlError('HL_ERR_CONFIG_INVALID', ['HTTP_HEADERS_TIMEOUT_MS must be 100 ms or more and not exceed HTTP_REQUEST_TIMEOUT_MS']);
  }
  const agents = parseAccounts('AGENT_TOKENS', parsed.AGENT_TOKENS);
  const operators = parseAccounts('OPERATOR_TOKENS', parsed.OPERATOR_TOKENS);
  // A role of its own: a token opens one door, so an agent's token never signs in to the operators' desk.
  if (operators.some((o) => agents.some((a) => a.token === o.token)))
    throw new HlError('HL_ERR_CONFIG_INVALID', ['OPERATOR_TOKENS: a token is also an agent’s (AGENT_TOKENS); give each role its own']);
  if (parsed.SESSION_SECRET !== '' && parsed.SESSION_SECRET.length < 16) {
    throw new HlError('HL_ERR_CONFIG_INVALID', ['SESSION_SECRET must be at least 16 characters']);
  }
  return Object.freeze({
    port: parsed.PORT,
    host: parsed.HOST,
    dataDir: resolve(parsed.DATA_DIR),
    logLevel: parsed.LOG_LEVEL,
    knowledgeDir: resolve(parsed.KNOWLEDGE_DIR),
    adminToken: parsed.ADMIN_TOKEN === '' ? null : parsed.ADMIN_TOKEN,
    intentsDir: resolve(parsed.INTENTS_DIR),
    widgetFile: resolve(parsed.WIDGET_FILE),
    jiebaMinFrequency: parsed.JIEBA_MIN_FREQUENCY,
    sessions: Object.freeze({ max: parsed.SESSION_MAX, ttlMs: parsed.SESSION_TTL_MS }),
    answerCache: Object.freeze({
      max: parsed.ANSWER_CACHE_MAX,
      ttlMs: parsed.ANSWER_CACHE_TTL_MS,
      maxBytes: parsed.ANSWER_CACHE_MAX_MB * 2 ** 20,
    }),
    http: Object.freeze({
      rateLimitMax: parsed.RATE_LIMIT_MAX,
      rateLimitWindowMs: parsed.RATE_LIMIT_WINDOW_MS,
      corsOrigins:
        parsed.CORS_ORIGINS.trim() === '*'
          ? ('*' as const)
          : (Object.freeze(
              parsed.CORS_ORIGINS.split(',')
                .map((o) => o.trim())
                .filter(Boolean),
            ) as string[]),
      requestTimeoutMs: parsed.HTTP_REQUEST_TIMEOUT_MS,
      // 0 (the default): 10 s, or the request timeout when that is shorter.
      headersTimeoutMs: parsed.HTTP_HEADERS_TIMEOUT_MS || Math.min(10_000, parsed.HTTP_REQUEST_TIMEOUT_MS),
      keepAliveTimeoutMs: parsed.HTTP_KEEP_ALIVE_TIMEOUT_MS,
    }),
    ws: Object.freeze({
      maxFrameBytes: parsed.WS_MAX_FRAME_BYTES,
      rateMessages: parsed.WS_RATE_MESSAGES,
      rateWindowMs: parsed.WS_RATE_WINDOW_MS,
      heartbeatMs: parsed.WS_HEARTBEAT_MS,
    }),
    agents: Object.freeze(agents),
    operators: Object.freeze(operators),
    ops: Object.freeze({
      dir: resolve(parsed.OPS_DIR || join(parsed.DATA_DIR, 'ops')),
      evalFloor: parsed.OPS_EVAL_FLOOR,
      lowConfidence: parsed.OPS_LOW_CONFIDENCE,
      evalFiles: Object.freeze(
        parsed.OPS_EVAL_FILES.split(',')
          .map((f) => f.trim())
          .filter(Boolean)
          .map((f) => resolve(f)),
      ),
      expirySoonDays: parsed.OPS_EXPIRY_SOON_DAYS,
    }),
    handoff: Object.freeze({
      capacity: parsed.AGENT_CAPACITY,
      agentRateMessages: parsed.AGENT_RATE_MESSAGES,
      waitLimitMs: parsed.HANDOFF_WAIT_LIMIT_MS,
      handleMs: parsed.HANDOFF_HANDLE_MS,
      queueMax: parsed.HANDOFF_QUEUE_MAX,
      queuePerAddress: parsed.HANDOFF_QUEUE_PER_ADDRESS,
      queuePage: parsed.HANDOFF_QUEUE_PAGE,
    }),
    store: parsed.STORE,
    sessionSecret: parsed.SESSION_SECRET === '' ? null : parsed.SESSION_SECRET,
    publicBaseUrl: parsed.PUBLIC_BASE_URL === '' ? null : parsed.PUBLIC_BASE_URL.replace(/\/+$/, ''),
    trustProxy: trustProxy(parsed.TRUST_PROXY),
    wechat: wechatConfig(parsed),
    redis:
      parsed.REDIS_URL === ''
        ? null
        : Object.freeze({ url: serviceUrl('REDIS_URL', parsed.REDIS_URL, ['redis:', 'rediss:']), prefix: parsed.REDIS_PREFIX }),
    databaseUrl: parsed.DATABASE_URL === '' ? null : serviceUrl('DATABASE_URL', parsed.DATABASE_URL, ['postgres:', 'postgresql:']),
    databaseSchema: parsed.DATABASE_SCHEMA,
    instanceId: parsed.INSTANCE_ID || `${hostname()}-${process.pid}`,
  });
}

/** TRUST_PROXY: empty (no proxy), `true` (any), a number of hops, or addresses and CIDRs separated by commas. */
function trustProxy(value: string): boolean | number | string[] {
  const v = value.trim();
  if (v === '' || v === 'false') return false;
  if (v === 'true') return true;
  if (/^\d{1,2}$/.test(v)) return Number(v);
  const list = v.split(',').map((x) => x.trim());
  if (list.some((x) => !/^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(x)))
    throw new HlError('HL_ERR_CONFIG_INVALID', ['TRUST_PROXY must be true, a number of hops, or addresses/CIDRs separated by commas']);
  return list;
}

/**
 * A service's URL, checked for its scheme and a host. The message never repeats the value: it may hold a
 * password (redis://:secret@host).
 */
function serviceUrl(name: string, value: string, schemes: readonly string[]): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new HlError('HL_ERR_CONFIG_INVALID', [`${name} is not a URL (expected ${schemes[0]}//host:port)`]);
  }
  if (!schemes.includes(url.protocol) || url.hostname === '')
    throw new HlError('HL_ERR_CONFIG_INVALID', [`${name} must be a ${schemes.map((s) => `${s}//`).join(' or ')} URL with a host`]);
  return value;
}

export interface WechatConfig {
  token: string;
  /** Safe/compatible mode; null for plaintext mode only. */
  encodingAesKey: string | null;
  previousEncodingAesKey: string | null;
  appId: string;
  appSecret: string;
  region: string | null;
  apiBase: string;
  replyBudgetMs: number;
  timestampWindowS: number;
  /** Menu CLICK keys → the question each stands for. */
  menu: Readonly<Record<string, string>>;
  /** `wechat`: hand over with transfer_customer_service; `queue`: our handoff desk and agents. */
  handoff: 'queue' | 'wechat';
}

function wechatConfig(p: Env): WechatConfig | null {
  if (p.WECHAT_TOKEN === '') return null;
  if (!/^[A-Za-z0-9]{3,32}$/.test(p.WECHAT_TOKEN))
    throw new HlError('HL_ERR_CONFIG_INVALID', ['WECHAT_TOKEN must be 3–32 letters or digits']);
  for (const [name, key] of [
    ['WECHAT_ENCODING_AES_KEY', p.WECHAT_ENCODING_AES_KEY],
    ['WECHAT_ENCODING_AES_KEY_PREVIOUS', p.WECHAT_ENCODING_AES_KEY_PREVIOUS],
  ] as const) {
    if (key !== '' && !/^[A-Za-z0-9]{43}$/.test(key)) throw new HlError('HL_ERR_CONFIG_INVALID', [`${name} must be 43 letters or digits`]);
  }
  if (p.WECHAT_ENCODING_AES_KEY !== '' && p.WECHAT_APP_ID === '') {
    throw new HlError('HL_ERR_CONFIG_INVALID', ['WECHAT_APP_ID is needed with WECHAT_ENCODING_AES_KEY (safe mode checks it)']);
  }
  const menu: Record<string, string> = {};
  for (const part of p.WECHAT_MENU.split(',')
    .map((x) => x.trim())
    .filter(Boolean)) {
    const at = part.indexOf(':');
    if (at <= 0 || at === part.length - 1) throw new HlError('HL_ERR_CONFIG_INVALID', [`WECHAT_MENU: "${part}" is not KEY:question`]);
    menu[part.slice(0, at).trim()] = part.slice(at + 1).trim();
  }
  return {
    token: p.WECHAT_TOKEN,
    encodingAesKey: p.WECHAT_ENCODING_AES_KEY || null,
    previousEncodingAesKey: p.WECHAT_ENCODING_AES_KEY_PREVIOUS || null,
    appId: p.WECHAT_APP_ID,
    appSecret: p.WECHAT_APP_SECRET,
    region: p.WECHAT_REGION || null,
    apiBase: p.WECHAT_API_BASE.replace(/\/+$/, ''),
    replyBudgetMs: p.WECHAT_REPLY_BUDGET_MS,
    timestampWindowS: p.WECHAT_TIMESTAMP_WINDOW_S,
    menu: Object.freeze(menu),
    handoff: p.WECHAT_HANDOFF,
  };
}

export interface AgentConfig {
  id: string;
  token: string;
  /** What a citizen is shown for this agent (the id when none is given). */
  name: string;
}

const AGENT_ID = /^[\p{L}\p{N}._-]{1,40}$/u;
/** A display name: 1–20 characters, no control characters (`,` and `:` cannot occur: they separate entries). */
const AGENT_NAME = /^[^\p{Cc}]{1,20}$/u;

/**
 * `id:token,id=显示名:token` → accounts (AGENT_TOKENS, OPERATOR_TOKENS); ids unique, tokens at least 16 characters
 * and distinct. The part before the first `:` is the id, or `id=name` (an id never holds `=`, so every older value
 * reads as it did).
 */
function parseAccounts(variable: string, spec: string): AgentConfig[] {
  const agents: AgentConfig[] = [];
  for (const part of spec
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const at = part.indexOf(':');
    const who = at > 0 ? part.slice(0, at) : '';
    const eq = who.indexOf('=');
    const id = (eq >= 0 ? who.slice(0, eq) : who).trim();
    const name = eq >= 0 ? who.slice(eq + 1).trim() : id;
    const token = at > 0 ? part.slice(at + 1).trim() : '';
    if (!AGENT_ID.test(id))
      throw new HlError('HL_ERR_CONFIG_INVALID', [`${variable}: "${id || part.slice(0, 8)}…" is not id:token or id=name:token`]);
    if (!AGENT_NAME.test(name))
      throw new HlError('HL_ERR_CONFIG_INVALID', [`${variable}: the display name of ${id} must be 1–20 characters`]);
    if (token.length < 16) throw new HlError('HL_ERR_CONFIG_INVALID', [`${variable}: the token of ${id} must be at least 16 characters`]);
    if (agents.some((a) => a.id === id || a.token === token))
      throw new HlError('HL_ERR_CONFIG_INVALID', [`${variable}: ${id} is listed twice or shares a token`]);
    agents.push({ id, token, name });
  }
  return agents;
}
