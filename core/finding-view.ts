import type { FindingView } from './assessment-api.ts';
import type { LedgerRow, StoredFinding } from './ports/assessment-store.port.ts';
import type { Rulebook } from '../rules/rulebook.ts';
import type { EngineFinding } from '../rules/engine/types.ts';
import { isOverdue } from '../rules/engine/compute-standings.ts';

export function isOverdueOn(rb: Rulebook, f: LedgerRow, day: string): boolean {
  return isOverdue(rb, toEngineFinding(f), day);
}

export function toFindingView(rb: Rulebook, f: StoredFinding, today: string): FindingView {
  const clause = rb.clauses.get(f.clauseId);
  let workingDaysLeft: number | null = null;
  if (f.deadline !== null) {
    try {
      workingDaysLeft = rb.calendar.workingDaysBetween(today, f.deadline);
    } catch {
      workingDaysLeft = null; // a day outside the calendar's years: show the date only
    }
  }
  return {
    id: f.id,
    seq: f.seq,
    rulebookId: f.rulebookId,
    unit: f.unit,
    group: rb.units.get(f.unit)?.group ?? '',
    clause: f.clauseId,
    section: clause?.section ?? '',
    date: f.date,
    count: f.count,
    value: f.value,
    level: f.level,
    source: f.source,
    deadline: f.deadline,
    status: f.status,
    rectifiedOn: f.rectifiedOn,
    overdue: isOverdueOn(rb, f, today),
    workingDaysLeft,
    evidenceText: f.evidenceText,
    evidenceLinks: f.evidenceLinks,
    filedBy: f.filedBy,
    filedAt: f.filedAt.toISOString(),
    withdrawReason: f.withdrawReason,
    underAppeal: f.underAppeal,
    noticeRef: f.noticeRef,
  };
}

export function toEngineFinding(f: LedgerRow): EngineFinding {
  return {
    id: f.id,
    unit: f.unit,
    clause: f.clauseId,
    date: f.date,
    filedSeq: f.seq,
    count: f.count,
    value: f.value,
    level: f.level,
    source: f.source,
    deadline: f.deadline,
    rectifiedOn: f.status === 'verified' ? f.rectifiedOn : null,
    withdrawn: f.status === 'withdrawn',
  };
}
