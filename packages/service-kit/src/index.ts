export * from './auth.ts';
export * from './clock.ts';
export * from './config.ts';
export * from './http.ts';
export * from './logger.ts';
export * from './problem.ts';
export * from './runtime.ts';
