import type { Db } from '@gridcase/db';
import type { Clock, } from '@gridcase/service-kit';

export type { Logger } from 'pino';
import type { Logger } from 'pino';

export interface HandlerDeps {
  db: Db;
  /** Consumer group suffix, also the inbox group. */
  groupId: string;
  clock: Clock;
  logger: Logger;
}
