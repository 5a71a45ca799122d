import type { Gazetteer } from '../geo/gazetteer.js';
import type { Fact, FactType } from '../ingest/facts/index.js';
import type { SkippedNotice } from '../ingest/load.js';
import type { Notice } from '../ingest/notice.js';
import type { Clause } from '../ingest/structure.js';

/** Provenance of an answer, as every client receives it (DESIGN.md). */
export interface Citation {
  notice: string;
  clause: string;
  title: string | null;
  authority: string | null;
  docNumber: string | null;
  date: string | null;
  /** As published. */
  quote: string;
  url: string;
  /** The quote in the reader's script, when the notice is published in the other one. */
  readerQuote?: string;
}

export interface FactQuery {
  type?: FactType;
  region?: string;
  notice?: string;
}

/** The built knowledge base: notices with their clauses and facts, and lookups over them. Immutable. */
export class KnowledgeBase {
  readonly notices: readonly Notice[];
  readonly skipped: readonly SkippedNotice[];
  /** Every place, by any name: a notice's region, a request's `region` and a city in a question resolve here. */
  readonly regions: Gazetteer;
  readonly builtAt: string;
  private readonly noticeById = new Map<string, Notice>();
  private readonly clauseById = new Map<string, Clause>();
  private readonly noticesByRegion = new Map<string, Notice[]>();

  constructor(input: { notices: readonly Notice[]; skipped: readonly SkippedNotice[]; regions: Gazetteer; builtAt: Date }) {
    this.notices = input.notices;
    this.skipped = input.skipped;
    this.regions = input.regions;
    this.builtAt = input.builtAt.toISOString();
    for (const n of this.notices) {
      this.noticeById.set(n.id, n);
      for (const c of n.clauses) this.clauseById.set(c.id, c);
      if (n.meta.region) {
        const list = this.noticesByRegion.get(n.meta.region) ?? [];
        list.push(n);
        this.noticesByRegion.set(n.meta.region, list);
      }
    }
    Object.freeze(this);
  }

  notice(id: string): Notice | undefined {
    return this.noticeById.get(id);
  }

  /** A clause by its full id, `baotou-2022-10-08#五`. */
  clause(id: string): Clause | undefined {
    return this.clauseById.get(id);
  }

  /** Regions that have at least one notice (place names, 全国 for national notices), in name order. */
  regionNames(): string[] {
    return [...this.noticesByRegion.keys()].sort();
  }

  /** The notices of a region, by its name or any form of it (包頭市, 黔東南); only that region's own. */
  noticesOf(region: string): readonly Notice[] {
    const name = this.regions.canonical(region) ?? region;
    return this.noticesByRegion.get(name) ?? [];
  }

  /**
   * The regions whose notices apply to a place: the names in its lineage that have notices, most specific
   * first, ending with 全国 when there are national notices (遵义 → [贵州, 全国], 黄岛 → [青岛, 全国]).
   * Empty for a name that is no place.
   */
  scopesOf(region: string): string[] {
    const name = this.regions.canonical(region);
    const place = name ? this.regions.place(name) : undefined;
    if (!place) return [];
    return this.regions
      .lineage(place)
      .map((p) => p.name)
      .filter((n) => this.noticesByRegion.has(n));
  }

  facts(query: FactQuery = {}): Fact[] {
    const notices = query.notice
      ? [this.notice(query.notice)].filter((n): n is Notice => n !== undefined)
      : query.region
        ? this.noticesOf(query.region)
        : this.notices;
    return notices.flatMap((n) => (query.type ? n.facts.filter((f) => f.type === query.type) : n.facts));
  }

  /** The citation for a clause; `quote` narrows it to a sentence of the clause (it must stand in it). */
  citation(clauseId: string, quote?: string): Citation | undefined {
    const clause = this.clause(clauseId);
    const notice = clause ? this.notice(clauseId.slice(0, clauseId.indexOf('#'))) : undefined;
    if (!clause || !notice) return undefined;
    return {
      notice: notice.id,
      clause: clause.path,
      title: notice.meta.title,
      authority: notice.meta.authority,
      docNumber: notice.meta.docNumber,
      date: notice.meta.date,
      quote: quote !== undefined && clause.quote.includes(quote) ? quote : clause.quote,
      url: `/notices/${encodeURIComponent(notice.id)}#${encodeURIComponent(clause.path)}`,
    };
  }

  get counts(): { notices: number; clauses: number; facts: number; skipped: number } {
    return {
      notices: this.notices.length,
      clauses: this.clauseById.size,
      facts: this.notices.reduce((n, x) => n + x.facts.length, 0),
      skipped: this.skipped.length,
    };
  }
}
