import { type FastifyReply, type FastifyRequest, LogController } from 'fastify';

declare module 'fastify' {
  interface FastifyRequest {
    /** What the request's one `info` line says besides the request and the response (an answer's type and intent, a refusal's code). */
    logged: Record<string, unknown> | null;
  }
}

/**
 * One line per request at `info` (issue 14: three per ask — incoming, answered, completed): when it has been
 * answered, with its method and (masked) URL, status, time and what the route added to `request.logged`. The
 * incoming line is `debug`, except for a WebSocket upgrade, whose reply never completes as a response: its
 * incoming line is its one line.
 */
export class RequestLog extends LogController {
  override incomingRequest(request: FastifyRequest): void {
    if (request.raw.headers.upgrade !== undefined) request.log.info({ req: request }, 'incoming request');
    else request.log.debug({ req: request }, 'incoming request');
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (error) {
      reply.log.error({ req: request, res: reply, err: error, responseTime: reply.elapsedTime }, 'request errored');
      return;
    }
    const logged = request.logged;
    reply.log.info({ req: request, res: reply, responseTime: reply.elapsedTime, ...logged }, 'request completed');
  }
}
