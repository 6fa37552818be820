import { z } from 'zod';
import type { Actor, FindingView } from '../../core/assessment-api.ts';
import { AppError } from '../../core/errors.ts';
import type { Locale } from '../../core/i18n/locale.ts';
import { t } from '../../core/i18n/t.ts';
import { findingFields, findingWithdrawnMessage } from '../../core/messages/findings.ts';
import { tInline } from '../../core/messages/format.ts';
import { fields, mention, message, paragraph } from '../../core/messages/message.ts';
import { errorMessage } from '../../core/messages/standings.ts';
import type { BotDeps, Interaction } from '../interaction.ts';
import { MAX_REASON } from '../parsing/finding-change-text.ts';
import {
  changeRefusedMessage,
  changerOrRefuse,
  readableError,
  sameReason,
  tellUnit,
  unitToldBlock,
} from './finding-change-reply.ts';
import { updateNotice } from './rectification.ts';
import { noFollowUp, type FormResult, type FormSpec, type FormSubmission } from './rectification-form.ts';
import { bestEffort, findingOptions, guarded, localeOf, seqLabel } from './standings-format.ts';

// Withdrawing a finding in chat (shared/spec/lifecycle.md: an organiser, or the inspector who
// filed it; a reason is required; a closed month refuses):
//   /finding withdraw #123 理由                        → service.withdrawFinding
//   "Withdraw" on the filer's confirmation (ACTION.withdraw, value: the finding id)
//     → reason form (Slack modal / console prompts) → service.withdrawFinding
// Then, once per withdrawal: the unit's notice re-rendered (withdrawn, no button, a status line),
// findingWithdrawnMessage to the unit's channel, a private confirmation. The worker cancels the
// pending reminders from the ledger event; the core writes the audit log.
//
// Exactly once: core withdraws a finding once and refuses it after with FINDING.ALREADY_WITHDRAWN.
// A repeat of the same request — a Slack retry of the command, the form submitted twice (same
// view), two clicks racing — finds it withdrawn with the very same reason: that is success with
// nothing sent again, not an error.

export const WITHDRAW_FORM = 'finding.withdraw.form';
export const WITHDRAW_FIELD = { reason: 'reason' } as const;

const metaSchema = z.object({ f: z.string().min(1).max(100) });
const reasonFormSchema = z.string().trim().min(1).max(MAX_REASON);

