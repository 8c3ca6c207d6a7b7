/*
 * The analyst's explorer: GraphiQL (the graphiql npm package's UMD build,
 * with React's) plus a "Saved investigations" panel. Plain browser
 * JavaScript: no build step, nothing fetched from outside this server.
 * /graphiql/explorer.json gives the API endpoint, the introspection query
 * to use and the investigations with their variables. Subscriptions run
 * over WebSocket on the same path (graphql-ws's browser client), so an
 * analyst can watch a live filter.
 */
(function () {
  'use strict';
  var h = React.createElement;
  var mount = document.getElementById('graphiql');
  var PLUGIN_TITLE = 'Saved investigations';
  var config = { endpoint: '/graphql', subscriptionEndpoint: '/graphql', introspectionQuery: null, investigations: [] };

  /** ws://host/graphql (wss:// on an https page): the page's own host, wherever it is served from. */
  function subscriptionUrl() {
    return (window.location.protocol === 'https:' ? 'wss:' : 'ws:') + '//' + window.location.host + config.subscriptionEndpoint;
  }

  /** Whether the operation GraphiQL runs is a subscription (the one named, or the only one). */
  function isSubscription(params, options) {
    var doc = options && options.documentAST;
    if (!doc) return /^\s*subscription\b/.test((params.query || '').replace(/#[^\n]*/g, ''));
    var ops = doc.definitions.filter(function (d) { return d.kind === 'OperationDefinition'; });
    var op = ops.filter(function (d) { return params.operationName ? d.name && d.name.value === params.operationName : true; })[0];
    return !!op && op.operation === 'subscription';
  }

  /** What a failed subscription shows in the result pane: its errors, or why the connection closed. */
  function failure(err) {
    if (Array.isArray(err)) return { errors: err };
    if (err && typeof err.code === 'number') return { errors: [{ message: 'connection closed: ' + err.code + ' ' + (err.reason || ''), extensions: { closeCode: err.code } }] };
    return { errors: [{ message: String((err && err.message) || err) }] };
  }

  /**
   * A subscription over WebSocket: credentials from the headers editor go in
   * connection_init's payload ({"x-api-key": ...} or {"Authorization": ...});
   * each event is one result, shown as it arrives. One connection per run,
   * closed when GraphiQL stops it.
   */
  function subscribe(params, headers) {
    return {
      subscribe: function (observer) {
        var client = graphqlWs.createClient({ url: subscriptionUrl(), connectionParams: headers, lazy: true, retryAttempts: 0 });
        var done = false;
        var finish = function () {
          if (done) return;
          done = true;
          client.dispose();
        };
        var stop = client.subscribe({ query: params.query, variables: params.variables, operationName: params.operationName }, {
          next: function (value) { observer.next(value); },
          error: function (err) { observer.next(failure(err)); observer.complete(); finish(); },
          complete: function () { observer.complete(); finish(); },
        });
        return { unsubscribe: function () { stop(); finish(); } };
      },
    };
  }

  /**
   * POSTs to the API with the headers of GraphiQL's headers editor (x-api-key
   * or Authorization). GraphiQL's own introspection query nests type
   * references deeper than the API's depth limit allows; the server's
   * (as deep as its schema needs) is sent instead.
   */
  function fetcher(params, options) {
    if (isSubscription(params, options)) return subscribe(params, (options && options.headers) || {});
    var body = params;
    if (params.operationName === 'IntrospectionQuery' && config.introspectionQuery) {
      body = { query: config.introspectionQuery, operationName: 'IntrospectionQuery' };
    }
    var headers = { 'content-type': 'application/json', accept: 'application/json' };
    var extra = (options && options.headers) || {};
    Object.keys(extra).forEach(function (k) { headers[k] = extra[k]; });
    return fetch(config.endpoint, { method: 'POST', headers: headers, body: JSON.stringify(body), credentials: 'same-origin' })
      .then(function (res) {
        return res.text().then(function (text) {
          try {
            var parsed = JSON.parse(text);
            if (params.operationName !== 'IntrospectionQuery') showResultTable(parsed);
            return parsed;
          } catch (e) {
            return { errors: [{ message: 'HTTP ' + res.status + ': ' + text.slice(0, 500) }] };
          }
        });
      });
  }

  // Set by the app when it renders: opens one investigation in a new tab.
  var openInvestigation = function () {};

  /**
   * The investigation's variables as the store answers them for this caller
   * (fill.js: windows ending at the newest event it is about, values the store
   * holds), asked with the headers of the headers editor; the index's own
   * when the store cannot be asked.
   */
  function filledVariables(inv, headersText) {
    var headers = {};
    try {
      headers = headersText ? JSON.parse(headersText) : {};
    } catch (e) {
      headers = {};
    }
    var post = function (body) { return fetcher(body, { headers: headers }); };
    if (!window.TrailgraphFill) return Promise.resolve(inv.variables);
    return window.TrailgraphFill.fillInvestigation(inv, post)
      .then(function (filled) { return filled.variables; })
      .catch(function () { return inv.variables; });
  }

  var HIDDEN_KEY = 'tg:investigations-hidden';
  function remember(key, value) {
    try {
      if (value) window.localStorage.setItem(key, '1');
      else window.localStorage.removeItem(key);
    } catch (e) { /* storage off: the choice lasts this visit */ }
  }
  function remembered(key) {
    try {
      return window.localStorage.getItem(key) === '1';
    } catch (e) {
      return false;
    }
  }

  /** The sidebar button that shows and hides the investigations (GraphiQL's own toggle). */
  function sidebarButton() {
    return document.querySelector('.graphiql-sidebar button[aria-label="Show ' + PLUGIN_TITLE + '"], .graphiql-sidebar button[aria-label="Hide ' + PLUGIN_TITLE + '"]');
  }

  function InvestigationsPanel() {
    // Shown again (from the sidebar): later visits open it again too.
    React.useEffect(function () { remember(HIDDEN_KEY, false); }, []);
    return h('section', { className: 'tg-investigations', 'aria-label': PLUGIN_TITLE },
      h('div', { className: 'tg-panel-head' },
        h('div', { className: 'graphiql-doc-explorer-title' }, PLUGIN_TITLE),
        h('button', {
          type: 'button', className: 'tg-collapse', title: 'Hide the investigations: the editor and the result share the width', 'aria-label': 'Hide investigations',
          onClick: function () { var b = sidebarButton(); if (b) b.click(); remember(HIDDEN_KEY, true); },
        }, '\u00ab Hide')),
      h('p', { className: 'tg-hint' },
        'Each opens in a new tab, with its variables ready to edit. ',
        'Credentials go in Headers: ', h('code', null, '{"x-api-key": "..."}'), ' or ', h('code', null, '{"Authorization": "Bearer ..."}'), '. ',
        'Subscriptions run live over ', h('code', { className: 'tg-subscription-url' }, subscriptionUrl()), '.'),
      h('ul', { className: 'tg-list' }, config.investigations.map(function (inv) {
        return h('li', { key: inv.id },
          h('button', { type: 'button', className: 'tg-investigation', 'data-investigation': inv.id, onClick: function () { openInvestigation(inv); } },
            h('span', { className: 'tg-title' }, inv.title),
            h('span', { className: 'tg-description' }, inv.description)));
      })));
  }

  function InvestigationsIcon() {
    return h('svg', { viewBox: '0 0 24 24', width: '1em', height: '1em', fill: 'none', stroke: 'currentColor', strokeWidth: 1.5, 'aria-hidden': 'true' },
      h('path', { d: 'M5 3h10l4 4v14H5z' }),
      h('path', { d: 'M8 11h8M8 14h8M8 17h5' }));
  }

  var INVESTIGATIONS_PLUGIN = { title: PLUGIN_TITLE, icon: InvestigationsIcon, content: InvestigationsPanel };
  var PLUGINS = [INVESTIGATIONS_PLUGIN];

  function variablesText(inv) {
    return typeof inv.variables === 'string' ? inv.variables : JSON.stringify(inv.variables, null, 2);
  }

  /** ?query=...&variables=... (what the dashboard's "Open in explorer" links carry), or null. */
  var URL_QUERY = (function () {
    var params = new URLSearchParams(window.location.search);
    return params.get('query') ? { query: params.get('query'), variables: params.get('variables') || undefined } : null;
  })();

  // The results table: a connection's nodes as rows, beside the JSON.
  var TABLE_KEY = 'tg:results-table';
  var tableOn = remembered(TABLE_KEY);
  var lastResult = null;

  /** The first connection in the data (an object with nodes, or edges of node), depth first. */
  function firstConnection(value, path) {
    if (!value || typeof value !== 'object') return null;
    if (!Array.isArray(value)) {
      if (Array.isArray(value.nodes)) return { path: path, rows: value.nodes };
      if (Array.isArray(value.edges) && value.edges.every(function (e) { return e && typeof e === 'object' && 'node' in e; })) {
        return { path: path, rows: value.edges.map(function (e) { return e.node; }) };
      }
    }
    var keys = Object.keys(value);
    for (var i = 0; i < keys.length; i++) {
      var found = firstConnection(value[keys[i]], path.concat(keys[i]));
      if (found) return found;
    }
    return null;
  }

  /** One row's cells: nested objects flattened to dotted names, lists as their JSON. */
  function flatten(node, prefix, out) {
    Object.keys(node || {}).forEach(function (k) {
      var v = node[k];
      var name = prefix ? prefix + '.' + k : k;
      if (v && typeof v === 'object' && !Array.isArray(v)) flatten(v, name, out);
      else out[name] = v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
    });
    return out;
  }

  function showResultTable(result) {
    lastResult = result;
    setTimeout(drawResultTable, 0);
  }

  function drawResultTable() {
    var pane = document.querySelector('.graphiql-response');
    if (!pane) return;
    var old = pane.querySelector('.tg-table-pane');
    if (old) old.remove();
    pane.classList.toggle('tg-with-table', tableOn);
    if (!tableOn) return;
    var box = document.createElement('div');
    box.className = 'tg-table-pane';
    var found = lastResult && lastResult.data ? firstConnection(lastResult.data, []) : null;
    if (!found || !found.rows.length) {
      box.appendChild(document.createTextNode(found ? 'The connection has no nodes.' : 'Run a query with a connection (nodes or edges) to see it as a table.'));
      box.classList.add('tg-table-empty');
    } else {
      var rows = found.rows.map(function (n) { return flatten(n, '', {}); });
      var cols = [];
      rows.forEach(function (r) { Object.keys(r).forEach(function (c) { if (cols.indexOf(c) < 0) cols.push(c); }); });
      var caption = document.createElement('div');
      caption.className = 'tg-table-caption';
      caption.textContent = found.path.join('.') + ': ' + rows.length + ' rows';
      var table = document.createElement('table');
      table.className = 'tg-results';
      var head = table.createTHead().insertRow();
      cols.forEach(function (c) { var th = document.createElement('th'); th.textContent = c; head.appendChild(th); });
      var body = table.createTBody();
      rows.forEach(function (r) {
        var tr = body.insertRow();
        cols.forEach(function (c) { var td = tr.insertCell(); td.textContent = r[c] === undefined ? '' : r[c]; td.title = td.textContent; });
      });
      box.appendChild(caption);
      box.appendChild(table);
    }
    pane.appendChild(box);
  }

  function TableToggle() {
    var on = React.useState(tableOn);
    return h('button', {
      type: 'button', className: 'graphiql-toolbar-button tg-table-toggle' + (on[0] ? ' active' : ''), 'aria-label': 'Show nodes as a table', 'aria-pressed': on[0] ? 'true' : 'false',
      title: "Show a connection's nodes as a table beside the JSON",
      onClick: function () { tableOn = !tableOn; remember(TABLE_KEY, tableOn); on[1](tableOn); drawResultTable(); },
    }, h('svg', { viewBox: '0 0 24 24', width: '1em', height: '1em', fill: 'none', stroke: 'currentColor', strokeWidth: 1.5, 'aria-hidden': 'true' },
      h('rect', { x: 3, y: 4, width: 18, height: 16, rx: 1 }), h('path', { d: 'M3 9h18M3 14h18M9 4v16' })));
  }

  /** Whether GraphiQL has tabs from an earlier visit (it keeps them in localStorage). */
  function hasStoredTabs() {
    try {
      return window.localStorage.getItem('graphiql:tabState') !== null;
    } catch (e) {
      return false;
    }
  }

  function App() {
    var first = config.investigations[0];
    // A first visit opens the first investigation; later visits find their own tabs.
    var initial = URL_QUERY && !hasStoredTabs() ? URL_QUERY : first && !hasStoredTabs() ? { query: first.query, variables: variablesText(first) } : {};
    var state = React.useState(initial);
    var editors = state[0];
    var setEditors = state[1];
    // The headers last seen in the headers editor: an investigation opens with the same credentials.
    var headers = React.useRef(undefined);

    openInvestigation = function (inv) {
      var carried = headers.current;
      filledVariables(inv, carried).then(function (variables) {
        // A tab of its own, made the way GraphiQL's "+" makes one; GraphiQL then
        // copies the query, variables and headers props into the new tab's
        // editors. Clearing them first makes it copy even when they repeat.
        var add = document.querySelector('.graphiql-tab-add');
        ReactDOM.flushSync(function () {
          if (add) add.click();
          setEditors({});
        });
        setEditors({ query: inv.query, variables: variablesText({ variables: variables }), headers: carried });
      });
    };

    React.useEffect(function () {
      // The first investigation opened on a first visit gets the store's variables too, once they are known.
      if (!editors.query || !first || editors.query !== first.query) return;
      filledVariables(first, headers.current).then(function (variables) {
        setEditors(function (current) {
          return current.query === first.query ? { query: current.query, variables: variablesText({ variables: variables }), headers: current.headers } : current;
        });
      });
    }, []);

    React.useEffect(function () {
      // Show the investigations on arrival (unless the analyst hid them), the
      // way a click on the sidebar does; GraphiQL draws its sidebar a moment
      // after mounting. A query in the URL (the dashboard's panels link here)
      // opens in a tab of its own.
      var tries = 0;
      var timer = setInterval(function () {
        var button = document.querySelector('.graphiql-sidebar button[aria-label="Show ' + PLUGIN_TITLE + '"]');
        if (button && !remembered(HIDDEN_KEY)) button.click();
        if (button || ++tries > 100) {
          clearInterval(timer);
          if (button && URL_QUERY && hasStoredTabs()) openInvestigation({ query: URL_QUERY.query, variables: URL_QUERY.variables });
        }
      }, 50);
      return function () { clearInterval(timer); };
    }, []);

    return h(GraphiQL, {
      fetcher: fetcher,
      plugins: PLUGINS,
      query: editors.query,
      variables: editors.variables,
      headers: editors.headers,
      onEditHeaders: function (value) { headers.current = value; },
      defaultEditorToolsVisibility: 'variables',
      isHeadersEditorEnabled: true,
      showPersistHeadersSettings: true,
    }, h(GraphiQL.Toolbar, null, function (tools) {
      // GraphiQL's own buttons, then the results table's.
      return h(React.Fragment, null, tools.prettify, tools.merge, tools.copy, h(TableToggle));
    }));
  }

  fetch(mount.getAttribute('data-config'), { credentials: 'same-origin' })
    .then(function (res) { return res.ok ? res.json() : {}; })
    .catch(function () { return {}; })
    .then(function (body) {
      Object.keys(body).forEach(function (k) { config[k] = body[k]; });
      ReactDOM.createRoot(mount).render(h(App));
    });
})();
