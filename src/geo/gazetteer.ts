import { type BuildCache, fileParts } from '../cache.js';
import { HlError } from '../errors.js';
import { matchForm } from '../ingest/normalize.js';
import { escapeRe } from '../regex.js';
import { type FormEntry, FormTable } from './forms.js';
import { isGenericFullName, type Lexicon, type LexiconData, lexiconOf, readLexicon } from './lexicon.js';
import type { PackedFormsData } from './packed-forms.js';
import { NATIONAL_CODE, NATIONAL_NAME, namePlaces, type Place, readPlaceRows } from './places.js';
import { type RegionsFile, readRegionsFile } from './regions-file.js';

export type { PlaceLevel } from './names.js';
export type { Place } from './places.js';

export interface PlaceMention {
  /** The preferred reading. */
  place: Place;
  /** Every place this form may mean, the preferred first (more than one when ambiguous: 江北区). */
  candidates: Place[];
  /** The matched text. */
  form: string;
  /** Offset in the text given. */
  index: number;
  length: number;
}

/** Verbs of movement before a one-character short name that make a set phrase: 离沪, 回京, 来渝, 在京. */
const SET_PHRASE_VERBS = '离来返回在赴抵进出留驻';
/** `国家税务总局` before a province's or city's bureau: the place that follows is the body's. */
const VERTICAL_PREFIX = /^国家[\u4e00-\u9fa5]{1,8}?总局/;
/** A national body without a place: 国家医疗保障局(办公室), 国务院…, or a ministry (财政部, 民政部办公厅). */
const NATIONAL_BODY = /^(?:国家|国务院|中共中央|中央|全国|中国)|^[^省市县区州盟旗]{2,12}部(?:办公厅|办公室)?$/;

interface BaseData {
  places: readonly Place[];
  byCode: ReadonlyMap<string, Place>;
  /** Short forms by code, for the forms an alias makes with its place's parents. */
  shortOf: ReadonlyMap<string, string>;
  forms: FormTable;
  lexicon: Lexicon;
}

let base: Promise<BaseData> | null = null;

/**
 * The places and what jieba says about their names: built once per process, whatever regions.yaml says,
 * and kept in the build cache when one is given (they depend on the libraries' data and the code only).
 */
function baseData(cache?: BuildCache): Promise<BaseData> {
  base ??= (async () => {
    if (!cache) return buildBaseData();
    return fromStored(await cache.get('places', [], async () => toStored(await buildBaseData())));
  })();
  base.catch(() => {
    base = null;
  });
  return base;
}

async function buildBaseData(): Promise<BaseData> {
  const rows = await readPlaceRows();
  const lookups = new Set<string>();
  for (const r of rows) {
    lookups.add(r.place.fullName);
    if (r.short) lookups.add(r.short);
  }
  const lexicon = await readLexicon(
    lookups,
    rows.flatMap((r) => (r.short ? [r.short] : [])),
  );
  const places = namePlaces(rows, (fullName) => isGenericFullName(fullName, lexicon.info(fullName)));
  const byCode = new Map(places.map((p) => [p.code, p]));
  const shortOf = new Map(rows.flatMap((r) => (r.short ? [[r.place.code, r.short] as const] : [])));
  const forms = new FormTable();
  for (const r of rows) {
    const p = r.place;
    forms.add(p.name, p, p.name === r.short ? 'short' : 'name');
    forms.add(p.fullName, p, 'full', r.generic);
    if (r.short) forms.add(r.short, p, 'short');
  }
  for (const r of rows) {
    const own = r.generic ? [r.place.name] : [...new Set([r.place.fullName, r.place.name, ...(r.short ? [r.short] : [])])];
    addCombinedForms(forms, byCode, shortOf, r.place, own);
  }
  forms.finish(lexicon);
  return { places, byCode, shortOf, forms: FormTable.packed(forms, places), lexicon };
}

/** BaseData as the build cache keeps it: plain data, mostly strings and typed arrays (quick to read back). */
interface StoredBaseData {
  places: readonly Place[];
  shortOf: ReadonlyMap<string, string>;
  forms: PackedFormsData;
  lexicon: Omit<LexiconData, 'common'> & { common: string };
}

function toStored(data: BaseData): StoredBaseData {
  const { common, ...lexicon } = data.lexicon.data;
  return {
    places: data.places,
    shortOf: data.shortOf,
    forms: data.forms.toData(),
    lexicon: { ...lexicon, common: common.join('\u0000') },
  };
}

