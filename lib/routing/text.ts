// Task text → the words the router reasons with: lowercase, stop words dropped, each word reduced to its Porter
// stem ("docs", "documentation" and "documenting" all become "document"), plus adjacent-stem bigrams.
import { stemmer } from "stemmer";

const STOP = new Set(
  "a an the of for to in on with and or by from into at is are be this that it its as via our we i my your new".split(
    " ",
  ),
);

/** Stems that mean the same thing to an engineer: abbreviations and the stemmer's near misses. */
const ALIASES: Record<string, string> = {
  doc: "document",
  specifi: "specif",
  spec: "specif",
  repo: "repositori",
  config: "configur",
  k8: "kubernet",
  k8s: "kubernet",
  db: "databas",
  perf: "perform",
  ux: "ui",
  e2e: "end-to-end",
  pr: "pull request",
  prs: "pull request",
};

const cache = new Map<string, string>();

/** The stem of one lowercase word, with aliases applied. */
export function stem(word: string): string {
  let s = cache.get(word);
  if (s === undefined) {
    const base = stemmer(word);
    s = ALIASES[word] ?? ALIASES[base] ?? base;
    if (cache.size > 50_000) cache.clear();
    cache.set(word, s);
  }
  return s;
}

export function words(text: string): string[] {
  return (text.toLowerCase().match(/[a-z0-9]+(?:[-'][a-z0-9]+)*/g) ?? []).filter((w) => !STOP.has(w));
}

/** The stems of a text, in order (an alias may stand for two words). */
export function stems(text: string): string[] {
  return words(text).flatMap((w) => stem(w).split(" "));
}

export function terms(text: string): string[] {
  const s = stems(text);
  const out = new Set(s);
  for (let i = 0; i + 1 < s.length; i++) out.add(`${s[i]} ${s[i + 1]}`);
  return [...out];
}

/** Whether the text contains the keyword's stems in a row ("endpoint" matches "endpoints"; "clean up" matches "cleaning up"). */
export function containsKeyword(text: string, keyword: string): boolean {
  return containsStems(stems(text), stems(keyword));
}

export function containsStems(textStems: string[], keywordStems: string[]): boolean {
  if (!keywordStems.length) return false;
  outer: for (let i = 0; i + keywordStems.length <= textStems.length; i++) {
    for (let j = 0; j < keywordStems.length; j++) if (textStems[i + j] !== keywordStems[j]) continue outer;
    return true;
  }
  return false;
}
