// Mock of the Okta Admin Console: Security › API › Tokens, Applications, and a service app's page.
// Each page fetches the org's /api/v1 REST API with the admin's session (here from the mock host:
// `/<org>-admin.okta.com/api/v1/...`, relative to the server root so it goes through 127.0.0.1) and
// draws a table with textContent only. A list shows its first page; the response's
// `Link: <...>; rel="next"` header says where the next one is ("Next" loads it).
//
// <body data-mock-layout="changed"> draws the lists as cards instead of the tables the extension
// knows: it must report "this console page changed".
'use strict';

(function () {
  const host = location.pathname.split('/')[1];
  const API = `/${host}/api/v1`;
  const page = document.body.dataset.mockPage;
  const changed = document.body.dataset.mockLayout === 'changed';
  const main = document.getElementById('page-body');

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

  function date(iso) {
    if (!iso) return text('span', {}, '');
    const d = new Date(iso);
    const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
    return text('time', { datetime: iso }, `${months[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()}`);
  }

  // How the mock loads the API's JSON, when the page's address asks for another way than fetch's
  // json() (`?read=stream` or `?read=xhr`): the browser tests see the extension read consoles
  // that load it in each of the ways clients do.
  const READ = new URLSearchParams(location.search).get('read');
  const nextOf = (link) => ((link || '').match(/<([^>]+)>;\s*rel="next"/) || [])[1] || null;

  // A client that reports download progress reads `response.body` a chunk at a time (Angular's
  // fetch backend does): it never calls json() or text().
  async function streamed(response) {
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let text = '';
    for (let part = await reader.read(); !part.done; part = await reader.read()) {
      text += decoder.decode(part.value, { stream: true });
    }
    return JSON.parse(text + decoder.decode());
  }

  // An XMLHttpRequest client (Angular's default backend, jQuery) reads the response as text.
  function requested(url) {
    return new Promise((resolve) => {
      const request = new XMLHttpRequest();
      request.open('GET', url);
      request.setRequestHeader('Accept', 'application/json');
      request.withCredentials = true;
      request.onload = () => resolve(request.status === 200
        ? { body: JSON.parse(request.responseText), next: nextOf(request.getResponseHeader('Link')) }
        : { body: null, next: null });
      request.onerror = () => resolve({ body: null, next: null });
      request.send();
    });
  }

  async function api(path) {
    if (READ === 'xhr') return requested(API + path);
    const response = await fetch(API + path, { headers: { Accept: 'application/json' }, credentials: 'include' });
    if (!response.ok) return { body: null, next: null };
    const next = nextOf(response.headers.get('Link'));
    return { body: await (READ === 'stream' ? streamed(response) : response.json()), next };
  }

  // A table: columns are [key, label]; rows map key -> string or node.
  function table(se, label, columns, rows, empty) {
    if (changed) {
      const list = el('div', { class: 'card-list', 'aria-label': label });
      for (const row of rows) {
        const card = el('div', { class: 'card' });
        for (const [key, title] of columns) {
          const v = row[key];
          card.appendChild(el('p', {}, text('b', {}, `${title}: `), v instanceof Node ? v : text('span', {}, v)));
        }
        list.appendChild(card);
      }
      if (rows.length === 0) list.appendChild(text('p', { class: 'empty' }, empty));
      return list;
    }
    const t = el('table', { class: 'data-list-table', 'data-se': se, 'aria-label': label });
    const head = el('tr', {});
    for (const [, title] of columns) head.appendChild(text('th', { scope: 'col' }, title));
    t.appendChild(el('thead', {}, head));
    const body = el('tbody', {});
    for (const row of rows) {
      const tr = el('tr', { 'data-se': 'row' });
      for (const [key] of columns) {
        const v = row[key];
        tr.appendChild(v instanceof Node ? el('td', {}, v) : text('td', {}, v));
      }
      body.appendChild(tr);
    }
    if (rows.length === 0) {
      body.appendChild(el('tr', { class: 'empty' }, text('td', { colspan: columns.length }, empty)));
    }
    t.appendChild(body);
    return t;
  }

  // The container the extension snapshots; the redesigned layout names it differently.
  function region(se, child) {
    return el('div', changed ? { class: `${se}-v2` } : { 'data-se': se, class: se }, child);
  }

  function nextButton(next, load) {
    if (!next) return null;
    const b = text('button', { type: 'button', class: 'button', 'data-se': 'next-page' }, 'Next');
    b.addEventListener('click', () => load(next.replace(new RegExp(`^/${host}/api/v1`), '')));
    return b;
  }

  function done(...nodes) {
    main.replaceChildren(...nodes.filter(Boolean));
    main.setAttribute('aria-busy', 'false');
  }

  async function tokens(path = '/api-tokens?limit=4') {
    const { body, next } = await api(path);
    const list = body || [];
    const ids = [...new Set(list.map((t) => t.userId).filter(Boolean))];
    const names = {};
    if (ids.length) {
      const filter = ids.map((id) => `id eq "${id}"`).join(' or ');
      const { body: users } = await api(`/users?filter=${filter}`);
      for (const u of users || []) names[u.id] = `${u.profile.firstName} ${u.profile.lastName}`;
    }
    const rows = list.map((t) => ({
      name: text('a', { href: `/${host}/admin/access/api/tokens/${t.id}` }, t.name),
      type: t.clientName,
      by: names[t.userId] || t.userId,
      created: date(t.created),
      expires: date(t.expiresAt),
      network: t.network && t.network.connection === 'ZONE' ? 'In zones' : 'Any IP',
    }));
    done(
      el('nav', { class: 'tabs', role: 'tablist' },
        text('a', { role: 'tab', href: '#' }, 'Authorization Servers'),
        text('a', { role: 'tab', 'aria-selected': 'true', href: '#' }, 'Tokens'),
        text('a', { role: 'tab', href: '#' }, 'Trusted Origins')),
      text('button', { type: 'button', class: 'button-primary' }, 'Create token'),
      region('api-token-list',
        table('api-tokens-table', 'API tokens',
          [['name', 'Token name'], ['type', 'Token type'], ['by', 'Created by'], ['created', 'Created'], ['expires', 'Expires'], ['network', 'Network']],
          rows, 'No tokens have been created.')),
      nextButton(next, tokens)
    );
  }

  async function apps(path = '/apps?limit=4') {
    const { body, next } = await api(path);
    const rows = (body || []).filter((a) => a.status === 'ACTIVE').map((a) => ({
      label: text('a', { href: `/${host}/admin/app/${a.name}/instance/${a.id}` }, a.label),
      signOn: a.signOnMode === 'OPENID_CONNECT' ? 'OIDC' : a.signOnMode === 'SAML_2_0' ? 'SAML 2.0' : a.signOnMode,
      status: 'Active',
      created: date(a.created),
    }));
    done(
      text('button', { type: 'button', class: 'button-primary' }, 'Create App Integration'),
      region('app-instance-list',
        table('app-instances-table', 'Applications',
          [['label', 'Application'], ['signOn', 'Sign-on method'], ['status', 'Status'], ['created', 'Created']],
          rows, 'No applications found.')),
      nextButton(next, apps)
    );
  }

  async function appInstance() {
    const parts = location.pathname.split('/');
    const at = parts.indexOf('instance');
    const appId = (parts[at + 1] || '').trim() || '0oa1invsync000000001';
    const [{ body: app }, { body: grants }, { body: secrets }] = await Promise.all([
      api(`/apps/${appId}`),
      api(`/apps/${appId}/grants`),
      api(`/apps/${appId}/credentials/secrets`),
    ]);
    if (!app) return done(text('p', {}, 'Application not found.'));
    document.getElementById('page-title').textContent = app.label;
    const client = (app.credentials && app.credentials.oauthClient) || {};
    const secretRows = (secrets || []).map((s) => ({
      created: date(s.created),
      // The console hides the value until "show" is clicked; the mock never shows it.
      secret: '••••••••••••••••••••',
      status: s.status === 'ACTIVE' ? 'Active' : 'Inactive',
    }));
    const granted = new Set((grants || []).filter((g) => g.status === 'ACTIVE').map((g) => g.scopeId));
    const scopes = ['okta.apps.read', 'okta.groups.manage', 'okta.logs.read', 'okta.users.manage', 'okta.users.read'];
    const scopeRows = scopes.map((s) => ({ scope: s, status: granted.has(s) ? 'Granted' : 'Not granted' }));
    done(
      el('div', { 'data-se': 'app-instance-header', class: 'app-instance-header' },
        text('h2', {}, app.label),
        text('span', { class: 'app-status' }, app.status === 'ACTIVE' ? 'Active' : 'Inactive')),
      el('div', { 'data-se': 'app-instance-tabs', class: 'tabs' },
        el('section', { 'data-se': 'tab-general' },
          text('h3', {}, 'Client Credentials'),
          el('dl', {}, text('dt', {}, 'Client ID'), text('dd', {}, client.client_id),
            text('dt', {}, 'Client authentication'), text('dd', {}, client.token_endpoint_auth_method)),
          client.token_endpoint_auth_method === 'private_key_jwt'
            ? text('p', {}, 'Public key / Private key')
            : el('div', {}, text('h3', {}, 'CLIENT SECRETS'),
              table('client-secrets-table', 'Client secrets',
                [['created', 'Creation date'], ['secret', 'Secret'], ['status', 'Status']], secretRows, 'No client secrets.'))),
        el('section', { 'data-se': 'tab-okta-api-scopes' },
          text('h3', {}, 'Okta API Scopes'),
          table('okta-api-scopes-table', 'Okta API Scopes', [['scope', 'Scope'], ['status', 'Status']], scopeRows, 'No scopes.')))
    );
  }

  // A card of the dashboard: the apps as a plain list, no table.
  async function dashboard() {
    const { body } = await api('/apps?limit=20');
    const list = el('ul', { class: 'dashboard-apps' });
    for (const a of body || []) {
      list.appendChild(el('li', {}, text('a', { href: `/${host}/admin/app/${a.name}/instance/${a.id}` }, a.label)));
    }
    done(el('section', { class: 'dashboard-card' }, text('h2', {}, 'Recently added apps'), list));
  }

  if (page === 'tokens') tokens();
  else if (page === 'dashboard') dashboard();
  else if (page === 'apps') apps();
  else if (page === 'app') appInstance();
})();
