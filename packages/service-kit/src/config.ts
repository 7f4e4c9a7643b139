import { readableMessage, Station } from '@gridcase/contracts';
import { z } from 'zod';
import { urlsOf } from './failover.ts';

/** How long a client has to send its whole request unless HTTP_REQUEST_TIMEOUT_MS (or buildHttp's requestTimeoutMs) says otherwise. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/** Settings every service shares (CONTRACT.md). Parsed once at start; a bad value stops the process. */
export const BaseConfig = z.object({
  DATABASE_URL: z
    .url({ protocol: /^postgres(ql)?$/, error: 'must be a URL: postgres://user@host:5432/database' })
    .default('postgres://postgres@127.0.0.1:5432/gridcase'),
  KAFKA_BROKERS: z
    .string()
    .default('127.0.0.1:9092')
    .transform((s) => s.split(',').map((b) => b.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^[^:]+:\d+$/, 'each broker must be host:port')).min(1, 'give at least one broker, host:port, comma-separated')),
  KAFKA_TOPIC_PREFIX: z.string().default(''),
  /** The client of the outbox relay's producer (BENCHMARKS.md "The Kafka client"); consumers and the DLQ stay on kafkajs. */
  KAFKA_CLIENT: z.enum(['kafkajs', 'platformatic']).default('kafkajs'),
  ADMIN_TOKEN: z.string().min(16, 'ADMIN_TOKEN must be at least 16 characters'),
  /** Key that signs client tokens; derived from ADMIN_TOKEN when unset. Every service must share it. */
  TOKEN_SECRET: z.string().min(16).optional(),
  /** The key TOKEN_SECRET replaces, during a rotation: tokens it signed still verify (docs/operations.md). */
  TOKEN_SECRET_PREVIOUS: z.string().min(16).optional(),
  /**
   * Where services ask which client tokens were revoked (and the desk, for reporters): intake's URL, or the
   * URLs of its instances comma-separated where no load balancer stands in front of them (Failover).
   */
  INTAKE_URL: z
    .string()
    .refine(
      (setting) => {
        const urls = urlsOf(setting);
        return urls.length > 0 && urls.every((url) => z.url().safeParse(url).success);
      },
      { error: 'must be a URL: http://host:port (or several, comma-separated)' },
    )
    .default('http://127.0.0.1:3001'),
  HOST: z.string().default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  /**
   * How long a starting service waits for its database and broker before it gives up and exits 1;
   * 0 (the default): for as long as it takes, /readyz naming what it waits for.
   */
  STARTUP_DEPENDENCY_TIMEOUT_MS: z.coerce.number().int().min(0).default(0),
  /** How long a client has to send a whole HTTP request, headers and body (buildHttp's requestTimeoutMs). */
  HTTP_REQUEST_TIMEOUT_MS: z.coerce.number().int().positive().default(DEFAULT_REQUEST_TIMEOUT_MS),
  /** The station this install serves: the code its reference data gives the station (`Station.code`). */
  STATION_CODE: Station.shape.code.default('CG'),
  /**
   * Checkouts waiting for a database connection beyond which a service that sheds load answers 503 at
   * once. 200 for a pool of 10 is about a second of queue at 10× load on the 2-core bench machine
   * (BENCHMARKS.md), far above what steady load makes (a few dozen); the root token is never shed.
   */
  SHED_POOL_WAITING: z.coerce.number().int().positive().default(200),
  /** Mean event-loop delay (ms, over a second) beyond which a service that sheds load answers 503 at once. */
  SHED_EVENT_LOOP_DELAY_MS: z.coerce.number().int().positive().default(500),
  /**
   * How long a read model's consumer (intake's case view, escalation's mirror of the deadlines) lets case
   * events gather before it handles them; 0 handles each as soon as it is there. Desk's projection takes
   * none: commands go to desk, and a client that saw a case elsewhere (an event, intake's report status,
   * a webhook) commands it at once, so desk must not be the read model that lags.
   */
  READ_MODEL_FETCH_WINDOW_MS: z.coerce.number().int().min(0).max(1000).default(100),
});
export type BaseConfig = z.infer<typeof BaseConfig>;

/** Bad settings, each by its variable; the message lists them one a line. */
export class ConfigError extends Error {
  readonly problems: { variable: string; message: string }[];
  constructor(problems: { variable: string; message: string }[]) {
    super(`invalid configuration:\n${problems.map((p) => `  ${p.variable}: ${p.message}`).join('\n')}`);
    this.problems = problems;
  }
}

/**
 * Parses env against base + service settings; throws one error listing every bad variable, each by
 * the name it has in the environment. `envNames` maps a setting read under another name to that
 * variable (`{ port: 'DESK_PORT' }`): it is read from, and its problems are named as, DESK_PORT.
 */
export function loadConfig<S extends z.ZodRawShape>(
  extra: S,
  env: Record<string, string | undefined> = process.env,
  envNames: Record<string, string> = {},
): BaseConfig & z.infer<z.ZodObject<S>> {
  const schema = BaseConfig.extend(extra);
  const source = { ...env };
  for (const [key, name] of Object.entries(envNames)) source[key] = env[name];
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => ({ variable: variableOf(i.path, envNames), message: readableMessage(i) })));
  }
  return parsed.data as BaseConfig & z.infer<z.ZodObject<S>>;
}

/** The environment variable an issue's path is about (`KAFKA_BROKERS.0` for a list's entry). */
function variableOf(path: PropertyKey[], envNames: Record<string, string>): string {
  const [head, ...rest] = path.map(String);
  if (head === undefined) return '(env)';
  return [envNames[head] ?? head, ...rest].join('.');
}

const PORT_RANGE = 'must be a whole number from 0 to 65535';
/**
 * A port: decimal digits only (Number() would also take ' ' as 0, 0x12 as 18 and 1e3 as 1000), 0 for any
 * free port; unset or empty, the fallback.
 */
export const port = (fallback: number) =>
  z.preprocess(
    (v) => (v === undefined || v === '' ? String(fallback) : String(v)),
    z
      .string()
      .regex(/^[0-9]{1,5}$/, PORT_RANGE)
      .transform(Number)
      .refine((n) => n <= 65535, PORT_RANGE),
  );
