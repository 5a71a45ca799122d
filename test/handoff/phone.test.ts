import { describe, expect, it } from 'vitest';
import { normalizePhone } from '../../src/handoff/phone.js';

describe('normalizePhone', () => {
  it.each([
    ['13812345678', '13812345678'],
    ['138 1234 5678', '13812345678'],
    ['138-1234-5678', '13812345678'],
    ['+86 138 1234 5678', '13812345678'],
    ['+8613812345678', '13812345678'],
    ['8613812345678', '13812345678'],
    ['１３８１２３４５６７８', '13812345678'],
    ['＋８６　１３９－０００１－２２３３', '13900012233'],
    [' 19912345678 ', '19912345678'],
  ])('accepts the mobile %s as %s', (input, expected) => {
    expect(normalizePhone(input)).toBe(expected);
  });

  it.each([
    ['0471-6970828', '04716970828'],
    ['04716970828', '04716970828'],
    ['010-12345678', '01012345678'],
    ['010 1234 5678', '01012345678'],
    ['010-1234-5678', '01012345678'],
    ['0471 697 0828', '04716970828'],
    ['(0471)6970828', '04716970828'],
    ['０４７１－６９７０８２８', '04716970828'],
    ['0471—6970828', '04716970828'],
    ['0471-6970828-123', '04716970828-123'],
    ['010-12345678转8001', '01012345678-8001'],
  ])('accepts the landline %s as %s', (input, expected) => {
    expect(normalizePhone(input)).toBe(expected);
  });

  it.each([
    ['', 'empty'],
    ['12345678901', 'a mobile prefix 12'],
    ['1381234567', 'ten digits'],
    ['138123456789', 'twelve digits'],
    ['6970828', 'a landline without area code'],
    ['0471-697082', 'a landline number of six digits'],
    ['0471-697082812', 'a landline number of nine digits'],
    ['001-2345678', 'an international prefix as area code'],
    ['+86 0471 6970828', 'a landline after the country code'],
    ['0471-6970828-1234567', 'an extension of seven digits'],
    ['1381234567８a', 'a letter'],
    ['138 1234 5678 138 1234 5678 138 1234 5678 138', 'over 40 characters'],
    ['12315', 'a service number'],
    ['400-123-4567', 'a 400 number'],
  ])('refuses %j (%s)', (input) => {
    expect(normalizePhone(input)).toBeNull();
  });
});
