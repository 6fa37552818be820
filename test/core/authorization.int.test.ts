import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Actor, systemActor } from '../../core/assessment-api.ts';
import type { Result } from '../../core/errors.ts';
import { createCoreFixture } from '../support/core-fixture.ts';

// Who may do what (shared/spec/lifecycle.md), checked by every use case against the real
// PostgreSQL: the wrong role is refused and nothing is written; the system (the worker) is an
// actor like anyone, with the organiser's rights; a unit contact sees only their own unit.
let fx: Awaited<ReturnType<typeof createCoreFixture>>;
let organiser: Actor, inspector: Actor, gaj: Actor, kw: Actor;
const worker = systemActor('worker');
let findingId: string;

beforeAll(async () => {
  fx = await createCoreFixture();
  organiser = await fx.member('org-1', 'organiser');
  inspector = await fx.member('insp-1', 'inspector');
  gaj = await fx.member('gaj-1', 'unit_contact', '市公安局');
  await fx.member('gaj-2', 'unit_contact', '市公安局'); // a second contact of the same unit
  kw = await fx.member('kw-1', 'unit_contact', '市科委');
  for (const [scope, channelId] of [
    ['organisers', 'C-ORG'],
    ['市公安局', 'C-GAJ'],
    ['市科委', 'C-KW'],
  ] as const)
    expect((await fx.membership.bindChannel(organiser, { platform: 'test', scope, channelId })).ok).toBe(true);
  const filed = await fx.findings.file(inspector, {
    unit: '市公安局',
    clause: '2.1.1a',
    date: '2017-06-01',
    idempotencyKey: 'auth-1',
    channel: 'test',
  });
  if (!filed.ok) throw filed.error;
  findingId = filed.value.finding.id;
});
afterAll(async () => fx?.drop());

const writes = async () => ({
  audit: await fx.prisma.auditLog.count(),
  findings: await fx.prisma.finding.count(),
  members: await fx.prisma.member.count({ where: { active: true } }),
  rectifications: await fx.prisma.rectificationEvent.count(),
  channels: await fx.prisma.channelBinding.findMany({
    select: { scope: true, channelId: true },
    orderBy: { id: 'asc' },
  }),
  closedMonths: await fx.prisma.assessmentMonth.count({ where: { state: 'closed' } }),
  ledger: await fx.store.ledgerVersion('hz-2017', 2017),
});
const code = (r: Result<unknown>) => (r.ok ? 'ok' : r.error.code);

describe('the wrong role is refused, and nothing is written', () => {
  const cases: Array<[string, () => Promise<Result<unknown>>]> = [
    [
      'a unit contact files a finding',
      () => fx.findings.file(kw, { unit: '市科委', clause: '2.1.1a', idempotencyKey: 'auth-x', channel: 'test' }),
    ],
    ['a unit contact withdraws a finding', () => fx.findings.withdraw(gaj, { findingId, reason: '不认' })],
    [
      'a unit contact moves a deadline',
      () => fx.findings.changeDeadline(gaj, { findingId, deadline: '2017-12-01', reason: '想延期' }),
    ],
    [
      'an inspector submits a rectification',
      () => fx.rectification.submit(inspector, { findingId, evidenceText: 'x', idempotencyKey: 'auth-r' }),
    ],
    ['a unit contact verifies a rectification', () => fx.rectification.verify(gaj, { findingId })],
    ['a unit contact rejects a rectification', () => fx.rectification.reject(gaj, { findingId, reason: '自己驳回' })],
    ['a unit contact sees the live group standings', () => fx.queries.groupStandings(gaj, {})],
    ['a unit contact reads the engine standings', () => fx.queries.standingsAsOf(gaj, '2017-06-15')],
    [
      'an inspector adds a member',
      () => fx.membership.addMember(inspector, { platform: 'test', externalId: 'new-1', role: 'inspector' }),
    ],
    [
      'an inspector removes a member',
      () => fx.membership.removeMember(inspector, { platform: 'test', externalId: 'gaj-2' }),
    ],
    [
      'an inspector binds a channel',
      () => fx.membership.bindChannel(inspector, { platform: 'test', scope: '市科委', channelId: 'C-X' }),
    ],
    ['a unit contact closes a month', () => fx.months.setState(gaj, { month: '2017-05', state: 'closed' })],
    ['an inspector closes a month', () => fx.months.setState(inspector, { month: '2017-05', state: 'closed' })],
  ];
  it.each(cases)('%s: AUTH.FORBIDDEN', async (_what, run) => {
    const before = await writes();
    expect(code(await run())).toBe('AUTH.FORBIDDEN');
    expect(await writes()).toEqual(before);
  });
});

