import { loadEnvironment } from './environments';
import {
  formatAwsWeeklyWindow,
  outsideWindowSchedule,
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
  });

  it('proves the prod windows never overlap: at most one region is in maintenance at any minute', () => {
    const windows = loadEnvironment('prod').regions.map((r) => r.maintenanceWindow);
    for (const a of windows) for (const b of windows) if (a !== b) expect(weeklyWindowsOverlap(a, b)).toBe(false);
    // Exhaustive check over every minute of the week, independent of the overlap arithmetic.
    for (let minute = 0; minute < 7 * 1440; minute++) {
      const down = windows.filter((w) => (minute - w.startMinute + 7 * 1440) % (7 * 1440) < w.durationMinutes);
      expect(down.length).toBeLessThanOrEqual(1);
    }
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
