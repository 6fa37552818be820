import { defineCatalog } from '../define-catalog.ts';

// Texts of the reports kaoping hands on: charts, exports (XLSX/CSV), the 通报 as .docx, imports,
// and the delivery of files in chat.
export const reportsCatalog = defineCatalog(
  {
    'report.chart.trend.title': '{unit} 月度得分走势',
    'report.chart.sections.title': '{unit} 各项得分与满分',
    'report.chart.group.subtitle': '共 {assessed} 个单位，先进名额 {quota} 个（红色为先进单位）',
    'report.chart.quotaLine': '先进线（前 {quota} 名）',
    'report.chart.month': '{month}月',
    'report.chart.total': '总分',
    'report.chart.score': '得分',
    'report.chart.full': '满分',
    'report.delivery.tooLarge': '文件“{file}”超过了本平台允许的大小，没有发送。',
    'report.delivery.failed': '文件“{file}”上传失败，没有发送。',
    'report.delivery.retry': '这通常是暂时的，请稍后再试一次。',
    'report.delivery.ask': '请联系考评办管理员检查机器人的文件权限；也可以缩小范围（按月）再导出。',
    'report.myscore.chartButton': '走势图表',
    'report.myscore.chartsSent': '{unit} 的月度得分走势图和各项得分图已发送给你。',
  },
  {
    en: {
      'report.chart.trend.title': '{unit}: score at each month end',
      'report.chart.sections.title': '{unit}: section scores against full marks',
      'report.chart.group.subtitle': '{assessed} units, {quota} advanced places (advanced units in red)',
      'report.chart.quotaLine': 'advanced line (top {quota})',
      'report.chart.month': 'M{month}',
      'report.chart.total': 'Total',
      'report.chart.score': 'Score',
      'report.chart.full': 'Full marks',
      'report.delivery.tooLarge': 'The file “{file}” is larger than this platform accepts and was not sent.',
      'report.delivery.failed': 'Uploading the file “{file}” failed; it was not sent.',
      'report.delivery.retry': 'This is usually temporary: please try again in a moment.',
      'report.delivery.ask':
        'Please ask the assessment office’s administrator to check the bot’s file permissions, or export a smaller range (one month).',
      'report.myscore.chartButton': 'Charts',
      'report.myscore.chartsSent': 'The monthly score trend and the section chart of {unit} were sent to you.',
    },
  },
);
