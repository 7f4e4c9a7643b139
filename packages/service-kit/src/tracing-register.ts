/**
 * `node --import @gridcase/service-kit/tracing-register services/<name>/src/main.ts`
 *
 * Tracing is off unless an OTLP endpoint is configured (OTEL_EXPORTER_OTLP_ENDPOINT or
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT): then spans go out as OTLP over HTTP/protobuf, batched. Off,
 * this file loads nothing, so the services run exactly as without it. It runs before main.ts's
 * imports because the instrumentations patch pg, kafkajs and fastify as they load.
 */
const endpoint = process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || process.env.OTEL_EXPORTER_OTLP_ENDPOINT;

/** gridcase-<service> from the entry script's path, services/<service>/src/main.ts. */
export const serviceNameOf = (entry: string | undefined): string =>
  `gridcase-${/services\/([^/]+)\/src\/main\.ts$/.exec(entry ?? '')?.[1] ?? 'service'}`;

if (endpoint) {
  const [{ startTracing }, { OTLPTraceExporter }] = await Promise.all([
    import('./tracing.ts'),
    import('@opentelemetry/exporter-trace-otlp-proto'),
  ]);
  // The exporter reads the endpoint, headers and timeout from the standard OTEL_EXPORTER_OTLP_* variables.
  startTracing({ serviceName: serviceNameOf(process.argv[1]), sdk: { traceExporter: new OTLPTraceExporter() } });
}
