import type { RuleSet } from '@gridcase/contracts';
import { type LearnedModels, trainLearnedModels } from './domain/learned-category.ts';
import { writeModelFile } from './model-file.ts';
import { loadTrainingSet } from './training-set.ts';

/**
 * Runs in a child process (learned-models.ts forks it): reads the training files, trains both models
 * under the rule document it is sent and writes them to the file it is named (model-file.ts). Training
 * segments every report and builds its features at once; all of that, and this process's own jieba,
 * goes back to the system when it exits, so the service never holds the reports or their features,
 * only the compact models.
 */

/** What the service sends the training process: the rule document to train under, and where to write the models. */
export interface TrainingRequest {
  rules: RuleSet;
  /** A path that does not exist yet; the models are written there (model-file.ts), then a message says so. */
  modelFile: string;
}

/** What the training process writes to the model file. */
export interface TrainedModels {
  /** The training set's name and digest (its reports stay here). */
  name: string;
  digest: string;
  models: LearnedModels;
}

if (import.meta.main) {
  process.once('message', (request: TrainingRequest) => {
    const training = loadTrainingSet();
    const trained: TrainedModels = { name: training.name, digest: training.digest, models: trainLearnedModels(training, request.rules) };
    writeModelFile(request.modelFile, trained);
    process.send?.('written', undefined, {}, () => process.disconnect());
  });
}
