import { describe, expect, it } from 'vitest';
import { preferred } from '../../src/channels/http/accept.js';

const PAGE = ['text/html', 'application/json'] as const;
const API = ['application/json', 'text/html'] as const;

describe('content negotiation on Accept', () => {
  it('gives the first offered type when there is no header, only */*, or nothing acceptable', () => {
    for (const accept of [undefined, '', '*/*', 'image/png', 'text/html;q=0, application/json;q=0']) {
      expect(preferred(accept, PAGE)).toBe('text/html');
      expect(preferred(accept, API)).toBe('application/json');
    }
  });

  it('gives a browser HTML: named at q=1 beats JSON reached through */*;q=0.8', () => {
    const chrome = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8';
    const firefox = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
    for (const accept of [chrome, firefox, 'text/*']) expect(preferred(accept, API)).toBe('text/html');
  });

  it('goes by q-value, then by what the client named itself, then by the order it listed them', () => {
    expect(preferred('application/json', PAGE)).toBe('application/json');
    expect(preferred('application/json;q=0.1, text/html', PAGE)).toBe('text/html');
    expect(preferred('text/html;q=0.5, application/json', PAGE)).toBe('application/json');
    expect(preferred('application/json, text/html', PAGE)).toBe('application/json');
    expect(preferred('text/html, application/json', API)).toBe('text/html');
    expect(preferred('*/*, application/json', PAGE)).toBe('application/json');
    expect(preferred('Application/JSON; charset=utf-8', PAGE)).toBe('application/json');
    expect(preferred('text/html;q=0, */*', PAGE)).toBe('application/json');
  });
});
