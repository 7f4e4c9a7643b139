import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { TOPICS } from '@gridcase/contracts';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SERVICES } from '../../scripts/migrate-all.ts';
import { mainOf } from '../service-env.ts';

// The runbook names consumer groups, topics, files and commands an operator will type during an
// incident; these must be the ones the code has.
const root = fileURLToPath(new URL('../../..', import.meta.url));
const runbook = readFileSync(`${root}docs/operations.md`, 'utf8');

/** The consumer groups a service creates: `gridcase-<service>-<name>` for each rt.consume(name, …). */
function groupsOf(service: string): string[] {
  const source = mainOf(service);
  return [...source.matchAll(/rt\.consume\(\s*(?:'([\w-]+)'|([A-Z_]+))/g)].map(([, literal, constant]) => {
    const name = literal ?? new RegExp(`const ${constant} = '([\\w-]+)'`).exec(source)?.[1];
    expect(name, `${service}: the group name of rt.consume(${constant})`).toBeDefined();
    return `gridcase-${service}-${name}`;
  });
}

describe('docs/operations.md', () => {
  it('resets exactly the consumer groups the services have, after a restore', () => {
    const loop = /for group in ([^;]+); do/.exec(runbook)?.[1];
    expect(loop, 'the reset loop').toBeDefined();
    const documented = loop!.split(/[\s\\]+/).filter(Boolean).sort();
    expect(documented).toEqual(SERVICES.flatMap(groupsOf).sort());
    // The table of what runs names the same groups.
    for (const group of documented) expect(runbook).toContain(`\`${group}\``);
  });

  it('explains every alert under its name, where its runbook link points', () => {
    const rules = (parse(readFileSync(`${root}infra/observability/alerts.yml`, 'utf8')) as { groups: { rules: { alert: string; annotations: { runbook: string } }[] }[] }).groups.flatMap(
      (g) => g.rules,
    );
    expect(rules.length).toBeGreaterThan(0);
    const section = runbook.slice(runbook.indexOf('\n## Alerts\n'));
    const headings = [...section.matchAll(/^### (\S+)$/gm)].map((m) => m[1]!);
    expect(headings.sort()).toEqual(rules.map((r) => r.alert).sort());
    // GitHub's anchor of a one-word heading is the word in lower case.
    for (const r of rules) expect(r.annotations.runbook, r.alert).toBe(`docs/operations.md#${r.alert.toLowerCase()}`);
  });

  it('names every topic', () => {
    for (const topic of Object.values(TOPICS)) expect(runbook, topic).toContain(`\`${topic}\``);
  });

  it('refers to files and scripts that exist', () => {
    const paths = [...runbook.matchAll(/`((?:infra|docs|packages|services)\/[\w./-]+|docker-compose\.yml)`/g)].map((m) => m[1]!);
    expect(paths.length).toBeGreaterThan(5);
    for (const path of paths) expect(existsSync(`${root}${path.replace(/\/$/, '')}`), path).toBe(true);
    for (const [, script] of runbook.matchAll(/node (infra\/scripts\/[\w-]+\.ts)/g)) expect(existsSync(`${root}${script}`), script).toBe(true);
  });
});
