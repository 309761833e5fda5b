// Mock of the Admin console's app list (ac/owl/list). The table is in the page as the console
// draws it. With `broken=1` in the query the list is redrawn the way a future console might draw
// it (cards, no table or grid), for the "this console page changed" test:
// https://admin.google.com/ac/owl/list?tab=apps&broken=1
(function () {
  'use strict';
  var params = new URLSearchParams(window.location.search);
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
