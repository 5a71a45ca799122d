import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { HlError } from '../../errors.js';

export interface AgentAccount {
  id: string;
  token: string;
  /** What a citizen is shown for the agent (AGENT_TOKENS `id=name:token`; the id by default). */
  name: string;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * The agent a request is made by: its token from `Authorization: Bearer …`, or, for the console's
 * WebSocket (a browser cannot set headers on one), from the `token` query parameter. Tokens are compared
 * in constant time. Throws HL_ERR_AGENTS_DISABLED when no agent is configured, HL_ERR_AGENT_UNAUTHORIZED
 * when the token is missing or unknown.
 */
export function authenticate(request: FastifyRequest, accounts: readonly AgentAccount[]): AgentAccount {
  if (accounts.length === 0) throw new HlError('HL_ERR_AGENTS_DISABLED');
  const header = request.headers.authorization ?? '';
  const query = (request.query as { token?: unknown } | undefined)?.token;
  const given = header.startsWith('Bearer ') ? header.slice(7) : typeof query === 'string' ? query : '';
  const g = digest(given);
  let found: AgentAccount | null = null;
  for (const a of accounts) if (timingSafeEqual(g, digest(a.token)) && given !== '') found = a;
  if (!found) throw new HlError('HL_ERR_AGENT_UNAUTHORIZED');
  return found;
}

/** How an agent-only route is documented (OpenAPI): its group and the bearer token it needs. */
export const AGENT_ONLY = { tags: ['agents'], security: [{ agentToken: [] }] };
