import { connect } from 'node:net';

/**
 * One HTTP exchange over a raw TCP socket: whatever bytes are given go out as they are (a malformed request
 * line, a bad handshake, a body over the limit), and the first response is read as it comes in — done once
 * its head and (by Content-Length or chunked) its body are in, or a 101, or the connection closes.
 */
export interface RawAnswer {
  /** answered: a status line came; closed: the server closed without one; reset: the connection failed; timeout: nothing in time. */
  outcome: 'answered' | 'closed' | 'reset' | 'timeout';
  status: number | null;
  headers: Record<string, string>;
  body: string;
  ms: number;
  /** The socket error, when there was one. */
  error?: string;
}

export interface RawOptions {
  port: number;
  host?: string;
  localAddress?: string;
  timeoutMs: number;
  /** The response to a HEAD request has no body whatever its Content-Length says. */
  head?: boolean;
}

export function exchange(data: Buffer, options: RawOptions): Promise<RawAnswer> {
  const started = performance.now();
  return new Promise((resolve) => {
    const socket = connect({
      port: options.port,
      host: options.host ?? '127.0.0.1',
      ...(options.localAddress && { localAddress: options.localAddress }),
    });
    let received = Buffer.alloc(0);
    let settled = false;
    let error: string | undefined;
    const finish = (outcome: RawAnswer['outcome']) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const parsed = parse(received, options.head ?? false);
      const answered = parsed.status !== null;
      resolve({
        outcome: answered ? 'answered' : outcome,
        status: parsed.status,
        headers: parsed.headers,
        body: parsed.body.toString('utf8'),
        ms: performance.now() - started,
        ...(error && { error }),
      });
    };
    const timer = setTimeout(() => finish('timeout'), options.timeoutMs);
    socket.on('connect', () => {
      socket.write(data, (err) => {
        if (err) error = err.message;
      });
    });
    socket.on('data', (d: Buffer) => {
      received = Buffer.concat([received, d]);
      if (parse(received, options.head ?? false).complete) finish('answered');
    });
    socket.on('error', (err) => {
      error = err.message;
      finish('reset');
    });
    socket.on('close', () => finish('closed'));
  });
}

interface Parsed {
  status: number | null;
  headers: Record<string, string>;
  body: Buffer;
  complete: boolean;
}

/** The first response in `buf`, as far as it has come. */
export function parse(buf: Buffer, head: boolean): Parsed {
  // An interim answer (100 Continue) comes before the response: skip it.
  while (/^HTTP\/1\.[01] 1(?!01)\d\d/.test(buf.subarray(0, 16).toString('latin1'))) {
    const interim = buf.indexOf('\r\n\r\n');
    if (interim < 0) return { status: null, headers: {}, body: Buffer.alloc(0), complete: false };
    buf = buf.subarray(interim + 4);
  }
  const end = buf.indexOf('\r\n\r\n');
  if (end < 0) return { status: null, headers: {}, body: Buffer.alloc(0), complete: false };
  const lines = buf.subarray(0, end).toString('latin1').split('\r\n');
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '');
  if (!m) return { status: null, headers: {}, body: Buffer.alloc(0), complete: false };
  const status = Number(m[1]);
  const headers: Record<string, string> = {};
  for (const line of lines.slice(1)) {
    const at = line.indexOf(':');
    if (at > 0) headers[line.slice(0, at).trim().toLowerCase()] = line.slice(at + 1).trim();
  }
  const rest = buf.subarray(end + 4);
  if (head || status === 101 || status === 204 || status === 304) return { status, headers, body: Buffer.alloc(0), complete: true };
  if (headers['transfer-encoding']?.toLowerCase().includes('chunked')) {
    const { body, complete } = dechunk(rest);
    return { status, headers, body, complete };
  }
  const length = headers['content-length'];
  if (length !== undefined) {
    const n = Number(length);
    return { status, headers, body: rest.subarray(0, n), complete: rest.length >= n };
  }
  return { status, headers, body: rest, complete: false };
}

function dechunk(buf: Buffer): { body: Buffer; complete: boolean } {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const eol = buf.indexOf('\r\n', at);
    if (eol < 0) return { body: Buffer.concat(parts), complete: false };
    const size = Number.parseInt(buf.subarray(at, eol).toString('latin1'), 16);
    if (!Number.isFinite(size)) return { body: Buffer.concat(parts), complete: true };
    if (size === 0) return { body: Buffer.concat(parts), complete: true };
    if (buf.length < eol + 2 + size + 2) return { body: Buffer.concat([...parts, buf.subarray(eol + 2)]), complete: false };
    parts.push(buf.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
}
