// Wall-clock times of day ("HH:MM") as a shift calendar writes them, and the arithmetic of shifts
// on the 24-hour circle: a shift whose end is before its start crosses midnight.

const CLOCK_TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;
export const MINUTES_PER_DAY = 1440;

/** Minutes after midnight of "HH:MM" (00:00-23:59), undefined when it is not one. */
export const minutesOfDay = (text: string): number | undefined => {
  const match = CLOCK_TIME.exec(text);
  return match === null ? undefined : Number(match[1]) * 60 + Number(match[2]);
};

export const isClockTime = (text: string): boolean => minutesOfDay(text) !== undefined;

/** Minutes from `fromMin` forward to `toMin` on the 24-hour circle, in [0, 1440). */
export const minutesForward = (fromMin: number, toMin: number): number =>
  (((toMin - fromMin) % MINUTES_PER_DAY) + MINUTES_PER_DAY) % MINUTES_PER_DAY;

/** A span of the day as offsets from a shift's start: [startMin, startMin + lengthMin), lengthMin may pass midnight. */
export type DaySpan = { readonly startMin: number; readonly lengthMin: number };

/** The span of a shift; `undefined` when start equals end (a shift needs a length). */
export const shiftSpan = (start: string, end: string): DaySpan | undefined => {
  const s = minutesOfDay(start);
  const e = minutesOfDay(end);
  if (s === undefined || e === undefined || s === e) return undefined;
  return { startMin: s, lengthMin: minutesForward(s, e) };
};

/**
 * A break as offsets into its shift ([fromMin, toMin) minutes after the shift starts), or undefined
 * when it is not inside the shift. A break of a night shift may itself cross midnight.
 */
export const breakOffsets = (
  shift: DaySpan,
  start: string,
  end: string,
): { readonly fromMin: number; readonly toMin: number } | undefined => {
  const s = minutesOfDay(start);
  const e = minutesOfDay(end);
  if (s === undefined || e === undefined) return undefined;
  const fromMin = minutesForward(shift.startMin, s);
  const toMin = minutesForward(shift.startMin, e);
  return fromMin < toMin && toMin <= shift.lengthMin ? { fromMin, toMin } : undefined;
};

/** Whether two spans share any minute on the 24-hour circle. */
export const spansOverlap = (a: DaySpan, b: DaySpan): boolean =>
  [-MINUTES_PER_DAY, 0, MINUTES_PER_DAY].some((shift) => {
    const bStart = b.startMin + shift;
    return bStart < a.startMin + a.lengthMin && a.startMin < bStart + b.lengthMin;
  });
