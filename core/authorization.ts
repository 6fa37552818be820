import type { Actor, Role } from './assessment-api.ts';
import { AppError } from './errors.ts';

// The who-may-do-what table of shared/spec/lifecycle.md, in one place.
export type Action =
  | 'finding.file'
  | 'finding.withdraw'
  | 'finding.change_deadline'
  | 'rectification.submit'
  | 'rectification.review'
  | 'breakdown.any_unit'
  | 'standings.view'
  | 'members.manage'
  | 'month.manage';

const allowed: Record<Action, readonly Role[]> = {
  'finding.file': ['organiser', 'inspector'],
  'finding.withdraw': ['organiser', 'inspector'], // inspectors: only their own (checked by the use case)
  'finding.change_deadline': ['organiser', 'inspector'],
  'rectification.submit': ['unit_contact'],
  'rectification.review': ['organiser', 'inspector'],
  'breakdown.any_unit': ['organiser', 'inspector'],
  'standings.view': ['organiser', 'inspector'],
  'members.manage': ['organiser'],
  'month.manage': ['organiser'],
};

export function may(actor: Actor, action: Action): boolean {
  return allowed[action].includes(actor.role);
}

export function forbidden(actor: Actor, action: Action): AppError {
  return new AppError('AUTH.FORBIDDEN', `${actor.role} ${actor.platform}:${actor.externalId} may not ${action}`, {
    params: { action },
  });
}