function fromStored(stored: StoredBaseData): BaseData {
  for (const p of stored.places) Object.freeze(p);
  const { common, ...lexicon } = stored.lexicon;
  return {
    places: stored.places,
    byCode: new Map(stored.places.map((p) => [p.code, p])),
    shortOf: stored.shortOf,
    forms: FormTable.fromData(stored.forms, stored.places),
    lexicon: lexiconOf({ ...lexicon, common: common === '' ? [] : common.split('\u0000') }),
  };
}

/** A gazetteer as the build cache keeps it. */
export interface StoredGazetteer {
  base: StoredBaseData;
  file: RegionsFile;
}

/**
 * The gazetteer for a `regions.yaml`: GB/T 2260's places plus the file's abbreviations and aliases. With a
 * build cache, the whole gazetteer is read from it while regions.yaml and the code are those it was built
 * from; else it is built on the places, which are read from the cache too (they depend on no file of ours).
 */
export async function loadGazetteer(regionsYamlPath: string, cache?: BuildCache): Promise<Gazetteer> {
  const build = async () => {
    const [data, file] = await Promise.all([baseData(cache), readRegionsFile(regionsYamlPath)]);
    return new Gazetteer(data, file, regionsYamlPath);
  };
  if (!cache) return build();
  const stored = await cache.get('gazetteer', await fileParts([regionsYamlPath]), async () => (await build()).toStored());
  return Gazetteer.fromStored(stored, regionsYamlPath);
}

/**
 * Every place of China by GB/T 2260 code, with a synthetic 全国 at the root: names in any form and
 * script resolved to places, places found in running text, the place an issuing body sits in.
 */
export class Gazetteer {
  static readonly NATIONAL: string = NATIONAL_NAME;

  private readonly byCode: ReadonlyMap<string, Place>;
  private readonly byName = new Map<string, Place>();
  private readonly forms: FormTable;
  private readonly abbreviations = new Map<string, Place>();
  private readonly impliedRe: RegExp | null;
  private readonly lexicon: Lexicon;
  readonly national: Place;

  /** `applied`: the forms of `data` already hold the file's aliases and ordinary words (a stored gazetteer's). */
  constructor(
    private readonly data: BaseData,
    private readonly file: RegionsFile,
    fileName: string,
    applied = false,
  ) {
    this.lexicon = data.lexicon;
    this.byCode = data.byCode;
    for (const p of data.places) this.byName.set(p.name, p);
    this.national = this.byCode.get(NATIONAL_CODE) as Place;
    this.forms = new FormTable(data.forms);

    if (!applied)
      for (const [alias, target] of Object.entries(file.aliases)) {
        const place = this.target(target, fileName, `/aliases/${alias}`);
        this.forms.add(alias, place, 'alias');
        addCombinedForms(this.forms, this.byCode, data.shortOf, place, [alias]);
      }
    for (const [abbr, target] of Object.entries(file.abbreviations)) {
      this.abbreviations.set(matchForm(abbr), this.target(target, fileName, `/abbreviations/${abbr}`));
    }
    if (!applied) {
      for (const [i, word] of file.ordinaryWords.entries()) {
        if (!this.forms.markOrdinary(word))
          throw new HlError('HL_ERR_DATA_INVALID', [fileName, `/ordinaryWords/${i} '${word}' names no place`]);
      }
      this.forms.finish(this.lexicon);
    }
    const abbrs = [...this.abbreviations.keys()].map(escapeRe).join('');
    this.impliedRe = abbrs ? new RegExp(`[${SET_PHRASE_VERBS}]([${abbrs}])`, 'g') : null;
  }

  /** This gazetteer as the build cache keeps it: the places, every form packed (the file's too), the file. */
  toStored(): StoredGazetteer {
    return { base: toStored({ ...this.data, forms: FormTable.packed(this.forms, this.data.places) }), file: this.file };
  }

  /** A gazetteer from `toStored()`'s data. */
  static fromStored(stored: StoredGazetteer, fileName: string): Gazetteer {
    return new Gazetteer(fromStored(stored.base), stored.file, fileName, true);
  }

  get(code: string): Place | undefined {
    return this.byCode.get(code);
  }

