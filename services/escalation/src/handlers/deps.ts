import type { Db } from '@gridcase/db';
import type { Clock } from '@gridcase/service-kit';

export type { Logger } from 'pino';
import type { Logger } from 'pino';

export interface HandlerDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
}
