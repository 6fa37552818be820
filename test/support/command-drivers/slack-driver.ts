import { startBotHarness } from '../bot-harness.ts';
import type { FakeSlackCall } from '../slack-fake-api.ts';
import { type SignedRequest, stateValue, withRetry } from '../slack-requests.ts';
import { type CommandDriver, type Delivered, normalise, type Person, peopleOf, TODAY, UNIT } from './command-driver.ts';

// The Slack driver: signed slash commands, button presses and view submissions (built from
// Slack's samples) into the real Bolt HTTP receiver; what the fake Web API received, read back.

const ID: Record<Person, string> = {
  organiser: 'U0ORGANISE',
  inspector: 'U0INSPECT',
  contact: 'U0CONTACT',
  contact2: 'U0CONTACT2',
};
const PEOPLE = new Map(Object.entries(ID).map(([p, id]) => [id, p as Person]));
const UNIT_CHANNEL = 'C0UNITPSB';
/** Where people type their commands. */
const WORK_CHANNEL = 'C0WORK';

/** Every text in a Block Kit payload, and its buttons. */
function blockWords(blocks: unknown): { words: string[]; buttons: Array<{ action: string; value: string }> } {
  const words: string[] = [];
  const buttons: Array<{ action: string; value: string }> = [];
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (o.type === 'button' && typeof o.action_id === 'string')
        buttons.push({ action: o.action_id, value: String(o.value ?? '') });
      // a button's label is not part of the message's words (its action is compared instead)
      if (o.type === 'button') return;
      if (typeof o.text === 'string') words.push(o.text);
      for (const [k, x] of Object.entries(o)) if (k !== 'text' || typeof x !== 'string') visit(x);
    }
  };
  visit(blocks);
  return { words, buttons };
}

export async function slackDriver(): Promise<CommandDriver> {
  const h = await startBotHarness({ now: TODAY });
  for (const [p, role, unit] of [
    ['organiser', 'organiser', undefined],
    ['inspector', 'inspector', undefined],
    ['contact', 'unit_contact', UNIT],
    ['contact2', 'unit_contact', UNIT],
  ] as const)
    await h.slackMember(ID[p], role, unit);
  const org = await h.fx.membership.resolveActor('slack', ID.organiser);
  if (!org.ok) throw org.error;
  const bound = await h.fx.membership.bindChannel(org.value, {
    platform: 'slack',
    scope: UNIT,
    channelId: UNIT_CHANNEL,
  });
  if (!bound.ok) throw bound.error;

  let seq = 0;
  let seen = 0;
  let last: SignedRequest | null = null;
  /** response_url path → who asked. */
  const askedBy = new Map<string, Person>();
  /** Where a delivered message is, to press its buttons. */
  const where = new WeakMap<Delivered, { channel: string; ts: string }>();
  let lastOpen: FakeSlackCall | undefined;
  /** A person's direct-message channel (Slack answers a post to a user id with a D… channel). */
  const dm = new Map<string, Person>();

  const next = (who: Person) => {
    seq += 1;
    const url = h.slack.responseUrl(`T111/${seq}/conformance`);
    askedBy.set(new URL(url).pathname, who);
    return { triggerId: `${seq}.333.conformance${seq}`, responseUrl: url };
  };
  const send = async (req: SignedRequest) => {
    const res = await h.send(req);
    if (res.status !== 200) throw new Error(`Slack receiver answered ${res.status}: ${res.text}`);
  };

  /** The ts Slack gave a posted message (the fake keeps the args object it stored). */
  const posted = (c: FakeSlackCall): { channel: string; ts: string } | null => {
    for (const m of h.slack.messages.values())
      if (
        m.blocks === c.args.blocks ||
        (m.text === c.args.text && JSON.stringify(m.blocks) === JSON.stringify(c.args.blocks))
      )
        return { channel: m.channel, ts: m.ts };
    return null;
  };

  return {
    platform: 'slack',
    prisma: h.fx.prisma,
    async command(who, line) {
      const m = /^(\/\S+)\s*([\s\S]*)$/.exec(line.trim())!;
      last = h.requests.slashCommand({
        command: m[1]!,
        text: m[2]!,
        userId: ID[who],
        channelId: WORK_CHANNEL,
        ...next(who),
      });
      await send(last);
    },
    redeliverLast: async () => {
      if (!last) throw new Error('nothing delivered yet');
      await send(withRetry(last, 1));
    },
    async press(who, button, on) {
      const at = where.get(on) ?? { channel: WORK_CHANNEL, ts: '1507514400.000100' };
      const mark = h.slack.calls.length;
      await send(
        h.requests.blockAction({
          actionId: button.action,
          value: button.value,
          userId: ID[who],
          channelId: at.channel,
          messageTs: at.ts,
          ...next(who),
        }),
      );
      lastOpen = h.slack.calls.slice(mark).findLast((c) => c.method === 'views.open');
    },
    async fillForm(who, answers) {
      if (!lastOpen) throw new Error('no form was opened');
      const view = lastOpen.args.view;
      const inputs = (view.blocks as Array<Record<string, any>>).filter((b) => b.type === 'input');
      const values = Object.fromEntries(
        inputs.map((b, i) => [b.block_id, { [b.element.action_id]: stateValue.text(answers[i] || null) }]),
      );
      seq += 1;
      await send(
        h.requests.viewSubmission({
          callbackId: view.callback_id,
          privateMetadata: view.private_metadata,
          userId: ID[who],
          viewId: `V0CONF${seq}`,
          values,
        }),
      );
      lastOpen = undefined;
    },
    take() {
      const calls = h.slack.calls.slice(seen);
      seen = h.slack.calls.length;
      const out: Delivered[] = [];
      for (const c of calls) {
        let to: Delivered['to'] | undefined;
        let updated = false;
        if (c.method === 'response_url') to = askedBy.get(c.path);
        else if (c.method === 'chat.postEphemeral') to = PEOPLE.get(String(c.args.user));
        else if (c.method === 'chat.postMessage' || c.method === 'chat.update') {
          const channel = String(c.args.channel);
          to = channel === UNIT_CHANNEL ? 'unit-group' : (PEOPLE.get(channel) ?? dm.get(channel));
          updated = c.method === 'chat.update';
        }
        if (!to) continue;
        const { words, buttons } = blockWords(c.args.blocks ?? []);
        const raw = words.length > 0 ? words.join('\n') : String(c.args.text ?? '');
        const d: Delivered = {
          to,
          updated,
          text: normalise(raw, PEOPLE),
          mentions: peopleOf(
            [...raw.matchAll(/<@([A-Z0-9]+)/g)].map((x) => x[1]!),
            PEOPLE,
          ),
          buttons,
        };
        const at = c.method === 'chat.postMessage' ? posted(c) : null;
        if (at && to !== 'unit-group') dm.set(at.channel, to);
        if (at) where.set(d, at);
        else if (c.method === 'chat.update') where.set(d, { channel: String(c.args.channel), ts: String(c.args.ts) });
        out.push(d);
      }
      return out;
    },
    close: () => h.close(),
  };
}
