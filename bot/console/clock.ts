import type { ClockPort } from '../../core/ports/clock.port.ts';

/**
 * The console's clock: starts at KAOPING_NOW (or the demo day) and runs on from there; /today
 * moves it to another day, and the demo loader pins it while it replays a past day.
 */
export class ConsoleClock implements ClockPort {
  #offsetMs: number;
  #pinned: Date | null = null;

  constructor(start: Date) {
    this.#offsetMs = start.getTime() - Date.now();
  }

  now(): Date {
    return this.#pinned ?? new Date(Date.now() + this.#offsetMs);
  }

  /** Continue from this instant. */
  moveTo(instant: Date): void {
    this.#pinned = null;
    this.#offsetMs = instant.getTime() - Date.now();
  }

  /** Stand still at this instant until unpin(). */
  pin(instant: Date): void {
    this.#pinned = instant;
  }

  unpin(): void {
    this.#pinned = null;
  }
}

/** 10:00 in Asia/Shanghai on a civil day: inside office hours, safely inside the day. */
export function officeHours(day: string): Date {
  return new Date(`${day}T10:00:00+08:00`);
}
