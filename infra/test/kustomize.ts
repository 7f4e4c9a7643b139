import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';

/**
 * Renders a kustomization as `kustomize build` does, for the subset of kustomize that infra/k8s
 * uses, so a unit test can check the manifests where no kustomize binary is installed (npm has no
 * maintained port of kustomize). Anything outside the subset is refused, never ignored:
 *  - resources: YAML files (several documents each) and directories holding a kustomization.yaml
 *  - namespace: set on every namespaced object
 *  - images: `{name, newName?, newTag?}` on every container
 *  - replicas: `{name, count}` on Deployments
 *  - patches: `{path, target?: {kind?, name?}}`, each a JSON 6902 patch (a YAML list of add,
 *    replace and remove operations, applied to every target) or a strategic-merge patch (one
 *    object naming its target by kind and metadata.name: maps merge, lists of items with a
 *    `name` merge by name, other lists are replaced, null removes a key)
 * The k8s test compares the result with `kubectl kustomize` where kubectl is installed.
 */
export type K8sObject = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; [k: string]: unknown }; [k: string]: unknown };

const SUPPORTED = new Set(['apiVersion', 'kind', 'resources', 'namespace', 'images', 'replicas', 'patches']);
/** Kinds with no namespace, among those the manifests use. */
const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'PriorityClass', 'StorageClass']);

export class KustomizeError extends Error {}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };
const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

function readYaml(file: string): Json[] {
  return parseAllDocuments(readFileSync(file, 'utf8'))
    .map((doc) => {
      if (doc.errors.length) throw new KustomizeError(`${file}: ${doc.errors[0]!.message}`);
      return doc.toJS({ maxAliasCount: 100 }) as Json;
    })
    .filter((doc) => doc !== null);
}

interface Kustomization {
  resources?: string[];
  namespace?: string;
  images?: { name: string; newName?: string; newTag?: string }[];
  replicas?: { name: string; count: number }[];
  patches?: { path: string; target?: { kind?: string; name?: string } }[];
}

/** The objects `kustomize build dir` would print (order aside). */
export function build(dir: string): K8sObject[] {
  const file = join(dir, 'kustomization.yaml');
  if (!existsSync(file)) throw new KustomizeError(`${dir} has no kustomization.yaml`);
  const [k] = readYaml(file) as unknown as Kustomization[];
  if (!k) throw new KustomizeError(`${file} is empty`);
  const unsupported = Object.keys(k).filter((key) => !SUPPORTED.has(key));
  if (unsupported.length) throw new KustomizeError(`${file}: ${unsupported.join(', ')} not supported by this loader`);

  let objects: K8sObject[] = [];
  for (const entry of k.resources ?? []) {
    const path = resolve(dir, entry);
    if (statSync(path).isDirectory()) objects.push(...build(path));
    else objects.push(...(readYaml(path) as unknown as K8sObject[]));
  }
  for (const patch of k.patches ?? []) objects = applyPatch(objects, join(dir, patch.path), patch.target);
  if (k.namespace) {
    for (const o of objects) if (!CLUSTER_SCOPED.has(o.kind)) o.metadata.namespace = k.namespace;
  }
  for (const image of k.images ?? []) {
    for (const container of objects.flatMap(containersOf)) {
      const [name, tag] = splitImage(String(container.image));
      if (name !== image.name) continue;
      container.image = `${image.newName ?? name}${image.newTag ? `:${image.newTag}` : tag ? `:${tag}` : ''}`;
    }
  }
  for (const { name, count } of k.replicas ?? []) {
    const targets = objects.filter((o) => o.kind === 'Deployment' && o.metadata.name === name);
    if (targets.length === 0) throw new KustomizeError(`${file}: replicas for '${name}', which no Deployment is`);
    for (const o of targets) (o.spec as JsonObject).replicas = count;
  }
  return objects;
}

function splitImage(image: string): [string, string | undefined] {
  const at = image.lastIndexOf(':');
  return at > image.lastIndexOf('/') ? [image.slice(0, at), image.slice(at + 1)] : [image, undefined];
}

function containersOf(o: K8sObject): JsonObject[] {
  const spec = (o.spec as JsonObject | undefined)?.template as JsonObject | undefined;
  const pod = spec?.spec as JsonObject | undefined;
  return [...((pod?.containers as JsonObject[]) ?? []), ...((pod?.initContainers as JsonObject[]) ?? [])];
}

