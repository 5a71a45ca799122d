import type { FastifyInstance } from 'fastify';
import { afterTest } from './cleanup.js';
import { frames } from './frames.js';

/** A `/ws/chat` socket on `app` that has said hello (from `region`) and been told `ready`, with its frames; terminated after the test. */
export async function readyChat(app: FastifyInstance, region: string) {
  const socket = await app.injectWS('/ws/chat');
  afterTest(() => socket.terminate());
  const f = frames(socket);
  socket.send(JSON.stringify({ type: 'hello', region }));
  await f.next('ready');
  return { socket, f };
}
