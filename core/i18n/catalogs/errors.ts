import { defineCatalog } from '../define-catalog.ts';

// User-facing error texts, keyed "error.<AppError code>". Placeholders: {field} {value} {allowed} …
export const errorsCatalog = defineCatalog(
  {
    'error.FINDING.UNKNOWN_UNIT': '找不到单位“{value}”。{suggestion}请使用单位全称或简称，例如“市公安局”。',
    'error.FINDING.ORGANISER_NOT_ASSESSED': '“{value}”是考核组织单位，不参加考核，不能对其记录考核事项。',
    'error.FINDING.UNKNOWN_CLAUSE': '没有编号为“{value}”的考核条款。{suggestion}条款编号形如“2.1.1a”。',
    'error.FINDING.NOT_APPLICABLE': '条款 {clause} 所属的考核内容 {section} 不适用于{unit}（{group}）。',
    'error.FINDING.BAD_DATE': '{field} 不是有效日期：“{value}”。请按 YYYY-MM-DD 填写。',
    'error.FINDING.DATE_OUTSIDE_YEAR': '日期 {value} 不在 {year} 考核年度内。',
    'error.FINDING.DATE_IN_FUTURE': '日期 {value} 晚于今天，不能记录尚未发生的事项。',
    'error.FINDING.COUNT_OUT_OF_RANGE': '数量（{field}）须为 {min} 到 {max} 之间的整数，收到“{value}”。',
    'error.FINDING.COUNT_NOT_ALLOWED': '条款 {clause} 每次只计一次，数量须为 1，收到 {value}。',
    'error.FINDING.VALUE_REQUIRED': '条款 {clause} 需要填写测得的百分比（value），例如 value=82.4。',
    'error.FINDING.VALUE_OUT_OF_RANGE': '百分比（{field}）须在 {min} 到 {max} 之间，收到“{value}”。',
    'error.FINDING.VALUE_NOT_ALLOWED': '条款 {clause} 不按百分比计分，请不要填写 value。',
    'error.FINDING.LEVEL_REQUIRED': '条款 {clause} 需要选择等级（level）：{allowed}。',
    'error.FINDING.UNKNOWN_LEVEL': '条款 {clause} 没有等级“{value}”，可选：{allowed}。',
    'error.FINDING.LEVEL_NOT_ALLOWED': '条款 {clause} 不分等级，请不要填写 level。',
    'error.FINDING.UNKNOWN_SOURCE': '来源“{value}”无效，可选：{allowed}。',
    'error.FINDING.DEADLINE_BEFORE_DATE': '整改期限 {value} 早于发现日期 {date}。',
    'error.FINDING.DEADLINE_NO_CALENDAR':
      '整改期限需按工作日计算，但规则中没有 {year} 年的法定节假日安排，请直接填写整改期限。',
    'error.FINDING.DEADLINE_NOT_ALLOWED': '条款 {clause} 的事项无需整改，不能设置整改期限。',
    'error.FINDING.RECTIFIED_BEFORE_DATE': '整改提交日期 {value} 早于发现日期 {date}。',
    'error.FINDING.MISSING_FIELD': '缺少必填项：{field}。',
    'error.FINDING.BAD_FIELD': '{field} 的值无效：{detail}',
    'error.FINDING.DUPLICATE_ID': '事项编号 {value} 重复。',
    'error.BATCH.INVALID_ROWS': '有 {count} 行数据有误，本批事项一条也没有记录。请改正下列各行后重新提交整批。',
    'error.BATCH.EMPTY': '这一批没有任何事项。',
    'error.BATCH.TOO_LARGE': '一批最多 {max} 条事项，收到 {value} 条。请分批提交。',
    'error.BATCH.DUPLICATE_KEY': '导入键“{value}”与第 {row} 行重复。同一批中每行的导入键须不同。',
    'error.FINDING.MONTH_CLOSED':
      '{month} 已结账，不能再记录或修改该月的事项。如需补录，请联系考核组织单位重新开启该月。',
    'error.FINDING.NOT_FOUND': '找不到事项 {value}。请核对事项编号（见事项通知或填报确认中的 #编号）。',
    'error.FINDING.BAD_REF': '“{value}”不是事项编号。事项编号形如 #123，见事项通知或填报确认。',
    'error.FINDING.ALREADY_WITHDRAWN': '事项 {value} 已撤销。',
    'error.FINDING.REASON_REQUIRED': '请填写理由。',
    'error.FINDING.NOT_RECTIFIABLE': '事项 {value} 无需整改（加分项或测量类扣分）。',
    'error.FINDING.NOT_WITHDRAWABLE': '只有填报该事项的督查员或考核组织单位可以撤销事项。',
    'error.FINDING.NOT_DEADLINE_CHANGEABLE': '只有填报该事项的督查员或考核组织单位可以调整整改期限。',
    'error.APPEAL.ALREADY_APPEALED': '事项 {value} 已申诉过，每个事项只能申诉一次。如需重新复核，请联系考核组织单位。',
    'error.APPEAL.WINDOW_CLOSED': '事项 {value} 的申诉期已于 {date} 结束，不能再申诉。',
    'error.APPEAL.NOT_PENDING': '事项 {value} 没有待复核的申诉。',
    'error.APPEAL.NOTHING_REDUCED': '核减须改变事项 {value} 的数量、数值或等级。',
    'error.APPEAL.NOT_RULED': '事项 {value} 没有已作出复核结论的申诉，无法重新开启。',
    'error.EXTENSION.TOO_LATE': '事项 {value} 的整改期限 {date} 已到，不能再申请延期。延期须在整改期限之前申请。',
    'error.EXTENSION.NOT_LATER': '新的整改期限须晚于事项 {value} 当前的期限 {date}。',
    'error.EXTENSION.TOO_LONG': '延期最多 {max} 个工作日，事项 {value} 的新期限不能晚于 {date}。',
    'error.EXTENSION.PENDING': '事项 {value} 已有待审批的延期申请。',
    'error.EXTENSION.LIMIT': '事项 {value} 最多可延期 {max} 次，已用完。',
    'error.EXTENSION.NONE_PENDING': '事项 {value} 没有待审批的延期申请。',
    'error.RECTIFICATION.WRONG_STATE': '事项 {value} 当前状态为“{state}”，不能执行此操作。',
    'error.RECTIFICATION.NOT_OWN_UNIT': '只能为本单位的事项提交整改。',
    'error.RECTIFICATION.EVIDENCE_REQUIRED': '请填写整改情况说明或附上证明材料链接。',
    'error.AUTH.UNKNOWN_MEMBER': '您尚未登记为考评系统用户。请联系市跑改办或市考评办为您开通。',
    'error.AUTH.FORBIDDEN': '您没有权限执行此操作（{action}）。如有需要，请联系市跑改办或市考评办。',
    'error.AUTH.OTHER_UNIT': '单位联系人只能查看本单位的考核情况。',
    'error.UNIT.UNKNOWN': '找不到单位“{value}”。{suggestion}',
    'error.MONTH.UNKNOWN': '没有 {value} 这个考核月份。',
    'error.YEAR.NO_RULEBOOK': '{year} 年没有考评细则，不能记录或查看该年度的考评事项（现有考核年度：{years}）。',
    'error.MONTH.ALREADY_IN_STATE': '{month} 已是“{state}”状态。',
    'error.MEMBER.INVALID': '成员信息无效：{detail}',
    'error.MEMBER.NOT_FOUND': '没有找到已登记的成员 {value}（可能已被移除）。',
    'error.MEMBER.SELF_REMOVE': '不能移除自己。请另一位考核组织单位成员操作。',
    'error.MEMBER.SAME_PLATFORM':
      '这两个账号都在 {value} 上；一个成员在每个平台只有一个账号。要换账号，请写另一个平台的账号，或先移除再登记。',
    'error.MEMBER.IDENTITY_TAKEN': '{value} 已经是另一位成员。同一人只能有一条成员记录：请先移除其中一个，再关联。',
    'error.MEMBER.LAST_ORGANISER':
      '{value} 是最后一位考核组织单位成员，不能移除或改为其他角色，否则将无人能管理成员。请先登记另一位考核组织单位成员。',
    'error.SERVICE.UNAVAILABLE':
      '考评服务暂时无法访问数据库，本次操作没有完成。请稍后再试；如持续出现，请联系市跑改办。',
    'error.REQUEST.TAMPERED': '这个表单或按钮的内容与记录不符，已拒绝并记录。请重新打开表单再试。',
    'error.INTERNAL': '系统出现内部错误，已记录。请稍后再试；如反复出现，请联系市跑改办。',
  },
  {
    en: {
      'error.FINDING.UNKNOWN_UNIT':
        'No unit called "{value}".{suggestion} Use the unit\'s full or short name, e.g. "市公安局".',
      'error.FINDING.ORGANISER_NOT_ASSESSED':
        '"{value}" organises the assessment and is not assessed; no finding can be filed against it.',
      'error.FINDING.UNKNOWN_CLAUSE': 'No clause "{value}".{suggestion} Clause ids look like "2.1.1a".',
      'error.FINDING.NOT_APPLICABLE':
        'Clause {clause} belongs to section {section}, which does not apply to {unit} ({group}).',
      'error.FINDING.BAD_DATE': '{field} is not a valid date: "{value}". Use YYYY-MM-DD.',
      'error.FINDING.DATE_OUTSIDE_YEAR': 'The date {value} is outside the {year} assessment year.',
      'error.FINDING.DATE_IN_FUTURE':
        'The date {value} is after today; a finding cannot be filed for a day that has not happened.',
      'error.FINDING.COUNT_OUT_OF_RANGE':
        'The count ({field}) must be a whole number from {min} to {max}; got "{value}".',
      'error.FINDING.COUNT_NOT_ALLOWED': 'Clause {clause} counts once per finding; the count must be 1, got {value}.',
      'error.FINDING.VALUE_REQUIRED': 'Clause {clause} needs the measured percentage (value), e.g. value=82.4.',
      'error.FINDING.VALUE_OUT_OF_RANGE': 'The percentage ({field}) must be between {min} and {max}; got "{value}".',
      'error.FINDING.VALUE_NOT_ALLOWED': 'Clause {clause} is not scored by a percentage; leave value out.',
      'error.FINDING.LEVEL_REQUIRED': 'Clause {clause} needs a level: {allowed}.',
      'error.FINDING.UNKNOWN_LEVEL': 'Clause {clause} has no level "{value}"; choose one of: {allowed}.',
      'error.FINDING.LEVEL_NOT_ALLOWED': 'Clause {clause} has no levels; leave level out.',
      'error.FINDING.UNKNOWN_SOURCE': 'Source "{value}" is not valid; choose one of: {allowed}.',
      'error.FINDING.DEADLINE_BEFORE_DATE': 'The rectification deadline {value} is before the finding date {date}.',
      'error.FINDING.DEADLINE_NO_CALENDAR':
        'The deadline is counted in working days, but the rulebook has no official calendar for {year}; give the deadline explicitly.',
      'error.FINDING.DEADLINE_NOT_ALLOWED':
        'Findings under clause {clause} need no rectification, so they take no deadline.',
      'error.FINDING.RECTIFIED_BEFORE_DATE': 'The rectification date {value} is before the finding date {date}.',
      'error.FINDING.MISSING_FIELD': 'Missing required field: {field}.',
      'error.FINDING.BAD_FIELD': '{field} is not valid: {detail}',
      'error.FINDING.DUPLICATE_ID': 'The finding id {value} is used twice.',
      'error.BATCH.INVALID_ROWS':
        '{count} rows are invalid, so none of this batch was filed. Correct the rows below and send the whole batch again.',
      'error.BATCH.EMPTY': 'This batch has no findings.',
      'error.BATCH.TOO_LARGE': 'A batch takes at most {max} findings; this one has {value}. Send it in parts.',
      'error.BATCH.DUPLICATE_KEY':
        'The import key "{value}" is also used by row {row}. Each row of a batch needs its own key.',
      'error.FINDING.MONTH_CLOSED':
        '{month} is closed; findings in it cannot be filed or changed. Ask an organiser to reopen the month.',
      'error.FINDING.NOT_FOUND':
        'No finding {value}. Check the finding number (the #number in the notice or the filing confirmation).',
      'error.FINDING.BAD_REF':
        '"{value}" is not a finding number. Finding numbers look like #123; see the notice or the filing confirmation.',
      'error.FINDING.ALREADY_WITHDRAWN': 'Finding {value} has already been withdrawn.',
      'error.FINDING.REASON_REQUIRED': 'Please give a reason.',
      'error.FINDING.NOT_RECTIFIABLE': 'Finding {value} needs no rectification (a bonus or a measured percentage).',
      'error.FINDING.NOT_WITHDRAWABLE': 'Only the inspector who filed a finding, or an organiser, may withdraw it.',
      'error.FINDING.NOT_DEADLINE_CHANGEABLE':
        'Only the inspector who filed a finding, or an organiser, may change its deadline.',
      'error.APPEAL.ALREADY_APPEALED':
        'Finding {value} has already been appealed; a finding may be appealed once. Ask an organiser to reopen the appeal.',
      'error.APPEAL.WINDOW_CLOSED':
        'The appeal period for finding {value} ended on {date}; it can no longer be appealed.',
      'error.APPEAL.NOT_PENDING': 'Finding {value} has no appeal awaiting a ruling.',
      'error.APPEAL.NOTHING_REDUCED': 'A reduction must change the count, value or level of finding {value}.',
      'error.APPEAL.NOT_RULED': 'Finding {value} has no ruled appeal to reopen.',
      'error.EXTENSION.TOO_LATE':
        'The deadline of finding {value} ({date}) has been reached; an extension must be requested before the deadline.',
      'error.EXTENSION.NOT_LATER': 'The new deadline must be after the current deadline of finding {value} ({date}).',
      'error.EXTENSION.TOO_LONG':
        'An extension is at most {max} working days: the new deadline of finding {value} cannot be after {date}.',
      'error.EXTENSION.PENDING': 'Finding {value} already has an extension request awaiting a decision.',
      'error.EXTENSION.LIMIT': 'Finding {value} may be extended at most {max} time(s); that is used up.',
      'error.EXTENSION.NONE_PENDING': 'Finding {value} has no extension request awaiting a decision.',
      'error.RECTIFICATION.WRONG_STATE': 'Finding {value} is "{state}"; that action is not possible now.',
      'error.RECTIFICATION.NOT_OWN_UNIT': "You can only submit rectifications for your own unit's findings.",
      'error.RECTIFICATION.EVIDENCE_REQUIRED': 'Please describe the rectification or attach links to the evidence.',
      'error.AUTH.UNKNOWN_MEMBER':
        'You are not registered with kaoping yet. Ask the reform office (市跑改办) or the assessment office (市考评办) to add you.',
      'error.AUTH.FORBIDDEN':
        'You are not allowed to do that ({action}). Ask the reform office or the assessment office if you need to.',
      'error.AUTH.OTHER_UNIT': 'Unit contacts can only see their own unit.',
      'error.UNIT.UNKNOWN': 'No unit called "{value}".{suggestion}',
      'error.MONTH.UNKNOWN': 'No assessment month {value}.',
      'error.YEAR.NO_RULEBOOK':
        'There is no rulebook for {year}, so nothing of that year can be filed or looked up (assessment years: {years}).',
      'error.MONTH.ALREADY_IN_STATE': '{month} is already {state}.',
      'error.MEMBER.INVALID': 'Invalid member details: {detail}',
      'error.MEMBER.NOT_FOUND': 'No registered member {value} (perhaps already removed).',
      'error.MEMBER.SELF_REMOVE': 'You cannot remove yourself; ask another organiser.',
      'error.MEMBER.SAME_PLATFORM':
        'Both user ids are on {value}; a member has one user id per messenger. Give the id on the other messenger, or remove and add again.',
      'error.MEMBER.IDENTITY_TAKEN':
        '{value} is already another member. One person is one member: remove one of the two first, then link.',
      'error.MEMBER.LAST_ORGANISER':
        '{value} is the last active organiser and cannot be removed or given another role: nobody would be left to manage members. Register another organiser first.',
      'error.SERVICE.UNAVAILABLE':
        'Kaoping cannot reach its database right now, so this was not done. Please try again in a few minutes; if it persists, contact the reform office.',
      'error.REQUEST.TAMPERED':
        'This form or button does not match what was recorded; it was refused and logged. Please open the form again.',
      'error.INTERNAL':
        'Something went wrong on our side and it has been logged. Please try again later; if it keeps happening, contact the reform office.',
    },
  },
);
