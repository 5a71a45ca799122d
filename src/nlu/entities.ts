import { matchForm } from '../ingest/normalize.js';
import type { EntitiesFile, EntityEntry } from './data.js';
import { PhraseFinder } from './phrases.js';

export interface EntityMention {
  name: string;
  index: number;
}

/** Finds names and aliases of one kind of entity in normalized text, longest first. */
export class EntityMatcher {
  private readonly byForm = new Map<string, string>();
  private readonly forms: PhraseFinder;

  constructor(entries: readonly EntityEntry[]) {
    for (const e of entries) for (const f of [e.name, ...(e.aliases ?? [])]) this.byForm.set(matchForm(f), e.name);
    this.forms = new PhraseFinder(this.byForm.keys());
  }

  find(norm: string): EntityMention[] {
    return this.forms.find(norm).map((m) => ({ name: this.byForm.get(m.phrase) ?? m.phrase, index: m.index }));
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
