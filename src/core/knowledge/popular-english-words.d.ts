// The package ships no types; only what spelling.ts uses.
declare module "popular-english-words" {
  export const words: { getMostPopular(count: number): string[] };
}
