import { t } from '../../../core/i18n/t.ts';
import { startDingTalkHarness } from '../dingtalk-bot-harness.ts';
import { cardPress, directMessage, groupMessage } from '../dingtalk-requests.ts';
import {
  type CommandDriver,
  type Delivered,
  normalise,
  type Person,
  peopleOf,
  pressOf,
  skeleton,
  TODAY,
  UNIT,
} from './command-driver.ts';

// The DingTalk driver: commands @-mentioning the robot in a group and form answers one to one
// (the published samples, signed with the app secret) into the real HTTP callback; card presses
// into the card callback; what the fake DingTalk API received, read back.

const ID: Record<Person, string> = {
  organiser: 'dt-organiser',
  inspector: 'dt-inspector',
  contact: 'dt-contact-1',
  contact2: 'dt-contact-2',
};
const PEOPLE = new Map(Object.entries(ID).map(([p, id]) => [id, p as Person]));
const UNIT_GROUP = 'cidPSBgroup==';
/** Where people type their commands (a group the robot is in). */
const WORK_GROUP = 'cidWork==';

/**
 * The guided form's own dialogue in the one-to-one chat — "please send: …", "…: done." — is what
 * Slack shows as a modal and the console as prompts: not a delivery, so not read back.
 */
const FORM_DIALOGUE = (['zh-CN', 'en'] as const).flatMap((l) => [
  // a prompt: its label, hint and "optional" follow
  new RegExp(`^${skeleton(t(l, 'bot.dingtalk.form.field')).replace(/labeloptional$/, '')}`, 'u'),
  // the acknowledgement: the form's short submit label and nothing else
  new RegExp(`^${skeleton(t(l, 'bot.dingtalk.form.done')).replace('submit', '.{1,12}')}$`, 'u'),
]);
const isFormDialogue = (text: string) => FORM_DIALOGUE.some((re) => re.test(skeleton(text)));

/** Buttons written as DingTalk link buttons (dtmd://…sendMessage?content=/press …). */
function linkButtons(text: string): Array<{ action: string; value: string }> {
  return [...text.matchAll(/dtmd:\/\/dingtalkclient\/sendMessage\?content=([^)\s]+)/g)]
    .map((m) => pressOf(decodeURIComponent(m[1]!)))
    .filter((b): b is { action: string; value: string } => b !== null);
}

export async function dingTalkDriver(): Promise<CommandDriver> {
  const h = await startDingTalkHarness({ now: TODAY });
  await h.member(ID.organiser, 'organiser');
  await h.member(ID.inspector, 'inspector');
  await h.member(ID.contact, 'unit_contact', UNIT);
  await h.member(ID.contact2, 'unit_contact', UNIT);
  const org = await h.fx.membership.resolveActor('dingtalk', ID.organiser);
  if (!org.ok) throw org.error;
  const bound = await h.fx.membership.bindChannel(org.value, {
    platform: 'dingtalk',
    scope: UNIT,
    channelId: UNIT_GROUP,
  });
  if (!bound.ok) throw bound.error;

  let n = 0;
  let seen = 0;
  let last: Record<string, unknown> | null = null;
  const cardOf = new WeakMap<Delivered, string>();
  const cardTo = new Map<string, Delivered['to']>();
  const send = async (body: unknown) => {
    const res = await h.send(body);
    if (res.status !== 200) throw new Error(`DingTalk callback answered ${res.status}`);
  };
  const oneToOne = (who: Person, text: string) =>
    send(directMessage({ msgId: `msgConf${++n}`, text, from: ID[who], sessionWebhook: h.api.sessionWebhook(ID[who]) }));

  return {
    platform: 'dingtalk',
    prisma: h.fx.prisma,
    async command(who, text) {
      last = groupMessage({
        msgId: `msgConf${++n}`,
        text,
        from: ID[who],
        conversationId: WORK_GROUP,
        sessionWebhook: h.api.sessionWebhook(`group-${ID[who]}`),
      });
      await send(last);
    },
    redeliverLast: async () => {
      if (!last) throw new Error('nothing delivered yet');
      await send(last);
    },
    async press(who, button, on) {
      const outTrackId = cardOf.get(on);
      // a card's button calls the card callback; a markdown reply's link button sends /press as a message
      if (outTrackId) {
        const res = await h.press(
          cardPress({ outTrackId, userId: ID[who], action: button.action, value: button.value }),
        );
        if (res.status !== 200) throw new Error(`DingTalk card callback answered ${res.status}`);
      } else await oneToOne(who, `/press ${button.action} ${button.value}`);
    },
    async fillForm(who, answers) {
      for (const a of answers) await oneToOne(who, a === '' ? '-' : a);
    },
    take() {
      const calls = h.api.calls.slice(seen).filter((c) => c.status === 200);
      seen = h.api.calls.length;
      const out: Delivered[] = [];
      for (const c of calls) {
        if (c.operation === 'card.createAndDeliver' || c.operation === 'card.update') {
          const outTrackId = String(c.body.outTrackId);
          let to: Delivered['to'] | undefined;
          if (c.operation === 'card.update') to = cardTo.get(outTrackId);
          else {
            const m = /^dtv1\.card\/\/IM_(GROUP|ROBOT)\.(.+)$/.exec(String(c.body.openSpaceId))!;
            to = m[1] === 'GROUP' ? (m[2] === UNIT_GROUP ? 'unit-group' : undefined) : PEOPLE.get(m[2]!);
            if (to) cardTo.set(outTrackId, to);
          }
          if (!to) continue;
          const params = c.body.cardData?.cardParamMap ?? {};
          const markdown = String(params.markdown ?? '');
          const d: Delivered = {
            to,
            updated: c.operation === 'card.update',
            text: normalise(markdown, PEOPLE),
            mentions: peopleOf(
              [
                ...Object.keys(c.body.imGroupOpenDeliverModel?.atUserIds ?? {}),
                ...[...markdown.matchAll(/@([\w-]+)/g)].map((x) => x[1]!),
              ],
              PEOPLE,
            ),
            buttons: (JSON.parse(String(params.buttons ?? '[]')) as Array<{ action: string; value: string }>).map(
              (b) => ({ action: b.action, value: b.value }),
            ),
          };
          cardOf.set(d, outTrackId);
          out.push(d);
        } else if (c.operation === 'sendBySession') {
          const session = String(c.query.session ?? '').replace(/^group-/, '');
          const to = PEOPLE.get(session);
          if (!to) continue;
          if (isFormDialogue(normalise(String((c.body as { markdown?: { text: string } }).markdown?.text ?? ''))))
            continue;
          const body = c.body as {
            markdown?: { text: string };
            actionCard?: { text: string; btns: Array<{ title: string; actionURL: string }> };
            at?: { atUserIds?: string[] };
          };
          const text = body.markdown?.text ?? body.actionCard?.text ?? '';
          const cardButtons = (body.actionCard?.btns ?? []).flatMap((b) => linkButtons(b.actionURL));
          out.push({
            to,
            updated: false,
            text: normalise(text, PEOPLE),
            mentions: peopleOf(body.at?.atUserIds ?? [], PEOPLE),
            buttons: [...cardButtons, ...linkButtons(text)],
          });
        }
      }
      return out;
    },
    close: () => h.close(),
  };
}
