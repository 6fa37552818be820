import {
  isSystemActor,
  type Actor,
  type AssessmentApi,
  type FileFindingCommand,
  type FiledFinding,
  type FindingView,
  type GroupStandings,
  type LedgerEvent,
  type PublishedStandings,
  type Role,
  type UnitBreakdown,
} from './assessment-api.ts';
import { AppError, err, ok, type Result } from './errors.ts';
import { forbidden, may } from './authorization.ts';
import { isOverdueOn, toFindingView } from './finding-view.ts';
import { findingRefLabel, parseFindingRef } from './finding-ref.ts';
import type { AssessmentStore, FindingPatch, StoredFinding, StoreTx } from './ports/assessment-store.port.ts';
import type { ClockPort } from './ports/clock.port.ts';
import type { LedgerEventsPort } from './ports/ledger-events.port.ts';
import { toLocale, type Locale } from './i18n/locale.ts';
import { tAny } from './i18n/t.ts';
import { fileFindingSchema, issuesToError, rectificationSchema, reasonSchema, isoDateSchema } from './inputs.schema.ts';
import type { Rulebook } from '../rules/rulebook.ts';
import { checkFinding } from '../rules/finding-check.ts';
import { civilDate, monthOf } from '../rules/dates.ts';
import type { Standings } from '../rules/engine/types.ts';
import { LedgerCache } from './ledger-cache.ts';

export interface AssessmentServiceDeps {
  rulebook: Rulebook;
  store: AssessmentStore;
  clock: ClockPort;
  events?: LedgerEventsPort;
  /** Language for members without a preference (KAOPING_LOCALE); zh-CN when unset. */
  defaultLocale?: Locale;
  /** Called when publishing an event fails; the worker's reconcile pass repairs it later. */
  onEventError?: (e: unknown, event: LedgerEvent) => void;
}

/** The use cases of shared/spec/lifecycle.md over the store of record. */
export class AssessmentService implements AssessmentApi {
  readonly rulebookId: string;
  readonly year: number;
  private readonly rb: Rulebook;
  private readonly ledger: LedgerCache;

  constructor(private readonly deps: AssessmentServiceDeps) {
    this.rb = deps.rulebook;
    this.rulebookId = deps.rulebook.id;
    this.year = deps.rulebook.data.year;
    this.ledger = new LedgerCache(deps.rulebook, deps.store, this.year);
  }

  /** Today's civil date in the rulebook's time zone. */
  today(): string {
    return civilDate(this.deps.clock.now(), this.rb.data.timeZone);
  }

  /** As-of default: today, clamped into the assessment year. */
  private defaultAsOf(): string {
    const t = this.today();
    const first = `${this.year}-01-01`,
      last = `${this.year}-12-31`;
    return t < first ? first : t > last ? last : t;
  }

  async resolveActor(platform: string, externalId: string): Promise<Result<Actor>> {
    const m = await this.deps.store.findMember(platform, externalId);
    if (!m?.active) return err(new AppError('AUTH.UNKNOWN_MEMBER', `no active member ${platform}:${externalId}`));
    return ok({
      memberId: m.id,
      platform,
      externalId,
      role: m.role,
      unit: m.unit,
      locale: m.locale ?? this.deps.defaultLocale ?? toLocale(undefined),
      displayName: m.displayName,
    });
  }

