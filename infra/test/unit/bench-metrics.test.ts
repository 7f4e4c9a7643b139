import { describe, expect, it } from 'vitest';
import { parseHandlerTimes, parseLag } from '../../bench/lib/handler-times.ts';

const metrics = `# HELP gridcase_consumer_lag_messages Messages in a partition not yet committed by a consumer group
# TYPE gridcase_consumer_lag_messages gauge
gridcase_consumer_lag_messages{group="tab12.projection",topic="gridcase.cases",partition="0"} 1200
gridcase_consumer_lag_messages{group="tab12.projection",topic="gridcase.cases",partition="1"} 85
gridcase_consumer_lag_messages{group="tab12.projection",topic="gridcase.cases",partition="2"} 0
gridcase_consumer_handle_seconds_sum{group="tab12.projection",topic="gridcase.cases"} 4.5
gridcase_consumer_handle_seconds_count{group="tab12.projection",topic="gridcase.cases"} 90
`;

describe('the bench reading /metrics', () => {
  it('sums the lag of every partition of every group (what settle waits to reach 0)', () => {
    expect(parseLag(metrics)).toBe(1285);
  });

  it('reads no lag where the gauge has no series yet, and ignores the handler histograms', () => {
    expect(parseLag('gridcase_consumer_handle_seconds_count{group="g",topic="t"} 7\n')).toBe(0);
  });

  it('keys handler totals by group and topic without the stack prefix', () => {
    expect(parseHandlerTimes(metrics, 'tab12.').get('projection ← gridcase.cases')).toEqual({ sum: 4.5, count: 90 });
  });
});
