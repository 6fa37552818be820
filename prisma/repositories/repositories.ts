// Every repository over one Prisma client, for composition roots (worker/main.ts) and for tests
// and benches that start the worker in-process. The caller owns the client (and disconnects it).

import type { PrismaClient } from '../generated/client.ts';
import { DeploymentRepository } from './deployment.repository.ts';
import { MonthStateRepository } from './month-state.repository.ts';
import {
  NotificationLedgerRepository,
  type NotificationLedgerRepositoryOptions,
} from './notification-ledger.repository.ts';
import { PrismaAssessmentStore } from './prisma-assessment-store.ts';
import { RecipientDirectoryRepository } from './recipient-directory.repository.ts';
import { StandingSnapshotsRepository } from './standing-snapshots.repository.ts';

export interface Repositories {
  store: PrismaAssessmentStore;
  ledger: NotificationLedgerRepository;
  snapshots: StandingSnapshotsRepository;
  recipients: RecipientDirectoryRepository;
  months: MonthStateRepository;
  deployment: DeploymentRepository;
}

export function createRepositories(prisma: PrismaClient, opts: NotificationLedgerRepositoryOptions = {}): Repositories {
  return {
    store: new PrismaAssessmentStore(prisma),
    ledger: new NotificationLedgerRepository(prisma, opts),
    snapshots: new StandingSnapshotsRepository(prisma),
    recipients: new RecipientDirectoryRepository(prisma),
    months: new MonthStateRepository(prisma),
    deployment: new DeploymentRepository(prisma),
  };
}
