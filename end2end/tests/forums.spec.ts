import { test, expect, Page } from "@playwright/test";
import {
  ADMIN_EMAIL, ADMIN_PASSWORD, expectAccessible, hydrated, register, registerPlain, signIn, signInPlain, uniqueEmail,
} from "./helpers";

/** An admin creates a community; returns its address. */
async function createCommunity(page: Page, opts: { anonymous?: boolean; inviteOnly?: boolean } = {}) {
  const slug = `c-${Math.random().toString(36).slice(2, 8)}`;
  await signIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
  await page.goto("/forums");
  await hydrated(page);
  await page.getByText("Create a community").click();
  await page.getByLabel("Name", { exact: true }).fill(`Circle ${slug}`);
  await page.getByLabel("Address").fill(slug);
  await page.getByLabel("Description").fill("Sharing experiences, challenges and successes.");
  if (opts.anonymous) await page.getByLabel("Allow anonymous posts").check();
  if (opts.inviteOnly) {
    await page.getByLabel("Who can see it").selectOption("private");
    await page.getByLabel("Joining").selectOption("invite");
  }
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

  // Quote just the words selected in a post.
  await expect(page.getByLabel("Your reply"), "the box is empty once the reply is posted").toHaveValue("");
  await page.evaluate(() => {
    const text = document.querySelector("article.post .prose p")!.firstChild!;
    const start = text.textContent!.indexOf("a colleague");
    const range = document.createRange();
    range.setStart(text, start);
    range.setEnd(text, start + "a colleague is struggling".length);
    window.getSelection()!.removeAllRanges();
    window.getSelection()!.addRange(range);
  });
  await page.getByRole("link", { name: "Quote" }).first().click();
  await expect(page.getByLabel("Your reply")).toHaveValue("> a colleague is struggling\n\n");
  await page.getByLabel("Your reply").fill("");

  // Quoting after typing adds the quote below what was typed, which stays.
  await page.getByLabel("Your reply").pressSequentially("Two thoughts.");
  await page.getByRole("link", { name: "Quote" }).first().click();
  await expect(page.getByLabel("Your reply")).toHaveValue(/^Two thoughts\.\n\n> How do you begin/);
  await page.getByLabel("Your reply").fill("");

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
  await expect(page.getByRole("link", { name: "Reveal author…" })).toHaveCount(0);

  // Only an admin can learn who it was: with a reason, kept in the audit log.
  await adminPage.goto(page.url());
  await hydrated(adminPage);
  await adminPage.getByRole("link", { name: "Reveal author…" }).click();
  await expect(adminPage.getByRole("heading", { name: "Reveal who wrote Anonymous 1" })).toBeVisible();
  await expect(adminPage.getByText("No one has revealed this author.")).toBeVisible();
  await adminPage.getByLabel("Why does this need to be revealed?").fill("too short");
  await adminPage.getByRole("button", { name: "Reveal the author" }).click();
  await expect(adminPage.getByText("Say why in a sentence or two")).toBeVisible();
  await adminPage.getByLabel("Why does this need to be revealed?").fill("The post describes a threat to a colleague's safety.");
  await adminPage.getByRole("button", { name: "Reveal the author" }).click();
  await expect(adminPage.getByText("Author revealed. This was written to the audit log.")).toBeVisible();
  await expect(adminPage.locator("ul.reveals strong")).toHaveText("Basil");
  await expectAccessible(adminPage);
});

test("the admin sees communities listed and can reorder them; forum pages are accessible", async ({ page }) => {
  await createCommunity(page);
  await page.goto("/forums");
  await hydrated(page);
  await expect(page.getByRole("button", { name: "Move up" }).first()).toBeVisible();
  await expectAccessible(page);
});

