import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../core/assessment-api.ts';
import type { Result } from '../../core/errors.ts';
import { buildRulebook, loadRulebook } from '../../rules/rulebook.ts';
import { createCoreFixture, type CoreFixture } from '../support/core-fixture.ts';

// Every row of the permission table in shared/spec/lifecycle.md ("Who may do what"), for every
// role — organiser, the inspector who filed the finding, another inspector, a contact of the
// finding's unit, a contact of another unit — against the real use cases over PostgreSQL. Each
// cell runs on a finding of its own in the state the row needs; a refusal writes nothing. Someone
// who is not a member never gets an actor, so cannot reach any use case. The extension decision is
// run twice: with the office's setting that lets the filing inspector decide, and without it.

type Who = 'organiser' | 'filer' | 'inspector' | 'own contact' | 'other contact';
const WHO: readonly Who[] = ['organiser', 'filer', 'inspector', 'own contact', 'other contact'];
/** 'ok', or the refusal's code. */
type Expect = Record<Who, string>;
const OK = 'ok';
const FORBIDDEN = 'AUTH.FORBIDDEN';

interface Ctx {
  fx: CoreFixture;
  as: Record<Who, Actor>;
}
interface Row {
  row: string;
  /** Brings a fresh finding (filed by the filer, dated today, with a deadline) into the state the row needs. */
  setup?: (c: Ctx, findingId: string) => Promise<void>;
  act: (c: Ctx, who: Actor, findingId: string, n: number) => Promise<Result<unknown>>;
  expect: Expect;
}

const must = async (r: Promise<Result<unknown>>) => {
  const x = await r;
  if (!x.ok) throw x.error;
};
const submit = (c: Ctx, findingId: string) =>
  must(
    c.fx.rectification.submit(c.as['own contact'], {
      findingId,
      evidenceText: '已整改',
      idempotencyKey: `s-${findingId}`,
    }),
  );
const appeal = (c: Ctx, findingId: string) =>
  must(c.fx.appeals.file(c.as['own contact'], { findingId, reasons: '已在检查前上线' }));
const askExtension = (c: Ctx, findingId: string) =>
  must(c.fx.extensions.request(c.as['own contact'], { findingId, deadline: '2017-07-05', reason: '系统改造需要时间' }));
/** Closed and published (ties at the cut announced as ties), whatever the cells before did to it. */
async function ensurePublished(c: Ctx, period: string) {
  const org = c.as.organiser;
  await c.fx.months.setState(org, { month: period, state: 'closed' });
  const r = await c.fx.months.publish(org, { period, announceTies: true });
  if (!r.ok && r.error.code !== 'PERIOD.ALREADY_PUBLISHED') throw r.error;
}

const fileRow = (n: number) => ({
  unit: '市科委',
  clause: '2.1.1a',
  date: '2017-06-15',
  idempotencyKey: `pt-new-${n}`,
});

