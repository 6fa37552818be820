import { currentRequestId } from '../../adapters/observability/request-context.ts';
import type { Writable } from 'node:stream';
import type { Actor } from '../../core/assessment-api.ts';
import { AppError } from '../../core/errors.ts';
import type { Locale } from '../../core/i18n/locale.ts';
import { t } from '../../core/i18n/t.ts';
import { ACTION } from '../../core/messages/actions.ts';
import type { Message } from '../../core/messages/message.ts';
import { errorMessage } from '../../core/messages/standings.ts';
import { parseIsoDate } from '../../rules/dates.ts';
import { parsePressCommand, renderConsoleText } from '../../adapters/messenger/console/console-text.renderer.ts';
import type { BotDeps, Interaction } from '../interaction.ts';
import { handleAdminCommand } from '../handlers/admin.ts';
import { announceFiledFinding, fileFinding, handleFindingCommand } from '../handlers/finding.ts';
import type { FindingDraft } from '../parsing/finding-text.ts';
import { ButtonHandles } from './button-handles.ts';
import { ConsoleFindingForm } from './finding-form.ts';
import { handleHomeOpened } from '../handlers/home.ts';
import { handleMyScore, handleUnitButton } from '../handlers/myscore.ts';
import { handlePublishButton } from '../handlers/months.ts';
import { MYSCORE_CHART_ACTION, MYSCORE_WHY_ACTION } from '../handlers/myscore-message.ts';
import {
  handleVerify,
  openRejectForm,
  openSubmitForm,
  submitRectificationForm,
  submitRejectForm,
} from '../handlers/rectification.ts';
import type { FormResult, FormSpec, FormSubmission } from '../handlers/rectification-form.ts';
import { handleStandings } from '../handlers/standings.ts';
import { openWithdrawForm, submitWithdrawForm } from '../handlers/withdraw.ts';
import { officeHours, type ConsoleClock } from './clock.ts';
import { CONSOLE_PLATFORM, ORGANISER_ID, type ConsoleDirectory, type ConsoleIdentity } from './identities.ts';
import type { SessionMessenger } from './session-messenger.ts';

// One person at the console: typed lines → the same handlers the Slack listeners run, with the
// console messenger. Forms (Slack's modals) are asked field by field. Platform-neutral handlers
// for /finding and /kaoping come from bot/handlers/{finding,admin}.ts.

export interface ConsoleSessionOptions {
  deps: BotDeps;
  directory: ConsoleDirectory;
  messenger: SessionMessenger;
  clock: ConsoleClock;
  out: Writable;
  /** Unique per run: request keys and message refs carry it. */
  session: string;
  /** Who is typing at the start; default the organiser. */
  as?: ConsoleIdentity;
  /** Short handles for buttons (`/press 3`), shared with the messenger that shows them. */
  handles?: ButtonHandles;
}

interface OpenFindingForm {
  form: ConsoleFindingForm;
  ix: Interaction;
  actor: Actor;
  key: string;
}

interface OpenForm {
  spec: FormSpec;
  values: Record<string, string>;
  index: number;
  key: string;
  submit: (sub: FormSubmission) => Promise<FormResult>;
}

export class ConsoleSession {
  readonly #o: ConsoleSessionOptions;
  #identity: ConsoleIdentity;
  #seq = 0;
  #form: OpenForm | null = null;
  #finding: OpenFindingForm | null = null;
  #locale: Locale;
  readonly #handles: ButtonHandles;
  /** Private replies, in order (tests read them). */
  readonly replies: Message[] = [];

  constructor(o: ConsoleSessionOptions) {
    this.#o = o;
    this.#identity = o.as ?? { userId: ORGANISER_ID, name: o.directory.userName(ORGANISER_ID) };
    this.#locale = o.deps.defaultLocale;
    this.#handles = o.handles ?? new ButtonHandles();
  }

  get identity(): ConsoleIdentity {
    return this.#identity;
  }

  get inForm(): boolean {
    return this.#form !== null || this.#finding !== null;
  }

