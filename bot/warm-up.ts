import type { Logger } from 'pino';
import { systemActor } from '../core/assessment-api.ts';
import type { Assessment } from '../core/assessment.ts';
import { errorLine } from '../adapters/observability/connection-errors.ts';

// Before the bot's port opens: the year's ledger cache (every finding scored) and each unit's
// breakdown for today — what the first /myscore and /standings after a deploy would otherwise
// build while a burst of requests waits for the event loop (README "Benchmarks", load: the cold
// first burst is the slowest). The port opens afterwards, so an orchestrator's /readyz sees the
// bot only once it is warm. A failure (the database not there yet) is logged and the bot starts
// anyway: its requests then pay the cold start, and /readyz reports the database.

export async function warmUp(assessment: Assessment, logger: Logger): Promise<void> {
  const started = performance.now();
  const actor = systemActor('bot');
  const year = Number(assessment.today().slice(0, 4));
  if (!assessment.forYear(year)) {
    logger.info({ year, held: assessment.years }, 'nothing to warm: no rulebook for this year');
    return;
  }
  try {
    const standings = await assessment.queries.standingsAsOf(actor, assessment.today());
    if (!standings.ok) throw standings.error;
    // one at a time: a warm-up that competes with itself is no faster
    for (const unit of assessment.rulebook.units.keys()) await assessment.queries.unitBreakdown(actor, { unit });
    logger.info(
      { units: assessment.rulebook.units.size, ms: Math.round(performance.now() - started) },
      'warm: standings and every unit’s breakdown',
    );
  } catch (e) {
    logger.warn({ err: errorLine(e) }, 'not warmed; the first requests pay the cold start');
  }
}
