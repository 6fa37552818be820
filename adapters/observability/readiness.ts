// /readyz: is each dependency reachable right now? Each check gets a deadline, so a hung
// connection reports "timeout" instead of hanging the probe; nothing but a short reason is
// reported (no URLs, no driver messages that might carry credentials).

export interface ReadinessCheck {
  name: string;
  check(): Promise<void>;
}

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, 'ok' | 'timeout' | 'unreachable'>;
}

export async function checkReadiness(checks: readonly ReadinessCheck[], timeoutMs = 2_000): Promise<ReadinessReport> {
  const entries = await Promise.all(
    checks.map(async (c) => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), timeoutMs);
      });
      const outcome = await Promise.race([
        c.check().then(
          () => 'ok' as const,
          () => 'unreachable' as const,
        ),
        timeout,
      ]);
      clearTimeout(timer);
      return [c.name, outcome] as const;
    }),
  );
  return { ready: entries.every(([, o]) => o === 'ok'), checks: Object.fromEntries(entries) };
}

/** PostgreSQL answers a trivial query (any client with $queryRaw, e.g. PrismaClient). */
export function postgresCheck(db: { $queryRaw: (q: TemplateStringsArray) => Promise<unknown> }): ReadinessCheck {
  return { name: 'postgres', check: async () => void (await db.$queryRaw`SELECT 1`) };
}

/** Redis answers PING. */
export function redisCheck(redis: { ping(): Promise<string> }): ReadinessCheck {
  return { name: 'redis', check: async () => void (await redis.ping()) };
}
