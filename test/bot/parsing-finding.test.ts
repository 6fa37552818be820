import { describe, expect, it } from 'vitest';
import { loadRulebook } from '../../rules/rulebook.ts';
import { parseFindingText, resolveLevel, resolveSource } from '../../bot/parsing/finding-text.ts';
import { parseChannelRef, parseLinkToken, parseUserRef, tokenize } from '../../bot/parsing/command-tokens.ts';
import { findingFieldsSchema, splitLinks } from '../../bot/parsing/finding-fields.schema.ts';

const rb = loadRulebook('hz-2017');
const parse = (text: string) => parseFindingText(rb, text);

describe('/finding quick form', () => {
  it('reads the example of the issue: unit, clause, count, source, evidence text and link', () => {
    expect(parse('市公安局 2.1.1a x3 省督查 网上受理未覆盖 https://evidence.example/a?b=1&c=2')).toEqual({
      kind: 'complete',
      draft: {
        unit: '市公安局',
        clause: '2.1.1a',
        count: 3,
        source: 'provincial_inspection',
        evidenceText: '网上受理未覆盖',
        evidenceLinks: ['https://evidence.example/a?b=1&c=2'],
      },
    });
  });

  it('resolves aliases to the canonical unit and accepts words in any order', () => {
    const r = parse('2.1.1a 市地震局 市督查 count=2');
    expect(r).toMatchObject({
      kind: 'complete',
      draft: { unit: '市科委', clause: '2.1.1a', count: 2, source: 'municipal_inspection' },
    });
  });

  it.each([
    ['x3', 3],
    ['×3', 3],
    ['X4', 4],
    ['*5', 5],
    ['count=6', 6],
    ['数量=7', 7],
    ['８项', 8],
    ['ｘ9', 9],
  ])('count %s → %i', (word, count) => {
    expect(parse(`市公安局 2.1.1a ${word}`)).toMatchObject({ kind: 'complete', draft: { count } });
  });

  it('threshold value as value=82.4 or 82.4%', () => {
    expect(parse('市科委 1.1.1a value=82.4')).toMatchObject({
      kind: 'complete',
      draft: { unit: '市科委', clause: '1.1.1a', value: 82.4 },
    });
    expect(parse('市科委 1.1.1a 82.4%')).toMatchObject({ kind: 'complete', draft: { value: 82.4 } });
  });

  it.each([
    ['4.2.1b', 'lead', 'lead'],
    ['4.2.1b', '牵头', 'lead'],
    ['4.2.1b', '配合单位', 'support'],
    ['6.1.1a', 'province', 'province'],
    ['6.1.1a', '省级', 'province'],
    ['6.1.1a', '全国', 'national'],
    ['6.1.1a', 'level=city', 'city'],
    ['5.1.1a', '参与', 'participated'],
    ['5.1.1a', 'strong', 'strong'],
    ['5.1.1a', '发动有力、质量高', 'strong'],
  ])('level of %s: %s → %s', (clause, word, level) => {
    expect(parse(`市公安局 ${clause} ${word}`)).toMatchObject({ kind: 'complete', draft: { clause, level } });
  });

  it('level words are only levels for tiered clauses; elsewhere they are evidence', () => {
    expect(parse('市公安局 2.1.1a 省级')).toMatchObject({ kind: 'complete', draft: { evidenceText: '省级' } });
  });

  it.each([
    ['省督查', 'provincial_inspection'],
    ['provincial', 'provincial_inspection'],
    ['市级督查', 'municipal_inspection'],
    ['Municipal', 'municipal_inspection'],
    ['source=routine', 'routine'],
    ['来源=省督查', 'provincial_inspection'],
  ])('source %s → %s', (word, source) => {
    expect(parse(`市公安局 2.1.1a ${word}`)).toMatchObject({ kind: 'complete', draft: { source } });
  });

  it('no source word leaves the source to core (routine by default)', () => {
    const r = parse('市公安局 2.1.1a');
    expect(r).toEqual({ kind: 'complete', draft: { unit: '市公安局', clause: '2.1.1a' } });
  });

  it('date and deadline', () => {
    expect(parse('市公安局 2.1.1a date=2017-06-01 deadline=2017-06-30')).toMatchObject({
      kind: 'complete',
      draft: { date: '2017-06-01', deadline: '2017-06-30' },
    });
    expect(parse('市公安局 2.1.1a 日期=2017-06-01 整改期限=2017-06-30')).toMatchObject({
      kind: 'complete',
      draft: { date: '2017-06-01', deadline: '2017-06-30' },
    });
  });

  it('Slack-escaped links (with and without label) and several links', () => {
    const r = parse('市公安局 2.1.1a <https://a.example/1|照片> 说明 <https://b.example/2> http://c.example/3');
    expect(r).toMatchObject({
      kind: 'complete',
      draft: {
        evidenceText: '说明',
        evidenceLinks: ['https://a.example/1', 'https://b.example/2', 'http://c.example/3'],
      },
    });
  });

  it('full-width spaces separate words', () => {
    expect(parse('市公安局\u30002.1.1a\u3000x2')).toMatchObject({
      kind: 'complete',
      draft: { unit: '市公安局', count: 2 },
    });
  });

  it('an organiser is passed on by name for core to refuse', () => {
    expect(parse('市跑改办 2.1.1a')).toMatchObject({ kind: 'complete', draft: { unit: '市跑改办' } });
  });

  describe('partial commands open the form', () => {
    it.each([
      ['', ['unit', 'clause']],
      ['市公安局', ['clause']],
      ['2.1.1a', ['unit']],
      ['市科委 1.1.1a', ['value']],
      ['市科委 6.1.1a', ['level']],
      ['市公安局 x3 省督查', ['clause']],
    ])('%j → missing %j', (text, missing) => {
      const r = parse(text);
      expect(r.kind).toBe('partial');
      if (r.kind === 'partial') expect(r.missing).toEqual(missing);
    });

    it('keeps what was given for the form', () => {
      expect(parse('市地震局 x3 省督查 说明文字')).toEqual({
        kind: 'partial',
        missing: ['clause'],
        draft: { unit: '市科委', count: 3, source: 'provincial_inspection', evidenceText: '说明文字' },
      });
    });
  });

  it('help', () => {
    expect(parse('help')).toEqual({ kind: 'help' });
    expect(parse(' 帮助 ')).toEqual({ kind: 'help' });
  });

  describe('errors say what was wrong', () => {
    it.each([
      ['公安 2.1.1a x3', 'unit', 'unknown_unit', '公安'],
      ['unit=市不存在局 2.1.1a', 'unit', 'unknown_unit', '市不存在局'],
      ['市公安局 9.9.9z', 'clause', 'unknown_clause', '9.9.9z'],
      ['市公安局 clause=2.1 x1', 'clause', 'unknown_clause', '2.1'],
      ['市公安局 2.1.1a x0', 'count', 'bad_count', '0'],
      ['市公安局 2.1.1a x2.5', 'count', 'bad_count', '2.5'],
      ['市公安局 2.1.1a count=abc', 'count', 'bad_count', 'abc'],
      ['市科委 1.1.1a value=abc', 'value', 'bad_value', 'abc'],
      ['市科委 1.1.1a value=120', 'value', 'bad_value', '120'],
      ['市公安局 2.1.1a date=2017-02-30', 'date', 'bad_date', '2017-02-30'],
      ['市公安局 2.1.1a deadline=tomorrow', 'deadline', 'bad_date', 'tomorrow'],
      ['市公安局 2.1.1a source=somewhere', 'source', 'unknown_source', 'somewhere'],
      ['市公安局 2.1.1a x2 x3', 'count', 'conflict', 'x2 / x3'],
      // what was typed is quoted, never the source's code (provincial_inspection)
      ['市公安局 2.1.1a 省督查 市督查', 'source', 'conflict', '省督查 / 市督查'],
    ])('%j → %s %s', (text, field, problem, value) => {
      const r = parse(text);
      expect(r.kind).toBe('invalid');
      if (r.kind === 'invalid') expect(r.issues).toContainEqual(expect.objectContaining({ field, problem, value }));
    });

    it.each([
      ['市公按局 2.1.1a x3', 'unit', ['市公安局']],
      ['unit=市公按局 2.1.1a', 'unit', ['市公安局']],
      ['市公安局 2.1.1', 'clause', ['2.1.1a']],
      ['市公安局 2.1.1z', 'clause', ['2.1.1a']],
    ])('%j: an unknown %s comes with the closest names (did you mean)', (text, field, expected) => {
      const r = parse(text);
      expect(r.kind).toBe('invalid');
      if (r.kind === 'invalid')
        expect(r.issues.find((i) => i.field === field)?.suggestions?.slice(0, expected.length)).toEqual(expected);
    });

    it('value=96.5% is the percentage 96.5, as 96.5% and value=96.5 are', () => {
      for (const text of ['市科委 1.1.1a value=96.5%', '市科委 1.1.1a 96.5%', '市科委 1.1.1a value=96.5'])
        expect(parse(text)).toMatchObject({ kind: 'complete', draft: { value: 96.5 } });
    });

    it('a link that is not http(s) stays evidence text', () => {
      expect(parse('市公安局 2.1.1a <mailto:a@b.cn|a@b.cn>')).toMatchObject({
        kind: 'complete',
        draft: { evidenceText: 'a@b.cn' },
      });
    });
  });
});

