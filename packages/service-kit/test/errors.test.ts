import { KafkaJSConnectionError, KafkaJSNumberOfRetriesExceeded } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { scrubText, serializeError, sqlHead } from '../src/logger.ts';
import { isConnectivityFault, unavailability, unavailableProblem } from '../src/problem.ts';
import { capturedLogger } from './log-sink.ts';

const PHONE = '13912345678';

/** What drizzle throws: its message and params carry the values; the pg error is the cause. */
function drizzleError() {
  const pgError = Object.assign(new Error(`invalid input syntax for type bigint: "${PHONE}"`), {
    code: '22P02',
    severity: 'ERROR',
    routine: 'pg_strtoint64_safe',
    detail: `Key (phone)=(${PHONE}) already exists.`,
    table: 'reports',
    schema: 'intake',
    constraint: 'reports_phone_key',
  });
  const sql = 'insert into "intake"."reports" ("id", "phone", "name") values ($1, $2, $3)';
  return Object.assign(new Error(`Failed query: ${sql}\nparams: r1,${PHONE},王大妈`), {
    query: sql,
    params: ['r1', PHONE, '王大妈'],
    cause: pgError,
  });
}

describe('database errors in logs', () => {
  it('serializes a failed query to code, table, constraint and the SQL head, without values', () => {
    const out = serializeError(drizzleError()) as Record<string, unknown>;
    expect(out).toMatchObject({
      type: 'DatabaseError',
      code: '22P02',
      table: 'reports',
      constraint: 'reports_phone_key',
      query: 'insert into "intake"."reports" ("id", "phone", "name") …',
    });
    expect(JSON.stringify(out)).not.toContain(PHONE);
    expect(JSON.stringify(out)).not.toContain('王大妈');
  });

  it('keeps values out of every way an error reaches the logger', () => {
    const { logger, text } = capturedLogger();
    const err = drizzleError();
    logger.error({ err }, 'insert failed');
    logger.error(err);
    logger.error({ err: new Error('handler failed', { cause: err }) }, `handler failed: ${err.message}`);
    logger.warn({ error: err.cause }, 'raw pg error');
    const out = text();
    expect(out).toContain('22P02');
    expect(out).toContain('reports_phone_key');
    for (const secret of [PHONE, '王大妈']) expect(out).not.toContain(secret);
  });

  it('blanks literals in SQL heads and cuts drizzle params from any text', () => {
    expect(sqlHead(`insert into t (phone) values ('${PHONE}')`, 8)).toBe('insert into t (phone) values (?)');
    expect(scrubText(`boom: Failed query: select 1\nparams: ${PHONE}`)).toBe('boom: Failed query: select ?');
    expect(scrubText('no query here')).toBe('no query here');
  });

  it('keeps a non-database error useful', () => {
    const out = serializeError(Object.assign(new Error('broker said no'), { code: 'ECONNREFUSED', port: 9092 }));
    expect(out).toMatchObject({ type: 'Error', message: 'broker said no', code: 'ECONNREFUSED', port: 9092 });
    expect((out as { stack?: string }).stack).toMatch(/^\s+at /);
  });
});

describe('isConnectivityFault', () => {
  const pg = (code: string) => Object.assign(new Error('x'), { code, severity: 'FATAL' });
  it('recognises database and broker outages, however wrapped', () => {
    for (const code of ['08006', '08001', '57P01', '57P03', '53300']) expect(isConnectivityFault(pg(code)), code).toBe(true);
    // A database closed to connections for maintenance, restored, or refusing a rotated password: 503, not 500.
    for (const code of ['57P04', '3D000', '28P01']) expect(isConnectivityFault(pg(code)), code).toBe(true);
    expect(isConnectivityFault(Object.assign(new Error('database "gridcase" is not currently accepting connections'), { code: '55000' }))).toBe(true);
    expect(isConnectivityFault(Object.assign(new Error('cannot change sequence "x"'), { code: '55000' }))).toBe(false);
    const refused = Object.assign(new AggregateError([Object.assign(new Error('connect'), { code: 'ECONNREFUSED' })]), {});
    expect(isConnectivityFault(refused)).toBe(true);
    expect(isConnectivityFault(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isConnectivityFault(new Error('timeout exceeded when trying to connect'))).toBe(true);
    expect(isConnectivityFault(Object.assign(new Error('Failed query: select 1'), { cause: pg('57P01') }))).toBe(true);
    const kafka = new KafkaJSNumberOfRetriesExceeded(new KafkaJSConnectionError('Connection error'), { retryCount: 5, retryTime: 1000 });
    expect(isConnectivityFault(kafka)).toBe(true);
  });

  it('leaves request and programming errors alone', () => {
    expect(isConnectivityFault(pg('23505'))).toBe(false);
    expect(isConnectivityFault(pg('22P05'))).toBe(false);
    expect(isConnectivityFault(new TypeError('undefined is not a function'))).toBe(false);
    expect(isConnectivityFault('Connection terminated')).toBe(false);
  });

  it('tells a connection not obtained in time (load) from an outage: both are 503, with different advice', () => {
    const drizzleWrapped = Object.assign(new Error('Failed query: insert'), { cause: new Error('timeout exceeded when trying to connect') });
    expect(unavailability(drizzleWrapped)).toBe('busy');
    expect(unavailability(pg('57P01'))).toBe('outage');
    expect(unavailability(new Error('Connection terminated unexpectedly'))).toBe('outage');
    expect(unavailability(pg('23505'))).toBeUndefined();
    expect(unavailableProblem('busy').headers['retry-after']).toBe('2');
    expect(unavailableProblem('outage').headers['retry-after']).toBe('5');
  });
});
