import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LOCAL_COMPILE_CACHE, LOCAL_SERVICE_ENV, LOCAL_SERVICE_ENV_WORDS, SERVICE_ENV, SERVICE_NODE_FLAGS } from '@gridcase/service-kit/node-flags';
import { describe, expect, it } from 'vitest';
import { SERVICES } from '../../scripts/migrate-all.ts';
import { probeUrl, SERVICE_PORTS } from '../../docker/healthcheck.ts';
import { mainOf, portVarOf } from '../service-env.ts';

// No Docker engine runs on the development machines: the Dockerfile is checked for what it must
// do here, and its file tree is built and started by infra/test/integration/production-tree.int.test.ts.
const root = fileURLToPath(new URL('../../..', import.meta.url));
const dockerfile = readFileSync(`${root}infra/docker/Dockerfile`, 'utf8');
/** Instructions of one stage, continuation lines joined. */
const stage = (name: string): string[] => {
  const lines = dockerfile.replace(/\\\n\s*/g, ' ').split('\n');
  const start = lines.findIndex((l) => new RegExp(`^FROM \\S+ AS ${name}$`).test(l));
  expect(start, `stage ${name}`).toBeGreaterThanOrEqual(0);
  const end = lines.findIndex((l, i) => i > start && l.startsWith('FROM '));
  return lines.slice(start, end === -1 ? undefined : end).filter((l) => l && !l.startsWith('#'));
};

describe('infra/docker/Dockerfile', () => {
  it('builds the production tree with the script the integration test runs', () => {
    const build = stage('build').join('\n');
    expect(build).toMatch(/infra\/docker\/production-tree\.sh \/app --offline/);
    expect(build).toMatch(/pnpm install --frozen-lockfile/);
  });

  it('runs as a non-root user, with only the tree and the node binary copied in', () => {
    const runtime = stage('runtime');
    const copies = runtime.filter((l) => l.startsWith('COPY'));
    expect(copies).toEqual(['COPY --from=node /usr/local/bin/node /usr/local/bin/node', 'COPY --from=build /app /app']);
    const user = runtime.filter((l) => l.startsWith('USER ')).at(-1);
    expect(user).toBe('USER node');
    expect(runtime.join('\n')).toMatch(/useradd --uid 1000/);
    // USER comes before the command, so nothing after it runs as root.
    expect(runtime.findIndex((l) => l.startsWith('USER '))).toBeLessThan(runtime.findIndex((l) => l.startsWith('CMD ')));
  });

  it('checks health on /healthz and starts the service SERVICE names', () => {
    const runtime = stage('runtime').join('\n');
    expect(runtime).toMatch(/HEALTHCHECK .* CMD \["node", "infra\/docker\/healthcheck\.ts"\]/);
    const cmd = /CMD \["sh", "-c", "exec node (.*)--import (\S+) services\/\$\{SERVICE\}\/src\/main\.ts"\]/.exec(runtime);
    expect(cmd, 'CMD runs the service with the tracing hook').not.toBeNull();
    expect((cmd?.[1] ?? "").trim().split(' '), "the services' V8 flags (service-kit node-flags.ts)").toEqual([...SERVICE_NODE_FLAGS]);
    expect(existsSync(`${root}${cmd![2]}`), cmd![2]).toBe(true);
    expect(runtime).toMatch(/ENV .*HOST=0\.0\.0\.0/);
  });

  it("warms Node's compile cache as the service user, then leaves it root's and read-only, like the code", () => {
    const runtime = stage('runtime');
    expect(runtime).toContain('ENV NODE_COMPILE_CACHE=/app/.node-compile-cache');
    const warm = runtime.indexOf('RUN node infra/scripts/warm-compile-cache.ts /app/.node-compile-cache');
    expect(warm, 'the warming step').toBeGreaterThan(0);
    expect(existsSync(`${root}infra/scripts/warm-compile-cache.ts`)).toBe(true);
    // The cache is named by the uid that wrote it: the service's.
    expect(runtime.slice(0, warm).filter((l) => l.startsWith('USER ')).at(-1)).toBe('USER node');
    const after = runtime.slice(warm);
    const handedBack = after.findIndex((l) => /^RUN chown -R root:root \/app\/\.node-compile-cache && chmod -R a\+rX,go-w/.test(l));
    expect(after.indexOf('USER root'), 'back to root after warming').toBeGreaterThan(0);
    expect(after.indexOf('USER root')).toBeLessThan(handedBack);
  });

  it("sets the services' environment (service-kit node-flags.ts SERVICE_ENV)", () => {
    const env = stage('runtime').filter((l) => l.startsWith('ENV ')).flatMap((l) => l.slice(4).trim().split(/\s+/));
    for (const [name, value] of Object.entries(SERVICE_ENV)) expect(env, name).toContain(`${name}=${value}`);
  });
});

