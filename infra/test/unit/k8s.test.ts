import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TOPIC_PARTITIONS } from '@gridcase/contracts';
import * as appsV1 from 'kubernetes-models/apps/v1';
import * as autoscalingV2 from 'kubernetes-models/autoscaling/v2';
import * as batchV1 from 'kubernetes-models/batch/v1';
import * as policyV1 from 'kubernetes-models/policy/v1';
import * as v1 from 'kubernetes-models/v1';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { SERVICE_ENV, SERVICE_NODE_FLAGS } from '@gridcase/service-kit/node-flags';
import { SERVICES } from '../../scripts/migrate-all.ts';
import { build, type K8sObject, KustomizeError } from '../kustomize.ts';
import { envReadBy, portVarOf } from '../service-env.ts';

// infra/k8s rendered (base and the production overlay) and every object validated against the
// Kubernetes API schemas (kubernetes-models), then checked for what gridcase needs of it. No
// cluster runs here; a broken manifest makes these fail (see the last describe).
const root = fileURLToPath(new URL('../../..', import.meta.url));
const K8S = `${root}infra/k8s`;
const SECRET = 'gridcase-secrets';
/** What the Secret holds; operators create it (docs/operations.md). */
const SECRET_KEYS = ['DATABASE_URL', 'ADMIN_TOKEN', 'TOKEN_SECRET', 'TOKEN_SECRET_PREVIOUS'];
const REQUIRED_ENV = ['DATABASE_URL', 'KAFKA_BROKERS', 'ADMIN_TOKEN', 'TOKEN_SECRET'];

type Obj = Record<string, any>;
const id = (o: K8sObject) => `${o.kind}/${o.metadata.name}`;
const ofKind = (objects: K8sObject[], kind: string) => objects.filter((o) => o.kind === kind) as Obj[];
const named = (objects: K8sObject[], kind: string, name: string) => ofKind(objects, kind).find((o) => o.metadata.name === name);
const selects = (selector: Record<string, string> | undefined, labels: Record<string, string> | undefined) =>
  !!selector && Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels?.[k] === v);

/** Quantities as numbers (cores, bytes) to compare requests with limits. */
function quantity(q: string | number): number {
  const m = /^([0-9.]+)(m|Ki|Mi|Gi)?$/.exec(String(q));
  if (!m) throw new Error(`quantity ${q} not understood`);
  const scale = { m: 0.001, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3 }[m[2] as 'm' | 'Ki' | 'Mi' | 'Gi'] ?? 1;
  return Number(m[1]) * scale;
}

/** The API groups the manifests use; a kind from any other is reported, not skipped. */
const MODELS: Record<string, Record<string, unknown>> = { v1, 'apps/v1': appsV1, 'batch/v1': batchV1, 'policy/v1': policyV1, 'autoscaling/v2': autoscalingV2 };

/** Each object validated by its kubernetes-models class; an unknown kind is a problem too. */
function schemaProblems(objects: K8sObject[]): string[] {
  const problems: string[] = [];
  for (const o of objects) {
    const Model = MODELS[o.apiVersion]?.[o.kind] as (new (data: unknown) => { validate(): void }) | undefined;
    if (!Model) {
      problems.push(`${id(o)}: no schema for ${o.apiVersion} ${o.kind}`);
      continue;
    }
    try {
      new Model(o).validate();
    } catch (err) {
      problems.push(`${id(o)}: ${(err as Error).message}`);
    }
  }
  return problems;
}

/** Where a container's env comes from, resolved against the rendered ConfigMaps and the Secret. */
function envProblems(objects: K8sObject[], owner: string, container: Obj, readBy: Set<string> | undefined): { names: Set<string>; problems: string[] } {
  const problems: string[] = [];
  const names = new Set<string>();
  const configMap = (name: string) => named(objects, 'ConfigMap', name);
  for (const from of container.envFrom ?? []) {
    const cm = from.configMapRef && configMap(from.configMapRef.name);
    if (!cm) problems.push(`${owner}: envFrom ${JSON.stringify(from)} names no ConfigMap of the manifests`);
    else for (const key of Object.keys(cm.data ?? {})) names.add(key);
  }
  for (const env of container.env ?? []) {
    names.add(env.name);
    const secret = env.valueFrom?.secretKeyRef;
    const cmKey = env.valueFrom?.configMapKeyRef;
    if (secret && (secret.name !== SECRET || !SECRET_KEYS.includes(secret.key))) problems.push(`${owner}: ${env.name} from secret ${secret.name}/${secret.key}`);
    if (cmKey && !(cmKey.key in (configMap(cmKey.name)?.data ?? {}))) problems.push(`${owner}: ${env.name} from missing ConfigMap key ${cmKey.name}/${cmKey.key}`);
    // SERVICE_ENV is read by the process itself (glibc), not by the service's code.
    if (readBy && !readBy.has(env.name) && !(env.name in SERVICE_ENV)) problems.push(`${owner}: sets ${env.name}, which the service never reads`);
  }
  return { names, problems };
}

