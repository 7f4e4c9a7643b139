export * from './client.ts';
export * from './columns.ts';
export * from './inbox.ts';
export * from './migrate.ts';
export { CommitNotifier, commitNotifier, notifyOnCommit } from './notify.ts';
export * from './outbox.ts';
export * from './tables.ts';
export * from './audit.ts';
// The SQL builder, for packages that compose conditions over a service's tables (service-kit's scope).
export { type Column, type SQL, sql } from 'drizzle-orm';
export * from './tx-client.ts';
export { isDatabaseUnavailable } from './unavailable.ts';
