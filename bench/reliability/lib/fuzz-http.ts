import { createHash } from 'node:crypto';
import type { Random } from './stats.js';

/**
 * Fuzzed HTTP requests as raw bytes: every documented route (README, HTTP routes) with mutated methods,
 * paths, query strings, headers and bodies, and now and then a request of random parts. Requests stay
 * syntactically plausible enough to reach the router most of the time; what breaks the parser outright
 * is in fuzz-raw.ts.
 */
export interface FuzzContext {
  agentToken: string;
  adminToken: string;
  wechatToken: string;
  noticeIds: readonly string[];
  questions: readonly string[];
  regions: readonly string[];
}

export interface HttpCase {
  /** The route aimed at (`POST /api/ask`), or `(random)`. */
  route: string;
  method: string;
  target: string;
  bytes: Buffer;
  head: boolean;
  /** The mutations applied, for the examples. */
  what: string[];
}

interface Route {
  method: string;
  path: string;
  target: (r: Random, c: FuzzContext) => string;
  auth?: 'agent' | 'admin';
  /** The body the route takes, and its content type. */
  body?: { type: string; make: (r: Random, c: FuzzContext) => Buffer };
}

const json = (v: unknown) => Buffer.from(JSON.stringify(v));
const askBody = (r: Random, c: FuzzContext) =>
  json({
    text: r.pick(c.questions),
    ...(r.chance(0.3) && { sessionId: `fz-${r.string(8)}` }),
    ...(r.chance(0.3) && { region: r.pick(c.regions) }),
  });
const callerBody = (r: Random, c: FuzzContext) => json({ text: r.pick(c.questions), ...(r.chance(0.5) && { region: r.pick(c.regions) }) });
const ticketPath = (action: string) => (r: Random) => `/api/agent/tickets/T${String(r.int(1, 40)).padStart(6, '0')}/${action}`;

function wechatQuery(r: Random, c: FuzzContext, extra = ''): string {
  const timestamp = String(Math.floor(Date.now() / 1000) + (r.chance(0.1) ? r.int(-4000, 4000) : 0));
  const nonce = r.string(r.int(1, 12));
  const signature = r.chance(0.85) ? sha1Sorted([c.wechatToken, timestamp, nonce]) : r.string(40, '0123456789abcdef');
  return `/wechat?signature=${signature}&timestamp=${timestamp}&nonce=${nonce}${extra}`;
}

function wechatXml(r: Random, c: FuzzContext): Buffer {
  const ts = Math.floor(Date.now() / 1000);
  const field = (name: string, value: string) => `<${name}><![CDATA[${value}]]></${name}>`;
  const msg = [
    field('ToUserName', 'gh_fuzz'),
    field('FromUserName', `o${r.string(12)}`),
    `<CreateTime>${ts}</CreateTime>`,
    field('MsgType', r.pick(['text', 'text', 'event', 'image', 'voice', 'location', 'weird'])),
    field('Content', r.pick(c.questions)),
    field('Event', r.pick(['subscribe', 'CLICK', 'VIEW', ''])),
    `<MsgId>${r.int(1, 1e9)}</MsgId>`,
  ];
  const xml = `<xml>${msg.join('')}</xml>`;
  switch (r.int(0, 9)) {
    case 0:
      return Buffer.from(`<!DOCTYPE x [<!ENTITY a "${'a'.repeat(100)}">]>${xml}`);
    case 1:
      return Buffer.from(xml.slice(0, r.int(0, xml.length)));
    case 2:
      return Buffer.from(`<notxml>${msg.join('')}</notxml>`);
    case 3:
      return Buffer.from(`<xml>${msg.join('')}${msg[1]}</xml>`);
    case 4:
      return Buffer.from(`<xml><Encrypt><![CDATA[${r.string(r.int(0, 300), 'ABCDEFabcdef0123456789+/=')}]]></Encrypt></xml>`);
    case 5:
      return Buffer.from(`<xml>${'<a>'.repeat(r.int(10, 3000))}</xml>`);
    default:
      return Buffer.from(xml);
  }
}

