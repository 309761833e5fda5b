// Mock of the Admin console's app list (ac/owl/list). The table is in the page as the console
// draws it. With `broken=1` in the query the list is redrawn the way a future console might draw
// it (cards, no table or grid), for the "this console page changed" test:
// https://admin.google.com/ac/owl/list?tab=apps&broken=1
//
// With `pageSize=N` the table shows N rows a page at a time, in place (the URL does not change),
// and its pagination says which ("1–3 of 8") and pages on with its Next page button.
//
// With `account=NAME` Google's bar names another organization's signed-in account.
(function () {
  'use strict';
  var params = new URLSearchParams(window.location.search);
  // With `account=NAME` the page is signed in to another organization's account (an admin of
  // several, the second under /u/1/): Google's bar names name@NAME.example.
  var account = params.get('account');
  var link = document.querySelector('a[aria-label^="Google Account:"]');
  if (account && link) {
    link.setAttribute('aria-label', 'Google Account: ' + account + ' Admin (' + account + '@' + account + '.example)');
  }
  var size = Number(params.get('pageSize')) || 0;
  if (size > 0) {
    var body = document.querySelector('table tbody');
    var range = document.querySelector('[aria-label=Pagination] .a7LhSb');
    if (!body || !range) {
      return;
    }
    var rows = Array.prototype.slice.call(body.querySelectorAll('tr'));
    var show = function (first) {
      var last = Math.min(first + size, rows.length);
      body.replaceChildren.apply(body, rows.slice(first, last));
      range.textContent = (first + 1) + '\u2013' + last + ' of ' + rows.length;
      next.disabled = last >= rows.length;
      shown = first;
    };
    var shown = 0;
    var next = document.createElement('button');
    next.type = 'button';
    next.setAttribute('aria-label', 'Next page');
    next.textContent = '>';
    next.addEventListener('click', function () { show(shown + size); });
    range.parentNode.appendChild(next);
    show(0);
    return;
  }
  if (params.get('broken') !== '1') {
    return;
  }
  var table = document.querySelector('table');
  if (!table) {
    return;
  }
  var list = document.createElement('div');
  list.className = 'zXq1Rb';
  table.querySelectorAll('tbody tr').forEach(function (row) {
    var cells = row.querySelectorAll('td');
    var card = document.createElement('div');
    card.className = 'Wb7yLe';
    cells.forEach(function (cell) {
      var line = document.createElement('div');
      line.className = 'kX3mFd';
      line.textContent = cell.textContent.trim();
      card.appendChild(line);
    });
    list.appendChild(card);
  });
  table.replaceWith(list);
})();
