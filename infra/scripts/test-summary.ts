// Prints one closing line for the whole test command: "N passed, N failed" over every vitest run.
import { readdirSync, readFileSync } from 'node:fs';

const dir = process.argv[2];
if (!dir) throw new Error('usage: test-summary.ts <results dir>');
let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
  const run = JSON.parse(readFileSync(`${dir}/${file}`, 'utf8'));
  passed += run.numPassedTests ?? 0;
  failed += (run.numFailedTests ?? 0) + (run.numFailedTestSuites && !run.numFailedTests ? run.numFailedTestSuites : 0);
  skipped += (run.numPendingTests ?? 0) + (run.numTodoTests ?? 0);
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
