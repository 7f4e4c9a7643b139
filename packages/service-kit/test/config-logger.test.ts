import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, loadConfig, port as portSetting } from '../src/config.ts';
import { capturedLogger } from './log-sink.ts';

describe('loadConfig', () => {
  it('fills defaults and parses the broker list', () => {
    const config = loadConfig({}, { ADMIN_TOKEN: 'x'.repeat(16), KAFKA_BROKERS: '127.0.0.1:9092, 127.0.0.1:9093' });
    expect(config.KAFKA_BROKERS).toEqual(['127.0.0.1:9092', '127.0.0.1:9093']);
    expect(config.DATABASE_URL).toMatch(/^postgres:/);
  });

  it('fails fast naming every bad variable', () => {
    const attempt = () => loadConfig({ POLL_MS: z.coerce.number().int() }, { KAFKA_BROKERS: 'nohost', POLL_MS: 'soon' });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/ADMIN_TOKEN[\s\S]*KAFKA_BROKERS|KAFKA_BROKERS[\s\S]*ADMIN_TOKEN/);
    expect(attempt).toThrow(/POLL_MS/);
  });
});

describe('the logger', () => {
  it('never writes reporter personal data or tokens', () => {
    const { logger, text: logged } = capturedLogger();
    logger.info({ report: { reporter: { name: '王大妈', phone: '13800000000', idNumber: '620321195001011234' } } }, 'received');
    logger.info({ reporter: { name: '王大妈', phone: '13800000000' }, token: 'secret-token' }, 'direct');
    const text = logged();
    expect(text).toContain('received');
    for (const secret of ['王大妈', '13800000000', '620321195001011234', 'secret-token']) expect(text).not.toContain(secret);
  });
});

describe('loadConfig naming the variables', () => {
  const port = () => ({ port: portSetting(3001) });
  const names = { port: 'INTAKE_PORT' };
  const env = { ADMIN_TOKEN: 'x'.repeat(16) };

  it('reads a setting from the variable it is named by', () => {
    expect(loadConfig(port(), { ...env, INTAKE_PORT: '4505', port: '1' }, names).port).toBe(4505);
    expect(loadConfig(port(), env, names).port).toBe(3001);
    // Empty is unset; 0 asks for any free port.
    expect(loadConfig(port(), { ...env, INTAKE_PORT: '' }, names).port).toBe(3001);
    expect(loadConfig(port(), { ...env, INTAKE_PORT: '0' }, names).port).toBe(0);
  });

  it.each([
    ['abc', 'not a number'],
    ['99999', 'too big'],
    ['-1', 'too small'],
    ['80.5', 'not whole'],
    [' ', 'blank, not 0'],
    ['0x12', 'hexadecimal'],
    ['1e3', 'an exponent'],
  ])('names the port variable for %s (%s)', (value) => {
    const attempt = () => loadConfig(port(), { ...env, INTAKE_PORT: value }, names);
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/\n {2}INTAKE_PORT: must be a whole number from 0 to 65535$/);
    expect(attempt).not.toThrow(/\bport:/);
  });

  it('names every bad variable at once, the port among them', () => {
    const attempt = () => loadConfig(port(), { INTAKE_PORT: 'abc', SHUTDOWN_TIMEOUT_MS: 'soon' }, names);
    expect(attempt).toThrow(/ADMIN_TOKEN/);
    expect(attempt).toThrow(/INTAKE_PORT/);
    expect(attempt).toThrow(/SHUTDOWN_TIMEOUT_MS/);
  });
});

describe('loadConfig saying what a setting must be', () => {
  const env = { ADMIN_TOKEN: 'x'.repeat(16) };
  const problemsOf = (extra: Record<string, string>) => {
    try {
      loadConfig({}, { ...env, ...extra });
    } catch (err) {
      if (err instanceof ConfigError) return Object.fromEntries(err.problems.map((p) => [p.variable, p.message]));
      throw err;
    }
    return {};
  };

  it("says it in a person's words, not zod's", () => {
    const problems = problemsOf({ DATABASE_URL: 'not a url', INTAKE_URL: 'intake', KAFKA_BROKERS: ' , ', SHUTDOWN_TIMEOUT_MS: '0', HTTP_REQUEST_TIMEOUT_MS: 'soon' });
    expect(problems).toEqual({
      DATABASE_URL: 'must be a URL: postgres://user@host:5432/database',
      INTAKE_URL: 'must be a URL: http://host:port (or several, comma-separated)',
      KAFKA_BROKERS: 'give at least one broker, host:port, comma-separated',
      SHUTDOWN_TIMEOUT_MS: 'must be greater than 0',
      HTTP_REQUEST_TIMEOUT_MS: 'must be a number',
    });
    for (const message of Object.values(problems)) expect(message).not.toMatch(/Invalid|expected|received/);
  });

  it('takes only a postgres:// (or postgresql://) DATABASE_URL (audit 24 #2)', () => {
    expect(problemsOf({ DATABASE_URL: 'mysql://x@127.0.0.1/db' })).toEqual({ DATABASE_URL: 'must be a URL: postgres://user@host:5432/database' });
    expect(problemsOf({ DATABASE_URL: 'postgresql://x@127.0.0.1/db' })).toEqual({});
    expect(problemsOf({ DATABASE_URL: 'postgres://x@127.0.0.1/db' })).toEqual({});
  });

  it('says which levels LOG_LEVEL takes', () => {
    expect(problemsOf({ LOG_LEVEL: 'loud' })).toEqual({ LOG_LEVEL: 'must be one of: fatal, error, warn, info, debug, trace, silent' });
    expect(() => loadConfig({}, { ...env, LOG_LEVEL: 'loud' })).toThrow(/\n {2}LOG_LEVEL: must be one of: fatal, error, warn, info, debug, trace, silent$/);
    expect(loadConfig({}, { ...env, LOG_LEVEL: 'debug' }).LOG_LEVEL).toBe('debug');
  });

  it('takes a station code as the reference data takes one', () => {
    expect(loadConfig({}, { ...env, STATION_CODE: 'YC' }).STATION_CODE).toBe('YC');
    expect(problemsOf({ STATION_CODE: '' })).toHaveProperty('STATION_CODE');
    expect(problemsOf({ STATION_CODE: 'C'.repeat(33) })).toHaveProperty('STATION_CODE');
  });
});

describe('a service started with bad settings', () => {
  it('exits 1 with one fatal line naming each variable, without a stack', () => {
    const main = fileURLToPath(new URL('../../../services/escalation/src/main.ts', import.meta.url));
    const env = { PATH: process.env.PATH, ADMIN_TOKEN: 'x'.repeat(16), DATABASE_URL: 'nope', SHUTDOWN_TIMEOUT_MS: '0', ESCALATION_PORT: 'abc' };
    const run = spawnSync(process.execPath, [main], { env, encoding: 'utf8', timeout: 60_000 });
    expect(run.status).toBe(1);
    const lines = `${run.stdout}${run.stderr}`.trim().split('\n');
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0]!) as { level: number; msg: string; problems: { variable: string }[]; err?: unknown };
    expect(entry.level).toBe(60);
    expect(entry.err).toBeUndefined();
    expect(entry.problems.map((p) => p.variable).sort()).toEqual(['DATABASE_URL', 'ESCALATION_PORT', 'SHUTDOWN_TIMEOUT_MS']);
    expect(entry.msg).toContain('ESCALATION_PORT: must be a whole number from 0 to 65535');
    // A whole Node process starting up: on a loaded CI machine that took over the unit tests' 5 s.
  }, 60_000);
});
