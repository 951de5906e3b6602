/**
 * AWS maintenance and backup windows are written in UTC and never follow daylight saving.
 * People think in local time ("Sunday 02:00-06:00 in Singapore"), so the config holds local time
 * plus an IANA zone and this module converts, using the zone's *standard* offset (EST, GMT, SGT):
 * the window then sits at the stated local time in winter and one hour later while DST is on.
 */

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const MINUTES_PER_DAY = 24 * 60;
const MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY;

/** A weekly window in local wall-clock time. `end` earlier than `start` means it runs past midnight. */
export interface LocalWeeklyWindow {
  readonly day: Weekday;
  readonly start: string;
  readonly end: string;
}

/** A weekly window in UTC as minutes since Sunday 00:00 UTC. */
export interface UtcWeeklyWindow {
  readonly startMinute: number;
  readonly durationMinutes: number;
}

export function parseClock(text: string): number | undefined {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text);
  return match ? Number(match[1]) * 60 + Number(match[2]) : undefined;
}

/** Offset from UTC in minutes (east positive) at `date`; throws RangeError for an unknown zone. */
function offsetAt(timeZone: string, date: Date): number {
  const part = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
    .formatToParts(date)
    .find((p) => p.type === 'timeZoneName')?.value;
  const match = /^GMT(?:([+-])(\d{2}):(\d{2}))?$/.exec(part ?? '');
  if (!match) throw new RangeError(`cannot read the UTC offset of time zone ${timeZone}`);
  if (!match[1]) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return match[1] === '-' ? -minutes : minutes;
}

// Remembered per zone: a new Intl.DateTimeFormat costs ~1 ms (ICU), and every window of every
// region asks again (36 ms self time in a synth of all apps, `--cpu-prof`, 2026-12-04).
const standardOffsets = new Map<string, number>();

/** The zone's standard-time offset: the smaller of mid-January and mid-July (DST only ever adds). */
export function standardUtcOffsetMinutes(timeZone: string): number {
  let offset = standardOffsets.get(timeZone);
  if (offset === undefined) {
    offset = Math.min(offsetAt(timeZone, new Date(Date.UTC(2026, 0, 15))), offsetAt(timeZone, new Date(Date.UTC(2026, 6, 15))));
    standardOffsets.set(timeZone, offset);
  }
  return offset;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    standardUtcOffsetMinutes(timeZone);
    return true;
  } catch {
    return false;
  }
}

function mod(value: number, modulus: number): number {
  return ((value % modulus) + modulus) % modulus;
}

function durationMinutes(start: number, end: number): number {
  return end > start ? end - start : end + MINUTES_PER_DAY - start;
}

export function toUtcWeeklyWindow(window: LocalWeeklyWindow, timeZone: string): UtcWeeklyWindow {
  const start = parseClock(window.start);
  const end = parseClock(window.end);
  if (start === undefined || end === undefined) throw new RangeError(`bad clock time in ${window.start}-${window.end}`);
  const localStart = WEEKDAYS.indexOf(window.day) * MINUTES_PER_DAY + start;
  return {
    startMinute: mod(localStart - standardUtcOffsetMinutes(timeZone), MINUTES_PER_WEEK),
    durationMinutes: durationMinutes(start, end),
  };
}

function formatWeekMinute(minute: number): string {
  const day = WEEKDAYS[Math.floor(minute / MINUTES_PER_DAY)];
  return `${day}:${formatClock(minute % MINUTES_PER_DAY)}`;
}

function formatClock(minuteOfDay: number): string {
  const hh = String(Math.floor(minuteOfDay / 60)).padStart(2, '0');
  const mm = String(minuteOfDay % 60).padStart(2, '0');
  return `${hh}:${mm}`;
}

/** The `ddd:hh24:mi-ddd:hh24:mi` string that RDS, ElastiCache and others take. */
export function formatAwsWeeklyWindow(window: UtcWeeklyWindow): string {
  const end = mod(window.startMinute + window.durationMinutes, MINUTES_PER_WEEK);
  return `${formatWeekMinute(window.startMinute)}-${formatWeekMinute(end)}`;
}

/** Converts a daily local window ("00:00"-"01:00") to the `hh24:mi-hh24:mi` UTC form of backup windows. */
export function toUtcDailyWindow(
  start: string,
  end: string,
  timeZone: string,
): { readonly startMinute: number; readonly durationMinutes: number; readonly aws: string } {
  const startMinute = parseClock(start);
  const endMinute = parseClock(end);
  if (startMinute === undefined || endMinute === undefined) throw new RangeError(`bad clock time in ${start}-${end}`);
  const offset = standardUtcOffsetMinutes(timeZone);
  const utcStart = mod(startMinute - offset, MINUTES_PER_DAY);
  const duration = durationMinutes(startMinute, endMinute);
  return {
    startMinute: utcStart,
    durationMinutes: duration,
    aws: `${formatClock(utcStart)}-${formatClock(mod(utcStart + duration, MINUTES_PER_DAY))}`,
  };
}

/** True when two weekly windows share at least one minute (wrap-around at the week's end included). */
export function weeklyWindowsOverlap(a: UtcWeeklyWindow, b: UtcWeeklyWindow): boolean {
  return (
    mod(b.startMinute - a.startMinute, MINUTES_PER_WEEK) < a.durationMinutes ||
    mod(a.startMinute - b.startMinute, MINUTES_PER_WEEK) < b.durationMinutes
  );
}

/** True when a window repeated every day shares a minute with a weekly window. */
export function dailyWindowOverlapsWeekly(
  daily: { readonly startMinute: number; readonly durationMinutes: number },
  weekly: UtcWeeklyWindow,
): boolean {
  return WEEKDAYS.some((_, day) =>
    weeklyWindowsOverlap({ startMinute: day * MINUTES_PER_DAY + daily.startMinute, durationMinutes: daily.durationMinutes }, weekly),
  );
}

/**
 * The smallest gap, in minutes, between any two of the windows around the week; negative never,
 * 0 when two touch. With every pair disjoint, at most one region is in maintenance at any minute.
 */
export function smallestGapMinutes(windows: readonly UtcWeeklyWindow[]): number {
  let smallest = MINUTES_PER_WEEK;
  for (const a of windows) {
    for (const b of windows) {
      if (a === b) continue;
      smallest = Math.min(smallest, mod(b.startMinute - (a.startMinute + a.durationMinutes), MINUTES_PER_WEEK));
    }
  }
  return smallest;
}

/**
 * The time outside a weekly window, as a cron schedule (UTC, starting when the window ends) and a
 * duration: the form Karpenter's disruption budgets take, so a `nodes: "0"` budget over it allows
 * a disruption only inside the window. Weekdays as cron counts them (0 = Sunday).
 */
export function outsideWindowSchedule(window: UtcWeeklyWindow): { readonly schedule: string; readonly duration: string } {
  const end = mod(window.startMinute + window.durationMinutes, MINUTES_PER_WEEK);
  const day = Math.floor(end / MINUTES_PER_DAY);
  const minuteOfDay = end % MINUTES_PER_DAY;
  const closed = MINUTES_PER_WEEK - window.durationMinutes;
  return {
    schedule: `${minuteOfDay % 60} ${Math.floor(minuteOfDay / 60)} * * ${day}`,
    duration: `${Math.floor(closed / 60)}h${closed % 60 ? `${closed % 60}m` : ''}`,
  };
}
