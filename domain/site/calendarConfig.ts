// Production calendars per factory and line (docs/site-configuration.md#calendars): named shift
// patterns, which pattern each weekday works, holidays with no shifts, and dates that work a pattern of
// their own. A line's calendar wins over its factory's, which wins over the site-wide `shifts`.
import * as t from 'io-ts';
import { describeValue as show, failWith } from '../decodeError.ts';
import { Id } from '../wire/primitives.ts';
import { MINUTES_PER_DAY, shiftSpan } from './clockTime.ts';
import { listOf, struct } from '../closedStruct.ts';
import type { Shifts } from './shiftCalendar.ts';

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

type Shift = {
  readonly name: string;
  readonly start: string;
  readonly end: string;
  readonly breaks?: ReadonlyArray<{ readonly start: string; readonly end: string }>;
};

export type CalendarConfig = {
  readonly id: string;
  /** Pattern name → its shifts (each a shift of the site-wide `shifts` list's shape). */
  readonly patterns: Readonly<Record<string, readonly Shift[]>>;
  /** Weekday → the pattern it works; a weekday left out has no shifts (a weekend). */
  readonly week: Readonly<Partial<Record<Weekday, string>>>;
  /** Local dates with no shifts. */
  readonly holidays?: readonly string[];
  /** Local date → the pattern it works instead of its weekday's. */
  readonly overrides?: Readonly<Record<string, string>>;
};

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const isDate = (u: unknown): u is string => {
  if (typeof u !== 'string') return false;
  const match = DATE.exec(u);
  if (match === null) return false;
  const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return new Date(ms).toISOString().slice(0, 10) === u;
};
const LocalDate = new t.Type<string, string, unknown>(
  'a local date "YYYY-MM-DD"',
  isDate,
  (u, c) => (isDate(u) ? t.success(u) : failWith(u, c, `expected a local date "YYYY-MM-DD", got ${show(u)}`)),
  t.identity,
);
const DateKeyed = <C extends t.Mixed>(codec: C, name: string) => t.record(LocalDate, codec, name);

/** The calendar codec, built from the site's shift codec (so a pattern's shift is checked as the site's are). */
export const calendarCodec = (shift: t.Mixed) =>
  struct(
    'a calendar',
    {
      id: Id,
      patterns: t.record(Id, listOf(shift, 'shifts', false), 'an object of pattern name to a list of shifts'),
      week: struct(
        'a week (weekday to pattern name)',
        {},
        Object.fromEntries(WEEKDAYS.map((day) => [day, Id])) as Record<Weekday, typeof Id>,
      ),
    },
    {
      holidays: listOf(LocalDate, 'holidays', false),
      overrides: DateKeyed(Id, 'an object of local date "YYYY-MM-DD" to pattern name'),
    },
  );

type CalendarDoc = {
  readonly calendars?: readonly CalendarConfig[];
  readonly factories: ReadonlyArray<{
    readonly calendar?: string;
    readonly lines: ReadonlyArray<{ readonly calendar?: string }>;
  }>;
};

/** A pattern's shifts that run past midnight into the next date, as [from, to) minutes of that date. */
const spillOver = (shifts: readonly Shift[]): Array<readonly [number, number, string]> =>
  shifts.flatMap((shift) => {
    const span = shiftSpan(shift.start, shift.end);
    return span === undefined || span.startMin + span.lengthMin <= MINUTES_PER_DAY
      ? []
      : [[0, span.startMin + span.lengthMin - MINUTES_PER_DAY, shift.name] as const];
  });

