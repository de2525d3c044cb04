/**
 * Spelling correction for questions, against the vocabulary of the knowledge base.
 *
 * MiniSearch's fuzzy matching is Levenshtein distance, so a swap of two letters ("emial") costs two
 * edits and a five-letter word only forgives one. Staff swap letters more than anything else, so a
 * word the vocabulary does not know is first corrected here with the optimal string alignment
 * distance (Damerau's restricted form: a transposition of neighbours is one edit), then searched.
 * Written here because it is one short function; the npm packages that offer it
 * (damerau-levenshtein, talisman) either compute the unrestricted form or bring a large library for it.
 */

/** Optimal string alignment distance, or `max + 1` as soon as the distance must exceed `max`. */
export function osaDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const n = b.length;
  // Three rows: two back (for transpositions), one back, current.
  let prev2 = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  let cur = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d = Math.min(d, (prev2[j - 2] ?? 0) + 1);
      cur[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[n] ?? max + 1;
}

/** Edits forgiven: none under four letters ("fax" is not "fix"), one up to seven, two from eight. */
export function allowedEdits(word: string): number {
  return word.length >= 8 ? 2 : word.length >= 4 ? 1 : 0;
}

/** Words are only ever compared with vocabulary words of the same first letter and similar length. */
const MAX_WORD = 30;

export class SpellingCorrector {
  private readonly words: ReadonlySet<string>;
  /** The words a correction or a join may produce. */
  private readonly targets: ReadonlySet<string>;
  /** Vocabulary by first letter: a typo in the first letter is rare and the bucket keeps lookups short. */
  private readonly byInitial = new Map<string, string[]>();
  private readonly cache = new Map<string, string | null>();

  /**
   * `targets`: the words a correction may produce (lower case); `frequency` breaks ties; `known`:
   * words that are left as they are although no correction produces them.
   */
  constructor(
    targets: Iterable<string>,
    private readonly frequency: ReadonlyMap<string, number> = new Map(),
    known: Iterable<string> = [],
  ) {
    const targetList = [...new Set(targets)].sort();
    this.targets = new Set(targetList);
    this.words = new Set([...targetList, ...known]);
    for (const word of targetList) {
      if (word.length < 3 || word.length > MAX_WORD) continue;
      const bucket = this.byInitial.get(word[0] ?? "") ?? [];
      bucket.push(word);
      this.byInitial.set(word[0] ?? "", bucket);
    }
  }

  has(word: string): boolean {
    return this.words.has(word);
  }

  /**
   * The vocabulary word one or two edits away (see allowedEdits), the closest and then the most
   * frequent; undefined for a known word or one nothing is close to. Bounded work per word: one
   * pass over one bucket, cut off early, and the result remembered (the cache is capped).
   */
  correct(word: string): string | undefined {
    if (this.words.has(word) || word.length > MAX_WORD || /\d/.test(word)) return undefined;
    const max = allowedEdits(word);
    if (max === 0) return undefined;
    const cached = this.cache.get(word);
    if (cached !== undefined) return cached ?? undefined;
    let best: string | undefined;
    let bestDistance = max + 1;
    for (const candidate of this.byInitial.get(word[0] ?? "") ?? []) {
      const d = osaDistance(word, candidate, Math.min(max, bestDistance));
      if (
        d < bestDistance ||
        (d === bestDistance && best && (this.frequency.get(candidate) ?? 0) > (this.frequency.get(best) ?? 0))
      ) {
        best = candidate;
        bestDistance = d;
      }
    }
    const result = bestDistance <= max ? best : undefined;
    if (this.cache.size > 5000) this.cache.clear();
    this.cache.set(word, result ?? null);
    return result;
  }

  /**
   * "serv er" → "server", "e mail" → "email": a word typed in two pieces, when at least one piece is
   * not a known word and the two together are a vocabulary word (of five letters or more).
   */
  join(left: string, right: string): string | undefined {
    const joined = left + right;
    if (joined.length < 5 || (this.words.has(left) && this.words.has(right))) return undefined;
    return this.targets.has(joined) ? joined : undefined;
  }

  /** "emailaddress" → ["email", "address"]: a run-together word split into two known words. */
  // (Split halves may be any known word, so "servererror" and "contactmanager" split too.)
  split(word: string): [string, string] | undefined {
    if (this.words.has(word) || word.length < 7 || word.length > MAX_WORD) return undefined;
    for (let i = 3; i <= word.length - 3; i++) {
      const left = word.slice(0, i);
      const right = word.slice(i);
      if (this.words.has(left) && this.words.has(right)) return [left, right];
    }
    return undefined;
  }
}
