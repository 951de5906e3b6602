import { loadEnvironment } from './environments';
import {
  dailyWindowOverlapsWeekly,
  formatAwsWeeklyWindow,
  isValidTimeZone,
  outsideWindowSchedule,
  parseClock,
  smallestGapMinutes,
  standardUtcOffsetMinutes,
  toUtcDailyWindow,
  toUtcWeeklyWindow,
  weeklyWindowsOverlap,
} from './maintenance-window';

describe('maintenance windows', () => {
  it('uses standard time, whatever the season: EST, GMT (Dublin has negative DST in tzdata), SGT', () => {
    expect(standardUtcOffsetMinutes('America/New_York')).toBe(-300);
    expect(standardUtcOffsetMinutes('Europe/Dublin')).toBe(0);
    expect(standardUtcOffsetMinutes('Asia/Singapore')).toBe(480);
    expect(standardUtcOffsetMinutes('Australia/Sydney')).toBe(600);
  });

  it('reads offsets west and east of UTC, with half hours, and UTC itself', () => {
    expect(standardUtcOffsetMinutes('Asia/Kolkata')).toBe(330);
    expect(standardUtcOffsetMinutes('America/St_Johns')).toBe(-210);
    expect(standardUtcOffsetMinutes('UTC')).toBe(0);
    expect(isValidTimeZone('Europe/Dublin')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false);
  });

  it('reads 24-hour clock times and nothing else', () => {
    expect(parseClock('00:00')).toBe(0);
    expect(parseClock('23:59')).toBe(1439);
    for (const bad of ['24:00', '9:00', '09:60', 'x09:00', '09:00x']) expect(parseClock(bad)).toBeUndefined();
    expect(() => toUtcWeeklyWindow({ day: 'sun', start: '02:00', end: '24:00' }, 'UTC')).toThrow(new RangeError('bad clock time in 02:00-24:00'));
    expect(() => toUtcDailyWindow('25:00', '01:00', 'UTC')).toThrow(new RangeError('bad clock time in 25:00-01:00'));
  });

  it('takes a window that ends when it starts as a whole day, not as none', () => {
    expect(toUtcDailyWindow('05:00', '05:00', 'UTC')).toEqual({ startMinute: 300, durationMinutes: 1440, aws: '05:00-05:00' });
  });

  it('moves a window across the day and the week boundary', () => {
    expect(formatAwsWeeklyWindow(toUtcWeeklyWindow({ day: 'sun', start: '02:00', end: '06:00' }, 'Asia/Singapore'))).toBe('sat:18:00-sat:22:00');
    expect(formatAwsWeeklyWindow(toUtcWeeklyWindow({ day: 'sat', start: '22:00', end: '02:00' }, 'America/New_York'))).toBe('sun:03:00-sun:07:00');
  });

  it('converts daily backup windows to hh24:mi-hh24:mi UTC', () => {
    expect(toUtcDailyWindow('00:00', '01:00', 'America/New_York').aws).toBe('05:00-06:00');
    expect(toUtcDailyWindow('07:30', '08:30', 'Asia/Singapore').aws).toBe('23:30-00:30');
  });

  it('detects overlap across the end of the week', () => {
    const saturdayNight = { startMinute: 6 * 1440 + 23 * 60, durationMinutes: 120 };
    const sundayMorning = { startMinute: 30, durationMinutes: 60 };
    expect(weeklyWindowsOverlap(saturdayNight, sundayMorning)).toBe(true);
    expect(weeklyWindowsOverlap(sundayMorning, { startMinute: 90, durationMinutes: 60 })).toBe(false);
    // Touching is not overlapping, in either order.
    expect(weeklyWindowsOverlap({ startMinute: 90, durationMinutes: 60 }, sundayMorning)).toBe(false);
  });

  it('finds a daily window crossing a weekly one on any day of the week, not only Sunday', () => {
    const wednesday0330 = { startMinute: 3 * 1440 + 210, durationMinutes: 60 };
    expect(dailyWindowOverlapsWeekly({ startMinute: 180, durationMinutes: 60 }, wednesday0330)).toBe(true);
    expect(dailyWindowOverlapsWeekly({ startMinute: 120, durationMinutes: 60 }, wednesday0330)).toBe(false);
  });

  it('reports the week itself for a single window: there is no other window to keep a gap to', () => {
    expect(smallestGapMinutes([{ startMinute: 0, durationMinutes: 240 }])).toBe(7 * 1440);
  });

  it('proves the prod windows never overlap: at most one region is in maintenance at any minute', () => {
    const windows = loadEnvironment('prod').regions.map((r) => r.maintenanceWindow);
    for (const a of windows) for (const b of windows) if (a !== b) expect(weeklyWindowsOverlap(a, b)).toBe(false);
    // Exhaustive check over every minute of the week, independent of the overlap arithmetic (one
    // expect over the minutes found, not one per minute: each expect call captures a stack trace).
    const week = Array.from({ length: 7 * 1440 }, (_, minute) => minute);
    const twoDown = week.filter((minute) => windows.filter((w) => (minute - w.startMinute + 7 * 1440) % (7 * 1440) < w.durationMinutes).length > 1);
    expect(twoDown).toEqual([]);
    expect(smallestGapMinutes(windows)).toBe(60); // eu-west ends 06:00 UTC, us-east starts 07:00 UTC
  });
});

describe('outsideWindowSchedule (Karpenter disruption budgets)', () => {
  it('starts when the window ends (UTC, cron weekday) and lasts the rest of the week', () => {
    expect(outsideWindowSchedule(toUtcWeeklyWindow({ day: 'sun', start: '02:00', end: '06:00' }, 'America/New_York'))).toEqual({
      schedule: '0 11 * * 0',
      duration: '164h',
    });
    expect(outsideWindowSchedule(toUtcWeeklyWindow({ day: 'sun', start: '02:00', end: '06:00' }, 'Asia/Singapore'))).toEqual({
      schedule: '0 22 * * 6',
      duration: '164h',
    });
    expect(outsideWindowSchedule({ startMinute: 6 * 1440 + 23 * 60, durationMinutes: 90 })).toEqual({ schedule: '30 0 * * 0', duration: '166h30m' });
  });
});