  /** A place by its exact `name`. */
  place(name: string): Place | undefined {
    return this.byName.get(name);
  }

  /** Every place: 全国, then the provinces, cities and counties, each level by code. */
  all(): readonly Place[] {
    return [...this.byCode.values()];
  }

  /** The `name` for any form of a place (full, short, alias, Traditional, width variants), or null. */
  canonical(nameOrAlias: string): string | null {
    return this.resolve(nameOrAlias)[0]?.name ?? null;
  }

  /** Every place a form may mean, preferred first: its own name, then the higher level, then by code. */
  resolve(nameOrAlias: string): Place[] {
    const raw = nameOrAlias.trim();
    if (raw === '') return [];
    const exact = this.byName.get(raw);
    const entry = this.forms.get(matchForm(raw)) ?? this.forms.get(raw);
    if (!entry) return exact ? [exact] : [];
    return exact && entry.places[0] !== exact ? [exact, ...entry.places.filter((p) => p !== exact)] : [...entry.places];
  }

  /** Whether a word is a form of some place (`海淀`, `包头市`, `黔東南`), for leaving it out of retrieval. */
  isPlaceWord(word: string): boolean {
    return this.resolve(word).length > 0;
  }

  /** The place, its parent, …, 全国. */
  lineage(place: Place): Place[] {
    const out: Place[] = [];
    for (let p: Place | undefined = place; p; p = p.parent ? this.byCode.get(p.parent) : undefined) out.push(p);
    return out;
  }

  /** Whether `inner` is `outer` or lies within it. */
  contains(outer: Place, inner: Place): boolean {
    for (let p: Place | undefined = inner; p; p = p.parent ? this.byCode.get(p.parent) : undefined) if (p.code === outer.code) return true;
    return false;
  }

  /**
   * Places named in a text in match form (Simplified, width-folded: `matchForm`), leftmost and longest
   * first, not overlapping, in text order. A parent named right before its child makes one mention of
   * the child (山东省青岛市黄岛区 → 黄岛). An ambiguous form takes the reading the rest of the text supports.
   */
  mentions(text: string, boundaries?: ReadonlySet<number>): PlaceMention[] {
    const found: PlaceMention[] = [];
    for (let i = 0; i < text.length - 1; i++) {
      const list = this.forms.startingWith(text.slice(i, i + 2));
      if (!list) continue;
      for (const entry of list) {
        if (!text.startsWith(entry.form, i) || !this.standsAlone(entry, text, i, boundaries)) continue;
        found.push({
          place: entry.places[0] as Place,
          candidates: [...entry.places],
          form: entry.form,
          index: i,
          length: entry.form.length,
        });
        i += entry.form.length - 1;
        break;
      }
    }
    return this.disambiguate(this.mergeNested(found, text));
  }

  /** Places implied by set phrases with one-character short names: 离沪 → 上海, 回京 → 北京, 来渝 → 重庆. */
  implied(text: string): PlaceMention[] {
    if (!this.impliedRe) return [];
    const out: PlaceMention[] = [];
    for (const m of text.matchAll(this.impliedRe)) {
      const place = this.abbreviations.get(m[1] ?? '');
      if (place) out.push({ place, candidates: [place], form: m[0], index: m.index, length: m[0].length });
    }
    return out;
  }

  /**
   * The place an issuing body sits in: 宁波市医疗保障局 → 宁波, 国家税务总局海南省税务局 → 海南, a
   * national body (国家医疗保障局办公室, 财政部, 国家税务总局) → 全国; null when the name gives no place
   * (各区医保中心, 市医保局). A `context` (the text around, in match form) settles an ambiguous name: 江北区医疗
   * 保障局 in a text that names 重庆 is 重庆's.
   */
  placeOfBody(body: string, context?: string): Place | null {
    const form = matchForm(body.trim());
    const vertical = VERTICAL_PREFIX.exec(form);
    if (vertical) return this.placeAtStart(form.slice(vertical[0].length), context) ?? this.national;
    return this.placeAtStart(form, context) ?? (NATIONAL_BODY.test(form) ? this.national : null);
  }

  private placeAtStart(form: string, context?: string): Place | null {
    const first = this.mentions(form)[0];
    if (first?.index !== 0) return null;
    if (first.candidates.length < 2 || !context) return first.place;
    const around = this.mentions(context).map((m) => m.place);
    return first.candidates.find((c) => around.some((o) => o !== c && (this.contains(o, c) || this.contains(c, o)))) ?? first.place;
  }

