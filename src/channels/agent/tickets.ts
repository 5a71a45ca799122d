import type { FastifyPluginAsync } from 'fastify';
import type { HandoffDesk } from '../../handoff/desk.js';
import { TICKET_STATES, type TicketState } from '../../handoff/machine.js';
import type { KnowledgeStore } from '../../kb/store.js';
import { type AgentAccount, authenticate } from './auth.js';

export interface TicketOptions {
  knowledge: KnowledgeStore;
  desk: HandoffDesk;
  accounts: readonly AgentAccount[];
}

const ticketId = { type: 'object', required: ['id'], properties: { id: { type: 'string', pattern: '^T\\d{6,}$' } } } as const;

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
        querystring: {
          type: 'object',
          properties: {
            status: { type: 'string', enum: [...TICKET_STATES] },
            // Query values are strings (nothing is coerced): 1–500.
            limit: { type: 'string', pattern: '^(?:[1-9]\\d{0,1}|[1-4]\\d{2}|500)$' },
          },
        },
      },
    },
    async (request) => ({ tickets: desk.listTickets(request.query.status, { limit: Number(request.query.limit ?? 200) }) }),
  );

  app.post<{ Params: { id: string } }>(
    '/api/agent/tickets/:id/claim',
    { schema: { summary: 'Claim a ticket', params: ticketId } },
    async (request) => ({
      ticket: desk.claimTicket(request.agentId, request.params.id),
    }),
  );

  app.post<{ Params: { id: string } }>(
    '/api/agent/tickets/:id/release',
    { schema: { summary: 'Give a claimed ticket back', params: ticketId } },
    async (request) => ({
      ticket: desk.releaseTicket(request.agentId, request.params.id),
    }),
  );

  app.post<{ Params: { id: string }; Body: { resolution: string } }>(
    '/api/agent/tickets/:id/close',
    {
      schema: {
        summary: 'Close a ticket with a resolution',
        params: ticketId,
        body: { type: 'object', required: ['resolution'], properties: { resolution: { type: 'string', minLength: 1, maxLength: 200 } } },
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
