// The deployment's go-live date (shared/spec/lifecycle.md "Go-live"): months that ended before it
// are closed silently — snapshots written, no messages. KAOPING_START_DATE sets it; otherwise it is
// the day the deployment was first set up, stored the first time it is asked for and kept after.
// The PostgreSQL implementation is prisma/repositories/deployment.repository.ts.

export interface DeploymentPort {
  /** The stored start date (YYYY-MM-DD); `firstDay` is stored and returned when there is none yet. */
  startDate(firstDay: string): Promise<string>;
}
