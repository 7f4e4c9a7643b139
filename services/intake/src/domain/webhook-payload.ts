/**
 * A case event as a sender's webhook receives it: the CloudEvent as published, without `data.by`
 * (who acted: a staff member's client, token name and officer id stay inside the station). Events
 * without an actor are sent byte for byte as published.
 */
export function webhookPayload(raw: string): string {
  const event = JSON.parse(raw) as { data?: unknown };
  if (typeof event.data !== 'object' || event.data === null || !('by' in event.data)) return raw;
  const { by: _actor, ...data } = event.data as Record<string, unknown>;
  return JSON.stringify({ ...event, data });
}
