// Month state as the worker reads it (prisma/repositories/month-state.repository.ts), written
// the only way it is written: through core's setMonthState. timesClosed is what numbers the
// rounds of a month's published results (summary, summary-2, …), so it must count exactly the
// closes core records — a drift in the audit format would silently republish round 1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../core/assessment-api.ts';
import { MonthStateRepository } from '../../prisma/repositories/month-state.repository.ts';
import { createCoreFixture } from '../support/core-fixture.ts';

let fx: Awaited<ReturnType<typeof createCoreFixture>>;
let organiser: Actor;
let months: MonthStateRepository;

beforeAll(async () => {
  fx = await createCoreFixture();
  organiser = await fx.member('org', 'organiser');
  months = new MonthStateRepository(fx.prisma);
}, 60_000);
afterAll(async () => {
  await fx?.drop();
});

async function set(month: string, state: 'open' | 'closed') {
  const r = await fx.months.setState(organiser, { month, state });
  if (!r.ok) throw r.error;
}

describe('MonthStateRepository', () => {
  it('reads the state core wrote; a month nobody touched is open (seeded) or unknown', async () => {
    expect(await months.monthState('hz-2017', '2017-03')).toBe('open');
    // the rulebook holds 2017 and, from its calendar, 2018 (rules/rulebook-years.ts); not 2019
    expect(await months.monthState('hz-2017', '2018-01')).toBe('open');
    expect(await months.monthState('hz-2017', '2019-01')).toBeNull();
    expect(await months.monthState('no-such-rulebook', '2017-03')).toBeNull();
    await set('2017-03', 'closed');
    expect(await months.monthState('hz-2017', '2017-03')).toBe('closed');
    await set('2017-03', 'open');
    expect(await months.monthState('hz-2017', '2017-03')).toBe('open');
  });

  it('counts every close of a month, and only that month’s', async () => {
    expect(await months.timesClosed('hz-2017', '2017-04')).toBe(0);
    await set('2017-04', 'closed');
    expect(await months.timesClosed('hz-2017', '2017-04')).toBe(1);
    await set('2017-04', 'open'); // a reopening is not a close
    expect(await months.timesClosed('hz-2017', '2017-04')).toBe(1);
    await set('2017-04', 'closed');
    expect(await months.timesClosed('hz-2017', '2017-04')).toBe(2);
    expect(await months.timesClosed('hz-2017', '2017-05')).toBe(0);
  });
});
