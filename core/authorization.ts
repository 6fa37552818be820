import type { Actor, Role } from './assessment-api.ts';
import { AppError } from './errors.ts';
import { localized } from './i18n/t.ts';

// The who-may-do-what table of shared/spec/lifecycle.md, in one place. Every use case asks it
// first; the system acting on its own (systemActor) holds the organiser's role, so its calls are
// checked like anyone's. Rules that need the finding itself (an inspector withdraws only what they
// filed; a unit contact rectifies only their own unit's) are the use case's, after this table.
export type Action =
  | 'finding.file'
  | 'finding.import'
  | 'finding.withdraw'
  | 'finding.change_deadline'
  | 'finding.view'
  | 'finding.record_notice'
  | 'rectification.submit'
  | 'rectification.review'
  | 'breakdown.any_unit'
  | 'standings.view'
  | 'standings.view_published'
  | 'members.manage'
  | 'members.set_own_locale'
  | 'channels.look_up'
  | 'contacts.look_up'
  | 'month.manage'
  | 'month.view_draft'
  | 'appeal.file'
  | 'appeal.rule'
  | 'extension.request'
  | 'extension.decide'
  | 'report.export';

const everyone: readonly Role[] = ['organiser', 'inspector', 'unit_contact'];

const allowed: Record<Action, readonly Role[]> = {
  'finding.file': ['organiser', 'inspector'],
  'finding.import': ['organiser'], // bulk intake (lifecycle.md: import findings)
  'finding.withdraw': ['organiser', 'inspector'], // inspectors: only their own (checked by the use case)
  'finding.change_deadline': ['organiser', 'inspector'],
  'finding.view': everyone, // unit contacts: their own unit's
  // Remembering where the bot or the worker posted a finding's notice: whoever's action posted it.
  'finding.record_notice': everyone, // unit contacts: their own unit's
  'rectification.submit': ['unit_contact'],
  'rectification.review': ['organiser', 'inspector'],
  'breakdown.any_unit': ['organiser', 'inspector'],
  'standings.view': ['organiser', 'inspector'],
  'standings.view_published': everyone,
  'members.manage': ['organiser'],
  'members.set_own_locale': everyone,
  // Where to post and whom to mention, for messages someone's action sends.
  'channels.look_up': everyone, // unit contacts: their own unit's channel and the organisers'
  'contacts.look_up': everyone, // unit contacts: their own unit's contacts
  'month.manage': ['organiser'], // close, reopen, tie-breaks, publish: months and the year's results
  'month.view_draft': ['organiser'], // drafts are the organisers' until published (lifecycle.md)
  'appeal.file': ['unit_contact'], // own unit (the use case)
  'appeal.rule': ['organiser'],
  'extension.request': ['unit_contact'], // own unit (the use case)
  // inspectors: only the filer, and only if the rulebook's extensions.filerMayDecide (the use case)
  'extension.decide': ['organiser', 'inspector'],
  'report.export': ['organiser', 'inspector'], // standings, findings, the 通报 as a document (lifecycle.md)
};

export function may(actor: Actor, action: Action): boolean {
  return allowed[action].includes(actor.role);
}

/** `may`, and for a unit contact only about their own unit (canonical name). */
export function mayForUnit(actor: Actor, action: Action, unit: string): boolean {
  return may(actor, action) && (actor.role !== 'unit_contact' || actor.unit === unit);
}

export function forbidden(actor: Actor, action: Action): AppError {
  return new AppError('AUTH.FORBIDDEN', `${actor.role} ${actor.platform}:${actor.externalId} may not ${action}`, {
    params: { action: localized(`domain.action.${action}`) },
  });
}

export function otherUnit(actor: Actor, unit: string): AppError {
  return new AppError('AUTH.OTHER_UNIT', `${actor.unit} may not see ${unit}`);
}
