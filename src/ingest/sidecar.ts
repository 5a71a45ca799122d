import { parse } from 'yaml';
import { HlError } from '../errors.js';
import { type Schema, schemaProblems } from '../schema.js';
import type { Correction } from './normalize.js';

/** `<stem>.yaml` beside a notice: overrides for what ingestion infers, and repairs of damaged text. */
export interface Sidecar {
  version: number;
  title?: string;
  authority?: string;
  docNumber?: string | null;
  date?: string;
  region?: string;
  kind?: 'temporary' | 'standing';
  /** ISO date the measures end, or null for none. */
  expires?: string | null;
  /** ISO date the notice takes effect from, or null. */
  effective?: string | null;
  /** The sentence that says so, quoted as written. */
  effectiveText?: string | null;
  corrections?: Correction[];
}

const sidecarSchema: Schema<Sidecar> = {
  type: 'object',
  required: ['version'],
  additionalProperties: false,
  properties: {
    version: { type: 'integer', const: 1 },
    title: { type: 'string', nullable: true, minLength: 1 },
    authority: { type: 'string', nullable: true, minLength: 1 },
    docNumber: { type: 'string', nullable: true, minLength: 1 },
    date: { type: 'string', nullable: true, pattern: '^\\d{4}(-\\d{2}(-\\d{2})?)?$' },
    region: { type: 'string', nullable: true, minLength: 1 },
    kind: { type: 'string', nullable: true, enum: ['temporary', 'standing'] },
    expires: { type: 'string', nullable: true, pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
    effective: { type: 'string', nullable: true, pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
    effectiveText: { type: 'string', nullable: true, minLength: 1 },
    corrections: {
      type: 'array',
      nullable: true,
      items: {
        type: 'object',
        required: ['from', 'to'],
        additionalProperties: false,
        properties: { from: { type: 'string', minLength: 1 }, to: { type: 'string' } },
      },
    },
  },
};

const problems = schemaProblems(sidecarSchema);

/** Parse and check a sidecar's text; any fault is HL_ERR_SIDECAR_INVALID naming the file and the place. */
export function parseSidecar(text: string, file: string): Sidecar {
  let value: unknown;
  try {
    value = parse(text);
  } catch (err) {
    throw new HlError('HL_ERR_SIDECAR_INVALID', [file, err instanceof Error ? err.message : String(err)]);
  }
  if (value === null || value === undefined) value = { version: 1 };
  const problem = problems(value);
  if (problem) throw new HlError('HL_ERR_SIDECAR_INVALID', [file, problem]);
  return value as Sidecar;
}
