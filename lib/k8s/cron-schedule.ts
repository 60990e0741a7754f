import { IConstruct } from 'constructs';
import { validateLiteral } from './literal';
import { invalid } from '../core/errors';

interface CronField {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  /** Three-letter names, the first standing for `min`. */
  readonly names?: readonly string[];
}

const FIELDS: readonly CronField[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] },
  // 0-6 only: the parser Kubernetes uses (robfig/cron) rejects 7 for Sunday.
  { name: 'day-of-week', min: 0, max: 6, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
];

/** The macros Kubernetes' cron parser accepts besides five fields (`@every` is left out: it is not cron). */
const MACROS = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'];
/** Days in each month; February counts its leap day. */
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const ITEM = /^(\*|[A-Za-z0-9]+(?:-[A-Za-z0-9]+)?)(?:\/([0-9]+))?$/;

const GRAMMAR = 'a cron schedule of five fields, "minute hour day-of-month month day-of-week" '
  + '(minute 0-59, hour 0-23, day-of-month 1-31, month 1-12 or JAN-DEC, day-of-week 0-6 or SUN-SAT; '
  + 'each "*", a number, a range "a-b", a step "*/n" or "a-b/n", or a list of these "a,b"), '
  + `or one of ${MACROS.join(', ')}`;

/**
 * Fails unless `schedule` is a cron schedule Kubernetes accepts that fires
 * at least once a year.
 * @internal
 */
export function validateCronSchedule(scope: IConstruct | string, property: string, schedule: string): void {
  validateLiteral(scope, property, schedule);
  const problem = cronProblem(schedule);
  if (problem !== undefined) {
    throw invalid(scope, property, schedule, `${GRAMMAR} (${problem})`);
  }
}

/** What is wrong with `schedule`, or undefined when it is valid. */
function cronProblem(schedule: string): string | undefined {
  if (typeof schedule !== 'string') { return 'not a string'; }
  if (schedule.startsWith('@')) {
    return MACROS.includes(schedule) ? undefined : `unknown macro ${JSON.stringify(schedule)}`;
  }
  const fields = schedule.trim().split(/\s+/);
  if (fields.length !== FIELDS.length) {
    return `${fields.length} field${fields.length === 1 ? '' : 's'} instead of 5`;
  }
  const values: Set<number>[] = [];
  for (let i = 0; i < FIELDS.length; i++) {
    const parsed = parseField(FIELDS[i], fields[i]);
    if (typeof parsed === 'string') { return `${FIELDS[i].name}: ${parsed}`; }
    values.push(parsed);
  }
  // With both day fields restricted cron fires on either; with day-of-week "*" only the day of month counts.
  const dayOfWeekIsStar = fields[4].startsWith('*');
  const dayOfMonthIsStar = fields[2].startsWith('*');
  if (dayOfWeekIsStar && !dayOfMonthIsStar) {
    const months = [...values[3]];
    const fires = months.some(month => [...values[2]].some(day => day <= DAYS_IN_MONTH[month - 1]));
    if (!fires) { return 'the days of month given do not exist in the months given, so it never fires'; }
  }
  return undefined;
}

/** Minutes between runs of each macro (the shortest month for `@monthly`). */
const MACRO_INTERVAL_MINUTES: { [macro: string]: number } = {
  '@hourly': 60, '@daily': 1440, '@midnight': 1440, '@weekly': 7 * 1440, '@monthly': 28 * 1440, '@yearly': 365 * 1440, '@annually': 365 * 1440,
};

/**
 * The shortest time between two runs of a valid schedule, minutes, or a
 * lower bound of it: runs on one day are apart by the gaps of the minute
 * and hour fields, and the last run of a day is followed at the earliest by
 * the first of the next (day fields only lengthen the gaps).
 * @internal
 */
export function minimumIntervalMinutes(schedule: string): number {
  if (schedule.startsWith('@')) { return MACRO_INTERVAL_MINUTES[schedule] ?? 60; }
  const fields = schedule.trim().split(/\s+/);
  const minutes = [...(parseField(FIELDS[0], fields[0]) as Set<number>)];
  const hours = [...(parseField(FIELDS[1], fields[1]) as Set<number>)];
  const times = hours.flatMap(h => minutes.map(m => h * 60 + m)).sort((a, b) => a - b);
  let shortest = times[0] + 1440 - times[times.length - 1];
  for (let i = 1; i < times.length; i++) { shortest = Math.min(shortest, times[i] - times[i - 1]); }
  return shortest;
}

function parseField(field: CronField, text: string): Set<number> | string {
  const values = new Set<number>();
  for (const item of text.split(',')) {
    const match = ITEM.exec(item);
    if (!match) { return `${JSON.stringify(item)} is not "*", a number, a name, a range or a step`; }
    let start = field.min;
    let end = field.max;
    if (match[1] !== '*') {
      const [from, to] = match[1].split('-');
      const first = parseValue(field, from);
      if (typeof first === 'string') { return first; }
      start = first;
      if (to !== undefined) {
        const last = parseValue(field, to);
        if (typeof last === 'string') { return last; }
        if (last < first) { return `range ${JSON.stringify(match[1])} ends before it starts`; }
        end = last;
      } else if (match[2] === undefined) {
        end = first;
      }
    }
    let step = 1;
    if (match[2] !== undefined) {
      step = Number(match[2]);
      const span = field.max - field.min + 1;
      if (step < 1 || step > span) { return `step ${match[2]} is outside 1-${span}`; }
    }
    for (let value = start; value <= end; value += step) { values.add(value); }
  }
  return values;
}

function parseValue(field: CronField, text: string): number | string {
  if (/^[0-9]+$/.test(text)) {
    const value = Number(text);
    return value >= field.min && value <= field.max ? value : `${text} is out of range ${field.min}-${field.max}`;
  }
  const index = field.names?.indexOf(text.toUpperCase()) ?? -1;
  if (index < 0) {
    return field.names ? `${JSON.stringify(text)} is neither a number nor one of ${field.names.join(', ')}` : `${JSON.stringify(text)} is not a number`;
  }
  return field.min + index;
}

/** Zone names Kubernetes knows (Go reads the IANA database, aliases included); ICU lists the canonical ones. */
let knownZones: Set<string> | undefined;
/** IANA zone names are case-sensitive on the nodes (file names): every segment starts with a capital. */
const ZONE_NAME = /^[A-Z][A-Za-z0-9_+-]*(?:\/[A-Z][A-Za-z0-9_+-]*)*$/;

/**
 * Fails unless `timeZone` is an IANA time zone name, e.g. `Europe/Berlin` or `Etc/UTC`.
 * @internal
 */
export function validateTimeZone(scope: IConstruct | string, property: string, timeZone: string): void {
  validateLiteral(scope, property, timeZone);
  if (!isTimeZone(timeZone)) {
    throw invalid(scope, property, timeZone, 'an IANA time zone name such as "Europe/Berlin", "America/New_York" or "Etc/UTC"');
  }
}

function isTimeZone(timeZone: string): boolean {
  if (typeof timeZone !== 'string' || !ZONE_NAME.test(timeZone)) { return false; }
  knownZones ??= new Set([...Intl.supportedValuesOf('timeZone'), 'UTC', 'Etc/UTC']);
  if (knownZones.has(timeZone)) { return true; }
  // An alias (Asia/Kolkata, Europe/Kyiv) resolves to the canonical name ICU lists (Asia/Calcutta, Europe/Kiev).
  try {
    return knownZones.has(new Intl.DateTimeFormat('en-US', { timeZone }).resolvedOptions().timeZone);
  } catch {
    return false;
  }
}
