/**
 * A Kafka record's size as the broker counts it against message.max.bytes: the bytes (UTF-8 for a
 * string) of its key, its value and each header's name and value (each value of a repeated one); an absent key or value counts 0.
 * The relay measures what it is about to send, the consumer the dead letter it is about to write.
 */
export function recordBytes({
  key,
  value,
  headers,
}: {
  key: string | Buffer | null | undefined;
  value: string | Buffer | null | undefined;
  /** A header carried more than once (a list of its values) counts its name once per value. */
  headers: Readonly<Record<string, string | readonly string[]>>;
}): number {
  let n = (key == null ? 0 : Buffer.byteLength(key)) + (value == null ? 0 : Buffer.byteLength(value));
  for (const [k, v] of Object.entries(headers)) for (const one of typeof v === 'string' ? [v] : v) n += Buffer.byteLength(k) + Buffer.byteLength(String(one));
  return n;
}
