import { describe, expect, it } from 'vitest';
import {
  parsePressCommand,
  pressCommand,
  renderConsoleText,
} from '../../adapters/messenger/console/console-text.renderer.ts';
import {
  dingTalkPressUrl,
  renderDingTalkMessage,
} from '../../adapters/messenger/dingtalk/dingtalk-markdown.renderer.ts';
import {
  escapeMrkdwn,
  inlineToMrkdwn,
  renderBlocks,
  renderSlackHomeView,
  renderSlackMessage,
  SLACK_LIMITS,
} from '../../adapters/messenger/slack/block-kit.renderer.ts';
import {
  actions,
  bold,
  button,
  context,
  divider,
  field,
  fields,
  header,
  inlines,
  link,
  list,
  mention,
  message,
  paragraph,
  type Block,
} from '../../core/messages/message.ts';

const sample = () =>
  message([
    header('考评事项通知：市公安局'),
    paragraph('督查员 ', mention('U0INSPECT'), ' 记录了一条扣分事项。请', mention('U0CONTACT'), '在期限前整改。'),
    fields(
      field('事项编号', bold('F-2024-0007')),
      field('条款', '2.1.1a'),
      field('整改期限', '2024-05-10（还剩 3 个工作日）'),
    ),
    list([link('https://example.gov.cn/evidence/1?a=1&b=2', '证据 1'), 'x < y & z']),
    divider(),
    context('系统自动发送'),
    actions(
      button('提交整改', 'finding.submit_rectification', 'F-2024-0007', 'primary'),
      button('撤销', 'finding.withdraw', 'F-2024-0007', 'danger'),
    ),
  ]);

describe('Slack Block Kit renderer', () => {
  it('renders every block type', () => {
    const { text, blocks } = renderSlackMessage(sample());
    expect(text).toBe('考评事项通知：市公安局\n督查员 <@U0INSPECT> 记录了一条扣分事项。请<@U0CONTACT>在期限前整改。');
    expect(blocks).toEqual([
      { type: 'header', text: { type: 'plain_text', text: '考评事项通知：市公安局', emoji: true } },
      {
        type: 'section',
        text: { type: 'mrkdwn', text: '督查员 <@U0INSPECT> 记录了一条扣分事项。请<@U0CONTACT>在期限前整改。' },
      },
      {
        type: 'section',
        fields: [
          { type: 'mrkdwn', text: '*事项编号*\n*F-2024-0007*' },
          { type: 'mrkdwn', text: '*条款*\n2.1.1a' },
          { type: 'mrkdwn', text: '*整改期限*\n2024-05-10（还剩 3 个工作日）' },
        ],
      },
      {
        type: 'section',
        text: { type: 'mrkdwn', text: '• <https://example.gov.cn/evidence/1?a=1&amp;b=2|证据 1>\n• x &lt; y &amp; z' },
      },
      { type: 'divider' },
      { type: 'context', elements: [{ type: 'mrkdwn', text: '系统自动发送' }] },
      {
        type: 'actions',
        elements: [
          {
            type: 'button',
            action_id: 'finding.submit_rectification',
            text: { type: 'plain_text', text: '提交整改', emoji: true },
            value: 'F-2024-0007',
            style: 'primary',
          },
          {
            type: 'button',
            action_id: 'finding.withdraw',
            text: { type: 'plain_text', text: '撤销', emoji: true },
            value: 'F-2024-0007',
            style: 'danger',
          },
        ],
      },
    ]);
  });

  it('escapes &, < and > in text, bold text, link labels and the fallback', () => {
    expect(escapeMrkdwn('<@U1> & <!channel>')).toBe('&lt;@U1&gt; &amp; &lt;!channel&gt;');
    expect(inlineToMrkdwn(inlines(['a<b ', bold('c&d'), ' ', link('https://x.test/?q=<1>|2', 'e>f')]))).toBe(
      'a&lt;b *c&amp;d* <https://x.test/?q=%3C1%3E%7C2|e&gt;f>',
    );
    expect(renderSlackMessage(message([paragraph('<!here> hi')])).text).toBe('&lt;!here&gt; hi');
    // only the message's own mentions become Slack mentions in the fallback
    expect(renderSlackMessage(message([paragraph('mail a@U1 or @U2 and ', mention('U1'), ' / @U12')], {})).text).toBe(
      'mail a@U1 or @U2 and <@U1> / @U12',
    );
  });

  it('keeps bold working next to Chinese text and full-width punctuation', () => {
    expect(inlineToMrkdwn(inlines(['请', bold('市公安局'), '整改'])).toString()).toBe('请 *市公安局* 整改');
    expect(inlineToMrkdwn(inlines(['状态：', bold('已销号'), '。']))).toBe('状态： *已销号* 。');
    expect(inlineToMrkdwn(inlines(['Status: ', bold('closed'), '.']))).toBe('Status: *closed*.');
    expect(inlineToMrkdwn(inlines([bold('  padded  '), ' x']))).toBe('*padded* x');
    expect(inlineToMrkdwn(inlines([bold('2*3')]))).toBe('*2∗3*');
  });

  it('renders a bare link as <url> and a mention as <@id>', () => {
    expect(inlineToMrkdwn([link('https://a.test/x'), mention('W123')])).toBe('<https://a.test/x><@W123>');
  });

  it('splits fields into sections of at most 10', () => {
    const many = fields(...Array.from({ length: 23 }, (_, i) => field(`L${i}`, `V${i}`)));
    const out = renderBlocks([many]);
    expect(out.map((b) => (b.type === 'section' ? b.fields?.length : 0))).toEqual([10, 10, 3]);
  });

  it('splits long paragraphs at line breaks to stay within 3000 characters per section', () => {
    const line = '问'.repeat(1000);
    const out = renderBlocks([paragraph([line, line, line, line].join('\n'))]);
    expect(out.length).toBe(2);
    for (const b of out)
      expect(b.type === 'section' && b.text!.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
    expect(out.map((b) => (b.type === 'section' ? b.text!.text : '')).join('\n')).toBe(
      [line, line, line, line].join('\n'),
    );
  });

  it('truncates a long header and long button labels', () => {
    const [h] = renderBlocks([header('长'.repeat(200))]);
    expect(h).toMatchObject({ type: 'header' });
    const headerText = h!.type === 'header' ? h!.text.text : '';
    expect([...headerText]).toHaveLength(150);
    expect(headerText.endsWith('…')).toBe(true);
    const [a] = renderBlocks([actions(button('按'.repeat(100), 'a', 'v'))]);
    expect(a!.type === 'actions' && (a!.elements[0] as { text: { text: string } }).text.text.length).toBe(75);
  });

  it('splits more than 25 buttons over several actions blocks', () => {
    const out = renderBlocks([actions(...Array.from({ length: 30 }, (_, i) => button(`B${i}`, `a${i}`, `${i}`)))]);
    expect(out.map((b) => (b.type === 'actions' ? b.elements.length : 0))).toEqual([25, 5]);
  });

  it('refuses a button value Slack would reject', () => {
    expect(() => renderBlocks([actions(button('x', 'a', 'v'.repeat(2001)))])).toThrow(/2000/);
  });

  it('cuts a message to 50 blocks, saying how many were left out; home views take 100', () => {
    const blocks: Block[] = Array.from({ length: 60 }, (_, i) => paragraph(`p${i}`));
    const out = renderSlackMessage(message(blocks)).blocks;
    expect(out).toHaveLength(50);
    expect(out[49]).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: '⋯ +11' }] });
    expect(renderSlackHomeView(message(blocks)).blocks).toHaveLength(60);
  });
});

