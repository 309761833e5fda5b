// `cargo xtask demo`, in the browser: the built extension on the bundled demo consoles. With a
// display it opens Chromium and leaves it open; headless it saves screenshots of annotated pages
// and of the side panel, and an export of every tenant, and prints where they are.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { launch, visit, cardFrame, consoleUrl, ask } from "./harness.mjs";

const OUT = process.env.NHI_DEMO_OUT ?? "target/demo";
const HEADED = process.env.NHI_DEMO_HEADED === "1";
const SHOTS = join(OUT, "screenshots");

/** One page of each console, as an admin would open them. */
const TOUR = [
  ["github", "github.com/organizations/acme/settings/installations"],
  ["github-tokens", "github.com/organizations/acme/settings/personal-access-tokens/active"],
  ["github-oauth-apps", "github.com/organizations/acme/settings/oauth_application_policy"],
  // A page NHI Lens reads nothing on: badges from the organization's inventory.
  ["github-audit-log", "github.com/organizations/acme/settings/audit-log"],
  ["gitlab", "gitlab.com/groups/acme/-/settings/access_tokens"],
  ["entra", "entra.microsoft.com/#view/Microsoft_AAD_RegisteredApps/ApplicationsListBlade"],
  ["entra-enterprise-apps", "entra.microsoft.com/#view/Microsoft_AAD_IAM/StartboardApplicationsMenuBlade/~/AppAppsPreview"],
  ["google", "admin.google.com/ac/owl/list?tab=apps"],
  ["slack", "acme.slack.com/apps/manage"],
  ["okta", "acme-admin.okta.com/admin/access/api/tokens"],
  ["salesforce", "acme.my.salesforce.com/identity/app/connectedAppsUsage.apexp"],
  ["atlassian", "admin.atlassian.com/o/acme/api-token"],
  ["aws", "us-east-1.console.aws.amazon.com/iam/home#/users"],
  ["snowflake", "app.snowflake.com/us-west-2/acme/#/admin/users"],
];

mkdirSync(SHOTS, { recursive: true });
const browser = await launch({ headless: !HEADED });
const lines = [];
for (const [name, path] of TOUR) {
  const page = await visit(browser.context, consoleUrl(path));
  const count = await page.locator("nhi-lens-badge").count();
  const file = join(SHOTS, `${name}.png`);
  if (!HEADED) await page.screenshot({ path: file, fullPage: true });
  lines.push(`  ${name.padEnd(22)} ${String(count).padStart(3)} badges   ${HEADED ? consoleUrl(path) : file}`);
  if (!HEADED) await page.close();
}

// A badge's detail card over the console, as a click opens it.
const okta = await visit(browser.context, consoleUrl("acme-admin.okta.com/admin/access/api/tokens"));
await okta.locator("nhi-lens-badge button").first().click();
const card = await cardFrame(okta);
await card?.waitForSelector("#nhi-detail", { timeout: 10000 });
if (!HEADED) {
  await okta.screenshot({ path: join(SHOTS, "detail-card.png") });
  await okta.close();
}

const panel = await browser.context.newPage();
await panel.setViewportSize({ width: 520, height: 900 });
await panel.goto(browser.extensionUrl("sidepanel.html"));
const { tenants } = await ask(panel, { type: "tenants" });
await panel.selectOption("#nhi-tenant", "okta:acme");
await panel.waitForSelector("[data-nhi-row]");
await panel.waitForTimeout(300);
if (!HEADED) await panel.screenshot({ path: join(SHOTS, "side-panel.png") });

const exported = await ask(panel, { type: "export", tenant: null, format: "json" });
writeFileSync(join(OUT, "extension-export.json"), exported.text);
const csv = await ask(panel, { type: "export", tenant: null, format: "csv" });
writeFileSync(join(OUT, "extension-export.csv"), csv.text);
const summary = JSON.parse(exported.text).summary;

console.log("\nThe extension on the demo consoles:");
console.log(lines.join("\n"));
console.log(`\nInventories: ${tenants.map((t) => `${t.tenant} (${t.identities})`).join(", ")}`);
console.log(
  `Export of every tenant: ${summary.identities} identities; critical ${summary.critical}, high ${summary.high}, medium ${summary.medium}, low ${summary.low}, none ${summary.none}`,
);
console.log(`Wrote ${join(OUT, "extension-export.json")}, ${join(OUT, "extension-export.csv")}`);
if (HEADED) {
  console.log("\nChromium is open with NHI Lens on the demo consoles; close it or press Ctrl-C to end.");
  await new Promise((resolve) => {
    browser.context.on("close", resolve);
    process.on("SIGINT", resolve);
  });
} else {
  console.log(`Screenshots of the annotated consoles and the side panel: ${SHOTS}/`);
}
await browser.close().catch(() => {});