/** Every route README documents (a WebSocket route answers plain GETs too). */
const ROUTES: readonly Route[] = [
  { method: 'POST', path: '/api/ask', target: () => '/api/ask', body: { type: 'application/json', make: askBody } },
  { method: 'GET', path: '/healthz', target: () => '/healthz' },
  { method: 'GET', path: '/readyz', target: () => '/readyz' },
  { method: 'GET', path: '/metrics', target: () => '/metrics' },
  { method: 'GET', path: '/docs', target: (r) => r.pick(['/docs', '/docs/', '/docs/json', '/docs/yaml', '/docs/static/index.html']) },
  { method: 'GET', path: '/', target: () => '/' },
  { method: 'GET', path: '/widget.js', target: () => '/widget.js' },
  { method: 'GET', path: '/console.js', target: () => '/console.js' },
  { method: 'GET', path: '/agent', target: () => '/agent' },
  { method: 'GET', path: '/notices', target: () => '/notices' },
  { method: 'GET', path: '/notices/:id', target: (r, c) => `/notices/${r.chance(0.7) ? r.pick(c.noticeIds) : r.string(r.int(1, 30))}` },
  { method: 'POST', path: '/api/assist', target: () => '/api/assist', auth: 'agent', body: { type: 'application/json', make: callerBody } },
  {
    method: 'POST',
    path: '/api/agent/explain',
    target: () => '/api/agent/explain',
    auth: 'agent',
    body: { type: 'application/json', make: callerBody },
  },
  {
    method: 'GET',
    path: '/api/agent/card',
    target: (r, c) => `/api/agent/card?region=${encodeURIComponent(r.pick([...c.regions, '', '火星']))}`,
    auth: 'agent',
  },
  { method: 'GET', path: '/api/agent/regions', target: () => '/api/agent/regions', auth: 'agent' },
  {
    method: 'GET',
    path: '/api/agent/tickets',
    target: (r) =>
      `/api/agent/tickets?status=${r.pick(['open', 'claimed', 'closed', 'x', ''])}&limit=${r.pick(['1', '50', '500', '501', '0', '-1', 'abc'])}`,
    auth: 'agent',
  },
  { method: 'POST', path: '/api/agent/tickets/:id/claim', target: ticketPath('claim'), auth: 'agent' },
  { method: 'POST', path: '/api/agent/tickets/:id/release', target: ticketPath('release'), auth: 'agent' },
  {
    method: 'POST',
    path: '/api/agent/tickets/:id/close',
    target: ticketPath('close'),
    auth: 'agent',
    body: { type: 'application/json', make: (r) => json({ resolution: r.pick(['已回电', '', ' ', 'x'.repeat(201)]) }) },
  },
  {
    method: 'GET',
    path: '/wechat',
    target: (r, c) => wechatQuery(r, c, `&echostr=${r.string(r.int(0, 20))}`),
  },
  {
    method: 'POST',
    path: '/wechat',
    target: (r, c) => wechatQuery(r, c, r.chance(0.2) ? `&encrypt_type=aes&msg_signature=${r.string(40, '0123456789abcdef')}` : ''),
    body: { type: 'text/xml', make: wechatXml },
  },
  { method: 'POST', path: '/admin/reload', target: () => '/admin/reload', auth: 'admin' },
  { method: 'GET', path: '/ws/chat', target: () => '/ws/chat' },
  { method: 'GET', path: '/ws/agent', target: (r, c) => (r.chance(0.5) ? `/ws/agent?token=${c.agentToken}` : '/ws/agent') },
];

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'TRACE', 'PROPFIND', 'FOO', 'M-SEARCH', 'get'];
const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=gbk',
  'APPLICATION/JSON',
  'text/plain',
  'text/xml',
  'application/xml',
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'multipart/form-data; boundary=zz',
  'application/jso',
  '*/*',
  'application/json, text/plain',
  '',
  ';;;',
  `application/${'x'.repeat(300)}`,
];
const PERCENT_GARBAGE = ['%', '%Z', '%ZZ', '%E4%B8', '%00', '%FF%FE', '%C0%AF', '%u4e2d', '%%', '%2e%2e/', '%2F', '%0d%0a'];

/** One fuzzed request. */
export function httpCase(r: Random, c: FuzzContext): HttpCase {
  if (r.chance(0.08)) return randomCase(r);
  const route = r.pick(ROUTES);
  const what: string[] = [];
  let method = route.method;
  if (r.chance(0.15)) {
    method = r.pick(METHODS);
    what.push(`method ${method}`);
  }
  let target = route.target(r, c);
  if (r.chance(0.25)) {
    target = mutatePath(r, target);
    what.push('path');
  }
  if (r.chance(0.2)) {
    target += queryGarbage(r, c);
    what.push('query');
  }
  const headers: string[] = [];
  if (route.auth || r.chance(0.05)) {
    const token = route.auth === 'admin' ? c.adminToken : c.agentToken;
    const auth = r.chance(0.75)
      ? `Bearer ${token}`
      : r.pick(['Bearer ', 'Basic YTpi', `bearer ${token}`, `Bearer ${'a'.repeat(r.int(17, 5000))}`, `Bearer ${token} x`, '']);
    if (!auth.startsWith('Bearer ') || auth !== `Bearer ${token}`) what.push('auth');
    headers.push(`Authorization: ${auth}`);
  }
  let body: Buffer | null = null;
  let type = route.body?.type;
  if (route.body || r.chance(0.1)) {
    body = route.body ? route.body.make(r, c) : askBody(r, c);
    if (r.chance(0.35)) {
      const m = mutateBody(r, body);
      body = m.body;
      what.push(m.what);
    }
  }
  if (body && r.chance(0.15)) {
    type = r.pick(CONTENT_TYPES);
    what.push(`type ${type.slice(0, 30)}`);
  }
  if (type !== undefined && body) headers.push(`Content-Type: ${type}`);
  headers.push(...headerGarbage(r, what));
  const head = method === 'HEAD';
  return { route: `${route.method} ${route.path}`, method, target, bytes: request(r, method, target, headers, body, what), head, what };
}

