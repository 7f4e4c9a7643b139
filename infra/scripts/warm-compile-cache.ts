// node infra/scripts/warm-compile-cache.ts [dir]   (default: $NODE_COMPILE_CACHE, else LOCAL_COMPILE_CACHE)
// Fills Node's module compile cache with every module the services load, without starting any of
// them: each service's main.ts (behind the tracing hook, as the launchers start it) and triage's
// training process are imported, one process each, with the services' V8 flags. A service started
// with the same cache then never loads Node's TypeScript stripper (service-kit node-flags.ts says
// what that saves). The image runs it when it is built; the bench before its first stack.
import { spawn } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { LOCAL_COMPILE_CACHE, SERVICE_ENV, SERVICE_NODE_FLAGS } from '@gridcase/service-kit/node-flags';
import { SERVICES } from './migrate-all.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** What each warming process imports: importing (not running) main.ts starts nothing (import.meta.main). */
const ENTRIES = [...SERVICES.map((s) => `services/${s}/src/main.ts`), 'services/triage/src/training-worker.ts'];

export async function warmCompileCache(dir = process.env.NODE_COMPILE_CACHE ?? LOCAL_COMPILE_CACHE): Promise<void> {
  for (const entry of ENTRIES) {
    const code = `await import(${JSON.stringify(pathToFileURL(`${root}${entry}`).href)});`;
    const args = [...SERVICE_NODE_FLAGS, '--import', pathToFileURL(`${root}packages/service-kit/src/tracing-register.ts`).href, '--input-type=module', '-e', code];
    const child = spawn(process.execPath, args, {
      cwd: root,
      env: { ...SERVICE_ENV, ...process.env, NODE_COMPILE_CACHE: dir },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    const exitCode = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code) => resolve(code));
    });
    if (exitCode !== 0) throw new Error(`warming the compile cache: importing ${entry} exited with ${exitCode}`);
  }
}

if (import.meta.main) {
  const dir = process.argv[2] ?? process.env.NODE_COMPILE_CACHE ?? LOCAL_COMPILE_CACHE;
  await warmCompileCache(dir);
  process.stdout.write(`compile cache warmed in ${dir} (${ENTRIES.length} entries)\n`);
}
