import { describe, expect, it } from 'vitest';
import { dayRange, shanghaiDay } from '../../src/ops/day.js';
import { trends } from '../../src/ops/trends.js';
import type { MissGroup } from '../../src/ops/types.js';

const DAYS = ['2026-03-08', '2026-03-09', '2026-03-10'];

function group(label: string, count: number): MissGroup {
  return {
    key: `q:${label}`,
    label,
    terms: label.split(' '),
    count,
    perDay: [],
    kinds: {},
    regions: {},
    intents: {},
    samples: [],
    clauses: [],
    ids: [],
  };
}

describe('Shanghai days', () => {
  it('takes the calendar day in Shanghai, eight hours ahead of UTC all year', () => {
    expect(shanghaiDay(Date.UTC(2026, 2, 9, 15, 59, 59))).toBe('2026-03-09');
    expect(shanghaiDay(Date.UTC(2026, 2, 9, 16, 0, 0))).toBe('2026-03-10');
    expect(shanghaiDay(Date.UTC(2026, 6, 1, 16, 0, 0))).toBe('2026-07-02');
    expect(shanghaiDay(Date.UTC(2026, 11, 31, 16))).toBe('2027-01-01');
  });

  it('lists the last n days up to today in Shanghai, oldest first', () => {
    expect(dayRange(Date.UTC(2026, 2, 9, 20), 3)).toEqual(DAYS);
    expect(dayRange(Date.UTC(2026, 2, 1, 4), 2)).toEqual(['2026-02-28', '2026-03-01']);
    expect(dayRange(Date.UTC(2026, 2, 1, 4), 0)).toEqual([]);
  });
});

describe('trends', () => {
  const t = trends({
    days: DAYS,
    replies: [
      { day: '2026-03-08', channel: 'web', type: 'answer', n: 5 },
      { day: '2026-03-10', channel: 'web', type: 'handoff', n: 2 },
      { day: '2026-03-10', channel: 'wechat', type: 'answer', n: 9 },
      { day: '2026-03-10', channel: 'wechat', type: 'answer', n: 1 },
      { day: '2026-03-01', channel: 'api', type: 'fallback', n: 50 },
    ],
    feedback: [
      { day: '2026-03-08', up: 3, down: 1, ratings: 3, scoreSum: 13, low: 1 },
      { day: '2026-03-10', up: 1, down: 0, ratings: 0, scoreSum: 0, low: 0 },
      { day: '2026-02-01', up: 9, down: 9, ratings: 9, scoreSum: 9, low: 9 },
    ],
    unanswered: Array.from({ length: 12 }, (_, i) => group(`话题${String(i).padStart(2, '0')}`, i + 1)),
  });

  it('counts replies per channel and per type for each day, with zeros for days without any and nothing from outside the range', () => {
    expect(t.days).toEqual(DAYS);
    expect(t.byChannel).toEqual([
      { channel: 'wechat', counts: [0, 0, 10] },
      { channel: 'web', counts: [5, 0, 2] },
    ]);
    expect(t.byType).toEqual([
      { type: 'answer', counts: [5, 0, 10] },
      { type: 'handoff', counts: [0, 0, 2] },
    ]);
  });

  it('lists the ten largest unanswered topics, largest first', () => {
    expect(t.topUnanswered).toHaveLength(10);
    expect(t.topUnanswered[0]).toEqual({ label: '话题11', count: 12 });
    expect(t.topUnanswered.at(-1)).toEqual({ label: '话题02', count: 3 });
  });

  it('gives feedback per day with the average rating, null on a day without ratings', () => {
    expect(t.feedback).toEqual([
      { day: '2026-03-08', up: 3, down: 1, ratings: 3, average: 4.33, low: 1 },
      { day: '2026-03-09', up: 0, down: 0, ratings: 0, average: null, low: 0 },
      { day: '2026-03-10', up: 1, down: 0, ratings: 0, average: null, low: 0 },
    ]);
  });
});
