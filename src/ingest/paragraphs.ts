import { matchForm } from './normalize.js';

/** A paragraph of the clean text: offsets into it, the original wording and its match form. */
export interface Paragraph {
  start: number;
  end: number;
  text: string;
  norm: string;
}

/** Paragraphs are the clean text's lines (ingestion has already made paragraph breaks into lines). */
export function toParagraphs(clean: string): Paragraph[] {
  const out: Paragraph[] = [];
  let start = 0;
  for (const line of clean.split('\n')) {
    if (line !== '') out.push({ start, end: start + line.length, text: line, norm: matchForm(line) });
    start += line.length + 1;
  }
  return out;
}

/** Cut a paragraph in two at an offset relative to its start; parts that would be blank are dropped. */
export function splitParagraph(p: Paragraph, at: number): Paragraph[] {
  return [part(p, 0, at), part(p, at, p.text.length)].filter((x): x is Paragraph => x !== null);
}

function part(p: Paragraph, from: number, to: number): Paragraph | null {
  const text = p.text.slice(from, to);
  const lead = text.length - text.trimStart().length;
  const trimmed = text.trim();
  if (trimmed === '') return null;
  const start = p.start + from + lead;
  return { start, end: start + trimmed.length, text: trimmed, norm: p.norm.slice(from + lead, from + lead + trimmed.length) };
}
