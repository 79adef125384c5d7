import { test, expect } from "@playwright/test";
import { hydrated } from "./helpers";

// The WebAssembly is most of what a first visit downloads: it must travel compressed. The
// server writes the compressed copies in the background after it starts, so this waits for
// them (a few seconds at most) with a first visit (an empty cache) each time.
test("the page's WebAssembly reaches the browser compressed, and the page still comes alive", async ({ browser }) => {
  let page = await browser.newPage();
  await expect
    .poll(
      async () => {
        await page.context().close();
        page = await browser.newPage();
        const wasm = page.waitForResponse((r) => r.url().endsWith(".wasm"));
        await page.goto("/");
        const response = await wasm;
        return (await response.allHeaders())["content-encoding"] ?? "none";
      },
      { timeout: 30_000, intervals: [500, 1_000, 2_000] },
    )
    .toMatch(/^(br|gzip)$/);
  await hydrated(page);
  await page.context().close();
});
