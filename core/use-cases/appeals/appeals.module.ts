import type { Actor, AppealRuling, AppealView } from '../../assessment-api.ts';
import type { Result } from '../../errors.ts';
import type { AssessmentContext } from '../shared/assessment-context.ts';
import { fileAppeal } from './file-appeal.use-case.ts';
import { reopenAppeal } from './reopen-appeal.use-case.ts';
import { ruleAppeal } from './rule-appeal.use-case.ts';

/** Appeals (申诉 → 复核), lifecycle.md: a unit contact appeals, an organiser rules or reopens. */
export interface Appeals {
  file(
    actor: Actor,
    cmd: { findingId: string; reasons: string; evidenceLinks?: string[] },
  ): Promise<Result<AppealView>>;
  rule(actor: Actor, cmd: { findingId: string } & AppealRuling): Promise<Result<AppealView>>;
  reopen(actor: Actor, cmd: { findingId: string; reason: string }): Promise<Result<AppealView>>;
}

export function appealsModule(ctx: AssessmentContext): Appeals {
  return {
    file: (actor, cmd) => fileAppeal(ctx, actor, cmd),
    rule: (actor, cmd) => ruleAppeal(ctx, actor, cmd),
    reopen: (actor, cmd) => reopenAppeal(ctx, actor, cmd),
  };
}
