import { fork } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SERVICE_NODE_FLAGS } from '@gridcase/service-kit/node-flags';
import type { RuleSet } from '@gridcase/contracts';
import { compactVocabularies, type FeatureIndex } from './domain/feature-index.ts';
import { type CategoryModel, hasLearnedModels, keepLearnedModels, type LearnedModels, rulesFingerprint, type TrainingSet } from './domain/learned-category.ts';
import { readModelFile } from './model-file.ts';
import type { TrainedModels, TrainingRequest } from './training-worker.ts';

/**
 * The learned models the service classifies with, trained in a child process (training-worker.ts) so
 * that training's peak heap and its jieba are the child's and go when it exits; this process keeps only
 * the models (about 25 MB: two vocabularies of 62 000 features and their tables).
 * A process, not a worker thread: when segmentation was jieba's native addon, its mimalloc kept a
 * finished worker thread's freed dictionary resident, and V8 held the worker's heap for seconds more.
 * Start-up takes about a second longer (a second Node). (The figures since: BENCHMARKS.md, Memory.)
 */

const WORKER = new URL('./training-worker.ts', import.meta.url);

/**
 * The training set as this process knows it: named and fingerprinted, its reports left in the training process.
 * Its models are only ever kept ones; training it here would be a bug, so reading its reports throws.
 */
function servedTrainingSet(name: string, digest: string): TrainingSet {
  return {
    name,
    digest,
    get examples(): never {
      throw new Error('the training reports are read in the training process: await learnedModelsFor(rules) before classifying');
    },
  };
}

let served: TrainingSet | undefined;
const training = new Map<string, Promise<TrainingSet>>();

const MODEL_DIR_PREFIX = 'gridcase-triage-models-';
/** Training takes seconds: a models directory this old was left by a process that died mid-training. */
const STALE_MODEL_DIR_MS = 10 * 60_000;

/**
 * Removes models directories that processes which died mid-training left in `dir` (a pod's /tmp
 * outlives its container's restarts); a live training's directory is minutes younger than that.
 */
export function sweepStaleModelDirs(dir = tmpdir(), now = Date.now()): void {
  for (const name of readdirSync(dir)) {
    if (!name.startsWith(MODEL_DIR_PREFIX)) continue;
    const path = join(dir, name);
    try {
      if (now - statSync(path).mtimeMs > STALE_MODEL_DIR_MS) rmSync(path, { recursive: true, force: true });
    } catch {
      // Gone meanwhile (another instance swept it): nothing to do.
    }
  }
}

let swept = false;

function trainInChild(rules: RuleSet): Promise<TrainedModels> {
  if (!swept) {
    swept = true;
    sweepStaleModelDirs();
  }
  // The models come back in a file (model-file.ts says why not in the message); the directory is this call's own.
  const dir = mkdtempSync(join(tmpdir(), MODEL_DIR_PREFIX));
  const request: TrainingRequest = { rules, modelFile: join(dir, 'models.bin') };
  let child: ReturnType<typeof fork>;
  try {
    // The service's V8 flags, but not its tracing preload (--import): there is nothing to trace in there.
    child = fork(WORKER, [], { execArgv: [...SERVICE_NODE_FLAGS], serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.send(request);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return new Promise<TrainedModels>((resolve, reject) => {
    let written = false;
    child.once('message', () => (written = true));
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      // The exited child's object outlives it: a listener left on it would keep this promise, and so the models as read, alive.
      child.removeListener('error', reject);
      if (!written) return reject(new Error(`the training process exited (${signal ?? `code ${code}`}) without models`));
      try {
        resolve(readModelFile(request.modelFile) as TrainedModels);
      } catch (error) {
        reject(error as Error);
      }
    });
  }).finally(() => rmSync(dir, { recursive: true, force: true }));
}

/**
 * Models trained in the child, made this process's: the `+rules` models read this process's rule document,
 * and their vocabularies are kept as FeatureIndexes over one set of features (feature-index.ts says why).
 */
function adopt(models: LearnedModels, rules: RuleSet): LearnedModels {
  const vocabularies = (m: CategoryModel) => [m.naiveBayes.vocabulary, m.logistic?.features ?? m.naiveBayes.vocabulary];
  const [category, categoryLogistic, grade, gradeLogistic] = compactVocabularies([...vocabularies(models.category), ...vocabularies(models.grade)]);
  const own = (m: CategoryModel, vocabulary: FeatureIndex, features: FeatureIndex): CategoryModel => ({
    ...m,
    naiveBayes: { ...m.naiveBayes, vocabulary },
    logistic: m.logistic ? { ...m.logistic, features } : undefined,
    rules: m.rules ? rules : undefined,
  });
  return { category: own(models.category, category as FeatureIndex, categoryLogistic as FeatureIndex), grade: own(models.grade, grade as FeatureIndex, gradeLogistic as FeatureIndex) };
}

async function train(rules: RuleSet): Promise<TrainingSet> {
  const trained = await trainInChild(rules);
  // Training files edited under a running service: the new models name the new digest.
  if (served?.digest !== trained.digest) served = servedTrainingSet(trained.name, trained.digest);
  keepLearnedModels(served, rules, adopt(trained.models, rules));
  return served;
}

/**
 * The training set whose models under `rules` are trained and kept (categoryModel and gradeModel
 * return them at once): trained in a child process the first time a rule document is seen, once however many
 * ask at the same time.
 */
export async function learnedModelsFor(rules: RuleSet): Promise<TrainingSet> {
  if (served && hasLearnedModels(served, rules)) return served;
  const key = rulesFingerprint(rules);
  let pending = training.get(key);
  if (!pending) {
    pending = train(rules).finally(() => training.delete(key));
    training.set(key, pending);
  }
  return pending;
}
