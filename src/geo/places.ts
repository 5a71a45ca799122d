import { isRemainderRow, type PlaceLevel, shortName } from './names.js';

export type { PlaceLevel } from './names.js';

export interface Place {
  /** 6-digit GB/T 2260 code; '000000' for 全国. */
  code: string;
  /** The name used everywhere (notice meta.region, replies, a request's `region`): unique across places. */
  name: string;
  fullName: string;
  level: PlaceLevel;
  /** The parent's code; null for 全国. */
  parent: string | null;
}

export const NATIONAL_CODE = '000000';
export const NATIONAL_NAME = '全国';

/** A place as built from the data, with the short form its name was chosen from. */
export interface PlaceRow {
  place: Place;
  short: string | null;
  /** A development zone or the like (codes x71–x79, x90–x99 in the mainland): named by its full name only. */
  functional: boolean;
  /** A full name that says nothing by itself (城区, 开发区): the place is named with its parent's name. */
  generic: boolean;
}

const LEVEL_RANK: Record<PlaceLevel, number> = { country: 0, province: 1, city: 2, county: 3 };

export function levelRank(level: PlaceLevel): number {
  return LEVEL_RANK[level];
}

/** Provinces whose city rows only group districts and counties (北京 上海 天津 重庆). */
const MUNICIPALITY_SUFFIX = '市';

/**
 * A city row that only groups counties and has no place of its own: 省直辖县, 自治区直辖县级行政区划, 县,
 * 市辖区, the x9000 rows, and every city row of a municipality (whose districts hang from it directly).
 */
function isGroupingRow(code: string, name: string, provinceName: string | undefined): boolean {
  if (code.endsWith('9000')) return true;
  if (/^(?:省直辖县|自治区直辖县级行政区划|县|市辖区)$/.test(name) || name.includes('直辖')) return true;
  return provinceName?.endsWith(MUNICIPALITY_SUFFIX) ?? false;
}

/**
 * The places of GB/T 2260 as @vant/area-data gives them, with parents fixed (a municipality's districts
 * and a province's directly administered counties hang from the province), not yet named.
 */
export async function readPlaceRows(): Promise<PlaceRow[]> {
  // Loaded only when the places are built: a start that reads them from the build cache never parses it.
  const { areaList } = await import('@vant/area-data');
  const rows: PlaceRow[] = [];
  const add = (code: string, fullName: string, level: PlaceLevel, parent: string | null) => {
    const functional = level === 'county' && isFunctionalZone(code);
    const short = functional ? null : shortName(fullName, level).short;
    rows.push({ place: { code, name: '', fullName, level, parent }, short, functional, generic: false });
  };
  add(NATIONAL_CODE, NATIONAL_NAME, 'country', null);
  const provinces = areaList.province_list;
  const cities = new Set<string>();
  for (const [code, name] of Object.entries(provinces)) add(code, name, 'province', NATIONAL_CODE);
  for (const [code, name] of Object.entries(areaList.city_list)) {
    const province = `${code.slice(0, 2)}0000`;
    if (isGroupingRow(code, name, provinces[province])) continue;
    cities.add(code);
    add(code, name, 'city', province);
  }
  for (const [code, name] of Object.entries(areaList.county_list)) {
    if (isRemainderRow(name)) continue;
    const city = `${code.slice(0, 4)}00`;
    add(code, name, 'county', cities.has(city) ? city : `${code.slice(0, 2)}0000`);
  }
  return rows;
}

/** Mainland county codes 71–79 and 90–99 are development zones and the like, not administrative divisions. */
function isFunctionalZone(code: string): boolean {
  const province = Number(code.slice(0, 2));
  const tail = Number(code.slice(4));
  return province < 71 && ((tail >= 71 && tail <= 79) || tail >= 90);
}

/**
 * Mark the county rows whose full name is a common word (`isGeneric`: 城区, 矿区) or a zone's name that
 * several cities share (开发区, 经济技术开发区), then give every place its unique name and freeze it.
 */
export function namePlaces(rows: PlaceRow[], isGeneric: (fullName: string) => boolean): readonly Place[] {
  const zones = new Map<string, number>();
  for (const r of rows) if (r.functional) zones.set(r.place.fullName, (zones.get(r.place.fullName) ?? 0) + 1);
  for (const r of rows) {
    if (r.place.level !== 'county') continue;
    const sharedZone = r.functional && (zones.get(r.place.fullName) ?? 0) > 1;
    if (!sharedZone && !isGeneric(r.place.fullName)) continue;
    r.generic = true;
    r.short = null;
  }
  assignNames(rows);
  return rows.map((r) => Object.freeze(r.place));
}

/**
 * Give every place a unique name: its short form when no other place of its level or above says the
 * same (the higher level wins: 吉林 is the province, the city is 吉林市), else its full name when that is
 * unique, else the parent's name before the full name (宁波江北区, 重庆江北区).
 */
function assignNames(rows: PlaceRow[]): void {
  const byCode = new Map(rows.map((r) => [r.place.code, r]));
  const preferred = (r: PlaceRow) => r.short ?? r.place.fullName;
  const groups = new Map<string, PlaceRow[]>();
  for (const r of rows) {
    const key = preferred(r);
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const fullCount = new Map<string, number>();
  for (const r of rows) fullCount.set(r.place.fullName, (fullCount.get(r.place.fullName) ?? 0) + 1);

  const claimed = new Set<string>();
  const pending: PlaceRow[] = [];
  for (const [key, group] of groups) {
    const top = Math.min(...group.map((r) => levelRank(r.place.level)));
    const highest = group.filter((r) => levelRank(r.place.level) === top);
    for (const r of group) {
      if (highest.length === 1 && highest[0] === r && !r.generic) {
        r.place.name = key;
        claimed.add(key);
      } else pending.push(r);
    }
  }
  pending.sort((a, b) => levelRank(a.place.level) - levelRank(b.place.level) || a.place.code.localeCompare(b.place.code));
  for (const r of pending) {
    const full = r.place.fullName;
    const parent = r.place.parent ? byCode.get(r.place.parent)?.place : undefined;
    const options = [
      !r.generic && fullCount.get(full) === 1 ? full : null,
      parent ? `${parent.name}${full}` : null,
      parent ? `${parent.fullName}${full}` : null,
    ];
    const name = options.find((o): o is string => o !== null && !claimed.has(o) && !groups.has(o)) ?? `${full}${r.place.code}`;
    r.place.name = name;
    claimed.add(name);
  }
}
