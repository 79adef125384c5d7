import { test, expect, Page } from "@playwright/test";
import {
  ADMIN_EMAIL, ADMIN_PASSWORD, expectAccessible, hydrated, register, registerPlain, signIn, signInPlain, uniqueEmail,
} from "./helpers";

/** Proposes an idea with a unique title; returns the title and the idea's address. */
async function propose(page: Page, what: string) {
  const title = `${what} ${Math.random().toString(36).slice(2, 8)}`;
  await page.goto("/ideas/new");
  await hydrated(page);
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("The problem it addresses").fill("New colleagues don't know who to talk to when something feels wrong.");
  await page.getByLabel("The experiment").fill("Pair each new hire with a peer supporter for **six weeks**.");
  await page.getByLabel("Hypothesis").fill("We believe weekly check-ins will help new hires speak up sooner.");
  await page.getByLabel("How success will be measured").fill("A short survey in week 1 and week 6.");
  await page.getByLabel("Tags (optional)").fill("onboarding");
  await page.getByRole("button", { name: "Propose idea" }).click();
  await expect(page.getByRole("heading", { name: title, level: 1 })).toBeVisible();
  return { title, url: page.url().split("?")[0] };
}

async function moveTo(page: Page, to: string, note: string, extra: Record<string, string> = {}) {
  await page.getByLabel("Move to").selectOption({ label: to });
  await page.getByLabel("A short public note: why, and what happens next", { exact: true }).fill(note);
  for (const [label, value] of Object.entries(extra)) await page.getByLabel(label).fill(value);
  await page.getByRole("button", { name: "Move idea" }).click();
  // Each move adds a line to the public history.
  await expect(page.locator("#history li", { hasText: `→ ${to}` })).toHaveCount(1);
}

test("an idea goes from proposal through votes and discussion to lessons learned", async ({ browser }) => {
  const author = await (await browser.newContext()).newPage();
  const authorEmail = uniqueEmail("ines");
  await register(author, "Ines", authorEmail);
  const { title, url } = await propose(author, "Buddy check-ins");
  await expect(author.getByText("Your idea is on the board.")).toBeVisible();
  await expectAccessible(author);

  // A colleague finds it on the board, votes, and sees the count and their budget change.
  const voter = await (await browser.newContext()).newPage();
  await register(voter, "Kofi", uniqueEmail("kofi"));
  await voter.goto("/ideas?sort=new");
  await hydrated(voter);
  await expect(voter.getByText("You have 10 of 10 votes left.")).toBeVisible();
  const row = voter.locator("li.idea-row", { hasText: title });
  await row.getByRole("button", { name: `Vote for “${title}”` }).click();
  await expect(row.getByText("1 vote")).toBeVisible();
  await expect(row.getByRole("button", { name: `Take back my vote for “${title}”` })).toBeVisible();
  await expect(voter.getByText("You have 9 of 10 votes left.")).toBeVisible();
  await expectAccessible(voter);

  // And joins the discussion.
  await voter.goto(url);
  await hydrated(voter);
  await voter.getByLabel("Add to the discussion").fill("Yes please. I'd volunteer as a buddy.");
  await voter.getByRole("button", { name: "Post comment" }).click();
  await expect(voter.locator(".comment-list")).toContainText("I'd volunteer as a buddy.");
  await expect(voter.getByLabel("Add to the discussion"), "the box is empty once posted").toHaveValue("");

  // A moderator (the admin) moves it through the lifecycle, with notes, to its results.
  const admin = await (await browser.newContext()).newPage();
  await signIn(admin, ADMIN_EMAIL, ADMIN_PASSWORD);
  await admin.goto(url);
  await hydrated(admin);
  await moveTo(admin, "Under review", "Lots of support; checking training needs.");
  await moveTo(admin, "Approved", "Approved for a six-week pilot.");
  await moveTo(admin, "Running", "Pilot starts with the January intake.", {
    "Owner's email": authorEmail,
    "Start date": "2027-01-11",
  });
  await expect(admin.getByText(/Run by Ines, from 11 January 2027/)).toBeVisible();
  await admin.getByLabel("What happened").fill("Twelve pairs met weekly.");
  await admin.getByLabel("What we learned").fill("Buddies from outside the team worked best.");
  await admin.getByLabel("Adopt it").check();
  await admin.getByLabel("A public note about the results").fill("Evaluated after six weeks.");
  await admin.getByRole("button", { name: "Mark evaluated" }).click();
  await expect(admin.getByRole("heading", { name: "Results", exact: true })).toBeVisible();
  await expect(admin.getByText("Recommendation: Adopt it")).toBeVisible();
  await expectAccessible(admin);

  // It joins the Lessons learned; the voter's vote came back, and they were told each step.
  await voter.goto("/ideas/lessons");
  await hydrated(voter);
  await expect(voter.getByRole("link", { name: title })).toBeVisible();
  await expectAccessible(voter);
  await voter.goto("/ideas");
  await hydrated(voter);
  await expect(voter.getByText("You have 10 of 10 votes left.")).toBeVisible();
  await voter.goto("/notifications");
  await hydrated(voter);
  await expect(voter.getByRole("link", { name: `Results are in for “${title}”` })).toBeVisible();
  await expect(voter.getByRole("link", { name: `“${title}” is now running` })).toBeVisible();
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("vote and comment on an idea", async ({ browser }) => {
    const author = await (await browser.newContext({ javaScriptEnabled: true })).newPage();
    await register(author, "Oona", uniqueEmail("oona"));
    const { title, url } = await propose(author, "Quiet room bookings");
    const page = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
    await registerPlain(page, "Pim", uniqueEmail("nojs-idea"));
    await page.goto(url);
    await page.getByRole("button", { name: `Vote for “${title}”` }).click();
    await expect(page.getByText("Vote counted.")).toBeVisible();
    await expect(page.getByText("1 vote", { exact: true })).toBeVisible();
    await page.getByLabel("Add to the discussion").fill("");
    await page.getByRole("button", { name: "Post comment" }).click();
    await expect(page.getByText("Please write something before posting.")).toBeVisible();
    await page.getByLabel("Add to the discussion").fill("A plain form works too.");
    await page.getByRole("button", { name: "Post comment" }).click();
    await expect(page.locator(".comment-list")).toContainText("A plain form works too.");
  });

  test("propose an idea, and a moderator moves it along", async ({ browser }) => {
    const page = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
    await registerPlain(page, "Sol", uniqueEmail("nojs-propose"));
    await page.goto("/ideas/new");
    const title = `Walking one-to-ones ${Math.random().toString(36).slice(2, 8)}`;
    await page.getByLabel("Title").fill(title);
    await page.getByLabel("The problem it addresses").fill("Sitting across a desk makes hard talks harder.");
    await page.getByLabel("The experiment").fill("Offer walking one-to-ones for a month.");
    await page.getByLabel("Hypothesis").fill("");
    await page.getByLabel("How success will be measured").fill("How many choose to walk, and how they rate it.");
    await page.getByRole("button", { name: "Propose idea" }).click();
    // Refused next to the field; everything else typed is still there.
    await expect(page.getByLabel("Hypothesis")).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByLabel("The experiment")).toHaveValue("Offer walking one-to-ones for a month.");
    await page.getByLabel("Hypothesis").fill("We believe walking side by side will make it easier to speak up.");
    await page.getByRole("button", { name: "Propose idea" }).click();
    await expect(page.getByRole("heading", { name: title, level: 1 })).toBeVisible();
    const url = page.url().split("?")[0];

    const moderator = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
    await signInPlain(moderator, ADMIN_EMAIL, ADMIN_PASSWORD);
    await moderator.goto(url);
    await moveTo(moderator, "Under review", "Thank you: we'll discuss it at the next circle.");
    await expect(moderator.getByText("The idea moved on. Its followers have been told.")).toBeVisible();
  });
});

