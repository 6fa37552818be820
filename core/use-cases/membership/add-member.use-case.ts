import type { Actor, Role } from '../../assessment-api.ts';
import { forbidden, may } from '../../authorization.ts';
import { didYouMean } from '../../issue-params.ts';
import { suggestUnits } from '../../suggest.ts';
import { AppError, err, ok, type Result } from '../../errors.ts';
import type { Locale } from '../../i18n/locale.ts';
import { lastOrganiserRefusal } from './last-organiser.ts';
import type { AssessmentContext } from '../shared/assessment-context.ts';
import { auditedActor } from '../shared/audit.ts';

export interface AddMemberCommand {
  platform: string;
  externalId: string;
  role: Role;
  unit?: string;
  displayName?: string;
  locale?: Locale;
}

/** An organiser adds a member (or changes an existing one's role, unit, name or language). */
export async function addMember(
  ctx: AssessmentContext,
  actor: Actor,
  cmd: AddMemberCommand,
): Promise<Result<{ memberId: number }>> {
  if (!may(actor, 'members.manage')) return err(forbidden(actor, 'members.manage'));
  let unit: string | null = null;
  if (cmd.role === 'unit_contact') {
    unit = cmd.unit ? (ctx.rulebook.resolveUnit(cmd.unit) ?? null) : null;
    if (!unit)
      return err(
        new AppError('UNIT.UNKNOWN', `unit contact needs a unit, got ${cmd.unit}`, {
          field: 'unit',
          params: { value: cmd.unit ?? '', suggestion: didYouMean(suggestUnits(ctx.rulebook, cmd.unit ?? '')) },
        }),
      );
  }
  if (!cmd.externalId.trim())
    return err(new AppError('MEMBER.INVALID', 'empty user id', { field: 'user', params: { detail: 'user' } }));
  return ctx.store.transaction(async (tx) => {
    if (cmd.role !== 'organiser') {
      const refused = await lastOrganiserRefusal(tx, cmd);
      if (refused) return err(refused);
    }
    const { member, before } = await tx.upsertMember({
      platform: cmd.platform,
      externalId: cmd.externalId,
      role: cmd.role,
      unit,
      displayName: cmd.displayName ?? null,
      locale: cmd.locale ?? null,
      rulebookId: ctx.rulebookId,
    });
    await tx.appendAudit({
      ...auditedActor(actor),
      action: before ? 'member.changed' : 'member.added',
      entity: 'member',
      entityId: String(member.id),
      before,
      after: member,
    });
    return ok({ memberId: member.id });
  });
}
