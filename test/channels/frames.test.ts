/**
 * The WebSocket frames' JSON Schemas (the AsyncAPI document's messages) against what the server really
 * sends: a citizen's chat and an agent's console through a whole handoff, every frame collected and checked
 * against the schema of its type; and every documented example against its schema and the real parser.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { agentClientFrames, agentServerFrames } from '../../src/channels/agent/frames.js';
import { parseAgentFrame } from '../../src/channels/agent/protocol.js';
import type { FrameSpec } from '../../src/channels/frames.js';
import { MAX_TEXT } from '../../src/channels/http/ask.js';
import { chatClientFrames, chatServerFrames } from '../../src/channels/web/frames.js';
import { parseClientFrame } from '../../src/channels/web/protocol.js';
import { build } from '../helpers/app.js';
import { type Frame, frames } from '../helpers/frames.js';

const ALICE = 'alice-token-0123456789';

const ajv = new Ajv({ allErrors: true, strict: false });
const validators = (specs: FrameSpec[]) => new Map<string, ValidateFunction>(specs.map((s) => [s.type, ajv.compile(s.schema)]));

/** Frames that do not match the schema of their type (or whose type is not documented), with ajv's reasons. */
function mismatches(got: Frame[], specs: FrameSpec[]): { frame: Frame; errors: unknown }[] {
  const schemas = validators(specs);
  const out: { frame: Frame; errors: unknown }[] = [];
  for (const frame of got) {
    const validate = schemas.get(frame.type);
    if (!validate) out.push({ frame, errors: 'no schema for this type' });
    else if (!validate(frame)) out.push({ frame, errors: validate.errors });
  }
  return out;
}

async function listen(env: Record<string, string>): Promise<{ app: FastifyInstance; base: string }> {
  const { app } = await build(env);
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, base: `127.0.0.1:${(app.server.address() as { port: number }).port}` };
}

/** A client that keeps every frame it receives (`all`) besides waiting for them (`f`). */
async function connect(url: string) {
  const socket = new WebSocket(url);
  const all: Frame[] = [];
  socket.on('message', (data) => all.push(JSON.parse(data.toString()) as Frame));
  const f = frames(socket);
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  return { socket, f, all, send: (frame: object | string) => socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame)) };
}

async function handoffEvent(f: ReturnType<typeof frames>, event: string): Promise<Frame> {
  for (;;) {
    const h = await f.next('handoff');
    if (h.event === event) return h;
  }
}