const ROWS: Row[] = [
  {
    row: 'file a finding',
    act: (c, who, _f, n) => c.fx.findings.file(who, { ...fileRow(n), channel: 'test' }),
    expect: { organiser: OK, filer: OK, inspector: OK, 'own contact': FORBIDDEN, 'other contact': FORBIDDEN },
  },
  {
    row: 'withdraw a finding',
    act: (c, who, findingId) => c.fx.findings.withdraw(who, { findingId, reason: '重复记录' }),
    expect: {
      organiser: OK,
      filer: OK,
      inspector: 'FINDING.NOT_WITHDRAWABLE',
      'own contact': FORBIDDEN,
      'other contact': FORBIDDEN,
    },
  },
  {
    row: "change a finding's deadline",
    act: (c, who, findingId) =>
      c.fx.findings.changeDeadline(who, { findingId, deadline: '2017-07-20', reason: '协调' }),
    expect: {
      organiser: OK,
      filer: OK,
      inspector: 'FINDING.NOT_DEADLINE_CHANGEABLE',
      'own contact': FORBIDDEN,
      'other contact': FORBIDDEN,
    },
  },
  {
    row: 'submit a rectification',
    act: (c, who, findingId) =>
      c.fx.rectification.submit(who, { findingId, evidenceText: '已整改', idempotencyKey: `pt-${findingId}` }),
    expect: {
      organiser: FORBIDDEN,
      filer: FORBIDDEN,
      inspector: FORBIDDEN,
      'own contact': OK,
      'other contact': 'RECTIFICATION.NOT_OWN_UNIT',
    },
  },
  {
    row: 'verify a rectification',
    setup: submit,
    act: (c, who, findingId) => c.fx.rectification.verify(who, { findingId }),
    expect: { organiser: OK, filer: OK, inspector: OK, 'own contact': FORBIDDEN, 'other contact': FORBIDDEN },
  },
  {
    row: 'reject a rectification',
    setup: submit,
    act: (c, who, findingId) => c.fx.rectification.reject(who, { findingId, reason: '材料不全' }),
    expect: { organiser: OK, filer: OK, inspector: OK, 'own contact': FORBIDDEN, 'other contact': FORBIDDEN },
  },
  {
    row: 'appeal a finding',
    act: (c, who, findingId) => c.fx.appeals.file(who, { findingId, reasons: '已在检查前上线' }),
    expect: {
      organiser: FORBIDDEN,
      filer: FORBIDDEN,
      inspector: FORBIDDEN,
      'own contact': OK,
      'other contact': 'AUTH.OTHER_UNIT',
    },
  },
  {
    row: 'rule on an appeal',
    setup: appeal,
    act: (c, who, findingId) => c.fx.appeals.rule(who, { findingId, outcome: 'upheld', ruling: '维持' }),
    expect: {
      organiser: OK,
      filer: FORBIDDEN,
      inspector: FORBIDDEN,
      'own contact': FORBIDDEN,
      'other contact': FORBIDDEN,
    },
  },
  {
    row: 'reopen a ruled appeal (an organiser may reopen one)',
    setup: async (c, findingId) => {
      await appeal(c, findingId);
      await must(c.fx.appeals.rule(c.as.organiser, { findingId, outcome: 'upheld', ruling: '维持' }));
    },
    act: (c, who, findingId) => c.fx.appeals.reopen(who, { findingId, reason: '新证据' }),
    expect: {
      organiser: OK,
      filer: FORBIDDEN,
      inspector: FORBIDDEN,
      'own contact': FORBIDDEN,
      'other contact': FORBIDDEN,
    },
  },
  {
    row: 'request an extension',
    act: (c, who, findingId) => c.fx.extensions.request(who, { findingId, deadline: '2017-07-05', reason: '需要时间' }),
    expect: {
      organiser: FORBIDDEN,
      filer: FORBIDDEN,
      inspector: FORBIDDEN,
      'own contact': OK,
      'other contact': 'AUTH.OTHER_UNIT',
    },
  },
  {
    row: 'approve an extension (the office does not let the filer decide)',
    setup: askExtension,
    act: (c, who, findingId) => c.fx.extensions.decide(who, { findingId, decision: 'approve', deadline: '2017-07-05' }),
    expect: {
      organiser: OK,
      filer: FORBIDDEN,
      inspector: FORBIDDEN,
      'own contact': FORBIDDEN,
      'other contact': FORBIDDEN,
    },
  },
  {
    row: 'refuse an extension (the office does not let the filer decide)',
    setup: askExtension,
    act: (c, who, findingId) => c.fx.extensions.decide(who, { findingId, decision: 'refuse', reason: '理由不足' }),
    expect: {
      organiser: OK,
      filer: FORBIDDEN,
      inspector: FORBIDDEN,
      'own contact': FORBIDDEN,
      'other contact': FORBIDDEN,
    },
  },
  {
    row: "see a unit's breakdown and live score (the finding's unit)",
    act: (c, who) => c.fx.queries.unitBreakdown(who, { unit: '市公安局' }),
    expect: { organiser: OK, filer: OK, inspector: OK, 'own contact': OK, 'other contact': 'AUTH.OTHER_UNIT' },
  },
  {
    row: 'see group standings and ranks, live',
    act: (c, who) => c.fx.queries.groupStandings(who, {}),
    expect: { organiser: OK, filer: OK, inspector: OK, 'own contact': FORBIDDEN, 'other contact': FORBIDDEN },
  },
  {
    row: 'see group standings and ranks: published months',
    setup: (c) => ensurePublished(c, '2017-04'),
    act: (c, who) => c.fx.months.publishedSnapshot(who, { period: '2017-04' }),
    expect: { organiser: OK, filer: OK, inspector: OK, 'own contact': OK, 'other contact': OK },
  },
  {
    row: 'see a draft',
    act: (c, who) => c.fx.months.draft(who, { period: '2017-04' }),
    expect: {
      organiser: OK,
      filer: FORBIDDEN,
      inspector: FORBIDDEN,
      'own contact': FORBIDDEN,
      'other contact': FORBIDDEN,
    },
  },
  {
    row: 'manage members',
    act: (c, who, _f, n) =>
      c.fx.membership.addMember(who, { platform: 'test', externalId: `pt-m-${n}`, role: 'inspector' }),
    expect: {
      organiser: OK,
      filer: FORBIDDEN,
      inspector: FORBIDDEN,
      'own contact': FORBIDDEN,
      'other contact': FORBIDDEN,
    },
  },
  {
    row: 'manage channels',
    act: (c, who, _f, n) =>
      c.fx.membership.bindChannel(who, { platform: 'test', scope: '市科委', channelId: `C-PT-${n}` }),
    expect: {
      organiser: OK,
      filer: FORBIDDEN,
      inspector: FORBIDDEN,
      'own contact': FORBIDDEN,
      'other contact': FORBIDDEN,
    },
  },
  {
    row: 'close a month',
    setup: async (c) => void (await c.fx.months.setState(c.as.organiser, { month: '2017-02', state: 'open' })),
    act: (c, who) => c.fx.months.setState(who, { month: '2017-02', state: 'closed' }),
    expect: {
      organiser: OK,
      filer: FORBIDDEN,
      inspector: FORBIDDEN,
      'own contact': FORBIDDEN,
      'other contact': FORBIDDEN,
    },
  },
  {
    row: 'publish a month',
    setup: async (c) => {
      await c.fx.months.setState(c.as.organiser, { month: '2017-03', state: 'closed' });
      const r = await c.fx.months.reopen(c.as.organiser, { period: '2017-03', reason: '重新审核' });
      if (!r.ok && r.error.code !== 'PERIOD.NOT_PUBLISHED') throw r.error;
      await c.fx.months.setState(c.as.organiser, { month: '2017-03', state: 'closed' });
    },
    act: (c, who) => c.fx.months.publish(who, { period: '2017-03', announceTies: true }),
    expect: {
      organiser: OK,
      filer: FORBIDDEN,
      inspector: FORBIDDEN,
      'own contact': FORBIDDEN,
      'other contact': FORBIDDEN,
    },
  },
  {
    row: 'reopen a published month',
    setup: (c) => ensurePublished(c, '2017-05'),
    act: (c, who) => c.fx.months.reopen(who, { period: '2017-05', reason: '更正' }),
    expect: {
      organiser: OK,
      filer: FORBIDDEN,
      inspector: FORBIDDEN,
      'own contact': FORBIDDEN,
      'other contact': FORBIDDEN,
    },
  },
  {
    row: "the year's results (draft)",
    act: (c, who) => c.fx.months.draft(who, { period: '2017' }),
    expect: {
      organiser: OK,
      filer: FORBIDDEN,
      inspector: FORBIDDEN,
      'own contact': FORBIDDEN,
      'other contact': FORBIDDEN,
    },
  },
  {
    row: 'export standings and findings',
    act: (c, who) => c.fx.reports.data(who, { period: '2017-04' }),
    expect: { organiser: OK, filer: OK, inspector: OK, 'own contact': FORBIDDEN, 'other contact': FORBIDDEN },
  },
  {
    row: 'import findings',
    act: (c, who, _f, n) => c.fx.findings.fileBatch(who, { channel: 'import', rows: [fileRow(1000 + n)] }),
    expect: {
      organiser: OK,
      filer: FORBIDDEN,
      inspector: FORBIDDEN,
      'own contact': FORBIDDEN,
      'other contact': FORBIDDEN,
    },
  },
];

