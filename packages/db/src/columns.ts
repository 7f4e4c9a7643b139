import { getTableColumns } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';

/** A column as a prepared statement writes it: its property, its SQL name, and its value as pg should send it. */
export interface DriverColumn<K extends string = string> {
  key: K;
  name: string;
  toDriver: (value: unknown) => unknown;
}

/**
 * A table's columns for hand-written prepared statements, taken from its drizzle schema once, so the
 * schema stays the one definition of names and encodings: dates and JSON go as drizzle writes them,
 * while pg writes a JS array as an array literal itself.
 */
export function driverColumns<T extends PgTable>(table: T): DriverColumn<Extract<keyof T['_']['columns'], string>>[] {
  return Object.entries(getTableColumns(table)).map(([key, column]) => ({
    key: key as Extract<keyof T['_']['columns'], string>,
    name: column.name,
    toDriver: column.columnType === 'PgArray' ? (v: unknown) => v : (v: unknown) => column.mapToDriverValue(v),
  }));
}

/** The row's values in the columns' order, null where the row has none. */
export const driverValues = <K extends string>(columns: readonly DriverColumn<K>[], row: Partial<Record<K, unknown>>): unknown[] =>
  columns.map((c) => {
    const v = row[c.key];
    return v === null || v === undefined ? null : c.toDriver(v);
  });
