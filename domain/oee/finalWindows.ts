// Closed OEE windows that nothing can book into again leave the machine's checkpoint. Settled events
// come in time order, so a booking reaches back no further than the start of the current segment (time)
// or the last counts reading (a counter delta is spread over the time since it): a window that ends
// before both is final. Without this a checkpoint — written at every commit — would carry every hour
// and shift a machine ever had, and grow with the length of its stream.
import type { ProductionCalendar } from './calendar.ts';
import type { OeeProjectionState } from './oeeProjection.ts';
import type { WindowTotals } from './windowTotals.ts';

const HOUR_MS = 3_600_000;

/** When a window ends, where its key says (`hour:` keys carry their local start with offset; shifts ask the calendar). */
export const windowEndMs = (calendar: ProductionCalendar, key: string): number | undefined => {
  if (key.startsWith('hour:')) {
    const start = Date.parse(key.slice('hour:'.length));
    return Number.isNaN(start) ? undefined : start + HOUR_MS;
  }
  if (key.startsWith('shift:')) return calendar.shiftSpan(key.slice('shift:'.length))?.endMs;
  return undefined;
};

/** The earliest time a booking can still reach. */
const reachOf = (state: OeeProjectionState): number =>
  Math.min(state.segmentStart ?? Infinity, state.lastCountsTs ?? Infinity);

/** The final windows taken out of `state`, or undefined when there are none. */
export const takeFinalWindows = (
  calendar: ProductionCalendar,
  state: OeeProjectionState,
):
  | {
      readonly state: OeeProjectionState;
      readonly windows: Readonly<Record<string, WindowTotals>>;
      readonly reach: number;
    }
  | undefined => {
  const reach = reachOf(state);
  if (!Number.isFinite(reach)) return undefined;
  let windows: Record<string, WindowTotals> | undefined;
  let kept: Record<string, WindowTotals> | undefined;
  for (const key of Object.keys(state.closedWindows)) {
    const end = windowEndMs(calendar, key);
    if (end !== undefined && end <= reach) (windows ??= {})[key] = state.closedWindows[key]!;
    else (kept ??= {})[key] = state.closedWindows[key]!;
  }
  return windows === undefined ? undefined : { state: { ...state, closedWindows: kept ?? {} }, windows, reach };
};
