export * from './consumer.ts';
export * from './kafka.ts';
export * from './polling.ts';
export * from './relay.ts';
export * from './replay.ts';
export * from './trace.ts';
export * from './listen.ts';
