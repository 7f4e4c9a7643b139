import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BaseConfig } from '@gridcase/service-kit';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

// No Docker engine runs on the development machines, so the compose file is checked against the code instead.
const root = fileURLToPath(new URL('../../..', import.meta.url));
const compose = parse(readFileSync(`${root}docker-compose.yml`, 'utf8'), { merge: true });
const CONTRACT_PORTS = { desk: 3000, intake: 3001, triage: 3002, assignment: 3003, escalation: 3004 } as const;

const mainOf = (service: string) => readFileSync(`${root}services/${service}/src/main.ts`, 'utf8');
/** Env names a service reads: the shared settings, its port variable, and its own config keys. */
const envReadBy = (service: string): Set<string> => {
  const source = mainOf(service);
  const own = [...source.matchAll(/\b([A-Z][A-Z0-9_]{2,}):\s*(?:z\.|port\()/g)].map((m) => m[1]!);
  const portVar = /portVar:\s*'([A-Z_]+)'/.exec(source)?.[1];
  return new Set([...Object.keys(BaseConfig.shape), ...own, ...(portVar ? [portVar] : [])]);
};

describe('docker-compose.yml', () => {
  it('runs Kafka (KRaft), Postgres, topic and migrate jobs and the five services', () => {
    expect(Object.keys(compose.services).sort()).toEqual(
      ['assignment', 'desk', 'escalation', 'intake', 'kafka', 'migrate', 'postgres', 'topics', 'triage'].sort(),
    );
    expect(compose.services.kafka.image).toMatch(/^apache\/kafka:4\./);
    expect(compose.services.kafka.environment.KAFKA_PROCESS_ROLES).toBe('broker,controller');
    expect(compose.services.kafka.environment.KAFKA_AUTO_CREATE_TOPICS_ENABLE).toBe('false');
  });

  it('gives each service its contract port, its port variable, a healthcheck, and builds one Dockerfile', () => {
    for (const [service, port] of Object.entries(CONTRACT_PORTS)) {
      const def = compose.services[service];
      expect(def.ports, service).toContain(`127.0.0.1:${port}:${port}`);
      const portVar = /portVar:\s*'([A-Z_]+)'/.exec(mainOf(service))?.[1];
      expect(portVar, service).toBe(`${service.toUpperCase()}_PORT`);
      expect(def.environment[portVar!], service).toBe(String(port));
      expect(def.healthcheck.test.join(' '), service).toContain('/readyz');
      expect(def.build.dockerfile).toBe('infra/docker/Dockerfile');
      expect(def.build.args.SERVICE).toBe(service);
      expect(def.depends_on.migrate.condition).toBe('service_completed_successfully');
    }
    expect(existsSync(`${root}infra/docker/Dockerfile`)).toBe(true);
  });

  it('sets only env vars the code reads (plus the healthcheck port), and every required one', () => {
    for (const service of Object.keys(CONTRACT_PORTS)) {
      const env = Object.keys(compose.services[service].environment);
      const known = envReadBy(service);
      const unknown = env.filter((name) => !known.has(name) && name !== 'PORT_CHECK');
      expect(unknown, `${service} sets variables its code never reads`).toEqual([]);
      for (const required of ['DATABASE_URL', 'KAFKA_BROKERS', 'ADMIN_TOKEN']) expect(env, service).toContain(required);
      expect(compose.services[service].environment.PORT_CHECK, service).toBe(String(CONTRACT_PORTS[service as keyof typeof CONTRACT_PORTS]));
    }
  });

  it('runs scripts that exist', () => {
    for (const job of ['topics', 'migrate']) {
      const script = compose.services[job].command.at(-1);
      expect(existsSync(`${root}${script}`), script).toBe(true);
    }
  });
});
