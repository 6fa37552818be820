import { readdirSync, readFileSync } from 'node:fs';

// CPU time of the processes a bench measures beside its own (the bot in its own process,
// PostgreSQL's backends, Redis) and of the whole machine, read from Linux's /proc.

/** utime + stime of a /proc/<pid>/stat line, in ms (Linux; clock ticks of 10 ms). */
function statCpuMs(stat: string): number {
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(f[11]) + Number(f[12])) * 1000) / 100;
}

/** CPU ms per process of these programs (PostgreSQL's backends, Redis), by pid, from /proc. */
function cpuByPid(names: readonly string[]): Map<number, { name: string; ms: number }> {
  const out = new Map<number, { name: string; ms: number }>();
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const name = names.find((n) => comm.startsWith(n));
      if (!name) continue;
      out.set(Number(pid), { name, ms: statCpuMs(stat) });
    } catch {
      // the process ended while we read
    }
  }
  return out;
}

/** CPU ms per program between two readings (a process that ended meanwhile is not counted). */
function cpuSince(before: Map<number, { name: string; ms: number }>, names: readonly string[]): Map<string, number> {
  const out = new Map(names.map((n) => [n, 0]));
  for (const [pid, now] of cpuByPid(names)) out.set(now.name, out.get(now.name)! + now.ms - (before.get(pid)?.ms ?? 0));
  return out;
}

/** Busy and total jiffies of all CPUs (/proc/stat's first line). */
export function machineJiffies(): { busy: number; total: number } {
  const f = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = f.reduce((a, b) => a + b, 0);
  return { busy: total - f[3]! - (f[4] ?? 0), total };
}

/** CPU ms of one process so far. */
export function procCpuMs(pid: number): number {
  return statCpuMs(readFileSync(`/proc/${pid}/stat`, 'utf8'));
}

/** CPU ms of this process (all its threads), PostgreSQL's backends and Redis, over a stretch of a run. */
export interface BenchAndServersCpu {
  bench: number;
  postgres: number;
  redis: number;
}

/** Starts measuring this process's, PostgreSQL's and Redis's CPU; call the result at the end. */
export function meterBenchAndServers(): () => BenchAndServersCpu {
  const programs = ['postgres', 'redis-server'] as const;
  const servers0 = cpuByPid(programs);
  const own0 = process.cpuUsage();
  return () => {
    const own = process.cpuUsage(own0);
    const servers = cpuSince(servers0, programs);
    return {
      bench: (own.user + own.system) / 1000,
      postgres: servers.get('postgres')!,
      redis: servers.get('redis-server')!,
    };
  };
}
