/**
 * Sentence retrieval: character bigrams, BM25's weight for a term no document has, coverage weighed by each
 * term's `cover`, and the sentences a clause is cut into (a table's rows one by one).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Accumulator, Bm25, walkPostings } from '../../src/kb/bm25.js';
import type { KnowledgeBase } from '../../src/kb/knowledge-base.js';
import { charGrams, type Hit, type Query, type QueryTerm, Retriever } from '../../src/kb/retrieval.js';
import { knowledgeOf } from '../helpers/knowledge.js';

const CHENGDU = 'chengdu-2023-05-06';
const NOTICE = `成都市医疗保障局关于门诊慢性病经办服务的通知

各区（市）县医疗保障局：
一、门诊慢性病参保人员每次可开具不超过4周的处方用药量。长期处方由定点医疗机构审核。
二、参保人员办理异地就医备案的，经办机构应在2个工作日内办结。
三、各区医保经办机构咨询电话见附件。

成都市医疗保障局
2023年5月6日

附件
各区医保经办机构咨询电话
经办机构	咨询电话
锦江区医保中心	028-86661111
青羊区医保中心	028-86662222
`;

/** A tokenizer of a fixed vocabulary, so these tests do not depend on how jieba cuts. */
const VOCABULARY = '门诊慢性病 处方 用药量 长期处方 定点医疗机构 异地就医 备案 办结 电话 医保中心 锦江区 青羊区'.split(' ');
const tokenize = (norm: string) => VOCABULARY.filter((w) => norm.includes(w));

let kb: KnowledgeBase;
let retriever: Retriever;
let remove: () => Promise<void>;
beforeAll(async () => {
  ({ kb, remove } = await knowledgeOf({ [CHENGDU]: NOTICE }));
  retriever = new Retriever(kb, tokenize);
});
afterAll(() => remove());

const term = (t: string, cover: number, weight = 1): QueryTerm => ({ term: t, weight, cover });
/** The hit for the sentence of clause `path` that contains `text`, for a query of words only. */
function hitOf(path: string, text: string, words: QueryTerm[]): Hit {
  const hit = retriever.sentencesOf(`${CHENGDU}#${path}`, { words, grams: [] }).find((h) => h.passage.text.includes(text));
  if (!hit) throw new Error(`no sentence with ${text} in ${path}`);
  return hit;
}

describe('charGrams', () => {
  it('cuts a run of characters into overlapping bigrams', () => {
    expect(charGrams('门诊慢性病')).toEqual(['门诊', '诊慢', '慢性', '性病']);
  });

  it('keeps a run of one character whole', () => {
    expect(charGrams('药')).toEqual(['药']);
  });

  it('makes no bigram across punctuation or spaces', () => {
    expect(charGrams('住院，门诊 开药')).toEqual(['住院', '门诊', '开药']);
  });

  it('takes digits and latin letters into the run they stand in', () => {
    expect(charGrams('开12周')).toEqual(['开1', '12', '2周']);
    expect(charGrams('app备案')).toEqual(['ap', 'pp', 'p备', '备案']);
  });

  it('gives nothing for a text without word characters', () => {
    expect(charGrams('，。？ ')).toEqual([]);
  });
});

describe('Bm25', () => {
  const index = () => {
    const b = new Bm25();
    b.add(['门诊', '处方']);
    b.add(['门诊', '备案']);
    b.add(['门诊', '电话']);
    b.seal();
    return b;
  };

  it('weighs a term no document has above every term that occurs', () => {
    const b = index();
    const unknown = b.idf('种植牙');
    expect(unknown).toBeCloseTo(Math.log(1 + (3 + 0.5) / 0.5));
    for (const t of ['门诊', '处方', '备案', '电话']) expect(unknown).toBeGreaterThan(b.idf(t));
    expect(b.idf('处方')).toBeGreaterThan(b.idf('门诊'));
  });

  it('scores no document for a term no document has', () => {
    const b = index();
    const into = new Accumulator(b.size);
    const postings = new Map(b.entries());
    walkPostings([postings.get('种植牙')], [term('种植牙', 1)], [1], into, 'words', 1, true);
    expect([...into.scores]).toEqual([0, 0, 0]);
    expect([...into.words]).toEqual([0, 0, 0]);
    expect(into.touched).toEqual([]);
  });

  it('gives a word no notice uses no IDF of its own in the retriever', () => {
    expect(retriever.knows('种植牙')).toBe(false);
    expect(retriever.idf('种植牙')).toBe(0);
    expect(retriever.idf('备案')).toBeGreaterThan(0);
  });
});

