import { test } from "@playwright/test";
import { expectAccessible, hydrated, register, uniqueEmail } from "./helpers";

const publicPages = ["/", "/register", "/login", "/forums", "/ideas", "/mentorship", "/courses", "/no-such-page"];
const memberPages = ["/account/profile", "/account/password"];

for (const path of publicPages) {
  test(`accessible: ${path}`, async ({ page }) => {
    await page.goto(path);
    await hydrated(page);
    await expectAccessible(page);
  });
}

test("accessible: member pages, and in dark mode", async ({ page }) => {
  await register(page, "Ari", uniqueEmail("ari"));
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const path of memberPages) {
      await page.goto(path);
      await hydrated(page);
      await expectAccessible(page);
    }
  }
});

test("screenshot for the README", async ({ page }) => {
  await page.setViewportSize({ width: 1200, height: 800 });
  await page.goto("/");
  await hydrated(page);
  await page.screenshot({ path: "../docs/screenshot-home.png" });
});
