import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERRORS, HlError } from '../src/errors.js';
import { ROOT } from './helpers/knowledge.js';

describe('the error registry', () => {
  it('is listed in full in the README, with each HTTP status', async () => {
    const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
    const documented = [...readme.matchAll(/^\| `(HL_ERR_[A-Z_]+)` \| ([\d—]+) \|/gm)].map((m) => [m[1], m[2]]);
    expect(documented.map(([code]) => code).sort()).toEqual(Object.keys(ERRORS).sort());
    for (const [code, status] of documented) {
      if (status !== '—') expect(ERRORS[code as keyof typeof ERRORS].status).toBe(Number(status));
    }
  });

  it('builds errors with their code, status and a filled-in message', () => {
    const e = new HlError('HL_ERR_NOTICE_NOT_FOUND', ['x-1']);
    expect(e).toBeInstanceOf(Error);
    expect(e).toMatchObject({ code: 'HL_ERR_NOTICE_NOT_FOUND', statusCode: 404, message: 'No notice with id x-1' });
  });
});
