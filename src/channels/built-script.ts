import { readFile } from 'node:fs/promises';
import type { RouteHandlerMethod } from 'fastify';
import { HlError } from '../errors.js';

/**
 * A handler serving a browser script built by `npm run build` (the widget, the agents' console): read once,
 * then from memory; 503 HL_ERR_WIDGET_MISSING naming the file while it is not built.
 */
export function builtScript(file: string, cacheControl: string): RouteHandlerMethod {
  let body: Buffer | null = null;
  return async (_request, reply) => {
    if (!body) {
      try {
        body = await readFile(file);
      } catch {
        throw new HlError('HL_ERR_WIDGET_MISSING', [file]);
      }
    }
    return reply.type('application/javascript; charset=utf-8').header('cache-control', cacheControl).send(body);
  };
}
