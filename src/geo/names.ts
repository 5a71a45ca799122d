/**
 * How an administrative name shortens to the form people say: 广西壮族自治区 → 广西, 黔东南苗族侗族自治州
 * → 黔东南, 海淀区 → 海淀, 柞水县 → 柞水. Language rules only; the places themselves come from the data.
 */

export type PlaceLevel = 'country' | 'province' | 'city' | 'county';

/**
 * The 55 minority nationalities (the form before 族), longest first, as autonomous names carry them; and
 * 各 for 各族 (龙胜各族自治县).
 */
const ETHNIC_GROUPS = [
  '各',
  '蒙古',
  '回',
  '藏',
  '维吾尔',
  '苗',
  '彝',
  '壮',
  '布依',
  '朝鲜',
  '满',
  '侗',
  '瑶',
  '白',
  '土家',
  '哈尼',
  '哈萨克',
  '傣',
  '黎',
  '傈僳',
  '佤',
  '畲',
  '高山',
  '拉祜',
  '水',
  '东乡',
  '纳西',
  '景颇',
  '柯尔克孜',
  '土',
  '达斡尔',
  '仫佬',
  '羌',
  '布朗',
  '撒拉',
  '毛南',
  '仡佬',
  '锡伯',
  '阿昌',
  '普米',
  '塔吉克',
  '怒',
  '乌孜别克',
  '俄罗斯',
  '鄂温克',
  '德昂',
  '保安',
  '裕固',
  '京',
  '塔塔尔',
  '独龙',
  '鄂伦春',
  '赫哲',
  '门巴',
  '珞巴',
  '基诺',
].sort((a, b) => b.length - a.length);

/** Administrative suffixes by level, longest first; `autonomous` ones follow the nationalities' names. */
const SUFFIXES: Record<Exclude<PlaceLevel, 'country'>, readonly string[]> = {
  province: ['特别行政区', '自治区', '省', '市'],
  city: ['自治州', '地区', '盟', '市', '县'],
  county: ['自治县', '自治旗', '林区', '特区', '新区', '区', '县', '旗', '市'],
};
const AUTONOMOUS = new Set(['自治区', '自治州', '自治县', '自治旗']);

/** The least a short form keeps: one character alone is never a place name (县 → 涉县 stays 涉县). */
const MIN_SHORT = 2;

export interface NameParts {
  /** The short form, or null when the name has no suffix to drop or too little would remain. */
  short: string | null;
  /** The suffix dropped (`区`, `自治州` …), or null. */
  suffix: string | null;
}

/** Drop nationalities' names from the end of an autonomous name's stem: 海西蒙古族藏族 → 海西. */
function stripNationalities(stem: string): string {
  let rest = stem;
  for (;;) {
    let cut: string | null = null;
    for (const group of ETHNIC_GROUPS) {
      const withZu = `${group}族`;
      if (rest.endsWith(withZu)) cut = rest.slice(0, -withZu.length);
      // A single-character nationality only counts with 族 (清水, 白水 are not 水族, 白族 names).
      else if (group.length > 1 && rest.endsWith(group)) cut = rest.slice(0, -group.length);
      if (cut !== null) break;
    }
    if (cut === null || cut.length < MIN_SHORT) return rest;
    rest = cut;
  }
}

/** The short form of a full name at a level: the administrative suffix (and any nationalities) dropped. */
export function shortName(fullName: string, level: PlaceLevel): NameParts {
  if (level === 'country') return { short: null, suffix: null };
  for (const suffix of SUFFIXES[level]) {
    if (!fullName.endsWith(suffix)) continue;
    let stem = fullName.slice(0, -suffix.length);
    if (AUTONOMOUS.has(suffix)) stem = stripNationalities(stem);
    const nationalityOnly = ETHNIC_GROUPS.some((g) => stem === g || stem === `${g}族`);
    if (stem.length < MIN_SHORT || nationalityOnly) return { short: null, suffix };
    return { short: stem, suffix };
  }
  return { short: null, suffix: null };
}

/** A county row that is a statistical remainder or a grouping, not a place (其它区, a county-level 市辖区). */
export function isRemainderRow(name: string): boolean {
  return /^其[它他]|^市辖区$/.test(name);
}
