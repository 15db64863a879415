// The voting booth and the inbox as the orchestrator uses them: an escalated vote arrives, one key (with a
// note) decides it, the badge drops everywhere, focus moves on; a task escalation comes with the router's
// suggestion preselected.
import { expect, test, type Page } from "@playwright/test";
import { agentToken, apiCall } from "./support/api";
import { E2E_ADMIN } from "./support/env";
import { signIn } from "./support/session";

async function badge(page: Page): Promise<number> {
  const b = page.getByTestId("escalation-badge");
  return (await b.count()) ? Number(await b.innerText()) : 0;
}

async function failedTask(title: string): Promise<string> {
  const created = await apiCall("/tasks", {
    body: {
      title,
      description: "The build keeps timing out.",
      type: "implementation",
      assignee: "kimi",
      maxAttempts: 1,
    },
  });
  const token = await agentToken("kimi");
  const claimed = await apiCall("/tasks/claim", { token, body: { types: ["implementation"] } });
  expect(claimed.body.id).toBe(created.body.id);
  await apiCall(`/tasks/${created.body.id}/complete`, {
    token,
    body: { success: false, retry: true, summary: "timed out twice", leaseToken: claimed.body.leaseToken },
  });
  return created.body.id;
}

async function unsureVote(question: string): Promise<string> {
  const vote = await apiCall("/votes", {
    body: { question, options: ["python", "typescript"], voters: ["claude", "kimi", "copilot"] },
  });
  expect(vote.status).toBe(201);
  for (const [agent, option, confidence] of [
    ["claude", "python", 0.55],
    ["kimi", "python", 0.6],
    ["copilot", "typescript", 0.5],
  ] as const) {
    const res = await apiCall(`/votes/${vote.body.id}/ballots`, {
      token: await agentToken(agent),
      body: { option, confidence, rationale: `${agent} thinks so` },
    });
    expect(res.status).toBe(200);
  }
  return vote.body.id;
}

test("an escalated vote is decided with one key and a note: the vote shows who decided, the badge drops everywhere, focus moves on", async ({
  page,
  context,
}) => {
  const taskId = await failedTask("Fix the flaky build");
  const voteId = await unsureVote("Which language for the CLI?");

  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  const elsewhere = await context.newPage();
  await elsewhere.goto("/queue");
  await expect(elsewhere.getByTestId("escalation-badge")).toBeVisible();
  const before = await badge(elsewhere);
  expect(before).toBeGreaterThanOrEqual(2);

  await page
    .getByRole("navigation", { name: "Main" })
    .getByRole("link", { name: /^Escalations/ })
    .click();
  await expect(page).toHaveTitle(new RegExp(`^\\(${before}\\) Escalations`));
  const voteCard = page.locator(`[data-escalation][aria-label*="${voteId}"]`);
  await expect(voteCard).toContainText("Which language for the CLI?");
  await expect(voteCard).toContainText("Low confidence: python leads");
  await expect(voteCard).toContainText("claude thinks so");
  // The leading option is preselected.
  await expect(voteCard.getByRole("radio", { name: /python/ })).toBeChecked();

  await voteCard.click({ position: { x: 5, y: 5 } });
  await expect(voteCard).toBeFocused();
  await page.keyboard.press("n");
  await expect(voteCard.getByRole("textbox", { name: /Note/ })).toBeFocused();
  await page.keyboard.type("python is what the team knows");
  await page.keyboard.press("Escape");
  await expect(voteCard).toBeFocused();
  await page.keyboard.press("a");

  await expect(voteCard).toBeHidden();
  // The decision waits for its Undo window, then goes out; the badge drops everywhere within 2 s of that.
  await expect(page.getByRole("status", { name: "Decisions about to be sent" })).toContainText(voteId);
  await expect(page.getByRole("status", { name: "Decisions about to be sent" })).toBeHidden({ timeout: 10_000 });
  await expect(elsewhere.getByTestId("escalation-badge")).toHaveText(String(before - 1), { timeout: 2_000 });
  await expect(page.getByTestId("escalation-badge")).toHaveText(String(before - 1), { timeout: 2_000 });
  await expect(page).toHaveTitle(new RegExp(`^\\(${before - 1}\\) Escalations`));
  // The next card — the task escalation opened just before the vote's — now has focus.
  await expect(page.locator(":focus")).toHaveAttribute("aria-label", new RegExp(taskId));

  const vote = await apiCall(`/votes/${voteId}`);
  expect(vote.body).toMatchObject({
    status: "decided",
    decidedBy: E2E_ADMIN.email,
    result: { winner: "python", note: "python is what the team knows" },
  });
  await elsewhere.goto(`/votes/${voteId}`);
  await expect(elsewhere.getByTestId("vote-outcome")).toContainText(`Decided “python” by ${E2E_ADMIN.email}`);

  await page.getByRole("tab", { name: "Decided" }).click();
  const decided = page.locator(`[data-decision][aria-label*="${voteId}"]`);
  await expect(decided.getByTestId("resolution")).toHaveText("Decided “python”");
  await expect(decided).toContainText(`by ${E2E_ADMIN.email}`);
  await expect(decided).toContainText("python is what the team knows");
});

