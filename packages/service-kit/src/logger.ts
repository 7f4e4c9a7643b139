import pino, { type Logger } from 'pino';

/** Personal data never reaches a log line, whatever object carries it. */
const PERSONAL = ['name', 'phone', 'idNumber', 'email'];
export const REDACT_PATHS = [
  ...PERSONAL.flatMap((f) => [`reporter.${f}`, `*.reporter.${f}`, `*.*.reporter.${f}`, `*.*.*.reporter.${f}`]),
  'req.headers.authorization',
  'headers.authorization',
  'token',
  '*.token',
];

export function createLogger(service: string, level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      name: service,
      level,
      base: { service },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
