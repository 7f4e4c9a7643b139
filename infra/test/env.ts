import { randomBytes } from 'node:crypto';
import { copyTemplate } from './template.ts';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';
/** The demo station's code: a non-admin token is given it as `stations` to see the seeded station. */
export const STATION_CODE = 'CG';

/**
 * Env for one isolated stack: its own database (a template copy), its own topic prefix on the
 * shared broker, quiet logs. Pass port variables as '0' for a free port.
 */
export async function stackEnv(
  infra: { databaseUrl: string; templateDatabase: string; kafkaBrokers: string },
  extra: Record<string, string> = {},
): Promise<Record<string, string>> {
  return {
    ...(process.env as Record<string, string>),
    DATABASE_URL: await copyTemplate(infra.databaseUrl, infra.templateDatabase),
    KAFKA_BROKERS: infra.kafkaBrokers,
    KAFKA_TOPIC_PREFIX: `t${randomBytes(4).toString('hex')}.`,
    ADMIN_TOKEN,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
    SHUTDOWN_TIMEOUT_MS: '15000',
    ...extra,
  };
}
