import type { Db } from '@gridcase/db';
import { PollingLoop } from '@gridcase/messaging';
import type { Clock } from '@gridcase/service-kit';
import type { Logger } from 'pino';
import { Counter, Gauge } from 'prom-client';
import { emitSloBurn } from './db/slo.ts';
import { loadDisputeFacts } from './db/stats.ts';
import { alertState, alertTransitions, BURN_ALERTS, DISPUTE_OBJECTIVE, disputeEventsByPoliceGrid, LONGEST_WINDOW_MS } from './domain/slo.ts';

const burnRateGauge = new Gauge({
  name: 'gridcase_desk_slo_burn_rate',
  help: "Burn rate of a police grid's dispute objective (98 % settled) over an alert's window; absent when the window holds no decided dispute",
  labelNames: ['police_grid', 'alert', 'window'] as const,
});
const firingGauge = new Gauge({
  name: 'gridcase_desk_slo_alert_firing',
  help: "1 while a police grid's dispute-objective burn-rate alert fires (both windows over the threshold), else 0",
  labelNames: ['police_grid', 'alert'] as const,
});
const changesCounter = new Counter({
  name: 'gridcase_desk_slo_alert_changes_total',
  help: 'Burn-rate alert changes (firing, resolved) this instance emitted as gridcase.desk.slo-burn.v1',
  labelNames: ['alert', 'state'] as const,
});

export interface SloWatchOptions {
  db: Db;
  clock: Clock;
  logger: Logger;
  /** How often the alerts are judged. */
  pollMs: number;
  /**
   * How far back each pass looks for changes. Passes overlap, so a change missed by one (a restart,
   * a failed pass) is found by the next; shorter than the inbox's 7-day memory, so none is emitted twice.
   */
  horizonMs?: number;
}

/**
 * Judges every police grid's burn-rate alerts each `pollMs`: sets the gauges, and emits each change
 * of state (computed from the events, not from this instance's memory) once through the outbox.
 * Every desk instance runs one; the inbox claim makes the emission once per change across them.
 */
export class SloWatch {
  private readonly loop: PollingLoop;
  private readonly horizonMs: number;
  private readonly o: SloWatchOptions;

  constructor(options: SloWatchOptions) {
    this.o = options;
    this.horizonMs = options.horizonMs ?? 24 * 3_600_000;
    this.loop = new PollingLoop({ name: 'desk SLO burn-rate watch', pollMs: options.pollMs, batchSize: Number.POSITIVE_INFINITY, logger: options.logger, pass: () => this.pass() });
  }

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  get failure(): string | undefined {
    return this.loop.lastError;
  }

  /** One judgement as of now; returns how many changes it emitted. */
  async pass(): Promise<number> {
    const now = this.o.clock.now();
    const since = new Date(now.getTime() - this.horizonMs);
    // The watch is the station's own: every police grid, whatever any token may see.
    const facts = await loadDisputeFacts(this.o.db, new Date(since.getTime() - LONGEST_WINDOW_MS), { redact: false });
    const gauges: (() => void)[] = [];
    let emitted = 0;
    for (const [policeGridCode, events] of disputeEventsByPoliceGrid(facts)) {
      const grid = policeGridCode ?? '';
      for (const alert of BURN_ALERTS) {
        const state = alertState(events, now, alert);
        gauges.push(() => firingGauge.set({ police_grid: grid, alert: alert.name }, state.firing ? 1 : 0));
        for (const [window, burn] of [['long', state.long], ['short', state.short]] as const) {
          const rate = burn.burnRate;
          if (rate !== null) gauges.push(() => burnRateGauge.set({ police_grid: grid, alert: alert.name, window }, rate));
        }
        for (const change of alertTransitions(events, alert, since, now)) {
          const at = alertState(events, change.at, alert);
          const window = (ms: number, burn: typeof at.long) => ({ windowSeconds: ms / 1000, ...burn });
          const fresh = await emitSloBurn(this.o.db, {
            policeGridCode,
            sli: 'dispute-settled',
            objective: DISPUTE_OBJECTIVE,
            alert: alert.name,
            state: change.firing ? 'firing' : 'resolved',
            at: change.at.toISOString(),
            threshold: alert.burnRate,
            long: window(alert.longMs, at.long),
            short: window(alert.shortMs, at.short),
          });
          if (!fresh) continue;
          emitted++;
          changesCounter.inc({ alert: alert.name, state: change.firing ? 'firing' : 'resolved' });
          this.o.logger.warn({ policeGridCode, alert: alert.name, firing: change.firing, at: change.at }, 'dispute objective burn-rate alert changed');
        }
      }
    }
    // All at once, so a scrape never sees half a pass; grids with nothing decided any more drop out.
    burnRateGauge.reset();
    firingGauge.reset();
    for (const set of gauges) set();
    return emitted;
  }
}
