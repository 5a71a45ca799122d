import type { Gazetteer } from '../geo/gazetteer.js';
import { type AuthoritySource, completeBody, inferAuthority } from './authority.js';
import type { Paragraph } from './paragraphs.js';
import { type DateParts, isByline, isDateLine, isOrgLine, leadingDocNumber, parseDateText, TITLE_END } from './patterns.js';
import { inferRegion, type RegionBasis } from './region.js';
import type { Sidecar } from './sidecar.js';
import { inferValidity, type NoticeKind } from './validity.js';

export interface NoticeMeta {
  title: string | null;
  authority: string | null;
  docNumber: string | null;
  /** ISO date, as complete as known: `2022-10-08`, `2020-01`, `2020`. */
  date: string | null;
  /** The date as the notice writes it, when it does. */
  dateText: string | null;
  /** A place name of the gazetteer (包头, 黄岛, 全国 for a national notice), or null. */
  region: string | null;
  /** Temporary measures (疫情期间, 阶段性, an end date …) or a standing rule. */
  kind: NoticeKind;
  /** ISO date the measures end, when the text (or sidecar) states one. */
  expires: string | null;
  /** ISO date the notice takes effect from, when it says. */
  effective: string | null;
  /** The sentence the effective date was read from, exactly as written. */
  effectiveText: string | null;
}

export type MetaField = 'title' | 'authority' | 'docNumber' | 'date' | 'region' | 'kind' | 'expires' | 'effective';
/** Where a value came from: the notice's text, its file name, the sidecar, or nowhere. */
export type MetaSource = 'text' | 'filename' | 'sidecar' | 'none';

/** How the values read from the text were found, for the build report. */
export interface MetaEvidence {
  region: RegionBasis | null;
  /** The part of the notice the authority was read from; `completed` when written out from the region. */
  authority: AuthoritySource | 'completed' | null;
  /** The words that make the notice temporary. */
  kind: string | null;
}

export interface MetaResult {
  meta: NoticeMeta;
  sources: Record<MetaField, MetaSource>;
  evidence: MetaEvidence;
  /** Human-readable remarks for the build report: what could not be inferred, and why. */
  notes: string[];
}

const HEAD_PARAGRAPHS = 12;
const TITLE_RE = new RegExp(`^[^\\n。,:;]{0,40}?关于[^\\n。,:;]{2,120}${TITLE_END}`);
const FIELDS: readonly MetaField[] = ['title', 'authority', 'docNumber', 'date', 'region', 'kind', 'expires', 'effective'];

/** Infer a notice's metadata from its paragraphs and file stem; a sidecar's values win. */
export function inferMeta(paragraphs: readonly Paragraph[], stem: string, gazetteer: Gazetteer, sidecar?: Sidecar): MetaResult {
  const notes: string[] = [];
  const head = paragraphs.slice(0, HEAD_PARAGRAPHS);
  const title = inferTitle(head);
  const docNumber = inferDocNumber(head, title);
  const authority = inferAuthority(paragraphs, title, gazetteer);
  const date = inferDate(paragraphs, stem, notes);
  const found = inferRegion(paragraphs, title, authority, gazetteer);
  const evidence: MetaEvidence = { region: found.basis, authority: authority?.from ?? null, kind: null };

  const meta: NoticeMeta = {
    title: title?.text ?? null,
    authority: null,
    docNumber,
    date: date.iso,
    dateText: date.text,
    region: found.place?.name ?? null,
    kind: 'standing',
    expires: null,
    effective: null,
    effectiveText: null,
  };
  const sources = Object.fromEntries(FIELDS.map((f) => [f, 'text'])) as Record<MetaField, MetaSource>;
  sources.date = date.source;
  applySidecar(meta, sources, evidence, gazetteer, sidecar, ['title', 'docNumber', 'date', 'region']);

  // The authority: named bodies as written; a press report's 市医保局 written out with the region.
  const bodies = authority?.bodies ?? [];
  const relative = bodies.length === 1 && bodies[0]?.relative ? bodies[0] : null;
  const regionPlace = meta.region ? gazetteer.place(meta.region) : undefined;
  if (relative && sidecar?.authority === undefined) {
    const completed = regionPlace ? completeBody(relative, regionPlace, gazetteer) : null;
    meta.authority = completed;
    if (completed) {
      evidence.authority = 'completed';
      notes.push(`authority: the report names “${relative.text}”; completed from the region as ${completed}`);
    } else notes.push(`authority: the report names “${relative.text}” but no region to complete it with`);
  } else meta.authority = bodies.length > 0 ? bodies.map((b) => b.text).join('、') : null;

  const validity = inferValidity(paragraphs, meta.date);
  meta.kind = validity.kind;
  meta.expires = validity.expires;
  meta.effective = validity.effective;
  meta.effectiveText = validity.effectiveText;
  evidence.kind = validity.kindText;
  applySidecar(meta, sources, evidence, gazetteer, sidecar, ['authority', 'kind', 'expires', 'effective']);

  for (const field of FIELDS) {
    if (meta[field] !== null || field === 'expires') continue;
    sources[field] = 'none';
    if (!(field === 'authority' && relative)) notes.push(`${field}: not found in the text; a sidecar can set it`);
  }
  if (meta.expires === null && meta.kind === 'temporary' && sources.kind === 'text') {
    notes.push(`expires: temporary (“${evidence.kind}”) but the text states no end date; a sidecar can set it`);
  }
  sources.expires = meta.expires === null ? 'none' : sources.expires;
  if (meta.region && !gazetteer.place(meta.region)) notes.push(`region: “${meta.region}” is no place the gazetteer knows`);
  return { meta, sources, evidence, notes };
}