/** What every gridcase Deployment must have: probes, resources, a Service, a PDB, its config. */
function serviceProblems(objects: K8sObject[]): string[] {
  const problems: string[] = [];
  for (const service of SERVICES) {
    const d = named(objects, 'Deployment', service);
    if (!d) {
      problems.push(`no Deployment ${service}`);
      continue;
    }
    const pod = d.spec?.template?.spec ?? {};
    const labels = d.spec?.template?.metadata?.labels;
    const [c, ...others] = pod.containers ?? [];
    if (!c || others.length) {
      problems.push(`${service}: expected one container`);
      continue;
    }
    if (!selects(d.spec?.selector?.matchLabels, labels)) problems.push(`${service}: selector does not select its pods`);
    // node <V8 flags> --import <tracing hook> services/<service>/src/main.ts, as the image's CMD runs it.
    const [node, ...args] = c.command ?? [];
    const [flag, hook, script] = args.slice(SERVICE_NODE_FLAGS.length);
    if (node !== 'node' || args.slice(0, SERVICE_NODE_FLAGS.length).join(' ') !== SERVICE_NODE_FLAGS.join(' ') || flag !== '--import' || !existsSync(`${root}${hook}`) || script !== `services/${service}/src/main.ts` || !existsSync(`${root}${script}`)) {
      problems.push(`${service}: command ${JSON.stringify(c.command)}`);
    }
    for (const [name, value] of Object.entries(SERVICE_ENV)) {
      if (!c.env?.some((e: Obj) => e.name === name && e.value === value)) problems.push(`${service}: ${name} is not ${value} (service-kit node-flags.ts SERVICE_ENV)`);
    }
    const port = c.ports?.find((p: Obj) => p.name === 'http')?.containerPort;
    const portEnv = c.env?.find((e: Obj) => e.name === portVarOf(service))?.value;
    if (!port || String(port) !== portEnv) problems.push(`${service}: containerPort ${port} but ${portVarOf(service)}=${portEnv}`);
    for (const [probe, path] of [
      ['livenessProbe', '/healthz'],
      // Only what requests need: a broker away must not take every instance out of its Service (audit 24 #5).
      ['readinessProbe', '/readyz?for=http'],
      ['startupProbe', '/healthz'],
    ] as const) {
      const get = c[probe]?.httpGet;
      if (get?.path !== path || get?.port !== 'http') problems.push(`${service}: ${probe} is not GET ${path} on the http port`);
    }
    for (const resource of ['cpu', 'memory']) {
      const request = c.resources?.requests?.[resource];
      const limit = c.resources?.limits?.[resource];
      if (request === undefined || limit === undefined) problems.push(`${service}: no ${resource} request and limit`);
      else if (quantity(request) > quantity(limit)) problems.push(`${service}: ${resource} request ${request} above its limit ${limit}`);
    }
    if (pod.securityContext?.runAsNonRoot !== true || c.securityContext?.allowPrivilegeEscalation !== false) problems.push(`${service}: may run as root`);
    const { names, problems: env } = envProblems(objects, service, c, envReadBy(service));
    problems.push(...env);
    for (const name of REQUIRED_ENV) if (!names.has(name)) problems.push(`${service}: no ${name}`);
    // A URL left to its default (127.0.0.1) would point the pod at itself.
    for (const url of [...envReadBy(service)].filter((n) => n.endsWith('_URL'))) if (!names.has(url)) problems.push(`${service}: no ${url}`);
    const svc = named(objects, 'Service', service);
    if (!svc || !selects(svc.spec?.selector, labels) || !svc.spec.ports?.some((p: Obj) => p.port === port)) problems.push(`${service}: no Service on port ${port} selecting its pods`);
    if (!ofKind(objects, 'PodDisruptionBudget').some((p) => selects(p.spec?.selector?.matchLabels, labels))) problems.push(`${service}: no PodDisruptionBudget`);
  }
  // The other services find each other by these URLs; each must name a Service of the manifests.
  for (const cm of ofKind(objects, 'ConfigMap')) {
    for (const [key, value] of Object.entries(cm.data ?? {})) {
      const host = key.endsWith('_URL') ? new URL(String(value)).hostname : undefined;
      if (host && !named(objects, 'Service', host)) problems.push(`ConfigMap ${cm.metadata.name}: ${key} names no Service`);
      // Besides the services' config: kafkajs's warning switch and the tracing hook's OTEL_* variables.
      const readElsewhere = key === 'KAFKAJS_NO_PARTITIONER_WARNING' || key.startsWith('OTEL_');
      if (!SERVICES.some((s) => envReadBy(s).has(key)) && !readElsewhere) problems.push(`ConfigMap ${cm.metadata.name}: ${key} is read by no service`);
    }
  }
  const job = named(objects, 'Job', 'gridcase-migrate');
  if (!job) problems.push('no migration Job');
  for (const c of job?.spec?.template?.spec?.containers ?? []) {
    if (!existsSync(`${root}${c.command?.at(-1)}`)) problems.push(`Job: ${c.name} runs a script that does not exist`);
    problems.push(...envProblems(objects, `Job ${c.name}`, c, undefined).problems);
  }
  return problems;
}

