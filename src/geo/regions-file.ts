import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { HlError } from '../errors.js';
import { dataChecker, type Schema } from '../schema.js';

/**
 * `knowledge/regions.yaml`: what the GB/T 2260 data lacks and nothing else — one-character short names
 * for set phrases (离沪, 回京, 来渝), colloquial names (旅顺, 西海岸新区, 首都), and the few bare names that
 * are ordinary words more often than places beyond what jieba's dictionary already tells.
 */
export interface RegionsFile {
  version: number;
  /** One character → the place it stands for in set phrases: `沪: 上海`. */
  abbreviations: Record<string, string>;
  /** Colloquial name → the place it means (any form of it that names one place): `旅顺: 旅顺口区`. */
  aliases: Record<string, string>;
  /** Bare names never taken as mentions in running text (they still resolve when asked for). */
  ordinaryWords: string[];
}

const regionsSchema: Schema<RegionsFile> = {
  type: 'object',
  required: ['version', 'abbreviations', 'aliases', 'ordinaryWords'],
  additionalProperties: false,
  properties: {
    version: { type: 'integer', const: 2 },
    abbreviations: {
      type: 'object',
      required: [],
      propertyNames: { minLength: 1, maxLength: 1 },
      additionalProperties: { type: 'string', minLength: 1 },
    },
    aliases: {
      type: 'object',
      required: [],
      propertyNames: { minLength: 2 },
      additionalProperties: { type: 'string', minLength: 1 },
    },
    ordinaryWords: { type: 'array', items: { type: 'string', minLength: 2 } },
  },
};

export const checkRegionsFile = dataChecker(regionsSchema);

/** Read and check `regions.yaml`; any fault is HL_ERR_DATA_INVALID naming the file and the place. */
export async function readRegionsFile(file: string): Promise<RegionsFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new HlError('HL_ERR_DATA_INVALID', [file, (err as Error).message], { cause: err });
  }
  let value: unknown;
  try {
    value = parse(text);
  } catch (err) {
    throw new HlError('HL_ERR_DATA_INVALID', [file, (err as Error).message], { cause: err });
  }
  return checkRegionsFile(value, file);
}
