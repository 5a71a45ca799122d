/**
 * The WebSocket protocols as an AsyncAPI 3.0 document (served at /docs/asyncapi.json), built from the same
 * frame schemas the server validates with (`web/frames.ts`, `agent/frames.ts`). It describes the server: it
 * receives the clients' frames and sends its own.
 */
import { agentClientFrames, agentServerFrames } from '../agent/frames.js';
import type { FrameSpec } from '../frames.js';
import { chatClientFrames, chatServerFrames } from '../web/frames.js';

interface Channel {
  key: string;
  address: string;
  title: string;
  description: string;
  client: FrameSpec[];
  server: FrameSpec[];
  security?: string[];
  bindings?: object;
}

const properties = (spec: FrameSpec) => (spec.schema.properties ?? {}) as Record<string, unknown>;

/** `id` on a client frame and `replyTo` on the server's answer tie the two together. */
function correlationId(spec: FrameSpec, from: 'client' | 'server') {
  const field = from === 'client' ? 'id' : 'replyTo';
  if (!(field in properties(spec))) return {};
  const description =
    from === 'client' ? 'the frame’s id, echoed as replyTo by the frames that answer it' : 'the id of the client frame this answers';
  return { correlationId: { description, location: `$message.payload#/${field}` } };
}

function message(spec: FrameSpec, from: 'client' | 'server') {
  return {
    name: spec.type,
    title: `${spec.type} (${from === 'client' ? 'client → server' : 'server → client'})`,
    summary: spec.summary,
    ...(spec.description ? { description: spec.description } : {}),
    contentType: 'application/json',
    payload: spec.schema,
    ...correlationId(spec, from),
    examples: spec.examples.map((payload, i) => ({ name: `${spec.type}${spec.examples.length > 1 ? `-${i + 1}` : ''}`, payload })),
  };
}

function channels(maxText: number): Channel[] {
  return [
    {
      key: 'chat',
      address: '/ws/chat',
      title: 'Web chat (the citizen’s widget)',
      description:
        'JSON text frames. A bad frame gets an `error` frame and the connection stays usable. Limits: WS_MAX_FRAME_BYTES (a bigger frame closes the connection with 1009), WS_RATE_MESSAGES frames of any kind per WS_RATE_WINDOW_MS (the first over gets HL_ERR_WS_RATE_LIMITED, the rest of the window’s are dropped), WS_HEARTBEAT_MS (a connection that does not answer a ping by the next one is dropped). On shutdown sockets are closed with 1001 (reconnect).',
      client: chatClientFrames(maxText),
      server: chatServerFrames,
    },
    {
      key: 'agent',
      address: '/ws/agent',
      title: 'Agents’ console',
      description:
        'For hotline agents (AGENT_TOKENS): a bad or missing token is refused with 401 before the upgrade. Any console frame may carry an `id`, echoed as an error’s `replyTo`. AGENT_RATE_MESSAGES frames per WS_RATE_WINDOW_MS.',
      client: agentClientFrames(maxText),
      server: agentServerFrames,
      security: ['agentBearer', 'agentQueryToken'],
      bindings: {
        ws: {
          method: 'GET',
          query: {
            type: 'object',
            properties: { token: { type: 'string', minLength: 16, description: 'an agent token (or send it as Authorization: Bearer)' } },
          },
          bindingVersion: '0.1.0',
        },
      },
    },
  ];
}

/** The AsyncAPI 3.0 document of `/ws/chat` and `/ws/agent`; texts up to `maxText` characters. */
export function asyncApiDocument(maxText: number): Record<string, unknown> {
  const list = channels(maxText);
  const messages: Record<string, unknown> = {};
  const docChannels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  for (const c of list) {
    const refs: Record<string, { $ref: string }> = {};
    for (const [from, specs] of [
      ['client', c.client],
      ['server', c.server],
    ] as const) {
      for (const spec of specs) {
        const key = `${c.key}.${from}.${spec.type}`;
        messages[key] = message(spec, from);
        refs[`${from}.${spec.type}`] = { $ref: `#/components/messages/${key}` };
      }
    }
    docChannels[c.key] = {
      address: c.address,
      title: c.title,
      description: c.description,
      messages: refs,
      ...(c.bindings ? { bindings: c.bindings } : {}),
    };
    const security = c.security ? { security: c.security.map((s) => ({ $ref: `#/components/securitySchemes/${s}` })) } : {};
    const ref = (from: string, specs: FrameSpec[]) => specs.map((s) => ({ $ref: `#/channels/${c.key}/messages/${from}.${s.type}` }));
    operations[`${c.key}.receive`] = {
      action: 'receive',
      channel: { $ref: `#/channels/${c.key}` },
      title: `${c.title}: frames the client sends`,
      summary: `What the server takes on ${c.address}`,
      ...security,
      messages: ref('client', c.client),
    };
    operations[`${c.key}.send`] = {
      action: 'send',
      channel: { $ref: `#/channels/${c.key}` },
      title: `${c.title}: frames the server sends`,
      summary: `What the server sends on ${c.address}`,
      ...security,
      messages: ref('server', c.server),
    };
  }
  return {
    asyncapi: '3.0.0',
    info: {
      title: '医保热线助手 WebSocket API',
      version: '1',
      description:
        'The WebSocket protocols of the hotline assistant: the citizens’ web chat and the agents’ console. Described from the server’s side: it receives the clients’ frames and sends its own. The HTTP API is at /docs (OpenAPI: /docs/json).',
      externalDocs: { description: 'HTTP API (OpenAPI)', url: '/docs' },
    },
    defaultContentType: 'application/json',
    servers: {
      service: {
        host: '127.0.0.1:3000',
        protocol: 'ws',
        description: 'The service as `npm start` runs it (HOST, PORT); behind TLS, wss:// and the public host.',
      },
    },
    channels: docChannels,
    operations,
    components: {
      messages,
      securitySchemes: {
        agentBearer: { type: 'http', scheme: 'bearer', description: '`Authorization: Bearer <agent token>` on the upgrade request' },
        agentQueryToken: {
          type: 'httpApiKey',
          in: 'query',
          name: 'token',
          description: '`/ws/agent?token=<agent token>`, for browsers (which cannot set headers on a WebSocket); masked in the logs',
        },
      },
    },
  };
}
