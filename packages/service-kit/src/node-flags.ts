import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The V8 flags every service process starts with (infra/dev's supervisor, the test and bench stacks,
 * the image's CMD, the Kubernetes commands and `pnpm start`; unit tests check they agree).
 *
 * `--max-semi-space-size=8` (MB): V8 on a large machine lets the young generation grow to 64 MB a
 * semi-space, and loading the services' modules alone allocates enough to get it there, so every
 * service idled at about 265 MB of RSS, never given back. Capped at 8 MB a semi-space, they idle at
 * about 165 MB; scavenges are more frequent but each costs what survives, not what is thrown away.
 * Smaller costs CPU the pipeline (CPU-bound) would feel: over 1 500 reports at capacity (runs
 * alternating, on a busy 2-core machine) 4 MB took 3–15 MB off each service's peak for twice the
 * scavenges and 5–10 % more CPU, 2 MB 10–15 MB for four times the scavenges and 10–30 % more CPU
 * (with `--heap-growing-percent=15` as well, triage 10 MB more, CPU 20–25 % over 8 MB's), and
 * `--optimize-for-size` 10–20 MB for 30–45 % more CPU. So 8 stays.
 *
 * `--heap-growing-percent=30`: after each full collection V8 lets the old generation grow to about
 * 1.3 times what survived before the next, instead of up to 4 times when the process
 * is busy: under load assignment's heap reached 120 MB with 45 MB live, and its RSS 256–285 MB over
 * 1 000 reports; with the flag it peaks at 167–178 MB (intake 168–177, desk 173–178), for a little
 * more GC CPU (assignment 2.9–3.3 → 3.5–3.8 s over those reports). Unlike `--max-old-space-size` it
 * sets no ceiling: a 15.8 MiB reference document (the demo station with densified boundaries) is
 * still accepted, in 123 s against 113 s, and assignment's peak RSS while importing it falls from
 * 1 476 to 753 MB (8 MiB: 920 → 482 MB, 48 s either way).
 * These are start-up flags: V8 sizes its heap once, so they cannot be set from inside the process.
 */
export const SERVICE_NODE_FLAGS = ['--max-semi-space-size=8', '--heap-growing-percent=30'] as const;

/**
 * The environment every service process starts with, set by the same launchers as the flags above
 * (the image sets it with ENV, and the Kubernetes containers name it again; unit tests check they agree).
 *
 * `MALLOC_ARENA_MAX=2`: glibc gives every thread that calls malloc an arena of its own, up to eight
 * per core, and keeps what it freed there. V8's compiler and GC threads allocate in theirs, so a
 * service's RSS grew by what those threads had once needed. Over 1 000 reports on a busy 2-core
 * machine (four runs each way) assignment peaked at 256–285 MB with the default and 201–273 MB with
 * two arenas, intake at 180–204 and 172–188 MB. Like the flags it only works from the start: glibc
 * reads it once, before main().
 *
 * `MALLOC_MMAP_THRESHOLD_=131072`: glibc serves an allocation of 128 KiB or more with its own mmap and
 * gives it back to the system when freed, but by default it raises that threshold to the size of the
 * largest such block freed (up to 32 MiB), after which those sizes come from the heap and stay in the
 * process when freed. Triage receives its trained models from its training process as buffers of many
 * megabytes, and every service's Kafka fetches and pg results pass through large buffers: with the
 * threshold fixed they are returned. `pnpm bench -- --only pipeline` over 1 500 reports on a quiet 2-core
 * machine: triage peaked at 204 and 202 MB with the default (and 202 in the full bench's run 13) and at
 * 196, 193, 203 and 197 MB with it, the others within a few MB either way, carrying 159.3 and 172.7
 * against 163.3, 183.5, 184.9 and 191.6 reports/s: about 6 MB off triage's peak on average, within a
 * run-to-run spread of 10 MB, for no CPU that shows.
 */
export const SERVICE_ENV = { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072' } as const;

/** The local compile cache's directory, under the temporary directory. */
const COMPILE_CACHE_DIR = 'gridcase-node-compile-cache';

/**
 * Where the local launchers (infra/dev's supervisor, the test and bench stacks, `pnpm start`) keep Node's module
 * compile cache (`NODE_COMPILE_CACHE`); the image keeps its own, warmed when it is built, in
 * /app/.node-compile-cache. Node runs the services' TypeScript by stripping its types with a
 * WebAssembly stripper that, once loaded, stays in the process; the cache holds each module's
 * stripped text (and V8's code for it), keyed by the module's contents, so a start that finds every
 * module there never loads the stripper: 20–24 MB less RSS for each service (intake 142 → 116 MB,
 * triage 146 → 122, desk 152 → 132 with their modules loaded and nothing else), and a quicker start.
 * A changed file simply misses and is stripped again. Node writes the cache when a process exits, or
 * when it is flushed, as runMain does once a service is up (so the first start warms every later one);
 * infra/scripts/warm-compile-cache.ts warms it without starting anything.
 */
export const LOCAL_COMPILE_CACHE = join(tmpdir(), COMPILE_CACHE_DIR);

/**
 * The environment a local launcher starts a service with: SERVICE_ENV and the local compile cache.
 * Spread before the launcher's own environment, so a NODE_COMPILE_CACHE set there wins.
 */
export const LOCAL_SERVICE_ENV = { NODE_COMPILE_CACHE: LOCAL_COMPILE_CACHE, ...SERVICE_ENV } as const;

/**
 * LOCAL_SERVICE_ENV as `NAME=value` words, for a shell command line (each service's `pnpm start`).
 * The compile cache is said as the shell finds it: `$TMPDIR`, else /tmp, as os.tmpdir() looks on
 * Linux and macOS, and a NODE_COMPILE_CACHE already set is kept.
 */
export const LOCAL_SERVICE_ENV_WORDS = [
  `NODE_COMPILE_CACHE=\${NODE_COMPILE_CACHE:-\${TMPDIR:-/tmp}/${COMPILE_CACHE_DIR}}`,
  ...Object.entries(SERVICE_ENV).map(([name, value]) => `${name}=${value}`),
];