/** With the office's setting on, the filing inspector decides too — no other inspector. */
const FILER_DECIDES: Row[] = [
  {
    row: 'approve an extension (the office lets the filer decide)',
    setup: askExtension,
    act: (c, who, findingId) => c.fx.extensions.decide(who, { findingId, decision: 'approve', deadline: '2017-07-05' }),
    expect: {
      organiser: OK,
      filer: OK,
      inspector: FORBIDDEN,
      'own contact': FORBIDDEN,
      'other contact': FORBIDDEN,
    },
  },
  {
    row: 'refuse an extension (the office lets the filer decide)',
    setup: askExtension,
    act: (c, who, findingId) => c.fx.extensions.decide(who, { findingId, decision: 'refuse', reason: '理由不足' }),
    expect: {
      organiser: OK,
      filer: OK,
      inspector: FORBIDDEN,
      'own contact': FORBIDDEN,
      'other contact': FORBIDDEN,
    },
  },
];

async function context(filerMayDecide: boolean): Promise<Ctx> {
  const base = loadRulebook('hz-2017');
  const rulebook = buildRulebook({
    ...base.data,
    settings: { ...base.data.settings, extensions: { ...base.data.settings.extensions, filerMayDecide } },
  });
  const fx = await createCoreFixture({ rulebooks: [rulebook] });
  const as: Record<Who, Actor> = {
    organiser: await fx.member('pt-org', 'organiser'),
    filer: await fx.member('pt-filer', 'inspector'),
    inspector: await fx.member('pt-insp', 'inspector'),
    'own contact': await fx.member('pt-gaj', 'unit_contact', '市公安局'),
    'other contact': await fx.member('pt-kw', 'unit_contact', '市科委'),
  };
  return { fx, as };
}

