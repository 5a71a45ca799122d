import { escapeRe } from '../regex.js';
import { dataChecker, type Schema } from '../schema.js';
import { matchForm } from './normalize.js';

export interface RegionEntry {
  name: string;
  kind: 'municipality' | 'province' | 'city' | 'county' | 'sar';
  province?: string;
  abbr?: string;
  aliases?: string[];
}

export interface RegionsFile {
  version: number;
  regions: RegionEntry[];
}

const regionsSchema: Schema<RegionsFile> = {
  type: 'object',
  required: ['version', 'regions'],
  additionalProperties: false,
  properties: {
    version: { type: 'integer', const: 1 },
    regions: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'kind'],
        additionalProperties: false,
        properties: {
          name: { type: 'string', minLength: 1 },
          kind: { type: 'string', enum: ['municipality', 'province', 'city', 'county', 'sar'] },
          province: { type: 'string', nullable: true, minLength: 1 },
          abbr: { type: 'string', nullable: true, minLength: 1, maxLength: 1 },
          aliases: { type: 'array', nullable: true, items: { type: 'string', minLength: 1 } },
        },
      },
    },
  },
};

export const checkRegionsFile = dataChecker(regionsSchema);

export interface RegionMention {
  name: string;
  index: number;
  length: number;
}

/** Suffixes that end a place name in an authority's name: 北京市, 云南省, 内蒙古自治区, 延边朝鲜族自治州. */
const PLACE_SUFFIX = /^(.{2,}?)(?:[\u4e00-\u9fa5]{0,6}族)*(?:自治区|自治州|特别行政区|省|市|盟|地区|州|县|旗|区)/;

/** Lookups over the region data: alias → name, mentions in text, the place in an authority's name. */
export class RegionTable {
  readonly entries: readonly RegionEntry[];
  private readonly byForm = new Map<string, string>();
  private readonly abbrs = new Map<string, string>();
  private readonly mentionRe: RegExp | null;
  private readonly impliedRe: RegExp | null;

  constructor(entries: readonly RegionEntry[]) {
    this.entries = entries;
    for (const e of entries) {
      for (const form of [e.name, ...(e.aliases ?? [])]) this.byForm.set(matchForm(form), e.name);
      if (e.abbr) this.abbrs.set(matchForm(e.abbr), e.name);
    }
    const forms = [...this.byForm.keys()].sort((a, b) => b.length - a.length).map(escapeRe);
    this.mentionRe = forms.length > 0 ? new RegExp(forms.join('|'), 'g') : null;
    const abbrs = [...this.abbrs.keys()].map(escapeRe);
    this.impliedRe = abbrs.length > 0 ? new RegExp(`(?:离|来|返|回|在|赴|抵|进|出|留|驻)(${abbrs.join('|')})`, 'g') : null;
  }

  /** The canonical name for a name or alias in any script (`包頭市` → `包头`), or null. */
  canonical(nameOrAlias: string): string | null {
    return this.byForm.get(matchForm(nameOrAlias.trim())) ?? null;
  }

  get(name: string): RegionEntry | undefined {
    return this.entries.find((e) => e.name === name);
  }

  /** Every mention of a known region in a text in match form, longest alias first. */
  mentions(text: string): RegionMention[] {
    if (!this.mentionRe) return [];
    const out: RegionMention[] = [];
    for (const m of text.matchAll(this.mentionRe)) {
      const name = this.byForm.get(m[0]);
      if (name) out.push({ name, index: m.index, length: m[0].length });
    }
    return out;
  }

  /** A region implied by a set phrase with a one-character short name: 离沪 → 上海, 回京 → 北京. */
  implied(text: string): RegionMention[] {
    if (!this.impliedRe) return [];
    const out: RegionMention[] = [];
    for (const m of text.matchAll(this.impliedRe)) {
      const name = this.abbrs.get(m[1] ?? '');
      if (name) out.push({ name, index: m.index, length: m[0].length });
    }
    return out;
  }

  /**
   * The region of an authority from its name: the place before its first administrative suffix,
   * canonical when known (`包頭市醫療保險服務中心` → 包头), else the place itself (`苏州市医疗保障局` → 苏州).
   */
  placeOf(authority: string): string | null {
    const form = matchForm(authority);
    for (const [alias, name] of [...this.byForm.entries()].sort((a, b) => b[0].length - a[0].length)) {
      if (form.startsWith(alias)) return name;
    }
    const m = PLACE_SUFFIX.exec(form);
    if (!m?.[1] || m[1].startsWith('各') || m[1].startsWith('国家')) return null;
    return m[1];
  }
}
