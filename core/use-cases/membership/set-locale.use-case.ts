import { type Actor, isSystemActor } from '../../assessment-api.ts';
import { forbidden, may } from '../../authorization.ts';
import { err, ok, type Result } from '../../errors.ts';
import type { Locale } from '../../i18n/locale.ts';
import type { AssessmentContext } from '../shared/assessment-context.ts';
import { auditedActor } from '../shared/audit.ts';

/** A member chooses their own language (only their own: the actor is the member changed). */
export async function setLocale(ctx: AssessmentContext, actor: Actor, locale: Locale): Promise<Result<Actor>> {
  // The system is no member: it has no language of its own to keep.
  if (!may(actor, 'members.set_own_locale') || isSystemActor(actor))
    return err(forbidden(actor, 'members.set_own_locale'));
  await ctx.store.transaction(async (tx) => {
    await tx.setMemberLocale(actor.memberId, locale);
    await tx.appendAudit({
      ...auditedActor(actor),
      action: 'member.locale',
      entity: 'member',
      entityId: String(actor.memberId),
      before: { locale: actor.locale },
      after: { locale },
    });
  });
  return ok({ ...actor, locale });
}
