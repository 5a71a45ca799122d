/**
 * Issue 13, item 6: from a callback ticket, an agent opens the conversation it came from, read-only
 * (`GET /api/agent/tickets/:id/transcript`). Any signed-in agent may read it — tickets are shared work —
 * while a live chat's transcript stays with the agent holding it, and nobody else reads either.
 */
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { buildApp, buildAssistant } from '../../src/app.js';
import { TICKET_TRANSCRIPT_MAX } from '../../src/channels/agent/tickets.js';
import { loadConfig } from '../../src/config.js';
import { KnowledgeStore } from '../../src/kb/store.js';
import { MemoryStore } from '../../src/store/index.js';
import { build } from '../helpers/app.js';
import { frames } from '../helpers/frames.js';
import { projectKnowledge } from '../helpers/knowledge.js';

const ALICE = 'alice-token-0123456789';
const BOB = 'bob-token-0123456789ab';
const AGENTS = { AGENT_TOKENS: `alice:${ALICE},bob:${BOB}` };
const as = (token: string) => ({ authorization: `Bearer ${token}` });

const sockets: WebSocket[] = [];
afterEach(() => {
  for (const s of sockets.splice(0)) s.terminate();
});

async function listen(): Promise<{ app: FastifyInstance; base: string }> {
  const { app } = await build(AGENTS);
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, base: `127.0.0.1:${(app.server.address() as { port: number }).port}` };
}

async function connect(url: string) {
  const socket = new WebSocket(url);
  sockets.push(socket);
  const f = frames(socket);
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  return { socket, f, send: (frame: object) => socket.send(JSON.stringify(frame)) };
}

/** A citizen who asks the bot one question and leaves a callback ticket: its id, session and resume token. */
async function ticketFrom(base: string): Promise<{ id: string; sessionId: string; resumeToken: string }> {
  const c = await connect(`ws://${base}/ws/chat`);
  c.send({ type: 'hello', region: '包头' });
  const ready = await c.f.next('ready');
  c.send({ type: 'message', id: 'm1', text: '高血压一次能开几个月的药？' });
  await c.f.next('reply');
  c.send({ type: 'ticket', id: 't1', phone: '13804712345', question: '请回电说明慢性病备案' });
  const ticket = await c.f.next('ticket');
  return { id: ticket.id as string, sessionId: ready.sessionId as string, resumeToken: ready.resumeToken as string };
}

describe('a ticket’s conversation', () => {
  it('is read by any signed-in agent, claimed or not, with the bot’s answers and their sources', async () => {
    const { app, base } = await listen();
    const { id, sessionId } = await ticketFrom(base);
    expect((await app.inject({ method: 'POST', url: `/api/agent/tickets/${id}/claim`, headers: as(ALICE) })).statusCode).toBe(200);

    // Bob did not claim it and reads it all the same: the one who calls back needs what was said first.
    const res = await app.inject({ url: `/api/agent/tickets/${id}/transcript`, headers: as(BOB) });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.ticket).toMatchObject({ id, sessionId, status: 'claimed', claimedBy: 'alice', phone: '13804712345' });
    expect(body.region).toBe('包头');
    expect(body.truncated).toBe(false);
    const lines = body.transcript as { role: string; text: string; reply?: { citations: { notice: string }[] } }[];
    expect(lines.map((l) => l.role)).toEqual(['user', 'bot', 'system']);
    expect(lines[0]?.text).toBe('高血压一次能开几个月的药？');
    expect(lines[1]?.reply?.citations[0]?.notice).toBe('baotou-2022-10-08');
    expect(lines[2]?.text).toContain(id);
  });

  it('refuses anyone who is not a signed-in agent: no token, a wrong one, the citizen’s own resume token', async () => {
    const { app, base } = await listen();
    const { id, resumeToken, sessionId } = await ticketFrom(base);
    for (const headers of [{}, as('not-an-agent-token-0000'), as(resumeToken), as(sessionId)]) {
      const res = await app.inject({ url: `/api/agent/tickets/${id}/transcript`, headers });
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('HL_ERR_AGENT_UNAUTHORIZED');
      expect(res.body).not.toContain('高血压');
    }
    // The query-string token the console's socket uses is an agent's only: a citizen's is refused there too.
    const viaQuery = await app.inject({ url: `/api/agent/tickets/${id}/transcript?token=${encodeURIComponent(resumeToken)}` });
    expect(viaQuery.statusCode).toBe(401);
  });

  it('is off with the other agent routes when no agent is configured', async () => {
    const { app } = await build();
    const res = await app.inject({ url: '/api/agent/tickets/T000001/transcript' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('HL_ERR_AGENTS_DISABLED');
  });

  it('answers an unknown ticket with HL_ERR_TICKET_NOT_FOUND and a malformed id with HL_ERR_BAD_REQUEST', async () => {
    const { app } = await build(AGENTS);
    const unknown = await app.inject({ url: '/api/agent/tickets/T999999/transcript', headers: as(ALICE) });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('HL_ERR_TICKET_NOT_FOUND');
    const malformed = await app.inject({ url: '/api/agent/tickets/..%2Fsecret/transcript', headers: as(ALICE) });
    expect(malformed.statusCode).toBe(400);
  });

  it(`keeps the latest ${TICKET_TRANSCRIPT_MAX} lines of a long conversation and says older ones were left out`, async () => {
    const store = new MemoryStore();
    const config = loadConfig(AGENTS);
    const knowledge = new KnowledgeStore(projectKnowledge);
    await knowledge.reload();
    const app = await buildApp({ config, knowledge, assistant: await buildAssistant(config), logger: false, store });
    try {
      for (let i = 0; i < TICKET_TRANSCRIPT_MAX + 5; i++)
        await store.appendTranscript({ sessionId: 's-long', role: 'user', text: `第${i}句`, at: i });
      const ticket = await store.createTicket({ sessionId: 's-long', phone: '13804712345', question: '回电', region: null, createdAt: 1 });
      const body = (await app.inject({ url: `/api/agent/tickets/${ticket.id}/transcript`, headers: as(ALICE) })).json();
      expect(body.truncated).toBe(true);
      expect(body.transcript).toHaveLength(TICKET_TRANSCRIPT_MAX);
      expect(body.transcript.at(-1).text).toBe(`第${TICKET_TRANSCRIPT_MAX + 4}句`);
    } finally {
      await app.close();
    }
  });
});

describe('a live chat’s transcript', () => {
  it('stays with the agent holding the chat: another agent asking for it is refused', async () => {
    const { base } = await listen();
    const alice = await connect(`ws://${base}/ws/agent?token=${ALICE}`);
    await alice.f.next('welcome');
    const citizen = await connect(`ws://${base}/ws/chat`);
    citizen.send({ type: 'handoff' });
    const chat = await alice.f.next('chat');
    const bob = await connect(`ws://${base}/ws/agent?token=${BOB}`);
    await bob.f.next('welcome');
    bob.send({ type: 'transcript', sessionId: chat.sessionId, id: 'x' });
    expect(await bob.f.next('error')).toMatchObject({ code: 'HL_ERR_AGENT_NOT_OWNER', replyTo: 'x' });
  });
});
