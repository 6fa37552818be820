import { defineCatalog } from '../define-catalog.ts';

// Texts only the DingTalk bot says: help (DingTalk has no slash-command menu, so commands are typed
// to the robot), and the guided one-to-one prompts that stand in for Slack's modals.
export const botDingTalkCatalog = defineCatalog(
  {
    'bot.dingtalk.help.header': '考评机器人',
    'bot.dingtalk.help.body': [
      '在群里 @我 或私聊我，输入：',
      '- /myscore [单位] [why] [YYYY-MM-DD]：得分、排名、待整改事项和扣分明细',
      '- /standings [YYYY-MM-DD]：各组排名',
      '- /finding 单位 条款 [x次数] [来源] 说明 链接：记录事项（/finding help 查看格式）',
      '- /finding withdraw #123 理由；/finding deadline #123 YYYY-MM-DD 理由',
      '- /kaoping member add @某人 角色 [单位]；/kaoping channel 单位（在该单位的群里发送，绑定本群）',
      '- /help：本帮助',
      '卡片上的按钮可以直接点；需要填写内容时，我会在私聊里逐项询问。',
    ].join('\n'),
    'bot.dingtalk.unknownCommand': '无法识别的命令“{command}”。发送 /help 查看可用命令。',
    'bot.dingtalk.unsupported': '暂时只能处理文字消息。发送 /help 查看可用命令。',
    'bot.dingtalk.noButton': '这个按钮（{action}）已不可用。',
    'bot.dingtalk.form.open': '{title}：请在这里逐条回复，每条消息填一项；发送 /cancel 放弃。',
    'bot.dingtalk.form.field': '请填写：{label}{optional}',
    'bot.dingtalk.form.optional': '（可发送“-”跳过）',
    'bot.dingtalk.form.error': '✗ {label}：{error}',
    'bot.dingtalk.form.cancelled': '已放弃“{title}”。',
    'bot.dingtalk.form.done': '已{submit}。',
    'bot.dingtalk.form.expired': '上一个表单已超时，请重新点击卡片上的按钮。',
  },
  {
    en: {
      'bot.dingtalk.help.header': 'kaoping robot',
      'bot.dingtalk.help.body': [
        '@ me in a group or message me one to one:',
        '- /myscore [unit] [why] [YYYY-MM-DD]: score, rank, open findings, deductions explained',
        '- /standings [YYYY-MM-DD]: all groups ranked',
        '- /finding <unit> <clause> [x<count>] [source] <evidence> <links>: file a finding (/finding help)',
        '- /finding withdraw #123 <reason>; /finding deadline #123 YYYY-MM-DD <reason>',
        "- /kaoping member add @someone <role> [unit]; /kaoping channel <unit> (sent in that unit's group, binds it)",
        '- /help: this help',
        'Press the buttons on the cards; when something must be filled in, I ask for it here, one item at a time.',
      ].join('\n'),
      'bot.dingtalk.unknownCommand': 'Unknown command "{command}". Send /help for the commands.',
      'bot.dingtalk.unsupported': 'Only text messages can be handled. Send /help for the commands.',
      'bot.dingtalk.noButton': 'This button ({action}) is no longer available.',
      'bot.dingtalk.form.open': '{title}: reply here, one message per item; send /cancel to give up.',
      'bot.dingtalk.form.field': 'Please send: {label}{optional}',
      'bot.dingtalk.form.optional': ' (send "-" to skip)',
      'bot.dingtalk.form.error': '✗ {label}: {error}',
      'bot.dingtalk.form.cancelled': '"{title}" given up.',
      'bot.dingtalk.form.done': '{submit}: done.',
      'bot.dingtalk.form.expired': 'The previous form timed out; press the button on the card again.',
    },
  },
);
