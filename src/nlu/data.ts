import { dataChecker, type Schema } from '../schema.js';

/** How an intent is answered. */
export type IntentKind = 'notice' | 'handoff' | 'fallback' | 'smalltalk';
export type HandoffReason = 'requested' | 'complaint' | 'urgent' | 'personal' | 'not_covered' | 'unanswered' | 'repeated_failure';

export interface IntentDef {
  id: string;
  kind: IntentKind;
  reason?: HandoffReason;
  needs?: 'region'[];
  keywords?: string[];
  facts?: string[];
  examples: string[];
}

export interface IntentsFile {
  version: number;
  intents: IntentDef[];
}

export interface SynonymsFile {
  version: number;
  synonyms: Record<string, string[]>;
  typos?: Record<string, string[]>;
}

export interface EntityEntry {
  name: string;
  aliases?: string[];
}

export interface EntitiesFile {
  version: number;
  diseases: EntityEntry[];
  groups: EntityEntry[];
}

const intentsSchema: Schema<IntentsFile> = {
  type: 'object',
  required: ['version', 'intents'],
  additionalProperties: false,
  properties: {
    version: { type: 'integer', const: 1 },
    intents: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['id', 'kind', 'examples'],
        additionalProperties: false,
        properties: {
          id: { type: 'string', pattern: '^[a-z_]+(\\.[a-z_]+)*$' },
          kind: { type: 'string', enum: ['notice', 'handoff', 'fallback', 'smalltalk'] },
          reason: {
            type: 'string',
            nullable: true,
            enum: ['requested', 'complaint', 'urgent', 'personal', 'not_covered', 'unanswered', 'repeated_failure'],
          },
          needs: { type: 'array', nullable: true, items: { type: 'string', const: 'region' } },
          keywords: { type: 'array', nullable: true, items: { type: 'string', minLength: 1 } },
          facts: { type: 'array', nullable: true, items: { type: 'string', minLength: 1 } },
          examples: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
        },
      },
    },
  },
};

const stringLists = {
  type: 'object',
  required: [],
  additionalProperties: { type: 'array', items: { type: 'string', minLength: 1 } },
} as const;

const synonymsSchema: Schema<SynonymsFile> = {
  type: 'object',
  required: ['version', 'synonyms'],
  additionalProperties: false,
  properties: {
    version: { type: 'integer', const: 1 },
    synonyms: stringLists as unknown as Schema<SynonymsFile>['properties']['synonyms'],
    typos: { ...stringLists, nullable: true } as unknown as Schema<SynonymsFile>['properties']['typos'],
  },
};

const entry = {
  type: 'object',
  required: ['name'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', minLength: 1 },
    aliases: { type: 'array', nullable: true, items: { type: 'string', minLength: 1 } },
  },
} as const;

const entitiesSchema: Schema<EntitiesFile> = {
  type: 'object',
  required: ['version', 'diseases', 'groups'],
  additionalProperties: false,
  properties: {
    version: { type: 'integer', const: 1 },
    diseases: { type: 'array', items: entry as unknown as Schema<EntityEntry> },
    groups: { type: 'array', items: entry as unknown as Schema<EntityEntry> },
  },
};

export const checkIntents = dataChecker(intentsSchema);
export const checkSynonyms = dataChecker(synonymsSchema);
export const checkEntities = dataChecker(entitiesSchema);

/** The domain's vocabulary (domain.yaml). */
export interface DomainFile {
  version: number;
  terms: string[];
  morphemes: string[];
}

const domainSchema: Schema<DomainFile> = {
  type: 'object',
  required: ['version', 'terms', 'morphemes'],
  additionalProperties: false,
  properties: {
    version: { type: 'integer', const: 1 },
    terms: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
    morphemes: { type: 'array', items: { type: 'string', minLength: 1, maxLength: 1 } },
  },
};

export const checkDomain = dataChecker(domainSchema);

/** The language data the NLU runs on, checked. */
export interface LanguageData {
  intents: IntentDef[];
  domain: DomainFile;
  synonyms: SynonymsFile;
  entities: EntitiesFile;
  /** Path of the jieba user dictionary. */
  userDict: string;
}
