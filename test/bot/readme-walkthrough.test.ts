import { readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsoleApp, type ConsoleApp } from '../../bot/console/app.ts';
import { ConsoleClock } from '../../bot/console/clock.ts';
import { loadRulebook } from '../../rules/rulebook.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

// The README's console walkthrough ("A month at the console, from first finding to published
// 通报") is typed into a fresh demo console, prompt by prompt, and every line the README shows as
// an answer (each part between "…") must be in what the console answered to that command.

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const AS: Record<string, string> = { 督查员: '/as inspector', 考核办: '/as organiser', 市公安局联系人: '/as 市公安局' };

interface Step {
  who: string;
  command: string;
  expected: string[];
}

function walkthrough(): Step[] {
  const start = README.indexOf('### A month at the console');
  const block = README.slice(
    README.indexOf('```\n', start) + 4,
    README.indexOf('\n```', README.indexOf('```\n', start) + 4),
  );
  const steps: Step[] = [];
  for (const line of block.split('\n')) {
    const prompt = /^(\S+)> (.+)$/.exec(line);
    if (prompt) steps.push({ who: prompt[1]!, command: prompt[2]!.trim(), expected: [] });
    else
      steps.at(-1)?.expected.push(
        ...line
          .split('…')
          .map((part) => part.trim())
          .filter((part) => part.length > 1),
      );
  }
  return steps;
}

let db: TestDatabase;
let app: ConsoleApp;
let transcript = '';

beforeAll(async () => {
  db = await createTestDatabase();
  const out = new PassThrough();
  out.on('data', (c: Buffer) => (transcript += c.toString('utf8')));
  app = await createConsoleApp({
    prisma: db.prisma,
    rulebook: loadRulebook('hz-2017'),
    clock: new ConsoleClock(new Date('2017-10-09T10:00:00+08:00')),
    locale: 'zh-CN',
    logger: pino({ level: 'silent' }),
    out,
  });
  await app.loadDemo();
});
afterAll(async () => db?.drop());

describe('README: the console walkthrough of a month', () => {
  it('answers every command as the README shows', async () => {
    const steps = walkthrough();
    expect(steps.length).toBeGreaterThan(15);
    let who = '';
    for (const step of steps) {
      const as = AS[step.who];
      expect(as, `a prompt the walkthrough knows: ${step.who}`).toBeDefined();
      if (step.who !== who) await app.chat.handleLine(as!);
      who = step.who;
      const before = transcript.length;
      await app.chat.handleLine(step.command);
      await new Promise((r) => setImmediate(r));
      const answer = transcript.slice(before);
      for (const part of step.expected) expect(answer, `${step.command} → ${part}`).toContain(part);
    }
  });
});
