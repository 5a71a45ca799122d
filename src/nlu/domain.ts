import { readFileSync } from 'node:fs';
import type { LanguageData } from './data.js';

/**
 * The domain lexicon: domain.yaml's terms, the notice intents' keywords, the user dictionary's terms, the
 * synonyms' canonical terms and the entities' names — all as segmented words.
 */
export function domainLexicon(data: LanguageData, segment: (text: string) => string[]): Set<string> {
  const out = new Set<string>();
  const add = (text: string) => {
    out.add(text);
    for (const w of segment(text)) if (w.length >= 2) out.add(w);
  };
  for (const w of data.domain.terms) add(w);
  for (const intent of data.intents) if (intent.kind === 'notice') for (const k of intent.keywords ?? []) add(k);
  for (const canonical of [...Object.keys(data.synonyms.synonyms), ...Object.keys(data.synonyms.typos ?? {})]) add(canonical);
  for (const e of [...data.entities.diseases, ...data.entities.groups]) add(e.name);
  let dict = '';
  try {
    dict = readFileSync(data.userDict, 'utf8');
  } catch {
    dict = '';
  }
  for (const line of dict.split('\n')) {
    const term = line.trim().split(/\s+/)[0];
    if (term) add(term);
  }
  return out;
}
