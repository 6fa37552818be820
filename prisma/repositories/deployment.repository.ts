// The go-live date on PostgreSQL (one `deployment` row); the rules are core/ports/deployment.port.ts.

import type { PrismaClient } from '../generated/client.ts';
import type { DeploymentPort } from '../../core/ports/deployment.port.ts';

export class DeploymentRepository implements DeploymentPort {
  constructor(private readonly db: Pick<PrismaClient, 'deployment'>) {}

  async startDate(firstDay: string): Promise<string> {
    // Insert-if-absent: concurrent first starts agree on the first row written.
    const row = await this.db.deployment.upsert({
      where: { id: 1 },
      create: { id: 1, startDate: new Date(`${firstDay}T00:00:00Z`) },
      update: {},
    });
    return row.startDate.toISOString().slice(0, 10);
  }
}
