import type { ClockPort } from '../../core/ports/clock.port.ts';
import { systemClock } from '../../core/ports/clock.port.ts';

/**
 * KAOPING_NOW pins "now" for demos and rehearsals of a past assessment year, e.g.
 * 2017-10-09T10:00:00+08:00; with an offset clock time still moves forward from there.
 */
export function clockFrom(value: string | undefined): ClockPort {
  if (!value) return systemClock;
  const start = new Date(value);
  if (Number.isNaN(start.getTime())) throw new Error(`KAOPING_NOW is not a date-time: ${value}`);
  const offset = start.getTime() - Date.now();
  return { now: () => new Date(Date.now() + offset) };
}
