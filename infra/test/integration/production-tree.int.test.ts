import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { SERVICE_NODE_FLAGS } from '@gridcase/service-kit/node-flags';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, isolatedEnv } from '../harness.ts';
import { freePort } from '../stack.ts';

// No Docker engine runs on the development machines, so this builds the image's file tree with
// the script the Dockerfile runs (infra/docker/production-tree.sh), then starts a service from
// it with this machine's Node 24, as the container would: production dependencies only.
const run = promisify(execFile);
const root = fileURLToPath(new URL('../../..', import.meta.url));
const SERVICES = ['intake', 'triage', 'assignment', 'escalation', 'desk'];
/** Development tools that must not reach the image. */
const DEV_ONLY = ['vitest', 'typescript', '@biomejs+biome', 'testcontainers', 'drizzle-kit', 'dependency-cruiser', 'fast-check', 'playwright-core', 'vite'];

describe('the production file tree (what infra/docker/Dockerfile puts in /app)', () => {
  let tree: string;
  let env: Record<string, string>;
  let intake: ChildProcess | undefined;
  let output = '';

  beforeAll(async () => {
    tree = join(mkdtempSync(join(tmpdir(), 'gridcase-tree-')), 'app');
    await run('bash', [`${root}infra/docker/production-tree.sh`, tree, '--prefer-offline'], { cwd: root, timeout: 120_000 });
    env = await isolatedEnv({ INTAKE_PORT: String(await freePort()), SERVICE: 'intake', NODE_ENV: 'production', HOST: '0.0.0.0' });
  }, 150_000);

  afterAll(async () => {
    if (intake && intake.exitCode === null) {
      const gone = new Promise((resolve) => intake!.once('exit', resolve));
      intake.kill('SIGKILL');
      await gone;
    }
    if (tree) rmSync(join(tree, '..'), { recursive: true, force: true });
  });

  it('holds runtime sources and production dependencies only', () => {
    const installed = readdirSync(join(tree, 'node_modules/.pnpm'));
    for (const tool of DEV_ONLY) expect(installed.filter((name) => name.startsWith(`${tool}@`)), tool).toEqual([]);
    for (const member of [...SERVICES.map((s) => `services/${s}`), 'packages/contracts', 'packages/service-kit']) {
      expect(existsSync(join(tree, member, 'src')), member).toBe(true);
      expect(existsSync(join(tree, member, 'test')), `${member}/test`).toBe(false);
    }
    // Workspace packages stay outside node_modules: Node strips types only there.
    expect(realpathSync(join(tree, 'services/intake/node_modules/@gridcase/service-kit'))).toBe(realpathSync(join(tree, 'packages/service-kit')));
  });

  it('resolves every import of every service and operator script from the tree', async () => {
    // Importing main.ts wires nothing (it starts only as the entry point), so this checks resolution alone.
    const imports = [
      ...SERVICES.map((s) => `./services/${s}/src/main.ts`),
      './packages/service-kit/src/tracing.ts',
      './infra/scripts/migrate-all.ts',
      './infra/scripts/dlq.ts',
      './infra/docker/healthcheck.ts',
    ];
    const { stdout } = await run(
      process.execPath,
      ['--input-type=module', '-e', `for (const m of ${JSON.stringify(imports)}) await import(m); console.log('imported', ${imports.length});`],
      { cwd: tree, env: { ...env, NODE_PATH: '' }, timeout: 60_000 },
    );
    expect(stdout.trim()).toBe(`imported ${imports.length}`);
  });

  it("warms Node's compile cache from the tree as the image build does; a service's modules then load without the TypeScript stripper", async () => {
    const cache = mkdtempSync(join(tmpdir(), 'gridcase-compile-cache-'));
    try {
      // Whether Node loaded its stripper (amaro) while importing intake's modules with the services' flags.
      const loadsStripper = async (extra: Record<string, string>) => {
        const { stdout } = await run(
          process.execPath,
          [...SERVICE_NODE_FLAGS, '--input-type=module', '-e', "await import('./services/intake/src/main.ts'); console.log(process.moduleLoadList.some((m) => m.includes('amaro')));"],
          { cwd: tree, env: { ...env, NODE_PATH: '', ...extra }, timeout: 60_000 },
        );
        return stdout.trim();
      };
      expect(await loadsStripper({ NODE_DISABLE_COMPILE_CACHE: '1' }), 'without a cache the stripper is loaded').toBe('true');
      await run(process.execPath, ['infra/scripts/warm-compile-cache.ts', cache], { cwd: tree, env: { ...env, NODE_PATH: '' }, timeout: 120_000 });
      expect(await loadsStripper({ NODE_COMPILE_CACHE: cache }), 'with the warmed cache').toBe('false');
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  }, 150_000);

  it('runs the migrate job from the tree', async () => {
    const { stderr } = await run(process.execPath, ['infra/scripts/migrate.ts'], { cwd: tree, env, timeout: 60_000 });
    expect(stderr).toContain('migrations applied');
  });

  it('starts intake from the tree as the image does (tracing on); /healthz, /readyz and the healthcheck answer; SIGTERM stops it cleanly', async () => {
    // The image's command, with an OTLP endpoint set so the tracing SDK and its instrumentations load
    // from the tree too (nothing listens there; spans that cannot be sent are dropped).
    const otlp = `http://127.0.0.1:${await freePort()}`;
    intake = spawn(process.execPath, ['--import', './packages/service-kit/src/tracing-register.ts', 'services/intake/src/main.ts'], {
      cwd: tree,
      env: { ...env, OTEL_EXPORTER_OTLP_ENDPOINT: otlp },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    intake.stdout?.on('data', (d) => (output += d));
    intake.stderr?.on('data', (d) => (output += d));
    const base = `http://127.0.0.1:${env.INTAKE_PORT}`;
    const ready = await eventually(
      'intake from the production tree to answer /readyz 200',
      async () => {
        if (intake!.exitCode !== null) throw new Error(`intake exited with ${intake!.exitCode}: ${output.slice(-2000)}`);
        const res = await fetch(`${base}/readyz`).catch(() => undefined);
        return res?.ok ? res.json() : undefined;
      },
      120_000,
    );
    expect(ready).toMatchObject({ status: 'ready' });
    expect((await fetch(`${base}/healthz`)).status).toBe(200);

    // The HEALTHCHECK command, as Docker runs it in the container (SERVICE and INTAKE_PORT from env).
    for (const path of [[], ['/readyz']]) {
      const check = await run(process.execPath, ['infra/docker/healthcheck.ts', ...path], { cwd: tree, env, timeout: 30_000 });
      expect(check.stderr).toBe('');
    }

    const exited = new Promise<number | null>((resolve) => intake!.once('exit', (code) => resolve(code)));
    intake.kill('SIGTERM');
    expect(await exited).toBe(0);
    // With nothing listening, the healthcheck fails (exit 1), as Docker must see it.
    await expect(run(process.execPath, ['infra/docker/healthcheck.ts'], { cwd: tree, env, timeout: 30_000 })).rejects.toMatchObject({ code: 1 });
  }, 150_000);
});
