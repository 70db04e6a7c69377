// Headless Chromium checks for planctl's web output, driven by tests/test_site_browser.py.
//
//   node check.mjs < job.json > report.json
//
// job: {"root": "/abs/site", "pages": ["index.html", ...], "axe": true,
//       "search": [{"page": "search.html", "query": "housing", "expect": "plans/x/items/y.html"}],
//       "screenshots": [{"page": "index.html", "out": "/abs/x.png", "width": 1000, "height": 900}],
//       "keyboard": ["index.html"],
//       "nojs": ["index.html"], "print": ["index.html"]}
// report: {"pages": {page: {"console", "outside", "failed", "violations", "dialogs"}},
//          "search": [{"query", "found": bool, "results": [...]}], "keyboard": {page: [focused elements]}}
//
// The system Chromium is used (CHROMIUM, else chromium or chromium-browser on PATH): no
// browser is downloaded. Every request outside the site's folder is blocked and reported.
import { readFileSync, existsSync } from "node:fs";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import path from "node:path";
import puppeteer from "puppeteer-core";

const require = createRequire(import.meta.url);
const AXE = require.resolve("axe-core/axe.min.js");
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"];

function chromium() {
  if (process.env.CHROMIUM) return process.env.CHROMIUM;
  for (const p of ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]) {
    if (existsSync(p)) return p;
  }
  throw new Error("no Chromium found: run 'make browser-deps' (apt-get install chromium) or set CHROMIUM");
}

const job = JSON.parse(readFileSync(0, "utf8"));
const root = path.resolve(job.root);
const rootUrl = pathToFileURL(root + path.sep).href;
const browser = await puppeteer.launch({
  executablePath: chromium(),
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const report = { pages: {}, search: [], keyboard: {}, version: await browser.version() };
try {
  const page = await browser.newPage();
  await page.setRequestInterception(true);
  let current = null;
  page.on("request", (req) => {
    const url = req.url();
    if (url.startsWith(rootUrl) || url.startsWith("data:") || url === "about:blank") {
      req.continue();
    } else {
      if (current) current.outside.push(url);
      req.abort("blockedbyclient");
    }
  });
  page.on("console", (msg) => { if (current && msg.type() === "error") current.console.push(msg.text()); });
  page.on("pageerror", (err) => { if (current) current.console.push(String(err)); });
  page.on("dialog", async (d) => { if (current) current.dialogs.push(d.message()); await d.dismiss(); });
  page.on("requestfailed", (req) => {
    if (current && req.url().startsWith(rootUrl)) current.failed.push(req.url());
  });

  async function open(rel, width = 1000, height = 800) {
    await page.setViewport({ width, height });
    await page.goto(rootUrl + rel, { waitUntil: "load" });
  }

  for (const rel of job.pages || []) {
    current = { console: [], outside: [], failed: [], violations: [], dialogs: [] };
    report.pages[rel] = current;
    await open(rel);
    if (job.axe) {
      await page.addScriptTag({ content: readFileSync(AXE, "utf8") });
      const result = await page.evaluate(async (tags) => {
        const r = await window.axe.run(document, { preload: false, runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] });
        return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
          nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ") + " :: " + n.failureSummary) }));
      }, TAGS);
      current.violations = result;
    }
  }
  for (const s of job.search || []) {
    current = { console: [], outside: [], failed: [], violations: [], dialogs: [] };
    await open(s.page);
    await page.type("#q", s.query);
    await page.keyboard.press("Enter");
    await page.waitForSelector("#results h2");
    const results = await page.$$eval("#results a", (as) => as.map((a) => a.getAttribute("href")));
    let landed = null;
    if (results.includes(s.expect)) {
      await Promise.all([page.waitForNavigation(), page.click(`#results a[href="${s.expect}"]`)]);
      landed = page.url().slice(rootUrl.length);
    }
    report.search.push({ query: s.query, results, found: results.includes(s.expect), landed,
                         console: current.console, outside: current.outside });
  }
  for (const rel of job.keyboard || []) {
    await open(rel);
    const seen = [];
    for (let i = 0; i < 8; i++) {
      await page.keyboard.press("Tab");
      seen.push(await page.evaluate(() => {
        const el = document.activeElement;
        const style = getComputedStyle(el);
        return { tag: el.tagName, text: (el.textContent || "").trim().slice(0, 60),
                 href: el.getAttribute("href"), background: style.backgroundColor,
                 outline: style.outlineStyle, shadow: style.boxShadow };
      }));
    }
    // The skip link is the first stop; Enter moves focus to the main content.
    await open(rel);
    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");
    const after = await page.evaluate(() => document.activeElement && document.activeElement.id);
    report.keyboard[rel] = { stops: seen, after_skip: after };
  }
  // Without JavaScript: the page still has its heading, navigation and links.
  report.nojs = {};
  if ((job.nojs || []).length) {
    await page.setJavaScriptEnabled(false);
    for (const rel of job.nojs) {
      current = { console: [], outside: [], failed: [], violations: [], dialogs: [] };
      await open(rel);
      report.nojs[rel] = await page.evaluate(() => ({
        h1: (document.querySelector("h1") || {}).textContent || null,
        links: document.querySelectorAll("a[href]").length,
        nav: document.querySelectorAll("nav a").length,
        noscript_shown: Array.from(document.querySelectorAll("noscript")).length,
      }));
      report.nojs[rel].failed = current.failed;
    }
    await page.setJavaScriptEnabled(true);
  }
  // Printed: the print stylesheet hides the navigation and the search.
  report.print = {};
  for (const rel of job.print || []) {
    await open(rel);
    await page.emulateMediaType("print");
    report.print[rel] = await page.evaluate(() => ({
      header: getComputedStyle(document.querySelector(".header")).display,
      skip: getComputedStyle(document.querySelector(".skip-link")).display,
      h1: getComputedStyle(document.querySelector("h1")).display,
    }));
    await page.emulateMediaType(null);
  }
  for (const shot of job.screenshots || []) {
    await open(shot.page, shot.width || 1000, shot.height || 900);
    await page.screenshot({ path: shot.out, fullPage: false });
  }
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(report, null, 1) + "\n");
