import { Severity, StreamResetReason } from '@gridcase/contracts';
import type { Db } from '@gridcase/db';
import { type SharedRead, throttledRead } from '@gridcase/messaging';
import type { Clock } from '@gridcase/service-kit';
import { Counter, Gauge } from 'prom-client';
import { openCasesBySeverity, type SeverityCounts } from './db/case-counts.ts';

let readCounts: (() => Promise<SharedRead<SeverityCounts[]>>) | undefined;

/** Every grade is shown, at 0 when it has no case, so an alert on one never sees it vanish. */
const GRADES = [...Severity.options, 'unknown'];

function setFrom(gauge: Gauge<'severity'>, counts: SeverityCounts[], pick: (c: SeverityCounts) => number): void {
  for (const severity of GRADES) gauge.set({ severity }, pick(counts.find((c) => c.severity === severity) ?? { severity, open: 0, overdue: 0 }));
}

/** A gauge by severity read from the read model at each scrape; `pick` chooses its figure. */
function severityGauge(name: string, help: string, pick: (c: SeverityCounts) => number): Gauge<'severity'> {
  const gauge: Gauge<'severity'> = new Gauge({
    name,
    help,
    labelNames: ['severity'] as const,
    async collect() {
      // A failed read keeps the last values; /readyz reports the database.
      const counts = (await readCounts?.())?.value;
      if (counts) setFrom(gauge, counts, pick);
    },
  });
  return gauge;
}

/**
 * Read from the desk's read model, so every desk instance shows the same figures: aggregate with max,
 * not sum. One read for both gauges at most every 5 s, however many scrape (/metrics needs no token).
 */
export const casesOpenGauge = severityGauge(
  'gridcase_desk_cases_open',
  'Cases not closed, by severity (grade), from the desk read model (read at most every 5 s)',
  (c) => c.open,
);

export const casesOverdueGauge = severityGauge(
  'gridcase_desk_cases_overdue',
  'Cases overdue: a running deadline passed, or one the case was escalated for and has not met since (respond, resolve, verify or follow-up), by severity (grade), from the desk read model (read at most every 5 s)',
  (c) => c.overdue,
);

export function watchCaseCounts(db: Db, clock: Clock): void {
  readCounts = throttledRead(() => openCasesBySeverity(db, clock.now()));
}

/** Why a stream (/v1/stream) is refused before it opens: its token (401, 403, or 503 while tokens cannot be checked) or a cap (429, 503). */
export const STREAM_REFUSALS = ['unauthorized', 'forbidden', 'auth-unavailable', 'client-limit', 'instance-limit'] as const;
export type StreamRefusal = (typeof STREAM_REFUSALS)[number];

/**
 * Why the server reset a stream: told to reload what it missed (the gridcase.stream.reset event; the
 * stream goes on), or ended from this side. A client that leaves is not counted.
 */
export const STREAM_RESETS = [...StreamResetReason.options, 'slow-client', 'token-refused', 'grids-changed', 'shutdown'] as const;
export type StreamResetCause = (typeof STREAM_RESETS)[number];

/** Per instance (each serves its own streams): aggregate with sum. */
export const streamsOpen = new Gauge({
  name: 'gridcase_desk_streams_open',
  help: 'Server-Sent Event streams (/v1/stream) this instance serves now',
});

export const streamsRefusedTotal = new Counter({
  name: 'gridcase_desk_streams_refused_total',
  help: `Streams (/v1/stream) refused before they opened, by reason (${STREAM_REFUSALS.join(', ')})`,
  labelNames: ['reason'] as const,
});

export const streamResetsTotal = new Counter({
  name: 'gridcase_desk_stream_resets_total',
  help: `Streams the server reset: told to reload (${StreamResetReason.options.join(', ')}) or ended (slow-client, token-refused, grids-changed, shutdown)`,
  labelNames: ['reason'] as const,
});

/** Every reason shown at 0 from the start, so a scrape tells none from no metric and an increase() alert sees the first. */
export function showStreamMetrics(): void {
  for (const reason of STREAM_REFUSALS) streamsRefusedTotal.inc({ reason }, 0);
  for (const reason of STREAM_RESETS) streamResetsTotal.inc({ reason }, 0);
}
