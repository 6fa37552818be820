import type { Actor } from '../../assessment-api.ts';
import { forbidden, may } from '../../authorization.ts';
import { AppError, err, ok, type Result } from '../../errors.ts';
import { advancedQuota } from '../../../rules/engine/compute-standings.ts';
import { splitAdvanced } from '../../messages/advanced-cut.ts';
import type { AssessmentContext } from '../shared/assessment-context.ts';
import { auditedActor } from '../shared/audit.ts';
import type { RecordedTieBreak, TieBreakChoice } from './months-api.ts';
import { periodOf } from './period.ts';
import { unitList } from './period-errors.ts';

/**
 * An organiser resolves the tie at a group's quota cut before publishing: by fewer deductions
 * (refused while that still leaves a tie at the cut), or by naming the tied units to advance —
 * more than the places left only with the reason saying why. The decision holds for this tie
 * only: if the standings change and other units tie, the draft shows the tie open again.
 */
export async function recordTieBreak(
  ctx: AssessmentContext,
  actor: Actor,
  cmd: { period: string; group: string; choice: TieBreakChoice; reason: string },
): Promise<Result<RecordedTieBreak>> {
  if (!may(actor, 'month.manage')) return err(forbidden(actor, 'month.manage'));
  const p = periodOf(ctx, cmd.period);
  if (!p.ok) return p;
  const period = p.value;
  const reason = cmd.reason.trim();
  if (reason.length === 0 || reason.length > 1000)
    return err(
      new AppError('PERIOD.REASON_REQUIRED', 'tie-break without a reason', { field: 'reason', params: { max: 1000 } }),
    );
  const group = resolveGroup(ctx, cmd.group);
  if (!group)
    return err(
      new AppError('PERIOD.UNKNOWN_GROUP', `no group ${cmd.group}`, {
        field: 'group',
        params: {
          value: cmd.group,
          // names as people read them; in English the ids too (names there have spaces)
          allowed: {
            'zh-CN': ctx.rulebook.data.groups.map((g) => g.name['zh-CN']).join('、'),
            en: ctx.rulebook.data.groups.map((g) => `${g.id} (${g.name.en})`).join(', '),
          },
        },
      }),
    );
  const published = await ctx.store.publications.publication(ctx.rulebookId, period.id);
  if (published && !published.reopened) return err(alreadyPublished(period.id, published.version));

  const standings = await ctx.standings(period.asOf);
  const units = standings.units.filter((u) => u.group === group.id);
  const split = splitAdvanced(units, advancedQuota(ctx.rulebook, units.length));
  const groupName = { 'zh-CN': group.name['zh-CN'], en: group.name.en };
  if (split.tied.length === 0)
    return err(
      new AppError('PERIOD.NO_TIE', `no tie at the cut in ${group.id}`, {
        params: { group: groupName, month: period.id },
      }),
    );

  let advanced: string[];
  if (cmd.choice.method === 'fewer_deductions') {
    const tied = units.filter((u) => split.tied.includes(u.unit)).sort((a, b) => a.deductions - b.deductions);
    const boundary = tied[split.remaining - 1];
    const next = tied[split.remaining];
    if (boundary && next && boundary.deductions === next.deductions) {
      const still = tied.filter((u) => u.deductions === boundary.deductions).map((u) => u.unit);
      return err(
        new AppError('PERIOD.STILL_TIED', `still tied on deductions in ${group.id}`, {
          params: { group: groupName, detail: unitList(still) },
        }),
      );
    }
    advanced = tied.slice(0, split.remaining).map((u) => u.unit);
  } else {
    advanced = [];
    for (const name of cmd.choice.units) {
      const unit = ctx.rulebook.resolveUnit(name);
      if (!unit || !split.tied.includes(unit))
        return err(
          new AppError('PERIOD.NOT_TIED', `${name} is not tied at the cut`, {
            field: 'units',
            params: { value: name, group: groupName, detail: unitList(split.tied) },
          }),
        );
      if (!advanced.includes(unit)) advanced.push(unit);
    }
    if (advanced.length === 0)
      return err(
        new AppError('PERIOD.NOT_TIED', 'no unit named', {
          field: 'units',
          params: { value: '', group: groupName, detail: unitList(split.tied) },
        }),
      );
  }
  const method = cmd.choice.method;
  await ctx.store.transaction(async (tx) => {
    await tx.publications.lockPeriod(ctx.rulebookId, period.id);
    const { before } = await tx.publications.saveTieBreak(ctx.rulebookId, {
      period: period.id,
      group: group.id,
      tied: split.tied,
      advanced,
      method,
      reason,
      decidedById: auditedActor(actor).actorId,
    });
    await tx.appendAudit({
      ...auditedActor(actor),
      action: 'period.tie_break',
      entity: 'period',
      entityId: `${ctx.rulebookId}/${period.id}`,
      before: before
        ? { group: before.group, tied: before.tied, advanced: before.advanced, method: before.method }
        : null,
      after: { group: group.id, tied: split.tied, remaining: split.remaining, advanced, method },
      reason,
    });
  });
  return ok({
    period: period.id,
    group: group.id,
    tied: split.tied,
    remaining: split.remaining,
    advanced,
    method,
    reason,
  });
}

function resolveGroup(ctx: AssessmentContext, raw: string) {
  const w = raw.normalize('NFKC').trim().toLowerCase();
  return (
    ctx.rulebook.data.groups.find(
      (g) => g.id.toLowerCase() === w || g.name['zh-CN'] === raw.trim() || g.name.en.toLowerCase() === w,
    ) ?? null
  );
}

export function alreadyPublished(period: string, version: number): AppError {
  return new AppError('PERIOD.ALREADY_PUBLISHED', `${period} v${version} is published`, {
    params: { month: period, value: `v${version}` },
  });
}
