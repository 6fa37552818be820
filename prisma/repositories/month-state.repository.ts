// Month state on PostgreSQL (assessment_month, audit_log); the rules are core/ports/month-state.port.ts.

import type { PrismaClient } from '../generated/client.ts';
import {
  MONTH_CLOSED_AUDIT,
  monthEntityId,
  type MonthState,
  type MonthStatePort,
} from '../../core/ports/month-state.port.ts';

export type MonthStateDb = Pick<PrismaClient, 'assessmentMonth' | 'auditLog'>;

export class MonthStateRepository implements MonthStatePort {
  constructor(private readonly db: MonthStateDb) {}

  async monthState(rulebookId: string, month: string): Promise<MonthState | null> {
    const row = await this.db.assessmentMonth.findUnique({
      where: { rulebookId_month: { rulebookId, month } },
      select: { state: true },
    });
    return row?.state ?? null;
  }

  timesClosed(rulebookId: string, month: string): Promise<number> {
    return this.db.auditLog.count({
      where: { ...MONTH_CLOSED_AUDIT, entityId: monthEntityId(rulebookId, month) },
    });
  }
}