describe('the frames the server sends', () => {
  it('match their documented schemas through a whole chat and console session, every frame type seen', async () => {
    const { base } = await listen({ AGENT_TOKENS: `alice:${ALICE}`, AGENT_CAPACITY: '1' });
    const alice = await connect(`ws://${base}/ws/agent?token=${ALICE}`);
    await alice.f.next('welcome');
    alice.send({ type: 'presence', status: 'away' });

    // A citizen asks and makes mistakes; another asks for a person while nobody is there and leaves a callback request.
    const one = await connect(`ws://${base}/ws/chat`);
    one.send({ type: 'hello', region: '大连' });
    const { sessionId } = await one.f.next('ready');
    one.send({ type: 'message', id: 'm1', text: '大连异地就医备案怎么办理？' });
    await one.f.next('typing');
    const answered = await one.f.next('reply');
    one.send({ type: 'feedback', id: 'f1', seq: answered.seq, vote: 'up' });
    await one.f.next('feedback');
    one.send({ type: 'ping' });
    await one.f.next('pong');
    for (const bad of ['{x', { type: 'shout' }, { type: 'message', id: 'e', text: ' ' }]) {
      one.send(bad);
      await one.f.next('error');
    }
    const zero = await connect(`ws://${base}/ws/chat`);
    zero.send({ type: 'handoff' });
    await handoffEvent(zero.f, 'unavailable');
    zero.send({ type: 'ticket', id: 't1', phone: '13912345678', question: '异地就医备案后在外地住院，回来怎么报销？' });
    await zero.f.next('ticket');
    await alice.f.next('tickets');

    // The agent comes online: the citizen is hers, a second one queues, a third queues behind and gives up.
    alice.send({ type: 'presence', status: 'online' });
    await new Promise((r) => setTimeout(r, 50));
    one.send({ type: 'handoff' });
    await handoffEvent(one.f, 'assigned');
    await alice.f.next('chat');
    const two = await connect(`ws://${base}/ws/chat`);
    two.send({ type: 'hello', region: '包头' });
    await two.f.next('ready');
    two.send({ type: 'handoff' });
    await handoffEvent(two.f, 'queued');
    const three = await connect(`ws://${base}/ws/chat`);
    three.send({ type: 'handoff' });
    await handoffEvent(three.f, 'queued');
    two.send({ type: 'cancel' });
    await handoffEvent(two.f, 'cancelled');
    await handoffEvent(three.f, 'position');

    // They talk; the agent hands the chat back to the bot and takes the next, then closes it.
    one.send({ type: 'message', id: 'm2', text: '备案一直没办下来怎么办？' });
    await one.f.next('ack');
    await alice.f.next('user');
    alice.send({ type: 'message', sessionId, text: '您好，可以拨打24小时医保热线83709222咨询。', id: 'a1' });
    await alice.f.next('entry');
    await one.f.next('agent');
    alice.send({ type: 'transcript', sessionId });
    await alice.f.next('chat');
    alice.send({ type: 'return', sessionId });
    await alice.f.next('ended');
    await handoffEvent(one.f, 'returned');
    await handoffEvent(three.f, 'assigned');
    const { sessionId: third } = await alice.f.next('chat');
    alice.send({ type: 'close', sessionId: third, resolution: '已解答' });
    await handoffEvent(three.f, 'resolved');
    for (const bad of ['{x', { type: 'nope', id: 'z' }, { type: 'accept', sessionId: third, id: 'acc' }]) {
      alice.send(bad);
      await alice.f.next('error');
    }
    alice.send({ type: 'ping' });
    await alice.f.next('pong');

    const chat = [...zero.all, ...one.all, ...two.all, ...three.all];
    expect(mismatches(chat, chatServerFrames)).toEqual([]);
    expect(mismatches(alice.all, agentServerFrames)).toEqual([]);
    expect(new Set(chat.map((f) => f.type))).toEqual(new Set(chatServerFrames.map((s) => s.type)));
    expect(new Set(alice.all.map((f) => f.type))).toEqual(new Set(agentServerFrames.map((s) => s.type)));
    const events = new Set(chat.filter((f) => f.type === 'handoff').map((f) => f.event));
    expect([...events].sort()).toEqual(['assigned', 'cancelled', 'position', 'queued', 'resolved', 'returned', 'unavailable']);
    for (const c of [zero, one, two, three, alice]) c.socket.close();
  });

  it('are refused by the schemas when they break them (a schema that took anything would pass the test above)', () => {
    const ready = { type: 'ready', sessionId: 's', resumeToken: 't', state: 'bot' };
    expect(mismatches([ready as Frame], chatServerFrames)).toEqual([]);
    expect(
      mismatches(
        [
          { ...ready, state: 'asleep' },
          { ...ready, extra: 1 },
          { type: 'reply', replyTo: 'm' },
        ],
        chatServerFrames,
      ),
    ).toHaveLength(3);
    expect(mismatches([{ type: 'welcome' }, { type: 'hello' }], agentServerFrames)).toHaveLength(2);
  });
});

describe('the documented examples', () => {
  it('match their frame’s schema, and the server takes every client example', () => {
    const protocols = [
      { client: chatClientFrames(MAX_TEXT), server: chatServerFrames, parse: (raw: string) => parseClientFrame(raw, MAX_TEXT) },
      { client: agentClientFrames(MAX_TEXT), server: agentServerFrames, parse: (raw: string) => parseAgentFrame(raw, MAX_TEXT) },
    ];
    for (const { client, server, parse } of protocols) {
      for (const spec of [...client, ...server]) {
        expect(spec.examples.length, spec.type).toBeGreaterThan(0);
        expect(mismatches(spec.examples as Frame[], [spec])).toEqual([]);
      }
      for (const spec of client)
        for (const example of spec.examples) expect(parse(JSON.stringify(example))).toEqual({ ok: true, frame: example });
    }
  });
});
