export * from './holder.ts';
export * from './published.ts';
export * from './working-days.ts';
