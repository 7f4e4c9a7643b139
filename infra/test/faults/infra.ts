import { execFile } from 'node:child_process';
import { appendFileSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { eventually } from '../poll.ts';
import { freePort } from '../stack.ts';
import { isAlive } from '../template.ts';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../..', import.meta.url));
const PG_BIN = process.env.FAULTS_PG_BIN ?? '/usr/lib/postgresql/15/bin';
// By its path: a root shell's PATH may leave out the sbin directories (an `env -i` CI run did).
const RUNUSER = ['/usr/sbin/runuser', '/sbin/runuser', '/usr/bin/runuser'].find((path) => existsSync(path)) ?? 'runuser';


/** SIGKILLs one process and waits until it is gone. */
export async function kill9(pid: number, what: string): Promise<void> {
  if (!isAlive(pid)) return;
  process.kill(pid, 'SIGKILL');
  await eventually(`${what} (pid ${pid}) to die`, () => (isAlive(pid) ? undefined : true), 20_000);
}

/**
 * A throwaway PostgreSQL 15 cluster of the suite's own (never the shared one on 5432): initdb into
 * a temp dir as the `postgres` OS user, on a free port, fsync off, so scenarios can stop, crash
 * and restart it at will.
 */
export class PgCluster {
  readonly dir: string;
  readonly port: number;

  private constructor(dir: string, port: number) {
    this.dir = dir;
    this.port = port;
  }

  static async start(): Promise<PgCluster> {
    const dir = mkdtempSync('/tmp/gridcase-faults-pg-');
    const [uid, gid] = idsOf('postgres');
    chownSync(dir, uid, gid);
    const cluster = new PgCluster(dir, await freePort());
    await cluster.pg('initdb', '-D', cluster.data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-locale', '--no-sync');
    writeFileSync(
      `${cluster.dir}/extra.conf`,
      [
        `port = ${cluster.port}`,
        "listen_addresses = '127.0.0.1'",
        `unix_socket_directories = '${dir}'`,
        // fsync off only: an immediate stop is a process crash, not an OS crash, so what reached the OS
        // survives. synchronous_commit stays on: off would lose commits already answered 202.
        'fsync = off',
        'full_page_writes = off',
        // Two instances of five services, each with a pool, plus the suite's own readers.
        'max_connections = 400',
      ].join('\n'),
    );
    appendFileSync(`${cluster.data}/postgresql.conf`, `\ninclude '${cluster.dir}/extra.conf'\n`);
    await cluster.start();
    return cluster;
  }

  get data(): string {
    return `${this.dir}/data`;
  }

  url(database: string): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  private pg(cmd: string, ...args: string[]) {
    return run(RUNUSER, ['-u', 'postgres', '--', `${PG_BIN}/${cmd}`, ...args], { cwd: this.dir });
  }

  async start(): Promise<void> {
    await this.pg('pg_ctl', '-D', this.data, '-l', `${this.dir}/server.log`, '-w', '-t', '60', 'start');
  }

  /** `fast` is a clean shutdown; `immediate` is what a crash looks like (recovery on the next start). */
  async stop(mode: 'fast' | 'immediate' = 'fast'): Promise<void> {
    await this.pg('pg_ctl', '-D', this.data, '-m', mode, '-w', '-t', '60', 'stop');
  }

  async restart(mode: 'fast' | 'immediate'): Promise<void> {
    await this.stop(mode);
    await this.start();
  }

  async destroy(): Promise<void> {
    await this.stop('immediate').catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** [uid, gid] of an OS user. */
function idsOf(user: string): [number, number] {
  const fields = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith(`${user}:`))?.split(':') ?? [];
  return [Number(fields[2]), Number(fields[3])];
}

/** A broker's ports and state dir; infra/kafka/kafka.sh (and so infra/dev) read them from env. */
export async function brokerEnv(): Promise<Record<string, string>> {
  return {
    KAFKA_PORT: String(await freePort()),
    KAFKA_CONTROLLER_PORT: String(await freePort()),
    KAFKA_STATE_DIR: mkdtempSync('/tmp/gridcase-faults-kafka-'),
    KAFKA_HEAP_OPTS: '-Xms128m -Xmx384m',
  };
}

/** A throwaway single-node Kafka of the suite's own (never the shared one on 9092), via infra/kafka/kafka.sh. */
export class Broker {
  readonly env: Record<string, string>;

  private constructor(env: Record<string, string>) {
    this.env = env;
  }

  static async start(): Promise<Broker> {
    const broker = new Broker(await brokerEnv());
    await broker.script('start');
    await broker.script('wait');
    return broker;
  }

  get brokers(): string {
    return `127.0.0.1:${this.env.KAFKA_PORT}`;
  }

  private script(...args: string[]) {
    return run(`${root}infra/kafka/kafka.sh`, args, { env: { ...process.env, ...this.env }, timeout: 180_000 });
  }

  async destroy(): Promise<void> {
    await destroyBroker(this.env);
  }
}

/** The pid kafka.sh recorded for a broker, if it is alive. */
export function brokerPid(env: Record<string, string>): number | undefined {
  try {
    const pid = Number(readFileSync(`${env.KAFKA_STATE_DIR}/kafka.pid`, 'utf8').trim());
    return pid && isAlive(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

export async function destroyBroker(env: Record<string, string>): Promise<void> {
  const pid = brokerPid(env);
  if (pid) await kill9(pid, 'broker');
  rmSync(env.KAFKA_STATE_DIR!, { recursive: true, force: true });
}

/**
 * Pids of every process that carries `FAULTS_MARKER=<marker>` in its environment: what one
 * `infra/dev up` started (services, supervisor, broker), however it laid them out.
 */
export function markedPids(marker: string): number[] {
  const needle = `FAULTS_MARKER=${marker}\0`;
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!pid || pid === process.pid) continue;
    try {
      if (readFileSync(`/proc/${pid}/environ`, 'latin1').includes(needle)) pids.push(pid);
    } catch {
      // Gone meanwhile, or not ours to read.
    }
  }
  return pids;
}

/** `infra/dev up`/`down` on the suite's own broker, database, ports and run dir. */
export class DevRun {
  readonly marker = Math.random().toString(36).slice(2);
  readonly runDir = mkdtempSync('/tmp/gridcase-faults-run-');

  readonly env: Record<string, string>;

  private constructor(env: Record<string, string>) {
    this.env = env;
  }

  static async create(databaseUrl: string, extra: Record<string, string>): Promise<DevRun> {
    const broker = await brokerEnv();
    const ports: Record<string, string> = {};
    for (const v of ['INTAKE_PORT', 'TRIAGE_PORT', 'ASSIGNMENT_PORT', 'ESCALATION_PORT', 'DESK_PORT']) ports[v] = String(await freePort());
    return new DevRun({
      ...broker,
      ...ports,
      DATABASE_URL: databaseUrl,
      KAFKA_BROKERS: `127.0.0.1:${broker.KAFKA_PORT}`,
      INTAKE_URL: `http://127.0.0.1:${ports.INTAKE_PORT}`,
      ...extra,
    });
  }

  url(portVar: string, path = ''): string {
    return `http://127.0.0.1:${this.env[portVar]}${path}`;
  }

  /** Runs `infra/dev <command>`; its output goes to the run dir (dev-<command>.out) for the report. */
  async dev(command: 'up' | 'down'): Promise<void> {
    const env = { ...process.env, ...this.env, GRIDCASE_RUN_DIR: this.runDir, FAULTS_MARKER: this.marker };
    try {
      const { stdout, stderr } = await run(`${root}infra/dev`, [command], { env, cwd: root, timeout: 300_000 });
      writeFileSync(`${this.runDir}/dev-${command}.out`, stdout + stderr, { flag: 'a' });
    } catch (err) {
      const e = err as { stdout?: string; stderr?: string; message: string };
      throw new Error(`infra/dev ${command} failed: ${e.message}\n${(e.stdout ?? '').slice(-2000)}\n${(e.stderr ?? '').slice(-2000)}`);
    }
  }

  brokerPid(): number | undefined {
    return brokerPid(this.env);
  }

  /** kill -9 of everything this run started: a power cut. */
  async killAll(): Promise<void> {
    for (const pid of markedPids(this.marker)) await kill9(pid, 'a process of infra/dev up');
  }

  async destroy(removeLogs = true): Promise<void> {
    await this.killAll();
    await destroyBroker(this.env);
    if (removeLogs) rmSync(this.runDir, { recursive: true, force: true });
  }

  /** Every service log infra/dev wrote, wherever in the run dir its layout puts them. */
  logFiles(): string[] {
    return (readdirSync(this.runDir, { recursive: true }) as string[]).filter((f) => f.endsWith('.log')).map((f) => `${this.runDir}/${f}`);
  }
}
