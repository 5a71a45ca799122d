/**
 * WebSocket frames as JSON Schemas: one schema per frame type, validated with ajv (compiled once) and
 * published in the AsyncAPI document (/docs/asyncapi). Each protocol lists its frames in a module of its own
 * (`web/frames.ts`, `agent/frames.ts`); adding a frame is adding one entry to its list.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { ErrorCode } from '../errors.js';
import type { JsonSchema } from './schemas.js';

/** One field of a client frame: its schema, and what a client is told when it is missing or wrong. */
export interface Field {
  schema: JsonSchema;
  /** The error message when the field is missing (if required) or does not match its schema. */
  whenBad: string;
  required?: boolean;
  /**
   * An optional field whose bad value is dropped rather than refused (a frame's `id`: the client then gets
   * no `replyTo`, and its frame is still served).
   */
  dropWhenBad?: boolean;
}

export interface FrameSpec {
  type: string;
  summary: string;
  description?: string;
  /** The frame as JSON Schema: `type` as a constant, then the fields. */
  schema: JsonSchema;
  examples: object[];
}

export interface ClientFrameSpec extends FrameSpec {
  /** The fields in the order they are checked: the first bad one names the error. */
  fields: [name: string, field: Field][];
}

/** A frame's identifier, echoed as `replyTo`: 1–64 characters. */
export const FRAME_ID = { type: 'string', minLength: 1, maxLength: 64 } as const;
/** A session id: 1–128 letters, digits or `_.:-`. */
export const SESSION_ID = { type: 'string', pattern: '^[A-Za-z0-9_.:-]{1,128}$' } as const;
/** A text that is not blank (JavaScript's white space, as `trim` has it) of at most `max` characters. */
export const nonBlank = (max: number) => ({ type: 'string', minLength: 1, maxLength: max, pattern: '\\S' });

function frameSchema(
  type: string,
  summary: string,
  description: string | undefined,
  properties: Record<string, JsonSchema>,
  required: string[],
) {
  return {
    type: 'object',
    title: type,
    description: description ?? summary,
    required: ['type', ...required],
    properties: { type: { type: 'string', const: type }, ...properties },
  };
}

/** A frame a client sends: its fields checked in the order given. */
export function clientFrame(
  type: string,
  doc: { summary: string; description?: string; examples: object[] },
  fields: Record<string, Field> = {},
): ClientFrameSpec {
  const entries = Object.entries(fields);
  const properties = Object.fromEntries(entries.map(([name, f]) => [name, f.schema]));
  const required = entries.filter(([, f]) => f.required).map(([name]) => name);
  return { type, ...doc, fields: entries, schema: frameSchema(type, doc.summary, doc.description, properties, required) };
}

/** A frame the server sends (documented, and checked in the tests; never validated at run time). */
export function serverFrame(
  type: string,
  doc: { summary: string; description?: string; examples: object[] },
  properties: Record<string, JsonSchema> = {},
  required: string[] = Object.keys(properties),
): FrameSpec {
  const schema = { ...frameSchema(type, doc.summary, doc.description, properties, required), additionalProperties: false };
  return { type, ...doc, schema };
}

// Lengths count UTF-16 code units, as JavaScript's `length` does and these limits always have (`unicode: false`;
// ajv otherwise counts code points). ajv's only warning, that this option is deprecated, is not logged.
const ajv = new Ajv({ allErrors: true, strict: true, unicode: false, logger: false });

export type Parsed<F> = { ok: true; frame: F } | { ok: false; code: ErrorCode; message: string; replyTo?: string };

export interface ParserOptions {
  /** The message for a frame that is not JSON. */
  notJson: string;
  /** The message for JSON that is not an object. */
  notObject: string;
  /** The message for an unknown type (`type` as the client sent it). */
  unknownType: (type: unknown) => string;
  /** Whether an unknown type's error echoes a valid `id` as `replyTo`. */
  echoIdOnUnknown: boolean;
}

interface Compiled {
  spec: ClientFrameSpec;
  validate: ValidateFunction;
  fields: Map<string, { field: Field; validate: ValidateFunction }>;
}

const validId = ajv.compile(FRAME_ID);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The field an ajv error is about: `/text` → text; a missing required property → its name. */
function fieldOf(e: ErrorObject): string | undefined {
  if (e.keyword === 'required') return (e.params as { missingProperty: string }).missingProperty;
  return e.instancePath.split('/')[1];
}

/**
 * A parser for one protocol's client frames, its schemas compiled once: a bad frame gets a code and a
 * message, never an exception. Not JSON or not an object → HL_ERR_WS_BAD_FRAME; a type not in the list →
 * HL_ERR_WS_UNKNOWN_TYPE; a field that breaks its schema → HL_ERR_WS_BAD_MESSAGE with the first bad field's
 * message, and the frame's `id` as `replyTo` when the frame declares one and it is valid. An accepted frame
 * keeps its type and the declared fields that are present and not empty strings.
 */
export function frameParser<F>(specs: readonly ClientFrameSpec[], options: ParserOptions): (raw: string) => Parsed<F> {
  const compiled = new Map<unknown, Compiled>(
    specs.map((spec) => [
      spec.type,
      {
        spec,
        validate: ajv.compile(spec.schema),
        fields: new Map(spec.fields.map(([name, field]) => [name, { field, validate: ajv.compile(field.schema) }])),
      },
    ]),
  );
  return (raw) => {
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      return { ok: false, code: 'HL_ERR_WS_BAD_FRAME', message: options.notJson };
    }
    if (!isObject(value)) return { ok: false, code: 'HL_ERR_WS_BAD_FRAME', message: options.notObject };
    const id = validId(value.id) ? (value.id as string) : undefined;
    const c = compiled.get(value.type);
    if (!c) {
      const replyTo = options.echoIdOnUnknown && id ? { replyTo: id } : {};
      return { ok: false, code: 'HL_ERR_WS_UNKNOWN_TYPE', message: options.unknownType(value.type), ...replyTo };
    }
    const candidate = { ...value };
    for (const [name, { field, validate }] of c.fields) {
      if (field.dropWhenBad && candidate[name] !== undefined && !validate(candidate[name])) delete candidate[name];
    }
    if (!c.validate(candidate)) {
      const bad = new Set((c.validate.errors ?? []).map(fieldOf));
      const first = c.spec.fields.find(([name]) => bad.has(name));
      const message = first ? first[1].whenBad : `${c.spec.type} has a bad field`;
      const replyTo = id && c.fields.has('id') ? { replyTo: id } : {};
      return { ok: false, code: 'HL_ERR_WS_BAD_MESSAGE', message, ...replyTo };
    }
    const frame: Record<string, unknown> = { type: c.spec.type };
    for (const [name] of c.spec.fields) {
      if (candidate[name] !== undefined && candidate[name] !== '') frame[name] = candidate[name];
    }
    return { ok: true, frame: frame as F };
  };
}

/** `a, b or c` */
export function orList(words: readonly string[]): string {
  return words.length < 2 ? words.join('') : `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`;
}

/**
 * A union's members as a list for a schema's `enum`, the compiler checking that the list holds every member:
 * `members<UnavailableReason>()(['no-agent', 'queue-full', 'wait-limit'])`.
 */
export const members =
  <U extends string>() =>
  <const L extends readonly U[]>(list: L & ([U] extends [L[number]] ? unknown : never)): L =>
    list;