  #say(text: string): void {
    this.#o.out.write(`${text}\n`);
  }

  /** What to show before the next line: the person, or the form field being asked. */
  prompt(): string {
    if (this.#finding) return this.#finding.form.prompt();
    const f = this.#form;
    if (f) {
      const field = f.spec.fields[f.index]!;
      return t(this.#locale, 'bot.console.form.field', {
        label: field.label,
        optional: field.optional ? t(this.#locale, 'bot.console.form.optional') : '',
      });
    }
    return t(this.#locale, 'bot.console.prompt', { who: this.#identity.name });
  }

  welcome(): void {
    this.#say(
      t(this.#locale, 'bot.console.welcome', {
        rulebook: this.#o.deps.rulebook.id,
        today: this.#o.deps.today(),
      }),
    );
  }

  async #interaction(): Promise<Interaction> {
    const { deps, messenger, session } = this.#o;
    const actor = await deps.membership.resolveActor(CONSOLE_PLATFORM, this.#identity.userId);
    const locale = actor.ok ? actor.value.locale : deps.defaultLocale;
    this.#locale = locale;
    const user = this.#identity.name;
    this.#seq += 1;
    return {
      platform: CONSOLE_PLATFORM,
      userId: this.#identity.userId,
      channelId: null,
      actor,
      locale,
      messenger,
      requestKey: `console:${session}:${this.#seq}`,
      requestId: currentRequestId(),
      replyPrivately: async (m: Message) => {
        this.replies.push(m);
        const rendered = renderConsoleText(m, {
          userName: (id) => this.#o.directory.userName(id),
          pressCommand: this.#handles.pressCommand,
        });
        this.#o.out.write(`── ${t(locale, 'bot.console.heading.reply', { user })} ──\n${rendered}\n\n`);
      },
    };
  }

  /** Handle one typed line; false when the person wants to leave. */
  async handleLine(raw: string): Promise<boolean> {
    const line = raw.replace(/\r$/, '');
    if (this.#finding) {
      await this.#findingLine(line);
      return true;
    }
    if (this.#form) {
      await this.#formLine(line);
      return true;
    }
    const trimmed = line.trim();
    if (trimmed === '') return true;
    const m = /^(\/\S+)\s*([\s\S]*)$/.exec(trimmed);
    const command = (m?.[1] ?? trimmed).toLowerCase();
    const text = m?.[2] ?? '';
    try {
      switch (command) {
        case '/myscore':
          await handleMyScore(this.#o.deps, await this.#interaction(), text);
          return true;
        case '/standings':
          await handleStandings(this.#o.deps, await this.#interaction(), text);
          return true;
        case '/finding': {
          const ix = await this.#interaction();
          await handleFindingCommand(this.#o.deps, ix, text, {
            openForm: async (draft, actor) => this.#openFindingForm(ix, actor, draft),
          });
          return true;
        }
        case '/kaoping':
          await handleAdminCommand(this.#o.deps, await this.#interaction(), this.#namesToRefs(text));
          return true;
        case '/home':
          await handleHomeOpened(this.#o.deps, await this.#interaction());
          return true;
        case '/press':
          await this.#press(trimmed);
          return true;
        case '/as':
          await this.#as(text);
          return true;
        case '/whoami':
          await this.#whoami();
          return true;
        case '/today':
          this.#today(text);
          return true;
        case '/help':
          this.#say(t(this.#locale, 'bot.console.help'));
          return true;
        case '/quit':
        case '/exit':
          this.#say(t(this.#locale, 'bot.console.bye'));
          return false;
        default:
          this.#say(t(this.#locale, 'bot.console.unknownCommand', { command }));
          return true;
      }
    } catch (e) {
      this.#o.deps.logger.error({ err: { message: (e as Error).message }, command }, 'console command failed');
      this.#say(renderConsoleText(errorMessage(this.#locale, new AppError('INTERNAL', (e as Error).message))));
      return true;
    }
  }

  async #as(word: string): Promise<void> {
    if (!word.trim()) {
      this.#say(t(this.#locale, 'bot.console.help'));
      return;
    }
    this.#identity = await this.#o.directory.resolveAs(word);
    await this.#whoami();
  }

  async #whoami(): Promise<void> {
    const actor = await this.#o.directory.actor(this.#identity.userId);
    this.#locale = actor?.locale ?? this.#o.deps.defaultLocale;
    if (!actor) {
      this.#say(t(this.#locale, 'bot.console.asUnknown', { who: this.#identity.name, id: this.#identity.userId }));
      return;
    }
    this.#say(
      t(this.#locale, 'bot.console.whoami', {
        who: this.#identity.name,
        role: t(this.#locale, `domain.role.${actor.role}`),
        unit: actor.unit ? ` · ${actor.unit}` : '',
        id: this.#identity.userId,
      }),
    );
  }

  #today(text: string): void {
    const day = text.trim();
    if (day === '') {
      this.#say(t(this.#locale, 'bot.console.today', { today: this.#o.deps.today() }));
      return;
    }
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || parseIsoDate(day) === null) {
      this.#say(t(this.#locale, 'bot.console.todayBad', { value: day }));
      return;
    }
    this.#o.clock.moveTo(officeHours(day));
    this.#say(t(this.#locale, 'bot.console.todaySet', { today: this.#o.deps.today() }));
  }

  /** The latest message showing this button, when it can be edited (to update after the press). */
  #sourceRef(actionId: string, value: string): string | null {
    const sent = this.#o.messenger.inner.sent;
    for (let i = sent.length - 1; i >= 0; i--) {
      const s = sent[i]!;
      if (s.ref === null) continue;
      if (
        s.message.blocks.some(
          (b) => b.type === 'actions' && b.buttons.some((x) => x.actionId === actionId && x.value === value),
        )
      )
        return this.#o.messenger.outerRef(s.ref);
    }
    return null;
  }

  async #press(line: string): Promise<void> {
    const typed = parsePressCommand(line);
    const p = typed && typed.value === '' ? (this.#handles.lookup(typed.actionId) ?? typed) : typed;
    if (!p?.actionId) {
      this.#say(t(this.#locale, 'bot.console.help'));
      return;
    }
    if (/^#?\d+$/.test(p.actionId)) {
      this.#say(t(this.#locale, 'bot.console.noHandle', { handle: p.actionId }));
      return;
    }
    const { deps } = this.#o;
    const target = { findingId: p.value, sourceRef: this.#sourceRef(p.actionId, p.value) };
    switch (p.actionId) {
      case ACTION.submitRectification: {
        const ix = await this.#interaction();
        const form = await openSubmitForm(deps, ix, target);
        if (form) this.#openForm(form, (sub) => submitRectificationForm(deps, ix, sub));
        return;
      }
      case ACTION.verify:
        await handleVerify(deps, await this.#interaction(), target);
        return;
      case ACTION.reject: {
        const ix = await this.#interaction();
        const form = await openRejectForm(deps, ix, target);
        if (form) this.#openForm(form, (sub) => submitRejectForm(deps, ix, sub));
        return;
      }
      case ACTION.withdraw: {
        const ix = await this.#interaction();
        const form = await openWithdrawForm(deps, ix, { findingId: p.value });
        if (form) this.#openForm(form, (sub) => submitWithdrawForm(deps, ix, sub));
        return;
      }
      case ACTION.viewUnit:
        await handleUnitButton(deps, await this.#interaction(), p.value, false);
        return;
      case ACTION.publishPeriod:
        await handlePublishButton(deps, await this.#interaction(), p.value);
        return;
      case MYSCORE_WHY_ACTION:
        await handleUnitButton(deps, await this.#interaction(), p.value, true);
        return;
      case MYSCORE_CHART_ACTION:
        await handleUnitButton(deps, await this.#interaction(), p.value, false, true);
        return;
      default:
        this.#say(t(this.#locale, 'bot.console.noButton', { action: p.actionId }));
    }
  }

  // ---- names typed for people and channels ----------------------------------------------------

  /**
   * `/kaoping member add @张三 inspector`, `/kaoping channel 市公安局 #gaj`: console names become the
   * references Slack would send (`<@UX…|张三>`, `<#CX…|gaj>`), so the platform-neutral parser and
   * core see one person per name — the same person `/as 张三` becomes.
   */
  #namesToRefs(text: string): string {
    const { directory } = this.#o;
    return text
      .split(/(\s+)/)
      .map((w) => {
        if (/^@\S+$/.test(w)) {
          const r = directory.userRef(w);
          return `<@${r.id}|${r.name}>`;
        }
        if (/^#\S+$/.test(w)) {
          const r = directory.channelRef(w);
          return `<#${r.id}|${r.name}>`;
        }
        return w;
      })
      .join('');
  }

  // ---- the filing form ---------------------------------------------------------------------------

  #openFindingForm(ix: Interaction, actor: Actor, draft: FindingDraft): void {
    this.#seq += 1;
    const form = new ConsoleFindingForm(this.#o.deps.rulebook, actor.locale, this.#o.deps.today(), draft);
    this.#finding = { form, ix, actor, key: `console:${this.#o.session}:finding:${this.#seq}` };
    this.#say(t(actor.locale, 'bot.console.form.open', { title: t(actor.locale, 'bot.finding.modal.title') }));
    const first = form.next();
    for (const line of first.say) this.#say(line);
    if (first.done) void this.#fileFindingForm();
  }

  async #findingLine(line: string): Promise<void> {
    const open = this.#finding!;
    if (line.trim().toLowerCase() === '/cancel') {
      this.#finding = null;
      this.#say(t(this.#locale, 'bot.console.form.cancelled'));
      return;
    }
    const step = open.form.answer(line);
    for (const l of step.say) this.#say(l);
    if (step.done) await this.#fileFindingForm();
  }

  /** The finished form, filed like the quick form; a refused field is asked again. */
  async #fileFindingForm(): Promise<void> {
    const open = this.#finding!;
    const { deps } = this.#o;
    const filed = await fileFinding(deps, open.ix, open.actor, open.form.draft, open.key);
    if (!filed.ok) {
      await open.ix.replyPrivately(errorMessage(open.actor.locale, filed.error));
      const again = filed.error.field ? open.form.reask(filed.error.field) : { say: [], done: true };
      if (!again.done) {
        for (const l of again.say) this.#say(l);
        return;
      }
      this.#finding = null;
      return;
    }
    this.#finding = null;
    this.#say(
      t(open.actor.locale, 'bot.console.form.done', { submit: t(open.actor.locale, 'bot.finding.modal.submit') }),
    );
    await announceFiledFinding(deps, open.ix, open.actor, filed.value);
  }

  // ---- forms ---------------------------------------------------------------------------------

  #openForm(spec: FormSpec, submit: OpenForm['submit']): void {
    this.#seq += 1;
    this.#form = { spec, values: {}, index: 0, key: `console:${this.#o.session}:form:${this.#seq}`, submit };
    this.#say(t(this.#locale, 'bot.console.form.open', { title: spec.title }));
    const intro = renderConsoleText(spec.intro, {
      userName: (id) => this.#o.directory.userName(id),
      pressCommand: this.#handles.pressCommand,
    });
    if (intro) this.#say(intro);
    this.#askField();
  }

  #askField(): void {
    const field = this.#form!.spec.fields[this.#form!.index]!;
    if (field.hint) this.#say(t(this.#locale, 'bot.console.form.hint', { hint: field.hint }));
  }

  async #formLine(line: string): Promise<void> {
    const f = this.#form!;
    if (line.trim().toLowerCase() === '/cancel') {
      this.#form = null;
      this.#say(t(this.#locale, 'bot.console.form.cancelled'));
      return;
    }
    const field = f.spec.fields[f.index]!;
    // One line per field; " \n " typed literally becomes a line break in long texts.
    f.values[field.id] = line.replace(/\\n/g, '\n');
    f.index += 1;
    if (f.index < f.spec.fields.length) {
      this.#askField();
      return;
    }
    const result = await f.submit({
      formId: f.spec.formId,
      metadata: f.spec.metadata,
      values: { ...f.values },
      formKey: f.key,
    });
    if (!result.outcome.ok) {
      const errors = result.outcome.errors;
      for (const [id, error] of Object.entries(errors)) {
        const label = f.spec.fields.find((x) => x.id === id)?.label ?? id;
        this.#say(t(this.#locale, 'bot.console.form.error', { label, error }));
      }
      const first = f.spec.fields.findIndex((x) => x.id in errors);
      f.index = Math.max(first, 0);
      this.#askField();
      return;
    }
    this.#form = null;
    this.#say(t(this.#locale, 'bot.console.form.done', { submit: f.spec.submitLabel }));
    await result.followUp();
  }
}