/** Let a sidecar's values win over the inferred ones, for the fields given. */
function applySidecar(
  meta: NoticeMeta,
  sources: Record<MetaField, MetaSource>,
  evidence: MetaEvidence,
  gazetteer: Gazetteer,
  sidecar: Sidecar | undefined,
  fields: readonly MetaField[],
): void {
  if (!sidecar) return;
  for (const field of fields) {
    const value = sidecar[field];
    if (value === undefined) continue;
    sources[field] = 'sidecar';
    if (field === 'region') {
      meta.region = value ? (gazetteer.canonical(value) ?? value) : null;
      evidence.region = 'sidecar';
    } else if (field === 'kind') meta.kind = value === 'temporary' ? 'temporary' : 'standing';
    else if (field === 'effective') {
      meta.effective = value ?? null;
      meta.effectiveText = sidecar.effectiveText ?? null;
    } else meta[field] = value ?? null;
  }
}

interface TitleHit {
  text: string;
  norm: string;
  /** The paragraph it starts in. */
  index: number;
}

/** The first `…关于…通知` in the letterhead, joined across broken lines; else a press report's headline. */
function inferTitle(head: readonly Paragraph[]): TitleHit | null {
  for (let i = 0; i < head.length; i++) {
    let text = '';
    let norm = '';
    for (let j = i; j < Math.min(i + 3, head.length); j++) {
      const p = head[j] as Paragraph;
      text += p.text;
      norm += p.norm;
      if (!norm.includes('关于')) break;
      const m = TITLE_RE.exec(norm);
      if (m) {
        const doc = leadingDocNumber(norm.slice(m.index));
        const from = m.index + (doc?.length ?? 0);
        return { text: text.slice(from, m.index + m[0].length).trim(), norm: norm.slice(from, m.index + m[0].length).trim(), index: i };
      }
    }
  }
  for (const [index, p] of head.entries()) {
    if (isByline(p.norm) || isDateLine(p.norm) || isOrgLine(p.norm) || leadingDocNumber(p.norm) === p.norm) continue;
    if (!/[\u4e00-\u9fa5]{4}/.test(p.norm)) continue;
    if (p.norm.length <= 60 && !/[。;：:]$/.test(p.norm)) return { text: p.text, norm: p.norm, index };
    break;
  }
  return null;
}

/** A 文号 at the start of a letterhead paragraph or right after the title; citations inside the text don't count. */
function inferDocNumber(head: readonly Paragraph[], title: TitleHit | null): string | null {
  for (const p of head) {
    const lead = leadingDocNumber(p.norm);
    if (lead) return p.text.slice(0, lead.length);
    if (title && p.norm.includes(title.norm)) {
      const after = p.norm.slice(p.norm.indexOf(title.norm) + title.norm.length);
      const m = leadingDocNumber(after.trimStart());
      if (m) {
        const at = p.norm.indexOf(m, p.norm.indexOf(title.norm));
        return p.text.slice(at, at + m.length);
      }
    }
  }
  return null;
}

interface DateResult {
  iso: string | null;
  text: string | null;
  source: MetaSource;
}

function iso(d: DateParts): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return [String(d.year), d.month ? pad(d.month) : null, d.month && d.day ? pad(d.day) : null].filter(Boolean).join('-');
}

/**
 * The signature date (a line that is only a date, or a date closing the text), else a date in the
 * by-line; a partial date (`2020年1月 日`) is kept partial unless the file name completes it.
 */
function inferDate(paragraphs: readonly Paragraph[], stem: string, notes: string[]): DateResult {
  const fromName = /((?:19|20)\d{2})(?:-(\d{2}))?(?:-(\d{2}))?/.exec(stem);
  const named: DateParts | null = fromName
    ? { year: Number(fromName[1]), month: fromName[2] ? Number(fromName[2]) : null, day: fromName[3] ? Number(fromName[3]) : null }
    : null;

  let found: { parts: DateParts; text: string } | null = null;
  const candidates = [
    ...[...paragraphs].reverse().filter((p) => isDateLine(p.norm)),
    ...paragraphs.slice(-3).reverse(),
    ...paragraphs.slice(0, 4).filter((p) => isByline(p.norm)),
  ];
  for (const p of candidates) {
    const m =
      /(?:(?:19|20)\d{2}\s*年[^。\n]{0,10}?日|(?:19|20)\d{2}[-./]\d{1,2}[-./]\d{1,2})\s*$/.exec(p.norm) ??
      /(?:19|20)\d{2}[-./]\d{1,2}[-./]\d{1,2}/.exec(p.norm);
    if (!m) continue;
    const parts = parseDateText(m[0]);
    if (parts) {
      found = { parts, text: p.text.slice(m.index, m.index + m[0].length).trim() };
      break;
    }
  }
  if (found?.parts.day) return { iso: iso(found.parts), text: found.text, source: 'text' };
  if (found) {
    const agrees = named && named.year === found.parts.year && (found.parts.month === null || named.month === found.parts.month);
    if (agrees && named && (named.month ?? 0) > 0 && named.day) {
      notes.push(`date: the text gives only "${found.text}"; completed from the file name`);
      return { iso: iso(named), text: found.text, source: 'filename' };
    }
    notes.push(`date: partial in the text ("${found.text}")`);
    return { iso: iso(found.parts), text: found.text, source: 'text' };
  }
  if (named) {
    notes.push('date: no signature or by-line date in the text; taken from the file name');
    return { iso: iso(named), text: null, source: 'filename' };
  }
  return { iso: null, text: null, source: 'none' };
}
