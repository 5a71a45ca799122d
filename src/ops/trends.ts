/**
 * The desk's trends at a glance (issue 16): bot replies per day by channel and by reply type, the largest
 * groups of unanswered questions, and 👍/👎 and chat ratings per day. Days are Asia/Shanghai calendar days.
 */
import type { DailyFeedback, DailyReplies, MissGroup, TrendsResponse } from './types.js';

const TOP_UNANSWERED = 10;

export interface TrendsInput {
  days: string[];
  replies: DailyReplies[];
  feedback: DailyFeedback[];
  /** Groups of the unanswered misses (handoff and fallback), by similar question. */
  unanswered: MissGroup[];
}

/** The rows reshaped into series aligned to `days` (0 for a day without rows); days outside the range are left out. */
export function trends(input: TrendsInput): TrendsResponse {
  const at = new Map(input.days.map((d, i) => [d, i]));
  const series = (pick: (r: DailyReplies) => string) => {
    const by = new Map<string, number[]>();
    for (const r of input.replies) {
      const i = at.get(r.day);
      if (i === undefined) continue;
      const counts = by.get(pick(r)) ?? input.days.map(() => 0);
      counts[i] = (counts[i] ?? 0) + r.n;
      by.set(pick(r), counts);
    }
    // The busiest first, then by name: the page's legend keeps one order.
    return [...by]
      .map(([name, counts]) => ({ name, counts, total: counts.reduce((s, n) => s + n, 0) }))
      .sort((a, b) => b.total - a.total || a.name.localeCompare(b.name));
  };
  const feedback = input.days.map((day) => ({ day, up: 0, down: 0, ratings: 0, scoreSum: 0, low: 0 }));
  for (const f of input.feedback) {
    const i = at.get(f.day);
    const sum = i === undefined ? undefined : feedback[i];
    if (!sum) continue;
    sum.up += f.up;
    sum.down += f.down;
    sum.ratings += f.ratings;
    sum.scoreSum += f.scoreSum;
    sum.low += f.low;
  }
  return {
    days: [...input.days],
    byChannel: series((r) => r.channel).map(({ name, counts }) => ({ channel: name, counts })),
    byType: series((r) => r.type).map(({ name, counts }) => ({ type: name, counts })),
    topUnanswered: [...input.unanswered]
      .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label))
      .slice(0, TOP_UNANSWERED)
      .map((g) => ({ label: g.label, count: g.count })),
    feedback: feedback.map(({ day, up, down, ratings, scoreSum, low }) => ({
      day,
      up,
      down,
      ratings,
      // Two decimals: 4.33, not 4.333333333333333.
      average: ratings > 0 ? Math.round((scoreSum / ratings) * 100) / 100 : null,
      low,
    })),
  };
}
