import type { Db } from '@gridcase/db';
import type { Clock, Runtime } from '@gridcase/service-kit';

/** pino's Logger, named through service-kit since pino is not a dependency of this package. */
export type Logger = Runtime<unknown>['logger'];

export interface HandlerDeps {
  db: Db;
  /** Consumer group suffix, also the inbox group. */
  groupId: string;
  clock: Clock;
  logger: Logger;
}
