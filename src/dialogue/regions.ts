import { matchForm } from '../ingest/normalize.js';
import type { KnowledgeBase } from '../kb/knowledge-base.js';
import { escapeRe } from '../regex.js';

/**
 * Regions named in a question, as the knowledge base knows them: the region table's names and aliases,
 * and any region a notice brought (a new city's notice adds a city). A province with notices from only
 * one of its cities stands for that city (内蒙古 → 包头).
 */
export class RegionFinder {
  private readonly forms = new Map<string, string>();
  private readonly re: RegExp | null;

  constructor(kb: KnowledgeBase) {
    const served = new Set(kb.regionNames());
    const citiesOf = new Map<string, string[]>();
    for (const e of kb.regions.entries) {
      if (e.province && served.has(e.name)) citiesOf.set(e.province, [...(citiesOf.get(e.province) ?? []), e.name]);
    }
    for (const e of kb.regions.entries) {
      const only = citiesOf.get(e.name);
      const target = served.has(e.name) ? e.name : only?.length === 1 ? (only[0] as string) : e.name;
      for (const f of [e.name, ...(e.aliases ?? [])]) this.forms.set(matchForm(f), target);
    }
    for (const name of served) if (!this.forms.has(name)) this.forms.set(name, name);
    const alternatives = [...this.forms.keys()].sort((a, b) => b.length - a.length).map(escapeRe);
    this.re = alternatives.length > 0 ? new RegExp(alternatives.join('|'), 'g') : null;
  }

  /** Regions named in a normalized question, in order, with the words that named them. */
  find(normText: string): { name: string; form: string }[] {
    if (!this.re) return [];
    const out: { name: string; form: string }[] = [];
    for (const m of normText.matchAll(this.re)) {
      const name = this.forms.get(m[0]);
      if (name && !out.some((o) => o.name === name)) out.push({ name, form: m[0] });
    }
    return out;
  }

  /** The words that name regions, so they can be left out of retrieval. */
  isRegionWord(word: string): boolean {
    return this.forms.has(word) || this.forms.has(word.replace(/[市省]$/, ''));
  }
}
