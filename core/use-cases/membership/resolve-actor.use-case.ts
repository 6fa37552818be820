import type { Actor } from '../../assessment-api.ts';
import { AppError, err, ok, type Result } from '../../errors.ts';
import { toLocale } from '../../i18n/locale.ts';
import type { AssessmentContext } from '../shared/assessment-context.ts';

/**
 * Who is asking: the active member behind a platform user id, as the Actor every other use case
 * takes. This is the identity step, so it has no actor to authorise; anyone else is
 * AUTH.UNKNOWN_MEMBER (a polite refusal saying whom to ask).
 */
export async function resolveActor(
  ctx: AssessmentContext,
  platform: string,
  externalId: string,
): Promise<Result<Actor>> {
  const m = await ctx.store.findMember(platform, externalId);
  if (!m?.active) return err(new AppError('AUTH.UNKNOWN_MEMBER', `no active member ${platform}:${externalId}`));
  return ok({
    memberId: m.id,
    platform,
    externalId,
    role: m.role,
    unit: m.unit,
    locale: m.locale ?? ctx.defaultLocale ?? toLocale(undefined),
    displayName: m.displayName,
  });
}
