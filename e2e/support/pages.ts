// Every page of the app, with real ids to open (a task, a vote, an agent), for the checks that go over them all.
import { apiCall } from "./api";

export async function everyPage(): Promise<string[]> {
  const task = await apiCall("/tasks", {
    body: {
      title: "A task with a rather long title that must wrap on a phone instead of pushing the page sideways",
      type: "e2e-pages",
      assignee: "claude",
      description: "Look at https://example.com/a/very/long/url/that/has/no/spaces/in/it/at/all/and/goes/on/and/on",
    },
  });
  const vote = await apiCall("/votes", {
    body: { question: "Which storage engine for the event log?", options: ["postgres", "sqlite"] },
  });
  // A webhook with a failed delivery (a closed port), so the Webhooks page is checked with data on it.
  const hooks = await apiCall("/webhooks");
  if (!hooks.body.items.some((h: { url: string }) => h.url === "http://127.0.0.1:9/pages")) {
    const hook = await apiCall("/webhooks", {
      body: { url: "http://127.0.0.1:9/pages", events: ["task.failed", "vote.escalated"], description: "Pages check" },
    });
    await apiCall(`/webhooks/${hook.body.id}/test`, { method: "POST" });
  }
  return [
    "/",
    "/queue",
    "/queue?view=failed",
    `/queue/${task.body.id}`,
    "/escalations",
    "/votes",
    `/votes/${vote.body.id}`,
    "/analytics",
    "/analytics/leaderboard",
    "/analytics/optimizer",
    "/routing",
    "/agents",
    "/agents/claude",
    "/rules",
    "/log",
    "/api-docs",
    "/users",
    "/webhooks",
    "/account",
  ];
}