describe('console renderer', () => {
  it('renders readable text with pressable buttons', () => {
    expect(
      renderConsoleText(sample(), {
        userName: (id) => ({ U0INSPECT: '王督查', U0CONTACT: '李联络' })[id] ?? id,
        width: 10,
      }),
    ).toBe(
      [
        '== 考评事项通知：市公安局 ==',
        '督查员 @王督查 记录了一条扣分事项。请@李联络在期限前整改。',
        '事项编号: F-2024-0007',
        '条款: 2.1.1a',
        '整改期限: 2024-05-10（还剩 3 个工作日）',
        '  • 证据 1 <https://example.gov.cn/evidence/1?a=1&b=2>',
        '  • x < y & z',
        '──────────',
        '系统自动发送',
        '[提交整改] (/press finding.submit_rectification F-2024-0007)',
        '[撤销] (/press finding.withdraw F-2024-0007)',
      ].join('\n'),
    );
  });

  it('uses ANSI bold only when asked', () => {
    expect(renderConsoleText(message([paragraph('a ', bold('b'))]), { ansi: true })).toBe('a \x1b[1mb\x1b[0m');
  });

  it('parses what a button prints', () => {
    const b = button('销号', 'finding.verify', 'F-2024-0007');
    expect(parsePressCommand(pressCommand(b))).toEqual({ actionId: 'finding.verify', value: 'F-2024-0007' });
    expect(parsePressCommand('  /press unit.view 市公安局 分局  ')).toEqual({
      actionId: 'unit.view',
      value: '市公安局 分局',
    });
    expect(parsePressCommand('/press')).toBeNull();
    expect(parsePressCommand('hello')).toBeNull();
  });
});

describe('DingTalk renderer', () => {
  it('sends a message with mentions as markdown with at.atUserIds and @id in the text; buttons become links', () => {
    const out = renderDingTalkMessage(sample());
    expect(out.msgtype).toBe('markdown');
    if (out.msgtype !== 'markdown') return;
    expect(out.at).toEqual({ atUserIds: ['U0INSPECT', 'U0CONTACT'], isAtAll: false });
    expect(out.markdown.title).toBe('考评事项通知：市公安局');
    expect(out.markdown.text).toContain('### 考评事项通知：市公安局');
    expect(out.markdown.text).toContain('@U0INSPECT');
    expect(out.markdown.text).toContain('- **事项编号**：**F-2024-0007**');
    expect(out.markdown.text).toContain('[证据 1](https://example.gov.cn/evidence/1?a=1&b=2)');
    expect(out.markdown.text).toContain(
      `[提交整改](${dingTalkPressUrl({ actionId: 'finding.submit_rectification', value: 'F-2024-0007' })})`,
    );
  });

  it('sends a message with buttons and no mentions as an actionCard', () => {
    const out = renderDingTalkMessage(
      message([
        header('整改待核验'),
        paragraph('请核验。'),
        actions(button('核验通过', 'finding.verify', 'F-1', 'primary'), button('退回', 'finding.reject', 'F-1')),
      ]),
    );
    expect(out).toEqual({
      msgtype: 'actionCard',
      actionCard: {
        title: '整改待核验',
        text: '### 整改待核验\n\n请核验。',
        btnOrientation: '1',
        btns: [
          { title: '核验通过', actionURL: 'dtmd://dingtalkclient/sendMessage?content=%2Fpress%20finding.verify%20F-1' },
          { title: '退回', actionURL: 'dtmd://dingtalkclient/sendMessage?content=%2Fpress%20finding.reject%20F-1' },
        ],
      },
    });
    expect(
      parsePressCommand(
        decodeURIComponent(out.msgtype === 'actionCard' ? out.actionCard.btns[0]!.actionURL.split('content=')[1]! : ''),
      ),
    ).toEqual({ actionId: 'finding.verify', value: 'F-1' });
  });
});
