export * from './client.ts';
export * from './inbox.ts';
export * from './migrate.ts';
export * from './outbox.ts';
export * from './tables.ts';
