// Every mock console page, in Chromium with the built test extension: the page's identities get
// badges with the documented attributes, console text stays text, the console's own scripts keep
// working under its strict CSP, and nothing is requested from any host but the console.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { launch, visit, settle, badges, consoleUrl, ask, BASE, ARTIFACTS } from "./harness.mjs";

/** One entry per console page in the platform table (checked against it below). */
export const PAGES = [
  { page: "github.installations_page", url: "github.com/organizations/acme/settings/installations" },
  // An installed App's own page (its Configure link), right after the list.
  { page: "github.installation_page", url: "github.com/organizations/acme/settings/installations/31002" },
  { page: "github.personal_access_tokens_page", url: "github.com/organizations/acme/settings/personal-access-tokens/active" },
  { page: "github.personal_access_token_requests_page", url: "github.com/organizations/acme/settings/personal-access-token-requests" },
  { page: "github.hooks_page", url: "github.com/organizations/acme/settings/hooks" },
  { page: "github.actions_secrets_page", url: "github.com/organizations/acme/settings/secrets/actions" },
  { page: "github.oauth_app_policy_page", url: "github.com/organizations/acme/settings/oauth_application_policy" },
  { page: "github.deploy_keys_page", url: "github.com/acme/payments/settings/keys" },
  { page: "gitlab.group_access_tokens_page", url: "gitlab.com/groups/acme/-/settings/access_tokens" },
  { page: "gitlab.project_access_tokens_page", url: "gitlab.com/acme/web/-/settings/access_tokens" },
  // GitLab 17.x renders the tokens into the page and loads no list from the API.
  { page: "gitlab.project_access_tokens_page", name: "gitlab.project_access_tokens_page (GitLab 17.x)", url: "gitlab.com/acme/legacy/-/settings/access_tokens" },
  { page: "gitlab.service_accounts_page", url: "gitlab.com/groups/acme/-/settings/service_accounts" },
  { page: "entra.app_registrations", url: "entra.microsoft.com/#view/Microsoft_AAD_RegisteredApps/ApplicationsListBlade" },
  { page: "entra.enterprise_apps", url: "entra.microsoft.com/#view/Microsoft_AAD_IAM/StartboardApplicationsMenuBlade/~/AppAppsPreview" },
  { page: "entra.app_credentials", url: "entra.microsoft.com/#view/Microsoft_AAD_RegisteredApps/ApplicationMenuBlade/~/Credentials/appId/a0000001-5c2e-4d3b-9f10-6a7b8c9d0e01" },
  { page: "entra.app_api_permissions", url: "entra.microsoft.com/#view/Microsoft_AAD_RegisteredApps/ApplicationMenuBlade/~/CallAnAPI/appId/a0000001-5c2e-4d3b-9f10-6a7b8c9d0e01" },
  { page: "entra.app_owners", url: "entra.microsoft.com/#view/Microsoft_AAD_RegisteredApps/ApplicationMenuBlade/~/Owners/appId/a0000001-5c2e-4d3b-9f10-6a7b8c9d0e01" },
  { page: "entra.portal_app_registrations", url: "portal.azure.com/#view/Microsoft_AAD_RegisteredApps/ApplicationsListBlade" },
  // Views no page of the table names: a list drawn as a plain table, and an app's overview.
  { page: "entra.other_enterprise_app_views", url: "entra.microsoft.com/#view/Microsoft_AAD_IAM/StartboardApplicationsMenuBlade/~/AllApps" },
  { page: "entra.other_app_registration_views", url: "entra.microsoft.com/#view/Microsoft_AAD_RegisteredApps/ApplicationMenuBlade/~/Overview/appId/a0000001-5c2e-4d3b-9f10-6a7b8c9d0e01", badges: false },
  { page: "google.app_list_page", url: "admin.google.com/ac/owl/list?tab=apps" },
  { page: "google.domain_wide_delegation", url: "admin.google.com/ac/owl/domainwidedelegation" },
  { page: "slack.installed_apps_page", url: "acme.slack.com/apps/manage" },
  { page: "okta.api_tokens_page", url: "acme-admin.okta.com/admin/access/api/tokens" },
  { page: "okta.apps_page", url: "acme-admin.okta.com/admin/apps/active" },
  { page: "okta.app_instance_page", url: "acme-admin.okta.com/admin/app/oidc_client/instance/0oa1hrprov0000000002/" },
  // A page the table does not name: the lists it loads are read, without a layout check.
  { page: "okta.other_admin_pages", url: "acme-admin.okta.com/admin/" },
  { page: "salesforce.oauth_usage_page", url: "acme.my.salesforce.com/identity/app/connectedAppsUsage.apexp" },
  { page: "atlassian.api_token_activity", url: "admin.atlassian.com/o/acme/api-token" },
  // A person's access keys are badged beside their ID, in the person's row.
  { page: "aws.users_page", url: "us-east-1.console.aws.amazon.com/iam/home#/users", second: /^aws:access_key:/ },
  { page: "aws.credential_report_page", url: "us-east-1.console.aws.amazon.com/iam/home#/credential_report", badges: false },
  { page: "snowflake.users_page", url: "app.snowflake.com/us-west-2/acme/#/admin/users" },
];

/** Pages that exist only to keep a console's responses (no rows of their own to badge). */
const NO_ROWS = new Set(PAGES.filter((p) => p.badges === false).map((p) => p.page));
const LEVELS = new Set(["critical", "high", "medium", "low", "none"]);

let browser;
let closed = false;
before(async () => {
  browser = await launch({ netLog: true });
});
after(async () => {
  if (!closed) await browser.close();
});

test("every console page in the platform table has a browser test", () => {
  const table = JSON.parse(readFileSync(join(ARTIFACTS, "pages.json"), "utf8"));
  const tested = new Set(PAGES.map((p) => p.page));
  // The Azure portal's twins of the Entra views run the same plan as the one tested.
  const untested = table.filter((p) => !tested.has(p.id) && !p.id.startsWith("entra.portal_"));
  assert.deepEqual(untested.map((p) => p.id), []);
});

