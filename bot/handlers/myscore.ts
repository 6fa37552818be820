import { z } from 'zod';
import { parseIsoDate } from '../../rules/dates.ts';
import type { Locale } from '../../core/i18n/locale.ts';
import { t } from '../../core/i18n/t.ts';
import { errorMessage } from '../../core/messages/standings.ts';
import { context, message, paragraph, type Message } from '../../core/messages/message.ts';
import type { BotDeps, Interaction } from '../interaction.ts';
import { myScoreMessage, whyMessage } from './myscore-message.ts';
import { guarded, localeOf } from './standings-format.ts';
import type { Actor } from '../../core/assessment-api.ts';
import type { Assessment } from '../../core/assessment.ts';
import { type ChartSpec, scoreTrendChart, sectionChart } from '../../core/reports/chart-spec.ts';
import { renderChartPng } from '../../adapters/reports/chart-png.renderer.ts';
import { deliverFilesPrivately } from './file-delivery.ts';
import { assessmentOfYear, YEAR_WORD } from './assessment-year.ts';

// /myscore [unit] [why] [YYYY-MM-DD | YYYY]
//   unit contacts: their own unit (asking for another one is refused);
//   organisers and inspectors: any unit by canonical name or alias (their own has no default).
//   "why" lists the findings behind each deduction; a date shows the standing as of that day, a
//   year that assessment year (as of today, or its last day); by default today's year.

export const WHY_WORDS = new Set(['why', '为什么', '原因', '扣分原因', '明细', 'details']);
/** "chart": the unit's monthly trend and section chart as pictures. */
export const CHART_WORDS = new Set(['chart', 'charts', '图表', '图', '趋势']);

export interface MyScoreRequest {
  unit?: string;
  why: boolean;
  chart?: boolean;
  asOf?: string;
  year?: number;
}

const requestSchema = z.object({
  unit: z.string().trim().min(1).max(60).optional(),
  why: z.boolean(),
  chart: z.boolean().optional(),
  asOf: z
    .string()
    .refine((d) => parseIsoDate(d) !== null)
    .optional(),
});

export type ParsedMyScore =
  | { ok: true; value: MyScoreRequest }
  | { ok: false; problem: 'date' | 'extra' | 'invalid'; value: string };

/** The command text, validated: at most one unit, one date, and the "why" word, in any order. */
export function parseMyScoreText(raw: string): ParsedMyScore {
  const words = raw
    .replace(/[\u3000\s]+/g, ' ')
    .trim()
    .split(' ')
    .filter(Boolean);
  let why = false;
  let chart = false;
  let asOf: string | undefined;
  let year: number | undefined;
  const rest: string[] = [];
  for (const w of words) {
    if (WHY_WORDS.has(w.toLowerCase())) why = true;
    else if (CHART_WORDS.has(w.toLowerCase())) chart = true;
    else if (YEAR_WORD.test(w) && year === undefined) year = Number(w);
    else if (/^\d{4}-\d/.test(w)) {
      if (asOf !== undefined || !/^\d{4}-\d{2}-\d{2}$/.test(w)) return { ok: false, problem: 'date', value: w };
      asOf = w;
    } else rest.push(w);
  }
  if (rest.length > 1) return { ok: false, problem: 'extra', value: rest.slice(1).join(' ') };
  const parsed = requestSchema.safeParse({
    why,
    ...(chart ? { chart } : {}),
    ...(rest[0] ? { unit: rest[0] } : {}),
    ...(asOf ? { asOf } : {}),
  });
  if (!parsed.success)
    return {
      ok: false,
      problem: parsed.error.issues[0]?.path[0] === 'asOf' ? 'date' : 'invalid',
      value: parsed.error.issues[0]?.path[0] === 'asOf' ? (asOf ?? '') : raw.trim(),
    };
  const v = parsed.data;
  return {
    ok: true,
    value: {
      why: v.why,
      ...(v.chart ? { chart: true } : {}),
      ...(v.unit ? { unit: v.unit } : {}),
      ...(v.asOf ? { asOf: v.asOf } : {}),
      ...(year === undefined ? {} : { year }),
    },
  };
}

export function myScoreUsage(locale: Locale, problem?: { problem: string; value: string }): Message {
  const what = problem
    ? problem.problem === 'date'
      ? t(locale, 'bot.myscore.usage.badDate', { value: problem.value })
      : problem.problem === 'extra'
        ? t(locale, 'bot.myscore.usage.extra', { value: problem.value })
        : t(locale, 'bot.myscore.usage.invalid', { value: problem.value })
    : null;
  return message([
    what ? paragraph(what) : null,
    paragraph(t(locale, 'bot.myscore.usage')),
    context(t(locale, 'bot.myscore.usage.examples')),
  ]);
}