  async fileFinding(actor: Actor, raw: FileFindingCommand): Promise<Result<FiledFinding>> {
    if (!may(actor, 'finding.file')) return err(forbidden(actor, 'finding.file'));
    const parsed = fileFindingSchema.safeParse(raw);
    if (!parsed.success) return err(issuesToError(parsed.error.issues));
    const cmd = parsed.data;
    const today = this.today();
    const date = cmd.date ?? today;
    const checked = checkFinding(this.rb, { ...cmd, date }, { year: this.year });
    if (!checked.ok) {
      const first = checked.issues[0]!;
      return err(
        new AppError(`FINDING.${first.code}`, checked.issues.map((i) => `${i.field}: ${i.message}`).join('; '), {
          field: first.field,
          params: first.params,
        }),
      );
    }
    const c = checked.finding;
    if (date > today)
      return err(
        new AppError('FINDING.DATE_IN_FUTURE', `date ${date} is after today ${today}`, {
          field: 'date',
          params: { value: date },
        }),
      );

    const outcome = await this.deps.store.transaction(async (tx) => {
      const existing = await tx.findingByKey(cmd.idempotencyKey);
      if (existing) return ok({ finding: existing, created: false });
      const month = monthOf(date);
      if ((await tx.monthState(this.rulebookId, month)) === 'closed') {
        return err(
          new AppError('FINDING.MONTH_CLOSED', `month ${month} is closed`, { field: 'date', params: { month } }),
        );
      }
      const changeSeq = await tx.bumpLedger(this.rulebookId, this.year);
      const { finding, created } = await tx.insertFinding({
        changeSeq,
        rulebookId: this.rulebookId,
        year: this.year,
        unit: c.unit,
        clauseId: c.clause.id,
        date,
        count: c.count,
        value: c.value,
        level: c.level,
        source: c.source,
        deadline: c.deadline,
        deadlineIsDefault: c.deadlineIsDefault,
        evidenceText: cmd.evidenceText ?? '',
        evidenceLinks: cmd.evidenceLinks ?? [],
        filedById: actor.memberId,
        channel: cmd.channel,
        idempotencyKey: cmd.idempotencyKey,
      });
      if (created)
        await tx.appendAudit({
          ...this.who(actor),
          action: 'finding.filed',
          entity: 'finding',
          entityId: finding.id,
          after: finding,
        });
      return ok({ finding, created });
    });
    if (!outcome.ok) return outcome;
    const { finding, created } = outcome.value;
    if (created)
      await this.publish({
        type: 'finding.filed',
        findingId: finding.id,
        rulebookId: this.rulebookId,
        year: this.year,
      });
    const standings = await this.standingsAsOf(this.defaultAsOfFor(finding.date));
    const result = standings.units.find((u) => u.unit === finding.unit)?.findings.find((f) => f.id === finding.id);
    if (!result) throw new Error(`filed finding ${finding.id} is missing from the standings`);
    return ok({ finding: toFindingView(this.rb, finding, today), created, result });
  }

  /** A requested as-of day, or the default (today, clamped into the year). */
  private asOfDay(raw: string | undefined): Result<string> {
    if (!raw) return ok(this.defaultAsOf());
    const parsed = isoDateSchema.safeParse(raw);
    return parsed.success
      ? ok(parsed.data)
      : err(new AppError('FINDING.BAD_DATE', `bad asOf ${raw}`, { field: 'asOf', params: { value: String(raw) } }));
  }

  private defaultAsOfFor(date: string): string {
    const a = this.defaultAsOf();
    return a < date ? date : a;
  }

  async withdrawFinding(actor: Actor, cmd: { findingId: string; reason: string }): Promise<Result<FindingView>> {
    if (!may(actor, 'finding.withdraw')) return err(forbidden(actor, 'finding.withdraw'));
    const reason = reasonSchema.safeParse(cmd.reason);
    if (!reason.success)
      return err(new AppError('FINDING.REASON_REQUIRED', 'withdrawal needs a reason', { field: 'reason' }));
    return this.changeFinding(
      actor,
      cmd.findingId,
      'finding.withdrawn',
      reason.data,
      async (tx, f, update) => {
        if (f.status === 'withdrawn')
          return err(
            new AppError('FINDING.ALREADY_WITHDRAWN', `finding ${f.id} is withdrawn`, { params: { value: f.seq } }),
          );
        if (actor.role === 'inspector' && f.filedBy.memberId !== actor.memberId)
          return err(new AppError('FINDING.NOT_WITHDRAWABLE', `inspector ${actor.memberId} did not file ${f.id}`));
        if (f.status === 'verified') return err(this.wrongState(f));
        const closed = await this.closedMonthError(tx, f.date);
        if (closed) return err(closed);
        return ok(
          await update({
            status: 'withdrawn',
            withdrawnAt: this.deps.clock.now(),
            withdrawnById: actor.memberId,
            withdrawReason: reason.data,
          }),
        );
      },
      'finding.withdrawn',
    );
  }

