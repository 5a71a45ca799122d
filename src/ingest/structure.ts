import { inlineMarkers, isNumbering, MARKER_RANK, type Marker, type MarkerKind, markerAt } from './markers.js';
import { type Paragraph, splitParagraph } from './paragraphs.js';
import { isByline, isClosingLine, isDateLine, isOrgLine, leadingDocNumber, trailingSignature } from './patterns.js';

export type ClauseKind = 'preamble' | 'policy' | 'signature' | 'attachment';
type Role = 'header' | 'preamble' | 'body' | 'signature' | 'attachment';

export interface Clause {
  /** `<notice>#<path>`, stable as long as the notice's numbering is: `yunnan-2020-01#三.六`. */
  id: string;
  path: string;
  kind: ClauseKind;
  /** The marker as written (`五、`, `（六）`, `1.`, `一是`), or empty. */
  marker: string;
  depth: number;
  parent: string | null;
  /** The item's own heading (`做好疾病编码对应`), when it opens with a short one. */
  heading: string | null;
  /** Headings from the outermost enclosing item down to this one. */
  headings: string[];
  /** Offsets of the clause in the notice's clean text; `quote` is exactly that slice. */
  start: number;
  end: number;
  quote: string;
  norm: string;
}

export interface Structure {
  clauses: Clause[];
  /** Letterhead paragraphs (title, 文号, by-line, issuing body) that are shown but are not clauses. */
  header: Paragraph[];
  mode: 'numbered' | 'headings' | 'paragraphs';
}

interface Unit extends Paragraph {
  role: Role;
  marker: Marker | null;
}

const ATTACHMENT_START = /^(?:附件|附表)\s*([\d一二三四五六七八九十]*)\s*(?:[:.、]|$|(?=[\u4e00-\u9fa5]))/;
const HEADING_MAX = 40;

/**
 * Split a notice's paragraphs into clauses along its own structure: numbered items (`一、` `（一）` `1.`
 * `第一条` …) nested by their kind, unnumbered headings when a notice has no numbering (press reports),
 * else one clause per paragraph. Letterhead, signature and attachments are told apart from policy.
 */
export function splitClauses(
  input: readonly Paragraph[],
  noticeId: string,
  titleNorm: string | null,
  text: string,
  norm: string,
): Structure {
  const units: Unit[] = presplit(input, titleNorm).map((p) => ({ ...p, role: 'body', marker: markerAt(p.norm) }));

  let h = 0;
  while (h < units.length && isHeaderLine(units[h] as Unit, titleNorm)) (units[h++] as Unit).role = 'header';

  let bodyStart = units.findIndex((u, i) => i >= h && isNumbering(u.marker));
  let mode: Structure['mode'] = 'numbered';
  if (bodyStart < 0) {
    bodyStart = splitInline(units, h, new Map());
    if (bodyStart < 0) {
      mode = 'headings';
      for (let i = h; i < units.length; i++) {
        const u = units[i] as Unit;
        if (isHeadingLine(u, units[i + 1])) u.marker = { kind: 'heading', rank: MARKER_RANK.heading, ordinal: 0, label: '', length: 0 };
      }
      bodyStart = units.findIndex((u, i) => i >= h && u.marker?.kind === 'heading');
      if (bodyStart < 0) {
        mode = 'paragraphs';
        bodyStart = h;
      }
    }
  }

  let tail = units.length;
  while (tail > bodyStart && isSignatureLine(units[tail - 1] as Unit)) tail--;
  const attachmentAt = units.findIndex((u, i) => i > bodyStart && i < tail && ATTACHMENT_START.test(u.norm));
  const attachmentStart = attachmentAt < 0 ? tail : attachmentAt;

  for (let i = h; i < units.length; i++) {
    const u = units[i] as Unit;
    if (i >= tail || (isSignatureLine(u) && !u.norm.includes('\t'))) u.role = 'signature';
    else if (i >= attachmentStart) u.role = 'attachment';
    else if (i < bodyStart) u.role = isHeadingLine(u, units[i + 1]) && i === bodyStart - 1 ? 'header' : 'preamble';
  }

  const body = splitBodyInline(units);
  return { clauses: build(body, noticeId, mode, text, norm), header: body.filter((u) => u.role === 'header'), mode };
}