describe('level and source words', () => {
  it('resolveLevel only knows the clause’s own levels', () => {
    expect(resolveLevel(rb.clauses.get('6.1.1a')!, '牵头')).toBeUndefined();
    expect(resolveLevel(rb.clauses.get('4.2.1b')!, 'LEAD')).toBe('lead');
    expect(resolveLevel(rb.clauses.get('2.1.1a')!, 'lead')).toBeUndefined();
  });
  it('resolveSource', () => {
    expect(resolveSource(rb, '省督查')).toBe('provincial_inspection');
    expect(resolveSource(rb, 'ROUTINE')).toBe('routine');
    expect(resolveSource(rb, '随便')).toBeUndefined();
  });
});

describe('tokens and Slack escapes', () => {
  it('keeps escapes with spaces in their label together', () => {
    expect(tokenize('a <https://x.example|two words> b').map((t) => t.raw)).toEqual([
      'a',
      '<https://x.example|two words>',
      'b',
    ]);
  });
  it('user, channel and link refs', () => {
    expect(parseUserRef('<@U024BE7LH|bob>')).toEqual({ id: 'U024BE7LH', name: 'bob' });
    expect(parseUserRef('<@W024BE7LH>')).toEqual({ id: 'W024BE7LH' });
    expect(parseUserRef('U024BE7LH')).toEqual({ id: 'U024BE7LH' });
    expect(parseUserRef('@bob')).toBeNull();
    expect(parseChannelRef('<#C024BE7LR|general>')).toEqual({ id: 'C024BE7LR', name: 'general' });
    expect(parseChannelRef('<#C024BE7LR>')).toEqual({ id: 'C024BE7LR' });
    expect(parseChannelRef('#general')).toBeNull();
    expect(parseLinkToken('<https://a.example/x?a=1&amp;b=2|x>')).toBe('https://a.example/x?a=1&b=2');
    expect(parseLinkToken('ftp://a.example')).toBeNull();
  });
});

describe('form fields schema (shared by the modal)', () => {
  const schema = findingFieldsSchema(rb);
  it('types the values', () => {
    expect(schema.parse({ count: '3', value: '82.4', date: '2017-06-01', links: ['https://a.example'] })).toEqual({
      count: 3,
      value: 82.4,
      date: '2017-06-01',
      links: ['https://a.example'],
    });
  });
  it('refuses what is wrong, per field', () => {
    const r = schema.safeParse({ count: '0', links: ['javascript:alert(1)'] });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['count', 'bad_count'],
      ['links.0', 'bad_link'],
    ]);
  });
  it('splitLinks', () => {
    expect(splitLinks('https://a.example\nhttps://b.example, https://c.example')).toEqual([
      'https://a.example',
      'https://b.example',
      'https://c.example',
    ]);
    expect(splitLinks(null)).toEqual([]);
  });
});