/** What production adds: two or more pods of each, larger limits, its namespace, pinned images. */
function productionProblems(objects: K8sObject[], base: K8sObject[]): string[] {
  const problems: string[] = [];
  const hpas = ofKind(objects, 'HorizontalPodAutoscaler');
  for (const service of SERVICES) {
    const d = named(objects, 'Deployment', service)!;
    const hpa = hpas.find((h) => h.spec.scaleTargetRef.kind === 'Deployment' && h.spec.scaleTargetRef.name === service);
    if (hpa) {
      if (hpa.spec.minReplicas < 2) problems.push(`${service}: autoscaled from ${hpa.spec.minReplicas}`);
      // More consumers than partitions sit idle.
      if (hpa.spec.maxReplicas > TOPIC_PARTITIONS) problems.push(`${service}: autoscaled past ${TOPIC_PARTITIONS} partitions`);
      if (d.spec.replicas !== undefined) problems.push(`${service}: sets replicas, which every apply would force on its autoscaler`);
    } else if (!(d.spec.replicas >= 2)) problems.push(`${service}: ${d.spec.replicas ?? 1} replica(s)`);
    const memory = (objs: K8sObject[]) => quantity(named(objs, 'Deployment', service)!.spec.template.spec.containers[0].resources.limits.memory);
    if (!(memory(objects) > memory(base))) problems.push(`${service}: production memory limit not above the base's`);
  }
  for (const hpa of hpas) if (!named(objects, 'Deployment', hpa.spec.scaleTargetRef.name)) problems.push(`${id(hpa as K8sObject)} targets nothing`);
  for (const o of objects) {
    if (o.kind === 'Namespace') continue;
    if (o.metadata.namespace !== 'gridcase') problems.push(`${id(o)} outside the gridcase namespace`);
  }
  if (!named(objects, 'Namespace', 'gridcase')) problems.push('no Namespace gridcase');
  for (const o of [...ofKind(objects, 'Deployment'), ...ofKind(objects, 'Job')]) {
    for (const c of o.spec.template.spec.containers) {
      if (!/:[\w.-]+$/.test(c.image) || c.image.endsWith(':latest')) problems.push(`${o.metadata.name}: image ${c.image} has no version tag`);
    }
  }
  return problems;
}

/** `kubectl kustomize`'s output keyed like ours, where kubectl is installed. */
function kubectlRender(dir: string): Map<string, unknown> | undefined {
  try {
    execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' });
  } catch {
    return undefined;
  }
  const out = execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8' });
  return keyed(parseAllDocuments(out).map((d) => d.toJS() as K8sObject));
}
const keyed = (objects: K8sObject[]) => new Map(objects.map((o) => [`${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`, o]));

