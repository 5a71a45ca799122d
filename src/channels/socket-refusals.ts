import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ConnectionError, FastifyBaseLogger, FastifyInstance } from 'fastify';
import { ERRORS, type ErrorCode, HlError } from '../errors.js';

/**
 * Refusals written straight to a socket, where there is no request or reply to answer with: a request
 * Node's parser rejects or that times out (Fastify's `clientErrorHandler`), a WebSocket handshake `ws`
 * refuses. They carry the contract's error body like every other refusal (issue 12, defect 9).
 */

/** What Node's parser and timers report, as the contract's codes. */
function refusalOf(err: ConnectionError): { code: ErrorCode; message: string } {
  switch (err.code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return { code: 'HL_ERR_REQUEST_TIMEOUT', message: ERRORS.HL_ERR_REQUEST_TIMEOUT.message };
    case 'HPE_HEADER_OVERFLOW':
      return { code: 'HL_ERR_HEADERS_TOO_LARGE', message: ERRORS.HL_ERR_HEADERS_TOO_LARGE.message };
    default:
      return { code: 'HL_ERR_BAD_REQUEST', message: new HlError('HL_ERR_BAD_REQUEST', ['the request is not valid HTTP/1.1']).message };
  }
}

/**
 * Answer on the bare socket with a whole HTTP/1.1 response whose body is `{ error: { code, message } }`,
 * then close it; a socket that can no longer be written to is only closed.
 */
export function refuseOnSocket(socket: Duplex, code: ErrorCode, message: string, headers: Record<string, string> = {}): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const status = ERRORS[code].status;
  const body = JSON.stringify({ error: { code, message } });
  const head = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}`,
    'Connection: close',
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ];
  socket.once('finish', () => socket.destroy());
  socket.end(`${head.join('\r\n')}\r\n\r\n${body}`);
}

/**
 * Fastify's `clientErrorHandler`: malformed HTTP 400 HL_ERR_BAD_REQUEST, headers over Node's limit 431
 * HL_ERR_HEADERS_TOO_LARGE, a request not received within its timeout 408 HL_ERR_REQUEST_TIMEOUT. The
 * client's doing, so an info line without a stack. Nothing is written when the client is already gone, or
 * when a response to the request has begun (another would corrupt it): the socket is only closed.
 */
export function clientErrorHandler(this: FastifyInstance, err: ConnectionError, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const { code, message } = refusalOf(err);
  this.log.info({ code, cause: err.code }, 'client error refused');
  const inFlight = (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (inFlight?.headersSent) {
    socket.destroy();
    return;
  }
  refuseOnSocket(socket, code, message);
}

/**
 * ws's `wsClientError` listener: a handshake ws refuses (an Upgrade that is not websocket, a missing or
 * invalid Sec-WebSocket-Key, a Sec-WebSocket-Version other than 13 or 8, a malformed subprotocol list) gets
 * 400 HL_ERR_WS_BAD_HANDSHAKE, where ws, with no listener, wrote plain text. ws's checks still decide; only
 * the answer is the contract's. The versions spoken are named, as RFC 6455 asks.
 */
export function handshakeRefusal(log: FastifyBaseLogger) {
  return (err: Error, socket: Duplex): void => {
    log.info({ code: 'HL_ERR_WS_BAD_HANDSHAKE', reason: err.message }, 'websocket handshake refused');
    const message = new HlError('HL_ERR_WS_BAD_HANDSHAKE', [err.message]).message;
    refuseOnSocket(socket, 'HL_ERR_WS_BAD_HANDSHAKE', message, { 'Sec-WebSocket-Version': '13, 8' });
  };
}
