import type { FastifyPluginAsync } from 'fastify';
import type { HandoffDesk } from '../../handoff/desk.js';
import { TICKET_STATES, type TicketState } from '../../handoff/machine.js';
import type { KnowledgeStore } from '../../kb/store.js';
import { errorSchema } from '../schemas.js';
import { AGENT_ONLY, type AgentAccount, authenticate } from './auth.js';
import { ticketSchema } from './wire-schema.js';

export interface TicketOptions {
  knowledge: KnowledgeStore;
  desk: HandoffDesk;
  accounts: readonly AgentAccount[];
}

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
 * resolution. Refused changes (claiming a claimed ticket …) answer 409 HL_ERR_BAD_TRANSITION.
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
    async (request) => ({ tickets: desk.listTickets(request.query.status, { limit: Number(request.query.limit ?? 200) }) }),
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
      ticket: desk.claimTicket(request.agentId, request.params.id),
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
      ticket: desk.releaseTicket(request.agentId, request.params.id),
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
    async (request) => ({ ticket: desk.closeTicket(request.agentId, request.params.id, request.body.resolution) }),
  );
};

declare module 'fastify' {
  interface FastifyRequest {
    agentId: string;
  }
}
