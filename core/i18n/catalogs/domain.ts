import { defineCatalog } from '../define-catalog.ts';

// Domain vocabulary shared by every adapter: statuses, sources, groups' short labels, reasons.
export const domainCatalog = defineCatalog(
  {
    'domain.status.filed': '待整改',
    'domain.status.submitted': '整改待核验',
    'domain.status.verified': '已销号',
    'domain.status.withdrawn': '已撤销',
    'domain.source.routine': '日常检查',
    'domain.source.municipal_inspection': '市级督查',
    'domain.source.provincial_inspection': '省级督查',
    'domain.role.organiser': '考核组织单位',
    'domain.role.inspector': '督查员',
    'domain.role.unit_contact': '单位联系人',
    'domain.reason.inspection': '{source}发现，加倍扣分 ×{factor}',
    'domain.reason.repeat': '同类问题逾期未整改被重复发现（此前 {count} 次：{ids}），再加倍 ×{factor}',
    'domain.reason.threshold': '{value}% 低于 {threshold}%，差 {shortfall} 个百分点',
    'domain.reason.superseded': '本月已有更新的测量（{by}），本条不计分',
    'domain.reason.withdrawn': '已撤销，不计分',
    'domain.month.open': '开放',
    'domain.month.closed': '已结账',
  },
  {
    en: {
      'domain.status.filed': 'awaiting rectification',
      'domain.status.submitted': 'rectification awaiting verification',
      'domain.status.verified': 'verified (closed)',
      'domain.status.withdrawn': 'withdrawn',
      'domain.source.routine': 'routine check',
      'domain.source.municipal_inspection': 'municipal inspection',
      'domain.source.provincial_inspection': 'provincial inspection',
      'domain.role.organiser': 'organiser',
      'domain.role.inspector': 'inspector',
      'domain.role.unit_contact': 'unit contact',
      'domain.reason.inspection': 'found by {source}: doubled ×{factor}',
      'domain.reason.repeat':
        'repeat of {count} earlier overdue finding(s) of this clause ({ids}): doubled again ×{factor}',
      'domain.reason.threshold': '{value}% is below {threshold}% by {shortfall} full point(s)',
      'domain.reason.superseded': 'a later measurement this month ({by}) counts instead',
      'domain.reason.withdrawn': 'withdrawn: counts for nothing',
      'domain.month.open': 'open',
      'domain.month.closed': 'closed',
    },
  },
);
