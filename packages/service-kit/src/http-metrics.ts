import { Counter, Histogram } from 'prom-client';

// What an operator asks first of a service's HTTP side: is it answering 5xx (or 401/403/429 to one
// sender), and is a route slow. Routes are labelled by their template (`/v1/cases/:caseId`), never the
// URL as sent, so the label set stays bounded whatever callers send.

export const httpRequestsTotal = new Counter({
  name: 'gridcase_http_requests_total',
  help: 'HTTP requests answered, by method, route template (or "unmatched") and status code',
  labelNames: ['method', 'route', 'status'] as const,
});

export const httpRequestSeconds = new Histogram({
  name: 'gridcase_http_request_duration_seconds',
  help: 'Time from a request read to its answer sent, by method and route template (an SSE stream: its whole life)',
  labelNames: ['method', 'route'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
});

/** Counts and times one answered request. */
export function observeRequest(method: string, route: string | undefined, status: number, elapsedMs: number): void {
  const labels = { method, route: route ?? 'unmatched' };
  httpRequestsTotal.inc({ ...labels, status: String(status) });
  httpRequestSeconds.observe(labels, elapsedMs / 1000);
}
