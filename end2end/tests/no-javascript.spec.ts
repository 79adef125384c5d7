import { test, expect } from "@playwright/test";
import { uniqueEmail, PASSWORD } from "./helpers";

// The core account flows must work before (or without) the WebAssembly: plain forms posting
// to server functions, answered with redirects.
test.use({ javaScriptEnabled: false });

test("register, sign out and sign in without JavaScript", async ({ page }) => {
  const email = uniqueEmail("nojs");
  await page.goto("/register");
  await page.getByLabel("Your name").fill("Quinn");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("short");
  await page.getByRole("button", { name: "Create account" }).click();
  // The error comes back next to the field, with the name and email still filled in.
  await expect(page.getByText("Use at least 8 characters.")).toBeVisible();
  await expect(page.getByLabel("Your name")).toHaveValue("Quinn");
  await expect(page.getByLabel("Email")).toHaveValue(email);
  await expect(page.getByLabel("Password")).toHaveValue("");

  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("heading", { name: "Welcome back, Quinn" })).toBeVisible();

  await page.locator("summary", { hasText: "Account menu" }).click();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByText("You're signed out.")).toBeVisible();

  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("wrong password entirely");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("don't match an account")).toBeVisible();
  await expect(page.getByLabel("Email")).toHaveValue(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Welcome back, Quinn" })).toBeVisible();
});
