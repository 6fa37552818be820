import type { ClockPort } from '../../core/ports/clock.port.ts';
import { systemClock } from '../../core/ports/clock.port.ts';

/**
 * A clock pinned to `start` (KAOPING_NOW, parsed by the configuration module) for demos and
 * rehearsals of a past assessment year; time still moves forward from there. No pin: the system
 * clock.
 */
export function clockFrom(start: Date | undefined): ClockPort {
  if (!start) return systemClock;
  const offset = start.getTime() - Date.now();
  return { now: () => new Date(Date.now() + offset) };
}
