import type {
  Actor,
  FileBatchCommand,
  FileFindingCommand,
  FiledBatch,
  FiledFinding,
  FindingView,
} from '../../assessment-api.ts';
import type { Result } from '../../errors.ts';
import type { AssessmentContext } from '../shared/assessment-context.ts';
import { changeDeadline } from './change-deadline.use-case.ts';
import { fileBatch } from './file-batch.use-case.ts';
import { fileFinding } from './file-finding.use-case.ts';
import { recordNotice } from './record-notice.use-case.ts';
import { withdrawFinding } from './withdraw-finding.use-case.ts';

/** Filing findings and changing them (lifecycle.md: file, import, withdraw, change the deadline). */
export interface Findings {
  file(actor: Actor, cmd: FileFindingCommand): Promise<Result<FiledFinding>>;
  /**
   * Bulk intake: many findings in one all-or-nothing call, each row checked as `file` checks it,
   * idempotent per row key, audited as one batch, one recompute (file-batch.use-case.ts).
   */
  fileBatch(actor: Actor, cmd: FileBatchCommand): Promise<Result<FiledBatch>>;
  withdraw(actor: Actor, cmd: { findingId: string; reason: string }): Promise<Result<FindingView>>;
  changeDeadline(
    actor: Actor,
    cmd: { findingId: string; deadline: string; reason: string },
  ): Promise<Result<FindingView>>;
  /** Where the finding's notice was posted, for later updates. */
  recordNotice(actor: Actor, cmd: { findingId: string; ref: string }): Promise<Result<void>>;
}

export function findingsModule(ctx: AssessmentContext): Findings {
  return {
    file: (actor, cmd) => fileFinding(ctx, actor, cmd),
    fileBatch: (actor, cmd) => fileBatch(ctx, actor, cmd),
    withdraw: (actor, cmd) => withdrawFinding(ctx, actor, cmd),
    changeDeadline: (actor, cmd) => changeDeadline(ctx, actor, cmd),
    recordNotice: (actor, cmd) => recordNotice(ctx, actor, cmd),
  };
}
