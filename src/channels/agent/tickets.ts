import type { FastifyPluginAsync } from 'fastify';
import { HlError } from '../../errors.js';
import type { HandoffDesk } from '../../handoff/desk.js';
import { TICKET_STATES, type TicketState } from '../../handoff/machine.js';
import type { KnowledgeStore } from '../../kb/store.js';
import { errorSchema } from '../schemas.js';
import { AGENT_ONLY, type AgentAccount, authenticate } from './auth.js';
import { toEntry } from './protocol.js';
import type { TicketTranscript } from './wire.js';
import { entrySchema, ticketSchema } from './wire-schema.js';

export interface TicketOptions {
  knowledge: KnowledgeStore;
  desk: HandoffDesk;
  accounts: readonly AgentAccount[];
}

/** The latest lines of a ticket's conversation an agent is shown; older ones are left out (`truncated`). */
export const TICKET_TRANSCRIPT_MAX = 200;

const ticketId = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', pattern: '^T\\d{6,}$', description: 'the ticket id the user was given', examples: ['T000123'] } },
} as const;

const oneTicket = {
  200: { type: 'object', required: ['ticket'], properties: { ticket: ticketSchema } },
  400: errorSchema,
  401: errorSchema,
  403: errorSchema,
  404: errorSchema,
  409: errorSchema,
} as const;

/**
 * Callback tickets for agents (Bearer agent token): list by status, claim, release, close with a
 * resolution, read the conversation a ticket came from. Refused changes (claiming a claimed ticket …)
 * answer 409 HL_ERR_BAD_TRANSITION.
 *
 * Who may read a ticket's conversation: any signed-in agent, whoever claimed it — tickets are the
 * agents' shared work, and the one who calls back needs what the citizen said first. A live chat's
 * transcript stays with the agent holding it (`/ws/agent`); a citizen never reads through these routes.
 */
export const ticketRoutes: FastifyPluginAsync<TicketOptions> = async (app, { desk, accounts }) => {
  app.decorateRequest('agentId', '');
  app.addHook('onRequest', async (request) => {
    request.agentId = authenticate(request, accounts).id;
  });

  app.get<{ Querystring: { status?: TicketState; limit?: string } }>(
    '/api/agent/tickets',
    {
      schema: {
        summary: 'Callback tickets',
        description: 'Newest first: the callback requests users left when nobody could take their chat.',
        ...AGENT_ONLY,
        querystring: {
          type: 'object',
          properties: {
            status: { type: 'string', enum: [...TICKET_STATES] },
            // Query values are strings (nothing is coerced): 1–500.
            limit: {
              type: 'string',
              pattern: '^(?:[1-9]\\d{0,1}|[1-4]\\d{2}|500)$',
              description: 'at most this many, 1–500 (default 200)',
            },
          },
        },
        response: {
          200: { type: 'object', required: ['tickets'], properties: { tickets: { type: 'array', items: ticketSchema } } },
          400: errorSchema,
          401: errorSchema,
          404: errorSchema,
        },
      },
    },
    async (request) => ({ tickets: await desk.listTickets(request.query.status, { limit: Number(request.query.limit ?? 200) }) }),
  );

  app.get<{ Params: { id: string } }>(
    '/api/agent/tickets/:id/transcript',
    {
      schema: {
        summary: 'The conversation a ticket came from (read-only)',
        description: `Any signed-in agent may read it (tickets are shared work); the latest ${TICKET_TRANSCRIPT_MAX} lines.`,
        ...AGENT_ONLY,
        params: ticketId,
        response: {
          200: {
            type: 'object',
            required: ['ticket', 'region', 'transcript', 'truncated'],
            properties: {
              ticket: ticketSchema,
              region: { type: ['string', 'null'] },
              transcript: { type: 'array', items: entrySchema },
              truncated: { type: 'boolean', description: 'older lines were left out' },
            },
          },
          401: errorSchema,
          404: errorSchema,
        },
      },
    },
    async (request): Promise<TicketTranscript> => {
      const ticket = await desk.getTicket(request.params.id);
      if (!ticket) throw new HlError('HL_ERR_TICKET_NOT_FOUND', [request.params.id]);
      const [lines, conversation] = await Promise.all([
        desk.transcript(ticket.sessionId, { limit: TICKET_TRANSCRIPT_MAX + 1 }),
        desk.conversation(ticket.sessionId),
      ]);
      const truncated = lines.length > TICKET_TRANSCRIPT_MAX;
      // Who read which citizen's conversation, for the record (the text itself is not logged).
      request.log.info({ agentId: request.agentId, ticket: ticket.id }, 'ticket transcript read');
      return {
        ticket,
        region: conversation?.region ?? ticket.region,
        transcript: (truncated ? lines.slice(1) : lines).map(toEntry),
        truncated,
      };
    },
  );

  app.post<{ Params: { id: string } }>(
    '/api/agent/tickets/:id/claim',
    {
      schema: {
        summary: 'Claim a ticket',
        description: 'Take an open ticket: 409 HL_ERR_BAD_TRANSITION when it is not open.',
        ...AGENT_ONLY,
        params: ticketId,
        response: oneTicket,
      },
    },
    async (request) => ({
      ticket: await desk.claimTicket(request.agentId, request.params.id),
    }),
  );

  app.post<{ Params: { id: string } }>(
    '/api/agent/tickets/:id/release',
    {
      schema: {
        summary: 'Give a claimed ticket back',
        description: 'Back to open; only the agent who claimed it (403 HL_ERR_AGENT_NOT_OWNER otherwise).',
        ...AGENT_ONLY,
        params: ticketId,
        response: oneTicket,
      },
    },
    async (request) => ({
      ticket: await desk.releaseTicket(request.agentId, request.params.id),
    }),
  );

  app.post<{ Params: { id: string }; Body: { resolution: string } }>(
    '/api/agent/tickets/:id/close',
    {
      schema: {
        summary: 'Close a ticket with a resolution',
        description: 'An open ticket, or one this agent claimed.',
        ...AGENT_ONLY,
        params: ticketId,
        body: {
          type: 'object',
          required: ['resolution'],
          properties: { resolution: { type: 'string', minLength: 1, maxLength: 200, description: 'what was done, 1–200 characters' } },
          examples: [{ resolution: '已回电：告知异地就医备案可在国家医保服务平台App办理' }],
        },
        response: oneTicket,
      },
    },
    async (request) => ({ ticket: await desk.closeTicket(request.agentId, request.params.id, request.body.resolution) }),
  );
};

declare module 'fastify' {
  interface FastifyRequest {
    agentId: string;
  }
}
