import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderKaopingCard } from '../../adapters/messenger/dingtalk/dingtalk-card.renderer.ts';
import { ACTION } from '../../core/messages/actions.ts';
import { actions, button, field, fields, header, mention, message, paragraph } from '../../core/messages/message.ts';
import { MYSCORE_CHART_ACTION, MYSCORE_WHY_ACTION } from '../../bot/handlers/myscore-message.ts';
import { repoRoot } from '../support/slack-requests.ts';

// docs/dingtalk-card-template.md is what an administrator builds the card template from: its
// variables, its button fields and actions, and its example must be what the renderer sends.

const doc = readFileSync(`${repoRoot}/docs/dingtalk-card-template.md`, 'utf8');
/** The first column of the markdown table under a heading. */
const tableNames = (heading: string) => {
  const section = doc.slice(doc.indexOf(heading));
  const table = section.slice(section.indexOf('|'), section.indexOf('\n\n', section.indexOf('|')));
  return [...table.matchAll(/^\| `([^`]+)`/gm)].map((m) => m[1]);
};

const example = message([
  header('考评事项通知：市公安局'),
  paragraph(
    mention('dt-inspector'),
    ' 记录了市公安局的一条扣分事项。请 ',
    mention('dt-contact-1'),
    ' 在整改期限前完成整改。',
  ),
  fields(field('事项编号', '#12'), field('整改期限', '2017-10-23')),
  actions(button('提交整改', ACTION.submitRectification, '8fbff533-ef84-4ab1-8ec4-00f8d4d6a040', 'primary')),
]);

describe('the documented card template', () => {
  it('names exactly the variables the renderer fills', () => {
    expect(tableNames('## Variables').sort()).toEqual(Object.keys(renderKaopingCard(example)).sort());
  });

  it('names exactly the fields of a button, and every action a button can carry', () => {
    const [b] = JSON.parse(renderKaopingCard(example).buttons) as Array<Record<string, string>>;
    expect(tableNames('Each element of `buttons`').sort()).toEqual(Object.keys(b!).sort());
    for (const action of [...Object.values(ACTION), MYSCORE_WHY_ACTION, MYSCORE_CHART_ACTION])
      expect(doc).toContain(`\`${action}\``);
  });

  it('shows what the renderer sends for its example', () => {
    const json = /```json\n([\s\S]*?)\n```/.exec(doc)![1]!;
    expect(JSON.parse(json)).toEqual(renderKaopingCard(example));
  });
});
