/**
 * An intent classifier trained at load time on the example questions of the knowledge entries
 * (front matter `examples`, plus the keywords and title), with one more class, OUT_OF_SCOPE, trained
 * on the entries' `unrelated` examples: questions that share an entry's words but are about
 * something else ("the fax interface is down").
 *
 * Features are sparse, like Rasa DIET's without a pretrained model: word stems, word pairs, a
 * lookup-table group (terms.ts, wordGroup) and character 3- and 4-grams of every word (so a
 * misspelled or run-together word still shares most of its features with the right one). The model
 * is a multinomial logistic regression trained by stochastic gradient descent from zero weights, in
 * a fixed order, for a fixed number of epochs: offline and deterministic (the same examples always
 * give the same weights and the same answers).
 *
 * Hand-written because it is about eighty lines: the JavaScript libraries on npm are dense (ml-
 * logistic-regression needs a matrix of every example × every n-gram, one-vs-rest), or use random
 * initialisation and shuffling (brain.js, tensorflow.js) that would make answers vary between runs,
 * or are far larger than the model.
 */

import { z } from "zod";

export const OUT_OF_SCOPE = "out-of-scope";

export type Features = Map<number, number>;

export interface TrainingExample {
  label: string;
  /** The words (see understand.ts), already weighted. */
  words: Array<{ text: string; weight: number }>;
}

/** Feature ids live in a fixed-size hashed space: no vocabulary to store, any word has a slot. */
const DIMENSIONS = 1 << 16;
const EPOCHS = 20;
const LEARNING_RATE = 2;

/** FNV-1a: a stable, fast string hash (the same id on every machine and run). */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % DIMENSIONS;
}

/**
 * The features of one question. `stem` maps a word to its stem, or to nothing for a word that
 * carries no meaning in any domain ("the", "and"); the domain's own common words ("portal", "see")
 * stay, because they tell an in-domain complaint from an out-of-scope question. `group` names a
 * word's lookup-table group ("office" work), a feature shared by every word of the group.
 */
export function featuresOf(
  words: ReadonlyArray<{ text: string; weight: number }>,
  stem: (word: string) => string | undefined,
  group: (word: string) => string | undefined = () => undefined,
): Features {
  const features: Features = new Map();
  const add = (key: string, value: number) => {
    if (value <= 0) return;
    const id = hash(key);
    features.set(id, (features.get(id) ?? 0) + value);
  };
  let previous: string | undefined;
  for (const { text, weight } of words) {
    const s = stem(text);
    if (s === undefined) continue;
    add(`w:${s}`, weight);
    // A word of a known group also counts as the group ("auth" as office work), once per word.
    const g = group(text);
    if (g) add(`g:${g}`, weight);
    if (previous) add(`b:${previous} ${s}`, weight);
    previous = s;
    const padded = `<${text}>`;
    // Character n-grams count less each: a word has many, and the word itself says more.
    for (const n of [3, 4])
      for (let i = 0; i + n <= padded.length; i++) add(`c${n}:${padded.slice(i, i + n)}`, weight * 0.25);
  }
  let norm = 0;
  for (const v of features.values()) norm += v * v;
  norm = Math.sqrt(norm);
  if (norm > 0) for (const [k, v] of features) features.set(k, v / norm);
  return features;
}

/**
 * A trained classifier as data: what `npm run build` stores in the content snapshot, so a start-up
 * with unchanged content skips reading every example and training (most of the index's build time).
 */
export const ClassifierModel = z
  .object({
    labels: z.array(z.string()).min(1),
    bias: z.array(z.number()),
    /** The feature ids that carry weights, ascending. */
    features: z.array(z.number().int().min(0)),
    /** weights[feature × labels + label] as base64 of float64s: exact (the same answers as training gives), and a third of JSON's size. */
    weights: z.string(),
  })
  .refine((m) => m.bias.length === m.labels.length, "one bias per label")
  .refine(
    (m) => Buffer.from(m.weights, "base64").length === m.features.length * m.labels.length * 8,
    "one weight per feature and label",
  );
export type ClassifierModel = z.infer<typeof ClassifierModel>;

export class IntentClassifier {
  readonly labels: readonly string[];
  /** Each trained feature id's column in `weights`. */
  private readonly column: ReadonlyMap<number, number>;
  /** weights[column × labels + label], feature-major as training leaves them. */
  private readonly weights: Float64Array;
  private readonly bias: Float64Array;

  private constructor(
    labels: readonly string[],
    features: readonly number[],
    weights: Float64Array,
    bias: Float64Array,
  ) {
    this.labels = labels;
    this.column = new Map(features.map((f, j) => [f, j]));
    this.weights = weights;
    this.bias = bias;
  }

  /** The classifier a model describes (see toModel). */
  static fromModel(model: ClassifierModel): IntentClassifier {
    const bytes = Buffer.from(model.weights, "base64");
    const weights = new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
    return new IntentClassifier(model.labels, model.features, weights, Float64Array.from(model.bias));
  }

