import type { Gazetteer, Place } from '../geo/gazetteer.js';
import type { Paragraph } from './paragraphs.js';
import { findOrgs, isOrgLine, relativeLevel, trailingSignature } from './patterns.js';

/** An issuing body the notice names. */
export interface Body {
  /** As the notice writes it. */
  text: string;
  /** In match form. */
  norm: string;
  /** Where it sits: a place, 全国 for a national body, or null (named by its level only, or a place the data lacks). */
  place: Place | null;
  /** Named by its level only (市医保局): the region completes it. */
  relative: boolean;
  /** The paragraph and offset it was found at. */
  paragraph: number;
  index: number;
}

/** Where the authority was read: the title (…关于), letterhead lines, the signature, or a press report's text. */
export type AuthoritySource = 'title' | 'letterhead' | 'signature' | 'report';

export interface Authority {
  bodies: Body[];
  from: AuthoritySource;
}

/** Before a body named by its level, only a word that ends where it starts: 从市医保局, 、省财政厅 (not 各区医保中心). */
const RELATIVE_BEFORE = /[从向由据经与和及同在到对将把被请]/;
const CJK = /[\u4e00-\u9fa5]/;
/** A press report's source: 从市医保局获悉, 据省医保局介绍. */
const SOURCE_AFTER = /^(?:获悉|了解到?|得知|获知|介绍|消息|透露)/;
const SOURCE_BEFORE = /[从据]$/;
const SIGNATURE_PARAGRAPHS = 8;

/**
 * The bodies named in a paragraph (or the part of it from `from` to `to`). A body's name starts where a
 * place does (根据陕西省医疗保障局 → 陕西省医疗保障局, 日从市医保局 → 市医保局); a span with no place in it
 * is a body named by its level only when a word boundary stands before it (从市医保局, not 各区医保中心).
 * On a line that holds nothing but bodies (`formal`: letterhead, signature, a title before 关于) a body of
 * a place the data lacks is kept too, without a place.
 */
export function bodiesIn(
  p: Paragraph,
  index: number,
  gazetteer: Gazetteer,
  context: string,
  from = 0,
  to = p.norm.length,
  formal = false,
): Body[] {
  const out: Body[] = [];
  const norm = p.norm.slice(from, to);
  for (const span of findOrgs(norm)) {
    const at = from + span.index;
    const body = locate(p, at, span.text.length, gazetteer, context, formal);
    if (body) out.push({ ...body, paragraph: index });
  }
  return out;
}

function locate(
  p: Paragraph,
  at: number,
  length: number,
  gazetteer: Gazetteer,
  context: string,
  formal: boolean,
): Omit<Body, 'paragraph'> | null {
  const end = at + length;
  const body = (start: number, place: Place | null, relative: boolean) => ({
    text: p.text.slice(start, end),
    norm: p.norm.slice(start, end),
    place,
    relative,
    index: start,
  });
  for (let start = at; start < end - 2; start++) {
    const place = gazetteer.placeOfBody(p.norm.slice(start, end), context);
    if (place) return body(start, place, false);
  }
  for (let start = at; start < end - 2; start++) {
    if (relativeLevel(p.norm.slice(start, end)) === null) continue;
    const before = p.norm[start - 1] ?? '';
    if (before === '' || !CJK.test(before) || RELATIVE_BEFORE.test(before)) return body(start, null, true);
    break;
  }
  return formal ? body(at, null, false) : null;
}

function unique(bodies: Body[]): Body[] {
  const seen = new Set<string>();
  return bodies.filter((b) => !seen.has(b.norm) && seen.add(b.norm));
}

const named = (bodies: Body[]) => bodies.filter((b) => b.place !== null);

/**
 * The issuing bodies of a notice: those in the title before 关于 (北京市医疗保障局关于…); else every body
 * on letterhead lines before the title, once each however often listed; else the signature's lines; else,
 * for a press report, the body it names as its source (记者从市医保局获悉), or the first it names.
 */
export function inferAuthority(
  paragraphs: readonly Paragraph[],
  title: { text: string; norm: string; index: number } | null,
  gazetteer: Gazetteer,
): Authority | null {
  const context = paragraphs.map((p) => p.norm).join('\n');
  const about = title ? title.norm.indexOf('关于') : -1;
  if (title && about > 0) {
    const line: Paragraph = { start: 0, end: title.text.length, text: title.text, norm: title.norm };
    const formal = isOrgLine(title.norm.slice(0, about));
    const bodies = bodiesIn(line, title.index, gazetteer, context, 0, about, formal);
    if (bodies.length > 0) return { bodies: unique(formal ? bodies : named(bodies)), from: 'title' };
  }
  const head = title?.index ?? 0;
  const letterhead = paragraphs
    .slice(0, head)
    .flatMap((p, i) => (isOrgLine(p.norm) ? bodiesIn(p, i, gazetteer, context, 0, p.norm.length, true) : []));
  if (letterhead.length > 0) return { bodies: unique(letterhead), from: 'letterhead' };

  const signature = signatureBodies(paragraphs, gazetteer, context);
  if (signature.length > 0) return { bodies: unique(signature), from: 'signature' };

  const all = paragraphs.flatMap((p, i) => {
    const blanked = { ...p, norm: p.norm.replace(/《[^》]*》/g, (s) => '　'.repeat(s.length)) };
    return bodiesIn(blanked, i, gazetteer, context);
  });
  const source = all.find((b) => {
    const p = paragraphs[b.paragraph] as Paragraph;
    return SOURCE_BEFORE.test(p.norm.slice(0, b.index)) && SOURCE_AFTER.test(p.norm.slice(b.index + b.norm.length));
  });
  const chosen = source ?? named(all)[0] ?? all[0];
  return chosen ? { bodies: [chosen], from: 'report' } : null;
}

/** The bodies that sign the notice: the last lines of bodies (or a body and date closing a paragraph) and those right above. */
function signatureBodies(paragraphs: readonly Paragraph[], gazetteer: Gazetteer, context: string): Body[] {
  const first = Math.max(0, paragraphs.length - SIGNATURE_PARAGRAPHS);
  for (let i = paragraphs.length - 1; i >= first; i--) {
    const p = paragraphs[i] as Paragraph;
    if (isOrgLine(p.norm)) {
      let top = i;
      while (top > 0 && isOrgLine((paragraphs[top - 1] as Paragraph).norm)) top--;
      return paragraphs.slice(top, i + 1).flatMap((q, k) => bodiesIn(q, top + k, gazetteer, context, 0, q.norm.length, true));
    }
    const sig = trailingSignature(p.norm);
    if (sig) return bodiesIn(p, i, gazetteer, context, sig.at, sig.at + sig.org.length, true);
  }
  return [];
}

/**
 * A body named by its level, written out with its region's full name: 市医保局 in a report from 合肥 →
 * 合肥市医保局. The region or the first place above it whose full name ends in that level is used.
 */
export function completeBody(body: Body, region: Place, gazetteer: Gazetteer): string | null {
  const level = relativeLevel(body.norm);
  if (!level) return null;
  const place = gazetteer.lineage(region).find((p) => p.level !== 'country' && p.fullName.endsWith(level));
  return place ? `${place.fullName}${body.text.slice(level.length)}` : null;
}
