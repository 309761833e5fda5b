'use strict';
// app.snowflake.com/<account>/ is not an account URL: Snowsight's are /<org>/<account>/ or
// /<region>/<locator>/. The mock sends the short form (the URL pattern with its wildcard left
// empty) to the acme account in us-west-2, keeping the route.
(function () {
  const parts = location.pathname.split('/').filter(Boolean);
  const account = parts[parts.length - 1] || 'acme';
  const base = parts.slice(0, parts.length - 1).join('/');
  location.replace('/' + base + '/us-west-2/' + account + '/' + (location.hash || '#/admin/users'));
})();
