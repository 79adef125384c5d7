import { test, expect } from "@playwright/test";
import {
  ADMIN_EMAIL, ADMIN_PASSWORD, PASSWORD, expectAccessible, hydrated, register, signIn, signOut, uniqueEmail,
} from "./helpers";

test("register, sign out, sign in again", async ({ page }) => {
  const email = uniqueEmail("amara");
  await register(page, "Amara", email);
  await expect(page.getByText("Your account is ready")).toBeVisible();
  await signOut(page);
  await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();
  await signIn(page, email);
  await expect(page.getByRole("heading", { name: "Welcome back, Amara" })).toBeVisible();
});

test("bad input is explained next to the field and what was typed is kept", async ({ page }) => {
  await page.goto("/register");
  await hydrated(page);
  await page.getByLabel("Your name").fill("Kai");
  await page.getByLabel("Email").fill("kai-at-example.org");
  await page.getByLabel("Password").fill("password123");
  // Skip the browser's own email check to see the server's message.
  await page.locator("form").evaluate((f: HTMLFormElement) => (f.noValidate = true));
  await page.getByRole("button", { name: "Create account" }).click();
  const email = page.getByLabel("Email");
  await expect(email).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText("doesn't look like an email address")).toBeVisible();
  await expect(page.getByText("too easy to guess")).toBeVisible();
  await expect(page.getByLabel("Your name")).toHaveValue("Kai");
  await expect(email).toHaveValue("kai-at-example.org");
});

test("wrong password gets one calm message", async ({ page }) => {
  const email = uniqueEmail("lee");
  await register(page, "Lee", email);
  await signOut(page);
  await page.goto("/login");
  await hydrated(page);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("not my password at all");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toContainText("don't match an account");
  await expect(page.getByLabel("Email")).toHaveValue(email);
});

test("edit own profile", async ({ page }) => {
  await register(page, "Noor", uniqueEmail("noor"));
  await page.goto("/account/profile");
  await hydrated(page);
  await page.getByLabel("Name").fill("Noor H.");
  await page.getByLabel("Pronouns (optional)").fill("she/her");
  await page.getByLabel("Department (optional)").fill("Finance");
  await page.getByLabel("Time zone").selectOption("Europe/Berlin");
  await page.getByLabel("About you (optional)").fill("Peer supporter. **Listening** first.");
  await page.getByRole("button", { name: "Save profile" }).click();
  await expect(page.getByText("Your profile is saved.")).toBeVisible();
  await page.reload();
  await expect(page.getByLabel("Name")).toHaveValue("Noor H.");
  await expect(page.getByLabel("Time zone")).toHaveValue("Europe/Berlin");
  await expect(page.locator(".prose strong")).toHaveText("Listening");
  await expect(page.locator("summary", { hasText: "Noor H." })).toBeVisible();
});

test("change password", async ({ page }) => {
  const email = uniqueEmail("ravi");
  await register(page, "Ravi", email);
  await page.goto("/account/password");
  await hydrated(page);
  await page.getByLabel("Current password").fill(PASSWORD);
  await page.getByLabel("New password").fill("fresh morning bread smells wonderful");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByText("Your password is changed.")).toBeVisible();
  await signOut(page);
  await signIn(page, email, "fresh morning bread smells wonderful");
});

test("a member is refused the admin page", async ({ page }) => {
  await register(page, "Mika", uniqueEmail("mika"));
  await expect(page.getByRole("link", { name: "Admin: people" })).toHaveCount(0);
  const response = await page.goto("/admin/users");
  expect(response?.status()).toBe(403);
  await expect(page.getByText("You don't have permission")).toBeVisible();
});

test("an admin changes a member's role", async ({ browser }) => {
  const memberContext = await browser.newContext();
  const member = await memberContext.newPage();
  const email = uniqueEmail("ola");
  const name = `Ola ${email.slice(4, 8)}`;
  await register(member, name, email);

  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await signIn(admin, ADMIN_EMAIL, ADMIN_PASSWORD);
  await admin.locator("summary", { hasText: "Account menu" }).click();
  await admin.getByRole("link", { name: "Admin: people" }).click();
  await hydrated(admin);
  await admin.getByLabel("Find by name or email").fill(email);
  await admin.getByRole("button", { name: "Search" }).click();
  await expect(admin.getByRole("cell", { name: email })).toBeVisible();
  await admin.getByLabel(`Role of ${name}`).selectOption("moderator");
  await admin.getByRole("button", { name: "Change role" }).click();
  await expect(admin.getByText("Role updated.")).toBeVisible();
  await expect(admin.getByLabel(`Role of ${name}`)).toHaveValue("moderator");
  await expectAccessible(admin);
  await memberContext.close();
  await adminContext.close();
});
