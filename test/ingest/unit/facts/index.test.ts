import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadGazetteer } from '../../../../src/geo/gazetteer.js';
import { extractFacts, FACT_TYPES } from '../../../../src/ingest/facts/index.js';
import { ingestNotice } from '../../../../src/ingest/notice.js';
import { parseSidecar } from '../../../../src/ingest/sidecar.js';
import { clause } from './clause.js';

const NOTICES = new URL('../../../../knowledge/notices/', import.meta.url);
const REGIONS = new URL('../../../../knowledge/regions.yaml', import.meta.url);

describe('extractFacts', () => {
  it('ties every fact to its clause and the exact surface text', () => {
    const c = clause('三是将定点医药机构服务协议有效期延长至2020年3月31日，咨询电话:0472-6970828。');
    const facts = extractFacts(c);
    expect(facts.map((f) => f.type)).toEqual(['deadline', 'phone']);
    for (const f of facts) {
      expect(f.clause).toBe('test#1');
      expect(f.text).toBe(c.quote.slice(f.start, f.end));
    }
  });

  it('lists facts in text order, a duration before the prescription at the same place', () => {
    const facts = extractFacts(clause('2020年3月2日起,慢性病处方用药量可放宽至三个月,咨询电话:0471-1234567'));
    expect(facts.map((f) => f.type)).toEqual(['date', 'duration', 'prescription', 'phone']);
    expect(facts.map((f) => f.start)).toEqual([...facts.map((f) => f.start)].sort((a, b) => a - b));
  });

  it('finds nothing in a clause without facts', () => {
    expect(extractFacts(clause('疫情就是命令，防控就是责任。'))).toEqual([]);
  });

  it('gives every fact a known type', () => {
    const c = clause('对特困人员给予100%救助，年度限额为3万元；拨付周转金4000万元。');
    for (const f of extractFacts(c)) expect(FACT_TYPES).toContain(f.type);
  });
});

const regions = await loadGazetteer(fileURLToPath(REGIONS));
const names = readdirSync(NOTICES)
  .filter((n) => n.endsWith('.txt'))
  .sort();

describe('facts of the notices in knowledge/notices', () => {
  it('has notices to check', () => {
    expect(names.length).toBeGreaterThan(0);
  });

  it.each(names)('cuts every fact of %s out of its clause quote by its offsets', (name) => {
    const stem = name.slice(0, -'.txt'.length);
    const sidecarFile = new URL(`${stem}.yaml`, NOTICES);
    const sidecar = existsSync(sidecarFile) ? parseSidecar(readFileSync(sidecarFile, 'utf8'), fileURLToPath(sidecarFile)) : undefined;
    const notice = ingestNotice(
      { stem, file: name, bytes: readFileSync(new URL(name, NOTICES)), ...(sidecar ? { sidecar } : {}) },
      regions,
    );
    const quotes = new Map(notice.clauses.map((c) => [c.id, c.quote]));
    expect(notice.facts.length).toBeGreaterThan(0);
    for (const f of notice.facts) {
      expect(quotes.has(f.clause)).toBe(true);
      expect(f.text).not.toBe('');
      expect(quotes.get(f.clause)?.slice(f.start, f.end)).toBe(f.text);
    }
  });
});
