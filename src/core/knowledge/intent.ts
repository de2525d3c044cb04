/**
 * An intent classifier trained at load time on the example questions of the knowledge entries
 * (front matter `examples`, plus the keywords and title), with one more class, OUT_OF_SCOPE, trained
 * on the entries' `unrelated` examples: questions that share an entry's words but are about
 * something else ("the fax interface is down").
 *
 * Features are sparse, like Rasa DIET's without a pretrained model: word stems, word pairs and
 * character 3- and 4-grams of every word (so a misspelled or run-together word still shares most of
 * its features with the right one). The model is a multinomial logistic regression trained by full
 * batch gradient descent from zero weights for a fixed number of epochs: offline and deterministic
 * (the same examples always give the same weights and the same answers).
 *
 * Hand-written because it is about eighty lines: the JavaScript libraries on npm are dense (ml-
 * logistic-regression needs a matrix of every example × every n-gram, one-vs-rest), or use random
 * initialisation and shuffling (brain.js, tensorflow.js) that would make answers vary between runs,
 * or are far larger than the model.
 */

export const OUT_OF_SCOPE = "out-of-scope";

export type Features = Map<number, number>;

export interface TrainingExample {
  label: string;
  /** The words (see understand.ts), already weighted. */
  words: Array<{ text: string; weight: number }>;
}

/** Feature ids live in a fixed-size hashed space: no vocabulary to store, any word has a slot. */
const DIMENSIONS = 1 << 16;
const EPOCHS = 120;
const LEARNING_RATE = 2;
const L2 = 1e-4;

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
 * stay, because they tell an in-domain complaint from an out-of-scope question.
 */
export function featuresOf(
  words: ReadonlyArray<{ text: string; weight: number }>,
  stem: (word: string) => string | undefined,
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
    if (previous) add(`b:${previous} ${s}`, weight);
    previous = s;
    const padded = `<${text}>`;
    // Character n-grams count less each: a word has many, and the word itself says more.
    for (const n of [3, 4]) for (let i = 0; i + n <= padded.length; i++) add(`c${n}:${padded.slice(i, i + n)}`, weight * 0.25);
  }
  let norm = 0;
  for (const v of features.values()) norm += v * v;
  norm = Math.sqrt(norm);
  if (norm > 0) for (const [k, v] of features) features.set(k, v / norm);
  return features;
}

export class IntentClassifier {
  readonly labels: readonly string[];
  /** weights[label][feature]: sparse, only features seen in training. */
  private readonly weights: Array<Map<number, number>>;
  private readonly bias: Float64Array;

  constructor(examples: ReadonlyArray<{ label: string; features: Features }>) {
    this.labels = [...new Set(examples.map((e) => e.label))].sort();
    const index = new Map(this.labels.map((label, i) => [label, i]));
    const k = this.labels.length;
    this.weights = this.labels.map(() => new Map<number, number>());
    this.bias = new Float64Array(k);
    const n = examples.length;
    if (n === 0) return;
    // Dense copies of the weights of features that occur in training (a few thousand), for speed.
    const featureIds = [...new Set(examples.flatMap((e) => [...e.features.keys()]))].sort((a, b) => a - b);
    const column = new Map(featureIds.map((f, i) => [f, i]));
    const w = this.labels.map(() => new Float64Array(featureIds.length));
    const rows = examples.map((e) => ({
      y: index.get(e.label) ?? 0,
      x: [...e.features].map(([f, v]) => [column.get(f) ?? 0, v] as const),
    }));
    const scores = new Float64Array(k);
    for (let epoch = 0; epoch < EPOCHS; epoch++) {
      const gradW = this.labels.map(() => new Float64Array(featureIds.length));
      const gradB = new Float64Array(k);
      for (const { y, x } of rows) {
        softmaxInto(scores, (c) => {
          let s = this.bias[c] ?? 0;
          const wc = w[c] as Float64Array;
          for (const [j, v] of x) s += (wc[j] ?? 0) * v;
          return s;
        });
        for (let c = 0; c < k; c++) {
          const g = (scores[c] ?? 0) - (c === y ? 1 : 0);
          gradB[c] = (gradB[c] ?? 0) + g;
          const gc = gradW[c] as Float64Array;
          for (const [j, v] of x) gc[j] = (gc[j] ?? 0) + g * v;
        }
      }
      for (let c = 0; c < k; c++) {
        const wc = w[c] as Float64Array;
        const gc = gradW[c] as Float64Array;
        for (let j = 0; j < wc.length; j++) wc[j] = (wc[j] ?? 0) - LEARNING_RATE * ((gc[j] ?? 0) / n + L2 * (wc[j] ?? 0));
        this.bias[c] = (this.bias[c] ?? 0) - (LEARNING_RATE * (gradB[c] ?? 0)) / n;
      }
    }
    w.forEach((wc, c) => {
      const sparse = this.weights[c] as Map<number, number>;
      wc.forEach((value, j) => {
        if (value !== 0) sparse.set(featureIds[j] ?? 0, value);
      });
    });
  }

  /** Probability of every label, in `labels` order. */
  predict(features: Features): number[] {
    const out = new Float64Array(this.labels.length);
    softmaxInto(out, (c) => {
      let s = this.bias[c] ?? 0;
      const wc = this.weights[c] as Map<number, number>;
      for (const [f, v] of features) s += (wc.get(f) ?? 0) * v;
      return s;
    });
    return [...out];
  }
}

function softmaxInto(out: Float64Array, score: (c: number) => number) {
  let max = Number.NEGATIVE_INFINITY;
  for (let c = 0; c < out.length; c++) {
    out[c] = score(c);
    if ((out[c] ?? 0) > max) max = out[c] ?? 0;
  }
  let sum = 0;
  for (let c = 0; c < out.length; c++) {
    out[c] = Math.exp((out[c] ?? 0) - max);
    sum += out[c] ?? 0;
  }
  for (let c = 0; c < out.length; c++) out[c] = (out[c] ?? 0) / sum;
}
