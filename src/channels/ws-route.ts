import type { WebsocketHandler } from '@fastify/websocket';
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import { HlError } from '../errors.js';

/** The plain-HTTP side of a WebSocket route: 426 HL_ERR_UPGRADE_REQUIRED, saying which upgrade it takes. */
async function upgradeRequired(_request: FastifyRequest, reply: FastifyReply): Promise<never> {
  reply.header('upgrade', 'websocket');
  throw new HlError('HL_ERR_UPGRADE_REQUIRED');
}

/**
 * A WebSocket route: an upgrade runs `onSocket` (after the route's `onRequest`, e.g. an auth check that
 * refuses before the upgrade); a plain GET gets the contract's 426, where `{ websocket: true }` answered an
 * empty 404 (issue 12, defect 9). Hidden from the OpenAPI document, as `{ websocket: true }` routes are.
 */
export function wsRoute(
  app: FastifyInstance,
  url: string,
  options: { onRequest?: onRequestAsyncHookHandler },
  onSocket: WebsocketHandler,
): void {
  app.route({ method: 'GET', url, schema: { hide: true }, ...options, handler: upgradeRequired, wsHandler: onSocket });
}
