import { join } from 'node:path';
import { FACT_TYPES, type FactType } from '../ingest/facts/index.js';
import { dataChecker, readYaml, type Schema } from '../schema.js';

/** A kind of value a question asks for (asks.yaml `facts`). */
export interface AskKind {
  facts: FactType[];
  /** A sentence without such a fact is no answer at all (a phone number). */
  required?: boolean;
  /** Any number with a measure word will do. */
  count?: boolean;
  cues: string[];
}

export const META_FIELDS = ['title', 'authority', 'docNumber', 'date', 'effective'] as const;
export type MetaAsk = (typeof META_FIELDS)[number];

export interface AsksFile {
  version: number;
  facts: Record<string, AskKind>;
  /** Words that name no topic by themselves (医保, 咨询, 中心): a question of only these and a kind of value asks for the region's. */
  generic: string[];
  meta: Record<MetaAsk, string[]>;
}

/** Reply copy (responses.yaml): each text written once. */
export interface Responses {
  greeting: string;
  thanks: string;
  fallback: string;
  ask_topic: string;
  ask_city: string;
  ask_city_any: string;
  ask_which: string;
  no_notice_for_region: string;
  no_notice_for_year: string;
  handoff: Record<'requested' | 'complaint' | 'urgent' | 'personal' | 'not_covered' | 'unanswered' | 'repeated_failure', string>;
  handoff_hotline: string;
  scope_province: string;
  scope_national: string;
  scope_national_for: string;
  scope_national_silent: string;
  source: string;
  source_undated: string;
  /** The first line of an answer from a measure that has ended (issue 16), and whom to ask instead. */
  expired_lead: string;
  expired_lead_ended: string;
  expired_lead_recorded: string;
  expired_instead_hotline: string;
  expired_instead: string;
  reminder_temporary: string;
  reminder_expired: string;
  reminder_ended: string;
  reminder_recorded: string;
  reminder_standing: string;
  reminder_hotline: string;
  /** Heads of the contacts listed from a region's quick-reference card (agents' assist). */
  card_phone: string;
  card_url: string;
  meta: Record<'title' | 'authority' | 'docNumber' | 'docNumber_none' | 'date' | 'date_partial' | 'effective' | 'effective_none', string>;
}

export interface ResponsesFile {
  version: number;
  responses: Responses;
}

/** The decision rules' thresholds (policy.yaml, written by `npm run calibrate`). */
export interface Policy {
  intent: { threshold: number; ratio: number; floor: number };
  answer: { threshold: number; min_score: number; followup_leniency: number; personal_override: number };
  personal: { threshold: number };
  clarify_topic: { threshold: number };
  clarify_city: { ambiguity: number; also: number };
  scope: { margin: number };
  coverage: { situational: number; attachment: number };
  smalltalk: { max_words: number };
}

export interface PolicyFile {
  version: number;
  rules: Policy;
}

const strings = { type: 'array', items: { type: 'string', minLength: 1 } } as const;
const text = { type: 'string', minLength: 1 } as const;
const unit = { type: 'number', minimum: 0, maximum: 1 } as const;

const asksSchema: Schema<AsksFile> = {
  type: 'object',
  required: ['version', 'facts', 'generic', 'meta'],
  additionalProperties: false,
  properties: {
    version: { type: 'integer', const: 1 },
    generic: strings,
    facts: {
      type: 'object',
      required: [],
      additionalProperties: {
        type: 'object',
        required: ['facts', 'cues'],
        additionalProperties: false,
        properties: {
          facts: { type: 'array', items: { type: 'string', enum: [...FACT_TYPES] } },
          required: { type: 'boolean', nullable: true },
          count: { type: 'boolean', nullable: true },
          cues: { ...strings, minItems: 1 },
        },
      },
    } as unknown as Schema<AsksFile>['properties']['facts'],
    meta: {
      type: 'object',
      required: [...META_FIELDS],
      additionalProperties: false,
      properties: Object.fromEntries(META_FIELDS.map((f) => [f, strings])),
    } as unknown as Schema<AsksFile>['properties']['meta'],
  },
};

