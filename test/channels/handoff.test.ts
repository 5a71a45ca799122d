/**
 * The human handoff end to end, through real WebSocket clients on loopback: a citizen's chat, an agent's
 * console, the callback tickets and the agent-only HTTP routes.
 */
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { buildApp, buildAssistant } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { KnowledgeStore } from '../../src/kb/store.js';
import { build } from '../helpers/app.js';
import { type Frame, frames } from '../helpers/frames.js';
import { projectKnowledge } from '../helpers/knowledge.js';

const ALICE = 'alice-token-0123456789';
const BOB = 'bob-token-0123456789ab';
const AGENTS = { AGENT_TOKENS: `alice:${ALICE},bob:${BOB}` };

async function listen(env: Record<string, string> = AGENTS): Promise<{ app: FastifyInstance; base: string }> {
  const { app } = await build(env);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as { port: number };
  return { app, base: `127.0.0.1:${port}` };
}

async function connect(url: string) {
  const socket = new WebSocket(url);
  const f = frames(socket);
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  return { socket, f, send: (frame: object) => socket.send(JSON.stringify(frame)) };
}

const citizen = async (base: string, hello: object = {}) => {
  const c = await connect(`ws://${base}/ws/chat`);
  c.send({ type: 'hello', ...hello });
  const ready = await c.f.next('ready');
  return { ...c, sessionId: ready.sessionId as string, resumeToken: ready.resumeToken as string };
};

const agent = async (base: string, token = ALICE) => {
  const a = await connect(`ws://${base}/ws/agent?token=${token}`);
  const welcome = await a.f.next('welcome');
  await a.f.next('queue');
  return { ...a, welcome };
};

/** Waits for the handoff frame of an event, passing over the others (queued before assigned …). */
async function handoffEvent(f: ReturnType<typeof frames>, event: string): Promise<Frame> {
  for (;;) {
    const h = await f.next('handoff');
    if (h.event === event) return h;
  }
}

/** Waits for the queue frame that lists (or no longer lists) a session. */
async function queueWith(f: ReturnType<typeof frames>, sessionId: string, present = true): Promise<Frame> {
  for (;;) {
    const q = await f.next('queue');
    const has = (q.items as { sessionId: string }[]).some((i) => i.sessionId === sessionId);
    if (has === present) return q;
  }
}

describe('the agents’ WebSocket', () => {
  it('forgets a console once it closes, however many come and go (issue 12: a leak per console connection)', async () => {
    const { app, base } = await listen();
    for (let i = 0; i < 20; i++) {
      const a = await agent(base, i % 2 === 0 ? ALICE : BOB);
      a.socket.close();
      await new Promise((resolve) => a.socket.once('close', resolve));
    }
    const open = await agent(base);
    const consoles = async () => {
      const text = (await app.inject({ url: '/metrics' })).body;
      return Number(/^hl_agent_consoles (\d+)/m.exec(text)?.[1]);
    };
    // The server sees a close a moment after the client: wait until only the open console is left.
    for (let i = 0; i < 50 && (await consoles()) !== 1; i++) await new Promise((r) => setTimeout(r, 20));
    expect(await consoles()).toBe(1);
    open.socket.close();
  });

  it('refuses a bad or missing token with 401 before the upgrade', async () => {
    const { base } = await listen();
    for (const url of [`ws://${base}/ws/agent?token=wrong-token-000000000`, `ws://${base}/ws/agent`]) {
      const socket = new WebSocket(url);
      const status = await new Promise<number>((resolve) => {
        socket.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        socket.once('open', () => resolve(101));
      });
      expect(status).toBe(401);
    }
  });

  it('is off, with its own code, when no agent token is configured', async () => {
    const { app } = await build();
    const res = await app.inject({ method: 'POST', url: '/api/assist', payload: { text: '透析' } });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('HL_ERR_AGENTS_DISABLED');
  });
});

