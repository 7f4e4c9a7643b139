// Pure parts of the dev supervisor (infra/scripts/supervise.ts): which instances run on which
// ports, and how long to wait before restarting one that exited. No I/O, so unit-testable.
import { SERVICES } from './migrate-all.ts';

export type ServiceName = (typeof SERVICES)[number];

/** The services' own default ports (each main.ts), used when `<SERVICE>_PORT` is unset. */
const DEFAULT_PORTS: Record<ServiceName, number> = { desk: 3000, intake: 3001, triage: 3002, assignment: 3003, escalation: 3004 };

export interface Instance {
  /** `desk` for the first instance, `desk-2`, `desk-3`, … for the others; names its log and pid files. */
  name: string;
  service: ServiceName;
  /** 1-based. */
  index: number;
  port: number;
  /** The env variable the service reads its port from, e.g. DESK_PORT. */
  portVar: string;
}

export interface RestartPolicy {
  minMs: number;
  maxMs: number;
  /** A run at least this long counts as good: the next restart waits minMs again. */
  resetAfterMs: number;
}

export interface Plan {
  instances: Instance[];
  restart: RestartPolicy;
  /** Seconds `wait` waits for every instance's /readyz before reporting which is not ready. */
  readyTimeoutS: number;
  /** Bound on a graceful stop of one process before SIGKILL. */
  stopTimeoutMs: number;
  /** Where the other services fetch the revoked-token list: INTAKE_URL, else every intake instance's URL, comma-separated. */
  intakeUrl: string;
  /** Address the probes use: HOST, unless it is a wildcard. */
  probeHost: string;
}

export class PlanError extends Error {}

type Env = Record<string, string | undefined>;

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new PlanError(`${name}=${raw}: expected an integer from ${min} to ${max}`);
  return n;
}

/**
 * Instance k (1-based) of a service listens on its base port (`<SERVICE>_PORT`, default 3000–3004)
 * plus (k − 1) × GRIDCASE_PORT_STEP (default 10): with two instances desk runs on 3000 and 3010,
 * intake on 3001 and 3011, and so on. Every port must be distinct and fixed (no 0), since the
 * supervisor probes them.
 */
export function planFromEnv(env: Env): Plan {
  const count = int(env, 'GRIDCASE_INSTANCES', 1, 1, 20);
  const step = int(env, 'GRIDCASE_PORT_STEP', 10, 1, 1000);
  const instances: Instance[] = [];
  for (const service of SERVICES) {
    const portVar = `${service.toUpperCase()}_PORT`;
    const base = int(env, portVar, DEFAULT_PORTS[service], 1, 65535);
    for (let index = 1; index <= count; index++) {
      const port = base + (index - 1) * step;
      if (port > 65535) throw new PlanError(`${service} instance ${index} would need port ${port} (${portVar}=${base}, GRIDCASE_PORT_STEP=${step})`);
      instances.push({ name: index === 1 ? service : `${service}-${index}`, service, index, port, portVar });
    }
  }
  const byPort = new Map<number, string>();
  for (const i of instances) {
    const other = byPort.get(i.port);
    if (other) throw new PlanError(`${other} and ${i.name} would both use port ${i.port}; change the *_PORT variables or GRIDCASE_PORT_STEP`);
    byPort.set(i.port, i.name);
  }
  const minMs = int(env, 'GRIDCASE_RESTART_MIN_MS', 1000, 1, 3_600_000);
  const restart = {
    minMs,
    maxMs: int(env, 'GRIDCASE_RESTART_MAX_MS', 30_000, minMs, 3_600_000),
    resetAfterMs: int(env, 'GRIDCASE_RESTART_RESET_MS', 60_000, 0, 86_400_000),
  };
  const host = env.HOST && env.HOST !== '0.0.0.0' && env.HOST !== '::' ? env.HOST : '127.0.0.1';
  const probeHost = host.includes(':') ? `[${host}]` : host;
  const intakes = instances.filter((i) => i.service === 'intake');
  return {
    instances,
    restart,
    readyTimeoutS: int(env, 'GRIDCASE_READY_TIMEOUT', 120, 1, 86_400),
    stopTimeoutMs: int(env, 'GRIDCASE_STOP_TIMEOUT_MS', 20_000, 100, 600_000),
    // Every intake instance, comma-separated: a service asks the next while one does not answer (Failover, audit25 #5).
    intakeUrl: env.INTAKE_URL || intakes.map((i) => `http://${probeHost}:${i.port}`).join(','),
    probeHost,
  };
}

/**
 * Delay before restarting a process that exited after running `uptimeMs`: minMs after a good run
 * (or the first exit), else double the previous delay, capped at maxMs.
 */
export function restartDelay(policy: RestartPolicy, previousDelayMs: number | undefined, uptimeMs: number): number {
  if (previousDelayMs === undefined || uptimeMs >= policy.resetAfterMs) return policy.minMs;
  return Math.min(previousDelayMs * 2, policy.maxMs);
}