const textsOf = (keys: readonly string[]) => ({
  type: 'object',
  required: [...keys],
  additionalProperties: false,
  properties: Object.fromEntries(keys.map((k) => [k, text])),
});

const RESPONSE_KEYS = [
  'greeting',
  'thanks',
  'fallback',
  'ask_topic',
  'ask_city',
  'ask_city_any',
  'ask_which',
  'no_notice_for_region',
  'no_notice_for_year',
  'handoff_hotline',
  'scope_province',
  'scope_national',
  'scope_national_for',
  'scope_national_silent',
  'source',
  'source_undated',
  'expired_lead',
  'expired_lead_ended',
  'expired_lead_recorded',
  'expired_instead_hotline',
  'expired_instead',
  'reminder_temporary',
  'reminder_expired',
  'reminder_ended',
  'reminder_recorded',
  'reminder_standing',
  'reminder_hotline',
  'card_phone',
  'card_url',
] as const;

const responsesSchema = {
  type: 'object',
  required: ['version', 'responses'],
  additionalProperties: false,
  properties: {
    version: { type: 'integer', const: 1 },
    responses: {
      type: 'object',
      required: [...RESPONSE_KEYS, 'handoff', 'meta'],
      additionalProperties: false,
      properties: {
        ...Object.fromEntries(RESPONSE_KEYS.map((k) => [k, text])),
        handoff: textsOf(['requested', 'complaint', 'urgent', 'personal', 'not_covered', 'unanswered', 'repeated_failure']),
        meta: textsOf(['title', 'authority', 'docNumber', 'docNumber_none', 'date', 'date_partial', 'effective', 'effective_none']),
      },
    },
  },
} as unknown as Schema<ResponsesFile>;

const rule = (props: Record<string, object>) => ({
  type: 'object',
  required: Object.keys(props),
  additionalProperties: false,
  properties: props,
});

const policySchema = {
  type: 'object',
  required: ['version', 'rules'],
  additionalProperties: false,
  properties: {
    version: { type: 'integer', const: 1 },
    rules: rule({
      intent: rule({ threshold: unit, ratio: { type: 'number', minimum: 1 }, floor: unit }),
      answer: rule({ threshold: unit, min_score: { type: 'number', minimum: 0 }, followup_leniency: unit, personal_override: unit }),
      personal: rule({ threshold: unit }),
      clarify_topic: rule({ threshold: unit }),
      clarify_city: rule({ ambiguity: unit, also: unit }),
      scope: rule({ margin: unit }),
      coverage: rule({ situational: unit, attachment: unit }),
      smalltalk: rule({ max_words: { type: 'integer', minimum: 0 } }),
    }),
  },
} as unknown as Schema<PolicyFile>;

export const checkAsks = dataChecker(asksSchema);
export const checkResponses = dataChecker(responsesSchema);
export const checkPolicy = dataChecker(policySchema);

/** The dialogue's data: what questions ask for, what the assistant says, and the rules' thresholds. */
export interface DialogueData {
  asks: AsksFile;
  responses: Responses;
  policy: Policy;
}

export const POLICY_FILE = 'policy.yaml';

/** Read and check asks.yaml, responses.yaml and policy.yaml of an intents folder. */
export async function loadDialogueData(dir: string): Promise<DialogueData> {
  const files = { asks: join(dir, 'asks.yaml'), responses: join(dir, 'responses.yaml'), policy: join(dir, POLICY_FILE) };
  const [asks, responses, policy] = await Promise.all([readYaml(files.asks), readYaml(files.responses), readYaml(files.policy)]);
  return {
    asks: checkAsks(asks, files.asks),
    responses: checkResponses(responses, files.responses).responses,
    policy: checkPolicy(policy, files.policy).rules,
  };
}

/** Fill `{name}` placeholders of a reply text. */
export function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => values[k] ?? '');
}