for (const entry of PAGES) {
  const name = entry.name ?? entry.page;
  test(`${name}: badges on the console's rows`, async () => {
    const page = await visit(browser.context, consoleUrl(entry.url), { expectBadges: !NO_ROWS.has(entry.page) });
    try {
      await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
      const found = await badges(page);
      const platform = entry.page.split(".")[0];
      if (!NO_ROWS.has(entry.page)) assert.ok(found.length > 0, "no badges");
      // One badge a row, but for the second identities a page is known to show by their ID.
      const inRow = new Map();
      for (const b of found) {
        assert.ok(b.id.startsWith(`${platform}:`), `badge ${b.id} is not a ${platform} identity`);
        assert.ok(LEVELS.has(b.risk), `risk ${b.risk}`);
        assert.match(b.score, /^\d{1,3}$/);
        assert.ok(Number(b.score) <= 100);
        assert.ok(b.label.startsWith("NHI Lens: ") && b.label.includes(`, ${b.risk} ${b.score} risk, `) && b.label.endsWith(`risk, ${b.text.slice(3)}`), b.label);
        assert.ok(b.ageDays === "" || /^-?\d+$/.test(b.ageDays), `age ${b.ageDays}`);
        assert.equal(typeof b.owner, "string");
        assert.ok(b.inCell, `badge ${b.id} sits straight in its row, beside the cells`);
        if (entry.second?.test(b.id)) continue;
        assert.ok(!inRow.has(b.row), `${b.id} badged in the row of ${inRow.get(b.row)}`);
        inRow.set(b.row, b.id);
      }
      // Hostile names stay text: no element was made from console text.
      const injected = await page.evaluate(() => document.querySelectorAll('img[src="x"], img[src$="/x"]').length);
      assert.equal(injected, 0, "console text became markup");
    } finally {
      await page.close();
    }
  });
}

test("Okta's apps list says its service apps' permissions were not read, but of an app whose own page read its grants", async () => {
  // The app's own page loads its grants (its Okta API Scopes tab).
  const own = await visit(browser.context, consoleUrl("acme-admin.okta.com/admin/app/oidc_client/instance/0oa1invsync000000001/"));
  await own.close();
  const list = await visit(browser.context, consoleUrl("acme-admin.okta.com/admin/apps/active"));
  const all = (await badges(list)).filter((b) => b.id.startsWith("okta:oauth_app:"));
  await list.close();
  const read = all.filter((b) => b.id === "okta:oauth_app:0oa1invsync000000001");
  assert.equal(read.length, 1, JSON.stringify(all));
  assert.doesNotMatch(read[0].text, /permissions not read/);
  // Every other app says so exactly when no page read its grants (Datadog's own page is
  // visited by a later test only).
  const ext = await browser.context.newPage();
  await ext.goto(browser.extensionUrl("popup.html"));
  const { report } = await ask(ext, { type: "inventory", tenant: "okta:acme" });
  await ext.close();
  const unread = new Set(report.identities.filter((i) => i.grants_unread).map((i) => i.id));
  assert.ok(unread.has("okta:oauth_app:0oa1datadog000000003"), [...unread].join());
  for (const b of all) assert.equal(/ · permissions not read$/.test(b.text), unread.has(b.id), `${b.id}: ${b.text}`);
});

test("an Okta org in the EMEA cell is read as an inventory of its own, apart from the org of its name on okta.com", async () => {
  const namesake = await visit(browser.context, consoleUrl("acme-admin.okta.com/admin/access/api/tokens"));
  await namesake.close();
  const page = await visit(browser.context, consoleUrl("acme-admin.okta-emea.com/admin/access/api/tokens"));
  const found = await badges(page);
  await page.close();
  assert.ok(found.length > 0, "no badges in the EMEA cell");
  for (const b of found) assert.match(b.id, /^okta:api_token:[^@]+@okta-emea\.com$/);
  const ext = await browser.context.newPage();
  await ext.goto(browser.extensionUrl("popup.html"));
  const emea = await ask(ext, { type: "inventory", tenant: "okta:acme@okta-emea.com" });
  const own = await ask(ext, { type: "inventory", tenant: "okta:acme" });
  await ext.close();
  const tokens = emea.report.identities.filter((i) => i.id.startsWith("okta:api_token:")).map((i) => i.id);
  for (const b of found) assert.ok(tokens.includes(b.id), `${b.id} not in the EMEA inventory`);
  // The list's next page, which the page does not show, was fetched on the cell's host.
  assert.ok(tokens.includes("okta:api_token:00T1oldscript0000005@okta-emea.com"), tokens.join());
  const ownTokens = own.report.identities.filter((i) => i.id.startsWith("okta:api_token:")).map((i) => i.id);
  assert.deepEqual(ownTokens.map((id) => `${id}@okta-emea.com`).sort(), [...tokens].sort(), "the two orgs' tokens");
});

test("a directory in Entra's US Government cloud is read from its own Graph host, as an inventory apart from its namesake in the global service", async () => {
  const list = "#view/Microsoft_AAD_RegisteredApps/ApplicationsListBlade";
  const global = await visit(browser.context, consoleUrl(`entra.microsoft.com/${list}`));
  const globalBadges = await badges(global);
  await global.close();
  const page = await visit(browser.context, consoleUrl(`entra.microsoft.us/?graph=dod-graph.microsoft.us${list}`));
  const found = await badges(page);
  await page.close();
  assert.ok(found.length > 0, "no badges in the US Government cloud");
  assert.equal(found.length, globalBadges.length, "the same mock directory, the same apps");
  for (const b of found) assert.match(b.id, /^entra:[^@]+@entra\.microsoft\.us$/);
  const ext = await browser.context.newPage();
  await ext.goto(browser.extensionUrl("popup.html"));
  const gov = await ask(ext, { type: "inventory", tenant: "entra:acme-corporation@entra.microsoft.us" });
  const own = await ask(ext, { type: "inventory", tenant: "entra:acme-corporation" });
  await ext.close();
  const govIds = gov.report.identities.map((i) => i.id);
  for (const b of found) assert.ok(govIds.includes(b.id), `${b.id} not in the cloud's inventory`);
  const ownIds = own.report.identities.map((i) => i.id);
  assert.ok(!ownIds.some((id) => id.endsWith("@entra.microsoft.us")), "the global directory holds none of the cloud's apps");
  for (const b of globalBadges) assert.ok(govIds.includes(`${b.id}@entra.microsoft.us`), `${b.id} has no namesake in the cloud`);
});

