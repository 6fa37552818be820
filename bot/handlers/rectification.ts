import { z } from 'zod';
import type { Actor, FindingView } from '../../core/assessment-api.ts';
import { forbidden, may } from '../../core/authorization.ts';
import { AppError } from '../../core/errors.ts';
import type { Locale } from '../../core/i18n/locale.ts';
import { t } from '../../core/i18n/t.ts';
import {
  evidenceBlocks,
  findingFields,
  findingNoticeMessage,
  rectificationRejectedMessage,
  rectificationSubmittedMessage,
  rectificationVerifiedMessage,
} from '../../core/messages/findings.ts';
import { identityOn, statusLabel, tInline } from '../../core/messages/format.ts';
import { errorMessage } from '../../core/messages/standings.ts';
import {
  bold,
  context,
  fields,
  link,
  list,
  mention,
  message,
  paragraph,
  type Block,
  type Message,
} from '../../core/messages/message.ts';
import { MessengerError, type MessageRef, type MessengerPort } from '../../core/ports/messenger.port.ts';
import type { BotDeps, Interaction } from '../interaction.ts';
import { channelOf, contactsOf, rememberNotice } from './recipients.ts';
import { noFollowUp, type FormResult, type FormSpec, type FormSubmission } from './rectification-form.ts';
import { bestEffort, findingOptions, guarded, localeOf, seqLabel } from './standings-format.ts';

// The rectification round trip of shared/spec/lifecycle.md, in chat:
//   unit contact presses "submit rectification" (notice, reminder, /myscore, home)
//     → form (evidence text + links) → service.submitRectification (key: the form instance)
//     → the filing inspector gets a private message with Verify / Send back
//   Verify → service.verifyRectification;  Send back → reason form → service.rejectRectification
// Each step re-renders the original notice in the unit's channel (FindingView.noticeRef). The
// core writes the audit log; nothing here touches the store.

export const RECTIFICATION_FORM = { submit: 'rectification.submit', reject: 'rectification.reject' } as const;

export const FIELD = { evidenceText: 'evidence_text', evidenceLinks: 'evidence_links', reason: 'reason' } as const;

const MAX_TEXT = 4000;
const MAX_LINKS = 20;

/** Where the form came from: the finding, and the message whose button opened it (to update later). */
interface FormMeta {
  f: string;
  s: MessageRef | null;
}

const metaSchema = z.object({ f: z.string().min(1).max(100), s: z.string().max(1000).nullable() });

function encodeMeta(m: FormMeta): string {
  return JSON.stringify(m);
}

