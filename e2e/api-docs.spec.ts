// The API reference page: generated from the OpenAPI document, every operation with its body and answers.
import { expect, test } from "@playwright/test";
import { E2E_ADMIN } from "./support/env";
import { navigate, signIn } from "./support/session";

test("the API reference lists every operation with its fields and answers, and links the OpenAPI document", async ({
  page,
}) => {
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  await navigate(page, "API");
  await expect(page.getByRole("heading", { name: "API reference" })).toBeVisible();

  await page
    .getByRole("navigation", { name: "API sections" })
    .getByRole("link", { name: "Tasks", exact: true })
    .click();
  await expect(page).toHaveURL(/#tasks$/);
  const claim = page.locator('[data-operation="POST /tasks/claim"]');
  await expect(claim).toBeVisible();
  await expect(claim).toContainText("/api/v1/tasks/claim");
  await expect(claim.getByText("leaseSeconds?", { exact: true })).toBeVisible();
  await expect(claim).toContainText("204");
  await expect(page.locator('[data-operation="POST /votes/{id}/ballots"]')).toContainText("confidence");

  const doc = await page.request.get("/api/v1/openapi.json");
  expect(doc.status()).toBe(200);
  const json = await doc.json();
  expect(json.openapi).toBe("3.1.0");
  const documented = Object.values(json.paths as Record<string, object>).reduce(
    (n, item) => n + Object.keys(item).length,
    0,
  );
  await expect(page.locator("[data-operation]")).toHaveCount(documented);
});