/** What the popup shows for the tab on `url`: its summary's status, asked from `ext`. */
function tabStatus(ext, url) {
  return ext.evaluate(async (url) => {
    const [tab] = (await chrome.tabs.query({})).filter((t) => t.url === url);
    return JSON.parse(await chrome.runtime.sendMessage({ type: "tab_summary", tab_id: tab.id })).summary.status;
  }, url);
}

/** The tab's status once its list is no longer partial and holds more than `first` did (or 10 s on). */
async function statusOnceWhole(page, status, first) {
  let last = first;
  for (let i = 0; i < 100 && (last.partial || last.identities <= first.identities); i++) {
    await page.waitForTimeout(100);
    last = await status();
  }
  return last;
}

test("Enterprise applications paged on with the console's Load more are read whole, in the global service and in the US Government cloud, whose Graph links name its own host", async () => {
  const view = "#view/Microsoft_AAD_IAM/StartboardApplicationsMenuBlade/~/AppAppsPreview";
  for (const at of ["entra.microsoft.com/", "entra.microsoft.us/?graph=dod-graph.microsoft.us"]) {
    const url = consoleUrl(`${at}${view}`);
    const page = await visit(browser.context, url);
    const ext = await browser.context.newPage();
    await ext.goto(browser.extensionUrl("popup.html"));
    const status = () => tabStatus(ext, url);
    try {
      const first = await status();
      assert.equal(first.partial, true, `${at}: the first page of a longer list is not the whole of it: ${JSON.stringify(first)}`);
      const before = await page.locator("nhi-lens-badge").count();
      await page.click("button.ms-Button");
      await page.waitForFunction((n) => document.querySelectorAll("nhi-lens-badge").length > n, before, { timeout: 20000 });
      const last = await statusOnceWhole(page, status, first);
      assert.equal(last.partial, undefined, `${at}: the list was read to its end: ${JSON.stringify(last)}`);
      // The second page's apps, which only Load more brought, are read on the page too.
      assert.ok(last.identities > first.identities, JSON.stringify([first, last]));
    } finally {
      await ext.close();
      await page.close();
    }
  }
});

test("Snowsight's virtual users grid, which draws only the rows in view, is read whole once scrolled through: each screen's users stay, and the page is read in part until its last row has been shown", async () => {
  const url = consoleUrl("app.snowflake.com/us-west-2/virtual/#/admin/users");
  const page = await visit(browser.context, url);
  const ext = await browser.context.newPage();
  await ext.goto(browser.extensionUrl("popup.html"));
  const status = () => tabStatus(ext, url);
  const users = async () => {
    const { report } = await ask(ext, { type: "inventory", tenant: "snowflake:us-west-2/virtual" });
    return report.identities.map((i) => i.native_id).sort();
  };
  try {
    const first = await status();
    assert.equal(first.partial, true, `four rows of nine shown: ${JSON.stringify(first)}`);
    const firstScreen = await users();
    assert.equal(firstScreen.length, 4, String(firstScreen));
    // A screen at a time to its end, as an admin scrolls: the grid draws other rows each time.
    for (let screen = 0; screen < 3; screen++) {
      const before = await page.locator("[role=row][aria-rowindex]").last().getAttribute("aria-rowindex");
      await page.locator(".grid-viewport").evaluate((view) => { view.scrollTop += 160; });
      await page.waitForFunction((n) => document.querySelector("[role=row]:last-child")?.getAttribute("aria-rowindex") !== n, before);
      await settle(page);
    }
    const last = await statusOnceWhole(page, status, first);
    assert.equal(last.partial, undefined, `every row was shown: ${JSON.stringify(last)}`);
    const all = await users();
    assert.equal(all.length, 9, String(all));
    for (const name of firstScreen) assert.ok(all.includes(name), `${name}, on the first screen, stays: ${all}`);
    // The rows in view now have their badges.
    assert.ok((await badges(page)).length >= 4);
  } finally {
    await ext.close();
    await page.close();
  }
});

test("Atlassian's API token list, paged by the links.next in its body, is read in part until the admin pages to its last page", async () => {
  const url = consoleUrl("admin.atlassian.com/o/acme/api-token");
  const page = await visit(browser.context, url);
  const ext = await browser.context.newPage();
  await ext.goto(browser.extensionUrl("popup.html"));
  const status = () => tabStatus(ext, url);
  try {
    const first = await status();
    assert.equal(first.partial, true, `the first page of a longer list is not the whole of it: ${JSON.stringify(first)}`);
    await page.click("[data-testid$='--next']");
    await page.waitForFunction(() => [...document.querySelectorAll("td")].some((td) => td.textContent.includes("statuspage-sync")), null, { timeout: 20000 });
    const last = await statusOnceWhole(page, status, first);
    assert.equal(last.partial, undefined, `the list was read to its end: ${JSON.stringify(last)}`);
    assert.ok(last.identities > first.identities, JSON.stringify([first, last]));
    // Both pages' tokens are in the inventory.
    const { report } = await ask(ext, { type: "inventory", tenant: "atlassian:acme" });
    const names = report.identities.map((i) => i.name);
    for (const name of ["jira-release-script", "statuspage-sync", "bitbucket-mirror"]) assert.ok(names.includes(name), `${name}: ${names}`);
  } finally {
    await ext.close();
    await page.close();
  }
});