  async changeDeadline(
    actor: Actor,
    cmd: { findingId: string; deadline: string; reason: string },
  ): Promise<Result<FindingView>> {
    if (!may(actor, 'finding.change_deadline')) return err(forbidden(actor, 'finding.change_deadline'));
    const deadline = isoDateSchema.safeParse(cmd.deadline);
    if (!deadline.success)
      return err(
        new AppError('FINDING.BAD_DATE', `bad deadline ${cmd.deadline}`, {
          field: 'deadline',
          params: { value: String(cmd.deadline) },
        }),
      );
    const reason = reasonSchema.safeParse(cmd.reason);
    if (!reason.success)
      return err(new AppError('FINDING.REASON_REQUIRED', 'deadline change needs a reason', { field: 'reason' }));
    return this.changeFinding(
      actor,
      cmd.findingId,
      'finding.deadline_changed',
      reason.data,
      async (tx, f, update) => {
        if (f.deadline === null)
          return err(
            new AppError('FINDING.NOT_RECTIFIABLE', `finding ${f.id} has no deadline`, { params: { value: f.seq } }),
          );
        if (f.status === 'withdrawn' || f.status === 'verified') return err(this.wrongState(f));
        if (deadline.data < f.date)
          return err(
            new AppError('FINDING.DEADLINE_BEFORE_DATE', `deadline before date`, {
              field: 'deadline',
              params: { value: deadline.data, date: f.date },
            }),
          );
        return ok(await update({ deadline: deadline.data, deadlineIsDefault: false }));
      },
      'finding.deadline_changed',
    );
  }

  async submitRectification(
    actor: Actor,
    raw: { findingId: string; evidenceText: string; evidenceLinks?: string[]; idempotencyKey: string },
  ): Promise<Result<FindingView>> {
    if (!may(actor, 'rectification.submit')) return err(forbidden(actor, 'rectification.submit'));
    const parsed = rectificationSchema.safeParse(raw);
    if (!parsed.success) return err(issuesToError(parsed.error.issues));
    const cmd = parsed.data;
    if (!cmd.evidenceText && cmd.evidenceLinks.length === 0)
      return err(new AppError('RECTIFICATION.EVIDENCE_REQUIRED', 'no evidence', { field: 'evidenceText' }));
    const today = this.today();
    return this.changeFinding(
      actor,
      cmd.findingId,
      'rectification.submitted',
      null,
      async (tx, f, update) => {
        if (f.unit !== actor.unit)
          return err(
            new AppError('RECTIFICATION.NOT_OWN_UNIT', `${actor.unit} may not rectify a finding of ${f.unit}`),
          );
        if (f.deadline === null)
          return err(
            new AppError('FINDING.NOT_RECTIFIABLE', `finding ${f.id} needs no rectification`, {
              params: { value: f.seq },
            }),
          );
        if (f.status === 'submitted') {
          // a double click or a retry of the same submission is not an error
          const fresh = await tx.insertRectificationEvent({
            findingId: f.id,
            kind: 'submitted',
            actorId: actor.memberId,
            submittedOn: today,
            evidenceText: cmd.evidenceText,
            evidenceLinks: cmd.evidenceLinks,
            idempotencyKey: cmd.idempotencyKey,
          });
          if (!fresh) return ok(null);
          return err(this.wrongState(f));
        }
        if (f.status !== 'filed') return err(this.wrongState(f));
        const fresh = await tx.insertRectificationEvent({
          findingId: f.id,
          kind: 'submitted',
          actorId: actor.memberId,
          submittedOn: today,
          evidenceText: cmd.evidenceText,
          evidenceLinks: cmd.evidenceLinks,
          idempotencyKey: cmd.idempotencyKey,
        });
        if (!fresh) return ok(null);
        return ok(await update({ status: 'submitted' }));
      },
      'rectification.submitted',
      { evidenceText: cmd.evidenceText, evidenceLinks: cmd.evidenceLinks },
    );
  }

