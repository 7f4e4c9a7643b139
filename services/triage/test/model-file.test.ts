import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readModelFile, writeModelFile } from '../src/model-file.ts';

describe('model file', () => {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'model-file-test-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('gives back the structure and its tables, shared objects still shared', () => {
    const vocabulary = new Map([['w:狗', 0], ['c:狗叫', 1]]);
    const value = {
      id: 'nb-1@abc',
      naiveBayes: { labels: ['a', 'b'], vocabulary, logLikelihood: Float64Array.of(-1.5, -2.25, Math.PI, -1e-300) },
      logistic: { features: vocabulary, weights: Float32Array.of(0.5, -0.125, 3), bias: Float64Array.of(0.1, 0.2) },
    };
    writeModelFile(join(dir, 'models.bin'), value);
    const read = readModelFile(join(dir, 'models.bin')) as typeof value;
    expect(read).toEqual(value);
    expect(read.naiveBayes.logLikelihood).toBeInstanceOf(Float64Array);
    expect(read.logistic.weights).toBeInstanceOf(Float32Array);
    expect(read.logistic.features).toBe(read.naiveBayes.vocabulary);
  });

  it('refuses typed arrays that are not model tables, and a file cut short', () => {
    expect(() => writeModelFile(join(dir, 'ints.bin'), { rows: Int32Array.of(1) })).toThrow(/Int32Array is not a model table/);
    writeModelFile(join(dir, 'whole.bin'), { table: new Float64Array(16) });
    const whole = readFileSync(join(dir, 'whole.bin'));
    writeFileSync(join(dir, 'cut.bin'), whole.subarray(0, whole.byteLength - 8));
    expect(() => readModelFile(join(dir, 'cut.bin'))).toThrow(/ends before its tables do/);
  });
});