test("two Google Workspace organizations, one console host, are two inventories: the signed-in account's domain names each", async () => {
  const ids = (r) => r.report.identities.map((i) => i.id).sort();
  const first = await visit(browser.context, consoleUrl("admin.google.com/ac/owl/list?tab=apps"));
  await first.close();
  const ext = await browser.context.newPage();
  await ext.goto(browser.extensionUrl("popup.html"));
  const acme = await ask(ext, { type: "inventory", tenant: "google:acme.example" });
  assert.equal(acme.type, "inventory", JSON.stringify(acme).slice(0, 300));
  // The admin's account in another organization (Google's /u/1/): its page's apps are its own.
  const other = await visit(browser.context, consoleUrl("admin.google.com/ac/owl/list?tab=apps&account=globex"));
  const found = await badges(other);
  await other.close();
  assert.ok(found.length > 0, "no badges for the second organization");
  const globex = await ask(ext, { type: "inventory", tenant: "google:globex.example" });
  const acmeAgain = await ask(ext, { type: "inventory", tenant: "google:acme.example" });
  const { tenants } = await ask(ext, { type: "tenants" });
  await ext.close();
  assert.equal(globex.type, "inventory", JSON.stringify(globex).slice(0, 300));
  // The list's apps (the same mock), in an inventory of its own; what only the first
  // organization's other pages read (its domain-wide delegation clients) stays in its own.
  assert.deepEqual(ids(globex), found.map((b) => b.id).filter((id, i, all) => all.indexOf(id) === i).sort());
  for (const id of ids(globex)) assert.ok(ids(acme).includes(id), id);
  assert.ok(ids(acme).length > ids(globex).length, "nothing of the first organization's pages in the second's");
  assert.deepEqual(ids(acmeAgain), ids(acme), "the first organization's inventory is as it was");
  assert.ok(!tenants.some((t) => t.tenant === "google:admin.google.com"), "nothing kept under the shared host");
});

test("an installed GitHub App's own page gives its badge, on the page and in the list, what its permissions and repository access say", async () => {
  const badgeOf = async (path) => {
    const page = await visit(browser.context, consoleUrl(`github.com/organizations/acme/settings/${path}`));
    const found = (await badges(page)).filter((b) => b.id === "github:github_app:31002");
    const heading = await page.$$eval(".Subhead-heading nhi-lens-badge", (all) => all.length);
    await page.close();
    assert.equal(found.length, 1, `${path}: ${JSON.stringify(found)}`);
    return { ...found[0], heading };
  };
  // The list shows names only: its badges say the permissions were not read, but for an App
  // whose own page was read (this one's, read here or by an earlier test).
  const list = await visit(browser.context, consoleUrl("github.com/organizations/acme/settings/installations"));
  const others = (await badges(list)).filter((b) => b.id !== "github:github_app:31002");
  await list.close();
  assert.ok(others.length > 0);
  for (const b of others) assert.match(b.text, / · permissions not read$/, b.id);
  const own = await badgeOf("installations/31002");
  assert.doesNotMatch(own.text, /permissions not read/);
  assert.equal(own.heading, 1, "the badge sits in the page's heading, beside the App's name");
  // Admin permissions on every repository (NL301) and write across the organization (NL302).
  assert.equal(own.risk, "high");
  const ext = await browser.context.newPage();
  await ext.goto(browser.extensionUrl("popup.html"));
  const { report } = await ask(ext, { type: "inventory", tenant: "github:acme" });
  await ext.close();
  const renovate = report.identities.find((i) => i.id === "github:github_app:31002");
  assert.deepEqual(renovate.findings.map((f) => f.rule).filter((r) => r.startsWith("NL30")).sort(), ["NL301", "NL302"]);
  // The list, read again, keeps what the App's page said.
  const listed = await badgeOf("installations");
  assert.deepEqual([listed.risk, listed.score, listed.text], [own.risk, own.score, own.text]);
});

test("a GitLab token revoked or expired, listed under a live token's name, gets no badge of the live one's", async () => {
  const page = await visit(browser.context, consoleUrl("gitlab.com/groups/acme/-/settings/access_tokens"));
  const where = await page.$$eval("nhi-lens-badge", (all) => all.map((b) => b.closest("table").getAttribute("data-testid")));
  const inactive = await page.$$eval("[data-testid=inactive-access-tokens] tbody tr", (rows) => rows.map((r) => r.cells[0].textContent.trim()));
  await page.close();
  assert.deepEqual(inactive, ["deploy-bot", "old-exporter"]);
  assert.ok(where.length > 0);
  assert.deepEqual([...new Set(where)], ["active-tokens"]);
});

test("a Salesforce sandbox and a GitLab group whose path holds a dot are each read as an org of their own", async () => {
  const sandbox = await visit(browser.context, consoleUrl("acme--uat.sandbox.my.salesforce.com/identity/app/connectedAppsUsage.apexp"));
  const sandboxBadges = (await badges(sandbox)).length;
  await sandbox.close();
  // GitLab allows dots in a namespace's path: the mock's acme group served as `acme.io`.
  const group = await browser.context.newPage();
  await group.route(/\/gitlab\.com\/(groups\/|api\/v4\/groups\/)acme\.io\b/, async (route) => {
    const response = await route.fetch({ url: route.request().url().replace("acme.io", "acme") });
    const body = (await response.text()).replace('data-group-full-path="acme"', 'data-group-full-path="acme.io"');
    await route.fulfill({ response, body });
  });
  await group.goto(consoleUrl("gitlab.com/groups/acme.io/-/settings/access_tokens"), { waitUntil: "load" });
  await group.waitForSelector("nhi-lens-badge", { state: "attached", timeout: 20000 });
  const groupBadges = await badges(group);
  await group.close();
  const ext = await browser.context.newPage();
  await ext.goto(browser.extensionUrl("popup.html"));
  const uat = await ask(ext, { type: "inventory", tenant: "salesforce:acme--uat" });
  const dotted = await ask(ext, { type: "inventory", tenant: "gitlab:acme.io" });
  await ext.close();
  assert.ok(sandboxBadges > 0, "no badges on the sandbox's page");
  assert.equal(uat.type, "inventory", JSON.stringify(uat).slice(0, 200));
  assert.ok(uat.report.identities.length > 0);
  assert.equal(dotted.type, "inventory", JSON.stringify(dotted).slice(0, 200));
  assert.ok(groupBadges.length > 0 && groupBadges.every((b) => b.id.startsWith("gitlab:")));
  assert.ok(groupBadges.every((b) => dotted.report.identities.some((i) => i.id === b.id)), "a badge of an identity not in the group's inventory");
});

