// Mock of Atlassian Administration › Insights › API token activity. Like the real single-page
// app, it loads the organisation's token list as JSON (the documented ApiTokenSearchResponse,
// through the Administration's /gateway/api proxy) and draws an Atlaskit dynamic table from it:
// rows keyed `api-tokens-table--row-{token id}`, every value set with textContent.
(function () {
  'use strict';
  var TEST_ID = 'api-tokens-table';
  var HEAD = ['Token name', 'Created by', 'Created', 'Last used', 'Expires', 'Actions'];

  // `/admin.atlassian.com/o/{orgId}/…` on the mock server, `/o/{orgId}/…` on the real host.
  var parts = window.location.pathname.split('/');
  var org = parts[parts.indexOf('o') + 1];
  var prefix = parts[1] === 'admin.atlassian.com' ? '/admin.atlassian.com' : '';
  var first = prefix + '/gateway/api/admin/api-access/v1/orgs/' + encodeURIComponent(org) + '/api-tokens';

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) {
      node.textContent = text;
    }
    return node;
  }

  function day(iso) {
    if (!iso) {
      return null;
    }
    var d = new Date(iso);
    if (isNaN(d.getTime())) {
      return null;
    }
    return d.toLocaleDateString('en-US', { month: 'short', day: 'numeric', year: 'numeric', timeZone: 'UTC' });
  }

  // The next page's URL, as the mock server serves it.
  function local(url) {
    var u = new URL(url, window.location.href);
    return prefix + u.pathname + u.search;
  }

  function render(page) {
    var root = document.getElementById('token-table');
    root.replaceChildren();
    root.removeAttribute('aria-busy');
    var tokens = Array.isArray(page.data) ? page.data : [];
    var table = el('table', { 'data-testid': TEST_ID + '--table' });
    var head = el('thead', { 'data-testid': TEST_ID + '--head' });
    var headRow = el('tr');
    HEAD.forEach(function (h) { headRow.appendChild(el('th', { 'data-testid': TEST_ID + '--head--cell' }, h)); });
    head.appendChild(headRow);
    table.appendChild(head);
    if (tokens.length > 0) {
      var body = el('tbody', { 'data-testid': TEST_ID + '--body' });
      tokens.forEach(function (t) {
        var user = t.user || {};
        var tr = el('tr', { 'data-testid': TEST_ID + '--row-' + t.id });
        var name = el('td', { 'data-testid': TEST_ID + '--cell-0' });
        name.appendChild(el('span', {}, t.label || ''));
        tr.appendChild(name);
        var by = el('td', { 'data-testid': TEST_ID + '--cell-1' });
        by.appendChild(el('div', {}, user.name || ''));
        var mail = el('div');
        mail.appendChild(el('small', {}, user.email || ''));
        by.appendChild(mail);
        tr.appendChild(by);
        tr.appendChild(el('td', { 'data-testid': TEST_ID + '--cell-2' }, day(t.createdAt) || ''));
        tr.appendChild(el('td', { 'data-testid': TEST_ID + '--cell-3' }, day(t.lastActiveAt) || 'Never'));
        tr.appendChild(el('td', { 'data-testid': TEST_ID + '--cell-4' }, day(t.expiresAt) || ''));
        var actions = el('td', { 'data-testid': TEST_ID + '--cell-5' });
        actions.appendChild(el('button', { type: 'button' }, 'Revoke'));
        tr.appendChild(actions);
        body.appendChild(tr);
      });
      table.appendChild(body);
    }
    root.appendChild(table);
    if (tokens.length === 0) {
      var empty = el('div', { 'data-testid': TEST_ID + '--empty-view' });
      empty.appendChild(el('p', {}, 'No API tokens to show'));
      root.appendChild(empty);
    }
    var links = page.links || {};
    if (links.next) {
      var next = el('button', { type: 'button', 'data-testid': TEST_ID + '--next' }, 'Next');
      next.addEventListener('click', function () { load(local(links.next)); });
      root.appendChild(next);
    }
  }

  function load(url) {
    fetch(url, { credentials: 'include', headers: { Accept: 'application/json' } })
      .then(function (r) {
        if (!r.ok) {
          throw new Error('HTTP ' + r.status);
        }
        return r.json();
      })
      .then(render)
      .catch(function (e) {
        var root = document.getElementById('token-table');
        root.replaceChildren(el('p', { role: 'alert' }, 'Something went wrong: ' + e.message));
      });
  }

  load(first);
})();
