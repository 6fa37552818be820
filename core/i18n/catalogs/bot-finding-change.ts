import { defineCatalog } from '../define-catalog.ts';

// Texts of withdrawing a finding and changing its rectification deadline in chat:
// `/finding withdraw #123 理由`, `/finding deadline #123 2017-10-20 理由`, the Withdraw button's
// reason form, and the lines added to the unit's notice. Placeholders written {who} take inline
// content (mentions), filled by tInline().
export const botFindingChangeCatalog = defineCatalog(
  {
    'bot.change.help.header': '撤销事项、调整整改期限',
    'bot.change.help.who':
      '撤销：填报该事项的督查员或考核组织单位；调整期限：督查员或考核组织单位。理由必填，会告知被考核单位。事项编号（#123）见事项通知或填报确认。',
    'bot.change.usage.withdraw': '/finding withdraw #事项编号 理由（也可写：/finding 撤销 #123 理由）',
    'bot.change.usage.deadline':
      '/finding deadline #事项编号 YYYY-MM-DD 理由（也可写：/finding 期限 #123 2017-10-20 理由）',
    'bot.change.example.withdraw': '例如：/finding withdraw #123 与 #120 重复记录',
    'bot.change.example.deadline': '例如：/finding deadline #123 2017-10-20 单位申请延期，已获批准',
    'bot.change.usage.header': '正确格式：',
    'bot.change.parse.withdraw': '这条撤销事项的命令有问题，没有做任何更改：',
    'bot.change.parse.deadline': '这条调整整改期限的命令有问题，没有做任何更改：',
    'bot.change.problem.missing_ref': '缺少事项编号，例如 #123（见事项通知或填报确认）。',
    'bot.change.problem.bad_ref': '“{value}”不是事项编号。事项编号形如 #123。',
    'bot.change.problem.missing_deadline': '缺少新的整改期限，请按 YYYY-MM-DD 填写，例如 2017-10-20。',
    'bot.change.problem.bad_deadline': '整改期限“{value}”不是有效日期，请按 YYYY-MM-DD 填写，例如 2017-10-20。',
    'bot.change.problem.missing_reason': '缺少理由。理由会告知被考核单位。',
    'bot.change.problem.reason_too_long': '理由太长了，最多 {max} 个字。',
    'bot.change.unit.posted': '已在{unit}的群聊发出通知。',
    'bot.change.unit.noChannel': '{unit}还没有绑定群聊频道，没有通知该单位。',
    'bot.change.unit.failed': '没能在{unit}的群聊发出通知（{code}）。请确认 kaoping 已被邀请进该频道。',
    'bot.withdraw.done': '已撤销{unit}的事项 {seq}（条款 {clause}），该事项不再计分。',
    'bot.withdraw.repeat': '事项 {seq} 已按这次请求撤销，重复提交没有再做更改。',
    'bot.withdraw.notice': '{who} 于 {date} 撤销了该事项。理由：{reason}',
    'bot.withdraw.form.title': '撤销事项',
    'bot.withdraw.form.submit': '撤销',
    'bot.withdraw.form.cancel': '取消',
    'bot.withdraw.form.intro': '撤销{unit}的事项 {seq}（条款 {clause}）。撤销后该事项不再计分，理由会告知该单位。',
    'bot.withdraw.form.reason': '撤销理由',
    'bot.withdraw.form.reasonHint': '例如：与 #120 重复记录；该单位不适用此条款。',
    'bot.withdraw.error.reasonRequired': '请填写撤销理由。',
    'bot.withdraw.error.tooLong': '理由太长了，最多 {max} 个字。',
    'bot.withdraw.error.expired': '表单已失效，请重新点击“撤销事项”。',
    'bot.deadline.done': '已将{unit}事项 {seq} 的整改期限由 {from} 调整为 {to}。',
    'bot.deadline.same': '事项 {seq} 的整改期限已经是 {deadline}，没有变化。',
    'bot.deadline.notice': '{who} 于 {date} 将整改期限调整为 {deadline}。理由：{reason}',
  },
  {
    en: {
      'bot.change.help.header': 'Withdrawing a finding, changing a deadline',
      'bot.change.help.who':
        'Withdraw: the inspector who filed the finding, or an organiser; change a deadline: inspectors and organisers. A reason is required and the unit is told. The finding number (#123) is in the notice and the filing confirmation.',
      'bot.change.usage.withdraw': '/finding withdraw #<finding number> <reason> (or: /finding 撤销 #123 <reason>)',
      'bot.change.usage.deadline':
        '/finding deadline #<finding number> YYYY-MM-DD <reason> (or: /finding 期限 #123 2017-10-20 <reason>)',
      'bot.change.example.withdraw': 'Example: /finding withdraw #123 filed twice, see #120',
      'bot.change.example.deadline':
        'Example: /finding deadline #123 2017-10-20 extension requested by the unit and approved',
      'bot.change.usage.header': 'The correct form:',
      'bot.change.parse.withdraw': 'There is a problem with this withdrawal; nothing was changed:',
      'bot.change.parse.deadline': 'There is a problem with this deadline change; nothing was changed:',
      'bot.change.problem.missing_ref':
        'The finding number is missing, e.g. #123 (see the notice or the filing confirmation).',
      'bot.change.problem.bad_ref': '"{value}" is not a finding number. Finding numbers look like #123.',
      'bot.change.problem.missing_deadline': 'The new deadline is missing; use YYYY-MM-DD, e.g. 2017-10-20.',
      'bot.change.problem.bad_deadline': 'The deadline "{value}" is not a valid date; use YYYY-MM-DD, e.g. 2017-10-20.',
      'bot.change.problem.missing_reason': 'The reason is missing. The unit is told the reason.',
      'bot.change.problem.reason_too_long': 'The reason is too long: at most {max} characters.',
      'bot.change.unit.posted': 'The group channel of {unit} was told.',
      'bot.change.unit.noChannel': '{unit} has no group channel yet, so the unit was not told.',
      'bot.change.unit.failed':
        'The group channel of {unit} could not be told ({code}). Please check that kaoping has been invited to that channel.',
      'bot.withdraw.done': 'Finding {seq} of {unit} (clause {clause}) is withdrawn and no longer counts.',
      'bot.withdraw.repeat': 'Finding {seq} was already withdrawn by this request; the repeat changed nothing.',
      'bot.withdraw.notice': '{who} withdrew this finding on {date}. Reason: {reason}',
      'bot.withdraw.form.title': 'Withdraw finding',
      'bot.withdraw.form.submit': 'Withdraw',
      'bot.withdraw.form.cancel': 'Cancel',
      'bot.withdraw.form.intro':
        'Withdraw finding {seq} of {unit} (clause {clause}). It will no longer count; the unit is told the reason.',
      'bot.withdraw.form.reason': 'Reason for withdrawing',
      'bot.withdraw.form.reasonHint': 'E.g. filed twice (see #120); the clause does not apply to this unit.',
      'bot.withdraw.error.reasonRequired': 'Please give the reason for withdrawing.',
      'bot.withdraw.error.tooLong': 'The reason is too long: at most {max} characters.',
      'bot.withdraw.error.expired': 'This form has expired; please press "Withdraw" again.',
      'bot.deadline.done': 'The rectification deadline of finding {seq} ({unit}) moved from {from} to {to}.',
      'bot.deadline.same': 'The deadline of finding {seq} is already {deadline}; nothing changed.',
      'bot.deadline.notice': '{who} moved the rectification deadline to {deadline} on {date}. Reason: {reason}',
    },
  },
);
