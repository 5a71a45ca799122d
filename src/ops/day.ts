/** Calendar days as the bureau keeps them: China Standard Time (UTC+8, no daylight saving). */
export const DAY_MS = 86_400_000;
export const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/** The Asia/Shanghai day an instant falls on, as a count of days since 1970-01-01 (what the stores group by). */
export function dayNumber(at: number): number {
  return Math.floor((at + SHANGHAI_OFFSET_MS) / DAY_MS);
}

/** A day count as `YYYY-MM-DD`. */
export function dayIso(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** The last `days` Asia/Shanghai days up to and including the day of `now`, oldest first. */
export function dayRange(now: number, days: number): string[] {
  const out: string[] = [];
  for (let i = Math.max(0, Math.floor(days)) - 1; i >= 0; i--) out.push(shanghaiDay(now - i * DAY_MS));
  return out;
}

/** The Asia/Shanghai day of an instant, `YYYY-MM-DD` (no daylight saving since 1991). */
export function shanghaiDay(at: number): string {
  return dayIso(dayNumber(at));
}
