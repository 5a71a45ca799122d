import { matchForm } from '../ingest/normalize.js';
import { isOrdinaryWord, type Lexicon, type WordContext } from './lexicon.js';
import { PackedForms, type PackedFormsData } from './packed-forms.js';
import { levelRank, type Place } from './places.js';

/** How a form names a place: its name, full name, short form, a parent's form before its own, an alias. */
export type FormKind = 'name' | 'full' | 'short' | 'combined' | 'alias';

export interface FormEntry {
  /** The form in match form (Simplified, width-folded). */
  form: string;
  /** The places it may mean, preferred first once finished. */
  places: Place[];
  kinds: FormKind[];
  /** A full name, a parent-and-child form or an alias: taken as it stands, no containing-word test. */
  strong: boolean;
  /** A generic full name (城区, 开发区): resolves, but is never a mention. */
  generic: boolean;
  /** A bare name that is an ordinary word (和平, 东方, 大同): resolves, but is never a mention. */
  ordinary: boolean;
  /** Listed as an ordinary word in regions.yaml. */
  listed: boolean;
  /**
   * Which edges are checked against common words that straddle them (全市|中小 around 市中, 确保|定点
   * around 保定, 沿海 before 海城市): both for a bare city or county name, the left one for a county's full
   * name, none for provinces (上海南京路 names 上海).
   */
  edges: 'both' | 'left' | 'none';
  /** Longer words that contain it without naming the place (太平洋 around 太平). */
  blockers: readonly WordContext[];
}

/**
 * Every form of every place, and the forms that can be mentions indexed by their first two characters,
 * longest first. A table made `from` another shares its entries and copies one only when it changes it,
 * so the data's table is built once and each regions.yaml adds to a cheap copy. The data's table is
 * packed once finished (`packed`): its entries are made when first looked at.
 */
export class FormTable {
  private readonly entries: Map<string, FormEntry>;
  private readonly heads: Map<string, readonly FormEntry[]>;
  private readonly owned = new Set<FormEntry>();
  private readonly ownedHeads = new Set<string>();
  private readonly changed = new Set<FormEntry>();
  /** The packed table under this one's own entries, if any. */
  private readonly base: PackedForms | null;

  /** A table over another's entries (copied on change), or over a packed table. */
  constructor(from?: FormTable | PackedForms) {
    const table = from instanceof FormTable ? from : undefined;
    this.entries = new Map(table?.entries);
    this.heads = new Map(table?.heads);
    this.base = from instanceof PackedForms ? from : (table?.base ?? null);
  }

  /** A finished table, packed, its own entries over those it was made from: the same forms, entries and head lists (issue 14). */
  static packed(table: FormTable, places: readonly Place[]): FormTable {
    if (table.changed.size > 0) throw new Error('FormTable.packed: finish() the table first');
    const entries = new Map<string, FormEntry>();
    const heads = new Map<string, readonly FormEntry[]>();
    if (table.base) {
      for (const entry of table.base.entries()) entries.set(entry.form, entry);
      for (const [head, list] of table.base.heads()) heads.set(head, list);
    }
    for (const [form, entry] of table.entries) entries.set(form, entry);
    for (const [head, list] of table.heads) heads.set(head, list);
    return new FormTable(PackedForms.pack(entries.values(), heads, places));
  }

  /** A packed table from `toData()`'s data and the places it names (for the build cache). */
  static fromData(data: PackedFormsData, places: readonly Place[]): FormTable {
    return new FormTable(new PackedForms(data, places));
  }

  /** A packed table's data (kept in the build cache beside its places). */
  toData(): PackedFormsData {
    if (!this.base || this.entries.size > 0) throw new Error('FormTable.toData: only a packed table has data');
    return this.base.toData();
  }

  get(form: string): FormEntry | undefined {
    return this.entries.get(form) ?? this.base?.get(form);
  }

