/**
 * People's names as typed ("Smith, Jane", "Mrs. Jane  Smith", "José García") reduced to what the
 * cross-row rules compare: the first name and the full name, lower case, without accents,
 * titles or punctuation.
 */
export interface NameKey {
  first: string;
  full: string;
}

const TITLES = new Set(["mr", "mrs", "ms", "miss", "mx", "dr"]);
const BEYOND_ASCII = /[^ -~]/;
const SEPARATORS = /[\s.,]+/;

export function nameKey(typed: string): NameKey | undefined {
  let text = typed.toLowerCase();
  // Accents are dropped so "José" and "Jose" compare equal; only names beyond printable ASCII pay for it.
  if (BEYOND_ASCII.test(text)) text = text.normalize("NFKD").replace(/\p{M}/gu, "");
  const comma = text.indexOf(",");
  // "Last, First" is how OP lists contacts; compare it as "First Last".
  if (comma >= 0) text = `${text.slice(comma + 1)} ${text.slice(0, comma)}`;
  const parts = text.split(SEPARATORS);
  // Skip the empty parts that leading or trailing separators leave, and a leading title.
  let from = 0;
  let to = parts.length;
  while (from < to && parts[from] === "") from++;
  while (to > from && parts[to - 1] === "") to--;
  while (to - from > 1 && TITLES.has(parts[from] as string)) from++;
  if (from === to) return undefined;
  const first = parts[from] as string;
  return { first, full: to - from === 1 ? first : parts.slice(from, to).join(" ") };
}