test("Lightning Setup frames the Salesforce OAuth usage page: its rows get their badges in the frame, of the org's inventory", async () => {
  const page = await visit(browser.context, consoleUrl("acme.lightning.force.com/lightning/setup/ConnectedAppsUsage/home"), { expectBadges: false });
  try {
    const frame = page.frames().find((f) => f.url().includes("/connectedAppsUsage.apexp"));
    assert.ok(frame, "the page frames no usage page");
    await frame.waitForSelector("nhi-lens-badge", { state: "attached", timeout: 20000 });
    const found = await badges(frame);
    assert.equal(await page.$$eval("nhi-lens-badge", (b) => b.length), 0, "a badge on Setup's own page");
    const ext = await browser.context.newPage();
    await ext.goto(browser.extensionUrl("popup.html"));
    const org = await ask(ext, { type: "inventory", tenant: "salesforce:acme" });
    await ext.close();
    assert.equal(org.type, "inventory");
    assert.ok(found.length > 0 && found.every((b) => org.report.identities.some((i) => i.id === b.id)), JSON.stringify(found.map((b) => b.id)));
  } finally {
    await page.close();
  }
});

test("a name written beside other elements of its cell gets its badge right after the name", async () => {
  const view = PAGES.find((p) => p.page === "entra.other_enterprise_app_views");
  const page = await visit(browser.context, consoleUrl(view.url));
  const placed = await page.$$eval("nhi-lens-badge", (all) =>
    all.map((b) => ({ cell: b.parentElement.cellIndex, after: b.previousSibling?.nodeType === Node.TEXT_NODE && b.nextElementSibling?.className === "chip" })),
  );
  await page.close();
  assert.ok(placed.length > 0, "no badges");
  for (const p of placed) assert.deepEqual(p, { cell: 0, after: true });
});

test("a row holding an action menu's list (GitHub's token list) is one row, badged", async () => {
  const page = await visit(browser.context, consoleUrl("github.com/organizations/acme/settings/personal-access-tokens/active"));
  try {
    const rows = await page.$$eval("ul[aria-label='Active tokens'] > li.Box-row", (all) =>
      all.map((row) => ({ menu: !!row.querySelector("[role=menu] li"), badges: row.querySelectorAll("nhi-lens-badge").length })));
    assert.ok(rows.some((r) => r.menu), "the mock draws a row with an action menu");
    assert.deepEqual(rows.map((r) => r.badges), rows.map(() => 1), JSON.stringify(rows));
    // Nothing in the menu is badged.
    assert.equal(await page.locator("[role=menu] nhi-lens-badge").count(), 0);
  } finally {
    await page.close();
  }
});

test("an IAM user who signs in and holds an access key: the row badges the person by their name and the key by its ID", async () => {
  const view = PAGES.find((p) => p.page === "aws.users_page");
  const page = await visit(browser.context, consoleUrl(view.url));
  const rowOf = (user) => page.$$eval("tbody tr", (rows, user) => {
    const row = rows.find((r) => r.cells[1]?.querySelector("a")?.textContent === user);
    return [...row.querySelectorAll("nhi-lens-badge")].map((b) => ({
      id: b.dataset.nhiId,
      cell: b.closest("td").cellIndex,
      after: b.previousElementSibling?.className || b.previousElementSibling?.localName,
    }));
  }, user);
  const alice = await rowOf("alice.ops");
  const terraform = await rowOf("terraform");
  await page.close();
  const arn = "arn:aws:iam::123456789012:user/alice.ops";
  assert.deepEqual(alice, [
    { id: `aws:user:${arn}`, cell: 1, after: "a" },
    { id: `aws:access_key:${arn}#access-keys`, cell: 8, after: "key-id" },
  ]);
  // A workload's two keys are the workload's: its row has one badge, by its name.
  assert.deepEqual(terraform.map((b) => [b.cell, b.after]), [[1, "a"]]);
});

test("a row badges a second identity only by an ID no count or name could be, and loses its badges once it names none", async () => {
  const aws = await visit(browser.context, consoleUrl("us-east-1.console.aws.amazon.com/iam/home#/users"));
  try {
    // jane.doe's row shows another user's name and alice.ops's access key ID, each alone in a cell.
    await aws.evaluate(() => {
      const row = [...document.querySelectorAll("tbody tr")].find((r) => r.cells[1].textContent.trim() === "jane.doe");
      for (const text of ["bob.admin", "AKIAQ3EGRD2XALICEOPS"]) row.insertCell().textContent = text;
    });
    await aws.waitForFunction(() => document.querySelector("tbody tr td:last-child nhi-lens-badge"), null, { timeout: 10000 });
    const jane = await aws.$$eval("tbody tr", (rows) => {
      const row = rows.find((r) => r.cells[1].textContent.trim().startsWith("jane.doe"));
      return [...row.querySelectorAll("nhi-lens-badge")].map((b) => [b.closest("td").textContent.replace(/\s+/g, " ").trim().split(" ")[0], b.dataset.nhiId.split(":")[1]]);
    });
    assert.deepEqual(jane, [["jane.doe", "user"], ["AKIAQ3EGRD2XALICEOPS", "access_key"]]);
  } finally {
    await aws.close();
  }
  const gitlab = await visit(browser.context, consoleUrl("gitlab.com/groups/acme/-/settings/access_tokens"));
  try {
    const ids = await gitlab.$$eval("[data-testid=active-tokens] nhi-lens-badge", (all) => all.map((b) => b.dataset.nhiId));
    const number = ids[1].split(":").pop();
    assert.match(number, /^\d+$/, "the second token's ID is a number");
    // The first row shows the second token's ID, a number a count could be; the second row's
    // name becomes one the inventory does not hold.
    await gitlab.evaluate((number) => {
      const rows = [...document.querySelectorAll("[data-testid=active-tokens] nhi-lens-badge")].map((b) => b.closest("tr"));
      rows[0].insertCell().textContent = number;
      const walker = document.createTreeWalker(rows[1], NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) if (n.data.trim()) { n.data = "someone-else"; break; }
    }, number);
    await gitlab.waitForFunction(() => [...document.querySelectorAll("[data-testid=active-tokens] tbody tr")][1]?.querySelector("nhi-lens-badge") === null, null, { timeout: 10000 });
    const first = await gitlab.$$eval("[data-testid=active-tokens] tbody tr", (rows) => [...rows[0].querySelectorAll("nhi-lens-badge")].map((b) => b.dataset.nhiId));
    assert.deepEqual(first, [ids[0]]);
  } finally {
    await gitlab.close();
  }
});

