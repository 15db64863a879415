// Task text → terms for the TF-IDF model: lowercase words without stop words, plus adjacent-word bigrams.
const STOP = new Set("a an the of for to in on with and or by from into at is are be this that it as via".split(" "));

export function words(text: string): string[] {
  return (text.toLowerCase().match(/[a-z0-9]+/g) ?? []).filter((w) => !STOP.has(w));
}

export function terms(text: string): string[] {
  const w = words(text);
  const out = new Set(w);
  for (let i = 0; i + 1 < w.length; i++) out.add(`${w[i]} ${w[i + 1]}`);
  return [...out];
}

/** Whole-word, case-insensitive containment of a keyword (which may be several words). */
export function containsKeyword(text: string, keyword: string): boolean {
  const k = words(keyword).join(" ");
  if (!k) return false;
  return ` ${words(text).join(" ")} `.includes(` ${k} `);
}
