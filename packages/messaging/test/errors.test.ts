import { CommandAccepted, ContractError } from '@gridcase/contracts';
import { describe, expect, it } from 'vitest';
import { classifyError, describeError, isTopicMissing, oneLine, PoisonError, TransientError } from '../src/errors.ts';

const pgError = (code: string, message = 'x') => Object.assign(new Error(message), { code, severity: 'ERROR' });
const errno = (code: string) => Object.assign(new Error(`connect ${code} 127.0.0.1:5432`), { code });
const kafkaError = (name: string, retriable: boolean, extra: object = {}) => Object.assign(new Error('k'), { name, retriable, ...extra });
// What drizzle throws around a pg error: its message lists the query's parameters.
const drizzleWrap = (cause: Error) => Object.assign(new Error('Failed query: insert ...\nparams: Jane Doe,+4512345678'), { name: 'DrizzleQueryError', cause });

describe('classifyError', () => {
  it('calls contract, zod and our poison errors poison', () => {
    expect(classifyError(new ContractError('envelope: id: invalid'))).toBe('poison');
    expect(classifyError(new PoisonError('no such category'))).toBe('poison');
    expect(classifyError(CommandAccepted.safeParse({ commandId: 1 }).error)).toBe('poison');
  });

  it('calls Postgres data exceptions (class 22) poison, also wrapped by drizzle', () => {
    for (const code of ['22P02', '22P05', '22021', '22001', '22003']) expect(classifyError(pgError(code))).toBe('poison');
    expect(classifyError(drizzleWrap(pgError('22P05')))).toBe('poison');
  });

  it('calls connection, resource, shutdown and concurrency faults transient', () => {
    for (const code of ['08006', '08001', '53300', '57P01', '57P02', '57P03', '57P04', '57P05', '40001', '40P01', '3D000', '28000', '28P01']) {
      expect(classifyError(pgError(code)), code).toBe('transient');
    }
    for (const code of ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE']) expect(classifyError(errno(code)), code).toBe('transient');
    // A database closed to connections for maintenance answers 55000, which is otherwise a mistake of ours.
    expect(classifyError(pgError('55000', 'database "gridcase" is not currently accepting connections'))).toBe('transient');
    expect(classifyError(pgError('55000', 'cannot change sequence "x"'))).toBe('unknown');
    // A server speaking another language (lc_messages) is known by the routine that refused the connection.
    expect(classifyError(Object.assign(pgError('55000', '数据库 "gridcase" 当前不接受连接'), { routine: 'CheckMyDatabase' }))).toBe('transient');
    expect(classifyError(new Error('Connection terminated unexpectedly'))).toBe('transient');
    expect(classifyError(new Error('timeout exceeded when trying to connect'))).toBe('transient');
    expect(classifyError(new TransientError('search index away'))).toBe('transient');
    expect(classifyError(drizzleWrap(pgError('57P01')))).toBe('transient');
    expect(classifyError(kafkaError('KafkaJSConnectionError', true))).toBe('transient');
  });

  it('judges kafkajs retries-exceeded by what it gave up on', () => {
    const exceeded = (cause: Error) => Object.assign(kafkaError('KafkaJSNumberOfRetriesExceeded', false), { cause });
    expect(classifyError(exceeded(kafkaError('KafkaJSConnectionError', true)))).toBe('transient');
    expect(classifyError(exceeded(new Error('boom')))).toBe('unknown');
  });

  it('leaves bugs, constraint violations and refusals unknown (bounded retries)', () => {
    expect(classifyError(new TypeError("Cannot read properties of undefined (reading 'x')"))).toBe('unknown');
    // A unique or foreign-key violation may come from a concurrent writer or out-of-order events.
    expect(classifyError(pgError('23505'))).toBe('unknown');
    expect(classifyError(pgError('23503'))).toBe('unknown');
    expect(classifyError(pgError('42P01'))).toBe('unknown');
    expect(classifyError(kafkaError('KafkaJSProtocolError', false, { type: 'MESSAGE_TOO_LARGE', code: 10 }))).toBe('unknown');
    expect(classifyError('a string')).toBe('unknown');
    expect(classifyError(undefined)).toBe('unknown');
  });
});

describe('describeError', () => {
  it('never quotes what a database error or drizzle says about the input', () => {
    const pg = pgError('22P02', 'invalid input syntax for type uuid: "Jane Doe"');
    expect(describeError(pg)).toBe('database error 22P02');
    const wrapped = describeError(drizzleWrap(pgError('23505', 'Key (phone)=(+4512345678) already exists.')));
    expect(wrapped).toBe('DrizzleQueryError: database error 23505');
    expect(wrapped).not.toContain('4512345678');
  });

  it('names zod issues by path and code, not by message or value', () => {
    const err = CommandAccepted.safeParse({ commandId: 4512345678 }).error;
    expect(describeError(err)).toBe('invalid data: commandId: invalid_type');
  });

  it('keeps our own messages, capped, on one line', () => {
    expect(describeError(new PoisonError('no such category'))).toBe('no such category');
    expect(describeError(new ContractError('envelope: id: Invalid'))).toBe('contract violation: envelope: id: Invalid');
    expect(describeError(new Error(`a\nb${'x'.repeat(1000)}`))).toHaveLength(300);
    expect(describeError(new Error('a\nb'))).toBe('a b');
  });

  it('names foreign errors instead of quoting them', () => {
    expect(describeError(new SyntaxError('Unexpected token \'J\', "Jane Doe" is not valid JSON'))).toBe('SyntaxError');
    expect(describeError(errno('ECONNREFUSED'))).toBe('Error ECONNREFUSED');
  });
});

describe('isTopicMissing', () => {
  it('finds UNKNOWN_TOPIC_OR_PARTITION also behind retries-exceeded', () => {
    const missing = kafkaError('KafkaJSProtocolError', true, { type: 'UNKNOWN_TOPIC_OR_PARTITION' });
    expect(isTopicMissing(missing)).toBe(true);
    expect(isTopicMissing(Object.assign(kafkaError('KafkaJSNumberOfRetriesExceeded', false), { cause: missing }))).toBe(true);
    expect(isTopicMissing(kafkaError('KafkaJSConnectionError', true))).toBe(false);
  });
});

describe('oneLine', () => {
  it('makes a text one printable line of at most the given length, never ending in half a surrogate pair', () => {
    expect(oneLine('a\r\nb\tc', 10)).toBe('a b c');
    expect(oneLine('abcdef', 4)).toBe('abcd');
    // 'a' and one emoji take 3 units; the second emoji would be cut in half at 4.
    expect(oneLine(`a${'😀'.repeat(3)}`, 4)).toBe('a😀');
  });
});