  async verifyRectification(actor: Actor, cmd: { findingId: string }): Promise<Result<FindingView>> {
    if (!may(actor, 'rectification.review')) return err(forbidden(actor, 'rectification.review'));
    return this.changeFinding(
      actor,
      cmd.findingId,
      'rectification.verified',
      null,
      async (tx, f, update) => {
        if (f.status === 'verified') return ok(null); // verifying twice changes nothing
        if (f.status !== 'submitted') return err(this.wrongState(f));
        const submission = await tx.latestSubmission(f.id);
        if (!submission?.submittedOn) throw new Error(`finding ${f.id} is submitted without a submission event`);
        await tx.insertRectificationEvent({ findingId: f.id, kind: 'verified', actorId: actor.memberId });
        // The rectification date is the unit's submission day: a slow verifier never makes a unit late.
        return ok(await update({ status: 'verified', rectifiedOn: submission.submittedOn }));
      },
      'rectification.verified',
    );
  }

  async rejectRectification(actor: Actor, cmd: { findingId: string; reason: string }): Promise<Result<FindingView>> {
    if (!may(actor, 'rectification.review')) return err(forbidden(actor, 'rectification.review'));
    const reason = reasonSchema.safeParse(cmd.reason);
    if (!reason.success)
      return err(new AppError('FINDING.REASON_REQUIRED', 'rejection needs a reason', { field: 'reason' }));
    return this.changeFinding(
      actor,
      cmd.findingId,
      'rectification.rejected',
      reason.data,
      async (tx, f, update) => {
        if (f.status !== 'submitted') return err(this.wrongState(f));
        await tx.insertRectificationEvent({
          findingId: f.id,
          kind: 'rejected',
          actorId: actor.memberId,
          reason: reason.data,
        });
        return ok(await update({ status: 'filed' }));
      },
      'rectification.rejected',
    );
  }

  /** Lock, check, change, audit and bump the ledger in one transaction; publish after commit. */
  private async changeFinding(
    actor: Actor,
    findingId: string,
    action: string,
    reason: string | null,
    change: (
      tx: StoreTx,
      f: StoredFinding,
      update: (patch: Omit<FindingPatch, 'changeSeq'>) => Promise<StoredFinding>,
    ) => Promise<Result<StoredFinding | null>>,
    event: Exclude<LedgerEvent['type'], 'month.closed' | 'month.reopened'>,
    auditExtra?: Record<string, unknown>,
  ): Promise<Result<FindingView>> {
    const ref = await this.findingIdOf(findingId);
    if (!ref.ok) return ref;
    const { id, label } = ref.value;
    const outcome = await this.deps.store.transaction(
      async (tx): Promise<Result<{ after: StoredFinding; changed: boolean }>> => {
        const before = await tx.lockFinding(id);
        if (!before || before.rulebookId !== this.rulebookId)
          return err(new AppError('FINDING.NOT_FOUND', `no finding ${label}`, { params: { value: label } }));
        // The ledger version is taken only when something is written, so refusals change nothing.
        const update = async (patch: Omit<FindingPatch, 'changeSeq'>) =>
          tx.updateFinding(before.id, { ...patch, changeSeq: await tx.bumpLedger(this.rulebookId, before.year) });
        const r = await change(tx, before, update);
        if (!r.ok) return r;
        if (r.value === null) return ok({ after: before, changed: false });
        await tx.appendAudit({
          ...this.who(actor),
          action,
          entity: 'finding',
          entityId: before.id,
          before,
          after: { ...r.value, ...auditExtra },
          reason,
        });
        return ok({ after: r.value, changed: true });
      },
    );
    if (!outcome.ok) return outcome;
    if (outcome.value.changed)
      await this.publish({
        type: event,
        findingId: outcome.value.after.id,
        rulebookId: this.rulebookId,
        year: outcome.value.after.year,
      });
    return ok(toFindingView(this.rb, outcome.value.after, this.today()));
  }

  private wrongState(f: StoredFinding): AppError {
    return new AppError('RECTIFICATION.WRONG_STATE', `finding ${f.id} is ${f.status}`, {
      params: { value: f.seq, state: f.status },
    });
  }

  private async closedMonthError(tx: StoreTx, date: string): Promise<AppError | null> {
    const month = monthOf(date);
    return (await tx.monthState(this.rulebookId, month)) === 'closed'
      ? new AppError('FINDING.MONTH_CLOSED', `month ${month} is closed`, { params: { month } })
      : null;
  }

