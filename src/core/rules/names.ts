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
const NON_ASCII = /[^ -~]/;

export function nameKey(typed: string): NameKey | undefined {
  let text = typed.toLowerCase();
  // Accents are dropped so "José" and "Jose" compare equal; only names beyond printable ASCII pay for it.
  if (NON_ASCII.test(text)) text = text.normalize("NFKD").replace(/\p{M}/gu, "");
  const comma = text.indexOf(",");
  // "Last, First" is how OP lists contacts; compare it as "First Last".
  if (comma >= 0) text = `${text.slice(comma + 1)} ${text.slice(0, comma)}`;
  const words = text.split(/[\s.,]+/).filter((word) => word !== "");
  while (words.length > 1 && TITLES.has(words[0] as string)) words.shift();
  const first = words[0];
  return first === undefined ? undefined : { first, full: words.join(" ") };
}
