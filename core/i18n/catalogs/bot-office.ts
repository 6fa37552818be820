import { defineCatalog } from '../define-catalog.ts';

// Texts of the office's cycle around a filed finding in chat: appeals (申诉 → 复核) and extension
// requests (延期), `/finding appeal|rule|reopen|extend|extension …` (bot/parsing/office-text.ts).
export const botOfficeCatalog = defineCatalog(
  {
    'bot.office.help.header': '申诉与延期',
    'bot.office.help.who':
      '申诉、申请延期：被考核单位联络员，仅限本单位事项（申诉须在事项填报后 {appealDays} 个工作日内；延期须在整改期限之前，最长 {extensionDays} 个工作日）。复核、重新复核、延期审批：考核组织单位。',
    'bot.office.usage.appeal':
      '/finding 申诉 #事项编号 理由 [证明材料链接]（也可写：/finding appeal #12 理由 https://…）',
    'bot.office.usage.rule':
      '/finding 复核 #事项编号 维持|核减 x数量|撤销 复核意见（也可写：/finding rule #12 upheld|reduce x1|withdraw 意见；核减也可写 =数值、level=等级）',
    'bot.office.usage.reopen': '/finding 重新复核 #事项编号 理由（也可写：/finding reopen #12 理由）',
    'bot.office.usage.extend':
      '/finding 申请延期 #事项编号 YYYY-MM-DD 理由（也可写：/finding extend #12 2017-10-20 理由）',
    'bot.office.usage.extension':
      '/finding 延期审批 #事项编号 同意 YYYY-MM-DD [意见] 或 不同意 理由（也可写：/finding extension #12 approve 2017-10-20 | refuse 理由）',
    'bot.office.parse.appeal': '申诉没有提交。',
    'bot.office.parse.rule': '复核结论没有记录。',
    'bot.office.parse.reopen': '申诉没有重新开启。',
    'bot.office.parse.extend': '延期申请没有提交。',
    'bot.office.parse.extension': '延期申请没有审批。',
    'bot.office.problem.missing_ref': '请写明事项编号，例如 #12。',
    'bot.office.problem.bad_ref': '“{value}”不是事项编号，事项编号形如 #12。',
    'bot.office.problem.missing_reason': '请写明理由（1000 字以内）。',
    'bot.office.problem.missing_outcome': '请写明复核结论：维持、核减或撤销（收到“{value}”）。',
    'bot.office.problem.missing_reduction': '核减请写明改后的数量（如 x1）、数值（如 =82.4）或等级（如 level=B）。',
    'bot.office.problem.missing_deadline': '请写明新的整改期限，格式 YYYY-MM-DD。',
    'bot.office.problem.bad_deadline': '“{value}”不是有效日期，请按 YYYY-MM-DD 填写。',
    'bot.office.problem.missing_decision': '请写明“同意”或“不同意”（收到“{value}”）。',
    'bot.office.appeal.filed':
      '{unit}对事项 {seq}（条款 {clause}）提出申诉，待复核。复核前该事项仍计分，分值标注“待复核”。申诉理由：{reasons}',
    'bot.office.appeal.links': '证明材料：{links}',
    'bot.office.appeal.upheld': '事项 {seq}（{unit}）申诉复核结论：维持原认定。复核意见：{ruling}',
    'bot.office.appeal.reduced': '事项 {seq}（{unit}）申诉复核结论：核减，按复核后的事实重新计分。复核意见：{ruling}',
    'bot.office.appeal.withdrawn': '事项 {seq}（{unit}）申诉复核结论：撤销该事项，不再计分。复核意见：{ruling}',
    'bot.office.appeal.reopened': '事项 {seq}（{unit}）的申诉已重新开启，待复核。理由：{reason}',
    'bot.office.extension.requested': '{unit}申请将事项 {seq} 的整改期限由 {from} 延至 {to}，待审批。理由：{reason}',
    'bot.office.extension.approved': '事项 {seq}（{unit}）的延期申请已批准：整改期限由 {from} 调整为 {to}。{reason}',
    'bot.office.extension.refused': '事项 {seq}（{unit}）的延期申请未获批准，整改期限仍为 {deadline}。理由：{reason}',
    'bot.office.told': '已通知：{who}。',
    'bot.office.told.unit': '{unit}的群聊',
    'bot.office.told.organisers': '考核组织单位频道',
    'bot.office.told.filer': '填报人',
    'bot.office.told.none': '没有可通知的群聊（请考核组织单位绑定频道）。',
  },
  {
    en: {
      'bot.office.help.header': 'Appeals and extensions',
      'bot.office.help.who':
        "Appeal, ask for an extension: a unit's contact, for their own unit's findings (appeals within {appealDays} working days after filing; extensions before the deadline, at most {extensionDays} working days). Rule, reopen, decide extensions: organisers.",
      'bot.office.usage.appeal':
        '/finding appeal #number reasons [evidence links] (or: /finding 申诉 #12 理由 https://…)',
      'bot.office.usage.rule':
        '/finding rule #number upheld|reduce x<count>|withdraw ruling (a reduction may also be =<value> or level=<level>; or: /finding 复核 #12 维持|核减 x1|撤销 意见)',
      'bot.office.usage.reopen': '/finding reopen #number reason (or: /finding 重新复核 #12 理由)',
      'bot.office.usage.extend':
        '/finding extend #number YYYY-MM-DD reason (or: /finding 申请延期 #12 2017-10-20 理由)',
      'bot.office.usage.extension':
        '/finding extension #number approve YYYY-MM-DD [note] or refuse reason (or: /finding 延期审批 #12 同意 2017-10-20 | 不同意 理由)',
      'bot.office.parse.appeal': 'The appeal was not filed.',
      'bot.office.parse.rule': 'The ruling was not recorded.',
      'bot.office.parse.reopen': 'The appeal was not reopened.',
      'bot.office.parse.extend': 'The extension request was not made.',
      'bot.office.parse.extension': 'The extension request was not decided.',
      'bot.office.problem.missing_ref': 'Give the finding number, e.g. #12.',
      'bot.office.problem.bad_ref': '"{value}" is not a finding number; finding numbers look like #12.',
      'bot.office.problem.missing_reason': 'Give a reason (at most 1000 characters).',
      'bot.office.problem.missing_outcome': 'Give the ruling: upheld, reduce or withdraw (got "{value}").',
      'bot.office.problem.missing_reduction':
        'A reduction gives the new count (e.g. x1), value (e.g. =82.4) or level (e.g. level=B).',
      'bot.office.problem.missing_deadline': 'Give the new deadline as YYYY-MM-DD.',
      'bot.office.problem.bad_deadline': '"{value}" is not a date; write it as YYYY-MM-DD.',
      'bot.office.problem.missing_decision': 'Say approve or refuse (got "{value}").',
      'bot.office.appeal.filed':
        '{unit} appealed finding {seq} (clause {clause}); awaiting a ruling. Until then it counts, its points marked provisional. Reasons: {reasons}',
      'bot.office.appeal.links': 'Evidence: {links}',
      'bot.office.appeal.upheld': 'Appeal on finding {seq} ({unit}) ruled: upheld. Ruling: {ruling}',
      'bot.office.appeal.reduced':
        'Appeal on finding {seq} ({unit}) ruled: reduced; it is re-scored on the facts as ruled. Ruling: {ruling}',
      'bot.office.appeal.withdrawn':
        'Appeal on finding {seq} ({unit}) ruled: the finding is withdrawn and no longer counts. Ruling: {ruling}',
      'bot.office.appeal.reopened':
        'The appeal on finding {seq} ({unit}) was reopened and awaits a ruling. Reason: {reason}',
      'bot.office.extension.requested':
        '{unit} asks to move the deadline of finding {seq} from {from} to {to}; awaiting a decision. Reason: {reason}',
      'bot.office.extension.approved':
        'Extension for finding {seq} ({unit}) approved: the deadline moved from {from} to {to}. {reason}',
      'bot.office.extension.refused':
        'Extension for finding {seq} ({unit}) refused; the deadline stays {deadline}. Reason: {reason}',
      'bot.office.told': 'Told: {who}.',
      'bot.office.told.unit': 'the group channel of {unit}',
      'bot.office.told.organisers': "the organisers' channel",
      'bot.office.told.filer': 'the filer',
      'bot.office.told.none': 'No channel to tell (an organiser can bind one).',
    },
  },
);
