// Text PostgreSQL stores as it is: no NUL, no half of a UTF-16 surrogate pair (a cut may split one). For text from
// outside that must be kept whatever it holds — a command's output, a webhook receiver's answer.

/** A high surrogate not followed by a low one, or a low surrogate not preceded by a high one. */
export const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The text with NULs dropped and each lone surrogate replaced by U+FFFD. */
export const storable = (text: string) =>
  text.replace(/\0/g, "").replace(new RegExp(LONE_SURROGATE.source, "g"), "\uFFFD");
