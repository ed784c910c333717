import { TextRule } from "../limits";

// Snapshot and maintenance windows. AWS checks their format at plan but
// refuses a window shorter than 60 minutes, or a maintenance window that
// overlaps the daily snapshot window, only during apply. These helpers let
// the construct and the manifest validator catch both before Terraform runs.

const MINUTES_PER_DAY = 24 * 60;
const MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY;
const HOUR = "(?:[01]\\d|2[0-3])";
const MINUTE = "[0-5]\\d";

/** Days of the week in AWS's spelling, in the order weekly windows count. */
export const WEEKDAYS: readonly string[] = Object.freeze([
  "sun",
  "mon",
  "tue",
  "wed",
  "thu",
  "fri",
  "sat",
]);

/** The shortest window AWS accepts, snapshot or maintenance. */
export const MIN_WINDOW_MINUTES = 60;

/** The free time the default maintenance window leaves after the snapshot window. */
export const DEFAULT_MAINTENANCE_GAP_MINUTES = 60;

/**
 * The longest snapshot window that leaves room for the default maintenance
 * window: the gap and a 60-minute window must fit before the next snapshot.
 */
export const LONGEST_SNAPSHOT_FOR_DEFAULT_MINUTES =
  MINUTES_PER_DAY - DEFAULT_MAINTENANCE_GAP_MINUTES - MIN_WINDOW_MINUTES;

/** The daily snapshot window format, in UTC. */
export const DAILY_WINDOW: TextRule = Object.freeze({
  pattern: new RegExp(`^${HOUR}:${MINUTE}-${HOUR}:${MINUTE}$`),
  description: "hh24:mi-hh24:mi in UTC, e.g. 04:00-05:00",
  minLength: 11,
  maxLength: 11,
});

/**
 * The weekly maintenance window format, in UTC. Days are lowercase, which is
 * how AWS reports them back.
 */
export const WEEKLY_WINDOW: TextRule = Object.freeze({
  pattern: new RegExp(
    `^(?:${WEEKDAYS.join("|")}):${HOUR}:${MINUTE}-(?:${WEEKDAYS.join(
      "|"
    )}):${HOUR}:${MINUTE}$`
  ),
  description:
    "ddd:hh24:mi-ddd:hh24:mi in UTC with a lowercase day, e.g. sun:06:00-sun:07:00",
  minLength: 19,
  maxLength: 19,
});

/** A window that repeats every day. */
export interface DailyWindow {
  /** Minutes after 00:00 UTC at which the window opens. */
  readonly start: number;

  /** Length in minutes; a window that ends before it starts runs past midnight. */
  readonly minutes: number;
}

/** A window that repeats every week. */
export interface WeeklyWindow {
  /** Minutes after Sunday 00:00 UTC at which the window opens. */
  readonly start: number;

  /** Length in minutes; a window may run past Saturday into Sunday. */
  readonly minutes: number;
}

/**
 * Reads `hh24:mi-hh24:mi`. Returns `undefined` when the text does not have
 * that format. A start equal to the end gives a window of 0 minutes.
 */
export function parseDailyWindow(text: string): DailyWindow | undefined {
  if (!DAILY_WINDOW.pattern.test(text)) return undefined;

  const [from, to] = text.split("-").map(minuteOfDay);
  return { start: from, minutes: circularDistance(from, to, MINUTES_PER_DAY) };
}

/**
 * Reads `ddd:hh24:mi-ddd:hh24:mi`. Returns `undefined` when the text does not
 * have that format.
 */
export function parseWeeklyWindow(text: string): WeeklyWindow | undefined {
  if (!WEEKLY_WINDOW.pattern.test(text)) return undefined;

  const [from, to] = text.split("-").map((part) => {
    const day = WEEKDAYS.indexOf(part.slice(0, 3));
    return day * MINUTES_PER_DAY + minuteOfDay(part.slice(4));
  });
  return { start: from, minutes: circularDistance(from, to, MINUTES_PER_WEEK) };
}

/**
 * Whether a maintenance window overlaps the snapshot window on any day of
 * the week. Windows that only touch (one ends when the other starts) do not
 * overlap.
 */
export function windowsOverlap(
  snapshot: DailyWindow,
  maintenance: WeeklyWindow
): boolean {
  return WEEKDAYS.some((_, day) =>
    intervalsMeet(
      day * MINUTES_PER_DAY + snapshot.start,
      snapshot.minutes,
      maintenance.start,
      maintenance.minutes
    )
  );
}

/**
 * The maintenance window used when none is given: on Sunday, opening one
 * hour after the snapshot window closes and lasting 60 minutes, so
 * `04:00-05:00` gives `sun:06:00-sun:07:00`. Returns `undefined` when the
 * snapshot window leaves less than two free hours in the day, which that
 * rule needs.
 */
export function defaultMaintenanceWindow(
  snapshot: DailyWindow
): string | undefined {
  if (snapshot.minutes > LONGEST_SNAPSHOT_FOR_DEFAULT_MINUTES) return undefined;

  const start =
    (snapshot.start + snapshot.minutes + DEFAULT_MAINTENANCE_GAP_MINUTES) %
    MINUTES_PER_DAY;
  return `${weeklyTime(start)}-${weeklyTime(start + MIN_WINDOW_MINUTES)}`;
}

function minuteOfDay(hhmm: string): number {
  const [hours, minutes] = hhmm.split(":").map(Number);
  return hours * 60 + minutes;
}

function circularDistance(from: number, to: number, cycle: number): number {
  return (((to - from) % cycle) + cycle) % cycle;
}

function intervalsMeet(
  aStart: number,
  aMinutes: number,
  bStart: number,
  bMinutes: number
): boolean {
  if (aMinutes <= 0 || bMinutes <= 0) return false;
  return (
    circularDistance(aStart, bStart, MINUTES_PER_WEEK) < aMinutes ||
    circularDistance(bStart, aStart, MINUTES_PER_WEEK) < bMinutes
  );
}

function weeklyTime(minuteOfWeek: number): string {
  const day =
    WEEKDAYS[Math.floor(minuteOfWeek / MINUTES_PER_DAY) % WEEKDAYS.length];
  const minute = minuteOfWeek % MINUTES_PER_DAY;
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${day}:${pad(Math.floor(minute / 60))}:${pad(minute % 60)}`;
}
