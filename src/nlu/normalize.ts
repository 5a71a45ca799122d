import { matchForm } from '../ingest/normalize.js';
import { detectScript } from '../ingest/script.js';
import { escapeRe } from '../regex.js';
import type { SynonymsFile } from './data.js';

export interface NormalizedText {
  /** Simplified, width-folded, lower case, with synonyms and typos rewritten to their canonical terms. */
  norm: string;
  /** The script the user wrote in, so the reply can be given in it. */
  script: 'simplified' | 'traditional';
}

/** Question normalization: script and width folding, then one pass of synonym and typo rewriting. */
export class Normalizer {
  private readonly canonical = new Map<string, string>();
  private readonly re: RegExp | null;

  constructor(data: SynonymsFile) {
    for (const map of [data.synonyms, data.typos ?? {}]) {
      for (const [canonical, variants] of Object.entries(map)) {
        for (const v of variants) this.canonical.set(matchForm(v), matchForm(canonical));
      }
    }
    const variants = [...this.canonical.keys()].sort((a, b) => b.length - a.length).map(escapeRe);
    this.re = variants.length > 0 ? new RegExp(variants.join('|'), 'g') : null;
  }

  /** Rewrite synonyms and typos in text already in match form (questions and indexed notices alike). */
  rewrite(norm: string): string {
    return this.re ? norm.replace(this.re, (v) => this.canonical.get(v) ?? v) : norm;
  }

  normalize(text: string): NormalizedText {
    if (this.last?.text === text) return this.last.out;
    const folded = matchForm(text.trim()).replace(/\s+/g, ' ');
    const norm = this.rewrite(folded);
    const out: NormalizedText = { norm, script: detectScript(text) === 'traditional' ? 'traditional' : 'simplified' };
    this.last = { text, out };
    return out;
  }

  /** The last text normalized: a question is normalized for its place names and for its words alike. */
  private last: { text: string; out: NormalizedText } | null = null;
}
