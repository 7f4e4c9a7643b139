export * from './client.ts';
export * from './migrate.ts';
export * from './outbox.ts';
export * from './tables.ts';
