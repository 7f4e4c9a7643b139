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
