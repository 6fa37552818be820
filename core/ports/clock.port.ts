/** Injected time, so tests and the worker can move through the calendar without waiting. */
export interface ClockPort {
  now(): Date;
}

export const systemClock: ClockPort = { now: () => new Date() };