/**
 * Letterhead run together with the text is cut off: a title or a 文号 opening a paragraph that goes on
 * (`京医保发〔2020〕4号各区医疗保障局…`), and a signature closing one (`…及时上报。北京市医疗保障局2020年2月7日`).
 */
function presplit(input: readonly Paragraph[], titleNorm: string | null): Paragraph[] {
  const out: Paragraph[] = [];
  for (const p of input) {
    const lead = titleNorm && p.norm.startsWith(titleNorm) ? titleNorm : leadingDocNumber(p.norm);
    const parts = lead && lead.length < p.norm.length ? splitParagraph(p, lead.length).flatMap((x) => splitLead(x)) : [p];
    for (const part of parts) {
      const sig = trailingSignature(part.norm);
      if (sig && sig.at > 0) out.push(...splitParagraph(part, sig.at));
      else out.push(part);
    }
  }
  return out;
}

function splitLead(p: Paragraph): Paragraph[] {
  const doc = leadingDocNumber(p.norm);
  return doc && doc.length < p.norm.length ? splitParagraph(p, doc.length) : [p];
}

function isHeaderLine(u: Unit, titleNorm: string | null): boolean {
  if (u.marker) return false;
  const n = u.norm;
  if (titleNorm && (titleNorm.includes(n) || n.includes(titleNorm)) && n.length <= titleNorm.length + 30) return true;
  if (leadingDocNumber(n) === n || isOrgLine(n) || isDateLine(n) || isByline(n)) return true;
  if (!/[\u4e00-\u9fa5]/.test(n)) return true;
  return n.length <= 30 && !/[。;:,!?、]/.test(n) && !/[\u4e00-\u9fa5]{2,}[:：]/.test(n);
}

function isSignatureLine(u: Unit): boolean {
  const n = u.norm;
  return isOrgLine(n) || isDateLine(n) || isClosingLine(n) || trailingSignature(n)?.at === 0;
}

/** A short line with no closing punctuation, followed by running text: a press report's sub-heading. */
function isHeadingLine(u: Unit, next: Unit | undefined): boolean {
  if (!next || u.marker || u.norm.includes('\t')) return false;
  const n = u.norm;
  if (n.length > HEADING_MAX + 20 || /[。;:,!?]$/.test(n) || !/[\u4e00-\u9fa5]{3}/.test(n)) return false;
  if (isOrgLine(n) || isDateLine(n) || isClosingLine(n) || isByline(n)) return false;
  return next.norm.length > n.length || next.marker !== null || /[。!?]$/.test(next.norm);
}

/** Split paragraphs at inline item markers; returns the index of the first numbered unit, or -1. */
function splitInline(units: Unit[], from: number, previous: Map<MarkerKind, number>): number {
  for (let i = from; i < units.length; i++) {
    const u = units[i] as Unit;
    const found = inlineMarkers(u.norm, previous).filter((f) => isNumbering(f.marker));
    if (found.length === 0) continue;
    const parts = cut(
      u,
      found.map((f) => f.at),
    );
    units.splice(i, 1, ...parts);
  }
  return units.findIndex((u, i) => i >= from && isNumbering(u.marker));
}

/** Within policy text, split at `一是…二是…` and other inline enumerations. */
function splitBodyInline(units: Unit[]): Unit[] {
  const out: Unit[] = [];
  const last = new Map<MarkerKind, number>();
  for (const u of units) {
    if (u.role !== 'body') {
      out.push(u);
      continue;
    }
    if (u.marker) record(last, u.marker);
    const found = inlineMarkers(u.norm, last);
    const parts =
      found.length > 0
        ? cut(
            u,
            found.map((f) => f.at),
          )
        : [u];
    for (const p of parts.slice(1)) if (p.marker) record(last, p.marker);
    out.push(...parts);
  }
  return out;
}

function record(last: Map<MarkerKind, number>, m: Marker): void {
  last.set(m.kind, m.ordinal);
  for (const kind of [...last.keys()]) if (MARKER_RANK[kind] > m.rank) last.delete(kind);
}

