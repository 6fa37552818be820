// The part of autocannon 9's API that the benches use (the package ships no types).
declare module 'autocannon' {
  export interface Stats {
    average: number;
    p50: number;
    p99: number;
    max: number;
  }
  export interface AutocannonRequest {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string;
    setupRequest?: (req: AutocannonRequest, context: Record<string, unknown>) => AutocannonRequest;
  }
  export interface Options {
    url: string;
    connections?: number;
    pipelining?: number;
    amount?: number;
    duration?: number;
    timeout?: number;
    /** ms between samples (default 1000); a run with `amount` reports at the next one */
    sampleInt?: number;
    requests?: AutocannonRequest[];
  }
  export interface Result {
    latency: Stats;
    requests: Stats & { total: number; sent: number };
    duration: number;
    errors: number;
    timeouts: number;
    non2xx: number;
    '2xx': number;
  }
  /** The run: a promise of its result, and its events ('response' once per answer). */
  export interface Instance extends Promise<Result> {
    on(event: 'response', listener: (...args: unknown[]) => void): this;
  }
  function autocannon(opts: Options): Instance;
  export default autocannon;
}
