import type { Gazetteer } from '../geo/gazetteer.js';
import type { Paragraph } from './paragraphs.js';
import {
  type DateParts,
  findOrgs,
  isByline,
  isDateLine,
  isOrgLine,
  leadingDocNumber,
  parseDateText,
  TITLE_END,
  trailingSignature,
} from './patterns.js';
import type { Sidecar } from './sidecar.js';

export interface NoticeMeta {
  title: string | null;
  authority: string | null;
  docNumber: string | null;
  /** ISO date, as complete as known: `2022-10-08`, `2020-01`, `2020`. */
  date: string | null;
  /** The date as the notice writes it, when it does. */
  dateText: string | null;
  region: string | null;
}

export type MetaField = 'title' | 'authority' | 'docNumber' | 'date' | 'region';
/** Where a value came from: the notice's text, its file name, the sidecar, or nowhere. */
export type MetaSource = 'text' | 'filename' | 'sidecar' | 'none';

export interface MetaResult {
  meta: NoticeMeta;
  sources: Record<MetaField, MetaSource>;
  /** Human-readable remarks for the build report: what could not be inferred, and why. */
  notes: string[];
}

const HEAD_PARAGRAPHS = 12;
const TITLE_RE = new RegExp(`^[^\\n。,:;]{0,40}?关于[^\\n。,:;]{2,120}${TITLE_END}`);

/** Infer a notice's metadata from its paragraphs and file stem; a sidecar's values win. */
export function inferMeta(paragraphs: readonly Paragraph[], stem: string, regions: Gazetteer, sidecar?: Sidecar): MetaResult {
  const notes: string[] = [];
  const head = paragraphs.slice(0, HEAD_PARAGRAPHS);
  const title = inferTitle(head);
  const docNumber = inferDocNumber(head, title);
  const authority = inferAuthority(paragraphs, title);
  const date = inferDate(paragraphs, stem, notes);
  const region = inferRegion(paragraphs, authority, title, regions);

  const meta: NoticeMeta = {
    title: title?.text ?? null,
    authority,
    docNumber,
    date: date.iso,
    dateText: date.text,
    region,
  };
  const sources: Record<MetaField, MetaSource> = {
    title: meta.title ? 'text' : 'none',
    authority: authority ? 'text' : 'none',
    docNumber: docNumber ? 'text' : 'none',
    date: date.source,
    region: region ? 'text' : 'none',
  };
  if (sidecar) {
    for (const field of ['title', 'authority', 'docNumber', 'date', 'region'] as const) {
      const value = sidecar[field];
      if (value === undefined) continue;
      meta[field] = field === 'region' && value ? (regions.canonical(value) ?? value) : (value ?? null);
      sources[field] = 'sidecar';
    }
  }
  for (const field of ['title', 'authority', 'docNumber', 'date', 'region'] as const) {
    if (meta[field] === null) notes.push(`${field}: not found in the text; a sidecar can set it`);
  }
  return { meta, sources, notes };
}

interface TitleHit {
  text: string;
  norm: string;
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
        return { text: text.slice(from, m.index + m[0].length).trim(), norm: norm.slice(from, m.index + m[0].length).trim() };
      }
    }
  }
  for (const p of head) {
    if (isByline(p.norm) || isDateLine(p.norm) || isOrgLine(p.norm) || leadingDocNumber(p.norm) === p.norm) continue;
    if (!/[\u4e00-\u9fa5]{4}/.test(p.norm)) continue;
    if (p.norm.length <= 60 && !/[。;：:]$/.test(p.norm)) return { text: p.text, norm: p.norm };
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

/**
 * The issuing body: the one named in the title (`北京市医疗保障局关于…`), else the bodies listed alone
 * on letterhead lines, else the signature's, else the first body the text names (a press report).
 */
function inferAuthority(paragraphs: readonly Paragraph[], title: TitleHit | null): string | null {
  const original = (p: Paragraph, at: number, len: number) => p.text.slice(at, at + len);
  if (title) {
    const before = title.norm.split('关于')[0] ?? '';
    const orgs = findOrgs(before);
    if (orgs.length > 0) return unique(orgs.map((o) => title.text.slice(o.index, o.index + o.text.length))).join('、');
  }
  const head = paragraphs.slice(0, HEAD_PARAGRAPHS);
  for (const p of head) {
    if (title && p.norm.includes(title.norm)) break;
    if (isOrgLine(p.norm)) return unique(findOrgs(p.norm).map((o) => original(p, o.index, o.text.length))).join('、');
  }
  for (let i = paragraphs.length - 1; i >= Math.max(0, paragraphs.length - 8); i--) {
    const p = paragraphs[i] as Paragraph;
    const sig = isOrgLine(p.norm) ? { at: 0, org: p.norm } : trailingSignature(p.norm);
    if (sig) return unique(findOrgs(sig.org).map((o) => original(p, sig.at + o.index, o.text.length))).join('、');
  }
  for (const p of paragraphs) {
    const body = p.norm.replace(/《[^》]*》/g, (s) => '　'.repeat(s.length));
    const org = findOrgs(body)[0];
    if (org) return original(p, org.index, org.text.length);
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

/**
 * The region: where the issuing body sits, else the place the title names, else the region the text
 * names most (citations of other bodies' documents aside), else one implied by a set phrase (离沪).
 */
function inferRegion(
  paragraphs: readonly Paragraph[],
  authority: string | null,
  title: TitleHit | null,
  regions: Gazetteer,
): string | null {
  if (authority) {
    const place = regions.placeOfBody(authority.split('、')[0] ?? authority);
    if (place) return place.name;
  }
  if (title) {
    const mention = regions.mentions(title.norm)[0];
    if (mention && mention.index < 4) return mention.place.name;
  }
  const counts = new Map<string, number>();
  for (const [i, p] of paragraphs.entries()) {
    const text = p.norm.replace(/《[^》]*》|[(（][^)）]*〔[^)）]*[)）]/g, (s) => ' '.repeat(s.length));
    for (const m of regions.mentions(text)) counts.set(m.place.name, (counts.get(m.place.name) ?? 0) + (i < 3 ? 3 : 1));
  }
  const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1]);
  if (ranked[0] && ranked[0][1] >= 2 && (ranked[1]?.[1] ?? 0) < ranked[0][1]) return ranked[0][0];
  for (const p of paragraphs) {
    const implied = regions.implied(p.norm)[0];
    if (implied) return implied.place.name;
  }
  return null;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