/** The request's bytes: Content-Length (or, now and then, chunked) for a body; `Connection: close` mostly. */
function request(r: Random, method: string, target: string, headers: string[], body: Buffer | null, what: string[]): Buffer {
  const lines = [`${method} ${target} HTTP/1.1`, 'Host: 127.0.0.1', ...headers];
  if (r.chance(0.9)) lines.push('Connection: close');
  if (!body) return Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
  if (r.chance(0.1)) {
    what.push('chunked');
    lines.push('Transfer-Encoding: chunked');
    const chunks: Buffer[] = [];
    for (let at = 0; at < body.length; ) {
      const n = Math.min(body.length - at, r.int(1, 4096));
      chunks.push(Buffer.from(`${n.toString(16)}\r\n`), body.subarray(at, at + n), Buffer.from('\r\n'));
      at += n;
    }
    return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), ...chunks, Buffer.from('0\r\n\r\n')]);
  }
  lines.push(`Content-Length: ${body.length}`);
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), body]);
}

function mutatePath(r: Random, path: string): string {
  const [p, q] = path.split('?') as [string, string | undefined];
  const at = r.int(1, p.length);
  let out: string;
  switch (r.int(0, 8)) {
    case 0:
      out = p.slice(0, at) + r.pick(PERCENT_GARBAGE) + p.slice(at);
      break;
    case 1:
      out = `${p}/${r.string(r.pick([201, 1000, 5000]))}`;
      break;
    case 2:
      out = `${p}/../${r.pick(['etc/passwd', '..', '.'])}`;
      break;
    case 3:
      out = `/${p}`;
      break;
    case 4:
      out = `${p}/`;
      break;
    case 5:
      out = p.toUpperCase();
      break;
    case 6:
      out = `${p}/${encodeURIComponent('医保中心').slice(0, r.int(1, 36))}`;
      break;
    case 7:
      out = p.replace(/\/[^/]*$/, `/${'%E5%8C%BB'.repeat(r.int(1, 100))}`);
      break;
    default:
      out = `${p};jsessionid=${r.string(8)}`;
  }
  return q === undefined ? out : `${out}?${q}`;
}

function queryGarbage(r: Random, c: FuzzContext): string {
  const sep = (s: string) => `?${s}`;
  switch (r.int(0, 7)) {
    case 0:
      return sep(r.pick(['', '=', '&&&', '=&=&', 'a', 'a=1&a=2&a=3']));
    case 1:
      return sep(`${r.pick(['%zz', '%', '%E4'])}=${r.pick(['%zz', '%', '1'])}`);
    case 2:
      return sep(`token=${c.agentToken}&token=x&%74oken=y`);
    case 3:
      return sep(`q=${r.string(r.pick([2000, 8000, 20000]))}`);
    case 4:
      return sep(`limit=${r.pick(['abc', '1e3', '-5', '9999999999999999999'])}&status[]=open&status=open`);
    case 5:
      return sep(`region=${encodeURIComponent(r.pick(c.regions))}&region=${r.string(50)}`);
    case 6:
      return sep('__proto__[x]=1&constructor[prototype][y]=2');
    default:
      return sep(`${r.string(5)}=${encodeURIComponent(r.pick(c.questions))}`);
  }
}

