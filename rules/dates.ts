// Calendar dates as 'YYYY-MM-DD' strings and as day numbers (days since 1970-01-01, UTC).
// Assessment dates are civil dates in Asia/Shanghai; no time of day is involved.

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;

export function parseIsoDate(s: string): number | null {
  const m = ISO.exec(s);
  if (!m) return null;
  const y = Number(m[1]),
    mo = Number(m[2]),
    d = Number(m[3]);
  const t = Date.UTC(y, mo - 1, d);
  const back = new Date(t);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  return t / 86_400_000;
}

export function dayNumber(s: string): number {
  const n = parseIsoDate(s);
  if (n === null) throw new RangeError(`not a calendar date: ${s}`);
  return n;
}

export function isoFromDay(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

export function yearOf(s: string): number {
  return Number(s.slice(0, 4));
}

export function monthOf(s: string): string {
  return s.slice(0, 7);
}

export function weekday(day: number): number {
  // 1970-01-01 was a Thursday (4); 0 = Sunday.
  return (((day + 4) % 7) + 7) % 7;
}

/** Today's civil date in a time zone, for callers that own a clock. */
export function civilDate(instant: Date, timeZone: string): string {
  // Building a DateTimeFormat costs far more than formatting with one: one per time zone, kept.
  let format = civilFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    civilFormats.set(timeZone, format);
  }
  return format.format(instant);
}

const civilFormats = new Map<string, Intl.DateTimeFormat>();