describe('coverage: each term counts by its IDF times its cover', () => {
  it('counts a term fully at cover 1, and not at all at cover 0', () => {
    const words = [term('门诊慢性病', 1), term('备案', 1)];
    const both = hitOf('一', '4周', words);
    const expected = retriever.idf('门诊慢性病') / (retriever.idf('门诊慢性病') + retriever.idf('备案'));
    expect(both.wordCoverage).toBeCloseTo(expected);
    expect(hitOf('一', '4周', [term('门诊慢性病', 1), term('备案', 0)]).wordCoverage).toBe(1);
  });

  it('counts a term at cover 0.5 half', () => {
    const hit = hitOf('一', '4周', [term('门诊慢性病', 1), term('备案', 0.5)]);
    const a = retriever.idf('门诊慢性病');
    expect(hit.wordCoverage).toBeCloseTo(a / (a + 0.5 * retriever.idf('备案')));
  });

  it('counts a term no notice uses at the highest weight: a sentence sharing a few words with it covers little', () => {
    const full = hitOf('一', '4周', [term('门诊慢性病', 1), term('种植牙', 1)]).wordCoverage;
    const half = hitOf('一', '4周', [term('门诊慢性病', 1), term('种植牙', 0.5)]).wordCoverage;
    const none = hitOf('一', '4周', [term('门诊慢性病', 1), term('种植牙', 0)]).wordCoverage;
    expect(full).toBeLessThan(0.5);
    expect(full).toBeLessThan(half);
    expect(half).toBeLessThan(none);
    expect(none).toBe(1);
  });

  it('counts nothing when every term has cover 0, though the terms still score', () => {
    const hit = hitOf('一', '4周', [term('门诊慢性病', 0)]);
    expect(hit.wordCoverage).toBe(0);
    expect(hit.score).toBeGreaterThan(0);
  });

  it('counts a term of the clause in its coverage, and only a term of the sentence in the sentence’s', () => {
    // 长期处方 stands in the clause's second sentence, not in the first.
    const hit = hitOf('一', '4周', [term('用药量', 1), term('长期处方', 1)]);
    expect(hit.wordCoverage).toBe(1);
    expect(hit.sentenceCoverage).toBeLessThan(1);
  });

  it('lets a term’s weight change the score, not the coverage', () => {
    const light = hitOf('一', '4周', [term('门诊慢性病', 1, 1), term('备案', 1)]);
    const heavy = hitOf('一', '4周', [term('门诊慢性病', 1, 3), term('备案', 1)]);
    expect(heavy.score).toBeGreaterThan(light.score);
    expect(heavy.wordCoverage).toBe(light.wordCoverage);
  });
});

describe('charGrams, as a scan of the text (issue 14)', () => {
  /** What the scan stands in for: the bigrams of the matches of a regular expression for runs of word characters. */
  const byRegex = (norm: string) =>
    [...norm.matchAll(/[\p{Script=Han}a-z0-9]+/gu)].flatMap((m) => {
      const run = m[0];
      return run.length === 1 ? [run] : Array.from({ length: run.length - 1 }, (_, i) => run.slice(i, i + 2));
    });

  it('cuts the runs of Han characters, letters and digits into bigrams, a lone character kept whole', () => {
    expect(charGrams('门诊慢性病，a1 医')).toEqual(['门诊', '诊慢', '慢性', '性病', 'a1', '医']);
    expect(charGrams('')).toEqual([]);
    expect(charGrams('。，ＡB')).toEqual([]);
  });

  it('finds what the regular expression finds, on random texts with punctuation, capitals and characters outside the BMP', () => {
    const alphabet = ['门', '诊', '〇', '々', 'a', 'z', '0', '9', 'A', '，', ' ', '\n', '𠀀', '𪚥', '😀', '\ud840', '\udc00', 'é', 'ｍ'];
    let seed = 11;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed;
    };
    for (let n = 0; n < 3000; n++) {
      const text = Array.from({ length: next() % 16 }, () => alphabet[next() % alphabet.length]).join('');
      expect(charGrams(text), JSON.stringify(text)).toEqual(byRegex(text));
    }
  });
});

