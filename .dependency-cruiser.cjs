/**
 * The boundaries that keep gridcase's services independent (DESIGN.md):
 * a service never imports another service, a package never imports a service,
 * and domain/ code is pure: no database, bus, HTTP, clock or node I/O.
 */
const IO = [
  '^(node:)?(fs|fs/promises|net|http|https|http2|child_process|dgram|dns|tls|worker_threads|cluster|timers)$',
  '(^|/)node_modules/(pg|kafkajs|drizzle-orm|fastify|@fastify/[^/]+|pino|prom-client)/',
  '^packages/(db|messaging|service-kit)/',
  '^services/[^/]+/src/(db|handlers|routes)/',
  '^services/[^/]+/src/(app|main)\\.ts$',
];

module.exports = {
  forbidden: [
    {
      name: 'no-service-to-service',
      comment: 'Services talk only through Kafka events and public HTTP, never by importing each other.',
      severity: 'error',
      from: { path: '^services/([^/]+)/' },
      to: { path: '^services/([^/]+)/', pathNot: '^services/$1/' },
    },
    {
      name: 'no-package-to-service',
      comment: 'Shared packages are below the services; they must not reach up into one.',
      severity: 'error',
      from: { path: '^packages/' },
      to: { path: '^services/' },
    },
    {
      name: 'domain-is-pure',
      comment: 'domain/ holds pure functions (state + input → new state + events), tested without I/O.',
      severity: 'error',
      from: { path: '^services/[^/]+/src/domain/' },
      to: { path: IO },
    },
    {
      name: 'calendar-is-pure',
      comment: 'packages/calendar is working-day arithmetic only: every service computes deadlines with it, without I/O.',
      severity: 'error',
      from: { path: '^packages/calendar/src/' },
      to: { path: IO },
    },
    {
      name: 'no-unresolvable',
      severity: 'error',
      from: {},
      // `geojson` is a types-only package (@types/geojson, the GeoJSON types turf uses): nothing to resolve at run time.
      to: { couldNotResolve: true, pathNot: '^geojson$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '/migrations/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'infra/tsconfig.all.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.json'],
    },
    combinedDependencies: true,
  },
};