/** The app listening on loopback with its log lines collected (info and above). */
async function logged(env: Record<string, string>): Promise<{ app: FastifyInstance; lines: string[]; port: number }> {
  const lines: string[] = [];
  const config = loadConfig({ ...env, LOG_LEVEL: 'info' });
  const knowledge = new KnowledgeStore(projectKnowledge);
  await knowledge.reload();
  const app = await buildApp({
    config,
    knowledge,
    assistant: await buildAssistant(config),
    logger: { level: 'info', stream: { write: (line: string) => void lines.push(line) } },
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, lines, port: (app.server.address() as { port: number }).port };
}

describe('the request log', () => {
  it('never holds an agent token, even from the console’s query string', async () => {
    const { app, lines, port } = await logged({ ...AGENTS });
    try {
      const a = await agent(`127.0.0.1:${port}`);
      a.socket.close();
      expect(lines.join('')).toContain('/ws/agent?token=***');
      // The name spelled another way reaches the route all the same: it is masked all the same (issue 12).
      const encoded = new WebSocket(`ws://127.0.0.1:${port}/ws/agent?%74oken=${BOB}`);
      await new Promise((resolve) => encoded.once('open', resolve));
      encoded.close();
      await new Promise((resolve) => encoded.once('close', resolve));
      expect(lines.join('')).toContain('/ws/agent?%74oken=***');
      expect(lines.join('')).not.toContain(ALICE);
      expect(lines.join('')).not.toContain(BOB);
    } finally {
      await app.close();
    }
  });
});

describe('the log of a client’s bad frame', () => {
  it('is one warn line without a stack, never an error (issue 12: every 1009 close logged an error with its stack)', async () => {
    const { app, lines, port } = await logged({ WS_MAX_FRAME_BYTES: '256' });
    try {
      const socket = new WebSocket(`ws://127.0.0.1:${port}/ws/chat`);
      await new Promise((resolve) => socket.once('open', resolve));
      socket.send('x'.repeat(1024));
      const code = await new Promise<number>((resolve) => socket.once('close', resolve));
      expect(code).toBe(1009);
      await new Promise((r) => setTimeout(r, 50));
      const records = lines.map((l) => JSON.parse(l) as { level: number; msg?: string });
      expect(records.filter((r) => r.level >= 50)).toEqual([]);
      expect(records.some((r) => r.level === 40)).toBe(true);
      expect(lines.join('')).not.toContain('"stack"');
    } finally {
      await app.close();
    }
  });
});

describe('an agent console that went dead', () => {
  it('is dropped when it stops answering the heartbeat, while one that answers stays', async () => {
    const { base } = await listen({ ...AGENTS, WS_HEARTBEAT_MS: '150' });
    const silent = new WebSocket(`ws://${base}/ws/agent?token=${ALICE}`, { autoPong: false });
    const answering = new WebSocket(`ws://${base}/ws/agent?token=${BOB}`);
    await Promise.all([silent, answering].map((s) => new Promise((r) => s.once('open', r))));
    await new Promise<void>((resolve) => silent.once('close', () => resolve()));
    expect(answering.readyState).toBe(WebSocket.OPEN);
    answering.close();
  });
});

describe('an agent console flooding the server', () => {
  it('gets rate-limit errors past AGENT_RATE_MESSAGES per window, and the connection stays usable', async () => {
    const { base } = await listen({ ...AGENTS, AGENT_RATE_MESSAGES: '5', WS_RATE_WINDOW_MS: '60000' });
    const a = await agent(base);
    for (let i = 0; i < 7; i++) a.send({ type: 'ping' });
    for (let i = 0; i < 5; i++) await a.f.next('pong');
    expect((await a.f.next('error')).code).toBe('HL_ERR_WS_RATE_LIMITED');
    expect(a.socket.readyState).toBe(WebSocket.OPEN);
    a.socket.close();
  });
});

describe('a chat handed over to a person', () => {
  it('queues the user, lets an agent accept, relays both ways with the bot silent, and returns to the bot', async () => {
    const { base } = await listen();
    const alice = await agent(base);
    expect(alice.welcome).toMatchObject({ agent: 'alice', capacity: 3, presence: 'online', chats: [] });
    // Away: no chat is given automatically, so the user waits in the queue.
    alice.send({ type: 'presence', status: 'away' });
    const user = await citizen(base, { region: '大连' });
    user.send({ type: 'message', id: 'm1', text: '大连透析审核怎么办？' });
    expect(((await user.f.next('reply')).reply as { type: string }).type).toBe('answer');
    user.send({ type: 'handoff' });
    // An away agent takes no chat: nobody is there, so the user gets the hotline and a callback offer.
    const first = await user.f.next('handoff');
    expect(first).toMatchObject({ event: 'unavailable', offerTicket: true });
    expect(first.text).toContain('83709222');

    alice.send({ type: 'presence', status: 'online' });
    await new Promise((r) => setTimeout(r, 50));
    user.send({ type: 'handoff' });
    const assigned = await handoffEvent(user.f, 'assigned');
    // Alice is online with free capacity: the chat is hers at once.
    expect(assigned.state).toBe('agent');
    const chat = await alice.f.next('chat');
    expect(chat.sessionId).toBe(user.sessionId);
    const transcript = chat.transcript as { role: string; text: string; reply?: { citations: unknown[] } }[];
    expect(transcript.map((e) => e.role)).toEqual(expect.arrayContaining(['user', 'bot', 'system']));
    expect(transcript.find((e) => e.role === 'bot')?.reply?.citations.length).toBeGreaterThan(0);

    // The user writes: the bot stays silent (ack, no reply); Alice sees it with the bot's suggestion.
    user.send({ type: 'message', id: 'm2', text: '透析的审核要多久？' });
    expect(await user.f.next('ack')).toMatchObject({ replyTo: 'm2', state: 'agent' });
    const said = await alice.f.next('user');
    expect((said.entry as { text: string }).text).toBe('透析的审核要多久？');
    expect((said.suggestion as { citations: { notice: string }[] }).citations[0]?.notice).toBe('dalian-2020-02-20');
    expect(user.f.queue.some((f) => f.type === 'reply')).toBe(false);

    alice.send({ type: 'message', sessionId: user.sessionId, text: '您好，透析审核已改为自动通过。' });
    expect((await user.f.next('agent')).text).toBe('您好，透析审核已改为自动通过。');
    expect(((await alice.f.next('entry')).entry as { role: string }).role).toBe('agent');

    alice.send({ type: 'return', sessionId: user.sessionId });
    expect(await alice.f.next('ended')).toMatchObject({ sessionId: user.sessionId, reason: 'returned' });
    expect(await user.f.next('handoff')).toMatchObject({ state: 'bot', event: 'returned' });
    user.send({ type: 'message', id: 'm3', text: '大连的医保热线是多少？' });
    expect(((await user.f.next('reply')).reply as { type: string }).type).toBe('answer');
    user.socket.close();
    alice.socket.close();
  });

  it('names the agent to the citizen by their display name, with the time of the message (issue 13, item 6)', async () => {
    const { base } = await listen({ AGENT_TOKENS: `alice=王芳:${ALICE},bob:${BOB}`, AGENT_CAPACITY: '1' });
    const alice = await agent(base);
    const bob = await agent(base, BOB);
    expect([alice.welcome.name, bob.welcome.name]).toEqual(['王芳', 'bob']);
    const one = await citizen(base);
    one.send({ type: 'handoff' });
    const two = await citizen(base);
    two.send({ type: 'handoff' });
    await handoffEvent(one.f, 'assigned');
    await handoffEvent(two.f, 'assigned');
    const [a, b] = [await alice.f.next('chat'), await bob.f.next('chat')];
    const before = Date.now();
    alice.send({ type: 'message', sessionId: a.sessionId, text: '您好，我是王芳。' });
    bob.send({ type: 'message', sessionId: b.sessionId, text: '您好。' });
    const fromAlice = await (a.sessionId === one.sessionId ? one : two).f.next('agent');
    const fromBob = await (b.sessionId === one.sessionId ? one : two).f.next('agent');
    expect(fromAlice).toMatchObject({ text: '您好，我是王芳。', agent: { name: '王芳' } });
    // An entry without a display name is shown by its id, as before.
    expect(fromBob).toMatchObject({ text: '您好。', agent: { name: 'bob' } });
    for (const f of [fromAlice, fromBob]) {
      expect(f.at).toBeGreaterThanOrEqual(before);
      expect(f.at).toBeLessThanOrEqual(Date.now());
    }
    for (const s of [one, two, alice, bob]) s.socket.close();
  });

  it('tells a queued user their place and wait, moves them up, and lets them cancel back to the bot', async () => {
    const { base } = await listen();
    const alice = await agent(base);
    const one = await citizen(base);
    one.send({ type: 'handoff' });
    await alice.f.next('chat');
    // Capacity is 3 by default; take two more so the next users must wait.
    const two = await citizen(base);
    two.send({ type: 'handoff' });
    await alice.f.next('chat');
    const three = await citizen(base);
    three.send({ type: 'handoff' });
    await alice.f.next('chat');

    const four = await citizen(base);
    four.send({ type: 'handoff' });
    const queued = await four.f.next('handoff');
    expect(queued).toMatchObject({ state: 'queued', event: 'queued', position: 1 });
    expect(queued.estimatedWaitMs).toEqual(expect.any(Number));
    expect(queued.text).toMatch(/预计等待约\d+分钟/);
    const five = await citizen(base);
    five.send({ type: 'handoff' });
    expect(await five.f.next('handoff')).toMatchObject({ state: 'queued', position: 2 });
    const q = await queueWith(alice.f, five.sessionId);
    expect((q.items as { sessionId: string; position: number }[]).map((i) => i.sessionId)).toEqual([four.sessionId, five.sessionId]);

    // Four gives up waiting: five moves up, and four is back with the bot.
    four.send({ type: 'cancel' });
    expect(await handoffEvent(four.f, 'cancelled')).toMatchObject({ state: 'bot' });
    expect(await handoffEvent(five.f, 'position')).toMatchObject({ position: 1 });
    four.send({ type: 'message', id: 'x', text: '包头高血压能开几个月的药？' });
    expect(((await four.f.next('reply')).reply as { type: string }).type).toBe('answer');

    // Alice closes a chat with a resolution: five gets her.
    alice.send({ type: 'close', sessionId: one.sessionId, resolution: 'answered' });
    expect(await handoffEvent(one.f, 'resolved')).toMatchObject({ state: 'closed' });
    expect(await handoffEvent(five.f, 'assigned')).toMatchObject({ state: 'agent' });
    // A transcript Alice does not hold is refused.
    alice.send({ type: 'transcript', id: 'tr1', sessionId: four.sessionId });
    expect(await alice.f.next('error')).toMatchObject({ code: 'HL_ERR_AGENT_NOT_OWNER', replyTo: 'tr1' });
    for (const c of [one, two, three, four, five, alice]) c.socket.close();
  });

  it('says nobody is there once, after the bot’s reply, worded for a region with and without a hotline (issue 13)', async () => {
    const { base } = await listen();
    for (const [hello, note] of [
      [{ region: '大连' }, /^目前没有人工客服在线。您可以拨打大连.*83709222，也可以留下电话号码和问题/],
      [{}, /^目前没有人工客服在线。您可以留下电话号码和问题，工作人员会给您回电。$/],
    ] as const) {
      const user = await citizen(base, hello);
      const order: string[] = [];
      user.socket.on('message', (d) => order.push(JSON.parse(d.toString()).type));
      user.send({ type: 'message', id: 'h', text: '我要转人工' });
      const reply = (await user.f.next('reply')).reply as { type: string; text: string };
      const nobody = await user.f.next('handoff');
      expect(reply.type).toBe('handoff');
      expect(reply.text).not.toContain('目前没有人工客服在线');
      expect(nobody).toMatchObject({ event: 'unavailable', reason: 'no-agent', offerTicket: true });
      expect(nobody.text).toMatch(note);
      expect(order.filter((t) => t === 'reply' || t === 'handoff')).toEqual(['reply', 'handoff']);
      user.socket.close();
    }
  });

  it('takes 好差评 in the chat: 👍/👎 on an answer once, then 1–5 on the chat with a person when it ends (issue 13)', async () => {
    const { app, base } = await listen();
    const alice = await agent(base);
    const user = await citizen(base, { region: '大连' });
    user.send({ type: 'message', id: 'q', text: '大连异地就医备案怎么办理？' });
    const answered = await user.f.next('reply');
    user.send({ type: 'feedback', id: 'f1', seq: answered.seq, vote: 'down', reason: 'unclear', comment: '步骤太多' });
    expect(await user.f.next('feedback')).toMatchObject({ kind: 'answer', target: answered.seq, vote: 'down', replyTo: 'f1' });
    user.send({ type: 'feedback', id: 'f2', seq: answered.seq, vote: 'up' });
    expect(await user.f.next('error')).toMatchObject({ code: 'HL_ERR_FEEDBACK_EXISTS', replyTo: 'f2' });
    user.send({ type: 'feedback', id: 'f3', seq: 'x', vote: 'up' });
    expect(await user.f.next('error')).toMatchObject({ code: 'HL_ERR_WS_BAD_MESSAGE', replyTo: 'f3' });
    user.send({ type: 'rating', id: 'r0', score: 5 });
    expect(await user.f.next('error')).toMatchObject({ code: 'HL_ERR_FEEDBACK_TARGET', replyTo: 'r0' });

    user.send({ type: 'handoff' });
    await alice.f.next('chat');
    alice.send({ type: 'close', sessionId: user.sessionId, resolution: 'answered' });
    expect(await handoffEvent(user.f, 'resolved')).toMatchObject({ offerRating: true });
    user.send({ type: 'rating', id: 'r1', score: 4, comment: '很耐心' });
    expect(await user.f.next('feedback')).toMatchObject({ kind: 'chat', score: 4, replyTo: 'r1', text: '感谢您的评价！' });
    const metrics = (await app.inject({ url: '/metrics' })).body;
    expect(metrics).toMatch(/^hl_feedback_total\{channel="web",vote="down",reason="unclear"\} 1$/m);
    expect(metrics).toMatch(/^hl_chat_ratings_total\{channel="web",score="4"\} 1$/m);
    for (const c of [user, alice]) c.socket.close();
  });

  it('puts a reloaded page back where it was: in the queue with its place, or with the agent (issue 13)', async () => {
    const { base } = await listen({ ...AGENTS, AGENT_CAPACITY: '1' });
    const alice = await agent(base);
    const busy = await citizen(base);
    busy.send({ type: 'handoff' });
    await alice.f.next('chat');
    const user = await citizen(base);
    user.send({ type: 'handoff' });
    expect(await user.f.next('handoff')).toMatchObject({ state: 'queued' });
    // A message while waiting is acknowledged in words: the agent will read it first.
    user.send({ type: 'message', id: 'w1', text: '我的医保卡丢了怎么办' });
    expect(await user.f.next('ack')).toMatchObject({ replyTo: 'w1', state: 'queued', text: expect.stringContaining('接入后会先看到') });
    user.socket.close();

    // The reload: the same session with its token.
    const again = await connect(`ws://${base}/ws/chat`);
    again.send({ type: 'hello', sessionId: user.sessionId, resumeToken: user.resumeToken });
    const back = await again.f.next('ready');
    expect(back).toMatchObject({ sessionId: user.sessionId, state: 'queued' });
    expect((back.history as { role: string; text: string }[]).map((h) => h.role)).toEqual(['system', 'user']);
    expect(await again.f.next('handoff')).toMatchObject({
      state: 'queued',
      event: 'resumed',
      position: 1,
      text: expect.stringContaining('您是下一位'),
    });

    // Alice takes them; another reload finds the agent.
    alice.send({ type: 'close', sessionId: busy.sessionId, resolution: 'answered' });
    expect(await handoffEvent(again.f, 'assigned')).toMatchObject({ state: 'agent' });
    again.socket.close();
    const third = await connect(`ws://${base}/ws/chat`);
    third.send({ type: 'hello', sessionId: user.sessionId, resumeToken: user.resumeToken });
    expect(await third.f.next('ready')).toMatchObject({ state: 'agent' });
    expect(await third.f.next('handoff')).toMatchObject({ state: 'agent', event: 'resumed' });
    for (const c of [busy, third, alice]) c.socket.close();
  });

  it('puts a user whose wait passes the limit back with the bot, with the hotline and a callback offer', async () => {
    const { base } = await listen({ ...AGENTS, AGENT_CAPACITY: '1', HANDOFF_WAIT_LIMIT_MS: '1000' });
    const alice = await agent(base);
    const busy = await citizen(base);
    busy.send({ type: 'handoff' });
    await alice.f.next('chat');
    const user = await citizen(base, { region: '大连' });
    user.send({ type: 'handoff' });
    expect(await user.f.next('handoff')).toMatchObject({ state: 'queued' });
    const late = await user.f.next('handoff', 4000);
    expect(late).toMatchObject({ state: 'bot', event: 'unavailable', offerTicket: true });
    expect(late.text).toContain('83709222');
    expect((late.citations as { notice: string }[])[0]?.notice).toBe('dalian-2020-02-20');
    for (const c of [busy, user, alice]) c.socket.close();
  });

  it('turns away a request past the queue’s cap with HL_ERR_QUEUE_FULL, the hotline and a callback offer (issue 12, defect 2)', async () => {
    const { app, base } = await listen({ ...AGENTS, AGENT_CAPACITY: '1', HANDOFF_QUEUE_PER_ADDRESS: '2', HANDOFF_QUEUE_PAGE: '1' });
    const alice = await agent(base);
    const busy = await citizen(base);
    busy.send({ type: 'handoff' });
    await alice.f.next('chat');
    const waiting = [await citizen(base), await citizen(base)];
    for (const w of waiting) {
      w.send({ type: 'handoff' });
      expect(await w.f.next('handoff')).toMatchObject({ state: 'queued', event: 'queued' });
    }
    // The agent is sent the front of the queue and how many wait, not the whole queue.
    let q = await alice.f.next('queue');
    while (q.total !== 2) q = await alice.f.next('queue');
    expect(q.items).toEqual([expect.objectContaining({ sessionId: waiting[0]?.sessionId, position: 1 })]);

    // A third from the same address: the hotline and the callback form, with the code; the queue is as it was.
    const third = await citizen(base, { region: '大连' });
    third.send({ type: 'handoff' });
    const full = await third.f.next('handoff');
    expect(full).toMatchObject({ state: 'bot', event: 'unavailable', reason: 'queue-full', code: 'HL_ERR_QUEUE_FULL', offerTicket: true });
    expect(full.text).toContain('83709222');
    third.send({ type: 'ticket', id: 't1', phone: '13912345678', question: '想问门诊慢特病待遇' });
    expect(await third.f.next('ticket')).toMatchObject({ id: expect.stringMatching(/^T\d+$/) });
    const metrics = (await app.inject({ url: '/metrics' })).body;
    expect(metrics).toMatch(/^hl_handoff_waiting 2$/m);
    expect(metrics).toMatch(/^hl_handoff_events_total\{event="unavailable",reason="queue-full"\} 1$/m);
    for (const c of [busy, ...waiting, third, alice]) c.socket.close();
  });
});

describe('callback tickets', () => {
  it('validates the phone, shows the ticket id, and lets agents list, claim and close it once', async () => {
    const { base } = await listen();
    const user = await citizen(base, { region: '包头' });
    user.send({ type: 'handoff' });
    expect(await user.f.next('handoff')).toMatchObject({ event: 'unavailable', offerTicket: true });
    user.send({ type: 'ticket', id: 't1', phone: '12345', question: '想问慢性病备案' });
    expect(await user.f.next('error')).toMatchObject({ code: 'HL_ERR_BAD_PHONE', replyTo: 't1' });
    user.send({ type: 'ticket', id: 't2', phone: '138 0471 2345', question: '想问慢性病备案' });
    const ticket = await user.f.next('ticket');
    expect(ticket.id).toMatch(/^T\d{6}$/);
    expect(ticket.text).toContain(ticket.id as string);

    const auth = { authorization: `Bearer ${ALICE}` };
    const http = (path: string, init: RequestInit = {}) =>
      fetch(`http://${base}${path}`, { ...init, headers: { ...auth, 'content-type': 'application/json', ...init.headers } });
    const open = (await (await http('/api/agent/tickets?status=open')).json()) as { tickets: unknown[] };
    expect(open.tickets).toEqual([
      expect.objectContaining({ id: ticket.id, phone: '13804712345', question: '想问慢性病备案', region: '包头', status: 'open' }),
    ]);
    expect((await http(`/api/agent/tickets/${ticket.id}/claim`, { method: 'POST', body: '{}' })).status).toBe(200);
    const again = await http(`/api/agent/tickets/${ticket.id}/claim`, {
      method: 'POST',
      body: '{}',
      headers: { authorization: `Bearer ${BOB}` },
    });
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe('HL_ERR_BAD_TRANSITION');
    const closed = await http(`/api/agent/tickets/${ticket.id}/close`, { method: 'POST', body: JSON.stringify({ resolution: '已回电' }) });
    expect(((await closed.json()) as { ticket: unknown }).ticket).toMatchObject({
      status: 'closed',
      resolution: '已回电',
      claimedBy: 'alice',
    });
    expect((await fetch(`http://${base}/api/agent/tickets`)).status).toBe(401);
    user.socket.close();
  });
});

describe('a callback ticket as the first thing a session does', () => {
  it('is taken (regression: a session with no conversation yet was refused with HL_ERR_SESSION_NOT_FOUND)', async () => {
    const { base } = await listen();
    const user = await citizen(base, { region: '大连' });
    user.send({ type: 'ticket', id: 't', phone: '13904111234', question: '请回电' });
    expect((await user.f.next('ticket')).id).toMatch(/^T\d{6}$/);
    user.socket.close();
  });
});

describe('POST /api/ask in the handoff flow', () => {
  it('queues a handoff reply, then passes the user’s messages to the person instead of answering', async () => {
    const { base } = await listen({ ...AGENTS, AGENT_CAPACITY: '1' });
    const alice = await agent(base);
    const busy = await citizen(base);
    busy.send({ type: 'handoff' });
    await alice.f.next('chat');
    const ask = async (text: string) =>
      (
        await fetch(`http://${base}/api/ask`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ text, sessionId: 'api-user-1' }),
        })
      ).json() as Promise<{ type: string; text: string; citations: unknown[] }>;
    const first = await ask('我要转人工客服');
    expect(first.type).toBe('handoff');
    expect(first.text).toMatch(/您是下一位|前面还有/);
    const second = await ask('请尽快处理');
    expect(second).toMatchObject({ type: 'handoff', citations: [] });
    expect(second.text).toContain('人工');
    // The agents' queue shows the user's latest message.
    for (;;) {
      const q = await queueWith(alice.f, 'api-user-1');
      if ((q.items as { lastUserText: string }[])[0]?.lastUserText === '请尽快处理') break;
    }
    busy.socket.close();
    alice.socket.close();
  });
});