function decodeMeta(raw: string): FormMeta | null {
  try {
    const parsed = metaSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

const httpLink = z.url({ protocol: /^https?$/ });
const evidenceSchema = z.object({
  text: z.string().trim().max(MAX_TEXT),
  links: z.array(httpLink).max(MAX_LINKS),
});
const reasonFormSchema = z.string().trim().min(1).max(1000);

/** Links typed one per line (or separated by spaces/commas). */
export function splitLinks(raw: string): string[] {
  return raw
    .split(/[\s,，;；]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

function wrongState(locale: Locale, f: FindingView): AppError {
  return new AppError('RECTIFICATION.WRONG_STATE', `finding ${f.id} is ${f.status}`, {
    params: { value: seqLabel(f.seq), state: statusLabel(locale, f.status) },
  });
}

/** Follow-ups already done for a form key in this process (a double submit racing the first). */
const followedUp = new Set<string>();
function firstFollowUp(key: string): boolean {
  if (followedUp.has(key)) return false;
  followedUp.add(key);
  if (followedUp.size > 5000) followedUp.delete(followedUp.values().next().value!);
  return true;
}

// ---- 1. the unit presses "submit rectification" ----------------------------------------------

/** The evidence form, or null when the press is refused (the person is told why). */
export async function openSubmitForm(
  deps: BotDeps,
  ix: Interaction,
  p: { findingId: string; sourceRef: MessageRef | null },
): Promise<FormSpec | null> {
  let form: FormSpec | null = null;
  await guarded(deps, ix, 'rectification.open', async () => {
    const locale = localeOf(ix);
    if (!ix.actor.ok) return ix.replyPrivately(errorMessage(locale, ix.actor.error));
    const actor = ix.actor.value;
    if (!may(actor, 'rectification.submit'))
      return ix.replyPrivately(errorMessage(locale, forbidden(actor, 'rectification.submit')));
    const r = await deps.queries.getFinding(actor, p.findingId);
    if (!r.ok)
      return ix.replyPrivately(
        errorMessage(
          locale,
          r.error.code === 'AUTH.OTHER_UNIT' ? new AppError('RECTIFICATION.NOT_OWN_UNIT', r.error.message) : r.error,
        ),
      );
    const f = r.value;
    if (f.deadline === null)
      return ix.replyPrivately(
        errorMessage(
          locale,
          new AppError('FINDING.NOT_RECTIFIABLE', `finding ${f.id} has no deadline`, {
            params: { value: seqLabel(f.seq) },
          }),
        ),
      );
    if (f.status !== 'filed') return ix.replyPrivately(errorMessage(locale, wrongState(locale, f)));
    form = {
      formId: RECTIFICATION_FORM.submit,
      title: t(locale, 'bot.rect.form.title'),
      submitLabel: t(locale, 'bot.rect.form.submit'),
      closeLabel: t(locale, 'bot.rect.form.cancel'),
      intro: message([
        paragraph(t(locale, 'bot.rect.form.intro', { unit: f.unit, seq: seqLabel(f.seq) })),
        fields(...findingFields(locale, f, findingOptions(deps.rulebook, locale, f, ix.platform))),
        ...evidenceBlocks(locale, f),
      ]),
      fields: [
        {
          id: FIELD.evidenceText,
          label: t(locale, 'bot.rect.form.evidenceText'),
          hint: t(locale, 'bot.rect.form.evidenceTextHint'),
          multiline: true,
          optional: true,
          maxLength: MAX_TEXT,
        },
        {
          id: FIELD.evidenceLinks,
          label: t(locale, 'bot.rect.form.evidenceLinks'),
          hint: t(locale, 'bot.rect.form.evidenceLinksHint'),
          placeholder: 'https://…',
          multiline: true,
          optional: true,
          maxLength: 3000,
        },
      ],
      metadata: encodeMeta({ f: f.id, s: p.sourceRef }),
    };
  });
  return form;
}

// ---- 2. the unit submits the evidence ---------------------------------------------------------

function fieldOf(error: AppError, fallback: string): string {
  const f = error.field ?? '';
  if (f.startsWith('evidenceLinks')) return FIELD.evidenceLinks;
  if (f.startsWith('evidenceText')) return FIELD.evidenceText;
  if (f === 'reason') return FIELD.reason;
  return fallback;
}

export async function submitRectificationForm(
  deps: BotDeps,
  ix: Interaction,
  sub: FormSubmission,
): Promise<FormResult> {
  const locale = localeOf(ix);
  const fail = (field: string, text: string): FormResult => ({
    outcome: { ok: false, errors: { [field]: text } },
    followUp: noFollowUp,
  });
  const meta = decodeMeta(sub.metadata);
  if (!meta) return fail(FIELD.evidenceText, t(locale, 'bot.rect.error.expired'));
  if (!ix.actor.ok) return fail(FIELD.evidenceText, ix.actor.error.userMessage(locale));
  const actor = ix.actor.value;

  const links = splitLinks(sub.values[FIELD.evidenceLinks] ?? '');
  const badLink = links.find((l) => !httpLink.safeParse(l).success);
  if (badLink !== undefined) return fail(FIELD.evidenceLinks, t(locale, 'bot.rect.error.badLink', { value: badLink }));
  const parsed = evidenceSchema.safeParse({ text: sub.values[FIELD.evidenceText] ?? '', links });
  if (!parsed.success) {
    const onLinks = parsed.error.issues[0]?.path[0] === 'links';
    return fail(
      onLinks ? FIELD.evidenceLinks : FIELD.evidenceText,
      t(locale, onLinks ? 'bot.rect.error.tooManyLinks' : 'bot.rect.error.tooLong', {
        max: onLinks ? MAX_LINKS : MAX_TEXT,
      }),
    );
  }
  const before = await deps.queries.getFinding(actor, meta.f);
  const r = await deps.rectification.submit(actor, {
    findingId: meta.f,
    evidenceText: parsed.data.text,
    evidenceLinks: parsed.data.links,
    idempotencyKey: sub.formKey,
  });
  if (!r.ok) {
    const e = r.error.code === 'RECTIFICATION.WRONG_STATE' && before.ok ? wrongState(locale, before.value) : r.error;
    return fail(fieldOf(e, FIELD.evidenceText), e.userMessage(locale));
  }
  const f = r.value;
  // The same form sent again (a retry, a double click): the finding was already submitted before
  // this request, so the inspector was told the first time.
  const repeat = (before.ok && before.value.status === 'submitted') || !firstFollowUp(sub.formKey);
  return {
    outcome: { ok: true },
    followUp: repeat
      ? noFollowUp
      : async () => {
          const evidence = { text: parsed.data.text, links: parsed.data.links };
          await notifyReviewer(deps, ix, actor, f, evidence);
          await updateNotice(deps, actor, ix.messenger, ix.platform, f, (loc) =>
            tInline(loc, 'bot.rect.notice.submitted', { who: mention(ix.userId), date: deps.today() }),
          );
          await bestEffort(deps, 'rectification.confirm', () =>
            ix.replyPrivately(
              message([paragraph(t(locale, 'bot.rect.submitted.you', { seq: seqLabel(f.seq), unit: f.unit }))]),
            ),
          );
        },
  };
}

/** The unit's evidence, shown to the reviewer. */
function submissionBlocks(locale: Locale, e: { text: string; links: string[] }): Block[] {
  const out: Block[] = [];
  if (e.text) out.push(paragraph(bold(t(locale, 'bot.rect.review.evidence')), '\n', e.text));
  if (e.links.length > 0) out.push(list(e.links.map((u) => link(u))));
  return out;
}

/** Blocks inserted before a message's buttons (or at its end). */
function insertBeforeActions(m: Message, extra: readonly Block[]): Message {
  const i = m.blocks.findIndex((b) => b.type === 'actions');
  const blocks = i < 0 ? [...m.blocks, ...extra] : [...m.blocks.slice(0, i), ...extra, ...m.blocks.slice(i)];
  return message(blocks, { text: m.text });
}

/** The review request: to the filer privately, or (filer on another messenger) the organisers' channel. */
function reviewMessage(
  deps: BotDeps,
  locale: Locale,
  platform: string,
  f: FindingView,
  by: string | null,
  evidence: { text: string; links: string[] } | null,
  outcome: Block[] = [],
): Message {
  const base = rectificationSubmittedMessage(locale, f, { ...findingOptions(deps.rulebook, locale, f, platform), by });
  return insertBeforeActions(base, [...(evidence ? submissionBlocks(locale, evidence) : []), ...outcome]);
}

async function notifyReviewer(
  deps: BotDeps,
  ix: Interaction,
  actor: Actor,
  f: FindingView,
  evidence: { text: string; links: string[] },
): Promise<void> {
  // the filer by their user id on this platform, whichever platform they filed on
  const filerId = identityOn(f.filedBy, ix.platform);
  if (filerId) {
    const filer = await deps.membership.resolveActor(ix.platform, filerId);
    if (filer.ok) {
      const locale = filer.value.locale;
      const sent = await bestEffort(deps, 'rectification.notify_filer', () =>
        ix.messenger.postPrivate(filerId, reviewMessage(deps, locale, ix.platform, f, ix.userId, evidence)),
      );
      if (sent) return;
    }
  }
  // The filer cannot be reached here (another messenger, left, or the DM failed): organisers review.
  const channel = await channelOf(deps, actor, ix.platform, 'organisers');
  if (channel)
    await bestEffort(deps, 'rectification.notify_organisers', () =>
      ix.messenger.postToChannel(channel, reviewMessage(deps, deps.defaultLocale, ix.platform, f, ix.userId, evidence)),
    );
  else
    deps.logger.warn(
      { finding: f.id },
      'nobody to notify of a submitted rectification: filer unreachable and no organisers channel bound',
    );
}

/**
 * Re-render the finding's notice in the unit channel with its new state and a status line. When
 * the old message cannot be edited any more (deleted, another messenger's ref), post it anew and
 * remember the new ref.
 */
export async function updateNotice(
  deps: BotDeps,
  actor: Actor,
  messenger: MessengerPort,
  platform: string,
  f: FindingView,
  status: (locale: Locale) => ReturnType<typeof tInline>,
): Promise<void> {
  if (!f.noticeRef) return;
  const locale = deps.defaultLocale;
  const contacts = await contactsOf(deps, actor, platform, f.unit);
  const notice = insertBeforeActions(
    findingNoticeMessage(locale, f, { ...findingOptions(deps.rulebook, locale, f, platform), contacts }),
    [context(...status(locale))],
  );
  try {
    await messenger.updateMessage(f.noticeRef, notice);
  } catch (e) {
    if (!(MessengerError.is(e) && e.permanent)) {
      deps.logger.warn({ err: (e as Error).message, finding: f.id }, 'notice not updated; continuing');
      return;
    }
    const channel = await channelOf(deps, actor, platform, f.unit);
    if (!channel) return;
    const posted = await bestEffort(deps, 'rectification.repost_notice', () =>
      messenger.postToChannel(channel, notice),
    );
    if (posted) await rememberNotice(deps, actor, f.id, posted.ref);
  }
}

// ---- 3. the reviewer verifies -----------------------------------------------------------------

export async function handleVerify(
  deps: BotDeps,
  ix: Interaction,
  p: { findingId: string; sourceRef: MessageRef | null },
): Promise<void> {
  await guarded(deps, ix, 'rectification.verify', async () => {
    const locale = localeOf(ix);
    if (!ix.actor.ok) return ix.replyPrivately(errorMessage(locale, ix.actor.error));
    const actor = ix.actor.value;
    if (!may(actor, 'rectification.review'))
      return ix.replyPrivately(errorMessage(locale, forbidden(actor, 'rectification.review')));
    const before = await deps.queries.getFinding(actor, p.findingId);
    const r = await deps.rectification.verify(actor, { findingId: p.findingId });
    if (!r.ok)
      return ix.replyPrivately(
        errorMessage(
          locale,
          r.error.code === 'RECTIFICATION.WRONG_STATE' && before.ok ? wrongState(locale, before.value) : r.error,
        ),
      );
    const f = r.value;
    if (before.ok && before.value.status === 'verified') {
      return ix.replyPrivately(message([paragraph(t(locale, 'bot.rect.verified.already', { seq: seqLabel(f.seq) }))]));
    }
    await afterReview(deps, ix, actor, f, p.sourceRef, 'verified', null);
  });
}

// ---- 4. the reviewer sends it back: reason form, then the rejection ---------------------------

export async function openRejectForm(
  deps: BotDeps,
  ix: Interaction,
  p: { findingId: string; sourceRef: MessageRef | null },
): Promise<FormSpec | null> {
  let form: FormSpec | null = null;
  await guarded(deps, ix, 'rectification.open_reject', async () => {
    const locale = localeOf(ix);
    if (!ix.actor.ok) return ix.replyPrivately(errorMessage(locale, ix.actor.error));
    const actor = ix.actor.value;
    if (!may(actor, 'rectification.review'))
      return ix.replyPrivately(errorMessage(locale, forbidden(actor, 'rectification.review')));
    const r = await deps.queries.getFinding(actor, p.findingId);
    if (!r.ok) return ix.replyPrivately(errorMessage(locale, r.error));
    const f = r.value;
    if (f.status !== 'submitted') return ix.replyPrivately(errorMessage(locale, wrongState(locale, f)));
    form = {
      formId: RECTIFICATION_FORM.reject,
      title: t(locale, 'bot.rect.reject.title'),
      submitLabel: t(locale, 'bot.rect.reject.submit'),
      closeLabel: t(locale, 'bot.rect.form.cancel'),
      intro: message([
        paragraph(t(locale, 'bot.rect.reject.intro', { unit: f.unit, seq: seqLabel(f.seq), clause: f.clause })),
      ]),
      fields: [
        {
          id: FIELD.reason,
          label: t(locale, 'msg.label.reason'),
          hint: t(locale, 'bot.rect.reject.reasonHint'),
          multiline: true,
          optional: false,
          maxLength: 1000,
        },
      ],
      metadata: encodeMeta({ f: f.id, s: p.sourceRef }),
    };
  });
  return form;
}

export async function submitRejectForm(deps: BotDeps, ix: Interaction, sub: FormSubmission): Promise<FormResult> {
  const locale = localeOf(ix);
  const fail = (text: string): FormResult => ({
    outcome: { ok: false, errors: { [FIELD.reason]: text } },
    followUp: noFollowUp,
  });
  const meta = decodeMeta(sub.metadata);
  if (!meta) return fail(t(locale, 'bot.rect.error.expired'));
  if (!ix.actor.ok) return fail(ix.actor.error.userMessage(locale));
  const actor = ix.actor.value;
  const reason = reasonFormSchema.safeParse(sub.values[FIELD.reason] ?? '');
  if (!reason.success)
    return fail(
      t(
        locale,
        (sub.values[FIELD.reason] ?? '').trim() === '' ? 'bot.rect.error.reasonRequired' : 'bot.rect.error.tooLong',
        { max: 1000 },
      ),
    );
  const before = await deps.queries.getFinding(actor, meta.f);
  const r = await deps.rectification.reject(actor, { findingId: meta.f, reason: reason.data });
  if (!r.ok)
    return fail(
      (r.error.code === 'RECTIFICATION.WRONG_STATE' && before.ok
        ? wrongState(locale, before.value)
        : r.error
      ).userMessage(locale),
    );
  const f = r.value;
  return {
    outcome: { ok: true },
    followUp: firstFollowUp(`reject:${sub.formKey}`)
      ? () => afterReview(deps, ix, actor, f, meta.s, 'rejected', reason.data)
      : noFollowUp,
  };
}

// ---- after a review: the reviewer's message, the notice, the unit -----------------------------

async function afterReview(
  deps: BotDeps,
  ix: Interaction,
  actor: Actor,
  f: FindingView,
  sourceRef: MessageRef | null,
  outcome: 'verified' | 'rejected',
  reason: string | null,
): Promise<void> {
  const locale = actor.locale;
  const who = mention(ix.userId);
  const line = (loc: Locale) =>
    outcome === 'verified'
      ? tInline(loc, 'bot.rect.notice.verified', { who, rectifiedOn: f.rectifiedOn ?? '' })
      : tInline(loc, 'bot.rect.notice.rejected', { who, reason: reason ?? '' });
  // The message whose buttons were pressed: the buttons go, the outcome shows, and it still names
  // the contact who submitted (not the reviewer who pressed; the unit if they are not on this platform).
  if (sourceRef) {
    const submitter = await deps.queries.rectificationSubmitter(actor, f.id);
    const by = (submitter.ok && submitter.value?.find((i) => i.platform === ix.platform)?.externalId) || null;
    await bestEffort(deps, 'rectification.update_review', () =>
      ix.messenger.updateMessage(
        sourceRef,
        reviewMessage(deps, locale, ix.platform, f, by, null, [context(...line(locale))]),
      ),
    );
  } else {
    await bestEffort(deps, 'rectification.reply', () => ix.replyPrivately(message([paragraph(...line(locale))])));
  }
  await updateNotice(deps, actor, ix.messenger, ix.platform, f, line);
  const channel = await channelOf(deps, actor, ix.platform, f.unit);
  if (!channel) return;
  const unitLocale = deps.defaultLocale;
  const opts = { ...findingOptions(deps.rulebook, unitLocale, f, ix.platform), by: ix.userId };
  const msg =
    outcome === 'verified'
      ? rectificationVerifiedMessage(unitLocale, f, opts)
      : rectificationRejectedMessage(unitLocale, f, {
          ...opts,
          reason: reason ?? '',
          contacts: await contactsOf(deps, actor, ix.platform, f.unit),
        });
  await bestEffort(deps, `rectification.${outcome}.unit`, () => ix.messenger.postToChannel(channel, msg));
}