test("a webhook whose URL holds a credential is flagged, and the inventory keeps no value of it", async () => {
  const page = await visit(browser.context, consoleUrl("github.com/organizations/acme/settings/hooks"));
  const found = await badges(page);
  await page.close();
  const ext = await browser.context.newPage();
  await ext.goto(browser.extensionUrl("popup.html"));
  const { report } = await ask(ext, { type: "inventory", tenant: "github:acme" });
  const flagged = report.identities.filter((i) => i.findings.some((f) => f.rule === "NL901"));
  assert.deepEqual(flagged.map((i) => i.name), ["hooks.partner.example"]);
  // The inventory's list leaves the evidence to the identity's own page.
  assert.equal(flagged[0].findings.find((f) => f.rule === "NL901").evidence, undefined);
  const { identity } = await ask(ext, { type: "identity", tenant: "github:acme", id: flagged[0].id });
  await ext.close();
  const evidence = identity.findings.find((f) => f.rule === "NL901").evidence;
  assert.equal(evidence, "https://hooks.partner.example/in (credentials or query removed): the URL holds a user name or password before the host and the query parameter `token`");
  assert.equal(found.find((b) => b.id === flagged[0].id)?.risk, "high");
  assert.ok(!JSON.stringify([report, identity]).includes("FAKE-SECRET-MARKER"), "a credential's value reached the inventory");
  // Nor the page's snapshot the worker keeps (written after its answer: waited for).
  const stored = await browser.context.newPage();
  await stored.goto(browser.extensionUrl("popup.html"));
  let kept = "";
  for (let tries = 0; !kept.includes("hooks.partner.example") && tries < 50; tries++) {
    kept = await stored.evaluate(() => new Promise((resolve, reject) => {
      const opening = indexedDB.open("nhi-lens", 1);
      opening.onerror = () => reject(opening.error);
      opening.onsuccess = () => {
        const all = opening.result.transaction("captures").objectStore("captures").getAll();
        all.onsuccess = () => { resolve(all.result.map(String).join("\n")); opening.result.close(); };
        all.onerror = () => reject(all.error);
      };
    }));
    if (!kept.includes("hooks.partner.example")) await stored.waitForTimeout(100);
  }
  await stored.close();
  assert.ok(kept.includes("https://********@hooks.partner.example/in?token=********"), "the hooks page's snapshot is kept, masked");
  assert.ok(!kept.includes("FAKE-SECRET-MARKER"), "a credential's value was stored");
});

test("an Entra view that loads its list before its account menu names the directory keeps it in that directory's inventory", async () => {
  const view = PAGES.find((p) => p.page === "entra.other_enterprise_app_views");
  const page = await browser.context.newPage();
  // The menu names the directory 2 s after the view has drawn its list.
  const naming = "document.getElementById('tenant-name').textContent = tenant.displayName;";
  await page.route(/\/_mock\/entra\.js$/, async (route) => {
    const response = await route.fetch();
    const script = await response.text();
    assert.ok(script.includes(naming));
    await route.fulfill({ response, body: script.replace(naming, `setTimeout(() => { ${naming} }, 2000);`) });
  });
  await page.goto(consoleUrl(view.url), { waitUntil: "load" });
  await page.waitForSelector("table.apps-table tbody tr");
  assert.equal((await page.locator(".fxs-avatarmenu-tenant").textContent()).trim(), "", "the list came first");
  await page.waitForSelector("nhi-lens-badge", { state: "attached", timeout: 15000 });
  const shown = await page.$$eval("table.apps-table tbody tr", (rows) => rows.map((r) => r.cells[1].textContent));
  await page.close();
  const ext = await browser.context.newPage();
  await ext.goto(browser.extensionUrl("popup.html"));
  const { tenants } = await ask(ext, { type: "tenants" });
  const named = await ask(ext, { type: "inventory", tenant: "entra:acme-corporation" });
  await ext.close();
  assert.ok(!tenants.some((t) => t.tenant === "entra:entra.microsoft.com"), JSON.stringify(tenants));
  const inventory = JSON.stringify(named.report.identities);
  for (const appId of shown) assert.ok(inventory.includes(appId), `${appId} is not in the directory's inventory`);
});

test("a list the console loads in a JSON batch is read as if loaded alone, and the batch's other answers left alone", async () => {
  const view = PAGES.find((p) => p.page === "entra.other_enterprise_app_views");
  const page = await visit(browser.context, consoleUrl(view.url));
  const shown = await page.$$eval("table.apps-table tbody tr", (rows) => rows.map((r) => r.cells[1].textContent));
  const ext = await browser.context.newPage();
  await ext.goto(browser.extensionUrl("popup.html"));
  const reply = await ask(ext, { type: "inventory", tenant: "entra:acme-corporation" });
  await ext.close();
  await page.close();
  // The service principals' answer is kept as the call it answers (the request the tap saw names
  // it); the signed-in user's profile, a call no reader knows, and the batch itself are not.
  const sources = reply.report.inputs.map((i) => [i.source, i.format]);
  assert.ok(
    sources.some(([s, f]) => s === "https://graph.microsoft.com/v1.0/servicePrincipals?$top=6&$select=id,appId,displayName,servicePrincipalType,accountEnabled" && f === "entra.service_principals"),
    JSON.stringify(sources),
  );
  assert.ok(!sources.some(([s]) => s.includes("$batch") || s.includes("/me")), JSON.stringify(sources));
  assert.ok(shown.length > 0, "the view drew no rows");
  const inventory = JSON.stringify(reply.report.identities);
  for (const appId of shown) assert.ok(inventory.includes(appId), `${appId} is not in the inventory`);
});

