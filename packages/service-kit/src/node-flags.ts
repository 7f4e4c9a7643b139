/**
 * The V8 flags every service process starts with (infra/dev's supervisor, the test and bench stacks,
 * the image's CMD, the Kubernetes commands and `pnpm start`; unit tests check they agree).
 *
 * `--max-semi-space-size=8` (MB): V8 on a large machine lets the young generation grow to 64 MB a
 * semi-space, and loading the services' modules alone allocates enough to get it there, so every
 * service idled at about 265 MB of RSS, never given back. Capped at 8 MB a semi-space, they idle at
 * about 165 MB; scavenges are more frequent but each costs what survives, not what is thrown away.
 * It is a start-up flag: V8 sizes its heap once, so it cannot be set from inside the process.
 */
export const SERVICE_NODE_FLAGS = ['--max-semi-space-size=8'] as const;