test("a moderator brings someone into an invite-only community, and can take them out again", async ({ browser }) => {
  const adminPage = await (await browser.newContext()).newPage();
  const slug = await createCommunity(adminPage, { inviteOnly: true });
  await startThread(adminPage, slug, `Facilitators only ${slug}`, "Notes from this week's circles.");
  const member = await (await browser.newContext()).newPage();
  const email = uniqueEmail("ines");
  await register(member, "Ines", email);
  await member.goto(`/forums/c/${slug}`);
  await expect(member.getByText(`Facilitators only ${slug}`)).toHaveCount(0);

  await adminPage.goto(`/forums/c/${slug}`);
  await hydrated(adminPage);
  await adminPage.getByRole("link", { name: "Members" }).click();
  await expect(adminPage.getByRole("heading", { name: `Members of Circle ${slug}` })).toBeVisible();
  await hydrated(adminPage);
  await adminPage.getByLabel("Their email address").fill("nobody-here@example.org");
  await adminPage.getByRole("button", { name: "Add to the community" }).click();
  await expect(adminPage.getByText("No one has an account with that email.")).toBeVisible();
  await expect(adminPage.getByLabel("Their email address")).toHaveValue("nobody-here@example.org");
  await adminPage.getByLabel("Their email address").fill(email);
  await adminPage.getByRole("button", { name: "Add to the community" }).click();
  await expect(adminPage.getByText("Member added.")).toBeVisible();
  await expect(adminPage.getByText(email)).toBeVisible();
  await expectAccessible(adminPage);

  await member.goto(`/forums/c/${slug}`);
  await expect(member.getByText(`Facilitators only ${slug}`)).toBeVisible();

  // Removing works as a plain form too.
  const plain = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
  await signInPlain(plain, ADMIN_EMAIL, ADMIN_PASSWORD);
  await plain.goto(`/forums/c/${slug}/members`);
  await plain.getByRole("button", { name: "Remove Ines from the community" }).click();
  await expect(plain.getByText("Member removed.")).toBeVisible();
  await expect(plain.getByText(email)).toHaveCount(0);
  await member.goto(`/forums/c/${slug}`);
  await expect(member.getByText(`Facilitators only ${slug}`)).toHaveCount(0);
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
    await registerPlain(page, "Ezra", email);
    await page.goto(url);
    await page.getByLabel("Your reply").fill("");
    await page.getByRole("button", { name: "Post reply" }).click();
    await expect(page.getByText("Please write something before posting.")).toBeVisible();
    await page.getByLabel("Your reply").fill("Replying with plain HTML forms.");
    await page.getByRole("button", { name: "Post reply" }).click();
    await expect(page.getByText("Replying with plain HTML forms.")).toBeVisible();
  });

  test("a long reply refused twice keeps every character and stays on its thread", async ({ browser }) => {
    const adminPage = await (await browser.newContext({ javaScriptEnabled: true })).newPage();
    const slug = await createCommunity(adminPage);
    const title = `Long words ${slug}`;
    await startThread(adminPage, slug, title, "Take all the room you need.");
    const url = adminPage.url();
    const page = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
    await registerPlain(page, "Ilse", uniqueEmail("nojs-long"));
    await page.goto(url);
    // Over the 20,000-character limit, in letters that take several bytes each.
    const line = "Heute war schwer — für uns alle. Ça ira, øre på vägg. 🌱\n";
    const long = line.repeat(Math.ceil(20_050 / line.length));
    await page.getByLabel("Your reply").fill(long);
    await page.getByRole("button", { name: "Post reply" }).click();
    await expect(page.getByText("This is longer than 20000 characters.")).toBeVisible();
    await expect(page.getByRole("heading", { name: title, level: 1 })).toBeVisible();
    expect(await page.getByLabel("Your reply").inputValue()).toBe(long);

    // Refused again from the refused page (whose address is now long): still here, still whole.
    const longer = long + "One more thought.";
    await page.getByLabel("Your reply").fill(longer);
    await page.getByRole("button", { name: "Post reply" }).click();
    await expect(page.getByRole("heading", { name: title, level: 1 })).toBeVisible();
    await expect(page.getByText("This is longer than 20000 characters.")).toBeVisible();
    expect(await page.getByLabel("Your reply").inputValue()).toBe(longer);

    await page.getByLabel("Your reply").fill(line.repeat(100));
    await page.getByRole("button", { name: "Post reply" }).click();
    await expect(page.getByText("øre på vägg").first()).toBeVisible();
    await expect(page.getByText("This is longer than")).toHaveCount(0);
  });

  test("start a thread, react, edit and remove a post", async ({ browser }) => {
    const adminPage = await (await browser.newContext({ javaScriptEnabled: true })).newPage();
    const slug = await createCommunity(adminPage);
    const page = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
    await registerPlain(page, "Tove", uniqueEmail("nojs-thread"));
    await page.goto(`/forums/c/${slug}`);
    await page.getByText("Start a thread").click();
    await page.getByLabel("Title").fill("Hi");
    await page.getByLabel("What would you like to share or ask?").fill("Plain forms all the way.");
    await page.getByRole("button", { name: "Post thread" }).click();
    // Refused with the reason next to the field, and nothing typed is lost.
    await expect(page.getByLabel("What would you like to share or ask?")).toHaveValue("Plain forms all the way.");
    await expect(page.getByLabel("Title")).toHaveAttribute("aria-invalid", "true");
    const title = `Without scripts ${slug}`;
    await page.getByLabel("Title").fill(title);
    await page.getByRole("button", { name: "Post thread" }).click();
    await expect(page.getByRole("heading", { name: title, level: 1 })).toBeVisible();

    await page.getByRole("button", { name: "Thanks 0" }).click();
    await expect(page.getByRole("button", { name: "Thanks 1" })).toHaveAttribute("aria-pressed", "true");

    await page.getByRole("link", { name: "Edit" }).click();
    await page.getByLabel("Edit your post").fill("Plain forms, edited.");
    await page.getByRole("button", { name: "Save changes" }).click();
    await expect(page.getByText("Plain forms, edited.")).toBeVisible();
    await expect(page.locator(".post-head").first()).toContainText("edited");

    await page.getByRole("button", { name: "Delete" }).click();
    await expect(page.getByText("This post was removed by its author.")).toBeVisible();
    await expect(page.getByText("Plain forms, edited.")).toHaveCount(0);
  });
});