  /**
   * The storage id behind what a person or a button gave: a uuid as is, a filing number ('#123'
   * or '123') looked up. The filing number never changes, so it is resolved outside the
   * transaction that then locks the row by id.
   */
  private async findingIdOf(raw: string): Promise<Result<{ id: string; label: string }>> {
    const ref = parseFindingRef(raw);
    if (!ref) return err(badFindingRef(raw));
    const label = findingRefLabel(ref);
    if (ref.kind === 'id') return ok({ id: ref.id, label });
    const f = await this.deps.store.getFindingBySeq(ref.seq);
    if (!f || f.rulebookId !== this.rulebookId)
      return err(new AppError('FINDING.NOT_FOUND', `no finding ${label}`, { params: { value: label } }));
    return ok({ id: f.id, label });
  }

  async getFinding(actor: Actor, findingId: string): Promise<Result<FindingView>> {
    const ref = parseFindingRef(findingId);
    if (!ref) return err(badFindingRef(findingId));
    const f =
      ref.kind === 'id' ? await this.deps.store.getFinding(ref.id) : await this.deps.store.getFindingBySeq(ref.seq);
    if (!f || f.rulebookId !== this.rulebookId)
      return err(
        new AppError('FINDING.NOT_FOUND', `no finding ${findingId}`, { params: { value: findingRefLabel(ref) } }),
      );
    if (actor.role === 'unit_contact' && f.unit !== actor.unit)
      return err(new AppError('AUTH.OTHER_UNIT', `${actor.unit} may not see ${f.unit}`));
    return ok(toFindingView(this.rb, f, this.today()));
  }

  async setNoticeRef(findingId: string, ref: string): Promise<void> {
    await this.deps.store.setNoticeRef(findingId, ref);
  }

  async unitBreakdown(actor: Actor, cmd: { unit?: string; asOf?: string }): Promise<Result<UnitBreakdown>> {
    let unit: string | null;
    if (cmd.unit?.trim()) {
      unit = this.rb.resolveUnit(cmd.unit) ?? null;
      if (!unit)
        return err(
          new AppError('UNIT.UNKNOWN', `unknown unit ${cmd.unit}`, { field: 'unit', params: { value: cmd.unit } }),
        );
    } else unit = actor.unit;
    if (!unit) return err(new AppError('UNIT.UNKNOWN', 'no unit given', { field: 'unit', params: { value: '' } }));
    if (unit !== actor.unit && !may(actor, 'breakdown.any_unit'))
      return err(new AppError('AUTH.OTHER_UNIT', `${actor.unit} may not see ${unit}`));
    const asOf = this.asOfDay(cmd.asOf);
    if (!asOf.ok) return asOf;
    const day = asOf.value;
    const standings = await this.standingsAsOf(day);
    const standing = standings.units.find((u) => u.unit === unit)!;
    const month = monthOf(day);
    const today = this.today();
    const mine = this.ledger.findingsOf(unit).filter((f) => f.date <= day);
    const views = mine.map((f) => toFindingView(this.rb, f, today));
    return ok({
      unit,
      group: standing.group,
      asOf: day,
      standing,
      groupSize: standings.groups[standing.group]!.assessed,
      groupResult: standings.groups[standing.group]!,
      monthPoints: standing.findings.filter((f) => f.date.startsWith(month)).reduce((a, f) => a + f.points, 0),
      sections: standing.sections.map((s) => ({ ...s, name: this.rb.sections.get(s.id)!.name[actor.locale] })),
      openRectifications: views.filter(
        (v) => v.deadline !== null && (v.status === 'filed' || v.status === 'submitted'),
      ),
      findings: views,
    });
  }

  async groupStandings(actor: Actor, cmd: { asOf?: string }): Promise<Result<GroupStandings>> {
    if (!may(actor, 'standings.view')) return err(forbidden(actor, 'standings.view'));
    const asOf = this.asOfDay(cmd.asOf);
    if (!asOf.ok) return asOf;
    const day = asOf.value;
    const standings = await this.standingsAsOf(day);
    const today = this.today();
    return ok({
      asOf: day,
      year: this.year,
      groups: Object.values(standings.groups).map((g) => ({
        ...g,
        name: this.rb.data.groups.find((x) => x.id === g.group)!.name[actor.locale],
        units: standings.units
          .filter((u) => u.group === g.group)
          .map((u) => ({
            unit: u.unit,
            total: u.total,
            rank: u.rank,
            advanced: u.advanced,
            disqualified: u.disqualified,
          })),
      })),
      overdue: this.ledger
        .openFindings()
        .filter((f) => isOverdueOn(this.rb, f, today < day ? today : day) && f.date <= day)
        .map((f) => toFindingView(this.rb, f, today)),
    });
  }

