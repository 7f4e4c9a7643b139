import { execFile } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

// `infra/dev prerequisites` on a machine made of stubs: PATH holds only the commands a case puts
// there, `id` says who runs it, and apt-get records what it was asked. infra/dev is copied into an
// empty repo, so no .tools directory hides the need for npm.
const root = fileURLToPath(new URL('../../..', import.meta.url));
/** Real tools infra/dev itself uses on the way. */
const BASICS = ['dirname', 'basename', 'grep', 'cat', 'rm'];
const NOTHING_LISTENS = 'postgres://postgres@127.0.0.1:1/gridcase';

let dir: string;
let bin: string;
let aptLog: string;

const stub = (name: string, body: string) => {
  writeFileSync(join(bin, name), `#!/bin/bash\n${body}\n`);
  chmodSync(join(bin, name), 0o755);
};
const runAs = (uid: number) => stub('id', `echo ${uid}`);
const debian = () => {
  stub('dpkg-query', 'exit 1'); // nothing is installed
  stub('apt-get', `echo "$*" >> ${aptLog}`);
};
const present = (...tools: string[]) => {
  for (const tool of tools) stub(tool, tool === 'java' ? 'echo \'openjdk version "17.0.15" 2025-04-15\' >&2' : 'exit 0');
};

function dev(env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('/bin/bash', [join(dir, 'infra/dev'), 'prerequisites'], { env: { PATH: bin, HOME: dir, DATABASE_URL: NOTHING_LISTENS, ...env } }, (err, stdout, stderr) =>
      resolve({ code: err ? Number(err.code) : 0, stdout, stderr }),
    );
  });
}
const aptCalls = () => (existsSync(aptLog) ? readFileSync(aptLog, 'utf8').trim().split('\n') : []);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gridcase-dev-'));
  bin = join(dir, 'bin');
  aptLog = join(dir, 'apt.log');
  mkdirSync(join(dir, 'infra'), { recursive: true });
  mkdirSync(bin);
  copyFileSync(join(root, 'infra/dev'), join(dir, 'infra/dev'));
  for (const tool of BASICS) symlinkSync(`/usr/bin/${tool}`, join(bin, tool));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('infra/dev prerequisites', () => {
  it('as a user on a bare Debian machine: installs nothing and prints the exact apt-get command', async () => {
    runAs(1000);
    debian();
    const { code, stderr } = await dev();
    expect(code).toBe(1);
    expect(stderr).toContain(
      'sudo apt-get update && sudo apt-get install -y --no-install-recommends default-jre-headless maven npm postgresql-client postgresql',
    );
    expect(aptCalls()).toEqual([]);
  });

  it('as root on a bare Debian machine: updates once, installs everything missing, and trusts local connections of the new cluster', async () => {
    runAs(0);
    debian();
    // The postgresql package brings pg_ctlcluster and a cluster config.
    const etc = join(dir, 'etc-postgresql');
    stub('apt-get', `echo "$*" >> ${aptLog}; if [[ "$1" == install ]]; then printf '#!/bin/bash\\n' > ${bin}/pg_ctlcluster; /usr/bin/chmod +x ${bin}/pg_ctlcluster; /usr/bin/mkdir -p ${etc}/15/main; echo 'host all all 127.0.0.1/32 scram-sha-256' > ${etc}/15/main/pg_hba.conf; fi`);
    const { code, stdout } = await dev({ GRIDCASE_PG_ETC: etc });
    expect(code).toBe(0);
    expect(stdout).toContain('installing Debian packages: default-jre-headless maven npm postgresql-client postgresql');
    expect(aptCalls()).toEqual(['update -qq', 'install -y -qq --no-install-recommends default-jre-headless maven npm postgresql-client postgresql']);
    const hba = readFileSync(join(etc, '15/main/pg_hba.conf'), 'utf8').split('\n');
    // First match wins in pg_hba.conf, so the trust lines come before Debian's.
    expect(hba.slice(1, 4)).toEqual(['host all all 127.0.0.1/32 trust', 'host all all ::1/128 trust', 'host all all 127.0.0.1/32 scram-sha-256']);
  });

  it('changes nothing where Java 17, Maven, npm and PostgreSQL are present (however installed)', async () => {
    runAs(0);
    debian();
    present('java', 'mvn', 'npm', 'psql', 'pg_isready', 'pg_ctlcluster');
    const { code, stdout } = await dev();
    expect(code).toBe(0);
    expect(stdout).toContain('prerequisites: present');
    expect(aptCalls()).toEqual([]);
  });

  it('counts a Java older than 17 as missing, and JAVA_HOME as where Java is', async () => {
    runAs(1000);
    debian();
    present('mvn', 'npm', 'psql', 'pg_isready', 'pg_ctlcluster');
    stub('java', 'echo \'openjdk version "11.0.22" 2024-01-16\' >&2');
    const old = await dev();
    expect(old.code).toBe(1);
    expect(old.stderr).toContain('sudo apt-get update && sudo apt-get install -y --no-install-recommends default-jre-headless\n');

    const jdk = join(dir, 'jdk');
    mkdirSync(join(jdk, 'bin'), { recursive: true });
    writeFileSync(join(jdk, 'bin/java'), '#!/bin/bash\necho \'openjdk version "21.0.5" 2024-10-15\' >&2\n');
    chmodSync(join(jdk, 'bin/java'), 0o755);
    expect((await dev({ JAVA_HOME: jdk })).code).toBe(0);
  });

  it('wants neither Java nor Maven for a broker elsewhere, nor a server for a database elsewhere', async () => {
    runAs(1000);
    debian();
    present('npm', 'psql', 'pg_isready');
    const { code, stdout } = await dev({ KAFKA_BROKERS: 'kafka-1:9092,kafka-2:9092', DATABASE_URL: 'postgres://gridcase@db.internal:5432/gridcase' });
    expect(code).toBe(0);
    expect(stdout).toContain('prerequisites: present');
  });

  it('names the packages where there is no apt-get', async () => {
    runAs(0);
    const { code, stderr } = await dev();
    expect(code).toBe(1);
    expect(stderr).toContain('missing: default-jre-headless maven npm postgresql-client postgresql (Debian package names). This is not a Debian-like system');
  });
});