test("signed-in forum pages are accessible: a community with its forms, a post being edited, its history", async ({ browser }) => {
  const adminPage = await (await browser.newContext()).newPage();
  const slug = await createCommunity(adminPage);
  const page = await (await browser.newContext()).newPage();
  await register(page, "Yara", uniqueEmail("yara"));
  await startThread(page, slug, `Checking in ${slug}`, "A first version.");
  await page.getByRole("link", { name: "Edit" }).click();
  await expect(page.getByLabel("Edit your post")).toBeVisible();
  await expectAccessible(page);
  await page.getByLabel("Edit your post").fill("A second version.");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText("A second version.")).toBeVisible();
  const threadUrl = page.url().split("#")[0];

  await page.goto(`/forums/c/${slug}`);
  await hydrated(page);
  await page.getByText("Start a thread").click();
  await expect(page.getByLabel("Title")).toBeVisible();
  await expectAccessible(page);

  // The admin reads the edit history, and the community's management forms.
  await adminPage.goto(threadUrl);
  await hydrated(adminPage);
  await adminPage.getByRole("link", { name: "Edit history" }).click();
  await expect(adminPage.getByRole("region", { name: "Edit history" })).toContainText("A first version.");
  await expectAccessible(adminPage);
  await adminPage.goto(`/forums/c/${slug}`);
  await hydrated(adminPage);
  await expectAccessible(adminPage);
});