/** Any pattern may follow any other (a weekday, an override), so no night shift may run into the next date's shifts. */
const crossDayProblems = (calendar: CalendarConfig, path: string): string[] =>
  Object.entries(calendar.patterns).flatMap(([before, shifts]) =>
    spillOver(shifts).flatMap(([, until, night]) =>
      Object.entries(calendar.patterns).flatMap(([after, next]) =>
        next.flatMap((shift) => {
          const span = shiftSpan(shift.start, shift.end);
          return span !== undefined && span.startMin < until
            ? [
                `${path}.patterns.${after}: shift "${shift.name}" (${shift.start}-${shift.end}) starts before shift "${night}" of pattern "${before}" ends the night before; any pattern may follow any other, so shifts may touch but not overlap across midnight`,
              ]
            : [];
        }),
      ),
    ),
  );

/**
 * Every cross-field problem of the calendars: unknown patterns and calendars, a date both a holiday
 * and an override, shifts overlapping across midnight. Each pattern's own shifts are checked as the
 * site's `shifts` are (`shiftListProblems`).
 */
export const calendarProblems = (
  doc: CalendarDoc,
  shiftListProblems: (shifts: readonly Shift[], path: string) => string[],
): string[] => {
  const calendars = doc.calendars ?? [];
  const ids = calendars.map((c) => c.id);
  const known = (path: string, id: string | undefined): string[] =>
    id === undefined || ids.includes(id)
      ? []
      : [`${path}: no calendar "${id}" in calendars (known: ${ids.join(', ') || 'none'}); add it, or fix the name`];
  return [
    ...calendars.flatMap((calendar, c) => {
      const path = `calendars[${c}]`;
      const patterns = Object.keys(calendar.patterns);
      const pattern = (where: string, name: string): string[] =>
        patterns.includes(name)
          ? []
          : [`${where}: no pattern "${name}" in ${path}.patterns (known: ${patterns.join(', ') || 'none'})`];
      const holidays = calendar.holidays ?? [];
      return [
        ...(ids.indexOf(calendar.id) < c
          ? [`${path}.id: duplicate calendar id "${calendar.id}"; calendar ids must be unique across the site`]
          : []),
        ...Object.entries(calendar.patterns).flatMap(([name, shifts]) =>
          shiftListProblems(shifts, `${path}.patterns.${name}`),
        ),
        ...Object.entries(calendar.week).flatMap(([day, name]) => pattern(`${path}.week.${day}`, name!)),
        ...Object.entries(calendar.overrides ?? {}).flatMap(([date, name]) => [
          ...pattern(`${path}.overrides.${date}`, name),
          ...(holidays.includes(date)
            ? [
                `${path}.overrides.${date}: ${date} is also in holidays; a date is either a holiday (no shifts) or works a pattern`,
              ]
            : []),
        ]),
        ...crossDayProblems(calendar, path),
      ];
    }),
    ...doc.factories.flatMap((factory, f) => [
      ...known(`factories[${f}].calendar`, factory.calendar),
      ...factory.lines.flatMap((line, l) => known(`factories[${f}].lines[${l}].calendar`, line.calendar)),
    ]),
  ];
};

/** A calendar's shifts of each local date: an override's pattern, none on a holiday, else its weekday's pattern. */
export const calendarShifts = (calendar: CalendarConfig): Shifts => {
  const holidays = new Set(calendar.holidays ?? []);
  const overrides = calendar.overrides ?? {};
  const patternOf = (name: string | undefined): readonly Shift[] =>
    name === undefined ? [] : (calendar.patterns[name] ?? []);
  return (date, weekday) =>
    Object.prototype.hasOwnProperty.call(overrides, date)
      ? patternOf(overrides[date])
      : holidays.has(date)
        ? []
        : patternOf(calendar.week[WEEKDAYS[weekday]!]);
};

/**
 * Which calendar a line works: its own, else its factory's, else none (undefined: the site-wide
 * `shifts` apply, as before calendars existed).
 */
export const calendarOf = (
  calendars: readonly CalendarConfig[] | undefined,
  factoryCalendar: string | undefined,
  lineCalendar: string | undefined,
): CalendarConfig | undefined => {
  const id = lineCalendar ?? factoryCalendar;
  return id === undefined ? undefined : calendars?.find((c) => c.id === id);
};