/** Cut a unit at offsets relative to its start; each part after the first opens with a marker. */
function cut(u: Unit, offsets: number[]): Unit[] {
  const parts: Paragraph[] = [];
  let rest: Paragraph = u;
  for (const at of [...offsets].sort((a, b) => a - b)) {
    const [head, tail] = splitParagraph(rest, u.start + at - rest.start);
    if (!head || !tail) continue;
    parts.push(head);
    rest = tail;
  }
  parts.push(rest);
  return parts.map((p, i) => ({ ...p, role: u.role, marker: i === 0 ? u.marker : markerAt(p.norm) }));
}

function headingOf(u: Unit): string | null {
  const m = u.marker;
  if (m?.kind === 'heading') return u.text;
  const rest = u.text.slice(m?.length ?? 0);
  const restNorm = u.norm.slice(m?.length ?? 0);
  const stop = restNorm.search(/[。;:]/);
  const end = stop < 0 ? restNorm.length : stop;
  if (end === 0 || end > HEADING_MAX) return null;
  return rest.slice(0, end).trim() || null;
}

function build(units: readonly Unit[], noticeId: string, mode: Structure['mode'], text: string, norm: string): Clause[] {
  const clauses: Clause[] = [];
  const used = new Map<string, number>();
  const stack: { rank: number; label: string; heading: string | null }[] = [];
  let current: { clause: Clause; role: Role } | null = null;
  let headingCount = 0;
  let paragraphCount = 0;

  const open = (
    u: Unit,
    path: string,
    kind: ClauseKind,
    depth: number,
    parent: string | null,
    heading: string | null,
    headings: string[],
  ) => {
    const n = (used.get(path) ?? 0) + 1;
    used.set(path, n);
    const unique = n === 1 ? path : `${path}~${n}`;
    const clause: Clause = {
      id: `${noticeId}#${unique}`,
      path: unique,
      kind,
      marker: u.text.slice(0, u.marker?.length ?? 0).trim(),
      depth,
      parent,
      heading,
      headings,
      start: u.start,
      end: u.end,
      quote: '',
      norm: '',
    };
    clauses.push(clause);
    current = { clause, role: u.role };
  };

  for (const u of units) {
    if (u.role === 'header') continue;
    const cur = current as { clause: Clause; role: Role } | null;
    if (u.role === 'body' && u.marker) {
      while (stack.length > 0 && (stack.at(-1)?.rank ?? 0) >= u.marker.rank) stack.pop();
      const label = u.marker.kind === 'heading' ? `s${++headingCount}` : u.marker.label;
      const heading = headingOf(u);
      const parent = stack.length > 0 ? stack.map((s) => s.label).join('.') : null;
      stack.push({ rank: u.marker.rank, label, heading });
      const headings = stack.map((s) => s.heading).filter((x): x is string => x !== null);
      open(u, stack.map((s) => s.label).join('.'), 'policy', stack.length, parent, heading, headings);
      continue;
    }
    const attachmentStart = u.role === 'attachment' ? ATTACHMENT_START.exec(u.norm) : null;
    const continues = cur && cur.role === u.role && !(attachmentStart && cur.clause.kind === 'attachment' && u.norm.length < 80);
    if (continues && !(u.role === 'body' && mode === 'paragraphs')) {
      cur.clause.end = u.end;
      continue;
    }
    switch (u.role) {
      case 'preamble':
        open(u, 'preamble', 'preamble', 1, null, null, []);
        break;
      case 'signature':
        open(u, 'signature', 'signature', 1, null, null, []);
        break;
      case 'attachment': {
        const label = attachmentStart?.[1] ? `附件${attachmentStart[1]}` : '附件';
        open(u, label, 'attachment', 1, null, u.text.slice(0, HEADING_MAX), [u.text.slice(0, HEADING_MAX)]);
        break;
      }
      default:
        open(u, `p${++paragraphCount}`, 'policy', 1, null, null, []);
    }
  }
  for (const c of clauses) {
    c.quote = text.slice(c.start, c.end);
    c.norm = norm.slice(c.start, c.end);
  }
  return clauses;
}
