/** `/ws/chat` through @fastify/websocket's injectWS (no port) and a real `ws` client on loopback. */
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { build } from '../helpers/app.js';
import { frames } from '../helpers/frames.js';

async function open(app: FastifyInstance) {
  await app.ready();
  const socket = await app.injectWS('/ws/chat');
  return { socket, f: frames(socket) };
}

describe('/ws/chat', () => {
  it('greets with a session, answers a message with typing then a cited reply', async () => {
    const { app } = await build();
    const { socket, f } = await open(app);
    socket.send(JSON.stringify({ type: 'hello', region: '大连' }));
    const ready = await f.next('ready');
    expect(ready.sessionId).toEqual(expect.any(String));
    socket.send(JSON.stringify({ type: 'message', id: 'm1', text: '透析审核怎么办？' }));
    await f.next('typing');
    const reply = await f.next('reply');
    expect(reply.replyTo).toBe('m1');
    expect(reply.reply).toMatchObject({ type: 'answer', sessionId: ready.sessionId });
    expect((reply.reply as { citations: { notice: string }[] }).citations[0]?.notice).toBe('dalian-2020-02-20');
    socket.terminate();
  });

  it('answers bad frames with an error frame and stays usable', async () => {
    const { app } = await build();
    const { socket, f } = await open(app);
    socket.send('{not json');
    expect(await f.next('error')).toMatchObject({ code: 'HL_ERR_WS_BAD_FRAME' });
    socket.send(JSON.stringify({ type: 'shout' }));
    expect(await f.next('error')).toMatchObject({ code: 'HL_ERR_WS_UNKNOWN_TYPE' });
    socket.send(JSON.stringify({ type: 'message', id: 'x', text: '   ' }));
    expect(await f.next('error')).toMatchObject({ code: 'HL_ERR_WS_BAD_MESSAGE', replyTo: 'x' });
    socket.send(JSON.stringify({ type: 'message', text: '你好' }));
    expect(await f.next('error')).toMatchObject({ code: 'HL_ERR_WS_BAD_MESSAGE' });
    socket.send(JSON.stringify([1, 2]));
    expect(await f.next('error')).toMatchObject({ code: 'HL_ERR_WS_BAD_FRAME' });
    socket.send(JSON.stringify({ type: 'ping' }));
    await f.next('pong');
    socket.send(JSON.stringify({ type: 'message', id: 'ok', text: '你好' }));
    expect((await f.next('reply')).replyTo).toBe('ok');
    socket.terminate();
  });

  it('limits the messages a connection may send in a window', async () => {
    const { app } = await build({ WS_RATE_MESSAGES: '2', WS_RATE_WINDOW_MS: '60000' });
    const { socket, f } = await open(app);
    for (const id of ['a', 'b', 'c']) socket.send(JSON.stringify({ type: 'message', id, text: '你好' }));
    expect((await f.next('reply')).replyTo).toBe('a');
    expect((await f.next('reply')).replyTo).toBe('b');
    expect(await f.next('error')).toMatchObject({ code: 'HL_ERR_WS_RATE_LIMITED', replyTo: 'c' });
    socket.terminate();
  });

  it('counts every frame, hello, ping and bad ones too, and says so once (issue 12: 20,000 hellos went unchecked)', async () => {
    const { app } = await build({ WS_RATE_MESSAGES: '3', WS_RATE_WINDOW_MS: '60000' });
    const { socket, f } = await open(app);
    const got: { type: string; code?: string }[] = [];
    socket.on('message', (d) => got.push(JSON.parse(d.toString())));
    for (let i = 0; i < 200; i++)
      socket.send(JSON.stringify(i % 3 === 0 ? { type: 'ping' } : i % 3 === 1 ? { type: 'hello' } : { nonsense: i }));
    expect(await f.next('error')).toBeDefined();
    await new Promise((r) => setTimeout(r, 200));
    expect(got.filter((g) => g.type === 'ready' || g.type === 'pong').length).toBeLessThanOrEqual(3);
    expect(got.filter((g) => g.code === 'HL_ERR_WS_RATE_LIMITED')).toHaveLength(1);
    expect(got.length).toBeLessThanOrEqual(4);
    socket.terminate();
  });

  it('resumes a conversation when a client reconnects with its sessionId and resume token, and only then', async () => {
    const { app } = await build();
    const first = await open(app);
    first.socket.send(JSON.stringify({ type: 'message', id: '1', text: '慢性病处方一次能开多久？' }));
    const ready = await first.f.next('ready');
    expect((await first.f.next('reply')).reply).toMatchObject({ type: 'clarify' });
    first.socket.terminate();
    const second = await open(app);
    // Someone who knows only the id gets a conversation of their own, not this one.
    const intruder = await open(app);
    intruder.socket.send(JSON.stringify({ type: 'hello', sessionId: ready.sessionId, resumeToken: 'x'.repeat(32) }));
    expect((await intruder.f.next('ready')).sessionId).not.toBe(ready.sessionId);
    intruder.socket.terminate();
    second.socket.send(JSON.stringify({ type: 'hello', sessionId: ready.sessionId, resumeToken: ready.resumeToken }));
    const resumed = await second.f.next('ready');
    expect(resumed.sessionId).toBe(ready.sessionId);
    // The conversation comes back with it (issue 13: a reload reopened an empty panel); the intruder got none.
    expect(resumed.history).toEqual([
      { seq: expect.any(Number), role: 'user', text: '慢性病处方一次能开多久？', at: expect.any(Number) },
      {
        seq: expect.any(Number),
        role: 'bot',
        text: expect.any(String),
        at: expect.any(Number),
        reply: expect.objectContaining({ type: 'clarify', sessionId: ready.sessionId, suggestions: expect.any(Array) }),
      },
    ]);
    expect((resumed.history as { reply?: object }[])[1]?.reply).not.toHaveProperty('rule');
    second.socket.send(JSON.stringify({ type: 'message', id: '2', text: '包头' }));
    const reply = (await second.f.next('reply')).reply as { type: string; citations: { notice: string }[] };
    expect(reply.type).toBe('answer');
    expect(reply.citations[0]?.notice).toBe('baotou-2022-10-08');
    second.socket.terminate();
  });

  it('closes a connection that sends a frame over the size limit, with a real client on loopback', async () => {
    const { app } = await build({ WS_MAX_FRAME_BYTES: '1024' });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as { port: number };
    const socket = new WebSocket(`ws://127.0.0.1:${port}/ws/chat`);
    await new Promise((r) => socket.once('open', r));
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    socket.send(JSON.stringify({ type: 'message', id: 'big', text: '医'.repeat(2000) }));
    expect(await closed).toBe(1009);
    const again = new WebSocket(`ws://127.0.0.1:${port}/ws/chat`);
    const f = frames(again);
    await new Promise((r) => again.once('open', r));
    again.send(JSON.stringify({ type: 'ping' }));
    await f.next('pong');
    again.close();
  });

  it('drops a connection that stops answering the heartbeat, and keeps one that answers', async () => {
    const { app } = await build({ WS_HEARTBEAT_MS: '150' });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as { port: number };
    const silent = new WebSocket(`ws://127.0.0.1:${port}/ws/chat`, { autoPong: false });
    const answering = new WebSocket(`ws://127.0.0.1:${port}/ws/chat`);
    await Promise.all([silent, answering].map((s) => new Promise((r) => s.once('open', r))));
    const closed = new Promise<void>((resolve) => silent.once('close', () => resolve()));
    await closed;
    expect(answering.readyState).toBe(WebSocket.OPEN);
    answering.close();
  });
});
