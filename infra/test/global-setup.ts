import { existsSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { createTemplateDatabase } from './template.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    kafkaBrokers: string;
    templateDatabase: string;
  }
}

/** Whether a Docker engine answers on its usual socket. */
async function dockerAnswers(): Promise<boolean> {
  const socket = process.env.DOCKER_HOST?.replace(/^unix:\/\//, '') ?? '/var/run/docker.sock';
  if (!existsSync(socket)) return false;
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    await getContainerRuntimeClient();
    return true;
  } catch {
    return false;
  }
}

/**
 * Finds real Kafka and Postgres: the ones the project's scripts started (KAFKA_BROKERS and
 * DATABASE_URL), else containers when a Docker engine answers, else fails saying why.
 */
export default async function setup(project: TestProject) {
  let databaseUrl = process.env.DATABASE_URL;
  let kafkaBrokers = process.env.KAFKA_BROKERS;
  const stops: (() => Promise<unknown>)[] = [];

  if (!databaseUrl || !kafkaBrokers) {
    if (!(await dockerAnswers())) {
      throw new Error(
        'integration and e2e tests need real Kafka and PostgreSQL: set KAFKA_BROKERS and DATABASE_URL ' +
          '(infra/dev test starts both and sets them), or run where a Docker engine answers for testcontainers.',
      );
    }
    if (!databaseUrl) {
      const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
      const pg = await new PostgreSqlContainer('postgres:16-alpine').withCommand(['postgres', '-c', 'fsync=off']).start();
      stops.push(() => pg.stop());
      databaseUrl = pg.getConnectionUri();
    }
    if (!kafkaBrokers) {
      const { KafkaContainer } = await import('@testcontainers/kafka');
      const kafka = await new KafkaContainer('apache/kafka:4.1.2').withKraft().start();
      stops.push(() => kafka.stop());
      kafkaBrokers = `${kafka.getHost()}:${kafka.getMappedPort(9093)}`;
    }
  }

  const templateDatabase = await createTemplateDatabase(databaseUrl);
  project.provide('databaseUrl', databaseUrl);
  project.provide('kafkaBrokers', kafkaBrokers);
  project.provide('templateDatabase', templateDatabase);

  return async () => {
    for (const stop of stops) await stop();
  };
}
