import type { FormEntry, FormKind } from './forms.js';
import type { WordContext } from './lexicon.js';
import type { Place } from './places.js';
import { sortedIndexOf } from './sorted.js';

const KINDS: readonly FormKind[] = ['name', 'full', 'short', 'combined', 'alias'];
const STRONG = 1;
const GENERIC = 2;
const ORDINARY = 4;
const LISTED = 8;
const EDGE_LEFT = 16;
const EDGE_BOTH = 32;

/** PackedForms as the build cache keeps it: a few strings and typed arrays instead of 34,000 objects. */
export interface PackedFormsData {
  /** Every form, joined by NUL, in id order: sorted (by UTF-16 code units), so a form is found by bisection. */
  forms: string;
  /** Where each id's places start in `placeIndexes` (one more than there are forms). */
  placeStart: Int32Array;
  /** Indexes into the places array, each id's in order. */
  placeIndexes: Int32Array;
  /** The kind of each of those (index into KINDS). */
  kinds: Uint8Array;
  /** strong, generic, ordinary, listed and edges, by id. */
  flags: Uint8Array;
  /** Blockers of the ids that have some. */
  blockers: Map<number, readonly WordContext[]>;
  /** Heads (first two characters) joined by NUL, and the ids of each head's forms in order. */
  heads: string;
  headStart: Int32Array;
  headIds: Int32Array;
}

/**
 * The finished forms of every place, packed (issue 14): the 34,000 entries (most of them a parent's form
 * before a child's: 浙江宁波) took 20 MB of heap as objects and a tenth of a second to read back from the
 * cache. An entry is made when it is first looked at — a question or a notice touches a few dozen.
 */
export class PackedForms {
  private readonly forms: string[];
  private readonly headIds = new Map<string, number>();
  private readonly made: (FormEntry | undefined)[] = [];
  private readonly madeHeads = new Map<string, readonly FormEntry[]>();

  constructor(
    private readonly data: PackedFormsData,
    private readonly places: readonly Place[],
  ) {
    this.forms = data.forms === '' ? [] : data.forms.split('\u0000');
    const heads = data.heads === '' ? [] : data.heads.split('\u0000');
    for (const [i, head] of heads.entries()) this.headIds.set(head, i);
  }

  /** Pack finished entries (the places they name are found in `places`) and their head lists. */
  static pack(entries: Iterable<FormEntry>, heads: ReadonlyMap<string, readonly FormEntry[]>, places: readonly Place[]): PackedForms {
    const indexOf = new Map(places.map((p, i) => [p, i]));
    const idOf = new Map<FormEntry, number>();
    const forms: string[] = [];
    const placeStart: number[] = [0];
    const placeIndexes: number[] = [];
    const kinds: number[] = [];
    const flags: number[] = [];
    const blockers = new Map<number, readonly WordContext[]>();
    for (const entry of [...entries].sort((a, b) => (a.form < b.form ? -1 : a.form > b.form ? 1 : 0))) {
      const id = forms.length;
      idOf.set(entry, id);
      forms.push(entry.form);
      for (const [i, place] of entry.places.entries()) {
        const at = indexOf.get(place);
        if (at === undefined) throw new Error(`PackedForms.pack: ${place.name} is not among the places`);
        placeIndexes.push(at);
        kinds.push(KINDS.indexOf(entry.kinds[i] as FormKind));
      }
      placeStart.push(placeIndexes.length);
      flags.push(
        (entry.strong ? STRONG : 0) |
          (entry.generic ? GENERIC : 0) |
          (entry.ordinary ? ORDINARY : 0) |
          (entry.listed ? LISTED : 0) |
          (entry.edges === 'left' ? EDGE_LEFT : entry.edges === 'both' ? EDGE_BOTH : 0),
      );
      if (entry.blockers.length > 0) blockers.set(id, entry.blockers);
    }
    const headNames: string[] = [];
    const headStart: number[] = [0];
    const headIds: number[] = [];
    for (const [head, list] of heads) {
      headNames.push(head);
      for (const entry of list) {
        const id = idOf.get(entry);
        if (id === undefined) throw new Error(`PackedForms.pack: the list of '${head}' holds a form that is not among the entries`);
        headIds.push(id);
      }
      headStart.push(headIds.length);
    }
    const data: PackedFormsData = {
      forms: forms.join('\u0000'),
      placeStart: Int32Array.from(placeStart),
      placeIndexes: Int32Array.from(placeIndexes),
      kinds: Uint8Array.from(kinds),
      flags: Uint8Array.from(flags),
      blockers,
      heads: headNames.join('\u0000'),
      headStart: Int32Array.from(headStart),
      headIds: Int32Array.from(headIds),
    };
    return new PackedForms(data, places);
  }

  /** What the build cache keeps (the places are kept beside it). */
  toData(): PackedFormsData {
    return this.data;
  }

  has(form: string): boolean {
    return sortedIndexOf(this.forms, form) >= 0;
  }

  get(form: string): FormEntry | undefined {
    const id = sortedIndexOf(this.forms, form);
    return id < 0 ? undefined : this.entry(id);
  }

  /** The forms starting with a head, longest first, as they were packed. */
  startingWith(head: string): readonly FormEntry[] | undefined {
    let list = this.madeHeads.get(head);
    if (list) return list;
    const i = this.headIds.get(head);
    if (i === undefined) return undefined;
    const { headStart, headIds } = this.data;
    const made: FormEntry[] = [];
    for (let k = headStart[i] as number; k < (headStart[i + 1] as number); k++) made.push(this.entry(headIds[k] as number));
    list = made;
    this.madeHeads.set(head, list);
    return list;
  }

  /** Every entry, in form order. */
  *entries(): IterableIterator<FormEntry> {
    for (let id = 0; id < this.forms.length; id++) yield this.entry(id);
  }

  /** Every head and its forms, longest first. */
  *heads(): IterableIterator<[string, readonly FormEntry[]]> {
    for (const head of this.headIds.keys()) yield [head, this.startingWith(head) as readonly FormEntry[]];
  }

  private entry(id: number): FormEntry {
    let entry = this.made[id];
    if (entry) return entry;
    const { placeStart, placeIndexes, kinds, flags } = this.data;
    const places: Place[] = [];
    const entryKinds: FormKind[] = [];
    for (let k = placeStart[id] as number; k < (placeStart[id + 1] as number); k++) {
      places.push(this.places[placeIndexes[k] as number] as Place);
      entryKinds.push(KINDS[kinds[k] as number] as FormKind);
    }
    const f = flags[id] as number;
    entry = {
      form: this.forms[id] as string,
      places,
      kinds: entryKinds,
      strong: (f & STRONG) !== 0,
      generic: (f & GENERIC) !== 0,
      ordinary: (f & ORDINARY) !== 0,
      listed: (f & LISTED) !== 0,
      edges: f & EDGE_LEFT ? 'left' : f & EDGE_BOTH ? 'both' : 'none',
      blockers: this.data.blockers.get(id) ?? [],
    };
    this.made[id] = entry;
    return entry;
  }
}
