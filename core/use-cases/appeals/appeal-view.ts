import type { AppealView, FindingView } from '../../assessment-api.ts';
import type { AppealRecord } from '../../ports/assessment-store.port.ts';

export function appealView(a: AppealRecord, finding: FindingView): AppealView {
  return {
    id: a.id,
    findingId: finding.id,
    findingSeq: finding.seq,
    unit: finding.unit,
    state: a.state,
    reasons: a.reasons,
    evidenceLinks: a.evidenceLinks,
    filedById: a.filedById,
    ruling: a.ruling,
    finding,
  };
}