describe('the sentences a clause is cut into', () => {
  const none: Query = { words: [], grams: [] };
  const passagesOf = (path: string) => retriever.sentencesOf(`${CHENGDU}#${path}`, none).map((h) => h.passage);

  it('cuts a policy clause at its full stops', () => {
    expect(passagesOf('一').map((p) => p.text)).toEqual([
      '一、门诊慢性病参保人员每次可开具不超过4周的处方用药量。',
      '长期处方由定点医疗机构审核。',
    ]);
  });

  it('makes each row of a table with a number its own sentence, cut at the line break', () => {
    const attachment = kb.notice(CHENGDU)?.clauses.find((c) => c.kind === 'attachment');
    expect(attachment).toBeDefined();
    const rows = passagesOf(attachment?.path ?? '').filter((p) => /\d{5,}/.test(p.text));
    expect(rows.map((p) => p.text)).toEqual(['锦江区医保中心\t028-86661111', '青羊区医保中心\t028-86662222']);
  });

  it('leaves out a table’s header row, which has no number to quote', () => {
    const attachment = kb.notice(CHENGDU)?.clauses.find((c) => c.kind === 'attachment');
    const texts = passagesOf(attachment?.path ?? '').map((p) => p.text);
    expect(texts.length).toBeGreaterThan(0);
    expect(texts.some((t) => t.includes('经办机构\t咨询电话'))).toBe(false);
  });

  it('gives each sentence the offsets of exactly its text in the clause’s quote', () => {
    const passages = (kb.notice(CHENGDU)?.clauses ?? []).flatMap((c) => retriever.sentencesOf(c.id, none).map((h) => h.passage));
    expect(passages.length).toBeGreaterThan(4);
    for (const p of passages) expect(p.clause.quote.slice(p.start, p.end)).toBe(p.text);
  });

  it('finds a row by the district it names, with only that row’s number', () => {
    const [best] = retriever.search({ words: [term('青羊区', 1), term('电话', 0)], grams: [] }, 3);
    expect(best?.passage.text).toContain('028-86662222');
    expect(best?.passage.text).not.toContain('028-86661111');
  });

  it('returns the sentences of a clause in text order', () => {
    const texts = retriever.sentencesOf(`${CHENGDU}#一`, { words: [term('长期处方', 1)], grams: [] }).map((h) => h.passage.text);
    expect(texts).toEqual(passagesOf('一').map((p) => p.text));
  });
});

