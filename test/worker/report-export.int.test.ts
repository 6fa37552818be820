import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleMessenger } from '../../adapters/messenger/console/console-messenger.adapter.ts';
import { BullReportJobs } from '../../adapters/queue/report-jobs.adapter.ts';
import type { ReportJob } from '../../core/ports/report-jobs.port.ts';
import { createWorkerFixture, ORG_CHANNEL, type WorkerFixture } from './support/worker-fixture.ts';
import { loadRulebookYears } from '../../rules/rulebook-years.ts';

// /kaoping export through the worker: the bot only enqueues (the command is answered at once),
// the worker makes the workbook as the person who asked and sends it to their chat; a request
// delivered twice makes one file; a person without the right gets a refusal, no file.

describe('report jobs in the worker', () => {
  let wf: WorkerFixture;
  let messenger: ConsoleMessenger;
  let dir: string;
  let jobs: BullReportJobs;

  beforeAll(async () => {
    // both assessment years, as a deployment holds them at the turn of the year (rules/rulebook-years.ts)
    wf = await createWorkerFixture('report-export', {
      now: '2017-10-09T10:00:00+08:00',
      rulebooks: loadRulebookYears('hz-2017'),
    });
    dir = mkdtempSync(join(tmpdir(), 'kaoping-report-'));
    messenger = new ConsoleMessenger({ filesDir: dir });
    await wf.start(messenger, { bulletinDocuments: true });
    const filed = await wf.bot.findings.file(wf.inspector, {
      unit: '市公安局',
      clause: '2.1.1a',
      date: '2017-09-05',
      count: 2,
      idempotencyKey: 'r-1',
      channel: 'test',
    });
    if (!filed.ok) throw filed.error;
    await wf.member('contact-1', 'unit_contact', '市公安局');
    jobs = new BullReportJobs(wf.queues, wf.bot);
  });
  afterAll(async () => {
    await wf?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const request = (userId: string, requestKey: string, over: Partial<ReportJob> = {}): ReportJob => ({
    kind: 'export',
    period: '2017-09',
    format: 'xlsx',
    platform: 'console',
    userId,
    requestKey,
    ...over,
  });

  it('an organiser’s export arrives as a workbook in their chat, once for a request sent twice', async () => {
    await jobs.enqueue(request('org-1', 'req-1'));
    await jobs.enqueue(request('org-1', 'req-1'));
    await wf.settle({ timeoutMs: 60_000 });
    const files = messenger.files.filter((f) => f.target === 'org-1');
    expect(files.map((f) => f.filename)).toEqual(['考评结果-2017-09.xlsx']);
    expect(files[0]!.kind).toBe('private');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync(files[0]!.path) as unknown as ArrayBuffer);
    const findings = wb.getWorksheet('考评事项')!;
    expect(findings.getRow(2).getCell(3).value).toBe('市公安局');
  });

  it('CSV on request: one file per table', async () => {
    await jobs.enqueue(request('insp-1', 'req-2', { format: 'csv' }));
    await wf.settle({ timeoutMs: 60_000 });
    const names = messenger.files.filter((f) => f.target === 'insp-1').map((f) => f.filename);
    expect(names).toContain('考评结果-2017-09-考评事项.csv');
    expect(names.every((n) => n.endsWith('.csv'))).toBe(true);
  });

  it('a unit contact is refused in words and gets no file', async () => {
    await jobs.enqueue(request('contact-1', 'req-3'));
    await wf.settle({ timeoutMs: 60_000 });
    expect(messenger.files.filter((f) => f.target === 'contact-1')).toEqual([]);
    const told = messenger.sent.filter((s) => s.target === 'contact-1').map((s) => s.message.text);
    expect(told.join('\n')).toContain('导出考评结果和事项');
  });

  it('in January a 2017 period is still exported, from the 2017 year (the job is the period’s year, not today’s)', async () => {
    wf.at('2018-01-03');
    const before = messenger.files.length;
    try {
      await jobs.enqueue(request('org-1', 'req-jan', { period: '2017-09' }));
      await wf.settle({ timeoutMs: 60_000 });
      expect(messenger.files.slice(before).map((f) => [f.target, f.filename])).toEqual([
        ['org-1', '考评结果-2017-09.xlsx'],
      ]);
    } finally {
      wf.at('2017-10-09');
    }
  });

  it('publishing a month puts the 通报 document and its charts in the organisers’ channel, once', async () => {
    await wf.bind([]);
    expect((await wf.bot.months.setState(wf.organiser, { month: '2017-09', state: 'closed' })).ok).toBe(true);
    expect((await wf.bot.months.publish(wf.organiser, { period: '2017-09', announceTies: true })).ok).toBe(true);
    await wf.settle({ timeoutMs: 90_000 });
    const files = messenger.files.filter((f) => f.target === ORG_CHANNEL).map((f) => f.filename);
    expect(files).toEqual([
      '考评通报-2017-09.docx',
      '考评通报-2017-09-with_matters.png',
      '考评通报-2017-09-without_matters.png',
    ]);
  });

  it('a file over the platform’s limit is explained to the person instead', async () => {
    const small = new ConsoleMessenger({ filesDir: dir, maxFileBytes: 100 });
    await wf.close();
    wf = await createWorkerFixture('report-export-2', { now: '2017-10-09T10:00:00+08:00' });
    await wf.start(small);
    await new BullReportJobs(wf.queues, wf.bot).enqueue(request('org-1', 'req-4'));
    await wf.settle({ timeoutMs: 60_000 });
    expect(small.files).toEqual([]);
    const told = small.sent.filter((s) => s.target === 'org-1').map((s) => s.message.text);
    expect(told.join('\n')).toContain('文件“考评结果-2017-09.xlsx”超过了本平台允许的大小，没有发送。');
  });
});
