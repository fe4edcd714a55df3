// Date/time patterns of parse_time (Joda-Time) and time_to_epoch (java.time DateTimeFormatter), for the
// letters rules use: G y u M d D E a H k K h m s S z Z X x V and 'quoted text'. Time zones come from the
// runtime's Intl (IANA) database: a pure lookup, not I/O. Zone abbreviations are formatted as Intl's
// en-US names (CST, PST, UTC; GMT+1 where Joda would print CET) and, when parsing, only UTC, GMT and Z
// are understood: give a zone id (America/Los_Angeles) or an offset (+01:00) instead.

type PatternToken = { readonly letter: string; readonly count: number } | { readonly text: string };

export const tokenizePattern = (pattern: string): readonly PatternToken[] => {
  const tokens: PatternToken[] = [];
  let i = 0;
  while (i < pattern.length) {
    const ch = pattern[i] as string;
    if (ch === "'") {
      const close = pattern.indexOf("'", i + 1);
      const end = close < 0 ? pattern.length : close;
      tokens.push({ text: end === i + 1 ? "'" : pattern.slice(i + 1, end) });
      i = end + 1;
      continue;
    }
    if (/[A-Za-z]/.test(ch)) {
      let j = i;
      while (pattern[j] === ch) j += 1;
      tokens.push({ letter: ch, count: j - i });
      i = j;
      continue;
    }
    tokens.push({ text: ch });
    i += 1;
  }
  return tokens;
};

const FIXED_OFFSET = /^(?:UTC|GMT|UT)?([+-])(\d{1,2})(?::?(\d{2}))?$/;

/** Minutes east of UTC of a zone at an instant; undefined for a zone the runtime does not know. */
export const zoneOffsetMinutes = (zone: string, epochMs: number): number | undefined => {
  if (zone === 'Z' || zone === 'UTC' || zone === 'GMT' || zone === 'UT') return 0;
  const fixed = FIXED_OFFSET.exec(zone);
  if (fixed !== null) return (fixed[1] === '-' ? -1 : 1) * (Number(fixed[2]) * 60 + Number(fixed[3] ?? 0));
  try {
    const parts = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short',
    }).formatToParts(new Date(epochMs));
    const part = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
    const era = parts.find((p) => p.type === 'era')?.value;
    const year = era === 'BC' || era === 'B' ? 1 - part('year') : part('year');
    const local = Date.UTC(year, part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
    return Math.round((local - (epochMs - (((epochMs % 1000) + 1000) % 1000))) / 60000);
  } catch (_) {
    return undefined;
  }
};

const zoneName = (zone: string, epochMs: number, style: 'short' | 'long'): string => {
  if (zone === 'UTC' || zone === 'Z') return style === 'short' ? 'UTC' : 'Coordinated Universal Time';
  try {
    const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: style }).formatToParts(
      new Date(epochMs),
    );
    return parts.find((p) => p.type === 'timeZoneName')?.value ?? zone;
  } catch (_) {
    return zone;
  }
};

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