test("an Okta admin page the table does not name reads the apps list it loads", async () => {
  const page = await visit(browser.context, consoleUrl("acme-admin.okta.com/admin/"));
  const badged = await page.$$eval("ul.dashboard-apps nhi-lens-badge", (all) => all.length);
  const ext = await browser.context.newPage();
  await ext.goto(browser.extensionUrl("popup.html"));
  const reply = await ask(ext, { type: "inventory", tenant: "okta:acme" });
  await ext.close();
  await page.close();
  const read = reply.report.inputs.filter((i) => i.source.endsWith("/api/v1/apps?limit=20"));
  assert.deepEqual(read.map((i) => i.format), ["okta.apps"]);
  assert.ok(badged > 0, "no badges in the dashboard's list");
  const visited = reply.pages.find((p) => p.url.endsWith("/acme-admin.okta.com/admin/"));
  assert.equal(visited?.page, "okta.other_admin_pages");
});

test("an Okta app page of a type no page names reads the app's grants, and the app's header gets its badge", async () => {
  const page = await visit(browser.context, consoleUrl("acme-admin.okta.com/admin/app/datadog/instance/0oa1datadog000000003/"));
  const header = await page.$$eval("[data-se=app-instance-header] nhi-lens-badge", (all) => all.map((b) => b.getAttribute("data-nhi-id")));
  await page.close();
  assert.equal(header.length, 1, JSON.stringify(header));
  assert.match(header[0], /^okta:[a-z_]+:0oa1datadog000000003$/);
});

test("an Okta admin page that loads no list NHI Lens reads still badges what the inventory holds", async () => {
  const apps = await visit(browser.context, consoleUrl("acme-admin.okta.com/admin/apps/active"));
  await apps.close();
  const page = await visit(browser.context, consoleUrl("acme-admin.okta.com/admin/group/00g1engineering000001"));
  const rows = await page.$$eval("nhi-lens-badge", (all) => all.map((b) => [b.closest("tr").cells[0].textContent.trim(), b.getAttribute("data-nhi-id")]));
  await page.close();
  assert.deepEqual(rows, [
    ["Inventory Sync", "okta:oauth_app:0oa1invsync000000001"],
    ["HR Provisioner", "okta:oauth_app:0oa1hrprov0000000002"],
  ]);
});

test("no console text ran as script and no page script failed", () => {
  assert.deepEqual(browser.dialogs, []);
  assert.deepEqual(browser.pageErrors.filter((e) => !e.includes("favicon")), []);
});

test("the badges carry what the background scored", async () => {
  const page = await visit(browser.context, consoleUrl("acme-admin.okta.com/admin/access/api/tokens"));
  const found = await badges(page);
  const ext = await browser.context.newPage();
  await ext.goto(browser.extensionUrl("popup.html"));
  const reply = await ask(ext, { type: "inventory", tenant: "okta:acme" });
  assert.equal(reply.type, "inventory", JSON.stringify(reply).slice(0, 300));
  const titles = new Map(reply.rules.map((r) => [r.rule, r.title]));
  // Each identity whole, with its findings' evidence (the inventory's list leaves it out).
  const byId = new Map();
  for (const { id } of reply.report.identities) {
    byId.set(id, (await ask(ext, { type: "identity", tenant: "okta:acme", id })).identity);
  }
  // Each badge's tooltip: its top open findings, `code title: evidence`, most points first.
  // The reasons come after the badges and are written when a tooltip opens, as under a pointer.
  const read = () => page.$$eval("nhi-lens-badge", (all) => all.map((b) => {
    b.dispatchEvent(new PointerEvent("pointerenter"));
    b.dispatchEvent(new PointerEvent("pointerleave"));
    return Array.from(b.shadowRoot.querySelectorAll(".tip div"), (d) => d.textContent);
  }));
  let tips = await read();
  for (let tries = 0; tips.flat().includes("Loading reasons…") && tries < 50; tries++) {
    await page.waitForTimeout(100);
    tips = await read();
  }
  let reasons = 0;
  found.forEach((b, n) => {
    const open = byId.get(b.id).findings.filter((f) => f.status === "open").sort((x, y) => y.points - x.points);
    assert.equal(tips[n].length, Math.min(3, open.length), `${b.id}: ${tips[n]}`);
    tips[n].forEach((line, k) => {
      const f = open.find((f) => line.startsWith(`${f.rule} ${titles.get(f.rule)}: `));
      assert.ok(f, `${b.id}: "${line}" names none of its findings`);
      assert.equal(f.points, open[k].points, `${b.id}: reasons out of order`);
      assert.ok(line.length <= 160 && (line.endsWith(f.evidence) || line.endsWith("…")), line);
      reasons++;
    });
  });
  assert.ok(reasons > 0, "no badge shows a reason");
  for (const b of found) {
    const identity = byId.get(b.id);
    assert.ok(identity, `${b.id} is not in the inventory`);
    assert.equal(b.risk, identity.risk.level);
    assert.equal(Number(b.score), identity.risk.score);
    assert.equal(b.owner, identity.owner ? identity.owner.name : "");
    assert.equal(b.ageDays, identity.age_days == null ? "" : String(identity.age_days));
  }
  // An owner who left says so on the badge, as in the side panel.
  const texts = await page.$$eval("nhi-lens-badge", (all) => all.map((b) => [b.dataset.nhiId, b.shadowRoot.querySelector(".more").textContent]));
  const left = texts.filter(([id]) => byId.get(id).owner?.status === "disabled");
  assert.ok(left.length > 0, "no badge of an owner who left");
  for (const [id, text] of left) assert.ok(text.startsWith(` · ${byId.get(id).owner.name} (disabled) · `), `${id}: ${text}`);
  // The second page of the token list, which the console never showed, was fetched in the
  // admin's session and is in the inventory too.
  assert.ok(reply.report.identities.length > found.length, "the rest of the paged list is missing");
  await page.close();
  await ext.close();
});