function headerGarbage(r: Random, what: string[]): string[] {
  const out: string[] = [];
  const add = (label: string, ...lines: string[]) => {
    what.push(label);
    out.push(...lines);
  };
  if (r.chance(0.04)) add('huge header', `X-Fuzz: ${'a'.repeat(r.int(4000, 20000))}`);
  if (r.chance(0.03)) add('many headers', ...Array.from({ length: r.int(100, 300) }, (_, i) => `X-H${i}: ${r.string(8)}`));
  if (r.chance(0.04)) add('request id', `X-Request-Id: ${r.pick(['', ' ', 'x'.repeat(2000), '../../etc', '\u00e9\u00e9'])}`);
  if (r.chance(0.04)) add('origin', `Origin: ${r.pick(['https://evil.example', 'null', '*', ''])}`);
  if (r.chance(0.03)) add('expect', `Expect: ${r.pick(['100-continue', 'something-else'])}`);
  if (r.chance(0.03)) add('content-encoding', `Content-Encoding: ${r.pick(['gzip', 'br', 'identity', 'x'])}`);
  if (r.chance(0.04)) add('accept', `Accept: ${r.pick(['application/json', 'text/html', '*/*', 'application/xml', '', 'x/y;q=abc'])}`);
  if (r.chance(0.02)) add('accept-encoding', `Accept-Encoding: ${r.pick(['gzip', 'br', 'deflate', '*', 'x'])}`);
  if (r.chance(0.02)) add('x-forwarded-for', `X-Forwarded-For: ${r.pick(['1.2.3.4', 'garbage', '::1, 10.0.0.1'])}`);
  if (r.chance(0.02)) add('range', `Range: ${r.pick(['bytes=0-10', 'bytes=-1', 'bytes=a-b', 'bytes=0-1,2-3'])}`);
  return out;
}

function mutateBody(r: Random, body: Buffer): { body: Buffer; what: string } {
  const s = body.toString();
  switch (r.int(0, 13)) {
    case 0:
      return { body: body.subarray(0, r.int(0, body.length - 1)), what: 'truncated body' };
    case 1: {
      const b = Buffer.from(body);
      for (let i = 0; i < r.int(1, 4); i++) b[r.int(0, b.length - 1)] = r.int(0, 255);
      return { body: b, what: 'flipped bytes' };
    }
    case 2:
      return { body: json({ text: r.pick([123, null, true, [], {}, ['a'], { a: 1 }]) }), what: 'text of a wrong type' };
    case 3:
      return { body: Buffer.from(r.pick(['null', '[]', '"text"', '42', 'true', '{}', ''])), what: 'not an object' };
    case 4:
      return { body: json({ text: r.pick(['', ' ', '\u3000', 'x'.repeat(501), '医'.repeat(501)]) }), what: 'text blank or long' };
    case 5:
      return { body: json({ text: '报销', sessionId: r.pick(['', 'a b', 'x'.repeat(129), 1, '../x']) }), what: 'bad sessionId' };
    case 6:
      return { body: json({ text: '报销', region: r.pick(['', 'x'.repeat(41), 7, ['包头']]) }), what: 'bad region' };
    case 7:
      return {
        body: Buffer.from(`{"text":"报销","__proto__":{"polluted":1},"constructor":{"prototype":{"p":1}}}`),
        what: 'prototype keys',
      };
    case 8:
      return { body: Buffer.from(`${'['.repeat(r.int(100, 20000))}${']'.repeat(r.int(0, 100))}`), what: 'deep nesting' };
    case 9:
      return { body: Buffer.alloc(r.int(64 * 1024 + 1, 300 * 1024), '{'), what: 'body over the limit' };
    case 10:
      return { body: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]), what: 'BOM' };
    case 11:
      return { body: Buffer.from(s, 'utf16le'), what: 'UTF-16' };
    case 12:
      return { body: r.bytes(r.int(1, 2000)), what: 'random bytes' };
    default:
      return { body: Buffer.from(`${s}${r.pick(['}', ',', ' trailing', '\u0000'])}`), what: 'trailing garbage' };
  }
}

/** A request of random parts: a method-like token, a random path, a few headers, maybe a body. */
function randomCase(r: Random): HttpCase {
  const method = r.chance(0.5) ? r.pick(METHODS) : r.string(r.int(1, 10), 'ABCDEFGHIJKLMNOPQRSTUVWXYZ-_');
  const segments = Array.from({ length: r.int(1, 5) }, () =>
    r.chance(0.3) ? r.pick(PERCENT_GARBAGE) : r.string(r.int(1, 20), "abcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:@"),
  );
  const target = `/${segments.join('/')}${r.chance(0.3) ? `?${r.string(r.int(1, 50), 'abc=&%+')}` : ''}`;
  const what = ['random request'];
  const body = r.chance(0.3) ? r.bytes(r.int(0, 500)) : null;
  return {
    route: '(random)',
    method,
    target,
    bytes: request(r, method, target, headerGarbage(r, what), body, what),
    head: method === 'HEAD',
    what,
  };
}

function sha1Sorted(parts: string[]): string {
  return createHash('sha1')
    .update([...parts].sort().join(''))
    .digest('hex');
}
