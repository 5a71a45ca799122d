import WebSocket from 'ws';
import type { FuzzContext } from './fuzz-http.js';
import type { Random } from './stats.js';

/**
 * Fuzzed WebSocket sessions on `/ws/chat` and `/ws/agent`: bad JSON, binary, oversize and non-UTF-8
 * frames, fields of the wrong type, unknown types, and valid frames in orders the protocol does not expect
 * (cancel before handoff, a ticket before hello, accepting a chat nobody queued). A session ends with a
 * ping that must get its pong within the timeout, unless the session provoked a close or went over the
 * chat's rate limit on purpose.
 */
export interface Frame {
  data: string | Buffer;
  binary?: boolean;
  /** The server is expected to close the connection after it (1009 too big, 1007 not UTF-8). */
  closes?: boolean;
}

/** Sessions seen in `ready` frames, shared by the chat and agent sessions. */
export interface WsPool {
  sessions: { sessionId: string; resumeToken: string }[];
}

export interface SessionOutcome {
  channel: 'chat' | 'agent';
  frames: number;
  /** The upgrade was refused (a bad token): its status and body. */
  refused?: { status: number; body: string };
  received: Record<string, unknown>[];
  /** Server frames that were not JSON objects. */
  notJson: string[];
  /** How the connection closed, when the server closed it before we did. */
  serverClose?: { code: number; provoked: boolean };
  /** The final ping got no pong in time. */
  hang: boolean;
  /** The session went over the chat's rate limit on purpose (one HL_ERR_WS_RATE_LIMITED expected). */
  burst: boolean;
  error?: string;
}

const j = (v: unknown) => JSON.stringify(v);
const RATE = 10;

function commonGarbage(r: Random): Frame {
  switch (r.int(0, 11)) {
    case 0:
      return { data: '{"type":"message","id":' };
    case 1:
      return { data: r.pick(['null', '[]', '"hello"', '42', 'true', '', ' ', '{}']) };
    case 2:
      return { data: r.bytes(r.int(1, 200)), binary: true };
    case 3:
      return { data: j({ type: r.pick(['foo', 123, null, true, [], { a: 1 }, 'HELLO', 'ping ', '__proto__']) }) };
    case 4:
      return { data: '{"type":"ping","__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}}}' };
    case 5:
      return { data: `${'['.repeat(3000)}${']'.repeat(3000)}` };
    case 6:
      return { data: j({ type: 'ping', pad: 'x'.repeat(r.int(8200, 20000)) }), closes: true };
    case 7:
      return { data: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), binary: false, closes: true };
    case 8:
      return { data: j({ type: 'ping' }) };
    case 9:
      return { data: `${j({ type: 'ping' })}${j({ type: 'ping' })}` };
    case 10:
      return { data: j({ type: 'message', id: 'x', text: '报销' }).replace('message', 'MESSAGE') };
    default:
      return { data: '\u0000\u0001\u0002' };
  }
}

function chatFrame(r: Random, c: FuzzContext, pool: WsPool): Frame {
  const known = pool.sessions.length > 0 ? r.pick(pool.sessions) : undefined;
  switch (r.int(0, 13)) {
    case 0:
      return { data: j({ type: 'hello', ...(r.chance(0.5) && { region: r.pick(c.regions) }) }) };
    case 1:
      return { data: j({ type: 'hello', sessionId: known?.sessionId ?? 'x', resumeToken: r.chance(0.5) ? known?.resumeToken : 'stolen' }) };
    case 2:
      return {
        data: j({
          type: 'hello',
          sessionId: r.pick(['', 'a b', 'x'.repeat(129), 12, null, '../x']),
          resumeToken: r.pick([undefined, 'x'.repeat(65), 5]),
          region: r.pick([undefined, '', 'x'.repeat(41), 3]),
        }),
      };
    case 3:
    case 4:
      return { data: j({ type: 'message', id: `m${r.int(1, 1e6)}`, text: r.pick(c.questions) }) };
    case 5:
      return {
        data: j({
          type: 'message',
          id: r.pick([undefined, '', 'x'.repeat(65), 7, `m${r.int(1, 99)}`]),
          text: r.pick([undefined, '', '   ', 'x'.repeat(501), 5, { t: 1 }, '报销']),
        }),
      };
    case 6:
      return { data: j({ type: 'handoff' }) };
    case 7:
      return { data: j({ type: 'cancel' }) };
    case 8:
      return {
        data: j({
          type: 'ticket',
          id: `t${r.int(1, 1e6)}`,
          phone: r.pick([
            '13800138000',
            '0471-1234567',
            '１３８００１３８０００',
            '12345',
            '',
            'x'.repeat(41),
            13800138000,
            '+86 138 0013 8000',
          ]),
          question: r.pick(['请回电', '', ' ', 'x'.repeat(501), 9]),
        }),
      };
    case 9:
      return { data: j({ type: 'ping' }) };
    default:
      return commonGarbage(r);
  }
}