test("idea pages are accessible: proposing, and the moderator's forms", async ({ browser }) => {
  const author = await (await browser.newContext()).newPage();
  await register(author, "Juno", uniqueEmail("juno"));
  await author.goto("/ideas/new");
  await hydrated(author);
  await expectAccessible(author);
  const { url } = await propose(author, "Peer listening hour");
  const moderator = await (await browser.newContext()).newPage();
  await signIn(moderator, ADMIN_EMAIL, ADMIN_PASSWORD);
  await moderator.goto(url);
  await hydrated(moderator);
  await expect(moderator.getByLabel("Move to")).toBeVisible();
  await expectAccessible(moderator);
});

test("an unsent proposal is kept as a draft", async ({ page }) => {
  await register(page, "Wren", uniqueEmail("wren"));
  await page.goto("/ideas/new");
  await hydrated(page);
  await page.getByLabel("Title").fill("Quiet rooms for hard conversations");
  await page.getByLabel("The problem it addresses").fill("People have nowhere private to talk.");
  await expect(page.getByText("Draft saved", { exact: true })).toBeVisible();
  await page.goto("/ideas");
  await page.goto("/ideas/new");
  await hydrated(page);
  await expect(page.getByLabel("Title")).toHaveValue("Quiet rooms for hard conversations");
  await expect(page.getByLabel("The problem it addresses")).toHaveValue("People have nowhere private to talk.");
});

test("a proposal typed just before leaving is still kept", async ({ page }) => {
  await register(page, "Rowan", uniqueEmail("rowan"));
  await page.goto("/ideas/new");
  await hydrated(page);
  await page.getByLabel("Title").fill("Walking one-to-ones");
  // Leave inside the app at once, before the pause in typing that would save it.
  const saved = page.waitForResponse((r) => r.url().includes("save_proposal_draft") && r.ok());
  await page.getByRole("navigation", { name: "Breadcrumb" }).getByRole("link", { name: "Idea board" }).click();
  await expect(page).toHaveURL(/\/ideas$/);
  await saved;
  await page.goto("/ideas/new");
  await hydrated(page);
  await expect(page.getByLabel("Title")).toHaveValue("Walking one-to-ones");
});