function decodeMeta(raw: string): { f: string } | null {
  try {
    const parsed = metaSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

type Withdrawal =
  | { kind: 'withdrawn'; f: FindingView }
  | { kind: 'repeat'; f: FindingView }
  | { kind: 'refused'; error: AppError };

async function withdraw(deps: BotDeps, actor: Actor, ref: string, reason: string): Promise<Withdrawal> {
  const r = await deps.findings.withdraw(actor, { findingId: ref, reason });
  if (r.ok) return { kind: 'withdrawn', f: r.value };
  if (r.error.code === 'FINDING.ALREADY_WITHDRAWN') {
    const now = await deps.queries.getFinding(actor, ref);
    if (now.ok && now.value.status === 'withdrawn' && sameReason(now.value.withdrawReason, reason))
      return { kind: 'repeat', f: now.value };
  }
  return { kind: 'refused', error: r.error };
}

function repeatMessage(locale: Locale, f: FindingView) {
  return message([paragraph(t(locale, 'bot.withdraw.repeat', { seq: seqLabel(f.seq) }))]);
}

// ---- the quick form -----------------------------------------------------------------------------

export async function handleWithdrawCommand(
  deps: BotDeps,
  ix: Interaction,
  cmd: { ref: string; reason: string },
): Promise<void> {
  await guarded(deps, ix, 'finding.withdraw', async () => {
    const actor = await changerOrRefuse(ix, 'finding.withdraw');
    if (!actor) return;
    const w = await withdraw(deps, actor, cmd.ref, cmd.reason);
    if (w.kind === 'refused') return ix.replyPrivately(changeRefusedMessage(actor.locale, 'withdraw', w.error));
    if (w.kind === 'repeat') return ix.replyPrivately(repeatMessage(actor.locale, w.f));
    await afterWithdrawal(deps, ix, actor, w.f);
  });
}

// ---- the button and its reason form -------------------------------------------------------------

/** The reason form, or null when the press is refused (the person is told why). */
export async function openWithdrawForm(
  deps: BotDeps,
  ix: Interaction,
  p: { findingId: string },
): Promise<FormSpec | null> {
  let form: FormSpec | null = null;
  await guarded(deps, ix, 'finding.withdraw.open', async () => {
    const actor = await changerOrRefuse(ix, 'finding.withdraw');
    if (!actor) return;
    const locale = actor.locale;
    const r = await deps.queries.getFinding(actor, p.findingId);
    if (!r.ok) return ix.replyPrivately(errorMessage(locale, readableError(locale, r.error)));
    const f = r.value;
    // Early answers to what core would refuse on submission anyway (core stays the judge).
    const seq = seqLabel(f.seq);
    if (f.status === 'withdrawn')
      return ix.replyPrivately(
        errorMessage(
          locale,
          new AppError('FINDING.ALREADY_WITHDRAWN', `finding ${f.id} is withdrawn`, { params: { value: seq } }),
        ),
      );
    if (actor.role === 'inspector' && f.filedBy.memberId !== actor.memberId) {
      return ix.replyPrivately(
        errorMessage(
          locale,
          new AppError('FINDING.NOT_WITHDRAWABLE', `inspector ${actor.memberId} did not file ${f.id}`),
        ),
      );
    }
    if (f.status === 'verified') {
      return ix.replyPrivately(
        errorMessage(
          locale,
          readableError(
            locale,
            new AppError('RECTIFICATION.WRONG_STATE', `finding ${f.id} is verified`, {
              params: { value: f.seq, state: f.status },
            }),
          ),
        ),
      );
    }
    form = {
      formId: WITHDRAW_FORM,
      title: t(locale, 'bot.withdraw.form.title'),
      submitLabel: t(locale, 'bot.withdraw.form.submit'),
      closeLabel: t(locale, 'bot.withdraw.form.cancel'),
      intro: message([
        paragraph(t(locale, 'bot.withdraw.form.intro', { unit: f.unit, seq, clause: f.clause })),
        fields(...findingFields(locale, f, findingOptions(deps.rulebook, locale, f, ix.platform))),
      ]),
      fields: [
        {
          id: WITHDRAW_FIELD.reason,
          label: t(locale, 'bot.withdraw.form.reason'),
          hint: t(locale, 'bot.withdraw.form.reasonHint'),
          multiline: true,
          optional: false,
          maxLength: MAX_REASON,
        },
      ],
      metadata: JSON.stringify({ f: f.id }),
    };
  });
  return form;
}

/** The reason form submitted: field errors go back to the reason; success closes it, then the follow-ups. */
export async function submitWithdrawForm(deps: BotDeps, ix: Interaction, sub: FormSubmission): Promise<FormResult> {
  const locale = localeOf(ix);
  const fail = (text: string): FormResult => ({
    outcome: { ok: false, errors: { [WITHDRAW_FIELD.reason]: text } },
    followUp: noFollowUp,
  });
  const meta = decodeMeta(sub.metadata);
  if (!meta) return fail(t(locale, 'bot.withdraw.error.expired'));
  if (!ix.actor.ok) return fail(ix.actor.error.userMessage(locale));
  const actor = ix.actor.value;
  const typed = sub.values[WITHDRAW_FIELD.reason] ?? '';
  const reason = reasonFormSchema.safeParse(typed);
  if (!reason.success)
    return fail(
      t(locale, typed.trim() === '' ? 'bot.withdraw.error.reasonRequired' : 'bot.withdraw.error.tooLong', {
        max: MAX_REASON,
      }),
    );
  const w = await withdraw(deps, actor, meta.f, reason.data);
  if (w.kind === 'refused') return fail(readableError(locale, w.error).userMessage(locale));
  if (w.kind === 'repeat') return { outcome: { ok: true }, followUp: noFollowUp };
  return { outcome: { ok: true }, followUp: () => afterWithdrawal(deps, ix, actor, w.f) };
}

// ---- after a withdrawal ---------------------------------------------------------------------------

async function afterWithdrawal(deps: BotDeps, ix: Interaction, actor: Actor, f: FindingView): Promise<void> {
  const who = mention(ix.userId);
  const reason = f.withdrawReason ?? '';
  const date = deps.today();
  await updateNotice(deps, actor, ix.messenger, ix.platform, f, (loc) =>
    tInline(loc, 'bot.withdraw.notice', { who, date, reason }),
  );
  const told = await tellUnit(deps, ix, actor, f, (loc) =>
    findingWithdrawnMessage(loc, f, { ...findingOptions(deps.rulebook, loc, f, ix.platform), by: ix.userId }),
  );
  const locale = actor.locale;
  await bestEffort(deps, 'finding.withdraw.confirm', () =>
    ix.replyPrivately(
      message([
        paragraph(t(locale, 'bot.withdraw.done', { unit: f.unit, seq: seqLabel(f.seq), clause: f.clause })),
        unitToldBlock(locale, f.unit, told),
      ]),
    ),
  );
}
