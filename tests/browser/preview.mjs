// Drives `variorum serve`'s live preview in headless Chromium (Debian's /usr/bin/chromium,
// through playwright-core; no browser is downloaded). Run by tests/it/preview.rs:
//   node preview.mjs URL TITLE WITNESS_FILE FOOTNOTES_FILE PROFILE_DIR
// Opens the contents page, reads the title, opens the second witness, changes one word in its
// file and waits for the page to show it without a manual reload; breaks footnotes.yaml and
// waits for the diagnostics page; fixes it and waits for the witness again.
import { chromium } from "playwright-core";
import fs from "node:fs";

const [url, title, witnessFile, footnotesFile, profile] = process.argv.slice(2);
const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";

function fail(message) {
  console.error("FAIL: " + message);
  process.exit(1);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// The page's text once it satisfies `test`, polling across the page's own reloads.
async function waitForText(page, test, what, seconds = 20) {
  const deadline = Date.now() + seconds * 1000;
  let text = "";
  while (Date.now() < deadline) {
    try {
      text = await page.evaluate(() => document.body ? document.body.innerText : "");
      if (test(text)) return text;
    } catch (e) {
      // The page is reloading; try again.
    }
    await sleep(150);
  }
  fail(`${what} did not appear within ${seconds} s; the page shows:\n${text.slice(0, 2000)}`);
}

const context = await chromium.launchPersistentContext(profile, {
  executablePath,
  headless: true,
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
  ],
});
try {
  const page = context.pages()[0] || (await context.newPage());
  await page.goto(url);
  const seen = await page.title();
  if (seen !== title) fail(`the contents page's title is ${JSON.stringify(seen)}, not ${JSON.stringify(title)}`);
  console.log(`title: ${seen}`);

  const link = page.getByRole("link", { name: "I wandered lonely as a cloud" }).first();
  await link.click();
  await waitForText(page, (t) => t.includes("golden daffodils"), "the 1815 witness");
  console.log(`opened ${page.url()}`);

  const original = fs.readFileSync(witnessFile, "utf8");
  const started = Date.now();
  fs.writeFileSync(witnessFile, original.replace("beneath the trees", "beneath the elms"));
  await waitForText(page, (t) => t.includes("beneath the elms") && !t.includes("beneath the trees"), "the changed word");
  console.log(`the new word appeared after ${Date.now() - started} ms without a manual reload`);

  const notes = fs.readFileSync(footnotesFile, "utf8");
  fs.writeFileSync(footnotesFile, notes + "  - id: [broken\n");
  const diagnostics = await waitForText(page, (t) => t.includes("The last build failed") && t.includes("footnotes.yaml"), "the diagnostics page");
  console.log("diagnostics page: " + diagnostics.split("\n").find((l) => l.startsWith("error")));

  fs.writeFileSync(footnotesFile, notes);
  await waitForText(page, (t) => t.includes("beneath the elms") && !t.includes("The last build failed"), "the witness after the fix");
  console.log("fixed: the witness is back");
} finally {
  await context.close();
}