describe('cost proportional to the query (issue 14)', () => {
  /** Every query the project's own questions would make, as the pipeline's query stage builds them: their words and bigrams. */
  const queries = (r: Retriever): Query[] => {
    const grams = (s: string) => [...new Set(charGrams(s))].map((g) => term(g, 1, 0.5));
    const texts = ['门诊慢性病处方用药量', '异地就医备案几个工作日办结', '青羊区医保中心电话', '长期处方谁审核', '种植牙报销'];
    return texts
      .map((t) => ({ words: VOCABULARY.filter((w) => t.includes(w)).map((w) => term(w, 1)), grams: grams(t) }))
      .filter((q) => r.knowsGram(q.grams[0]?.term ?? '') || q.words.length > 0);
  };
  const key = (hits: Hit[]) =>
    hits.map(
      (h) => `${h.passage.clause.id}@${h.passage.start}:${h.score.toFixed(9)}:${h.wordCoverage.toFixed(9)}:${h.gramCoverage.toFixed(9)}`,
    );

  it('finds the same sentences with the same scores whether it reads only the postings or passes over every sentence', () => {
    const dense = new Retriever(kb, tokenize, undefined, 'dense');
    const sparse = new Retriever(kb, tokenize, undefined, 'sparse');
    const qs = queries(dense);
    expect(qs.length).toBeGreaterThan(3);
    for (const q of qs) {
      expect(key(sparse.search(q, 5))).toEqual(key(dense.search(q, 5)));
      const region = kb.notice(CHENGDU)?.meta.region as string;
      expect(key(sparse.searchRegions(q, [region], 3).get(region) ?? [])).toEqual(
        key(dense.searchRegions(q, [region], 3).get(region) ?? []),
      );
    }
    expect(key(dense.search(qs[0] as Query, 5)).length).toBeGreaterThan(0);
  });

  it('adds up coverage in the scoring walk exactly as counting each hit’s terms would', () => {
    // search() reads coverage from what the postings walk added up; sentencesOf() counts each term of the
    // query in the sentence's and clause's sets. Both must agree, for every hit.
    // A tokenizer that cuts a short text (a sentence) into a word it never gives a long one (its clause), as
    // jieba can cut a sentence alone otherwise: the clause's coverage must still count the sentence's word.
    const cutsShortOtherwise = (norm: string) => [...tokenize(norm), ...(/^[^。]{1,28}。$/.test(norm) ? ['短句'] : [])];
    for (const [mode, cut] of [
      ['dense', tokenize],
      ['sparse', tokenize],
      ['dense', cutsShortOtherwise],
      ['sparse', cutsShortOtherwise],
    ] as const) {
      const r = new Retriever(kb, cut, undefined, mode);
      const withShort = queries(r).map((q) => ({ ...q, words: [...q.words, term('短句', 1)] }));
      for (const q of [...queries(r), ...withShort]) {
        const hits = r.search(q, 10);
        for (const h of hits) {
          // A copy of the query: not the one ranked last, so its terms are counted one by one.
          const same = r
            .sentencesOf(h.passage.clause.id, { words: q.words, grams: q.grams })
            .find((x) => x.passage.start === h.passage.start);
          expect(same).toBeDefined();
          expect(h.wordCoverage).toBeCloseTo(same?.wordCoverage ?? -1, 12);
          expect(h.gramCoverage).toBeCloseTo(same?.gramCoverage ?? -1, 12);
          expect(h.sentenceCoverage).toBeCloseTo(same?.sentenceCoverage ?? -1, 12);
          // The clause's sentences for the query just ranked (read from its walk) as counted afresh.
          const fromWalk = r.sentencesOf(h.passage.clause.id, q);
          const afresh = r.sentencesOf(h.passage.clause.id, { words: q.words, grams: q.grams });
          expect(fromWalk.map((x) => x.passage)).toEqual(afresh.map((x) => x.passage));
          fromWalk.forEach((x, i) => {
            const y = afresh[i] as Hit;
            for (const k of ['score', 'wordCoverage', 'gramCoverage', 'sentenceCoverage'] as const) expect(x[k]).toBeCloseTo(y[k], 12);
          });
        }
      }
    }
  });

  it('scores a region from its own postings exactly as over every notice: the same sentences, scores, coverage and clause sentences', async () => {
    // Three cities: one notice forwarded word for word (its clauses shared), one with a clause of its own.
    const ids = { chengdu: CHENGDU, deyang: 'deyang-2023-05-08', mianyang: 'mianyang-2023-05-09' };
    const three = await knowledgeOf({
      [ids.chengdu]: NOTICE,
      [ids.deyang]: NOTICE.replaceAll('成都市', '德阳市'),
      [ids.mianyang]: NOTICE.replaceAll('成都市', '绵阳市').replace(
        '长期处方由定点医疗机构审核。',
        '长期处方由医保中心备案，定点医疗机构审核。',
      ),
    });
    try {
      for (const mode of ['dense', 'sparse'] as const) {
        const r = new Retriever(three.kb, tokenize, undefined, mode);
        const regions = Object.values(ids).map((id) => three.kb.notice(id)?.meta.region as string);
        expect(new Set(regions).size).toBe(3);
        const qs = queries(r);
        for (const q of qs) {
          const found = r.searchRegions(q, regions, 50);
          for (const region of regions) {
            const overAll = r.search(q, 500).filter((h) => h.passage.notice.meta.region === region);
            expect(key(found.get(region) ?? []), region).toEqual(key(overAll.slice(0, 50)));
          }
          // The clause's sentences, read after the walk of another region, as after a walk over every notice.
          r.searchRegions(q, regions, 5);
          const afterRegions = key(r.sentencesOf(`${ids.chengdu}#一`, q));
          r.search(q, 5);
          expect(afterRegions).toEqual(key(r.sentencesOf(`${ids.chengdu}#一`, q)));
          expect(afterRegions.length).toBe(2);
        }
        expect(key(r.searchRegions(qs[0] as Query, regions, 5).get(regions[2] as string) ?? []).length).toBeGreaterThan(0);
        expect(r.searchRegions(qs[0] as Query, ['拉萨市'], 5).size).toBe(0);
      }
    } finally {
      await three.remove();
    }
  });

  it('indexes a clause that stands word for word in two notices once, and gives each notice its own sentence, by region', async () => {
    // The same notice forwarded as it stands by another city's bureau: its own title and signature, the same clauses.
    const forwarded = NOTICE.replaceAll('成都市', '德阳市');
    const two = await knowledgeOf({ [CHENGDU]: NOTICE, 'deyang-2023-05-08': forwarded });
    try {
      const r = new Retriever(two.kb, tokenize);
      const q = { words: [term('长期处方', 1)], grams: [] };
      const [chengdu, deyang] = [CHENGDU, 'deyang-2023-05-08'].map((id) => two.kb.notice(id)?.meta.region as string);
      expect(chengdu).not.toBe(deyang);
      const found = r.searchRegions(q, [chengdu as string, deyang as string], 3);
      expect(found.get(chengdu as string)?.[0]?.passage.notice.id).toBe(CHENGDU);
      expect(found.get(deyang as string)?.[0]?.passage.notice.id).toBe('deyang-2023-05-08');
      expect(found.get(chengdu as string)?.[0]?.score).toBe(found.get(deyang as string)?.[0]?.score);
      // Over all notices: both, each once, in the knowledge base's order.
      const all = r.search(q, 5).filter((h) => h.passage.text.startsWith('长期处方'));
      expect(all.map((h) => h.passage.notice.id)).toEqual([CHENGDU, 'deyang-2023-05-08']);
      // IDF counts the forwarded text once: the same as over one notice alone.
      expect(r.idf('长期处方')).toBeCloseTo(retriever.idf('长期处方'));
      // Each clause still answers for its own notice.
      const clause = r.sentencesOf('deyang-2023-05-08#一', q);
      expect(clause.map((h) => h.passage.notice.id)).toEqual(['deyang-2023-05-08', 'deyang-2023-05-08']);
    } finally {
      await two.remove();
    }
  });
});
