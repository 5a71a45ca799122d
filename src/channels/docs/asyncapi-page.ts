/**
 * The AsyncAPI document as a page to read (`/docs/asyncapi`): channels, their security, and each message's
 * fields and example, rendered on the server from the document itself (no script, nothing from a CDN).
 */
import { escapeHtml as e, htmlPage } from '../page.js';

type Schema = Record<string, unknown>;

/** Escaped text with its `code` spans (the documents' descriptions use them). */
const text = (s: string) => e(s).replace(/`([^`]+)`/g, '<code>$1</code>');
interface Message {
  name: string;
  summary?: string;
  description?: string;
  payload: Schema;
  examples?: { payload: unknown }[];
}

/** `#/components/messages/x` → the object it names. */
function resolve(doc: Schema, ref: string): Schema {
  return ref
    .replace(/^#\//, '')
    .split('/')
    .reduce<Schema>((at, key) => at[key] as Schema, doc);
}

/** A field's type as people read it: `string`, `"hello"`, `online | away`, `array of object`, `string or null`. */
function typeOf(s: Schema): string {
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (Array.isArray(s.enum)) return s.enum.map((v) => JSON.stringify(v)).join(' | ');
  if (Array.isArray(s.anyOf)) return (s.anyOf as Schema[]).map(typeOf).join(' or ');
  if (s.type === 'array') return `array of ${typeOf((s.items ?? {}) as Schema)}`;
  if (Array.isArray(s.type)) return s.type.join(' or ');
  return String(s.type ?? 'any');
}

function constraints(s: Schema): string {
  const out: string[] = [];
  if (s.minLength !== undefined || s.maxLength !== undefined) out.push(`${s.minLength ?? 0}–${s.maxLength ?? '…'} characters`);
  if (s.pattern) out.push(`pattern <code>${e(String(s.pattern))}</code>`);
  if (s.minimum !== undefined) out.push(`≥ ${s.minimum}`);
  if (s.maximum !== undefined) out.push(`≤ ${s.maximum}`);
  if (s.description) out.push(text(String(s.description)));
  return out.join('; ');
}

/** The object a field holds, if any: itself, its array's items, or the object of `object or null`. */
function inner(s: Schema): Schema | null {
  if (s.properties) return s;
  if (s.type === 'array' && (s.items as Schema | undefined)?.properties) return s.items as Schema;
  const object = (s.anyOf as Schema[] | undefined)?.find((v) => v.properties);
  return object ?? null;
}

/** One row per field, nested fields as `reply.citations[].quote`, three levels deep at most. */
function rows(s: Schema, prefix = '', depth = 0): string[] {
  const required = new Set((s.required as string[] | undefined) ?? []);
  const out: string[] = [];
  for (const [name, field] of Object.entries((s.properties ?? {}) as Record<string, Schema>)) {
    const path = `${prefix}${name}`;
    out.push(
      `<tr><th scope="row"><code>${e(path)}</code></th><td>${e(typeOf(field))}</td><td>${required.has(name) ? 'yes' : ''}</td><td>${constraints(field)}</td></tr>`,
    );
    const nested = inner(field);
    if (nested && depth < 2) out.push(...rows(nested, `${path}${field.type === 'array' ? '[]' : ''}.`, depth + 1));
  }
  return out;
}

function renderMessage(m: Message, id: string): string {
  const example = m.examples?.[0]?.payload;
  return `<section class="message"><h4 id="${id}"><code>${e(m.name)}</code> — ${text(m.summary ?? '')}</h4>
${m.description ? `<p>${text(m.description)}</p>` : ''}
<table><thead><tr><th scope="col">字段 field</th><th scope="col">类型 type</th><th scope="col">必填 required</th><th scope="col">说明 notes</th></tr></thead>
<tbody>${rows(m.payload).join('')}</tbody></table>
${example === undefined ? '' : `<p class="muted">示例 example</p><pre lang="zh-CN">${e(JSON.stringify(example, null, 2))}</pre>`}</section>`;
}

/** The page of an AsyncAPI 3.0 document. */
export function renderAsyncApiPage(doc: Schema): string {
  const info = doc.info as { title: string; version: string; description: string };
  const channels = doc.channels as Record<string, Schema>;
  const operations = Object.values(doc.operations as Record<string, Schema>);
  const schemes = ((doc.components as Schema).securitySchemes ?? {}) as Record<string, { description?: string }>;
  const nav = Object.entries(channels)
    .map(([key, c]) => `<li><a href="#channel-${e(key)}"><code>${e(String(c.address))}</code> ${e(String(c.title))}</a></li>`)
    .join('');
  const sections = Object.entries(channels).map(([key, c]) => {
    const ops = operations.filter((o) => (o.channel as { $ref: string }).$ref === `#/channels/${key}`);
    const security = (ops[0]?.security as { $ref: string }[] | undefined) ?? [];
    const parts = ops.map((o) => {
      const messages = (o.messages as { $ref: string }[]).map((r) => resolve(doc, (resolve(doc, r.$ref) as { $ref: string }).$ref));
      const heading = o.action === 'receive' ? '客户端发送（服务器接收） client → server' : '服务器发送 server → client';
      return `<h3>${heading}</h3>${messages.map((m) => renderMessage(m as unknown as Message, `${key}-${o.action}-${e(String(m.name))}`)).join('\n')}`;
    });
    const auth = security.length
      ? `<p><strong>认证 Authentication</strong>（任选其一 either）：</p><ul>${security
          .map((s) => `<li>${text(schemes[s.$ref.split('/').pop() ?? '']?.description ?? s.$ref)}</li>`)
          .join('')}</ul>`
      : '';
    return `<section aria-labelledby="channel-${e(key)}"><h2 id="channel-${e(key)}"><code>${e(String(c.address))}</code> ${e(String(c.title))}</h2>
<p>${text(String(c.description))}</p>${auth}${parts.join('\n')}</section>`;
  });
  const body = `<header><h1>${e(info.title)}</h1><p>AsyncAPI ${e(String(doc.asyncapi))} · version ${e(info.version)} · <a href="/docs/asyncapi.json">asyncapi.json</a> · <a href="/docs">HTTP API (OpenAPI)</a></p>
<p>${text(info.description)}</p><nav aria-label="channels"><ul>${nav}</ul></nav></header>
<main>${sections.join('\n')}</main>`;
  return htmlPage({ title: info.title, body, lang: 'en', style: STYLE });
}

const STYLE = `
body{max-width:60rem}
table{width:100%;border-collapse:collapse;table-layout:fixed;font-size:.9em;margin:.5rem 0}
th,td{border:1px solid #c8c8cc;padding:.2rem .4rem;text-align:left;vertical-align:top}
thead th{background:#f5f5f7}
th[scope=row]{font-weight:normal}
col,th:nth-child(1){width:30%}th:nth-child(3){width:12%}
section.message{border-top:1px solid #d2d2d7;margin-top:1rem}
@media (max-width:30rem){table{font-size:.8em}th,td{padding:.15rem .25rem}}
`;
