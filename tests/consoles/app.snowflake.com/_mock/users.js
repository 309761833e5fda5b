'use strict';
// Snowsight's users grid, rendered from JSON the way the real console does (it loads the rows
// from its own query API, whose shape is not documented; the mock loads the documented REST API
// shape, GET /api/v2/users, instead). Text only: names from the data are never parsed as HTML.
(function () {
  // The mock's clock, so the grid reads the same every time; Snowsight uses the real one.
  const NOW = Date.parse('2026-11-29T12:00:00Z');
  const TYPES = { PERSON: 'Person', SERVICE: 'Service', LEGACY_SERVICE: 'Legacy service' };
  const COLUMNS = ['Name', 'Type', 'Owner', 'Default role', 'Has password', 'Has MFA',
    'Last login', 'Created', 'Status'];

  function plural(n, unit) {
    return n === 1 ? (unit === 'hour' ? '1 hour ago' : '1 ' + unit + ' ago') : n + ' ' + unit + 's ago';
  }

  function ago(text) {
    const s = Math.floor((NOW - Date.parse(text)) / 1000);
    if (s < 3600) return plural(Math.max(1, Math.floor(s / 60)), 'minute');
    if (s < 86400) return plural(Math.floor(s / 3600), 'hour');
    const days = Math.floor(s / 86400);
    if (days === 1) return 'yesterday';
    if (days < 30) return days + ' days ago';
    if (days < 365) return plural(Math.floor(days / 30), 'month');
    return plural(Math.floor(days / 365), 'year');
  }

  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) node.setAttribute(name, value);
    for (const child of children || []) {
      node.append(typeof child === 'string' ? document.createTextNode(child) : child);
    }
    return node;
  }

  function time(value) {
    return value ? el('span', { title: value }, [ago(value)]) : '—';
  }

  function cell(user, column) {
    switch (column) {
      case 'Name':
        return el('a', { href: '#/admin/users/' + encodeURIComponent(user.name) }, [user.name]);
      case 'Type': return (user.type && TYPES[user.type]) || '—';
      case 'Owner': return user.owner || '—';
      case 'Default role': return user.default_role || '—';
      case 'Has password': return user.has_password ? 'Yes' : 'No';
      case 'Has MFA': return user.has_mfa ? 'Yes' : 'No';
      case 'Last login': return time(user.last_successful_login);
      case 'Created': return time(user.created_on);
      case 'Status': return user.disabled ? 'Disabled' : 'Enabled';
      default: return '';
    }
  }

  // The grid of `users`, drawing those from `first` on (all, or `count` of them).
  function grid(users, first = 0, count = users.length) {
    const header = el('div', { role: 'row', class: 'grid-row', 'aria-rowindex': '1' },
      COLUMNS.map((c) => el('div', { role: 'columnheader', class: 'grid-header' }, [c])));
    const rows = users.slice(first, first + count).map((user, i) => el('div',
      { role: 'row', class: 'grid-row', 'aria-rowindex': String(first + i + 2) },
      COLUMNS.map((c) => el('div', { role: 'gridcell', class: 'grid-cell' }, [cell(user, c)]))));
    return el('div', {
      role: 'grid', 'aria-label': 'Users', 'aria-rowcount': String(users.length + 1),
      class: 'users-grid',
    }, [
      el('div', { role: 'rowgroup', class: 'grid-head' }, [header]),
      el('div', { role: 'rowgroup', class: 'grid-body' }, rows),
    ]);
  }

  // A virtual grid, as Snowsight's is [inferred]: only the rows in its scrolled view are in the
  // page, each with its place in the whole list (aria-rowindex), drawn again as it scrolls.
  const ROW_HEIGHT = 40;
  function virtualGrid(host, users, inView) {
    host.classList.add('grid-viewport');
    host.style.height = ROW_HEIGHT * (inView + 1) + 'px';
    let first = -1;
    const draw = () => {
      const top = Math.max(0, Math.min(users.length - inView, Math.floor(host.scrollTop / ROW_HEIGHT)));
      if (top === first) return;
      first = top;
      const drawn = grid(users, top, inView);
      // Room for the rows not drawn, so that the view scrolls over the whole list.
      drawn.style.marginTop = top * ROW_HEIGHT + 'px';
      drawn.style.marginBottom = (users.length - inView - top) * ROW_HEIGHT + 'px';
      host.replaceChildren(drawn);
    };
    host.addEventListener('scroll', draw);
    draw();
  }

  // The redesigned layout of the broken mock: cards, no grid.
  function cards(users) {
    return el('ul', { class: 'user-cards' }, users.map((user) => el('li', { class: 'user-card' }, [
      el('h3', {}, [user.name]),
      el('p', {}, [((user.type && TYPES[user.type]) || 'Person') + ' · ' + (user.owner || 'no owner')]),
    ])));
  }

  function show(users) {
    const gridHost = document.getElementById('users-grid');
    const cardHost = document.getElementById('users-cards');
    const inView = Number(document.getElementById('root').dataset.rowsInView || 0);
    if (gridHost && inView) {
      virtualGrid(gridHost, users, inView);
      gridHost.setAttribute('aria-busy', 'false');
    } else if (gridHost) {
      gridHost.replaceChildren(grid(users));
      gridHost.setAttribute('aria-busy', 'false');
    }
    if (cardHost) {
      cardHost.replaceChildren(cards(users));
      cardHost.setAttribute('aria-busy', 'false');
    }
  }

  const root = document.getElementById('root');
  fetch(root.dataset.api, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
    .then((r) => (r.ok ? r.json() : Promise.reject(new Error('HTTP ' + r.status))))
    .then(show)
    .catch((e) => {
      const host = document.getElementById('users-grid') || document.getElementById('users-cards');
      host.replaceChildren(el('p', { class: 'error' }, ['Could not load users: ' + e.message]));
    });
})();