  async publishedStandings(actor: Actor): Promise<Result<PublishedStandings | null>> {
    const p = await this.deps.store.latestPublishedMonth(this.rulebookId, this.year);
    if (!p) return ok(null);
    const groups = this.rb.data.groups.map((g) => {
      const rows = p.rows.filter((r) => r.group === g.id);
      return {
        group: g.id,
        name: g.name[actor.locale],
        assessed: rows.length,
        advanced: rows.filter((r) => r.advanced).map((r) => r.unit),
      };
    });
    const mine = actor.unit ? p.rows.find((r) => r.unit === actor.unit) : undefined;
    const own = mine ? { ...mine, groupSize: p.rows.filter((r) => r.group === mine.group).length } : null;
    return ok({ month: p.month, asOf: p.asOf, groups, own });
  }

  /** Standings of every assessed unit as of a day, from the incrementally refreshed ledger cache. */
  async standingsAsOf(day: string): Promise<Standings> {
    await this.ledger.refresh();
    return this.ledger.standings(day);
  }

  async addMember(
    actor: Actor,
    cmd: { platform: string; externalId: string; role: Role; unit?: string; displayName?: string; locale?: Locale },
  ): Promise<Result<{ memberId: number }>> {
    if (!may(actor, 'members.manage')) return err(forbidden(actor, 'members.manage'));
    let unit: string | null = null;
    if (cmd.role === 'unit_contact') {
      unit = cmd.unit ? (this.rb.resolveUnit(cmd.unit) ?? null) : null;
      if (!unit)
        return err(
          new AppError('UNIT.UNKNOWN', `unit contact needs a unit, got ${cmd.unit}`, {
            field: 'unit',
            params: { value: cmd.unit ?? '' },
          }),
        );
    }
    if (!cmd.externalId.trim())
      return err(new AppError('MEMBER.INVALID', 'empty user id', { field: 'user', params: { detail: 'user' } }));
    return this.deps.store.transaction(async (tx) => {
      const { member, before } = await tx.upsertMember({
        platform: cmd.platform,
        externalId: cmd.externalId,
        role: cmd.role,
        unit,
        displayName: cmd.displayName ?? null,
        locale: cmd.locale ?? null,
        rulebookId: this.rulebookId,
      });
      await tx.appendAudit({
        ...this.who(actor),
        action: before ? 'member.changed' : 'member.added',
        entity: 'member',
        entityId: String(member.id),
        before,
        after: member,
      });
      return ok({ memberId: member.id });
    });
  }

  async removeMember(
    actor: Actor,
    cmd: { platform: string; externalId: string },
  ): Promise<Result<{ memberId: number }>> {
    if (!may(actor, 'members.manage')) return err(forbidden(actor, 'members.manage'));
    if (cmd.platform === actor.platform && cmd.externalId === actor.externalId) {
      return err(
        new AppError('MEMBER.SELF_REMOVE', `${actor.externalId} may not remove themselves`, { field: 'user' }),
      );
    }
    return this.deps.store.transaction(async (tx) => {
      const changed = await tx.deactivateMember(cmd.platform, cmd.externalId);
      if (!changed)
        return err(
          new AppError('MEMBER.NOT_FOUND', `no active member ${cmd.platform}:${cmd.externalId}`, {
            field: 'user',
            params: { value: cmd.externalId },
          }),
        );
      await tx.appendAudit({
        ...this.who(actor),
        action: 'member.removed',
        entity: 'member',
        entityId: String(changed.member.id),
        before: changed.before,
        after: changed.member,
      });
      return ok({ memberId: changed.member.id });
    });
  }

