// Mock of GitLab's access token and service account settings pages: a Vue-style app that fetches
// the REST API (`/gitlab.com/api/v4/...`, relative to the server root so it goes through 127.0.0.1)
// and draws a GlTable (bootstrap-vue: table[role=table], th[role=columnheader] > div > span,
// td[role=cell][data-label]) with textContent only. A list shows its first page; the response's
// `Link: <...>; rel="next"` header says where the next one is (the pagination loads it).
//
// <body data-mock-layout="changed"> mounts the app under another root element and draws cards: the
// layout a redesign could bring, which the extension must report as "this console page changed".
'use strict';

(function () {
  // The host's own API: gitlab.com's, or a self-managed instance's, under its relative URL root
  // if it has one (GitLab's pages know it from `gon.relative_url_root`; the mock from its logo's
  // link home, which the mock server writes under the instance's path).
  const home = document.querySelector('a.brand-logo');
  const API = (home ? home.getAttribute('href').replace(/\/$/, '') : '/' + location.pathname.split('/')[1]) + '/api/v4';
  const changed = document.body.dataset.mockLayout === 'changed';
  const page = document.body.dataset.page;
  const root = document.getElementById(changed ? 'js-access-tokens-list' : 'js-access-token-table-app') ||
    document.getElementById('js-service-accounts');
  // Like Vue 2 (`new Vue({ el })`), the token table app replaces the element it mounts on, its
  // data attributes with it.
  let mounted = root;
  function mount(content) {
    if (page === 'groups:settings:service_accounts:index' || changed) { root.replaceChildren(content); return; }
    const app = el('div', {}, content);
    mounted.replaceWith(app);
    mounted = app;
  }
  const ROLES = { 10: 'Guest', 15: 'Planner', 20: 'Reporter', 30: 'Developer', 40: 'Maintainer', 50: 'Owner' };

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value !== null && value !== undefined) node.setAttribute(name, String(value));
    }
    for (const child of children) if (child) node.appendChild(child);
    return node;
  }

  function text(tag, attrs, value) {
    const node = el(tag, attrs);
    node.textContent = value === null || value === undefined ? '' : String(value);
    return node;
  }

  const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  function userDate(iso) {
    const d = new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
    return `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, '0')}, ${d.getUTCFullYear()}`;
  }

  // GitLab's TimeAgoTooltip: a <time> with the exact time in `datetime` and `title`.
  function timeAgo(iso, never) {
    if (!iso) return text('span', {}, never);
    const t = text('time', { datetime: iso, title: userDate(iso), class: 'js-timeago' }, userDate(iso));
    return t;
  }

  async function api(path) {
    const response = await fetch(API + path, { headers: { Accept: 'application/json' } });
    if (!response.ok) return { body: null, next: null, total: null };
    const link = response.headers.get('Link') || '';
    const next = (link.match(/<([^>]+)>;\s*rel="next"/) || [])[1] || null;
    return { body: await response.json(), next, total: response.headers.get('X-Total') };
  }

  function glTable(label, columns, rows, empty) {
    if (changed) {
      const list = el('ul', { class: 'gl-list-cards', 'aria-label': label });
      for (const row of rows) {
        const card = el('li', { class: 'gl-card' });
        for (const [key, title] of columns) {
          const v = row[key];
          card.appendChild(el('div', {}, text('strong', {}, `${title}: `), v instanceof Node ? v : text('span', {}, v)));
        }
        list.appendChild(card);
      }
      if (rows.length === 0) list.appendChild(text('li', {}, empty));
      return list;
    }
    const table = el('table', {
      'data-testid': label.startsWith('Active') ? 'active-tokens' : label.startsWith('Inactive') ? 'inactive-access-tokens' : null,
      role: 'table', 'aria-busy': 'false', 'aria-colcount': columns.length,
      class: 'table b-table gl-table b-table-stacked-sm', 'aria-label': label,
    });
    const head = el('tr', { role: 'row' });
    columns.forEach(([key, title], i) => {
      head.appendChild(el('th', { role: 'columnheader', scope: 'col', 'aria-colindex': i + 1, class: `gl-table-th-${key}` },
        el('div', {}, text('span', {}, title))));
    });
    table.appendChild(el('thead', { role: 'rowgroup' }, head));
    const body = el('tbody', { role: 'rowgroup' });
    for (const row of rows) {
      const tr = el('tr', { role: 'row' });
      columns.forEach(([key, title], i) => {
        const v = row[key];
        const attrs = { role: 'cell', 'aria-colindex': i + 1, 'data-label': title };
        tr.appendChild(el('td', attrs, v instanceof Node ? v : text('div', {}, v)));
      });
      body.appendChild(tr);
    }
    if (rows.length === 0) {
      body.appendChild(el('tr', { role: 'row', class: 'b-table-empty-row' },
        el('td', { colspan: columns.length, role: 'cell' }, text('div', { role: 'alert', 'aria-live': 'polite' }, empty))));
    }
    table.appendChild(body);
    return table;
  }

  function card(title, count, ...content) {
    return el('section', { class: 'gl-new-card' },
      el('header', { class: 'gl-new-card-header' },
        text('h2', { class: 'gl-new-card-title' }, title),
        text('span', { class: 'gl-new-card-count' }, count)),
      el('div', { class: 'gl-new-card-body' }, ...content));
  }

  function pagination(next, load) {
    if (!next) return null;
    const b = text('button', { type: 'button', class: 'btn gl-button', 'aria-label': 'Go to next page' }, 'Next');
    b.addEventListener('click', () => load(next.replace(/^\/gitlab\.com\/api\/v4/, '')));
    return el('nav', { class: 'gl-pagination', 'aria-label': 'Pagination' }, b);
  }

  // The cells an active or an inactive token's row share.
  function tokenCells(t) {
    return {
      name: t.name,
      description: t.description || '',
      scopes: (t.scopes || []).join(', '),
      created: timeAgo(t.created_at, ''),
      lastUsed: timeAgo(t.last_used_at, 'Never'),
    };
  }

  async function accessTokens(kind, fullPath, path) {
    const id = encodeURIComponent(fullPath);
    const collection = kind === 'group' ? 'groups' : 'projects';
    // GitLab 17.x: the tokens the server rendered into the root, and no request.
    const rendered = root.dataset.initialActiveAccessTokens;
    let body = null, next = null, total = null;
    if (rendered && !path) body = JSON.parse(rendered);
    else {
      await api(`/${collection}/${id}`);
      const query = path || `/${collection}/${id}/access_tokens?page=1&per_page=${kind === 'group' ? 4 : 20}&state=active`;
      ({ body, next, total } = await api(query));
    }
    const tokens = body || [];
    const rows = tokens.map((t) => ({
      ...tokenCells(t),
      expires: t.expires_at ? timeAgo(t.expires_at, '') : text('span', {}, 'Never'),
      role: t.role || ROLES[t.access_level] || '',
      action: text('button', { type: 'button', class: 'btn btn-danger gl-button' }, 'Revoke'),
    }));
    const plural = root.dataset.accessTokenTypePlural || 'access tokens';
    mount(card(
      `Active ${plural}`, total || String(tokens.length),
      glTable(`Active ${plural}`,
        [['name', 'Token name'], ['description', 'Description'], ['scopes', 'Scopes'], ['created', 'Created'],
          ['lastUsed', 'Last Used'], ['expires', 'Expires'], ['role', 'Role'], ['action', 'Action']],
        rows, root.dataset.noActiveTokensMessage || 'No active tokens.'),
      pagination(next, (p) => accessTokens(kind, fullPath, p))
    ));
  }

  // GitLab 17.x's revoked and expired tokens (InactiveAccessTokenTableApp), from the page.
  function inactiveTokens() {
    const at = document.getElementById('js-inactive-access-token-table-app');
    if (!at || changed) return;
    const tokens = JSON.parse(at.dataset.initialInactiveAccessTokens || '[]');
    const rows = tokens.map((t) => ({
      ...tokenCells(t),
      expires: text('span', {}, t.revoked ? 'Revoked' : 'Expired'),
    }));
    const plural = at.dataset.accessTokenTypePlural || 'access tokens';
    at.replaceWith(card(`Inactive ${plural}`, String(tokens.length),
      glTable(`Inactive ${plural}`,
        [['name', 'Token name'], ['description', 'Description'], ['scopes', 'Scopes'], ['created', 'Created'],
          ['lastUsed', 'Last Used'], ['expires', 'Expires']],
        rows, at.dataset.noInactiveTokensMessage || 'No inactive tokens.')));
  }

  async function serviceAccounts(group) {
    const id = encodeURIComponent(group);
    const { body, total } = await api(`/groups/${id}/service_accounts?page=1&per_page=20&order_by=id&sort=desc`);
    const accounts = body || [];
    const rows = [];
    for (const account of accounts) {
      const { body: tokens } = await api(`/groups/${id}/service_accounts/${account.id}/personal_access_tokens`);
      const live = (tokens || []).filter((t) => t.active);
      rows.push({
        name: account.name,
        username: account.username,
        tokens: String(live.length),
        lastUsed: timeAgo(live.map((t) => t.last_used_at).filter(Boolean).sort().pop(), 'Never'),
      });
    }
    root.replaceChildren(card('Service accounts', total || String(accounts.length),
      glTable('Service accounts', [['name', 'Name'], ['username', 'Username'], ['tokens', 'Active tokens'], ['lastUsed', 'Last used']],
        rows, 'This group has no service accounts.')));
  }

  if (!root) return;
  inactiveTokens();
  if (page === 'groups:settings:access_tokens:index') accessTokens('group', document.body.dataset.groupFullPath);
  else if (page === 'projects:settings:access_tokens:index') accessTokens('project', document.body.dataset.projectFullPath);
  else if (page === 'groups:settings:service_accounts:index') serviceAccounts(document.body.dataset.groupFullPath);
})();
