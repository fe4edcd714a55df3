import { fc, testProp } from '@fast-check/ava';
import { plannedIntervalsIn } from '../site/shiftCalendar.ts';
import type { ShiftConfig } from '../site/siteConfig.ts';
import { plannedIntervalsOf, type PlannedInterval, type ProductionCalendar } from './calendar.ts';

// Shifts with breaks, a night shift across local midnight, and zones whose offsets are whole hours,
// half hours and quarter hours, through a DST change (2026-03-29 in Europe).
const SHIFTS: readonly ShiftConfig[] = [
  { name: 'early', start: '06:00', end: '14:00', breaks: [{ start: '09:00', end: '09:15' }] },
  { name: 'late', start: '14:00', end: '22:00', breaks: [{ start: '18:00', end: '18:30' }] },
  { name: 'night', start: '22:00', end: '06:00' },
];
const ZONES = ['Europe/Berlin', 'Asia/Kolkata', 'Asia/Kathmandu', 'America/New_York', 'UTC'] as const;
const START = Date.UTC(2026, 2, 26);
const HOURS_MS = 3_600_000;

const calendarIn = (zone: string): ProductionCalendar => ({
  plannedIntervals: (fromMs, toMs) => plannedIntervalsIn(zone, SHIFTS, fromMs, toMs),
  hourKey: () => '',
  shiftKeyAt: () => null,
  shiftSpan: () => null,
});

/** Adjacent pieces of one shift joined: the same planned time however it was split. */
const joined = (intervals: readonly PlannedInterval[]): PlannedInterval[] =>
  intervals.reduce<PlannedInterval[]>((out, i) => {
    const last = out[out.length - 1];
    if (last !== undefined && last.endMs === i.startMs && last.shiftKey === i.shiftKey)
      out[out.length - 1] = { ...last, endMs: i.endMs };
    else out.push(i);
    return out;
  }, []);

testProp(
  "planned intervals asked per day and clipped are the calendar's own, split at UTC midnights at most (300 runs)",
  [
    fc.constantFrom(...ZONES),
    fc.integer({ min: 0, max: 6 * 24 * HOURS_MS }),
    fc.integer({ min: 0, max: 3 * 24 * HOURS_MS }),
  ],
  (t, zone, offset, length) => {
    const calendar = calendarIn(zone);
    const from = START + offset;
    const cached = plannedIntervalsOf(calendar, from, from + length);
    t.deepEqual(joined(cached), joined(calendar.plannedIntervals(from, from + length)));
    t.true(cached.every((i) => i.startMs >= from && i.endMs <= from + length && i.startMs < i.endMs));
    // Asked again (now from the cache), the same answer.
    t.deepEqual(plannedIntervalsOf(calendar, from, from + length), cached);
  },
  { numRuns: 300 },
);