  async bindChannel(
    actor: Actor,
    cmd: { platform: string; scope: string; channelId: string },
  ): Promise<Result<{ scope: string }>> {
    if (!may(actor, 'members.manage')) return err(forbidden(actor, 'members.manage'));
    let scope = cmd.scope;
    if (scope !== 'organisers') {
      const unit = this.rb.resolveUnit(scope);
      if (!unit)
        return err(new AppError('UNIT.UNKNOWN', `unknown unit ${scope}`, { field: 'unit', params: { value: scope } }));
      scope = unit;
    }
    return this.deps.store.transaction(async (tx) => {
      const { before } = await tx.bindChannel(cmd.platform, scope, cmd.channelId);
      await tx.appendAudit({
        ...this.who(actor),
        action: 'channel.bound',
        entity: 'channel',
        entityId: `${cmd.platform}/${scope}`,
        before: before === null ? null : { channelId: before },
        after: { channelId: cmd.channelId },
      });
      return ok({ scope });
    });
  }

  async setLocale(actor: Actor, locale: Locale): Promise<Result<Actor>> {
    await this.deps.store.transaction(async (tx) => {
      await tx.setMemberLocale(actor.memberId, locale);
      await tx.appendAudit({
        ...this.who(actor),
        action: 'member.locale',
        entity: 'member',
        entityId: String(actor.memberId),
        before: { locale: actor.locale },
        after: { locale },
      });
    });
    return ok({ ...actor, locale });
  }

  async setMonthState(
    actor: Actor,
    cmd: { month: string; state: 'open' | 'closed' },
  ): Promise<Result<{ month: string; state: 'open' | 'closed' }>> {
    if (!may(actor, 'month.manage')) return err(forbidden(actor, 'month.manage'));
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(cmd.month) || !cmd.month.startsWith(String(this.year))) {
      return err(
        new AppError('MONTH.UNKNOWN', `bad month ${cmd.month}`, { field: 'month', params: { value: cmd.month } }),
      );
    }
    const r = await this.deps.store.transaction(async (tx) => {
      const { before } = await tx.setMonthState(this.rulebookId, cmd.month, cmd.state, actor.memberId);
      if (before === cmd.state) return false;
      await tx.appendAudit({
        ...this.who(actor),
        action: cmd.state === 'closed' ? 'month.closed' : 'month.reopened',
        entity: 'month',
        entityId: `${this.rulebookId}/${cmd.month}`,
        before: { state: before },
        after: { state: cmd.state },
      });
      return true;
    });
    if (!r)
      return err(
        new AppError('MONTH.ALREADY_IN_STATE', `${cmd.month} already ${cmd.state}`, {
          params: { month: cmd.month, state: tAny(actor.locale, `domain.month.${cmd.state}`) },
        }),
      );
    await this.publish({
      type: cmd.state === 'closed' ? 'month.closed' : 'month.reopened',
      rulebookId: this.rulebookId,
      year: this.year,
      month: cmd.month,
    });
    return ok({ month: cmd.month, state: cmd.state });
  }

  async channelFor(platform: string, scope: string): Promise<string | null> {
    const [b] = await this.deps.store.channelBindings({ platforms: [platform], scopes: [scope] });
    return b?.channelId ?? null;
  }

  async unitContacts(platform: string, unit: string): Promise<string[]> {
    const canonical = this.rb.resolveUnit(unit) ?? unit;
    const contacts = await this.deps.store.unitContacts({
      rulebookId: this.rulebookId,
      platforms: [platform],
      units: [canonical],
    });
    return contacts.map((c) => c.externalId);
  }

  private who(actor: Actor): { actorId: number | null; actorLabel: string } {
    if (isSystemActor(actor)) return { actorId: null, actorLabel: `system:${actor.externalId}` };
    return { actorId: actor.memberId, actorLabel: `${actor.role}:${actor.platform}:${actor.externalId}` };
  }

  private async publish(event: LedgerEvent): Promise<void> {
    if (!this.deps.events) return;
    try {
      await this.deps.events.publish(event);
    } catch (e) {
      // The change is committed; a lost event only delays recomputation until the worker reconciles.
      this.deps.onEventError?.(e, event);
    }
  }
}

function badFindingRef(raw: string): AppError {
  const shown = [...raw.trim()].slice(0, 40).join('');
  return new AppError('FINDING.BAD_REF', `not a finding reference: ${JSON.stringify(shown)}`, {
    params: { value: shown },
  });
}
