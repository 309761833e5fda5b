'use strict';
// The IAM console's hash routes (#/users, #/credential_report), rendered from JSON the way the
// real console renders them from its own API (`/iam/api/…`). The users list's JSON is the mock's
// own aggregate of ListUsers, ListGroupsForUser, ListMFADevices and ListAccessKeys fields (the
// console's API is undocumented); the credential report is GetCredentialReport's documented shape
// (Content, ReportFormat, GeneratedTime). Text only: nothing from the data is parsed as HTML.
(function () {
  // The mock's clock, so the table reads the same every time; the console uses the real one.
  const NOW = Date.parse('2026-11-29T12:00:00Z');
  const COLUMNS = ['User name', 'Path', 'Groups', 'Last activity', 'MFA', 'Password age',
    'Console last sign-in', 'Access key ID', 'Active key age', 'Access key last used',
    'Creation time'];
  const app = document.getElementById('iam-app');
  const api = app.dataset.api;

  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) node.setAttribute(name, value);
    for (const child of children || []) {
      node.append(typeof child === 'string' ? document.createTextNode(child) : child);
    }
    return node;
  }

  function days(t) { return Math.floor((NOW - Date.parse(t)) / 86400000); }
  function ago(t) {
    const d = days(t);
    return d === 0 ? 'Today' : d === 1 ? 'Yesterday' : d + ' days ago';
  }
  function age(t) { const d = days(t); return d === 1 ? '1 day' : d + ' days'; }
  function latest(times) {
    return times.filter(Boolean).reduce((a, b) => (a && Date.parse(a) > Date.parse(b) ? a : b), null);
  }
  function earliest(times) {
    return times.filter(Boolean).reduce((a, b) => (a && Date.parse(a) < Date.parse(b) ? a : b), null);
  }

  function cell(user, column) {
    const keys = user.AccessKeys || [];
    const active = keys.filter((k) => k.Status === 'Active');
    const keyUse = latest(keys.map((k) => k.AccessKeyLastUsed && k.AccessKeyLastUsed.LastUsedDate));
    const password = Boolean(user.LoginProfile);
    switch (column) {
      case 'User name':
        return el('a', { href: '#/users/details/' + user.UserName }, [user.UserName]);
      case 'Path': return user.Path;
      case 'Groups':
        return user.Groups.length ? user.Groups.map((g) => g.GroupName).join(', ') : 'None';
      case 'Last activity': {
        const last = latest([user.PasswordLastUsed, keyUse]);
        return last ? ago(last) : 'Never';
      }
      case 'MFA': return user.MFADevices.length ? 'Virtual' : '-';
      case 'Password age': return password ? age(user.LoginProfile.CreateDate) : '-';
      case 'Console last sign-in':
        if (!password) return 'None';
        return user.PasswordLastUsed ? ago(user.PasswordLastUsed) : 'Never';
      case 'Access key ID':
        if (!keys.length) return '-';
        return keys.map((k) => el('div', {}, [
          el('span', { class: 'key-status' }, [k.Status]), ' - ',
          el('span', { class: 'key-id' }, [k.AccessKeyId]),
        ]));
      case 'Active key age':
        return active.length ? age(earliest(active.map((k) => k.CreateDate))) : '-';
      case 'Access key last used':
        if (!keys.length) return '-';
        return keyUse ? ago(keyUse) : 'Never';
      case 'Creation time': return ago(user.CreateDate);
      default: return '';
    }
  }

  // Cloudscape's table while its items load: the header, and one row spanning it that says so
  // (where the empty state says "No users").
  function loadingTable() {
    const t = table([]);
    t.querySelector('td').replaceChildren(el('div', { class: 'loading' }, [
      el('span', { class: 'spinner', role: 'img', 'aria-label': 'Loading' }, []),
      el('span', {}, ['Loading users']),
    ]));
    return t;
  }

  function table(users) {
    const head = el('tr', { 'aria-rowindex': '1' }, [
      el('th', { scope: 'col', class: 'selection' }, [
        el('input', { type: 'checkbox', 'aria-label': 'Select all users' }),
      ]),
      ...COLUMNS.map((c) => el('th', { scope: 'col' }, [el('span', {}, [c])])),
    ]);
    const rows = users.length ? users.map((user, i) => el('tr', { 'aria-rowindex': String(i + 2) }, [
      el('td', { class: 'selection' }, [
        el('input', { type: 'checkbox', 'aria-label': 'Select ' + user.UserName }),
      ]),
      ...COLUMNS.map((c) => {
        const content = cell(user, c);
        return el('td', {}, Array.isArray(content) ? content : [content]);
      }),
    ])) : [el('tr', { class: 'empty' }, [el('td', { colspan: String(COLUMNS.length + 1) }, [
      el('div', { class: 'empty-state' }, [
        el('b', {}, ['No users']), el('p', {}, ['There are no IAM users in this account.']),
      ]),
    ])])];
    return el('table', {
      role: 'table', 'aria-label': 'Users', 'aria-rowcount': String(users.length + 1),
      class: 'users-table',
    }, [el('thead', {}, [head]), el('tbody', {}, rows)]);
  }

  // The redesigned layout of the broken mock: cards, no table.
  function cards(users) {
    return el('ul', { class: 'user-cards' }, users.map((user) => el('li', { class: 'user-card' }, [
      el('h3', {}, [user.UserName]),
      el('p', {}, [(user.LoginProfile ? 'Console access' : 'Programmatic access') +
        ' · ' + (user.AccessKeys || []).length + ' access key(s)']),
    ])));
  }

  function load(path) {
    return fetch(api + path, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then((r) => (r.ok ? r.json() : Promise.reject(new Error('HTTP ' + r.status))));
  }

  function show(children) {
    app.replaceChildren(...children);
  }

  // `?pageSize=N` (before the hash): the table shows N users a page at a time under the same
  // URL, with Cloudscape's pagination (page-number buttons, the current one `aria-current`).
  const PAGE_SIZE = Number(new URLSearchParams(location.search).get('pageSize')) || 0;

  function pagination(pages, current, go) {
    const button = (label, text, page, extra) => {
      const b = el('button', Object.assign({ type: 'button', class: 'awsui_button_fvjdu_1', 'aria-label': label }, extra), [text]);
      if (page) b.addEventListener('click', () => go(page));
      return el('li', { class: 'awsui_page-item_fvjdu_2' }, [b]);
    };
    const numbers = [];
    for (let n = 1; n <= pages; n++) {
      numbers.push(button('Page ' + n + ' of all pages', String(n), n,
        { class: 'awsui_button_fvjdu_1 awsui_page-number_fvjdu_3', 'aria-current': String(n === current) }));
    }
    return el('ul', { class: 'awsui_root_fvjdu_4', 'aria-label': 'Pagination' }, [
      button('Previous page', '<', current > 1 ? current - 1 : 0, current > 1 ? {} : { disabled: '' }),
      ...numbers,
      button('Next page', '>', current < pages ? current + 1 : 0, current < pages ? {} : { disabled: '' }),
    ]);
  }

  function users() {
    show([el('div', { class: 'breadcrumbs' }, ['IAM > Users']), loadingTable()]);
    // A console slow to answer (`localStorage.iamMockDelay`, in ms): the loading table stays.
    const delay = Number(localStorage.getItem('iamMockDelay')) || 0;
    new Promise((done) => setTimeout(done, delay)).then(() => load('users')).then((data) => {
      const all = data.Users || [];
      const pages = PAGE_SIZE ? Math.ceil(all.length / PAGE_SIZE) : 1;
      const list = PAGE_SIZE ? all.slice(0, PAGE_SIZE) : all;
      const body = app.dataset.layout === 'cards' ? cards(list) : table(list);
      // Another page replaces the table's rows and the pagination, the URL unchanged.
      const pager = pages > 1 ? el('div', { class: 'tools' }, []) : null;
      const go = (page) => {
        const shown = table(all.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE));
        app.querySelector('table.users-table').replaceWith(shown);
        pager.replaceChildren(pagination(pages, page, go));
      };
      if (pager) pager.append(pagination(pages, 1, go));
      show([
        el('div', { class: 'breadcrumbs' }, ['IAM > Users']),
        el('div', { class: 'container' }, [
          el('div', { class: 'container-header' }, [
            el('h1', {}, ['Users ', el('span', { class: 'counter' }, ['(' + all.length + ')'])]),
            el('button', { type: 'button', class: 'primary' }, ['Create user']),
          ]),
          el('p', {}, ['An IAM user is an identity with long-term credentials that is used to ' +
            'interact with AWS in an account.']),
          el('input', { type: 'search', placeholder: 'Search', 'aria-label': 'Search users' }),
          ...(pager ? [pager] : []),
          body,
        ]),
      ]);
    }, (e) => show([el('p', { class: 'error' }, ['Could not load users: ' + e.message])]));
  }

  function credentialReport() {
    const status = el('p', { class: 'report-status' }, ['Loading the latest report…']);
    const download = el('button', { type: 'button', class: 'primary', disabled: 'disabled' },
      ['Download credentials report']);
    show([
      el('div', { class: 'breadcrumbs' }, ['IAM > Credential report']),
      el('div', { class: 'container' }, [
        el('h1', {}, ['Credential report']),
        el('p', {}, ['The credential report lists all your IAM users in this account and the ' +
          'status of their various credentials. After a report is created, it is stored for up ' +
          'to four hours.']),
        status, download,
      ]),
    ]);
    load('credentialreport').then((report) => {
      status.replaceChildren('Report generated ' + report.GeneratedTime + ' (' + report.ReportFormat + ')');
      download.removeAttribute('disabled');
      download.addEventListener('click', () => {
        const bytes = Uint8Array.from(atob(report.Content), (c) => c.charCodeAt(0));
        const link = el('a', {
          href: URL.createObjectURL(new Blob([bytes], { type: 'text/csv' })),
          download: 'status_reports_' + report.GeneratedTime.replace(/[:+]/g, '_') + '.csv',
        });
        link.click();
      });
    }, (e) => status.replaceChildren('Could not load the report: ' + e.message));
  }

  function dashboard() {
    show([el('div', { class: 'container' }, [
      el('h1', {}, ['IAM dashboard']),
      el('p', {}, [el('a', { href: '#/users' }, ['Users']), ' · ',
        el('a', { href: '#/credential_report' }, ['Credential report'])]),
    ])]);
  }

  function route() {
    const hash = location.hash.split('?')[0];
    if (hash === '#/users') users();
    else if (hash.startsWith('#/credential_report')) credentialReport();
    else dashboard();
  }

  window.addEventListener('hashchange', route);
  route();
})();
