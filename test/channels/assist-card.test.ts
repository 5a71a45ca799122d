/**
 * Issue 13, item 6: assist uses the card's facts. A caller asking for a contact (医保热线是多少) gets the
 * ones the region's quick-reference card lists, cited, though no clause of the region says 热线 (包头's
 * card lists three 咨询电话); and `GET /api/agent/card` names its sources readably and keeps the noise out.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { knowledgeWith } from '../../src/eval/knowledge-copy.js';
import { matchForm } from '../../src/ingest/normalize.js';
import { buildFromDir } from '../../src/kb/load.js';
import { build } from '../helpers/app.js';
import { KNOWLEDGE_DIR, ROOT } from '../helpers/knowledge.js';

const TOKEN = 'alice-token-0123456789';
const AGENTS = { AGENT_TOKENS: `alice:${TOKEN}` };
const OTHER = join(ROOT, 'test', 'eval', 'other', 'notices');
const GENERALITY = join(ROOT, '..', 'shared', 'eval', 'generality', 'notices');

interface Suggestion {
  text: string;
  citations: { notice: string; clause: string; quote: string }[];
  intent: string;
  confidence: number;
  region: string;
}

async function assist(app: Awaited<ReturnType<typeof build>>['app'], text: string, region?: string): Promise<Suggestion[]> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/assist',
    headers: { authorization: `Bearer ${TOKEN}` },
    payload: { text, ...(region ? { region } : {}) },
  });
  expect(res.statusCode).toBe(200);
  return res.json().suggestions;
}

/** Every number listed (a run of five or more digits on a `· ` line) stands in one of the citations' quotes. */
function grounded(s: Suggestion): void {
  const quotes = matchForm(s.citations.map((c) => c.quote).join('\n')).replace(/[\s-]/g, '');
  const listed = s.text.split('\n').filter((l) => l.startsWith('· '));
  expect(listed.length).toBeGreaterThan(0);
  for (const n of matchForm(listed.join('\n'))
    .replace(/-/g, '')
    .match(/\d{5,}/g) ?? [])
    expect(quotes, n).toContain(n);
}

const listing = (s: readonly Suggestion[]) => s.find((x) => x.citations.length > 0 && /通知列出的/.test(x.text));

describe('assist, asked for a contact', () => {
  it('suggests 包头’s three numbers from its card, cited, for 医保热线是多少', async () => {
    const { app } = await build(AGENTS);
    const [first, ...rest] = await assist(app, '医保热线是多少', '包头');
    expect(first).toBeDefined();
    const s = first as Suggestion;
    for (const n of ['0472-6970828', '0472-6970829', '0472-6169515']) expect(s.text).toContain(n);
    expect(s.region).toBe('包头');
    expect(s.intent).toBe('contact.phone');
    expect(new Set(s.citations.map((c) => `${c.notice}#${c.clause}`))).toEqual(
      new Set(['baotou-2022-10-08#十二.四', 'baotou-2022-10-08#十三']),
    );
    // With its office, the source and the reminder that the measure was temporary, as an answer ends.
    expect(s.text).toContain('灵活就业和全国范围内转移接续咨询：0472-6970829');
    expect(s.text).toMatch(/来源：.*2022-10-08/);
    expect(s.text).toContain('临时性措施');
    grounded(s);
    expect(rest.every((r) => r.region === '包头')).toBe(true);
  });

  it('answers a Traditional question in Traditional', async () => {
    const { app } = await build(AGENTS);
    const [first] = await assist(app, '醫保熱線是多少', '包头');
    expect(first?.text).toContain('靈活就業');
    expect(first?.text).toContain('0472-6970829');
  });

  it('puts the listing after the retrieved answer when the question names its topic', async () => {
    const { app } = await build(AGENTS);
    const [first, second] = await assist(app, '灵活就业的咨询电话是多少', '包头');
    expect(first?.text).toContain('0472-6970829');
    expect(first?.text).not.toContain('通知列出的');
    expect(second?.text).toContain('通知列出的');
  });

  it('adds no listing when the retrieved answers already quote every number it would list (大连)', async () => {
    const { app } = await build(AGENTS);
    const suggestions = await assist(app, '医保热线是多少', '大连');
    expect(suggestions[0]?.text).toContain('83709222');
    expect(listing(suggestions)).toBeUndefined();
  });

  it('adds no listing to a question that asks for no contact, nor without a region', async () => {
    const { app } = await build(AGENTS);
    expect(listing(await assist(app, '高血压一次能开几个月的药', '包头'))).toBeUndefined();
    expect(listing(await assist(app, '医保热线是多少'))).toBeUndefined();
  });

  it('does the same for a city of the project’s other set (福州, a Traditional notice with eight numbers)', async () => {
    const copy = await knowledgeWith(KNOWLEDGE_DIR, [OTHER]);
    try {
      const { app } = await build(AGENTS, () => buildFromDir(copy.dir));
      const s = listing(await assist(app, '医保热线是多少', '福州'));
      expect(s?.text).toContain('市医保中心：0591-87605512');
      expect(s?.text.match(/0591-\d{8}/g)).toHaveLength(8);
      expect(s?.citations.every((c) => c.notice === 'fuzhou-2022-10-24')).toBe(true);
      grounded(s as Suggestion);
    } finally {
      await copy.remove();
    }
  });

  it.skipIf(!existsSync(GENERALITY))('does the same for cities of the shared generality set (海南, 宁波)', async () => {
    const copy = await knowledgeWith(KNOWLEDGE_DIR, [GENERALITY]);
    try {
      const { app } = await build(AGENTS, () => buildFromDir(copy.dir));
      const hainan = listing(await assist(app, '医保热线是多少', '海南'));
      for (const n of ['0898-66813027', '0898-88361952', '0898-23326147', '0898-62817733']) expect(hainan?.text).toContain(n);
      expect(hainan?.citations.every((c) => c.notice === 'hainan-2022-09-20')).toBe(true);
      grounded(hainan as Suggestion);
      const ningbo = listing(await assist(app, '医保热线是多少', '宁波'));
      expect(ningbo?.text).toContain('0574-87706312');
      grounded(ningbo as Suggestion);
    } finally {
      await copy.remove();
    }
  });
});

describe('GET /api/agent/card', () => {
  it('gives each entry its notice’s short title and date and each phone its hours; the sources listed once', async () => {
    const { app } = await build(AGENTS);
    const card = (await app.inject({ url: '/api/agent/card?region=大连', headers: { authorization: `Bearer ${TOKEN}` } })).json();
    expect(card.region).toBe('大连');
    expect(card.sources).toEqual([
      {
        notice: 'dalian-2020-02-20',
        source: '第七场专题发布会聚焦疫情防控医疗保障工作',
        title: '第七场专题发布会聚焦疫情防控医疗保障工作',
        date: '2020-02-20',
        url: '/notices/dalian-2020-02-20',
      },
    ]);
    const phone = card.entries.find((e: { type: string }) => e.type === 'phone');
    expect(phone).toMatchObject({
      text: '83709222',
      hours: '24小时',
      source: '第七场专题发布会聚焦疫情防控医疗保障工作',
      date: '2020-02-20',
    });
    expect(card.entries.map((e: { text: string }) => e.text)).not.toContain('4000万');
  });
});
