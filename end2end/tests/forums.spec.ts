import { test, expect, Page } from "@playwright/test";
import { ADMIN_EMAIL, ADMIN_PASSWORD, expectAccessible, hydrated, register, signIn, uniqueEmail } from "./helpers";

/** An admin creates a community; returns its address. */
async function createCommunity(page: Page, opts: { anonymous?: boolean } = {}) {
  const slug = `c-${Math.random().toString(36).slice(2, 8)}`;
  await signIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
  await page.goto("/forums");
  await hydrated(page);
  await page.getByText("Create a community").click();
  await page.getByLabel("Name", { exact: true }).fill(`Circle ${slug}`);
  await page.getByLabel("Address").fill(slug);
  await page.getByLabel("Description").fill("Sharing experiences, challenges and successes.");
  if (opts.anonymous) await page.getByLabel("Allow anonymous posts").check();
  await page.getByRole("button", { name: "Create community" }).click();
  await expect(page.getByRole("heading", { name: `Circle ${slug}` })).toBeVisible();
  return slug;
}

async function startThread(page: Page, slug: string, title: string, body: string, extra: { cw?: string; anonymous?: boolean } = {}) {
  await page.goto(`/forums/c/${slug}`);
  await hydrated(page);
  await page.getByText("Start a thread").click();
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("What would you like to share or ask?").fill(body);
  if (extra.cw) await page.getByLabel("Content warning (optional)").fill(extra.cw);
  if (extra.anonymous) await page.getByLabel(/Post anonymously/).check();
  await page.getByRole("button", { name: "Post thread" }).click();
  await expect(page.getByRole("heading", { name: title, level: 1 })).toBeVisible();
}

test("start a thread, reply with a quote, react, and find it by search", async ({ browser }) => {
  const adminPage = await (await browser.newContext()).newPage();
  const slug = await createCommunity(adminPage);
  const page = await (await browser.newContext()).newPage();
  await register(page, "Rowan", uniqueEmail("rowan"));
  const title = `Opening a hard conversation ${slug}`;
  await startThread(page, slug, title, `How do you begin when a colleague is struggling? marigold${slug}`);
  await expectAccessible(page);

  // Quote the opening post in a reply.
  await page.getByRole("link", { name: "Quote" }).first().click();
  await expect(page.getByLabel("Your reply")).toHaveValue(/^> How do you begin/);
  await page.getByLabel("Your reply").press("End");
  await page.getByLabel("Your reply").fill("> How do you begin\n\nI start with what I noticed.");
  await page.getByRole("button", { name: "Post reply" }).click();
  await expect(page.getByText("Replying to Rowan's post #1")).toBeVisible();

  // React, and take it back: the count follows.
  const thanks = page.getByRole("button", { name: /^Thanks \d/ }).first();
  await thanks.click();
  await expect(page.getByRole("button", { name: "Thanks 1" }).first()).toHaveAttribute("aria-pressed", "true");
  await page.getByRole("button", { name: "Thanks 1" }).first().click();
  await expect(page.getByRole("button", { name: "Thanks 0" }).first()).toHaveAttribute("aria-pressed", "false");

  await page.goto(`/forums/search?q=marigold${slug}`);
  await hydrated(page);
  await expect(page.getByRole("link", { name: title })).toBeVisible();
  await expect(page.locator("mark").first()).toBeVisible();
  await expectAccessible(page);
});

test("content warnings keep the post closed until the reader opens it", async ({ browser }) => {
  const adminPage = await (await browser.newContext()).newPage();
  const slug = await createCommunity(adminPage);
  const page = await (await browser.newContext()).newPage();
  await register(page, "Indira", uniqueEmail("indira"));
  await startThread(page, slug, `Something that happened ${slug}`, "The details of a difficult day.", { cw: "harassment" });
  const body = page.getByText("The details of a difficult day.");
  await expect(body).toBeHidden();
  await page.getByText("Content warning: harassment").click();
  await expect(body).toBeVisible();
});

test("anonymous posts show an alias, never the name", async ({ browser }) => {
  const adminPage = await (await browser.newContext()).newPage();
  const slug = await createCommunity(adminPage, { anonymous: true });
  const page = await (await browser.newContext()).newPage();
  await register(page, "Basil", uniqueEmail("basil"));
  await startThread(page, slug, `Asking quietly ${slug}`, "I'd rather not say who I am.", { anonymous: true });
  await expect(page.getByRole("heading", { name: "Anonymous 1", level: 2 })).toBeVisible();
  await expect(page.locator("main")).not.toContainText("Basil");
});

test("the admin sees communities listed and can reorder them; forum pages are accessible", async ({ page }) => {
  await createCommunity(page);
  await page.goto("/forums");
  await hydrated(page);
  await expect(page.getByRole("button", { name: "Move up" }).first()).toBeVisible();
  await expectAccessible(page);
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("reply to a thread", async ({ browser }) => {
    const adminPage = await (await browser.newContext({ javaScriptEnabled: true })).newPage();
    const slug = await createCommunity(adminPage);
    await startThread(adminPage, slug, `Plain forms work ${slug}`, "Reply without scripts.");
    const url = adminPage.url();
    const page = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
    const email = uniqueEmail("nojs-forum");
    await page.goto("/register");
    await page.getByLabel("Your name").fill("Ezra");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill("quiet lanterns over the harbour");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.goto(url);
    await page.getByLabel("Your reply").fill("");
    await page.getByRole("button", { name: "Post reply" }).click();
    await expect(page.getByText("Please write something before posting.")).toBeVisible();
    await page.getByLabel("Your reply").fill("Replying with plain HTML forms.");
    await page.getByRole("button", { name: "Post reply" }).click();
    await expect(page.getByText("Replying with plain HTML forms.")).toBeVisible();
  });
});

test("a reply shows up in the author's notifications", async ({ browser }) => {
  const adminPage = await (await browser.newContext()).newPage();
  const slug = await createCommunity(adminPage);
  const author = await (await browser.newContext()).newPage();
  await register(author, "Mirela", uniqueEmail("mirela"));
  const title = `Asking for a friend ${slug}`;
  await startThread(author, slug, title, "How do I support someone who won't report it?");
  const url = author.url();

  const replier = await (await browser.newContext()).newPage();
  await register(replier, "Oskar", uniqueEmail("oskar"));
  await replier.goto(url);
  await hydrated(replier);
  await replier.getByLabel("Your reply").fill("Let them lead, and keep checking in, @Mirela.");
  await replier.getByRole("button", { name: "Post reply" }).click();
  await expect(replier.getByText("Let them lead, and keep checking in")).toBeVisible();

  // The author's community list shows the unseen reply, linking to it.
  await author.goto(`/forums/c/${slug}`);
  await hydrated(author);
  await author.getByRole("link", { name: "1 new" }).click();
  await expect(author.getByText("Let them lead, and keep checking in")).toBeVisible();
  await expect(author.locator("article.new-post")).toHaveCount(1);

  await author.goto("/");
  await hydrated(author);
  const bell = author.getByRole("link", { name: "Notifications, 1 unread" });
  await expect(bell).toBeVisible();
  await bell.click();
  await expect(author.getByRole("link", { name: `Oskar mentioned you in “${title}”` })).toBeVisible();
  await expectAccessible(author);
  await author.getByRole("button", { name: "Mark all as read" }).click();
  await expect(author.getByRole("link", { name: "Notifications", exact: true })).toBeVisible();
});
