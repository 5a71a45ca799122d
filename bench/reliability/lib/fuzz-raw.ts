/**
 * Bytes no HTTP client library would send: malformed request lines and headers, smuggling shapes, other
 * protocols on the HTTP port, and malformed WebSocket handshakes. Each is sent once on its own connection.
 */
export interface RawCase {
  name: string;
  bytes: Buffer;
}

const KEY = 'dGhlIHNhbXBsZSBub25jZQ==';
const b = (s: string) => Buffer.from(s, 'latin1');
const upgrade = (path: string, extra: string[], method = 'GET') =>
  b(`${[`${method} ${path} HTTP/1.1`, 'Host: 127.0.0.1', ...extra].join('\r\n')}\r\n\r\n`);

export function rawCases(agentToken: string): RawCase[] {
  const ws = ['Upgrade: websocket', 'Connection: Upgrade'];
  return [
    { name: 'garbage line', bytes: b('GARBAGE\r\n\r\n') },
    { name: 'HTTP/9.9', bytes: b('GET / HTTP/9.9\r\nHost: x\r\n\r\n') },
    { name: 'HTTP/2.0 request line', bytes: b('GET / HTTP/2.0\r\nHost: x\r\n\r\n') },
    { name: 'HTTP/2 preface', bytes: b('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n') },
    { name: 'NUL in the target', bytes: b('GET /\x00 HTTP/1.1\r\nHost: x\r\n\r\n') },
    { name: 'space in the target', bytes: b('GET /a b HTTP/1.1\r\nHost: x\r\n\r\n') },
    { name: 'header line without colon', bytes: b('GET / HTTP/1.1\r\nHost: x\r\nbad header line\r\n\r\n') },
    { name: 'header name with a space', bytes: b('GET / HTTP/1.1\r\nHost: x\r\nBad Name: y\r\n\r\n') },
    { name: 'obs-fold header', bytes: b('GET / HTTP/1.1\r\nHost: x\r\nX-A: a\r\n b\r\n\r\n') },
    { name: 'bare LF line ends', bytes: b('GET /healthz HTTP/1.1\nHost: x\n\n') },
    { name: 'no Host in HTTP/1.1', bytes: b('GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n') },
    { name: 'two Host headers', bytes: b('GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n') },
    {
      name: 'two Content-Lengths',
      bytes: b(
        'POST /api/ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 14\r\nContent-Length: 15\r\n\r\n{"text":"报销"}',
      ),
    },
    {
      name: 'Content-Length and chunked',
      bytes: b(
        'POST /api/ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
      ),
    },
    {
      name: 'bad chunk size',
      bytes: b(
        'POST /api/ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n',
      ),
    },
    {
      name: 'chunked not last',
      bytes: b('POST /api/ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n'),
    },
    { name: 'negative Content-Length', bytes: b('POST /api/ask HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n') },
    { name: 'Content-Length not a number', bytes: b('POST /api/ask HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n') },
    {
      name: 'Content-Length shorter than the body',
      bytes: b('POST /api/ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 3\r\n\r\n{"text":"x"}'),
    },
    { name: 'header block over 16 KB', bytes: b(`GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`) },
    { name: 'request line over 16 KB', bytes: b(`GET /${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`) },
    { name: 'lowercase method', bytes: b('get /healthz HTTP/1.1\r\nHost: x\r\n\r\n') },
    { name: 'CONNECT', bytes: b('CONNECT 127.0.0.1:22 HTTP/1.1\r\nHost: 127.0.0.1:22\r\n\r\n') },
    { name: 'absolute-form target', bytes: b('GET http://evil.example/healthz HTTP/1.1\r\nHost: x\r\n\r\n') },
    { name: 'asterisk target', bytes: b('OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n') },
    { name: 'TLS ClientHello', bytes: Buffer.from('16030100a5010000a10303', 'hex') },
    { name: 'random bytes', bytes: Buffer.from(Array.from({ length: 256 }, (_, i) => (i * 7919 + 13) % 256)) },
    { name: 'handshake without Sec-WebSocket-Key', bytes: upgrade('/ws/chat', [...ws, 'Sec-WebSocket-Version: 13']) },
    { name: 'handshake with a bad key', bytes: upgrade('/ws/chat', [...ws, 'Sec-WebSocket-Version: 13', 'Sec-WebSocket-Key: short']) },
    { name: 'handshake with version 12', bytes: upgrade('/ws/chat', [...ws, 'Sec-WebSocket-Version: 12', `Sec-WebSocket-Key: ${KEY}`]) },
    { name: 'handshake without version', bytes: upgrade('/ws/chat', [...ws, `Sec-WebSocket-Key: ${KEY}`]) },
    {
      name: 'Upgrade without Connection: Upgrade',
      bytes: upgrade('/ws/chat', ['Upgrade: websocket', 'Sec-WebSocket-Version: 13', `Sec-WebSocket-Key: ${KEY}`]),
    },
    {
      name: 'Upgrade: h2c',
      bytes: upgrade('/ws/chat', ['Upgrade: h2c', 'Connection: Upgrade, HTTP2-Settings', 'HTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA']),
    },
    {
      name: 'POST with a handshake',
      bytes: upgrade('/ws/chat', [...ws, 'Sec-WebSocket-Version: 13', `Sec-WebSocket-Key: ${KEY}`], 'POST'),
    },
    {
      name: 'handshake with a bad subprotocol',
      bytes: upgrade('/ws/chat', [...ws, 'Sec-WebSocket-Version: 13', `Sec-WebSocket-Key: ${KEY}`, 'Sec-WebSocket-Protocol: a b,,']),
    },
    {
      name: 'handshake with bad extensions',
      bytes: upgrade('/ws/chat', [
        ...ws,
        'Sec-WebSocket-Version: 13',
        `Sec-WebSocket-Key: ${KEY}`,
        'Sec-WebSocket-Extensions: permessage-deflate; x=;;',
      ]),
    },
    {
      name: 'agent handshake without token',
      bytes: upgrade('/ws/agent', [...ws, 'Sec-WebSocket-Version: 13', `Sec-WebSocket-Key: ${KEY}`]),
    },
    {
      name: 'agent handshake with a bad token',
      bytes: upgrade('/ws/agent?token=not-a-token', [...ws, 'Sec-WebSocket-Version: 13', `Sec-WebSocket-Key: ${KEY}`]),
    },
    { name: 'agent handshake without key', bytes: upgrade(`/ws/agent?token=${agentToken}`, [...ws, 'Sec-WebSocket-Version: 13']) },
    { name: 'handshake to no route', bytes: upgrade('/ws/nowhere', [...ws, 'Sec-WebSocket-Version: 13', `Sec-WebSocket-Key: ${KEY}`]) },
    {
      name: 'handshake with a body',
      bytes: upgrade('/ws/chat', [...ws, 'Sec-WebSocket-Version: 13', `Sec-WebSocket-Key: ${KEY}`, 'Content-Length: 4']),
    },
  ];
}
