import type {
  Actor,
  FindingView,
  GroupStandings,
  MemberIdentity,
  PublishedStandings,
  UnitBreakdown,
} from '../../assessment-api.ts';
import type { Result } from '../../errors.ts';
import type { FindingResult, Standings } from '../../../rules/engine/types.ts';
import type { AssessmentContext } from '../shared/assessment-context.ts';
import { findingResult, getFinding, rectificationSubmitter } from './get-finding.use-case.ts';
import { groupStandings } from './group-standings.use-case.ts';
import { publishedStandings } from './published-standings.use-case.ts';
import { standingsAsOf } from './standings-as-of.use-case.ts';
import { unitBreakdown } from './unit-breakdown.use-case.ts';
import { type UnitTrend, unitTrend } from './unit-trend.use-case.ts';

/** What people (and the worker) may see: findings, a unit's breakdown, standings. */
export interface Queries {
  getFinding(actor: Actor, findingId: string): Promise<Result<FindingView>>;
  /**
   * How one finding counts as of a day, explained from its own clause's findings (what its notice
   * shows), to those who may see its unit's findings; null when this year's ledger has no such
   * finding of that unit and clause.
   */
  findingResult(
    actor: Actor,
    finding: { id: string; unit: string; clause: string },
    asOf: string,
  ): Promise<Result<FindingResult | null>>;
  /** Who submitted the finding's rectification last (to name them after a review); null if nobody has. */
  rectificationSubmitter(actor: Actor, findingId: string): Promise<Result<MemberIdentity[] | null>>;
  /** Own unit for unit contacts; any unit (canonical or alias) for organisers and inspectors. */
  unitBreakdown(actor: Actor, cmd: { unit?: string; asOf?: string }): Promise<Result<UnitBreakdown>>;
  /** The unit's total at each month end and its sections against full marks (the /myscore charts). */
  unitTrend(actor: Actor, cmd: { unit?: string; asOf?: string }): Promise<Result<UnitTrend>>;
  groupStandings(actor: Actor, cmd: { asOf?: string }): Promise<Result<GroupStandings>>;
  /** Anyone known may see what was published; null until a month has been closed and published. */
  publishedStandings(actor: Actor): Promise<Result<PublishedStandings | null>>;
  /** The engine's standings as of a day (snapshots, month close). */
  standingsAsOf(actor: Actor, day: string): Promise<Result<Standings>>;
}

export function queriesModule(ctx: AssessmentContext): Queries {
  return {
    getFinding: (actor, findingId) => getFinding(ctx, actor, findingId),
    rectificationSubmitter: (actor, findingId) => rectificationSubmitter(ctx, actor, findingId),
    findingResult: (actor, finding, asOf) => findingResult(ctx, actor, finding, asOf),
    unitBreakdown: (actor, cmd) => unitBreakdown(ctx, actor, cmd),
    unitTrend: (actor, cmd) => unitTrend(ctx, actor, cmd),
    groupStandings: (actor, cmd) => groupStandings(ctx, actor, cmd),
    publishedStandings: (actor) => publishedStandings(ctx, actor),
    standingsAsOf: (actor, day) => standingsAsOf(ctx, actor, day),
  };
}