function table(name: string, filerMayDecide: boolean, rows: readonly Row[]) {
  describe(name, () => {
    let c: Ctx;
    let n = 0;
    beforeAll(async () => {
      c = await context(filerMayDecide);
    });
    afterAll(async () => c?.fx.drop());

    const writes = async () => ({
      audit: await c.fx.prisma.auditLog.count(),
      findings: await c.fx.prisma.finding.count(),
      ledger: await c.fx.store.ledgerVersion('hz-2017', 2017),
    });

    for (const r of rows)
      for (const who of WHO)
        it(`${r.row} — ${who}: ${r.expect[who] === OK ? 'allowed' : r.expect[who]}`, async () => {
          n += 1;
          const filed = await c.fx.findings.file(c.as.filer, {
            unit: '市公安局',
            clause: '2.1.1a',
            date: '2017-06-15',
            idempotencyKey: `pt-${filerMayDecide}-${n}`,
            channel: 'test',
          });
          if (!filed.ok) throw filed.error;
          const findingId = filed.value.finding.id;
          await r.setup?.(c, findingId);
          const before = await writes();
          const out = await r.act(c, c.as[who], findingId, n);
          expect(out.ok ? OK : out.error.code).toBe(r.expect[who]);
          if (!out.ok) {
            expect(await writes()).toEqual(before); // a refusal changes nothing
            for (const locale of ['zh-CN', 'en'] as const) expect(out.error.userMessage(locale)).not.toMatch(/\{\w+\}/);
          }
        });
  });
}

table('who may do what (lifecycle.md), the office’s defaults', false, ROWS);
table('who may do what, when the office lets the filing inspector decide extensions', true, FILER_DECIDES);

describe('someone who is not a member', () => {
  let c: Ctx;
  beforeAll(async () => {
    c = await context(false);
  });
  afterAll(async () => c?.fx.drop());

  it('gets no actor, so reaches no use case; a removed member neither', async () => {
    const stranger = await c.fx.membership.resolveActor('test', 'pt-stranger');
    expect(!stranger.ok && stranger.error.code).toBe('AUTH.UNKNOWN_MEMBER');
    expect(!stranger.ok && stranger.error.userMessage('zh-CN')).toContain('您尚未登记为考评系统用户');
    expect((await c.fx.membership.removeMember(c.as.organiser, { platform: 'test', externalId: 'pt-kw' })).ok).toBe(
      true,
    );
    const removed = await c.fx.membership.resolveActor('test', 'pt-kw');
    expect(!removed.ok && removed.error.code).toBe('AUTH.UNKNOWN_MEMBER');
  });
});
