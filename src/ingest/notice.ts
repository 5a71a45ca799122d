import { HlError } from '../errors.js';
import type { Gazetteer } from '../geo/gazetteer.js';
import { type Damage, findDamage } from './damage.js';
import { extractFacts, type Fact } from './facts/index.js';
import { inferMeta, type MetaEvidence, type MetaField, type MetaSource, type NoticeMeta } from './meta.js';
import { type AppliedCorrection, cleanNotice, matchForm } from './normalize.js';
import { toParagraphs } from './paragraphs.js';
import { decodeNotice, type SourceEncoding } from './read.js';
import { detectScript, type Script } from './script.js';
import type { Sidecar } from './sidecar.js';
import { type Clause, type Structure, splitClauses } from './structure.js';

/** One notice, ingested: the clean original for quoting, clauses, facts and what the build noticed. */
export interface Notice {
  id: string;
  file: string;
  encoding: SourceEncoding;
  script: Script;
  meta: NoticeMeta;
  metaSources: Record<MetaField, MetaSource>;
  /** How the metadata was found: the region's evidence, the authority's part of the notice, the temporary words. */
  metaEvidence: MetaEvidence;
  /** The notice as published minus pinyin annotations and layout debris, one paragraph a line. */
  text: string;
  /** Letterhead lines (title, 文号, by-line …) as written. */
  header: string[];
  structure: Structure['mode'];
  clauses: Clause[];
  facts: Fact[];
  damage: Damage[];
  corrections: AppliedCorrection[];
  removed: { pinyin: number; debris: number; markup: number };
  notes: string[];
}

export interface NoticeSource {
  /** File stem, the notice's id: `baotou-2022-10-08`. */
  stem: string;
  file: string;
  bytes: Uint8Array;
  sidecar?: Sidecar;
}

/** A notice id (its file stem): letters, digits, dot, dash or underscore, starting with a letter or digit. */
export const NOTICE_ID = /^[\p{L}\p{N}][\p{L}\p{N}._-]*$/u;

/** Turn a notice file's bytes into a Notice. Pure: the caller reads the files. */
export function ingestNotice(source: NoticeSource, gazetteer: Gazetteer): Notice {
  if (!NOTICE_ID.test(source.stem)) {
    throw new HlError('HL_ERR_NOTICE_UNREADABLE', [source.file, 'the file name must be letters, digits, dot, dash or underscore']);
  }
  const { text: raw, encoding } = decodeNotice(source.bytes, source.file);
  const clean = cleanNotice(raw, source.sidecar?.corrections ?? []);
  const text = clean.text;
  const norm = matchForm(text);
  const paragraphs = toParagraphs(text);
  const { meta, sources, evidence, notes } = inferMeta(paragraphs, source.stem, gazetteer, source.sidecar);
  const titleNorm = meta.title ? matchForm(meta.title) : null;
  const structure = splitClauses(paragraphs, source.stem, titleNorm, text, norm);
  const year = meta.date ? Number(meta.date.slice(0, 4)) : null;
  const facts = structure.clauses.flatMap((c) =>
    extractFacts({ id: c.id, quote: c.quote, norm: c.norm, heading: c.heading, noticeYear: year }),
  );
  for (const c of clean.corrections) {
    if (c.count === 0) notes.push(`correction "${c.from}" → "${c.to}" matched nothing`);
  }
  if (structure.clauses.filter((c) => c.kind === 'policy').length === 0) notes.push('no policy clause found');
  return {
    id: source.stem,
    file: source.file,
    encoding,
    script: detectScript(text),
    meta,
    metaSources: sources,
    metaEvidence: evidence,
    text,
    header: structure.header.map((p) => p.text),
    structure: structure.mode,
    clauses: structure.clauses,
    facts,
    damage: findDamage(text),
    corrections: clean.corrections,
    removed: clean.removed,
    notes,
  };
}