test("a task escalation comes with the router's suggested agent preselected, and one key assigns it", async ({
  page,
}) => {
  const taskId = await failedTask("Implement the retry backoff for the uploader, with a React component");
  const esc = (await apiCall("/escalations?state=open&kind=task&expand=context&limit=200")).body.items.find(
    (e: { subjectId: string }) => e.subjectId === taskId,
  );
  const suggested = esc.context.suggestion.agent as string;
  expect(suggested).toBeTruthy();
  expect(suggested).not.toBe("kimi"); // kimi failed it; the next best active agent is suggested

  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  await page.goto("/escalations");
  const card = page.locator(`[data-escalation][aria-label*="${taskId}"]`);
  await expect(card).toContainText("Implement the retry backoff for the uploader, with a React component");
  await expect(card.getByRole("list", { name: "Attempts" })).toContainText("#1 kimi");
  await expect(card.getByRole("list", { name: "Attempts" })).toContainText("timed out twice");
  await expect(card.getByRole("radio", { name: new RegExp(suggested) })).toBeChecked();
  await card.click({ position: { x: 5, y: 5 } });
  await page.keyboard.press("a");
  await expect(card).toBeHidden();
  await expect(page.getByRole("status", { name: "Decisions about to be sent" })).toBeHidden({ timeout: 10_000 });
  await expect
    .poll(async () =>
      (await apiCall(`/escalations?state=open&kind=task&limit=200`)).body.items.some(
        (e: { subjectId: string }) => e.subjectId === taskId,
      ),
    )
    .toBe(false);

  const task = await apiCall(`/tasks/${taskId}`);
  expect(task.body).toMatchObject({ state: "pending", assignee: suggested, attempts: 0 });
  await page.getByRole("tab", { name: "Decided" }).click();
  const decided = page.locator(`[data-decision][aria-label*="${taskId}"]`);
  await expect(decided.getByTestId("resolution")).toHaveText(`Assigned to ${suggested}`);
  await expect(decided).toContainText(`by ${E2E_ADMIN.email}`);
});

test("a member opens a vote in the booth and sees the ballots arrive live with the threshold line", async ({
  page,
  request,
}) => {
  await request.post("/api/v1/users", {
    headers: { authorization: "Bearer e2e-admin-token-0123456789abcdef0123456789" },
    data: { email: "voter-member@example.com", name: "Mo Member", role: "member", password: "member-password-1" },
  });
  await signIn(page, "voter-member@example.com", "member-password-1");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Votes", exact: true }).click();
  await page.getByRole("button", { name: "Open a vote" }).click();
  const dialog = page.getByRole("dialog", { name: "Open a vote" });
  await dialog.getByLabel("Question").fill("Postgres or SQLite for the demo?");
  await dialog.getByLabel("Options").fill("postgres\nsqlite");
  for (const name of ["kimi-ide", "ollama", "copilot-opus"]) {
    const box = dialog.getByRole("checkbox", { name });
    if (await box.isChecked()) await box.uncheck();
  }
  await dialog.getByLabel("Closes in (minutes)").fill("30");
  await dialog.getByRole("button", { name: "Open vote" }).click();
  await expect(page.getByText(/is open for/)).toBeVisible();
  const voteId = (
    await page.getByRole("status").filter({ hasText: "is open for" }).getByRole("link").innerText()
  ).trim();
  const card = page.locator(`[data-vote="${voteId}"]`);
  await expect(card).toContainText("Postgres or SQLite for the demo?");
  await expect(card).toContainText(/min \d+ s left|\d+ min/);

  await apiCall(`/votes/${voteId}/ballots`, {
    token: await agentToken("claude"),
    body: { option: "postgres", confidence: 0.9, rationale: "same as production" },
  });
  await expect(card).toContainText("same as production", { timeout: 3_000 });
  // The threshold line is drawn at 0.70 on the mean-confidence scale, and labelled.
  await expect(card.locator(".recharts-reference-line line")).toHaveCount(1);
  await expect(card.locator("svg text", { hasText: "threshold 0.70" })).toBeVisible();
  await expect(card).toContainText("Waiting for");
});