function agentFrame(r: Random, pool: WsPool): Frame {
  const sessionId =
    pool.sessions.length > 0 && r.chance(0.7) ? r.pick(pool.sessions).sessionId : r.pick(['nobody', '', 'a b', 'x'.repeat(129)]);
  const id = r.chance(0.5) ? { id: r.pick([`a${r.int(1, 1e6)}`, '', 'x'.repeat(65), 3]) } : {};
  switch (r.int(0, 11)) {
    case 0:
      return { data: j({ type: 'presence', status: r.pick(['online', 'away', 'busy', 1, null]), ...id }) };
    case 1:
    case 2:
      return { data: j({ type: 'accept', sessionId, ...id }) };
    case 3:
      return { data: j({ type: 'message', sessionId, text: r.pick(['您好，我是客服', '', 'x'.repeat(501), 4]), ...id }) };
    case 4:
      return { data: j({ type: r.pick(['return', 'release', 'transcript']), sessionId, ...id }) };
    case 5:
      return { data: j({ type: 'close', sessionId, resolution: r.pick(['已解答', '', 'x'.repeat(201), 2]), ...id }) };
    case 6:
      return { data: j({ type: 'ping', ...id }) };
    default:
      return commonGarbage(r);
  }
}

export interface SessionTarget {
  port: number;
  localAddress: string;
  timeoutMs: number;
}

/** One fuzzed session; `frames` is how many frames it sends before the closing ping. */
export async function fuzzSession(r: Random, c: FuzzContext, pool: WsPool, target: SessionTarget, frames: number): Promise<SessionOutcome> {
  const channel = r.chance(0.25) ? 'agent' : 'chat';
  const burst = channel === 'chat' && r.chance(0.05);
  const count = burst ? r.int(RATE + 2, RATE + 6) : channel === 'chat' ? Math.min(frames, RATE - 1) : frames;
  const out: SessionOutcome = { channel, frames: 0, received: [], notJson: [], hang: false, burst };
  let url = `ws://127.0.0.1:${target.port}/ws/${channel}`;
  const headers: Record<string, string> = {};
  if (channel === 'agent') {
    const roll = r.next();
    if (roll < 0.45) url += `?token=${c.agentToken}`;
    else if (roll < 0.9) headers.authorization = `Bearer ${c.agentToken}`;
    else if (roll < 0.95) url += `?token=${r.pick(['', 'wrong-token-0000000', '%zz'])}`;
  }
  const socket = new WebSocket(url, { headers, localAddress: target.localAddress, handshakeTimeout: target.timeoutMs });
  let provoked = false;
  let weClosed = false;
  const pongs: (() => void)[] = [];
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.on('message', (data) => {
    const text = data.toString();
    let f: unknown;
    try {
      f = JSON.parse(text);
    } catch {
      out.notJson.push(text.slice(0, 100));
      return;
    }
    if (typeof f !== 'object' || f === null || Array.isArray(f)) {
      out.notJson.push(text.slice(0, 100));
      return;
    }
    const frame = f as Record<string, unknown>;
    out.received.push(frame);
    if (frame.type === 'pong') pongs.shift()?.();
    if (frame.type === 'ready' && typeof frame.sessionId === 'string' && typeof frame.resumeToken === 'string') {
      pool.sessions.push({ sessionId: frame.sessionId, resumeToken: frame.resumeToken });
      if (pool.sessions.length > 300) pool.sessions.shift();
    }
  });
  socket.on('close', (code) => {
    if (!out.serverClose && !weClosed) out.serverClose = { code, provoked };
  });
  const opened = await new Promise<boolean>((resolve) => {
    socket.once('open', () => resolve(true));
    socket.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (d: Buffer) => {
        body += d.toString();
      });
      res.on('end', () => {
        out.refused = { status: res.statusCode ?? 0, body };
        resolve(false);
      });
      res.on('error', () => resolve(false));
    });
    socket.once('error', (err) => {
      out.error = err.message;
      resolve(false);
    });
  });
  if (!opened) {
    socket.terminate();
    return out;
  }
  for (let i = 0; i < count && socket.readyState === WebSocket.OPEN; i++) {
    const frame = channel === 'chat' ? chatFrame(r, c, pool) : agentFrame(r, pool);
    if (frame.closes) provoked = true;
    socket.send(frame.data, { binary: frame.binary ?? typeof frame.data !== 'string' });
    out.frames++;
    await new Promise((res) => setTimeout(res, r.int(0, 20)));
    if (frame.closes) break;
  }
  if (!provoked && !burst && socket.readyState === WebSocket.OPEN) {
    const pong = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), target.timeoutMs);
      pongs.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
    socket.send(j({ type: 'ping' }));
    out.hang = !(await pong);
  } else if (provoked) {
    await Promise.race([closed, new Promise((res) => setTimeout(res, target.timeoutMs))]);
  } else if (burst) {
    await new Promise((res) => setTimeout(res, 200));
  }
  weClosed = socket.readyState === WebSocket.OPEN;
  socket.close(1000);
  const forced = setTimeout(() => socket.terminate(), 2000);
  await closed;
  clearTimeout(forced);
  return out;
}
