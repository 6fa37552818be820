// What identifies one notification: the key the notification ledger keeps unique (one row per
// subject, kind, stage and recipient). Shared by the queue producer, the worker and the ledger's
// repository, so it lives in core.

/** 'year': per rulebook year (`<rulebookId>/<YYYY>`), e.g. the missing-calendar alert. */
export type SubjectType = 'finding' | 'month' | 'year';

export interface NotificationKey {
  subjectType: SubjectType;
  /** Finding uuid, or `<rulebookId>/<YYYY-MM>` for months (monthSubjectId). */
  subjectId: string;
  /** One of NOTIFICATION_KINDS. */
  kind: string;
  /** 'notice', a reminder stage ('due_soon', 'overdue-2', …), 'month-end', 'summary', … */
  stage: string;
  /** channelRecipient() or userRecipient(): stable across channel re-binding. */
  recipient: string;
}

export const NOTIFICATION_KINDS = {
  findingNotice: 'finding-notice',
  reminder: 'reminder',
  monthEndReminder: 'month-end-reminder',
  monthClose: 'month-close',
  /** The year's results as published (subject `<rulebookId>/<YYYY>`). */
  yearResults: 'year-results',
  calendarMissing: 'calendar-missing',
} as const;

/** A ChannelBinding scope ('organisers' or a unit's canonical name) on a platform. */
export const channelRecipient = (platform: string, scope: string): string => `channel/${platform}/${scope}`;
/** A member, by platform and external id. */
export const userRecipient = (platform: string, externalId: string): string => `user/${platform}/${externalId}`;
export const monthSubjectId = (rulebookId: string, month: string): string => `${rulebookId}/${month}`;
/** A key as one string (for sets and logs). */
export const keyString = (k: NotificationKey): string =>
  [k.subjectType, k.subjectId, k.kind, k.stage, k.recipient].join('\u0000');
