import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BaseConfig } from '@gridcase/service-kit';

// What each service reads from its environment, from its source: the deployment files (compose,
// Kubernetes) are checked against it, since neither can be run on the development machines.
const root = fileURLToPath(new URL('../..', import.meta.url));

export const mainOf = (service: string): string => readFileSync(`${root}services/${service}/src/main.ts`, 'utf8');

/** The variable a service reads its port from, e.g. DESK_PORT. */
export const portVarOf = (service: string): string | undefined => /portVar:\s*'([A-Z_]+)'/.exec(mainOf(service))?.[1];

/** Env names a service reads: the shared settings, its port variable, and its own config keys. */
export const envReadBy = (service: string): Set<string> => {
  const source = mainOf(service);
  const own = [...source.matchAll(/\b([A-Z][A-Z0-9_]{2,}):\s*(?:z\.|port\(|flag\b)/g)].map((m) => m[1]!);
  const portVar = portVarOf(service);
  return new Set([...Object.keys(BaseConfig.shape), ...own, ...(portVar ? [portVar] : [])]);
};
