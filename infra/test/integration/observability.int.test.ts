/**
 * The five services in this process against the real broker and Postgres, traced into memory: one
 * report's trace from POST /v1/reports through the outboxes and Kafka to case.assigned and on to an
 * escalation; then every metric the alert rules and the dashboard read is exposed on /metrics.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { startTracing } from '@gridcase/service-kit/tracing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Tracing starts before any module it instruments loads: every import below is dynamic.
const exporter = new InMemorySpanExporter();
startTracing({ serviceName: 'gridcase-test', sdk: { spanProcessors: [new SimpleSpanProcessor({ exporter })] } });

const { TOPICS } = await import('@gridcase/contracts');
const { ManualClock } = await import('@gridcase/service-kit');
const { bearer, eventually, isolatedEnv, readTopic } = await import('../harness.ts');
const { shippedQueries, exposedSeries, missingMetrics, undocumentedMetrics } = await import('../../observability/check.ts');
const services = {
  intake: await import('../../../services/intake/src/main.ts'),
  triage: await import('../../../services/triage/src/main.ts'),
  assignment: await import('../../../services/assignment/src/main.ts'),
  escalation: await import('../../../services/escalation/src/main.ts'),
  desk: await import('../../../services/desk/src/main.ts'),
};

type Started = { rt: { shutdown(reason: string): Promise<void> }; app: { inject: (o: object) => Promise<{ statusCode: number; body: string; json(): any }> } };

const MINUTE = 60_000;

const eventTypeOf = (span: ReadableSpan) => span.attributes['cloudevents.event_type'] as string | undefined;
const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

/** The spans of one trace as an indented tree; database queries are counted under their span, not listed. */
function drawTree(spans: ReadableSpan[], prefix: string): string {
  const children = new Map<string | undefined, ReadableSpan[]>();
  for (const s of spans) {
    const list = children.get(parentOf(s)) ?? [];
    list.push(s);
    children.set(parentOf(s), list);
  }
  const byId = new Set(spans.map((s) => s.spanContext().spanId));
  const lines: string[] = [];
  const label = (s: ReadableSpan) => {
    const group = (s.attributes['messaging.consumer.group.name'] as string | undefined)?.replace(prefix, '');
    const type = eventTypeOf(s);
    const queries = (children.get(s.spanContext().spanId) ?? []).filter((c) => c.name.startsWith('pg.')).length;
    return [s.name.replace(prefix, ''), group && `(${group})`, type && `[${type}]`, queries && `+${queries} queries`].filter(Boolean).join(' ');
  };
  const walk = (s: ReadableSpan, depth: number) => {
    lines.push(`${'  '.repeat(depth)}${label(s)}`);
    const kids = (children.get(s.spanContext().spanId) ?? [])
      .filter((c) => !c.name.startsWith('pg.'))
      .sort((a, b) => a.startTime[0] - b.startTime[0] || a.startTime[1] - b.startTime[1]);
    for (const c of kids) walk(c, depth + 1);
  };
  for (const root of spans.filter((s) => !byId.has(parentOf(s) ?? ''))) walk(root, 0);
  return lines.join('\n');
}

