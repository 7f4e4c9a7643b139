import { register as registerLoaderHook } from 'node:module';
import { FastifyOtelInstrumentation } from '@fastify/otel';
import { type ProxyTracerProvider, trace } from '@opentelemetry/api';
import { KafkaJsInstrumentation } from '@opentelemetry/instrumentation-kafkajs';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { NodeSDK, type NodeSDKConfiguration } from '@opentelemetry/sdk-node';
import { register as registerSyncHooks, supportsSyncHooks } from 'import-in-the-middle/register-hooks.mjs';
import { currentTracing, setTracing } from './tracing-state.ts';

/*
 * Loads no module it instruments (pg, kafkajs, fastify): it must run before they load, from
 * tracing-register.ts through `node --import`, or from a test before it imports a service.
 */

/** Routes that are scraped or probed every few seconds: a trace each would drown the real ones. */
const UNTRACED_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * ESM imports of CommonJS packages reach the instrumentations only through import-in-the-middle's
 * loader hook; pg is caught by require-in-the-middle as it is, kafkajs is not. The hook intercepts
 * only the modules named here.
 */
const HOOKED_MODULES = ['kafkajs'];

function registerImportHook(): void {
  if (supportsSyncHooks()) registerSyncHooks({ include: HOOKED_MODULES });
  else registerLoaderHook('import-in-the-middle/hook.mjs', import.meta.url, { data: { include: HOOKED_MODULES } });
}

export const instrumentations = () => [
  // Only inside a request's or a handler's span: the relay's and schedulers' polling would otherwise be a trace every 500 ms.
  // No parameter values (enhancedDatabaseReporting off): they hold reporters' personal data.
  new PgInstrumentation({ requireParentSpan: true, ignoreConnectSpans: true, enhancedDatabaseReporting: false }),
  new KafkaJsInstrumentation(),
  new FastifyOtelInstrumentation({
    registerOnInitialization: true,
    ignorePaths: (route) => UNTRACED_PATHS.has(route.url),
    // The request span and the handler's; a span per lifecycle hook adds nothing an operator reads.
    instrumentHooks: false,
    // An exception's message can quote input (pg quotes values); the status still says it failed.
    recordExceptions: false,
    requestHook: (span, request) => span.updateName(`${request.method} ${request.routeOptions.url ?? 'unmatched'}`),
    // The route, not the handler function's name (an anonymous handler is named after its plugin's source).
    lifecycleHook: (span, info) => {
      if (info.hookName === 'handler') span.updateName(`handler ${info.request.routeOptions.url ?? 'unmatched'}`);
    },
  }),
];

export interface TracingOptions {
  /** service.name, unless OTEL_SERVICE_NAME is set. */
  serviceName: string;
  /** Where spans go: an OTLP exporter in production, an in-memory one in tests. */
  sdk: Pick<Partial<NodeSDKConfiguration>, 'traceExporter' | 'spanProcessors'>;
  env?: Record<string, string | undefined>;
}

/** Starts OpenTelemetry once per process: the import hook, the SDK and the instrumentations. */
export function startTracing(options: TracingOptions): void {
  if (currentTracing()) return;
  const env = options.env ?? process.env;
  registerImportHook();
  const sdk = new NodeSDK({
    ...(env.OTEL_SERVICE_NAME ? {} : { serviceName: options.serviceName }),
    ...options.sdk,
    instrumentations: instrumentations(),
    // Traces only: metrics stay with prom-client's /metrics, logs with pino.
    metricReaders: [],
    logRecordProcessors: [],
  });
  sdk.start();
  const provider = trace.getTracerProvider() as ProxyTracerProvider;
  setTracing({
    flush: async () => {
      await (provider.getDelegate() as { forceFlush?: () => Promise<void> }).forceFlush?.();
    },
    shutdown: () => sdk.shutdown(),
  });
}