describe('one door per conversation', () => {
  it('refuses /api/ask writing into a web chat’s conversation, with its own code', async () => {
    const { base } = await listen();
    const user = await citizen(base);
    user.send({ type: 'message', id: 'm', text: '包头高血压能开几个月的药？' });
    await user.f.next('reply');
    const res = await fetch(`http://${base}/api/ask`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: '我要投诉', sessionId: user.sessionId }),
    });
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('HL_ERR_SESSION_CHANNEL');
    user.socket.close();
  });
});

describe('assist for the hotline', () => {
  it('needs an agent token, and gives up to three cited suggestions with intent and confidence', async () => {
    const { app } = await build(AGENTS);
    const anonymous = await app.inject({ method: 'POST', url: '/api/assist', payload: { text: '透析怎么审核' } });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json().error.code).toBe('HL_ERR_AGENT_UNAUTHORIZED');
    const res = await app.inject({
      method: 'POST',
      url: '/api/assist',
      headers: { authorization: `Bearer ${ALICE}` },
      payload: { text: '来电说在大连做透析，问审核怎么办', region: '大连' },
    });
    expect(res.statusCode).toBe(200);
    const { suggestions } = res.json() as {
      suggestions: { text: string; citations: { notice: string; quote: string }[]; intent: string; confidence: number }[];
    };
    expect(suggestions.length).toBeGreaterThan(0);
    expect(suggestions.length).toBeLessThanOrEqual(3);
    expect(suggestions[0]?.text).toContain('自动通过');
    for (const s of suggestions) {
      expect(s.citations[0]?.notice).toBe('dalian-2020-02-20');
      expect(s.intent).toEqual(expect.any(String));
      expect(s.confidence).toBeGreaterThan(0);
      expect(s.confidence).toBeLessThanOrEqual(1);
    }
  });

  it('explains to an agent how a question is answered, without touching any conversation', async () => {
    const { app } = await build(AGENTS);
    const anonymous = await app.inject({ method: 'POST', url: '/api/agent/explain', payload: { text: '透析怎么审核' } });
    expect(anonymous.statusCode).toBe(401);
    const res = await app.inject({
      method: 'POST',
      url: '/api/agent/explain',
      headers: { authorization: `Bearer ${ALICE}` },
      payload: { text: '大连透析审核怎么办？' },
    });
    expect(res.statusCode).toBe(200);
    const { reply, trace } = res.json() as {
      reply: { type: string; citations: { notice: string }[] };
      trace: {
        rule: string;
        location: { place: string; scopes: string[] };
        hits: { notice: string; score: number }[];
        grounding: { ok: boolean };
      };
    };
    expect(reply.type).toBe('answer');
    expect(trace.rule).toBe('answer');
    expect(trace.location.place).toBe('大连');
    expect(trace.location.scopes[0]).toBe('大连');
    expect(trace.hits[0]?.notice).toBe('dalian-2020-02-20');
    expect(trace.grounding.ok).toBe(true);
    expect(reply.citations[0]?.notice).toBe('dalian-2020-02-20');
    const empty = await app.inject({
      method: 'POST',
      url: '/api/agent/explain',
      headers: { authorization: `Bearer ${ALICE}` },
      payload: { text: '   ' },
    });
    expect(empty.statusCode).toBe(400);
  });

  it('gives a region’s quick-reference card from its notices: phones with their offices, each cited', async () => {
    const { app } = await build(AGENTS);
    const res = await app.inject({ url: '/api/agent/card?region=大连', headers: { authorization: `Bearer ${BOB}` } });
    const card = res.json() as { notices: string[]; entries: { type: string; text: string; label: string | null; url: string }[] };
    expect(card.notices).toEqual(['dalian-2020-02-20']);
    const hotline = card.entries.find((e) => e.type === 'phone' && e.text.includes('83709222'));
    expect(hotline?.label).toEqual(expect.any(String));
    expect(hotline?.url).toMatch(/^\/notices\/dalian-2020-02-20#/);
  });
});