  /** The trained classifier as data, to store and load again with fromModel. */
  toModel(): ClassifierModel {
    return {
      labels: [...this.labels],
      bias: [...this.bias],
      features: [...this.column.keys()],
      weights: Buffer.from(this.weights.buffer, this.weights.byteOffset, this.weights.byteLength).toString(
        "base64",
      ),
    };
  }

  /** Trains on the examples (see the file's comment). */
  static train(examples: ReadonlyArray<{ label: string; features: Features }>): IntentClassifier {
    const labels = [...new Set(examples.map((e) => e.label))].sort();
    const index = new Map(labels.map((label, i) => [label, i]));
    const k = labels.length;
    const bias = new Float64Array(k);
    // Dense weights over the features that occur in training (a few thousand), for speed.
    const featureIds = [...new Set(examples.flatMap((e) => [...e.features.keys()]))].sort((a, b) => a - b);
    const column = new Map(featureIds.map((f, i) => [f, i]));
    const width = featureIds.length;
    const w = new Float64Array(k * width);
    const rows = examples.map((e) => {
      const entries = [...e.features];
      return {
        y: index.get(e.label) ?? 0,
        cols: Int32Array.from(entries, ([f]) => column.get(f) ?? 0),
        vals: Float64Array.from(entries, ([, v]) => v),
      };
    });
    const p = new Float64Array(k);
    // Stochastic gradient descent with a learning rate that decays per epoch; stopping after EPOCHS
    // is the regularisation. Each epoch visits the examples in an order drawn from each example's
    // own features, not from its place in the list: deterministic, no class favoured for being
    // trained last (in file order the last entry's examples won every close call: "server error"
    // went to the End Date by 0.98), and adding or removing one example leaves the order of all the
    // others as it was, so one more labelled question moves few answers.
    const keys = rows.map((row) => exampleKey(row.cols, row.vals));
    for (let epoch = 0; epoch < EPOCHS; epoch++) {
      const rate = LEARNING_RATE / (1 + epoch * 0.1);
      const salt = Math.imul(epoch + 1, 0x9e3779b9);
      const draw = keys.map((key) => mix(key ^ salt));
      const order = rows.map((_, i) => i).sort((a, b) => (draw[a] ?? 0) - (draw[b] ?? 0) || a - b);
      for (const r of order) {
        const { y, cols, vals } = rows[r] as (typeof rows)[number];
        // Feature-major (w[feature * k + label]): one pass over the example's features scores and
        // updates every label, on neighbouring memory.
        for (let c = 0; c < k; c++) p[c] = bias[c] ?? 0;
        for (let i = 0; i < cols.length; i++) {
          const base = (cols[i] ?? 0) * k;
          const v = vals[i] ?? 0;
          for (let c = 0; c < k; c++) p[c] = (p[c] ?? 0) + (w[base + c] ?? 0) * v;
        }
        softmaxInPlace(p);
        for (let c = 0; c < k; c++) {
          const g = rate * ((p[c] ?? 0) - (c === y ? 1 : 0));
          p[c] = g;
          bias[c] = (bias[c] ?? 0) - g;
        }
        for (let i = 0; i < cols.length; i++) {
          const base = (cols[i] ?? 0) * k;
          const v = vals[i] ?? 0;
          for (let c = 0; c < k; c++) w[base + c] = (w[base + c] ?? 0) - (p[c] ?? 0) * v;
        }
      }
    }
    return new IntentClassifier(labels, featureIds, w, bias);
  }

  /** Probability of every label, in `labels` order. */
  predict(features: Features): number[] {
    const k = this.labels.length;
    const out = Float64Array.from(this.bias);
    // A feature never seen in training has no column: it adds nothing.
    for (const [f, v] of features) {
      const j = this.column.get(f);
      if (j === undefined) continue;
      for (let c = 0; c < k; c++) out[c] = (out[c] ?? 0) + (this.weights[j * k + c] ?? 0) * v;
    }
    softmaxInPlace(out);
    return [...out];
  }
}

/** An example's own fingerprint: its features (the same question always gets the same one). */
function exampleKey(cols: Int32Array, vals: Float64Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < cols.length; i++) {
    h = Math.imul(h ^ (cols[i] ?? 0), 0x01000193);
    h = Math.imul(h ^ Math.round((vals[i] ?? 0) * 1e6), 0x01000193);
  }
  return h >>> 0;
}

/** Murmur3's finaliser: spreads a 32-bit key evenly, so sorting by it shuffles. */
function mix(key: number): number {
  let h = key >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function softmaxInPlace(scores: Float64Array) {
  let max = Number.NEGATIVE_INFINITY;
  for (const s of scores) if (s > max) max = s;
  let sum = 0;
  for (let c = 0; c < scores.length; c++) {
    scores[c] = Math.exp((scores[c] ?? 0) - max);
    sum += scores[c] ?? 0;
  }
  for (let c = 0; c < scores.length; c++) scores[c] = (scores[c] ?? 0) / sum;
}