describe("each service's pnpm start", () => {
  it("starts node with the local launchers' environment, V8 flags and the tracing hook", () => {
    for (const service of SERVICES) {
      const start: string = JSON.parse(readFileSync(`${root}services/${service}/package.json`, 'utf8')).scripts.start;
      expect(start, service).toBe(`${LOCAL_SERVICE_ENV_WORDS.join(' ')} node ${SERVICE_NODE_FLAGS.join(' ')} --import @gridcase/service-kit/tracing-register src/main.ts`);
    }
  });

  it('sets in the shell what the other local launchers set: LOCAL_SERVICE_ENV, a NODE_COMPILE_CACHE already set kept', () => {
    // What the words export, as `sh` (which pnpm runs scripts with) reads them.
    const exported = (env: Record<string, string | undefined>) => {
      const names = Object.keys(LOCAL_SERVICE_ENV);
      const script = `${LOCAL_SERVICE_ENV_WORDS.join(' ')} node -e 'console.log(JSON.stringify(process.env))'`;
      const out = spawnSync('sh', ['-c', script], { env: { PATH: process.env.PATH, ...env }, encoding: 'utf8' });
      const seen = JSON.parse(out.stdout) as Record<string, string>;
      return Object.fromEntries(names.map((name) => [name, seen[name]]));
    };
    expect(exported({ TMPDIR: process.env.TMPDIR })).toEqual(LOCAL_SERVICE_ENV);
    expect(exported({}).NODE_COMPILE_CACHE).toBe(join('/tmp', 'gridcase-node-compile-cache'));
    expect(exported({ NODE_COMPILE_CACHE: '/app/.node-compile-cache' }).NODE_COMPILE_CACHE).toBe('/app/.node-compile-cache');
  });
});

describe('the local launchers (infra/dev, the test and bench stacks)', () => {
  it('start each service with LOCAL_SERVICE_ENV, named once in service-kit node-flags.ts', () => {
    expect(LOCAL_SERVICE_ENV).toEqual({ NODE_COMPILE_CACHE: LOCAL_COMPILE_CACHE, ...SERVICE_ENV });
    for (const launcher of ['infra/test/stack.ts', 'infra/scripts/supervise.ts', 'infra/bench/intake-ratio.ts']) {
      const source = readFileSync(`${root}${launcher}`, 'utf8');
      expect(source, launcher).toMatch(/env: \{\s*\.\.\.LOCAL_SERVICE_ENV,/);
      expect(source, launcher).not.toMatch(/NODE_COMPILE_CACHE|\bSERVICE_ENV\b/);
    }
  });
});

describe('infra/docker/healthcheck.ts', () => {
  it("knows each service's port variable and default port as its main.ts does", () => {
    for (const [service, { portVar, defaultPort }] of Object.entries(SERVICE_PORTS)) {
      expect(portVarOf(service), service).toBe(portVar);
      expect(Number(/defaultPort:\s*(\d+)/.exec(mainOf(service))?.[1]), service).toBe(defaultPort);
    }
  });

  it('probes the port the service listens on, /healthz unless told', () => {
    expect(probeUrl({ SERVICE: 'desk' }).href).toBe('http://127.0.0.1:3000/healthz');
    expect(probeUrl({ SERVICE: 'triage', TRIAGE_PORT: '4002' }, '/readyz').href).toBe('http://127.0.0.1:4002/readyz');
    expect(() => probeUrl({ SERVICE: 'migrate' })).toThrow(/SERVICE=migrate is not one of/);
    expect(() => probeUrl({})).toThrow(/SERVICE=\(unset\)/);
  });
});
