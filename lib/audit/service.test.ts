// FEDERATION_LOG.md rendering.
import { expect, test } from "vitest";
import { renderLogMarkdown } from "./service";

test("events render newest first, grouped by UTC day, with their details", () => {
  const md = renderLogMarkdown(
    [
      {
        id: 3,
        at: "2026-02-06T08:00:00.000Z",
        actor: "claude",
        action: "task.completed",
        subject: "task:task-20260206-080000-0001",
        details: { success: true },
      },
      {
        id: 2,
        at: "2026-02-05T19:17:04.000Z",
        actor: "admin@example.com",
        action: "agent.status_changed",
        subject: "agent:claude",
        details: { status: { from: "active", to: "rate_limited" } },
      },
    ],
    new Date("2026-02-06T09:00:00Z"),
  );
  expect(md).toBe(
    [
      "# FEDERATION_LOG",
      "",
      "_Generated 2026-02-06T09:00:00.000Z · 2 event(s), newest first._",
      "",
      "## 2026-02-06",
      "",
      "- `08:00:00Z` **claude** `task.completed` task:task-20260206-080000-0001 — success=true",
      "",
      "## 2026-02-05",
      "",
      '- `19:17:04Z` **admin@example.com** `agent.status_changed` agent:claude — status={"from":"active","to":"rate\\_limited"}',
      "",
    ].join("\n"),
  );
  expect(renderLogMarkdown([], new Date(0))).toContain("_No events yet._");
});

test("a backslash in a title cannot cancel the escaping: no link, no raw HTML reaches the document", () => {
  const md = renderLogMarkdown(
    [
      {
        id: 1,
        at: "2026-02-06T08:00:00.000Z",
        actor: "claude",
        action: "task.created",
        subject: "task:t-1",
        details: { title: String.raw`\[click](http://evil.test) \<img src=x onerror=alert(1)>` },
      },
    ],
    new Date("2026-02-06T09:00:00Z"),
  );
  const line = md.split("\n").find((l) => l.includes("task.created"))!;
  // Every "[", "(", "<" is preceded by an odd number of backslashes: escaped, never a link or a tag.
  for (const m of line.matchAll(/(\\*)([[(<])/g)) expect(m[1]!.length % 2, line).toBe(1);
  expect(line).toContain(String.raw`\\\[click\]\(http://evil.test\)`);
  expect(line).toContain(String.raw`\\\<img`);
});