describe('observability: one report traced across the services, and the metrics the alerts read', () => {
  const clock = new ManualClock(new Date());
  let env: Record<string, string>;
  const started: Partial<Record<keyof typeof services, Started>> = {};
  let cases: Awaited<ReturnType<typeof readTopic>>;

  beforeAll(async () => {
    env = await isolatedEnv({
      INTAKE_PORT: '0',
      TRIAGE_PORT: '0',
      ASSIGNMENT_PORT: '0',
      ESCALATION_PORT: '0',
      DESK_PORT: '0',
      ESCALATION_POLL_MS: '50',
    });
    // One after another: each migrates its schema and ensures topics.
    for (const [name, service] of Object.entries(services)) {
      started[name as keyof typeof services] = (await service.start(env, clock)) as unknown as Started;
    }
    cases = await readTopic(env, TOPICS.cases);
  });

  afterAll(async () => {
    await cases?.close();
    for (const s of Object.values(started).reverse()) await s?.rt.shutdown('test done');
  });

  const call = async (service: keyof typeof services, method: string, url: string, payload?: unknown, token?: string) => {
    const res = await started[service]!.app.inject({ method, url, payload, headers: bearer(token) });
    return { status: res.statusCode, body: res.body ? res.json() : undefined };
  };

  it('follows a report from POST /v1/reports to case.assigned and on to its escalation in one trace', async () => {
    const reporter = await call('intake', 'POST', '/v1/clients', { name: '12345 hotline', roles: ['reporter'] });
    expect(reporter.status).toBe(201);
    const grids = (await call('assignment', 'GET', '/v1/grids')).body.items as { code: string }[];
    const respondBy = new Date(clock.now().getTime() + 10 * MINUTE).toISOString();
    const posted = await call(
      'intake',
      'POST',
      '/v1/reports',
      { externalId: `trace-${Date.now()}`, description: '小区门禁坏了报警器一直响', location: { gridCode: grids[0]!.code }, respondBy },
      reporter.body.token,
    );
    expect(posted.status).toBe(202);

    const [opened] = await cases.waitFor('case.opened', (r) => r.message?.type === 'gridcase.case.opened.v1');
    const caseId = opened!.key!;
    await cases.waitFor('case.assigned', (r) => r.key === caseId && r.message?.type === 'gridcase.case.assigned.v1');
    await cases.waitFor('deadlines mirrored', (r) => r.key === caseId && r.message?.type === 'gridcase.case.deadlines-set.v1');
    // Escalation mirrors the deadlines in its own time; once its timers exist, move past respondBy.
    await eventually('respond timer armed', async () => {
      const res = await call('escalation', 'GET', `/v1/timers?caseId=${caseId}`);
      return res.body?.items?.length ? true : undefined;
    });
    clock.advance(11 * MINUTE);
    await cases.waitFor('case.escalated', (r) => r.key === caseId && r.message?.type === 'gridcase.case.escalated.v1');

    const request = exporter.getFinishedSpans().find((s) => s.name === 'POST /v1/reports');
    expect(request, 'the request span').toBeDefined();
    const traceId = request!.spanContext().traceId;
    const inTrace = () => exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
    const byId = () => new Map(inTrace().map((s) => [s.spanContext().spanId, s]));
    /** The chain of span names (with event type or group) from the request down to `span`. */
    const chainTo = (span: ReadableSpan): string[] => {
      const spans = byId();
      const chain: string[] = [];
      for (let s: ReadableSpan | undefined = span; s; s = spans.get(parentOf(s) ?? '')) {
        const group = (s.attributes['messaging.consumer.group.name'] as string | undefined)?.replace(env.KAFKA_TOPIC_PREFIX!, '');
        chain.unshift(eventTypeOf(s) ?? group ?? s.name);
      }
      return chain;
    };
    const handled = (group: string, eventType: string) =>
      inTrace().find((s) => {
        const parent = byId().get(parentOf(s) ?? '');
        return s.attributes['messaging.consumer.group.name'] === `${env.KAFKA_TOPIC_PREFIX}${group}` && parent && eventTypeOf(parent) === eventType;
      });

    // The desk's projection of case.assigned, and assignment's handling of the passed deadline's consequences.
    const assignedAtDesk = await eventually('the desk handles case.assigned in the trace', () => handled('gridcase-desk-projection', 'gridcase.case.assigned.v1'));
    const escalatedAtDesk = await eventually('the desk handles case.escalated in the trace', () =>
      handled('gridcase-desk-projection', 'gridcase.case.escalated.v1'),
    );

    console.log(`the trace of one report (${traceId}):\n${drawTree(inTrace(), env.KAFKA_TOPIC_PREFIX!)}`);

    expect(request!.kind).toBe(1); // SERVER
    expect(request!.parentSpanContext).toBeUndefined();
    // From the request to assignment's handling of case.opened, which both chains share.
    const toAssignment = [
      'POST /v1/reports',
      'handler /v1/reports',
      'gridcase.report.received.v1',
      'gridcase-triage-reports',
      'gridcase.case.opened.v1',
      'gridcase-assignment-cases',
    ];
    expect(chainTo(assignedAtDesk)).toEqual([...toAssignment, 'gridcase.case.assigned.v1', 'gridcase-desk-projection']);
    expect(chainTo(escalatedAtDesk)).toEqual([
      ...toAssignment,
      'gridcase.case.deadlines-set.v1',
      'gridcase-escalation-cases',
      'fire gridcase.case.deadline-passed.v1',
      'gridcase.case.deadline-passed.v1',
      'gridcase-assignment-cases',
      'gridcase.case.escalated.v1',
      'gridcase-desk-projection',
    ]);
    // The handlers' queries are in the trace too, under the spans that made them.
    expect(inTrace().filter((s) => s.name.startsWith('pg.query')).length).toBeGreaterThan(10);
  });

  it('exposes every metric the alert rules and the dashboard read', async () => {
    const exposed = new Set<string>();
    for (const service of Object.keys(services) as (keyof typeof services)[]) {
      const res = await started[service]!.app.inject({ method: 'GET', url: '/metrics' });
      expect(res.statusCode).toBe(200);
      for (const name of exposedSeries(res.body)) exposed.add(name);
    }
    expect(missingMetrics(shippedQueries(), exposed)).toEqual([]);
    // …and every metric a service exposes is in the list operators read (audit 24 #6).
    expect(undocumentedMetrics(exposed)).toEqual([]);
    // The scrape-time gauges hold values, not only their names.
    const metrics = (await started.desk!.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(/^gridcase_desk_cases_open\{severity="yellow"\} \d+$/m);
    expect(metrics).toMatch(new RegExp(`^gridcase_consumer_lag_messages\\{group="${env.KAFKA_TOPIC_PREFIX!.replace('.', '\\.')}gridcase-desk-projection",topic="gridcase.cases",partition="0"\\} \\d+$`, 'm'));
    expect(metrics).toMatch(/^gridcase_outbox_oldest_unsent_age_seconds\{schema="desk"\} [\d.]+$/m);
  });

  it('exports OTLP (HTTP/protobuf) from a real process started with the register file, once an endpoint is set', async () => {
    const posts: { path: string; type: string; body: Buffer }[] = [];
    const collector = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        posts.push({ path: req.url ?? '', type: req.headers['content-type'] ?? '', body: Buffer.concat(chunks) });
        res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    const free = createServer();
    await new Promise<void>((resolve) => free.listen(0, '127.0.0.1', resolve));
    const port = (free.address() as AddressInfo).port;
    await new Promise((resolve) => free.close(resolve));
    const root = fileURLToPath(new URL('../../../', import.meta.url));
    const child = spawn(
      process.execPath,
      ['--import', `${root}packages/service-kit/src/tracing-register.ts`, `${root}services/escalation/src/main.ts`],
      {
        env: {
          ...env,
          ESCALATION_PORT: String(port),
          OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(collector.address() as AddressInfo).port}`,
          OTEL_BSP_SCHEDULE_DELAY: '100',
        },
        stdio: 'ignore',
      },
    );
    try {
      await eventually('the traced process to answer', async () => {
        const res = await fetch(`http://127.0.0.1:${port}/v1/timers`, { headers: bearer() });
        return res.status === 200 ? true : undefined;
      }, 60_000);
      const post = await eventually('spans at the collector', () =>
        posts.find((p) => p.body.includes('GET /v1/timers') && p.body.includes('gridcase-escalation')),
      );
      expect(post.path).toBe('/v1/traces');
      expect(post.type).toBe('application/x-protobuf');
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve(undefined)));
      collector.close();
    }
  });
});
