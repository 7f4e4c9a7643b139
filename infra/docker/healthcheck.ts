// The image's HEALTHCHECK: GET /healthz (or the path given, e.g. /readyz for compose's startup
// order) of the service this container runs, on its port. Exit 0 on a 2xx answer, 1 otherwise.
//   node infra/docker/healthcheck.ts [/healthz|/readyz]
// Self-contained on purpose (no workspace imports): it runs every few seconds in every container.

/** Each service's port variable and its default (the service's main.ts; a unit test compares them). */
export const SERVICE_PORTS = {
  desk: { portVar: 'DESK_PORT', defaultPort: 3000 },
  intake: { portVar: 'INTAKE_PORT', defaultPort: 3001 },
  triage: { portVar: 'TRIAGE_PORT', defaultPort: 3002 },
  assignment: { portVar: 'ASSIGNMENT_PORT', defaultPort: 3003 },
  escalation: { portVar: 'ESCALATION_PORT', defaultPort: 3004 },
} as const;

/** The URL to probe for `service` under `env`, or an error naming what is wrong. */
export function probeUrl(env: Record<string, string | undefined>, path = '/healthz'): URL {
  const service = env.SERVICE ?? '';
  if (!Object.hasOwn(SERVICE_PORTS, service)) throw new Error(`SERVICE=${service || '(unset)'} is not one of ${Object.keys(SERVICE_PORTS).join(', ')}`);
  const { portVar, defaultPort } = SERVICE_PORTS[service as keyof typeof SERVICE_PORTS];
  return new URL(path, `http://127.0.0.1:${env[portVar] || defaultPort}`);
}

if (import.meta.main) {
  try {
    const res = await fetch(probeUrl(process.env, process.argv[2]), { signal: AbortSignal.timeout(4000) });
    process.exitCode = res.ok ? 0 : 1;
    if (!res.ok) console.error(`${res.status} ${await res.text()}`);
  } catch (err) {
    console.error(String(err));
    process.exitCode = 1;
  }
}