/** `/myscore …` typed in any messenger. */
export async function handleMyScore(deps: BotDeps, ix: Interaction, rawText: string): Promise<void> {
  await guarded(deps, ix, 'myscore', async () => {
    const locale = localeOf(ix);
    if (!ix.actor.ok) return ix.replyPrivately(errorMessage(locale, ix.actor.error));
    const parsed = parseMyScoreText(rawText);
    if (!parsed.ok) return ix.replyPrivately(myScoreUsage(locale, parsed));
    await replyUnit(deps, ix, parsed.value);
  });
}

/** Buttons: "why", "charts" and "view unit" carry the unit's name. */
export async function handleUnitButton(
  deps: BotDeps,
  ix: Interaction,
  unit: string,
  why: boolean,
  chart = false,
): Promise<void> {
  await guarded(deps, ix, chart ? 'myscore.chart' : why ? 'myscore.why' : 'myscore.view', async () => {
    const locale = localeOf(ix);
    if (!ix.actor.ok) return ix.replyPrivately(errorMessage(locale, ix.actor.error));
    const parsed = requestSchema.safeParse({ unit, why });
    if (!parsed.success) return ix.replyPrivately(myScoreUsage(locale, { problem: 'invalid', value: unit }));
    await replyUnit(deps, ix, {
      why,
      ...(chart ? { chart } : {}),
      ...(parsed.data.unit ? { unit: parsed.data.unit } : {}),
    });
  });
}

/** The unit's monthly trend and its sections against full marks, as two pictures sent privately. */
async function sendCharts(
  deps: BotDeps,
  year: Assessment,
  ix: Interaction,
  actor: Actor,
  req: MyScoreRequest,
): Promise<void> {
  const locale = actor.locale;
  const r = await year.queries.unitTrend(actor, {
    ...(req.unit ? { unit: req.unit } : {}),
    ...(req.asOf ? { asOf: req.asOf } : {}),
  });
  if (!r.ok) return ix.replyPrivately(errorMessage(locale, r.error));
  const trend = r.value;
  const png = (spec: ChartSpec, name: string) => ({
    filename: `${trend.unit}-${name}-${trend.asOf}.png`,
    bytes: renderChartPng(spec),
    kind: 'image' as const,
    title: spec.title,
  });
  const sent = await deliverFilesPrivately(deps, ix, [
    png(scoreTrendChart(locale, trend.unit, trend.points), 'trend'),
    png(sectionChart(locale, trend.unit, trend.sections), 'sections'),
  ]);
  if (sent) await ix.replyPrivately(message([paragraph(t(locale, 'report.myscore.chartsSent', { unit: trend.unit }))]));
}

async function replyUnit(deps: BotDeps, ix: Interaction, req: MyScoreRequest): Promise<void> {
  if (!ix.actor.ok) return;
  const actor = ix.actor.value;
  const locale = actor.locale;
  if (!req.unit && !actor.unit)
    return ix.replyPrivately(
      message([paragraph(t(locale, 'bot.myscore.whichUnit')), context(t(locale, 'bot.myscore.usage.examples'))]),
    );
  const of = assessmentOfYear(deps, req);
  if (!of.ok)
    return ix.replyPrivately(
      message([paragraph(of.error.userMessage(locale)), context(t(locale, 'bot.myscore.usage.examples'))]),
    );
  const a = of.value;
  const r = await a.queries.unitBreakdown(actor, {
    ...(req.unit ? { unit: req.unit } : {}),
    ...(req.asOf ? { asOf: req.asOf } : {}),
  });
  if (!r.ok) {
    if (r.error.code === 'AUTH.OTHER_UNIT') {
      return ix.replyPrivately(
        message([
          paragraph(t(locale, 'bot.myscore.otherUnit', { unit: actor.unit ?? '' })),
          context(t(locale, 'msg.error.code', { code: r.error.code })),
        ]),
      );
    }
    return ix.replyPrivately(errorMessage(locale, r.error));
  }
  if (req.chart) return sendCharts(deps, a, ix, actor, req);
  const b = r.value;
  const canSubmit = actor.role === 'unit_contact' && actor.unit === b.unit;
  await ix.replyPrivately(
    renderedOnce(b, `${req.why}|${locale}|${canSubmit}`, () =>
      req.why ? whyMessage(a.rulebook, locale, b) : myScoreMessage(a.rulebook, locale, b, { canSubmit }),
    ),
  );
}

/**
 * Replies rendered once per breakdown: core hands out the same breakdown object until something it
 * shows changes (unit-breakdown.use-case.ts), so a reply kept with it is current exactly as long.
 */
const rendered = new WeakMap<object, Map<string, Message>>();
function renderedOnce(b: object, key: string, render: () => Message): Message {
  let perBreakdown = rendered.get(b);
  if (!perBreakdown) {
    perBreakdown = new Map();
    rendered.set(b, perBreakdown);
  }
  let m = perBreakdown.get(key);
  if (!m) {
    m = render();
    perBreakdown.set(key, m);
  }
  return m;
}
