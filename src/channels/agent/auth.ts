import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { type ErrorCode, HlError } from '../../errors.js';

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
export function authenticate(request: FastifyRequest, accounts: readonly AgentAccount[], role: Role = AGENTS): AgentAccount {
  if (accounts.length === 0) throw new HlError(role.disabled);
  const header = request.headers.authorization ?? '';
  const query = role.queryToken ? (request.query as { token?: unknown } | undefined)?.token : undefined;
  const given = header.startsWith('Bearer ') ? header.slice(7) : typeof query === 'string' ? query : '';
  const g = digest(given);
  let found: AgentAccount | null = null;
  for (const a of accounts) if (timingSafeEqual(g, digest(a.token)) && given !== '') found = a;
  if (!found) throw new HlError(role.unauthorized);
  return found;
}

/** Who signs in with a list of accounts: the codes their refusals carry, and whether a `token` query parameter counts. */
export interface Role {
  disabled: ErrorCode;
  unauthorized: ErrorCode;
  queryToken: boolean;
}

/** Hotline agents (AGENT_TOKENS): the console's WebSocket gives its token in the query. */
export const AGENTS: Role = { disabled: 'HL_ERR_AGENTS_DISABLED', unauthorized: 'HL_ERR_AGENT_UNAUTHORIZED', queryToken: true };

/** The bureau's operators (OPERATOR_TOKENS): the desk's routes are HTTP only, the token in the header. */
export const OPERATORS: Role = { disabled: 'HL_ERR_OPS_DISABLED', unauthorized: 'HL_ERR_OPS_UNAUTHORIZED', queryToken: false };

/** How an agent-only route is documented (OpenAPI): its group and the bearer token it needs. */
export const AGENT_ONLY = { tags: ['agents'], security: [{ agentToken: [] }] };
