import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { envReadBy, portVarOf } from '../service-env.ts';

// No Docker engine runs on the development machines, so the compose file is checked against the code instead.
const root = fileURLToPath(new URL('../../..', import.meta.url));
const compose = parse(readFileSync(`${root}docker-compose.yml`, 'utf8'), { merge: true });
const CONTRACT_PORTS = { desk: 3000, intake: 3001, triage: 3002, assignment: 3003, escalation: 3004 } as const;

describe('docker-compose.yml', () => {
  it('runs Kafka (KRaft), Postgres, topic and migrate jobs and the five services', () => {
    expect(Object.keys(compose.services).sort()).toEqual(
      ['assignment', 'desk', 'escalation', 'intake', 'kafka', 'migrate', 'postgres', 'topics', 'triage'].sort(),
    );
    expect(compose.services.kafka.image).toMatch(/^apache\/kafka:4\./);
    expect(compose.services.kafka.environment.KAFKA_PROCESS_ROLES).toBe('broker,controller');
    expect(compose.services.kafka.environment.KAFKA_AUTO_CREATE_TOPICS_ENABLE).toBe('false');
  });

  it('gives each service its contract port, its port variable, a readiness healthcheck, and one image', () => {
    for (const [service, port] of Object.entries(CONTRACT_PORTS)) {
      const def = compose.services[service];
      expect(def.ports, service).toContain(`127.0.0.1:${port}:${port}`);
      const portVar = portVarOf(service);
      expect(portVar, service).toBe(`${service.toUpperCase()}_PORT`);
      expect(def.environment[portVar!], service).toBe(String(port));
      expect(def.environment.SERVICE, service).toBe(service);
      expect(def.healthcheck.test, service).toEqual(['CMD', 'node', 'infra/docker/healthcheck.ts', '/readyz']);
      expect(def.depends_on.migrate.condition).toBe('service_completed_successfully');
      expect(def.depends_on.topics.condition).toBe('service_completed_successfully');
    }
    // Every gridcase process, jobs included, runs the one image built from the one Dockerfile.
    for (const name of [...Object.keys(CONTRACT_PORTS), 'topics', 'migrate']) {
      expect(compose.services[name].image, name).toBe(compose.services.intake.image);
      expect(compose.services[name].build.dockerfile, name).toBe('infra/docker/Dockerfile');
    }
    expect(existsSync(`${root}infra/docker/Dockerfile`)).toBe(true);
  });

  it('sets only env vars the code reads (plus SERVICE, which picks the process), and every required one', () => {
    for (const service of Object.keys(CONTRACT_PORTS)) {
      const env = Object.keys(compose.services[service].environment);
      const known = envReadBy(service);
      const unknown = env.filter((name) => !known.has(name) && name !== 'SERVICE');
      expect(unknown, `${service} sets variables its code never reads`).toEqual([]);
      for (const required of ['DATABASE_URL', 'KAFKA_BROKERS', 'ADMIN_TOKEN']) expect(env, service).toContain(required);
      // Every URL defaults to 127.0.0.1, which in a container is the container itself.
      for (const url of [...known].filter((name) => name.endsWith('_URL'))) expect(env, `${service} must set ${url}`).toContain(url);
    }
  });

  it('runs scripts that exist, as one-off jobs without a healthcheck', () => {
    for (const job of ['topics', 'migrate']) {
      const script = compose.services[job].command.at(-1);
      expect(existsSync(`${root}${script}`), script).toBe(true);
      expect(compose.services[job].healthcheck.disable, job).toBe(true);
      expect(compose.services[job].restart, job).toBeUndefined();
    }
  });
});
