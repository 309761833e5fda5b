// Mock of the Microsoft Entra admin center: a single-page app routed on `location.hash`
// (`#view/<extension>/<blade>/~/<menu item>/appId/<appId>`), drawing Fluent UI details lists (ARIA
// grids of [role=row] rows and [role=gridcell] cells) from Microsoft Graph JSON it fetches from
// the mock Graph host (`/graph.microsoft.com/...`, or `?graph=`'s, relative to the server root so it goes through
// 127.0.0.1). Everything the JSON says is put on the page with textContent, never as markup.
//
// <body data-mock-layout="changed"> draws the lists as plain card lists instead (no grid): the
// layout a redesign could bring, which the extension must report as "this console page changed".
//
// `?reactviews` (before the hash): the App registrations list is a React view of the portal, drawn
// in a frame on a host of its own (`sandbox-1.reactblade.portal.azure.net`), which fetches Graph
// itself, as the Azure portal framework draws its React views. That frame's page runs this script
// too (<body data-reactview>, `?view=` naming the view), drawing the view alone.
'use strict';

(function () {
  // `?graph=HOST` (before the hash): the Graph host of another cloud (`dod-graph.microsoft.us`).
  const GRAPH = '/' + (new URLSearchParams(location.search).get('graph') || 'graph.microsoft.com');
  // `?slow=MS`: Graph answers the app lists this late (the server waits), as on a cold load; the
  // blade draws no grid until then.
  const SLOW = new URLSearchParams(location.search).get('slow');
  const changed = document.body.dataset.mockLayout === 'changed';
  const REACTVIEW = 'reactview' in document.body.dataset
    ? new URLSearchParams(location.search).get('view') : null;
  const REACTVIEWS = new URLSearchParams(location.search).has('reactviews');
  const blade = document.getElementById('blade');
  const crumbs = document.getElementById('breadcrumb');
  let tenantName = 'your organization';

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value !== null && value !== undefined) node.setAttribute(name, String(value));
    }
    for (const child of children) {
      if (child === null || child === undefined) continue;
      if (typeof child === 'string' || typeof child === 'number') {
        const span = document.createElement('span');
        span.textContent = String(child);
        node.appendChild(span);
      } else {
        node.appendChild(child);
      }
    }
    return node;
  }

  // An element whose own text is `text`: what the row finder matches on.
  function text(tag, attrs, value) {
    const node = el(tag, attrs);
    node.textContent = value === null || value === undefined ? '' : String(value);
    return node;
  }

  // Graph's JSON batching: the bodies of the answers, in the order asked.
  async function batch(urls) {
    const requests = urls.map((url, i) => ({ id: String(i + 1), method: 'GET', url }));
    const response = await fetch(GRAPH + '/v1.0/$batch', {
      method: 'POST',
      headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
      body: JSON.stringify({ requests }),
    });
    const { responses } = await response.json();
    return requests.map((r) => (responses.find((a) => a.id === r.id) || {}).body);
  }

  // `?keep` (before the hash): the mock keeps each Graph answer and draws a view it showed before
  // from what it kept, loading nothing, as the portal keeps its blades' data; and a home link loads
  // its view's list before the address changes, as the portal loads a blade before it shows it.
  const KEEP = new URLSearchParams(location.search).has('keep');
  const kept = new Map();

  async function graph(path) {
    if (KEEP && kept.has(path)) return kept.get(path);
    const headers = { Accept: 'application/json' };
    if (SLOW && path.startsWith('/v1.0/applications')) headers['X-Mock-Delay'] = SLOW;
    const response = await fetch(GRAPH + path, { headers });
    if (!response.ok) return null;
    const body = await response.json();
    if (KEEP) kept.set(path, body);
    return body;
  }

  function localDate(iso) {
    if (!iso) return '';
    const d = new Date(iso);
    if (Number.isNaN(d.getTime())) return '';
    return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()}`;
  }

  function breadcrumb(items) {
    crumbs.replaceChildren();
    for (const [label, href] of items) {
      const li = el('li', { class: 'fxs-breadcrumb-item' });
      li.appendChild(href ? text('a', { href }, label) : text('span', {}, label));
      crumbs.appendChild(li);
    }
  }

  function bladeHeader(title, subtitle) {
    const header = el('header', { class: 'fxs-blade-header' });
    header.appendChild(text('h2', { class: 'fxs-blade-title-titleText' }, title));
    if (subtitle) header.appendChild(text('div', { class: 'fxs-blade-title-subtitle' }, subtitle));
    return header;
  }

  // A Fluent UI DetailsList: columns are [key, label]; rows are objects of key -> text (or a node).
  function detailsList(label, columns, rows, empty, onRow) {
    if (changed) return cardList(label, columns, rows, empty);
    const grid = el('div', {
      class: 'ms-DetailsList is-horizontalConstrained',
      role: 'grid',
      'aria-label': label,
      'aria-rowcount': rows.length + 1,
      'aria-colcount': columns.length,
    });
    const head = el('div', { role: 'rowgroup', class: 'ms-DetailsList-headerWrapper' });
    const headRow = el('div', { role: 'row', class: 'ms-DetailsHeader', 'aria-rowindex': 1 });
    columns.forEach(([key, title], i) => {
      const cell = el('div', {
        role: 'columnheader',
        class: 'ms-DetailsHeader-cell',
        'aria-colindex': i + 1,
        'data-item-key': key,
      });
      cell.appendChild(text('span', { class: 'ms-DetailsHeader-cellName' }, title));
      headRow.appendChild(cell);
    });
    head.appendChild(headRow);
    grid.appendChild(head);
    const body = el('div', { role: 'rowgroup', class: 'ms-DetailsList-contentWrapper' });
    virtualList(body, rows.length, (r) => {
      const row = rows[r];
      const tr = el('div', {
        role: 'row',
        class: row._group ? 'ms-GroupHeader' : 'ms-DetailsRow',
        'aria-rowindex': r + 2,
        'data-selection-index': row._group ? null : r,
      });
      if (row._group) {
        tr.appendChild(text('div', { role: 'gridcell', class: 'ms-GroupHeader-title', 'aria-colspan': columns.length }, row._group));
      } else {
        columns.forEach(([key], i) => {
          const value = row[key];
          const attrs = { role: 'gridcell', class: 'ms-DetailsRow-cell', 'aria-colindex': i + 1, 'data-automation-key': key };
          tr.appendChild(value instanceof Node ? el('div', attrs, value) : text('div', attrs, value));
        });
        if (onRow) {
          tr.tabIndex = 0;
          tr.addEventListener('click', () => onRow(row));
        }
      }
      return tr;
    });
    grid.appendChild(body);
    const wrapper = el('div', { class: 'ms-DetailsList-wrapper' }, grid);
    if (rows.length === 0) wrapper.appendChild(text('div', { class: 'ms-DetailsList-emptyMessage' }, empty));
    return wrapper;
  }

  // Fluent UI's List (under every DetailsList) renders rows in pages of ten and only the pages
  // within a few screens of the view; the others are empty pages of the height they would take.
  // A list of thousands keeps a few hundred rows in the page, and rows come and go on scrolling.
  const PAGE_SIZE = 10;
  function virtualList(container, count, renderRow) {
    const list = el('div', { class: 'ms-List', role: 'presentation' });
    const surface = el('div', { class: 'ms-List-surface', role: 'presentation' });
    list.appendChild(surface);
    container.appendChild(list);
    const pages = [];
    for (let start = 0; start < count; start += PAGE_SIZE) {
      const page = el('div', { class: 'ms-List-page', role: 'presentation' });
      pages.push({ page, start, end: Math.min(count, start + PAGE_SIZE), shown: false });
      surface.appendChild(page);
    }
    // Rows are of one height (measured once drawn); pages not drawn take the height of theirs.
    let rowHeight = 37, measured = false, queued = false;
    const render = (top) => {
      // A view of no height (a window being resized, a screenshot) keeps what it has.
      const view = Math.max(window.innerHeight, 600);
      for (const p of pages) {
        const y = top + p.start * rowHeight;
        const wanted = y + (p.end - p.start) * rowHeight > -2 * view && y < 3 * view;
        if (wanted && !p.shown) {
          p.page.style.height = '';
          for (let i = p.start; i < p.end; i++) {
            const cell = el('div', { class: 'ms-List-cell', 'data-list-index': i });
            cell.appendChild(renderRow(i));
            p.page.appendChild(cell);
          }
          p.shown = true;
        } else if (!wanted && p.shown) {
          p.page.replaceChildren();
          p.shown = false;
        }
        if (!p.shown) p.page.style.height = `${(p.end - p.start) * rowHeight}px`;
      }
    };
    const update = () => {
      queued = false;
      if (!list.isConnected) {
        window.removeEventListener('scroll', onScroll);
        window.removeEventListener('resize', onScroll);
        return;
      }
      if (!measured && pages.length && pages[0].shown) {
        measured = true;
        rowHeight = pages[0].page.offsetHeight / (pages[0].end - pages[0].start) || rowHeight;
      }
      render(surface.getBoundingClientRect().top);
    };
    const onScroll = () => {
      if (!queued) { queued = true; requestAnimationFrame(update); }
    };
    // First drawn as if at the top of the view; placed once the list is in the page.
    render(0);
    window.addEventListener('scroll', onScroll, { passive: true });
    window.addEventListener('resize', onScroll);
    onScroll();
  }

  // The redesigned layout: cards, no grid, the same facts.
  function cardList(label, columns, rows, empty) {
    const list = el('ul', { class: 'entra-card-list', 'aria-label': label });
    for (const row of rows) {
      if (row._group) {
        list.appendChild(text('li', { class: 'entra-card-group' }, row._group));
        continue;
      }
      const card = el('li', { class: 'entra-card' });
      for (const [key, title] of columns) {
        const value = row[key];
        const line = el('p', { class: 'entra-card-field' });
        line.appendChild(text('b', {}, title + ': '));
        line.appendChild(value instanceof Node ? value : text('span', {}, value));
        card.appendChild(line);
      }
      list.appendChild(card);
    }
    if (rows.length === 0) list.appendChild(text('li', { class: 'entra-card-empty' }, empty));
    return list;
  }

  function show(...nodes) {
    blade.replaceChildren(...nodes);
    blade.setAttribute('aria-busy', 'false');
  }

  function credentialStatus(app) {
    const all = [...(app.passwordCredentials || []), ...(app.keyCredentials || [])];
    if (all.length === 0) return '-';
    const now = Date.now();
    const live = all.filter((c) => !c.endDateTime || new Date(c.endDateTime).getTime() > now);
    if (live.length === all.length) return 'Current';
    if (live.length === 0) return 'Expired';
    return `${all.length - live.length} expired`;
  }

  const appBlade = (menu, appId) =>
    `#view/Microsoft_AAD_RegisteredApps/ApplicationMenuBlade/~/${menu}/appId/${appId}/isMSAApp~/false`;
  const LIST = '#view/Microsoft_AAD_RegisteredApps/ApplicationsListBlade';
  const APPS = '/v1.0/applications?$top=50&$select=id,appId,displayName,createdDateTime,keyCredentials,passwordCredentials,publisherDomain,signInAudience';

  async function appRegistrations() {
    breadcrumb([['Home', '#home'], ['App registrations', null]]);
    const data = await graph(APPS);
    const apps = (data && data.value) || [];
    const rows = apps.map((app) => ({
      displayName: app.displayName,
      appId: app.appId,
      createdDateTime: localDate(app.createdDateTime),
      credentials: credentialStatus(app),
      _appId: app.appId,
    }));
    show(
      bladeHeader('App registrations'),
      text('div', { class: 'fxs-pivot', role: 'tablist' }, 'All applications'),
      detailsList(
        'App registrations',
        [
          ['displayName', 'Display name'],
          ['appId', 'Application (client) ID'],
          ['createdDateTime', 'Created on'],
          ['credentials', 'Certificates & secrets'],
        ],
        rows,
        'No applications found in this directory.',
        (row) => { location.hash = appBlade('Overview', row._appId); }
      )
    );
  }

  async function appById(appId) {
    const data = await graph(`/v1.0/applications?$filter=appId eq '${appId}'`);
    return ((data && data.value) || []).find((a) => a.appId === appId) || null;
  }

  // The app alone, by its app ID as the alternate key (`GET /applications(appId='…')`): one
  // object, not a list, as the Certificates & secrets blade loads it here.
  async function appByKey(appId) {
    const app = await graph(`/v1.0/applications(appId='${appId}')`);
    return app && app.appId === appId ? app : null;
  }

  function appCrumbs(app, menu) {
    breadcrumb([
      ['Home', '#home'],
      ['App registrations', LIST],
      [app.displayName, appBlade('Overview', app.appId)],
    ]);
    return bladeHeader(`${app.displayName} | ${menu}`, 'App registration');
  }

  function notFound(appId) {
    breadcrumb([['Home', '#home'], ['App registrations', LIST]]);
    show(bladeHeader('Application not found'), text('p', {}, `No application with the ID ${appId}.`));
  }

  async function appOverview(appId) {
    const app = await appById(appId);
    if (!app) return notFound(appId);
    const menu = el('ul', { class: 'fxs-menu', role: 'menu' });
    for (const [item, label] of [['Credentials', 'Certificates & secrets'], ['CallAnAPI', 'API permissions'], ['Owners', 'Owners']]) {
      const li = el('li', { role: 'none' });
      li.appendChild(text('a', { role: 'menuitem', href: appBlade(item, app.appId) }, label));
      menu.appendChild(li);
    }
    show(
      appCrumbs(app, 'Overview'),
      menu,
      el('dl', { class: 'essentials' },
        text('dt', {}, 'Application (client) ID'), text('dd', {}, app.appId),
        text('dt', {}, 'Object ID'), text('dd', {}, app.id))
    );
  }

  async function appCredentials(appId) {
    const app = await appByKey(appId);
    if (!app) return notFound(appId);
    const certs = (app.keyCredentials || []).map((c) => ({
      thumbprint: c.customKeyIdentifier || '',
      description: c.displayName || '',
      start: localDate(c.startDateTime),
      expires: localDate(c.endDateTime),
      keyId: c.keyId,
    }));
    const secrets = (app.passwordCredentials || []).map((c) => ({
      description: c.displayName || '',
      expires: localDate(c.endDateTime),
      value: `${c.hint || ''}${'*'.repeat(29)}`,
      keyId: c.keyId,
    }));
    show(
      appCrumbs(app, 'Certificates & secrets'),
      text('h3', {}, `Certificates (${certs.length})`),
      detailsList(
        'Certificates',
        [['thumbprint', 'Thumbprint'], ['description', 'Description'], ['start', 'Start date'], ['expires', 'Expires'], ['keyId', 'Certificate ID']],
        certs,
        'No certificates have been added for this application.'
      ),
      text('h3', {}, `Client secrets (${secrets.length})`),
      detailsList(
        'Client secrets',
        [['description', 'Description'], ['expires', 'Expires'], ['value', 'Value'], ['keyId', 'Secret ID']],
        secrets,
        'No client secrets have been created for this application.'
      )
    );
  }

  async function appPermissions(appId) {
    const app = await appById(appId);
    if (!app) return notFound(appId);
    const sps = await graph(`/v1.0/servicePrincipals?$filter=appId eq '${appId}'`);
    const sp = ((sps && sps.value) || []).find((s) => s.appId === appId) || null;
    let roles = [];
    let grants = [];
    if (sp) {
      const assigned = await graph(`/v1.0/servicePrincipals/${sp.id}/appRoleAssignments`);
      roles = (assigned && assigned.value) || [];
      const consented = await graph(`/v1.0/oauth2PermissionGrants?$filter=clientId eq '${sp.id}'`);
      grants = ((consented && consented.value) || []).filter((g) => g.clientId === sp.id);
    }
    const rows = [];
    for (const wanted of app.requiredResourceAccess || []) {
      const found = await graph(`/v1.0/servicePrincipals?$filter=appId eq '${wanted.resourceAppId}'`);
      const resource = ((found && found.value) || []).find((s) => s.appId === wanted.resourceAppId);
      const api = resource ? resource.displayName : wanted.resourceAppId;
      rows.push({ _group: `${api} (${wanted.resourceAccess.length})` });
      for (const access of wanted.resourceAccess) {
        const application = access.type === 'Role';
        const defs = resource ? (application ? resource.appRoles : resource.oauth2PermissionScopes) || [] : [];
        const def = defs.find((d) => d.id === access.id);
        const name = def ? def.value : access.id;
        const granted = application
          ? roles.some((r) => r.appRoleId === access.id && resource && r.resourceId === resource.id)
          : grants.some((g) => resource && g.resourceId === resource.id && g.consentType === 'AllPrincipals' &&
              (g.scope || '').split(' ').includes(name));
        rows.push({
          name,
          type: application ? 'Application' : 'Delegated',
          description: def ? def.adminConsentDisplayName || def.displayName || '' : '',
          adminConsent: application ? 'Yes' : 'No',
          status: granted ? `Granted for ${tenantName}` : `Not granted for ${tenantName}`,
        });
      }
    }
    show(
      appCrumbs(app, 'API permissions'),
      text('h3', {}, 'Configured permissions'),
      detailsList(
        'Configured permissions',
        [['name', 'API / Permissions name'], ['type', 'Type'], ['description', 'Description'], ['adminConsent', 'Admin consent required'], ['status', 'Status']],
        rows,
        'No permissions added.'
      )
    );
  }

  async function appOwners(appId) {
    const app = await appById(appId);
    if (!app) return notFound(appId);
    const data = await graph(`/v1.0/applications/${app.id}/owners?$select=id,displayName,userPrincipalName,mail,accountEnabled`);
    const owners = ((data && data.value) || []).map((o) => ({
      name: o.displayName || o.id,
      email: o.mail || o.userPrincipalName || '',
      type: (o['@odata.type'] || '').replace('#microsoft.graph.', '') === 'servicePrincipal' ? 'Service principal' : 'User',
    }));
    show(
      appCrumbs(app, 'Owners'),
      detailsList('Owners', [['name', 'Name'], ['email', 'Email'], ['type', 'Type']], owners, 'No owners found.')
    );
  }

  async function enterpriseApps() {
    breadcrumb([['Home', '#home'], ['Enterprise applications', null]]);
    const first = await graph(
      '/beta/servicePrincipals?$top=6&$count=true&$select=id,appId,displayName,appOwnerOrganizationId,homepage,createdDateTime,servicePrincipalType,tags,verifiedPublisher,accountEnabled'
    );
    const rows = [];
    const add = (page) => {
      for (const sp of (page && page.value) || []) {
        rows.push({ name: sp.displayName, id: sp.id, appId: sp.appId, homepage: sp.homepage || '', created: localDate(sp.createdDateTime) });
      }
    };
    add(first);
    const columns = [['name', 'Name'], ['id', 'Object ID'], ['appId', 'Application ID'], ['homepage', 'Homepage URL'], ['created', 'Created on']];
    const render = (next) => {
      const nodes = [
        bladeHeader('Enterprise applications | All applications'),
        text('div', { class: 'fxs-filter-pill' }, 'Application type == All applications'),
        detailsList('Enterprise applications', columns, rows, 'No applications found.'),
      ];
      if (next) {
        const more = text('button', { type: 'button', class: 'ms-Button' }, 'Load more');
        more.addEventListener('click', async () => {
          const page = await graph(next.replace(/^https:\/\/[^/]+/, ''));
          add(page);
          render(page && page['@odata.nextLink']);
        });
        nodes.push(more);
      }
      show(...nodes);
    };
    render(first && first['@odata.nextLink']);
  }

  // "All applications" as an older or newer admin center might draw it: a view no page of the
  // platform table names, in a plain table instead of a details list, loading the same Graph list;
  // each name shares its cell with a status chip.
  // It loads its list in a JSON batch, beside a call NHI Lens does not read, as the portal batches
  // many of its calls.
  async function allApplicationsTable() {
    breadcrumb([['Home', '#home'], ['All applications', null]]);
    const [, page] = await batch([
      '/me?$select=displayName',
      '/servicePrincipals?$top=6&$select=id,appId,displayName,servicePrincipalType,accountEnabled',
    ]);
    const table = el('table', { class: 'apps-table' });
    const head = el('tr', {}, text('th', {}, 'Name'), text('th', {}, 'Application ID'), text('th', {}, 'Type'));
    table.appendChild(el('thead', {}, head));
    const body = el('tbody', {});
    for (const sp of (page && page.value) || []) {
      // The name with a chip beside it in the same cell, as list views often write a status.
      const name = el('td', {});
      name.append(document.createTextNode(sp.displayName + ' '));
      name.appendChild(text('span', { class: 'chip' }, sp.accountEnabled === false ? 'Disabled' : 'Enabled'));
      body.appendChild(el('tr', {}, name, text('td', {}, sp.appId), text('td', {}, sp.servicePrincipalType || '')));
    }
    table.appendChild(body);
    show(bladeHeader('All applications'), table);
  }

  // The portal's frame of a React view, which draws (and loads) the view itself.
  function reactView(view, title) {
    breadcrumb([['Home', '#home'], [title, null]]);
    show(bladeHeader(title), el('iframe', {
      class: 'fxs-reactview', title,
      src: '/sandbox-1.reactblade.portal.azure.net/reactview.html?view=' + view,
    }));
  }

  function home() {
    breadcrumb([['Home', null]]);
    const links = el('ul', { class: 'fxs-home-links' });
    for (const [label, href] of [['App registrations', LIST], ['Enterprise applications', '#view/Microsoft_AAD_IAM/StartboardApplicationsMenuBlade/~/AppAppsPreview']]) {
      const li = el('li', {});
      const link = text('a', { href }, label);
      if (KEEP && href === LIST) {
        link.addEventListener('click', async (event) => {
          event.preventDefault();
          await graph(APPS);
          location.hash = LIST;
        });
      }
      li.appendChild(link);
      links.appendChild(li);
    }
    show(bladeHeader('Home'), links);
  }

  function route() {
    blade.setAttribute('aria-busy', 'true');
    const hash = decodeURIComponent(location.hash);
    let m;
    if (hash.startsWith('#view/Microsoft_AAD_RegisteredApps/ApplicationsListBlade')) {
      return REACTVIEWS ? reactView('appRegistrations', 'App registrations') : appRegistrations();
    }
    if ((m = hash.match(/^#view\/Microsoft_AAD_RegisteredApps\/ApplicationMenuBlade\/~\/(\w+)\/appId\/([0-9a-fA-F-]{36})/))) {
      const [, menu, appId] = m;
      if (menu === 'Credentials') return appCredentials(appId);
      if (menu === 'CallAnAPI') return appPermissions(appId);
      if (menu === 'Owners') return appOwners(appId);
      return appOverview(appId);
    }
    if (hash.startsWith('#view/Microsoft_AAD_IAM/StartboardApplicationsMenuBlade/~/AppAppsPreview')) return enterpriseApps();
    if (hash.startsWith('#view/Microsoft_AAD_IAM/StartboardApplicationsMenuBlade/~/AllApps')) return allApplicationsTable();
    return home();
  }

  async function start() {
    if (REACTVIEW === 'appRegistrations') return appRegistrations();
    const [org, me] = await Promise.all([
      graph('/v1.0/organization?$select=id,displayName'),
      graph('/v1.0/me?$select=displayName,userPrincipalName'),
    ]);
    const tenant = org && org.value && org.value[0];
    if (tenant) {
      tenantName = tenant.displayName;
      document.getElementById('tenant-name').textContent = tenant.displayName;
    }
    if (me) document.getElementById('signed-in-user').textContent = me.userPrincipalName;
    window.addEventListener('hashchange', route);
    await route();
  }

  start();
})();