const offsetText = (minutes: number, colon: boolean): string => {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${sign}${hh}${colon ? ':' : ''}${mm}`;
};

/** The instant formatted in the zone, or undefined for an unknown zone or pattern letter. */
export const formatTime = (pattern: string, epochMs: number, zone: string): string | undefined => {
  const offset = zoneOffsetMinutes(zone, epochMs);
  if (offset === undefined) return undefined;
  const local = new Date(epochMs + offset * 60000);
  const pad = (n: number, width: number): string => String(n).padStart(width, '0');
  const year = local.getUTCFullYear();
  const hour = local.getUTCHours();
  let out = '';
  for (const token of tokenizePattern(pattern)) {
    if ('text' in token) {
      out += token.text;
      continue;
    }
    const { letter, count } = token;
    switch (letter) {
      case 'G':
        out += year > 0 ? 'AD' : 'BC';
        break;
      case 'y':
      case 'Y':
      case 'u': {
        const y = letter === 'u' ? year : year > 0 ? year : 1 - year;
        out += count === 2 ? pad(y % 100, 2) : pad(y, count);
        break;
      }
      case 'M': {
        const m = local.getUTCMonth();
        out += count >= 4 ? MONTHS[m] : count === 3 ? MONTHS[m]?.slice(0, 3) : pad(m + 1, count);
        break;
      }
      case 'd':
        out += pad(local.getUTCDate(), count);
        break;
      case 'D':
        out += pad(Math.floor((local.getTime() - Date.UTC(year, 0, 1)) / 86400000) + 1, count);
        break;
      case 'E': {
        const day = DAYS[local.getUTCDay()] as string;
        out += count >= 4 ? day : day.slice(0, 3);
        break;
      }
      case 'a':
        out += hour < 12 ? 'AM' : 'PM';
        break;
      case 'H':
        out += pad(hour, count);
        break;
      case 'k':
        out += pad(hour === 0 ? 24 : hour, count);
        break;
      case 'K':
        out += pad(hour % 12, count);
        break;
      case 'h':
        out += pad(hour % 12 === 0 ? 12 : hour % 12, count);
        break;
      case 'm':
        out += pad(local.getUTCMinutes(), count);
        break;
      case 's':
        out += pad(local.getUTCSeconds(), count);
        break;
      case 'S':
        out += pad(local.getUTCMilliseconds(), 3).padEnd(count, '0').slice(0, count);
        break;
      case 'z':
        out += zoneName(zone, epochMs, count >= 4 ? 'long' : 'short');
        break;
      case 'Z':
        out += count >= 3 ? zone : offsetText(offset, count === 2);
        break;
      case 'X':
      case 'x':
        out += offset === 0 && letter === 'X' ? 'Z' : offsetText(offset, count >= 3);
        break;
      case 'V':
        out += zone;
        break;
      default:
        return undefined;
    }
  }
  return out;
};

type Fields = {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  ms: number;
  pm?: boolean;
  bc: boolean;
  zone?: string;
};

const matchName = (input: string, at: number, names: readonly string[]): number | undefined => {
  const rest = input.slice(at).toLowerCase();
  const full = names.findIndex((n) => rest.startsWith(n.toLowerCase()));
  if (full >= 0) return full;
  const short = names.findIndex((n) => rest.startsWith(n.slice(0, 3).toLowerCase()));
  return short >= 0 ? short : undefined;
};

/** Milliseconds since the epoch of a date/time text, or undefined when it does not fit the pattern. */
export const parseTime = (input: string, pattern: string): number | undefined => {
  const tokens = tokenizePattern(pattern);
  const f: Fields = { year: 1970, month: 1, day: 1, hour: 0, minute: 0, second: 0, ms: 0, bc: false };
  let at = 0;
  for (const [k, token] of tokens.entries()) {
    if ('text' in token) {
      if (!input.startsWith(token.text, at)) return undefined;
      at += token.text.length;
      continue;
    }
    const { letter, count } = token;
    const next = tokens[k + 1];
    const numeric = (): number | undefined => {
      // Adjacent numeric fields (yyyyMMdd) take exactly their width; otherwise as many digits as there are.
      const fixed = next !== undefined && 'letter' in next && /[yuMdHhKkmsS]/.test(next.letter);
      const match = (fixed ? new RegExp(`^[0-9]{${count}}`) : /^[0-9]+/).exec(input.slice(at));
      if (match === null) return undefined;
      at += match[0].length;
      return Number(match[0]);
    };
    switch (letter) {
      case 'G': {
        const era = matchName(input, at, ['AD', 'BC']);
        if (era === undefined) return undefined;
        f.bc = era === 1;
        at += 2;
        break;
      }
      case 'y':
      case 'u':
      case 'Y': {
        const y = numeric();
        if (y === undefined) return undefined;
        f.year = count === 2 ? 2000 + y : y;
        break;
      }
      case 'M': {
        if (count >= 3) {
          const m = matchName(input, at, MONTHS);
          if (m === undefined) return undefined;
          at +=
            input
              .slice(at)
              .toLowerCase()
              .startsWith((MONTHS[m] as string).toLowerCase()) && count >= 4
              ? (MONTHS[m] as string).length
              : 3;
          f.month = m + 1;
        } else {
          const m = numeric();
          if (m === undefined) return undefined;
          f.month = m;
        }
        break;
      }
      case 'E': {
        const d = matchName(input, at, DAYS);
        if (d === undefined) return undefined;
        at += count >= 4 ? (DAYS[d] as string).length : 3;
        break;
      }
      case 'a': {
        const p = matchName(input, at, ['AM', 'PM']);
        if (p === undefined) return undefined;
        f.pm = p === 1;
        at += 2;
        break;
      }
      case 'd':
      case 'H':
      case 'k':
      case 'h':
      case 'K':
      case 'm':
      case 's':
      case 'S': {
        const value = numeric();
        if (value === undefined) return undefined;
        if (letter === 'd') f.day = value;
        else if (letter === 'm') f.minute = value;
        else if (letter === 's') f.second = value;
        else if (letter === 'S') f.ms = Math.floor(value * 10 ** (3 - count));
        else f.hour = letter === 'k' && value === 24 ? 0 : value;
        break;
      }
      case 'z':
      case 'V':
      case 'Z':
      case 'X':
      case 'x':
      case 'O': {
        const match = /^(?:[A-Za-z_]+(?:\/[A-Za-z_+\-0-9]+)*(?:[+-]\d{1,2}(?::?\d{2})?)?|[+-]\d{1,2}(?::?\d{2})?)/.exec(
          input.slice(at),
        );
        if (match === null) return undefined;
        f.zone = match[0];
        at += match[0].length;
        break;
      }
      default:
        return undefined;
    }
  }
  if (at !== input.length) return undefined;
  const hour = f.pm === undefined ? f.hour : (f.hour % 12) + (f.pm ? 12 : 0);
  const year = f.bc ? 1 - f.year : f.year;
  const date = new Date(0);
  date.setUTCFullYear(year, f.month - 1, f.day);
  date.setUTCHours(hour, f.minute, f.second, f.ms);
  const localMs = date.getTime();
  if (Number.isNaN(localMs) || date.getUTCMonth() !== f.month - 1 || date.getUTCDate() !== f.day) return undefined;
  const zone = f.zone ?? 'UTC';
  // The zone's offset at the local time itself, corrected once for a change of offset in between.
  const first = zoneOffsetMinutes(zone, localMs);
  if (first === undefined) return undefined;
  const second = zoneOffsetMinutes(zone, localMs - first * 60000) ?? first;
  return localMs - second * 60000;
};
