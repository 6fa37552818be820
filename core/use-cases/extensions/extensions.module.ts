import type { Actor, ExtensionView } from '../../assessment-api.ts';
import type { Result } from '../../errors.ts';
import type { AssessmentContext } from '../shared/assessment-context.ts';
import { decideExtension } from './decide-extension.use-case.ts';
import { requestExtension } from './request-extension.use-case.ts';

/** Extension requests (延期), lifecycle.md: a unit contact asks, an organiser decides. */
export interface Extensions {
  request(actor: Actor, cmd: { findingId: string; deadline: string; reason: string }): Promise<Result<ExtensionView>>;
  decide(
    actor: Actor,
    cmd:
      | { findingId: string; decision: 'approve'; deadline: string; reason?: string }
      | { findingId: string; decision: 'refuse'; reason: string },
  ): Promise<Result<ExtensionView>>;
}

export function extensionsModule(ctx: AssessmentContext): Extensions {
  return {
    request: (actor, cmd) => requestExtension(ctx, actor, cmd),
    decide: (actor, cmd) => decideExtension(ctx, actor, cmd),
  };
}
