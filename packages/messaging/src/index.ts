export * from './consumer.ts';
export * from './kafka.ts';
export * from './relay.ts';
export * from './trace.ts';
