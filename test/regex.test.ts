import { describe, expect, it } from 'vitest';
import { escapeRe } from '../src/regex.js';

describe('escapeRe', () => {
  it('escapes every character a pattern gives a meaning', () => {
    const special = ['.', '*', '+', '?', '^', '$', '{', '}', '(', ')', '|', '[', ']', '\\'].join('');
    expect(new RegExp(`^${escapeRe(special)}$`).test(special)).toBe(true);
  });
});