test("a badge's tooltip shows whole, over a console whose cells clip their content", async () => {
  // The mock Entra list clips each cell, as Fluent UI's does; the tooltip opens below the badge,
  // over the rows under it.
  const page = await visit(browser.context, consoleUrl("entra.microsoft.com/#view/Microsoft_AAD_RegisteredApps/ApplicationsListBlade"));
  try {
    await page.locator("nhi-lens-badge button").first().hover();
    const seen = await page.evaluate(() => {
      const host = document.querySelector("nhi-lens-badge");
      const tip = host.shadowRoot.querySelector(".tip");
      // Hit-testing sees only what is painted unclipped; the tooltip ignores the pointer, so
      // it takes it for the test.
      tip.style.pointerEvents = "auto";
      const r = tip.getBoundingClientRect();
      const corners = [[r.left + 2, r.top + 2], [r.right - 2, r.top + 2], [r.left + 2, r.bottom - 2], [r.right - 2, r.bottom - 2]];
      const hits = corners.map(([x, y]) => document.elementFromPoint(x, y) === host);
      tip.style.pointerEvents = "";
      return { width: r.width, height: r.height, hits, text: tip.querySelector("div").textContent };
    });
    assert.ok(seen.width > 100 && seen.height > 16, `no tooltip: ${JSON.stringify(seen)}`);
    assert.match(seen.text, /^NL\d{3} /);
    assert.deepEqual(seen.hits, [true, true, true, true], "the cell cuts the tooltip");
  } finally {
    await page.close();
  }
});

test("a badge that does not fit in its cell shows its risk, whole, and its owner and age in its tooltip", async () => {
  const fits = async (url) => {
    const page = await visit(browser.context, consoleUrl(url));
    try {
      // Badges are fitted in the frame after they are drawn.
      await page.waitForTimeout(200);
      return await page.$$eval("nhi-lens-badge", (all) =>
        all.map((b) => {
          const cell = b.parentElement.getBoundingClientRect();
          const button = b.shadowRoot.querySelector("button").getBoundingClientRect();
          return {
            compact: b.hasAttribute("data-compact"),
            inside: button.width > 0 && button.left >= cell.left - 1 && button.right <= cell.right + 1,
            shown: b.shadowRoot.querySelector("button").innerText.replace(/\s+/g, " ").trim(),
            who: getComputedStyle(b.shadowRoot.querySelector(".who")).display,
          };
        }));
    } finally {
      await page.close();
    }
  };
  // The enterprise applications list's name column is narrow; app registrations' is wide.
  const narrow = await fits("entra.microsoft.com/#view/Microsoft_AAD_IAM/StartboardApplicationsMenuBlade/~/AppAppsPreview");
  const wide = await fits("entra.microsoft.com/#view/Microsoft_AAD_RegisteredApps/ApplicationsListBlade");
  assert.ok(narrow.some((b) => b.compact), JSON.stringify(narrow));
  assert.ok(wide.some((b) => !b.compact), JSON.stringify(wide));
  for (const b of [...narrow, ...wide]) {
    assert.ok(b.inside, `a badge is cut by its cell: ${JSON.stringify(b)}`);
    if (b.compact) {
      assert.match(b.shown, /^(CRITICAL|HIGH|MEDIUM|LOW|NONE) \d+$/);
      assert.equal(b.who, "block", "a compact badge's tooltip names its owner and age");
    } else {
      assert.match(b.shown, / · /);
      assert.equal(b.who, "none");
    }
  }
});

test("the badges of a table reaching past the window's edge show their risk alone, and one that fits shows them whole", async () => {
  const measure = async (url) => {
    const page = await visit(browser.context, consoleUrl(url));
    try {
      await page.waitForTimeout(200);
      return await page.evaluate(() => {
        const all = [...document.querySelectorAll("nhi-lens-badge")];
        const table = all[0].closest("table");
        const width = table.offsetWidth;
        for (const b of all) b.style.display = "none";
        return { compact: all.filter((b) => b.hasAttribute("data-compact")).length, badges: all.length, width, bare: table.offsetWidth, window: innerWidth };
      });
    } finally {
      await page.close();
    }
  };
  // IAM's users list is sized to its content, wider than the window with no badge in it.
  const iam = await measure("us-east-1.console.aws.amazon.com/iam/home#/users");
  assert.ok(iam.bare > iam.window, JSON.stringify(iam));
  assert.equal(iam.compact, iam.badges, JSON.stringify(iam));
  // Two columns hold badges: each grows by a risk and a score, not a line of owner and age.
  assert.ok(iam.width - iam.bare < 300, JSON.stringify(iam));
  const fits = await measure("acme.my.salesforce.com/identity/app/connectedAppsUsage.apexp");
  assert.ok(fits.width <= fits.window && fits.badges > 0, JSON.stringify(fits));
  assert.equal(fits.compact, 0, JSON.stringify(fits));
});

test("no request left for any host but the console", async () => {
  // Closing the browser writes the network log.
  const network = await browser.close();
  closed = true;
  const consoleOrigin = new URL(BASE).origin;
  const ours = network.filter((r) => r.initiator === consoleOrigin || r.initiator.startsWith("chrome-extension://"));
  assert.ok(ours.length > 20, `only ${ours.length} requests logged`);
  const elsewhere = ours.filter((r) => new URL(r.url).origin !== consoleOrigin);
  assert.deepEqual(elsewhere, []);
  // Every mock console is served from the one origin, the first segment of its path naming its
  // host. What the extension fetched itself went to the API of a console whose list it paged on
  // through from the page the admin was on (Okta's, in its own cell and the EMEA one, and
  // GitLab's, whose pages it read show a first page): nowhere else.
  const fetched = ours.filter((r) => r.initiator.startsWith("chrome-extension://") && /^https?:/.test(r.url));
  assert.ok(fetched.length > 0, "no list was paged through");
  const paged = /^\/(acme-admin\.okta(-emea)?\.com\/api\/v1|gitlab\.com\/api\/v4)\//;
  assert.deepEqual(fetched.map((r) => r.url).filter((u) => !paged.test(new URL(u).pathname)), []);
});
