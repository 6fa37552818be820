// Action ids of the buttons in kaoping's messages. The bot routes presses by these
// (Slack `app.action(ACTION.verify, …)`, console `/press finding.verify <findingId>`);
// each button's value is the finding id (or the unit name for viewUnit, the period for publishPeriod).
export const ACTION = {
  submitRectification: 'finding.submit_rectification',
  verify: 'finding.verify',
  reject: 'finding.reject',
  withdraw: 'finding.withdraw',
  viewUnit: 'unit.view',
  /** On an organisers' draft: publish the period (value: 'YYYY-MM' or 'YYYY'). */
  publishPeriod: 'period.publish',
} as const;
