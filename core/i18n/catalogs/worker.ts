import { defineCatalog } from '../define-catalog.ts';

// Texts the worker needs beyond the message builders' catalog (catalogs/messages.ts has the
// reminder, month-end and month-close messages themselves): names of reminder stages (for
// "next reminder" lines and logs) and the alerts the worker sends organisers about its own
// trouble — a message that could not be delivered, a calendar year it has no data for.
// Placeholders: {n} {what} {target} {reason} {year} {month} {closeDate} {closeTime} {clause}
// {factor} {group} {units} {unit} {total} {rank} {size}.
export const workerCatalog = defineCatalog(
  {
    'worker.stage.notice': '立案通知',
    'worker.stage.due_soon': '到期前提醒',
    'worker.stage.due_today': '到期当日提醒',
    'worker.stage.overdue': '第 {n} 次逾期提醒',
    'worker.stage.month_end': '月末结账提醒',
    'worker.stage.month_close': '月度结账通报',

    'worker.delivery.failed.header': '消息未能送达',
    'worker.delivery.failed.body': '{what}未能发送到{target}：{reason}。请检查群绑定或机器人权限；此消息不会自动重发。',
    'worker.delivery.unknown.body':
      '{what}发送到{target}时连接中断，无法确认是否送达。为避免重复提醒，系统不会重发，请到群内核实。',

    'worker.calendar.missing':
      '规则中没有 {year} 年的法定节假日安排，无法判断工作日，整改提醒和月末提醒已暂停。请在规则中补充 {year} 年的日历。',
    'worker.month.catchUp':
      '停机期间到期的 {months} 已同时结账（不再逐月通报）；本次结果为截至本月的全年累计，已包含这些月份。',
    'worker.month.autoClosed': '{month} 已于 {closeDate} {closeTime} 按时自动结账。',

    'worker.month.published.header': '{month} 结账：考评结果通报',
    'worker.month.published.advanced': '{group}先进单位：{units}',
    'worker.month.published.noAdvanced': '{group}：暂无先进单位',
    'worker.month.published.advancedSettled': '{group}先进单位（名额 {quota} 个，已确定 {count} 个）：{units}',
    'worker.month.published.tied':
      '{group}其余 {remaining} 个先进名额待定：{count} 个单位同为 {cut} 分，在名额分界处同分，由考核办按规则确定后另行公布。同分单位：{units}',
    'worker.month.published.own': '{unit}年度得分 {total} 分，在{group}排名第 {rank} / {size}。',
    'worker.month.published.detail': '本单位的详细得分已私信发送给本单位联系人。',
  },
  {
    en: {
      'worker.stage.notice': 'filing notice',
      'worker.stage.due_soon': 'due-soon reminder',
      'worker.stage.due_today': 'due-today reminder',
      'worker.stage.overdue': 'overdue reminder {n}',
      'worker.stage.month_end': 'month-end reminder',
      'worker.stage.month_close': 'month-close report',

      'worker.delivery.failed.header': 'Message not delivered',
      'worker.delivery.failed.body':
        'The {what} could not be sent to {target}: {reason}. Please check the channel binding or the bot’s permissions; it will not be resent automatically.',
      'worker.delivery.unknown.body':
        'The connection broke while sending the {what} to {target}, so we cannot tell whether it arrived. To avoid a duplicate it will not be resent; please check the channel.',

      'worker.calendar.missing':
        'The rulebook has no official holiday calendar for {year}, so working days cannot be told apart: rectification and month-end reminders are paused. Please add the {year} calendar to the rulebook.',
      'worker.month.catchUp':
        '停机期间到期的 {months} 已同时结账（不再逐月通报）；本次结果为截至本月的全年累计，已包含这些月份。',
      'worker.month.autoClosed': '{month} was closed automatically on {closeDate} at {closeTime}.',

      'worker.month.published.header': '{month} closed: results',
      'worker.month.published.advanced': 'Advanced units, {group}: {units}',
      'worker.month.published.noAdvanced': '{group}: no advanced units',
      'worker.month.published.advancedSettled': 'Advanced units, {group} ({count} of {quota} places settled): {units}',
      'worker.month.published.tied':
        '{group}: the remaining {remaining} advanced place(s) are open — {count} units are tied at the cut with {cut} points; the office will decide by the rulebook and announce the result. Tied: {units}',
      'worker.month.published.own': '{unit}: {total} points, rank {rank} of {size} in {group}.',
      'worker.month.published.detail': 'The detailed breakdown was sent privately to this unit’s contacts.',
    },
  },
);
