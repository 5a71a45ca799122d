import { matchForm } from '../ingest/normalize.js';
import { escapeRe } from '../regex.js';
import type { EntitiesFile, EntityEntry } from './data.js';

export interface EntityMention {
  name: string;
  index: number;
}

/** Finds names and aliases of one kind of entity in normalized text, longest first. */
export class EntityMatcher {
  private readonly byForm = new Map<string, string>();
  private readonly re: RegExp | null;

  constructor(entries: readonly EntityEntry[]) {
    for (const e of entries) for (const f of [e.name, ...(e.aliases ?? [])]) this.byForm.set(matchForm(f), e.name);
    const forms = [...this.byForm.keys()].sort((a, b) => b.length - a.length).map(escapeRe);
    this.re = forms.length > 0 ? new RegExp(forms.join('|'), 'g') : null;
  }

  find(norm: string): EntityMention[] {
    if (!this.re) return [];
    return [...norm.matchAll(this.re)].map((m) => ({ name: this.byForm.get(m[0]) ?? m[0], index: m.index }));
  }
}

export interface Entities {
  diseases: string[];
  groups: string[];
}

export class EntityExtractor {
  private readonly diseases: EntityMatcher;
  private readonly groups: EntityMatcher;

  constructor(data: EntitiesFile) {
    this.diseases = new EntityMatcher(data.diseases);
    this.groups = new EntityMatcher(data.groups);
  }

  extract(norm: string): Entities {
    const names = (ms: EntityMention[]) => [...new Set(ms.map((m) => m.name))];
    return { diseases: names(this.diseases.find(norm)), groups: names(this.groups.find(norm)) };
  }
}