  /**
   * Whether a form found at `i` names a place there, rather than being (part of) an ordinary word. With a
   * segmenter's word boundaries (a question), a bare name must start and end on them — jieba weighs the
   * words around it (那大连呢, 宁波长护险) better than a list of words that could straddle its edges.
   */
  private standsAlone(entry: FormEntry, text: string, i: number, boundaries?: ReadonlySet<number>): boolean {
    if (entry.generic || entry.ordinary) return false;
    const end = i + entry.form.length;
    if (boundaries && entry.edges !== 'none') return boundaries.has(i) && (entry.edges === 'left' || boundaries.has(end));
    for (const b of entry.blockers) {
      if (i >= b.pre.length && text.startsWith(b.pre, i - b.pre.length) && text.startsWith(b.post, end)) return false;
    }
    if (entry.edges === 'none') return true;
    const isWord = (from: number, to: number) => from >= 0 && to <= text.length && this.lexicon.isCommonWord(text.slice(from, to));
    for (let from = i - 2; from < i; from++) for (let to = i + 1; to < end; to++) if (to - from <= 3 && isWord(from, to)) return false;
    if (entry.edges === 'left') return true;
    for (let from = i + 1; from < end; from++)
      for (let to = end + 1; to <= end + 2; to++) if (to - from <= 3 && isWord(from, to)) return false;
    return true;
  }

  /** Adjacent mentions of a place and a place inside it become one mention of the inner place. */
  private mergeNested(found: PlaceMention[], text: string): PlaceMention[] {
    const out: PlaceMention[] = [];
    for (const m of found) {
      const prev = out.at(-1);
      const inner = prev && prev.index + prev.length === m.index ? m.candidates.find((c) => this.contains(prev.place, c)) : undefined;
      if (!prev || !inner) {
        out.push(m);
        continue;
      }
      const length = m.index + m.length - prev.index;
      out[out.length - 1] = {
        place: inner,
        candidates: [inner],
        form: text.slice(prev.index, prev.index + length),
        index: prev.index,
        length,
      };
    }
    return out;
  }

  /** An ambiguous mention takes the candidate related to another place the text names (重庆…江北区). */
  private disambiguate(found: PlaceMention[]): PlaceMention[] {
    return found.map((m) => {
      if (m.candidates.length < 2) return m;
      const others = found.filter((o) => o !== m).map((o) => o.place);
      const related = m.candidates.find((c) => others.some((o) => this.contains(o, c) || this.contains(c, o)));
      if (!related || related === m.place) return m;
      return { ...m, place: related, candidates: [related, ...m.candidates.filter((c) => c !== related)] };
    });
  }

  /** Resolve a place named in regions.yaml: by its name, or by a form that names one place only. */
  private target(target: string, file: string, where: string): Place {
    const exact = this.byName.get(target);
    if (exact) return exact;
    const places = this.forms.get(matchForm(target))?.places ?? [];
    if (places.length === 1) return places[0] as Place;
    if (places.length === 0) throw new HlError('HL_ERR_DATA_INVALID', [file, `${where} '${target}' names no place`]);
    throw new HlError('HL_ERR_DATA_INVALID', [
      file,
      `${where} '${target}' may mean ${places.map((p) => p.name).join(', ')}; write one of these names`,
    ]);
  }
}

/** 浙江宁波, 浙江省宁波市, 北京海淀, 青岛黄岛区, 青岛西海岸新区: a parent's or grandparent's form, then the place's. */
function addCombinedForms(
  forms: FormTable,
  byCode: ReadonlyMap<string, Place>,
  shortOf: ReadonlyMap<string, string>,
  p: Place,
  own: readonly string[],
): void {
  const parent = p.parent ? byCode.get(p.parent) : undefined;
  if (!parent || parent.level === 'country') return;
  const grandparent = parent.level === 'city' && parent.parent ? byCode.get(parent.parent) : undefined;
  for (const outer of grandparent ? [parent, grandparent] : [parent]) {
    const short = shortOf.get(outer.code);
    for (const o of new Set([outer.fullName, outer.name, ...(short ? [short] : [])])) {
      for (const f of own) if (f.length >= 2) forms.add(`${o}${f}`, p, 'combined');
    }
  }
}