describe('infra/k8s', () => {
  const base = build(`${K8S}/base`);
  const production = build(`${K8S}/overlays/production`);

  it('base: every object is valid against the Kubernetes API schemas', () => {
    expect(base.map(id).sort()).toEqual(
      [
        'ConfigMap/gridcase-config',
        'Job/gridcase-migrate',
        ...SERVICES.flatMap((s) => [`Deployment/${s}`, `Service/${s}`, `PodDisruptionBudget/${s}`]),
      ].sort(),
    );
    expect(schemaProblems(base)).toEqual([]);
  });

  it('base: probes on /healthz and /readyz?for=http, resources, a Service and a PDB per service, config from the ConfigMap and the Secret', () => {
    expect(serviceProblems(base)).toEqual([]);
  });

  it('production: valid, two or more pods of each service, larger limits, autoscalers within the partitions, pinned images', () => {
    expect(schemaProblems(production)).toEqual([]);
    expect(serviceProblems(production)).toEqual([]);
    expect(productionProblems(production, base)).toEqual([]);
    expect(ofKind(production, 'HorizontalPodAutoscaler').map((h) => h.spec.scaleTargetRef.name).sort()).toEqual(['desk', 'intake']);
  });

  it('renders as kubectl kustomize does, where kubectl is installed', () => {
    // The loader (infra/test/kustomize.ts) stands in for kustomize on machines without kubectl;
    // where kubectl is, both renderings must be the same objects.
    for (const [dir, ours] of [
      [`${K8S}/base`, base],
      [`${K8S}/overlays/production`, production],
    ] as const) {
      const theirs = kubectlRender(dir);
      if (theirs) expect(keyed(ours)).toEqual(theirs);
    }
  });
});

describe('infra/k8s checks fail on a broken manifest', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gridcase-k8s-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const overlay = (name: string, kustomization: string, files: Record<string, string> = {}) => {
    mkdirSync(join(dir, name));
    writeFileSync(join(dir, name, 'kustomization.yaml'), kustomization);
    for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, name, file), text);
    return build(join(dir, name));
  };

  it('a schema error (replicas as text, a probe without a port) and a missing readiness probe are caught', () => {
    const broken = overlay(
      'broken',
      `resources: ["${K8S}/base"]\npatches:\n  - path: break.yaml\n    target: {kind: Deployment, name: intake}\n`,
      {
        'break.yaml': [
          '- {op: add, path: /spec/replicas, value: two}',
          '- {op: remove, path: /spec/template/spec/containers/0/readinessProbe}',
          '- {op: remove, path: /spec/template/spec/containers/0/livenessProbe/httpGet/port}',
        ].join('\n'),
      },
    );
    const schema = schemaProblems(broken);
    expect(schema).toContainEqual(expect.stringMatching(/^Deployment\/intake: .*replicas must be integer/));
    expect(schema.join('\n')).toMatch(/livenessProbe\/httpGet must have required property port/);
    expect(serviceProblems(broken)).toContain('intake: readinessProbe is not GET /readyz?for=http on the http port');
  });

  it('a secret from elsewhere, an env var no service reads and a lost Service are caught', () => {
    const broken = overlay(
      'env',
      `resources: ["${K8S}/base"]\npatches:\n  - path: env.yaml\n  - path: drop.yaml\n    target: {kind: Service, name: triage}\n`,
      {
        'env.yaml': [
          'apiVersion: apps/v1',
          'kind: Deployment',
          'metadata: {name: desk}',
          'spec:',
          '  template:',
          '    spec:',
          '      containers:',
          '        - name: desk',
          '          env:',
          '            - {name: ADMIN_TOKEN, valueFrom: {secretKeyRef: {name: other-secret, key: ADMIN_TOKEN}}}',
          '            - {name: DESK_COLOUR, value: red}',
        ].join('\n'),
        'drop.yaml': '- {op: replace, path: /spec/selector, value: {app.kubernetes.io/name: nothing}}',
      },
    );
    const problems = serviceProblems(broken);
    expect(problems).toContain('desk: ADMIN_TOKEN from secret other-secret/ADMIN_TOKEN');
    expect(problems).toContain('desk: sets DESK_COLOUR, which the service never reads');
    expect(problems).toContain('triage: no Service on port 3002 selecting its pods');
  });

  it('production rules catch a single replica and an unpinned image', () => {
    const single = overlay(
      'single',
      `resources: ["${K8S}/overlays/production"]\nimages:\n  - {name: gridcase, newTag: latest}\nreplicas:\n  - {name: escalation, count: 1}\n`,
    );
    const problems = productionProblems(single, build(`${K8S}/base`));
    expect(problems).toContain('escalation: 1 replica(s)');
    expect(problems).toContain('intake: image gridcase:latest has no version tag');
  });

  it('the loader refuses kustomize features it does not implement, and patches that match nothing', () => {
    expect(() => overlay('labels', `resources: ["${K8S}/base"]\ncommonLabels: {team: ops}\n`)).toThrow(KustomizeError);
    expect(() =>
      overlay('nothing', `resources: ["${K8S}/base"]\npatches:\n  - path: p.yaml\n    target: {kind: StatefulSet}\n`, { 'p.yaml': '- {op: remove, path: /spec}' }),
    ).toThrow(/matches nothing/);
  });
});
