import { PassThrough } from 'node:stream';
import pino from 'pino';
import { createConsoleApp } from '../../../bot/console/app.ts';
import { ConsoleClock } from '../../../bot/console/clock.ts';
import { guestId } from '../../../bot/console/identities.ts';
import type { Message } from '../../../core/messages/message.ts';
import { loadRulebook } from '../../../rules/rulebook.ts';
import { createTestDatabase } from '../database.ts';
import {
  type CommandDriver,
  type Delivered,
  messageButtons,
  messageWords,
  normalise,
  type Person,
  peopleOf,
  TODAY,
  UNIT,
} from './command-driver.ts';

// The console driver: lines typed into the console session (`/as` to become someone, as a person
// at the terminal does), the messages its messenger and replies carried, read back.

const SECOND_CONTACT = '联系人二';

export async function consoleDriver(): Promise<CommandDriver> {
  const db = await createTestDatabase();
  const app = await createConsoleApp({
    prisma: db.prisma,
    rulebook: loadRulebook('hz-2017'),
    clock: new ConsoleClock(new Date(TODAY)),
    locale: 'zh-CN',
    logger: pino({ level: 'silent' }),
    out: new PassThrough().resume(),
  });
  const { directory } = app;
  await directory.ensureContact(UNIT);
  await directory.ensureMember(guestId(SECOND_CONTACT), 'unit_contact', UNIT, SECOND_CONTACT);
  const ID: Record<Person, string> = {
    organiser: 'UORGANISER',
    inspector: 'UINSPECTOR',
    contact: directory.contactId(UNIT),
    contact2: guestId(SECOND_CONTACT),
  };
  const AS: Record<Person, string> = {
    organiser: 'organiser',
    inspector: 'inspector',
    contact: UNIT,
    contact2: SECOND_CONTACT,
  };
  const PEOPLE = new Map(Object.entries(ID).map(([p, id]) => [id, p as Person]));
  const unitChannel = directory.unitChannel(UNIT);

  let current: Person = 'organiser';
  let seenSent = 0;
  let seenReplies = 0;
  /** Who each reply went to: the person at the console when it was said. */
  const replyTo: Person[] = [];
  const type = async (who: Person, line: string) => {
    if (who !== current) {
      await app.chat.handleLine(`/as ${AS[who]}`);
      current = who;
    }
    await app.chat.handleLine(line);
    while (replyTo.length < app.chat.replies.length) replyTo.push(who);
  };
  const delivered = (to: Delivered['to'], m: Message, updated: boolean): Delivered => {
    const words = messageWords(m);
    return {
      to,
      updated,
      text: normalise(words, PEOPLE),
      mentions: peopleOf(m.mentions, PEOPLE),
      buttons: messageButtons(m),
    };
  };

  return {
    platform: 'console',
    prisma: db.prisma,
    command: (who, text) => type(who, text),
    redeliverLast: null,
    press: (who, button) => type(who, `/press ${button.action} ${button.value}`),
    async fillForm(who, answers) {
      for (const a of answers) await type(who, a);
    },
    take() {
      const out: Delivered[] = [];
      for (const s of app.messenger.inner.sent.slice(seenSent)) {
        // a private message's (or its update's) target is the person; a post's, the channel
        const to = PEOPLE.get(s.target) ?? (s.target === unitChannel ? 'unit-group' : undefined);
        if (to) out.push(delivered(to, s.message, s.operation === 'updateMessage'));
      }
      seenSent = app.messenger.inner.sent.length;
      app.chat.replies.slice(seenReplies).forEach((m, i) => {
        out.push(delivered(replyTo[seenReplies + i]!, m, false));
      });
      seenReplies = app.chat.replies.length;
      return out;
    },
    close: () => db.drop(),
  };
}
