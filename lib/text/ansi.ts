// Terminal output for people who read it elsewhere (a task's log on a page, an outcome): ANSI escape sequences out.

/** Strips ANSI escape sequences (colours, cursor moves, titles) from terminal output. */
export const stripAnsi = (text: string) =>
  text.replace(/\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]/g, "");
