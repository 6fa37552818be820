import { describe, expect, it } from 'vitest';
import { loadRulebook } from '../../rules/rulebook.ts';
import { LOCALES } from '../../core/i18n/locale.ts';
import { AppError } from '../../core/errors.ts';
import {
  draftFromState,
  findingModalView,
  modalErrorsFor,
  readFindingModal,
  readModalMeta,
  unitOptions,
  FINDING_FORM_ACTION as A,
} from '../../bot/slack/views/finding-modal.ts';
import { stateValue, type StateValues } from '../support/slack-requests.ts';

// The /finding form as Block Kit, without Slack: limits, pre-filling, reading and error placement.

const rb = loadRulebook('hz-2017');
const opts = { today: '2017-06-15', channelId: 'C0TYPED' };

function texts(node: unknown, key: string, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const n of node) texts(n, key, out);
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === key && v && typeof v === 'object' && typeof (v as { text?: unknown }).text === 'string')
        out.push((v as { text: string }).text);
      texts(v, key, out);
    }
  }
  return out;
}

describe('finding form', () => {
  it.each(LOCALES)('stays within Block Kit limits for every clause (%s)', (locale) => {
    for (const clause of [undefined, ...rb.data.clauses.map((c) => c.id)]) {
      const view = findingModalView(rb, locale, clause ? { clause, unit: '市公安局' } : {}, opts);
      expect(view.blocks.length).toBeLessThanOrEqual(100);
      expect([...view.title.text].length).toBeLessThanOrEqual(24);
      for (const label of texts(view, 'label')) expect([...label].length).toBeLessThanOrEqual(75);
      const options = JSON.parse(JSON.stringify(view.blocks)).flatMap((b: any) => [
        ...(b.element?.options ?? []),
        ...(b.element?.option_groups ?? []).flatMap((g: any) => g.options),
      ]);
      for (const o of options) {
        expect([...o.text.text].length).toBeLessThanOrEqual(75);
        if (o.description) expect([...o.description.text].length).toBeLessThanOrEqual(75);
        expect(o.value.length).toBeLessThanOrEqual(150);
      }
      expect(view.private_metadata!.length).toBeLessThanOrEqual(3000);
    }
  });

  it('the clause’s fields: count for per-item, value for thresholds, levels for tiered, none for flat', () => {
    const ids = (clause: string) =>
      findingModalView(rb, 'zh-CN', { clause }, opts)
        .blocks.map((b) => b.block_id)
        .filter(Boolean);
    expect(ids('2.1.1a')).toEqual(['unit', 'clause', 'count', 'source', 'date', 'deadline', 'evidence', 'links']);
    expect(ids('1.1.1a')).toEqual(['unit', 'clause', 'value', 'source', 'date', 'evidence', 'links']);
    expect(ids('4.2.1b')).toEqual(['unit', 'clause', 'count', 'level', 'source', 'date', 'evidence', 'links']);
    expect(ids('6.1.1a')).toEqual(['unit', 'clause', 'level', 'source', 'date', 'evidence', 'links']);
    expect(ids('2.2.1b')).toEqual(['unit', 'clause', 'source', 'date', 'deadline', 'evidence', 'links']);
  });

  it('keeps the command’s count, value and level in the metadata until a clause shows them', () => {
    const view = findingModalView(rb, 'zh-CN', { unit: '市公安局', count: 3 }, opts);
    expect(readModalMeta(view)).toEqual({ channel: 'C0TYPED', prefill: { count: 3 } });
    expect(readModalMeta({ private_metadata: 'not json' })).toEqual({ channel: null });
  });

  it('unit search: canonical names, aliases (shown beside the name), exact matches first', () => {
    expect(unitOptions(rb, 'zh-CN', '市地震局').map((o) => o.text.text)).toEqual(['市科委（市地震局）']);
    expect(unitOptions(rb, 'en', '地震').map((o) => o.text.text)).toEqual(['市科委 (市地震局)']);
    const tax = unitOptions(rb, 'zh-CN', '税');
    expect(tax.map((o) => o.value)).toEqual(['市财政局', '市国税局']);
    expect(unitOptions(rb, 'zh-CN', '市跑改办')).toEqual([]); // organisers are not assessed
    expect(unitOptions(rb, 'zh-CN', '')).toHaveLength(59);
  });

  it('reads a good form into a draft, dropping fields the clause does not take', () => {
    const values: StateValues = {
      unit: { [A.unit]: stateValue.externalSelect('市公安局') },
      clause: { [A.clause]: stateValue.staticSelect('2.2.1b') },
      count: { [A.count]: stateValue.number('4') }, // left over from another clause
      source: { [A.source]: stateValue.staticSelect('municipal_inspection') },
      date: { [A.date]: stateValue.date('2017-06-01') },
      deadline: { [A.deadline]: stateValue.date('2017-06-30') },
      evidence: { [A.evidence]: stateValue.text('  没有按期抽查  ') },
      links: { [A.links]: stateValue.text(null) },
    };
    const view = findingModalView(rb, 'zh-CN', { clause: '2.2.1b' }, opts);
    expect(readFindingModal(rb, 'zh-CN', { blocks: view.blocks as never, state: { values } })).toEqual({
      ok: true,
      draft: {
        unit: '市公安局',
        clause: '2.2.1b',
        source: 'municipal_inspection',
        date: '2017-06-01',
        deadline: '2017-06-30',
        evidenceText: '没有按期抽查',
      },
    });
    expect(draftFromState(rb, values)).toMatchObject({ unit: '市公安局', count: 4 });
  });

  it('a required field of the clause that the form does not show yet is reported on the clause', () => {
    const view = findingModalView(rb, 'en', {}, opts); // no value block yet
    const values: StateValues = {
      unit: { [A.unit]: stateValue.externalSelect('市科委') },
      clause: { [A.clause]: stateValue.staticSelect('1.1.1a') },
      date: { [A.date]: stateValue.date('2017-06-01') },
    };
    expect(readFindingModal(rb, 'en', { blocks: view.blocks as never, state: { values } })).toEqual({
      ok: false,
      errors: { clause: 'Please fill in Measured value.' },
    });
  });

  it('core’s errors go on the field they name; links and details map to their blocks', () => {
    const view = findingModalView(rb, 'zh-CN', { clause: '2.1.1a' }, opts) as never;
    expect(
      Object.keys(
        modalErrorsFor(
          view,
          'zh-CN',
          new AppError('FINDING.COUNT_OUT_OF_RANGE', 'x', { field: 'count', params: { min: 1, max: 10000, value: 0 } }),
        ),
      ),
    ).toEqual(['count']);
    expect(
      Object.keys(
        modalErrorsFor(
          view,
          'zh-CN',
          new AppError('FINDING.BAD_FIELD', 'x', { field: 'evidenceLinks.0', params: { detail: 'x' } }),
        ),
      ),
    ).toEqual(['links']);
    expect(
      Object.keys(
        modalErrorsFor(
          view,
          'zh-CN',
          new AppError('FINDING.VALUE_NOT_ALLOWED', 'x', { field: 'value', params: { clause: '2.1.1a' } }),
        ),
      ),
    ).toEqual(['clause']);
    expect(
      Object.keys(
        modalErrorsFor(view, 'zh-CN', new AppError('AUTH.FORBIDDEN', 'x', { params: { action: 'finding.file' } })),
      ),
    ).toEqual(['unit']);
  });
});
