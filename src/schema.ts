import { readFile } from 'node:fs/promises';
import { Ajv, type ErrorObject, type JSONSchemaType, type ValidateFunction } from 'ajv';
import { parse } from 'yaml';
import { HlError } from './errors.js';

/** One Ajv for the data files, made on first use: data read back from the build cache is not checked again. */
let ajv: Ajv | null = null;

/** A validator compiled on its first call (issue 14: compiling every data format's schema at import took 150 ms). */
function lazily<T>(schema: JSONSchemaType<T>): ValidateFunction<T> {
  let compiled: ValidateFunction<T> | null = null;
  const validate = ((value: unknown) => {
    ajv ??= new Ajv({ allErrors: true, allowUnionTypes: true });
    compiled ??= ajv.compile(schema);
    const ok = compiled(value);
    validate.errors = compiled.errors;
    return ok;
  }) as ValidateFunction<T>;
  return validate;
}

export type Schema<T> = JSONSchemaType<T>;

function describe(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? [])
    .map((e) => {
      const where = e.instancePath === '' ? '(top level)' : e.instancePath;
      const extra = e.keyword === 'additionalProperties' ? ` '${String(e.params.additionalProperty)}'` : '';
      return `${where} ${e.message ?? 'is invalid'}${extra}`;
    })
    .join('; ');
}

/**
 * A checker for one data format: returns the value typed, or throws HL_ERR_DATA_INVALID naming the file
 * and the place in it.
 */
export function dataChecker<T>(schema: JSONSchemaType<T>): (value: unknown, file: string) => T {
  const validate = lazily(schema);
  return (value, file) => {
    if (validate(value)) return value;
    throw new HlError('HL_ERR_DATA_INVALID', [file, describe(validate.errors)]);
  };
}

/** Same as dataChecker, for callers that want the reason as a string rather than a thrown error. */
export function schemaProblems<T>(schema: JSONSchemaType<T>): (value: unknown) => string | null {
  const validate = lazily(schema);
  return (value) => (validate(value) ? null : describe(validate.errors));
}

/** A YAML data file's value; an unreadable or malformed file throws HL_ERR_DATA_INVALID naming it. */
export async function readYaml(file: string): Promise<unknown> {
  try {
    return parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new HlError('HL_ERR_DATA_INVALID', [file, (err as Error).message], { cause: err });
  }
}