function applyPatch(objects: K8sObject[], file: string, target: { kind?: string; name?: string } | undefined): K8sObject[] {
  const [patch] = readYaml(file);
  const selects = (o: K8sObject, t: { kind?: string | undefined; name?: string | undefined }) =>
    (t.kind === undefined || o.kind === t.kind) && (t.name === undefined || o.metadata.name === t.name);
  if (Array.isArray(patch)) {
    if (!target) throw new KustomizeError(`${file}: a JSON 6902 patch needs a target`);
    const hits = objects.filter((o) => selects(o, target));
    if (hits.length === 0) throw new KustomizeError(`${file}: the target matches nothing`);
    return objects.map((o) => (selects(o, target) ? (jsonPatch(o as unknown as Json, patch, file) as unknown as K8sObject) : o));
  }
  if (!isObject(patch)) throw new KustomizeError(`${file}: neither a JSON 6902 nor a strategic-merge patch`);
  const own = { kind: patch.kind as string, name: (patch.metadata as JsonObject | undefined)?.name as string | undefined };
  const hits = objects.filter((o) => selects(o, target ?? own));
  if (hits.length === 0) throw new KustomizeError(`${file}: the patch matches no object`);
  return objects.map((o) => (selects(o, target ?? own) ? (mergePatch(o as unknown as Json, patch, file) as unknown as K8sObject) : o));
}

/** Strategic merge, as kustomize applies it to the fields these manifests patch. */
function mergePatch(base: Json, patch: Json, file: string): Json {
  if (!isObject(patch) || !isObject(base)) return structuredClone(patch);
  const out: JsonObject = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith('$')) throw new KustomizeError(`${file}: patch directive ${key} not supported by this loader`);
    if (value === null) delete out[key];
    else if (Array.isArray(value) && Array.isArray(out[key]) && value.every((v) => isObject(v) && typeof v.name === 'string')) {
      const merged = [...(out[key] as Json[])];
      for (const item of value as JsonObject[]) {
        const at = merged.findIndex((m) => isObject(m) && m.name === item.name);
        if (at === -1) merged.push(structuredClone(item));
        else merged[at] = mergePatch(merged[at]!, item, file);
      }
      out[key] = merged;
    } else out[key] = key in out ? mergePatch(out[key]!, value, file) : structuredClone(value);
  }
  return out;
}

function jsonPatch(doc: Json, ops: Json[], file: string): Json {
  const out = structuredClone(doc);
  for (const op of ops) {
    if (!isObject(op) || typeof op.path !== 'string') throw new KustomizeError(`${file}: bad operation ${JSON.stringify(op)}`);
    const path = op.path
      .split('/')
      .slice(1)
      .map((p) => p.replaceAll('~1', '/').replaceAll('~0', '~'));
    const last = path.pop();
    if (last === undefined) throw new KustomizeError(`${file}: ${op.op} of the whole document`);
    let parent: Json = out;
    for (const step of path) {
      const next: Json | undefined = Array.isArray(parent) ? parent[Number(step)] : isObject(parent) ? parent[step] : undefined;
      if (next === undefined) throw new KustomizeError(`${file}: ${op.path}: no ${step}`);
      parent = next;
    }
    const has = Array.isArray(parent) ? Number(last) < parent.length : isObject(parent) && last in parent;
    switch (op.op) {
      case 'add':
      case 'replace':
        if (op.op === 'replace' && !has) throw new KustomizeError(`${file}: replace ${op.path}: nothing there`);
        if (Array.isArray(parent)) {
          const at = last === '-' ? parent.length : Number(last);
          parent.splice(at, op.op === 'replace' ? 1 : 0, structuredClone(op.value ?? null));
        } else if (isObject(parent)) parent[last] = structuredClone(op.value ?? null);
        break;
      case 'remove':
        if (!has) throw new KustomizeError(`${file}: remove ${op.path}: nothing there`);
        if (Array.isArray(parent)) parent.splice(Number(last), 1);
        else if (isObject(parent)) delete parent[last];
        break;
      default:
        throw new KustomizeError(`${file}: operation ${String(op.op)} not supported by this loader`);
    }
  }
  return out;
}
