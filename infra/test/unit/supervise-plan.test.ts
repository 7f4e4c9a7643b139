import { describe, expect, it } from 'vitest';
import { PlanError, planFromEnv, restartDelay } from '../../scripts/supervise-plan.ts';

const ports = (env: Record<string, string>) => Object.fromEntries(planFromEnv(env).instances.map((i) => [i.name, i.port]));

describe('supervisor plan', () => {
  it('runs one instance of each service on the README ports by default, intake first in the URL', () => {
    const plan = planFromEnv({});
    expect(ports({})).toEqual({ intake: 3001, triage: 3002, assignment: 3003, escalation: 3004, desk: 3000 });
    expect(plan.intakeUrl).toBe('http://127.0.0.1:3001');
    expect(plan.restart).toEqual({ minMs: 1000, maxMs: 30_000, resetAfterMs: 60_000 });
    expect(plan.readyTimeoutS).toBe(120);
  });

  it('puts instance k on base + (k - 1) × step, from each service port variable', () => {
    const env = { GRIDCASE_INSTANCES: '2', DESK_PORT: '23000', INTAKE_PORT: '23001', TRIAGE_PORT: '23002', ASSIGNMENT_PORT: '23003', ESCALATION_PORT: '23004' };
    expect(ports(env)).toEqual({
      intake: 23001, 'intake-2': 23011, triage: 23002, 'triage-2': 23012, assignment: 23003, 'assignment-2': 23013,
      escalation: 23004, 'escalation-2': 23014, desk: 23000, 'desk-2': 23010,
    });
    expect(ports({ ...env, GRIDCASE_PORT_STEP: '100' })['desk-2']).toBe(23100);
    // Every intake: the others ask the next while one does not answer (audit25 #5).
    expect(planFromEnv(env).intakeUrl).toBe('http://127.0.0.1:23001,http://127.0.0.1:23011');
    expect(planFromEnv({ ...env, INTAKE_URL: 'http://10.0.0.5:3001' }).intakeUrl).toBe('http://10.0.0.5:3001');
  });

  it('refuses colliding ports, port 0 and nonsense counts, naming the variable', () => {
    expect(() => planFromEnv({ GRIDCASE_INSTANCES: '2', GRIDCASE_PORT_STEP: '1' })).toThrow(/intake-2 and triage would both use port 3002/);
    expect(() => planFromEnv({ DESK_PORT: '3002' })).toThrow(PlanError);
    expect(() => planFromEnv({ DESK_PORT: '0' })).toThrow(/DESK_PORT=0/);
    expect(() => planFromEnv({ GRIDCASE_INSTANCES: 'two' })).toThrow(/GRIDCASE_INSTANCES=two/);
    expect(() => planFromEnv({ GRIDCASE_RESTART_MIN_MS: '5000', GRIDCASE_RESTART_MAX_MS: '1000' })).toThrow(/GRIDCASE_RESTART_MAX_MS/);
  });

  it('probes the loopback when services listen on every address', () => {
    expect(planFromEnv({ HOST: '0.0.0.0' }).probeHost).toBe('127.0.0.1');
    expect(planFromEnv({ HOST: '::1' }).intakeUrl).toBe('http://[::1]:3001');
  });
});

describe('restart backoff', () => {
  const policy = { minMs: 1000, maxMs: 30_000, resetAfterMs: 60_000 };

  it('doubles from 1 s to at most 30 s while the process keeps dying quickly', () => {
    const delays: number[] = [];
    let previous: number | undefined;
    for (let i = 0; i < 8; i++) {
      previous = restartDelay(policy, previous, 500);
      delays.push(previous);
    }
    expect(delays).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]);
  });

  it('starts again from 1 s after a minute of good running', () => {
    expect(restartDelay(policy, 30_000, 60_000)).toBe(1000);
    expect(restartDelay(policy, 30_000, 59_999)).toBe(30_000);
  });
});
