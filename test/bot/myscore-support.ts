import type { Actor, FileFindingCommand } from '../../core/assessment-api.ts';
import { expect } from 'vitest';
import type { startBotHarness } from '../support/bot-harness.ts';
import { loadRulebook } from '../../rules/rulebook.ts';

// Shared by the /myscore, /standings, home and rectification end-to-end tests: a small ledger
// for 市公安局 filed through the core service by a Slack inspector, and block text flattening.

export type Harness = Awaited<ReturnType<typeof startBotHarness>>;

export const USERS = {
  contact: 'U0CONTACT',
  otherContact: 'U0OTHERUNIT',
  inspector: 'U0INSPECT',
  organiser: 'U0ORGANISE',
  stranger: 'U0STRANGER',
} as const;

/** Every text in a Block Kit payload (sections, fields, context, buttons, headers), joined by newlines. */
export function flatText(value: unknown): string {
  const out: string[] = [];
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o.text === 'string') out.push(o.text);
      for (const [k, x] of Object.entries(o)) if (k !== 'text' || typeof x !== 'string') visit(x);
    }
  };
  visit(value);
  return out.join('\n');
}

export async function actorOf(h: Harness, userId: string): Promise<Actor> {
  const r = await h.fx.membership.resolveActor('slack', userId);
  if (!r.ok) throw r.error;
  return r.value;
}

export async function addMembers(h: Harness): Promise<void> {
  await h.slackMember(USERS.contact, 'unit_contact', '市公安局');
  await h.slackMember(USERS.otherContact, 'unit_contact', '市科委');
  await h.slackMember(USERS.inspector, 'inspector');
  await h.slackMember(USERS.organiser, 'organiser');
}

/** The organiser binds 市公安局's Slack channel (the unit the shared ledger and members are about). */
export async function bindPsbChannel(h: Harness, channelId: string): Promise<void> {
  const bound = await h.fx.membership.bindChannel(await actorOf(h, USERS.organiser), {
    platform: 'slack',
    scope: '市公安局',
    channelId,
  });
  expect(bound.ok).toBe(true);
}

export async function file(
  h: Harness,
  cmd: Omit<FileFindingCommand, 'channel' | 'idempotencyKey'> & { key: string },
  by: string = USERS.inspector,
) {
  const { key, ...rest } = cmd;
  const r = await h.fx.findings.file(await actorOf(h, by), { ...rest, idempotencyKey: key, channel: 'slack' });
  if (!r.ok) throw r.error;
  return r.value.finding;
}

/**
 * Today 2017-10-09 (Monday). 市公安局, with a = 2.1.1a's amount per item and c = 1.1.3a's (−1 and
 * −2 in the 2017 rulebook):
 *   2017-09-05 2.1.1a ×3, provincial inspection → 3a × 2, deadline 2017-09-19, overdue
 *   2017-09-29 2.1.1a ×1, routine, repeat of the overdue one → a × 2
 *   2017-10-09 1.1.3a ×1 → c, disqualifies year_end_excellence (this month)
 * Total 100 + 8a + c (90); section 2.1: 10 + 8a (2); 1.1: 15 + c (13); this month c (−2).
 * The amounts are the rulebook's data (checked in test/rules/rulebook.test.ts), so the numbers the
 * tests expect are derived from them (LEDGER) and the tests check what the bot makes of them.
 */
export async function fileLedger(h: Harness) {
  const a = await file(h, {
    unit: '市公安局',
    clause: '2.1.1a',
    count: 3,
    source: 'provincial_inspection',
    date: '2017-09-05',
    key: 'led-a',
    evidenceText: '网上受理未覆盖',
  });
  const b = await file(h, { unit: '市公安局', clause: '2.1.1a', count: 1, date: '2017-09-29', key: 'led-b' });
  const c = await file(h, { unit: '市公安局', clause: '1.1.3a', count: 1, date: '2017-10-09', key: 'led-c' });
  return { a, b, c };
}

const hz = loadRulebook('hz-2017');
const amountOf = (clause: string) => (hz.clauses.get(clause) as { amount: number }).amount;
const a = amountOf('2.1.1a');
const c = amountOf('1.1.3a');

/** fileLedger's numbers (see above), as of 2017-10-09 unless said otherwise. */
export const LEDGER = {
  a: { base: 3 * a, points: 3 * a * 2 },
  b: { base: a, points: a * 2 },
  c: { points: c },
  total: 100 + 8 * a + c,
  /** as of 2017-09-30: before finding c */
  totalSep30: 100 + 8 * a,
  deductions: -(8 * a + c),
  section21: { score: Math.max(0, 10 + 8 * a), deducted: -8 * a }, // a section never goes below 0
  section11: { score: Math.max(0, 15 + c), deducted: -c },
  thisMonth: c,
};
