import type { ExtensionView, FindingView } from '../../assessment-api.ts';
import type { ExtensionRecord } from '../../ports/assessment-store.port.ts';

export function extensionView(e: ExtensionRecord, finding: FindingView): ExtensionView {
  return {
    id: e.id,
    findingId: finding.id,
    findingSeq: finding.seq,
    unit: finding.unit,
    state: e.state,
    currentDeadline: e.currentDeadline,
    requestedDeadline: e.requestedDeadline,
    reason: e.reason,
    requestedById: e.requestedById,
    approvedDeadline: e.approvedDeadline,
    decisionReason: e.decisionReason,
    finding,
  };
}
