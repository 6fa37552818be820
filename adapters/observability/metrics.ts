import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

// Prometheus metrics of one process (bot or worker), on its own registry so tests and the two
// processes never share counters. Names follow Prometheus conventions (base units, _total).
// Labels are closed sets (command names, outcomes, queue names) — never user input.

// request outcomes: ok | refused | failed | unavailable; notification outcomes: sent | failed | unknown

export class Metrics {
  readonly registry = new Registry();
  readonly requests: Counter<'command' | 'outcome'>;
  readonly ackLatency: Histogram<'kind'>;
  readonly findingsFiled: Counter;
  readonly jobs: Counter<'queue' | 'state'>;
  readonly notifications: Counter<'outcome'>;
  readonly rateLimiterWaits: Counter;
  readonly rateLimiterWaitSeconds: Histogram;

  constructor(opts: { process: 'bot' | 'worker'; defaultMetrics?: boolean }) {
    this.registry.setDefaultLabels({ process: opts.process });
    if (opts.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry, prefix: 'kaoping_' });
    const registers = [this.registry];
    this.requests = new Counter({
      name: 'kaoping_requests_total',
      help: 'Chat requests by command (slash command, action or view) and outcome',
      labelNames: ['command', 'outcome'],
      registers,
    });
    this.ackLatency = new Histogram({
      name: 'kaoping_ack_latency_seconds',
      help: 'Time from a Slack request reaching the receiver to its HTTP acknowledgement',
      labelNames: ['kind'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5],
      registers,
    });
    this.findingsFiled = new Counter({
      name: 'kaoping_findings_filed_total',
      help: 'Findings filed through chat',
      registers,
    });
    this.jobs = new Counter({
      name: 'kaoping_jobs_total',
      help: 'Worker jobs by queue and final state of the attempt (completed, failed)',
      labelNames: ['queue', 'state'],
      registers,
    });
    this.notifications = new Counter({
      name: 'kaoping_notifications_total',
      help: 'Notifications by outcome: sent, failed, or unknown (the platform may or may not have it)',
      labelNames: ['outcome'],
      registers,
    });
    this.rateLimiterWaits = new Counter({
      name: 'kaoping_rate_limiter_waits_total',
      help: 'Sends that had to wait for the rate limiter',
      registers,
    });
    this.rateLimiterWaitSeconds = new Histogram({
      name: 'kaoping_rate_limiter_wait_seconds',
      help: 'How long a send waited for the rate limiter',
      buckets: [0.05, 0.1, 0.5, 1, 2, 5, 10, 30, 60],
      registers,
    });
  }

  /** The text exposition format for GET /metrics. */
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