test("a reply shows up in the author's notifications", async ({ browser }) => {
  const adminPage = await (await browser.newContext()).newPage();
  const slug = await createCommunity(adminPage);
  const author = await (await browser.newContext()).newPage();
  await register(author, "Mirela", uniqueEmail("mirela"));
  const title = `Asking for a friend ${slug}`;
  await startThread(author, slug, title, "How do I support someone who won't report it?");
  const url = author.url();
  // Away from the thread (an open thread page would show the reply live, and so mark it read).
  await author.goto("/forums");

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

/** A name no other test uses, so @mention suggestions are predictable. */
function uniqueName(first: string): string {
  const letters = Array.from({ length: 6 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join("");
  return `${first} Q${letters}`;
}

test("a reply written elsewhere appears live, and the bell counts it", async ({ browser }) => {
  const adminPage = await (await browser.newContext()).newPage();
  const slug = await createCommunity(adminPage);
  const reader = await (await browser.newContext()).newPage();
  await register(reader, "Tamsin", uniqueEmail("tamsin"));
  await startThread(reader, slug, `Checking in ${slug}`, "How is everyone holding up this week?");
  const url = reader.url();
  // Reload so the stream is open on a freshly hydrated page, and wait until it is.
  const streaming = reader.waitForResponse((r) => r.url().includes("/live/events?thread="));
  await reader.goto(url);
  await hydrated(reader);
  await streaming;

  const writer = await (await browser.newContext()).newPage();
  await register(writer, "Joaquin", uniqueEmail("joaquin"));
  await writer.goto(url);
  await hydrated(writer);
  await writer.getByLabel("Your reply").fill("Steady, thanks for asking. The buddy check-ins help.");
  await writer.getByRole("button", { name: "Post reply" }).click();
  await expect(writer.getByText("The buddy check-ins help.")).toBeVisible();

  // The reader never reloads: the reply arrives, is announced, and the bell counts it.
  await expect(reader.getByText("The buddy check-ins help.")).toBeVisible();
  await expect(reader.getByRole("status").filter({ hasText: "1 new reply below." })).toHaveCount(1);
  await expect(reader.getByRole("link", { name: "Notifications, 1 unread" })).toBeVisible();
  await expectAccessible(reader);
});

test("a draft is kept while typing and comes back after leaving", async ({ page }) => {
  const slug = await createCommunity(page);
  await startThread(page, slug, `Drafts are kept ${slug}`, "Write slowly if you need to.");
  const url = page.url();
  await page.getByLabel("Your reply").fill("Half of what I wanted to say");
  await expect(page.getByText("Draft saved", { exact: true })).toBeVisible();
  await page.goto("/forums");
  await page.goto(url);
  await hydrated(page);
  await expect(page.getByLabel("Your reply")).toHaveValue("Half of what I wanted to say");
  // Posting it clears the draft.
  await page.getByLabel("Your reply").fill("Half of what I wanted to say, and the rest.");
  await page.getByRole("button", { name: "Post reply" }).click();
  await expect(page.getByText("and the rest.")).toBeVisible();
  await page.goto(url);
  await hydrated(page);
  await expect(page.getByLabel("Your reply")).toHaveValue("");
});

test("@mentions are suggested and chosen with the keyboard", async ({ browser }) => {
  const adminPage = await (await browser.newContext()).newPage();
  const slug = await createCommunity(adminPage);
  const name = uniqueName("Marisol");
  const mentioned = await (await browser.newContext()).newPage();
  await register(mentioned, name, uniqueEmail("marisol"));
  const page = await (await browser.newContext()).newPage();
  await register(page, "Dov", uniqueEmail("dov"));
  await startThread(page, slug, `Who to ask ${slug}`, "Looking for someone who ran the listening workshop.");
  const box = page.getByLabel("Your reply");
  await box.click();
  await box.pressSequentially(`Thanks @${name.split(" ")[0]}_${name.split(" ")[1].slice(0, 3)}`);
  const option = page.getByRole("option", { name: new RegExp(name) });
  await expect(option).toBeVisible();
  await expect(option).toHaveAttribute("aria-selected", "true");
  await expectAccessible(page);
  await box.press("Enter");
  await expect(box).toHaveValue(`Thanks @${name.replace(" ", "_")} `);
  await expect(page.getByRole("listbox", { name: "People to mention" })).toBeHidden();
  await box.pressSequentially("for the notes.");
  await page.getByRole("button", { name: "Post reply" }).click();
  await expect(page.getByText("for the notes.")).toBeVisible();
  // The mentioned person is notified.
  await mentioned.goto("/notifications");
  await hydrated(mentioned);
  await expect(mentioned.getByText(/mentioned you/)).toBeVisible();
});

test.describe("drafts without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("Preview and Save draft work as plain form buttons", async ({ browser }) => {
    const adminPage = await (await browser.newContext({ javaScriptEnabled: true })).newPage();
    const slug = await createCommunity(adminPage);
    await startThread(adminPage, slug, `Plain previews ${slug}`, "Preview without scripts.");
    const url = adminPage.url();
    const page = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
    await registerPlain(page, "Noor", uniqueEmail("nojs-draft"));
    await page.goto(url);
    await expect(page.getByRole("button", { name: "Preview" })).toHaveCount(1);
    await page.getByLabel("Your reply").fill("**Gently** does it.");
    await page.getByRole("button", { name: "Preview" }).click();
    await expect(page.getByText("Draft saved. Below is how it will look.")).toBeVisible();
    await expect(page.getByRole("region", { name: "Preview" }).locator("strong")).toHaveText("Gently");
    await expect(page.getByLabel("Your reply")).toHaveValue("**Gently** does it.");
    await page.goto(url);
    await expect(page.getByLabel("Your reply")).toHaveValue("**Gently** does it.");
    await page.getByRole("button", { name: "Post reply" }).click();
    await expect(page.getByText("does it.")).toBeVisible();
  });
});