describe('recording where a finding notice was posted', () => {
  const noticeRef = async () => (await fx.prisma.finding.findUniqueOrThrow({ where: { id: findingId } })).noticeRef;

  it('refuses a unit contact of another unit, and leaves the ref as it was', async () => {
    const before = await noticeRef();
    expect(code(await fx.findings.recordNotice(kw, { findingId, ref: 'test:kw' }))).toBe('AUTH.OTHER_UNIT');
    expect(await noticeRef()).toBe(before);
  });

  it.each([
    ['the worker (system)', () => worker, 'test:worker'],
    ['the inspector', () => inspector, 'test:inspector'],
    ["the unit's own contact", () => gaj, 'test:gaj'],
  ])('lets %s record it', async (_who, actor, ref) => {
    expect(code(await fx.findings.recordNotice(actor(), { findingId, ref }))).toBe('ok');
    expect(await noticeRef()).toBe(ref);
  });

  it('answers FINDING.NOT_FOUND for a finding that does not exist', async () => {
    const r = await fx.findings.recordNotice(worker, { findingId: '#999999', ref: 'test:none' });
    expect(code(r)).toBe('FINDING.NOT_FOUND');
  });
});

describe('channel and contact look-ups for sending', () => {
  it("refuse a unit contact another unit's channel, by canonical name or alias", async () => {
    expect(code(await fx.membership.channelFor(gaj, { platform: 'test', scope: '市科委' }))).toBe('AUTH.OTHER_UNIT');
    expect(code(await fx.membership.channelFor(gaj, { platform: 'test', scope: '市地震局' }))).toBe('AUTH.OTHER_UNIT');
  });

  it("give a unit contact their own unit's channel and the organisers' channel", async () => {
    expect(await fx.membership.channelFor(gaj, { platform: 'test', scope: '市公安局' })).toEqual({
      ok: true,
      value: 'C-GAJ',
    });
    expect(await fx.membership.channelFor(gaj, { platform: 'test', scope: 'organisers' })).toEqual({
      ok: true,
      value: 'C-ORG',
    });
  });

  it("refuse a unit contact another unit's contacts, by canonical name or alias", async () => {
    expect(code(await fx.membership.unitContacts(gaj, { platform: 'test', unit: '市科委' }))).toBe('AUTH.OTHER_UNIT');
    expect(code(await fx.membership.unitContacts(gaj, { platform: 'test', unit: '市地震局' }))).toBe('AUTH.OTHER_UNIT');
    expect(code(await fx.membership.unitContacts(kw, { platform: 'test', unit: '市公安局' }))).toBe('AUTH.OTHER_UNIT');
  });

  it("give a unit contact their own unit's contacts", async () => {
    expect(await fx.membership.unitContacts(gaj, { platform: 'test', unit: '市公安局' })).toEqual({
      ok: true,
      value: ['gaj-1', 'gaj-2'],
    });
  });

  it.each([
    ['the worker (system)', () => worker],
    ['an organiser', () => organiser],
    ['an inspector', () => inspector],
  ])("give %s any unit's channel and contacts", async (_who, actor) => {
    expect(await fx.membership.channelFor(actor(), { platform: 'test', scope: '市科委' })).toEqual({
      ok: true,
      value: 'C-KW',
    });
    expect(await fx.membership.unitContacts(actor(), { platform: 'test', unit: '市地震局' })).toEqual({
      ok: true,
      value: ['kw-1'],
    });
  });
});

describe('reading', () => {
  it("refuses a unit contact another unit's finding", async () => {
    expect(code(await fx.queries.getFinding(kw, findingId))).toBe('AUTH.OTHER_UNIT');
    expect(code(await fx.queries.getFinding(gaj, findingId))).toBe('ok');
  });

  it('names who submitted a rectification only to those who may see the finding; null before anyone has', async () => {
    expect(await fx.queries.rectificationSubmitter(inspector, findingId)).toEqual({ ok: true, value: null });
    const other = await fx.findings.file(inspector, {
      unit: '市科委',
      clause: '3.1.3b',
      date: '2017-06-01',
      idempotencyKey: 'auth-submitter',
      channel: 'test',
    });
    if (!other.ok) throw other.error;
    const id = other.value.finding.id;
    const submitted = await fx.rectification.submit(kw, {
      findingId: id,
      evidenceText: '已整改',
      idempotencyKey: 'auth-s',
    });
    expect(submitted.ok).toBe(true);
    const who = await fx.queries.rectificationSubmitter(inspector, id);
    expect(who).toEqual({ ok: true, value: [{ platform: 'test', externalId: 'kw-1' }] });
    expect(code(await fx.queries.rectificationSubmitter(gaj, id))).toBe('AUTH.OTHER_UNIT');
  });

  it('lets the worker read the standings as of a day, as it does for snapshots', async () => {
    const r = await fx.queries.standingsAsOf(worker, '2017-06-15');
    expect(r.ok && r.value.units.find((u) => u.unit === '市公安局')?.findings.map((f) => f.id)).toEqual([findingId]);
  });

  it('lets anyone known see what was published (nothing yet)', async () => {
    for (const actor of [organiser, inspector, gaj])
      expect(await fx.queries.publishedStandings(actor)).toEqual({ ok: true, value: null });
  });
});

describe('a language of their own', () => {
  it('is refused to the system, which is no member', async () => {
    const before = await writes();
    expect(code(await fx.membership.setLocale(worker, 'en'))).toBe('AUTH.FORBIDDEN');
    expect(await writes()).toEqual(before);
  });
});
