import { randomHex } from '@gridcase/contracts';
import {
  type Attributes,
  type Context,
  context,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** A W3C traceparent continuing `parent`'s trace with a new span id, or a new trace. */
export function childTraceparent(parent?: string): string {
  const m = parent ? TRACEPARENT.exec(parent) : null;
  const traceId = m?.[1] ?? randomHex(16);
  const flags = m?.[3] ?? '01';
  return `00-${traceId}-${randomHex(8)}-${flags}`;
}

export const traceIdOf = (traceparent?: string): string | undefined =>
  traceparent ? TRACEPARENT.exec(traceparent)?.[1] : undefined;

/*
 * Spans go through @opentelemetry/api, which is a no-op until service-kit's tracing registers an
 * SDK (OTEL_EXPORTER_OTLP_ENDPOINT set): then nothing here records or injects anything, and
 * traceparent headers travel as they always did.
 */
const tracer = trace.getTracer('@gridcase/messaging');

/** The context a message's headers continue: their traceparent as a remote parent, else none (a new trace). */
export const contextOfHeaders = (headers: Record<string, string>): Context => propagation.extract(ROOT_CONTEXT, headers);

/** Writes the span's traceparent into `headers` (no-op without a tracing SDK, keeping what they hold). */
export const injectSpan = (span: Span, headers: Record<string, string>): void =>
  propagation.inject(trace.setSpan(ROOT_CONTEXT, span), headers);

export interface SpanSpec {
  name: string;
  kind?: SpanKind;
  attributes?: Attributes;
}

/** Starts a span whose parent is the trace `headers` carry, not whatever context is active now. */
export const startSpanFrom = (headers: Record<string, string>, spec: SpanSpec): Span =>
  tracer.startSpan(spec.name, { kind: spec.kind ?? SpanKind.INTERNAL, attributes: spec.attributes }, contextOfHeaders(headers));

/** Ends a span, marking it failed when `err` is given. */
export function endSpan(span: Span, err?: unknown): void {
  if (err !== undefined) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.name : 'failed' });
  }
  span.end();
}

/**
 * Runs `fn` inside a new span continuing the trace `headers` carry (a consumer handling a record,
 * a timer firing with the traceparent it stored). Outbox rows written inside carry this span.
 */
export async function inSpanFrom<T>(headers: Record<string, string>, spec: SpanSpec, fn: (span: Span) => Promise<T>): Promise<T> {
  const span = startSpanFrom(headers, spec);
  try {
    const result = await context.with(trace.setSpan(contextOfHeaders(headers), span), () => fn(span));
    endSpan(span);
    return result;
  } catch (err) {
    endSpan(span, err);
    throw err;
  }
}

/**
 * Runs `fn` with tracing suppressed: instrumentations record nothing inside and inject no
 * traceparent. The relay makes its send spans itself (one per row, each continuing its row's stored
 * trace); the kafkajs instrumentation would instead parent a whole batch on the relay's own context
 * and overwrite the rows' traceparent headers with it.
 */
export const untraced = <T>(fn: () => Promise<T>): Promise<T> => context.with(suppressTracing(context.active()), fn);
