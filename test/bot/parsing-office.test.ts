import { describe, expect, it } from 'vitest';
import { officeKind, parseOfficeText } from '../../bot/parsing/office-text.ts';

// The typed forms of appeals and extension requests: syntax only (core says who may and when).
describe('parseOfficeText', () => {
  it('is null for anything that is not an office command, so filing and the other changes keep their words', () => {
    expect(parseOfficeText('市公安局 2.1.1a x2')).toBeNull();
    expect(officeKind('延期 #12 2017-10-20 理由')).toBeNull(); // still /finding deadline's
    expect(officeKind('撤销 #12 理由')).toBeNull();
  });

  it('reads an appeal with its reasons and evidence links, in either language', () => {
    expect(parseOfficeText('申诉 ＃12 窗口已撤并 https://example.org/a.pdf')).toEqual({
      ok: true,
      command: { kind: 'appeal', ref: '#12', reasons: '窗口已撤并', evidenceLinks: ['https://example.org/a.pdf'] },
    });
    expect(parseOfficeText('appeal 12 not ours')).toMatchObject({
      ok: true,
      command: { ref: '#12', reasons: 'not ours' },
    });
    expect(parseOfficeText('appeal #12 https://example.org/a.pdf')).toMatchObject({
      ok: false,
      issue: { problem: 'missing_reason' },
    });
  });

  it('reads the three rulings and the reduction in count, value or level', () => {
    expect(parseOfficeText('复核 #12 维持 依据充分')).toMatchObject({
      command: { outcome: 'upheld', ruling: '依据充分' },
    });
    expect(parseOfficeText('rule #12 withdraw wrong unit')).toMatchObject({ command: { outcome: 'withdrawn' } });
    expect(parseOfficeText('rule #12 reduce x1 one was online')).toMatchObject({
      command: { outcome: 'reduced', count: 1, ruling: 'one was online' },
    });
    expect(parseOfficeText('复核 #12 核减 =85.5 level=B 复测')).toMatchObject({
      command: { outcome: 'reduced', value: 85.5, level: 'B', ruling: '复测' },
    });
    expect(parseOfficeText('rule #12 reduce because')).toMatchObject({
      ok: false,
      issue: { problem: 'missing_reduction' },
    });
    expect(parseOfficeText('rule #12 maybe x')).toMatchObject({
      ok: false,
      issue: { problem: 'missing_outcome', value: 'maybe' },
    });
  });

  it('reads extension requests and decisions', () => {
    expect(parseOfficeText('申请延期 #12 2017-10-20 设备未到')).toEqual({
      ok: true,
      command: { kind: 'extend', ref: '#12', deadline: '2017-10-20', reason: '设备未到' },
    });
    expect(parseOfficeText('extend #12 2017-02-30 x')).toMatchObject({ ok: false, issue: { problem: 'bad_deadline' } });
    expect(parseOfficeText('extend #12 soon please')).toMatchObject({
      ok: false,
      issue: { problem: 'missing_deadline' },
    });
    expect(parseOfficeText('延期审批 #12 同意 2017-10-20')).toEqual({
      ok: true,
      command: { kind: 'extension', ref: '#12', decision: 'approve', deadline: '2017-10-20' },
    });
    expect(parseOfficeText('extension #12 refuse no reason given')).toMatchObject({
      command: { decision: 'refuse', reason: 'no reason given' },
    });
    expect(parseOfficeText('extension #12 refuse')).toMatchObject({ ok: false, issue: { problem: 'missing_reason' } });
    expect(parseOfficeText('extension #12 perhaps')).toMatchObject({
      ok: false,
      issue: { problem: 'missing_decision' },
    });
    expect(parseOfficeText('reopen')).toMatchObject({ ok: false, issue: { kind: 'reopen', problem: 'missing_ref' } });
    expect(parseOfficeText('reopen abc x')).toMatchObject({ ok: false, issue: { problem: 'bad_ref', value: 'abc' } });
  });
});
