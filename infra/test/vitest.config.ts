import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('../..', import.meta.url));
const globalSetup = [fileURLToPath(new URL('./global-setup.ts', import.meta.url))];
// infra/dev test collects each run's JSON results here to print one closing count.
const resultsDir = process.env.GRIDCASE_TEST_RESULTS;

/**
 * unit: pure logic, no I/O. integration: one service or package against real Kafka and Postgres.
 * e2e: all five services as real processes. Integration and e2e share one global setup that finds
 * (or starts, with testcontainers) the infrastructure and migrates a template database once.
 * faults: issue 5's fault suite on infrastructure of its own (see infra/test/faults/).
 * package.json runs the projects one after another: integration files two at a time (each on its
 * own database and topic prefix), e2e files one at a time (each runs five processes).
 */
export default defineConfig({
  test: {
    root,
    reporters: resultsDir ? ['default', 'json'] : ['default'],
    ...(resultsDir ? { outputFile: { json: `${resultsDir}/vitest-${process.pid}.json` } } : {}),
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['packages/*/test/**/*.test.ts', 'services/*/test/**/*.test.ts', 'infra/test/unit/**/*.test.ts'],
          exclude: ['**/*.int.test.ts', '**/*.e2e.test.ts', '**/node_modules/**'],
          // A guard against a hang, not a measure: the jieba and classifier tests that take 1 s alone took over 5 s beside a CI run.
          testTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['packages/*/test/**/*.int.test.ts', 'services/*/test/**/*.int.test.ts', 'infra/test/integration/**/*.int.test.ts'],
          globalSetup,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['infra/test/e2e/**/*.e2e.test.ts'],
          globalSetup,
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
      {
        extends: true,
        test: {
          // Issue 5's fault suite: its own throwaway Postgres cluster and Kafka broker, one file,
          // scenarios one after another (each runs the whole pipeline under load).
          name: 'faults',
          include: ['infra/test/faults/**/*.faults.test.ts'],
          testTimeout: 600_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
