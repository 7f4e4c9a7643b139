import type { IHeaders } from 'kafkajs';

/** A record's headers as text: each one's value, and every value of each header it carries more than once. */
export interface HeaderText {
  /** Each header's value; of a repeated one, its first. */
  headers: Record<string, string>;
  /** Every value, in order, of each header the record carries more than once; absent when none repeats. */
  repeatedHeaders?: Record<string, string[]>;
}

/** Reads kafkajs's headers, which give a header the record carries more than once as a list of its values. */
export function readHeaders(headers: IHeaders | undefined): HeaderText {
  const out: Record<string, string> = {};
  const repeated: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    if (v === undefined) continue;
    const values = Array.isArray(v) ? v.map(String) : [String(v)];
    if (values.length === 0) continue;
    out[k] = values[0]!;
    if (values.length > 1) repeated[k] = values;
  }
  return Object.keys(repeated).length > 0 ? { headers: out, repeatedHeaders: repeated } : { headers: out };
}

/** The headers to write again (a dead letter, a replay): every value of a repeated one, so it is the record as sent. */
export const headersAsSent = ({ headers, repeatedHeaders }: HeaderText): Record<string, string | string[]> => ({ ...headers, ...repeatedHeaders });