  has(form: string): boolean {
    return this.entries.has(form) || (this.base?.has(form) ?? false);
  }

  /** Forms that can be mentions starting with these two characters, longest first. */
  startingWith(head: string): readonly FormEntry[] | undefined {
    return this.heads.get(head) ?? this.base?.startingWith(head);
  }

  /** Register a form (and its match form, when different) for a place. */
  add(form: string, place: Place, kind: FormKind, generic = false): void {
    for (const key of new Set([form, matchForm(form)])) {
      const entry = this.writable(key);
      const at = entry.places.indexOf(place);
      if (at < 0) {
        entry.places.push(place);
        entry.kinds.push(kind);
      } else if (kind !== 'short') entry.kinds[at] = kind;
      if (!generic) entry.generic = false;
    }
  }

  /** Mark a form as an ordinary word; false when no place has it. */
  markOrdinary(form: string): boolean {
    const key = matchForm(form);
    if (!this.has(key)) return false;
    this.writable(key).listed = true;
    return true;
  }

  /** Order the changed entries' places, decide how each is matched in text, and index them. */
  finish(lexicon: Lexicon): void {
    for (const entry of this.changed) this.finishEntry(entry, lexicon);
    const heads = new Set<string>();
    for (const entry of this.changed) {
      if (entry.places.every((p) => p.level === 'country') || entry.form.length < 2) continue;
      const head = entry.form.slice(0, 2);
      const list = this.ownedHeads.has(head) ? ((this.heads.get(head) ?? []) as FormEntry[]) : [...(this.startingWith(head) ?? [])];
      const at = list.findIndex((e) => e.form === entry.form);
      if (at >= 0) list[at] = entry;
      else list.push(entry);
      this.heads.set(head, list);
      this.ownedHeads.add(head);
      heads.add(head);
    }
    for (const head of heads) (this.heads.get(head) as FormEntry[] | undefined)?.sort((a, b) => b.form.length - a.form.length);
    this.changed.clear();
  }

  private writable(key: string): FormEntry {
    let entry = this.get(key);
    if (entry && !this.owned.has(entry)) {
      entry = { ...entry, places: [...entry.places], kinds: [...entry.kinds] };
      this.entries.set(key, entry);
    }
    if (!entry) {
      entry = {
        form: key,
        places: [],
        kinds: [],
        strong: false,
        generic: true,
        ordinary: false,
        listed: false,
        edges: 'none',
        blockers: [],
      };
      this.entries.set(key, entry);
    }
    this.owned.add(entry);
    this.changed.add(entry);
    return entry;
  }

  private finishEntry(entry: FormEntry, lexicon: Lexicon): void {
    const kindOf = new Map(entry.places.map((p, i) => [p, entry.kinds[i] as FormKind]));
    const bare = (p: Place) => (kindOf.get(p) === 'short' ? 1 : 0);
    entry.places.sort(
      (a, b) =>
        Number(b.name === entry.form) - Number(a.name === entry.form) ||
        levelRank(a.level) - levelRank(b.level) ||
        bare(a) - bare(b) ||
        a.code.localeCompare(b.code),
    );
    entry.kinds = entry.places.map((p) => kindOf.get(p) as FormKind);
    entry.strong = entry.kinds.some((k) => k !== 'short');
    const countyOnly = entry.places.every((p) => p.level === 'county');
    const belowProvince = entry.places.every((p) => p.level === 'city' || p.level === 'county');
    const fullOnly = entry.places.every((p) => p.fullName === entry.form);
    entry.edges = !entry.strong ? (belowProvince ? 'both' : 'none') : countyOnly && fullOnly ? 'left' : 'none';
    entry.blockers = entry.strong ? [] : lexicon.containing(entry.form).filter((b) => !this.has(b.word));
    entry.ordinary = entry.listed || (!entry.strong && countyOnly && isOrdinaryWord(lexicon.info(entry.form)));
  }
}
