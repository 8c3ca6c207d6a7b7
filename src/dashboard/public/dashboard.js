/*
 * The dashboard: panels drawn from the public GraphQL API with Chart.js (the
 * chart.js npm package's UMD build, served by this server). Plain browser
 * JavaScript, no build step. Each panel is one query; "Open in explorer"
 * opens it in /graphiql with its variables. Each panel says what it drew in
 * data-state (loading, drawn, empty, error) and data-drawn (points or rows).
 */
(function () {
  'use strict';
  var config = { endpoint: '/graphql', explorer: '/graphiql', maxSpanDays: 90, defaultWindowDays: 7 };
  var root = document.getElementById('panels');
  var charts = {};
  var DENIED = ['AccessDenied', 'AccessDeniedException', 'Client.UnauthorizedOperation', 'UnauthorizedOperation'];
  /** The built-in pack's "Console sign-in without MFA" (detections/console-login-without-mfa.yml). */
  var NO_MFA_RULE = '6a1c0c8e-0b0f-4d1c-9a53-7d3f8e1a0003';
  var COLORS = ['#3b82f6', '#f97316', '#10b981', '#a855f7', '#ef4444', '#eab308', '#06b6d4', '#ec4899', '#84cc16', '#64748b'];
  var LEVEL_COLORS = { critical: '#7f1d1d', high: '#dc2626', medium: '#f97316', low: '#eab308', informational: '#64748b' };

  var GROUPS = 'query TopGroups($filter: EventFilter, $groupBy: [EventDimension!]!) {\n  eventStats(groupBy: $groupBy, filter: $filter, limit: 10) { keys count }\n}';
  var OVER_TIME = 'query OverTime($filter: EventFilter, $bucket: TimeBucket) {\n  eventStats(groupBy: [], bucket: $bucket, filter: $filter, limit: 10000) { bucketStart count }\n}';

  var PANELS = [
    { id: 'activity', title: 'Activity over time', wide: true, query: OVER_TIME,
      variables: function (v) { return { filter: v.filter, bucket: v.bucket }; },
      draw: function (p, d, v) { return line(p, [{ label: 'events', rows: d.eventStats, color: COLORS[0] }], v); } },
    { id: 'range', title: "The store's range",
      query: 'query StoreRange($filter: EventFilter) {\n  eventStats(groupBy: [], bucket: DAY, filter: $filter, limit: 10000) { bucketStart count }\n}',
      variables: function (v) { return { filter: with_(v.accountFilter, { time: { from: iso(new Date(v.end.getTime() - config.maxSpanDays * 86400000)), to: iso(v.end) } }) }; },
      draw: function (p, d) { return range(p, d.eventStats); } },
    { id: 'errors', title: 'Errors and AccessDenied over time', wide: true,
      query: 'query ErrorsOverTime($errors: EventFilter, $denied: EventFilter, $bucket: TimeBucket) {\n  errors: eventStats(groupBy: [], bucket: $bucket, filter: $errors, limit: 10000) { bucketStart count }\n  denied: eventStats(groupBy: [], bucket: $bucket, filter: $denied, limit: 10000) { bucketStart count }\n}',
      variables: function (v) { return { errors: with_(v.filter, { hasError: true }), denied: with_(v.filter, { errorCodes: DENIED }), bucket: v.bucket }; },
      draw: function (p, d, v) { return line(p, [{ label: 'errors', rows: d.errors, color: COLORS[5] }, { label: 'AccessDenied', rows: d.denied, color: COLORS[4] }], v); } },
    { id: 'apis', title: 'Top APIs', query: GROUPS,
      variables: function (v) { return { filter: v.filter, groupBy: ['EVENT_NAME'] }; },
      draw: function (p, d) { return bars(p, d.eventStats, COLORS[0]); } },
    { id: 'principals', title: 'Top principals', query: GROUPS,
      variables: function (v) { return { filter: v.filter, groupBy: ['PRINCIPAL_ARN'] }; },
      draw: function (p, d) { return bars(p, d.eventStats, COLORS[3], shortArn); } },
    { id: 'ips', title: 'Top source IPs', query: GROUPS,
      variables: function (v) { return { filter: v.filter, groupBy: ['SOURCE_IP_ADDRESS'] }; },
      draw: function (p, d) { return bars(p, d.eventStats, COLORS[6]); } },
    { id: 'clients', title: 'Clients', query: GROUPS,
      variables: function (v) { return { filter: v.filter, groupBy: ['CLIENT_TOOL'] }; },
      draw: function (p, d) { return doughnut(p, d.eventStats); } },
    { id: 'root', title: 'Root activity', query: GROUPS,
      variables: function (v) { return { filter: with_(v.filter, { identityTypes: ['ROOT'] }), groupBy: ['EVENT_NAME'] }; },
      draw: function (p, d) { return bars(p, d.eventStats, COLORS[4]); } },
    { id: 'nomfa', title: 'Console sign-ins without MFA', wide: true,
      query: 'query ConsoleSignInsWithoutMfa($filter: EventFilter) {\n  events(first: 8, filter: $filter) {\n    nodes { eventTime recipientAccountId sourceIpAddress userIdentity { type arn } }\n  }\n}',
      variables: function (v) { return { filter: with_(v.filter, { detectionRuleIds: [NO_MFA_RULE] }) }; },
      draw: function (p, d) {
        return table(p, ['time', 'who', 'from', 'account'], d.events.nodes.map(function (e) {
          return [shortTime(e.eventTime), shortArn(e.userIdentity.arn || e.userIdentity.type), e.sourceIpAddress || '', e.recipientAccountId || ''];
        }));
      } },
    { id: 'detections', title: 'Detections by level', full: true,
      query: 'query Detections($filter: EventFilter) {\n  detections(filter: $filter) {\n    rule { id title level author builtIn attribution }\n    count principalCount firstSeen lastSeen\n  }\n}',
      variables: function (v) { return { filter: v.filter }; },
      draw: function (p, d) { return detections(p, d.detections); } },
  ];

  function with_(base, extra) {
    var out = {};
    Object.keys(base || {}).forEach(function (k) { out[k] = base[k]; });
    Object.keys(extra).forEach(function (k) { out[k] = extra[k]; });
    return out;
  }
  function iso(d) { return d.toISOString().replace(/\.\d{3}Z$/, 'Z'); }
  function shortTime(t) { return t.replace('T', ' ').replace(/:\d\dZ$|Z$/, ''); }
  function shortArn(a) {
    if (!a) return '(unknown)';
    var m = /^arn:[^:]+:[^:]*:[^:]*:(\d*):(.*)$/.exec(a);
    return m ? (m[1] ? m[1].slice(-4) + ' ' : '') + m[2] : a;
  }
  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { if (k === 'text') e.textContent = attrs[k]; else e.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) { if (c) e.appendChild(c); });
    return e;
  }

  /** Headers from the credential field: a bearer token (or a JWT) as Authorization, anything else as x-api-key. */
  function headers() {
    var h = { 'content-type': 'application/json', accept: 'application/json' };
    var c = document.getElementById('credential').value.trim();
    if (/^bearer\s+/i.test(c)) h.authorization = c;
    else if (/^[\w-]+\.[\w-]+\.[\w-]+$/.test(c)) h.authorization = 'Bearer ' + c;
    else if (c) h['x-api-key'] = c;
    return h;
  }

  function gql(query, variables) {
    return fetch(config.endpoint, { method: 'POST', headers: headers(), body: JSON.stringify({ query: query, variables: variables }), credentials: 'same-origin' })
      .then(function (res) { return res.json(); });
  }

  function explorerUrl(panel, vars) {
    return config.explorer + '?query=' + encodeURIComponent(panel.query) + '&variables=' + encodeURIComponent(JSON.stringify(vars, null, 2));
  }

  function chartIn(p, type, data, options) {
    if (charts[p.id]) charts[p.id].destroy();
    var canvas = el('canvas', { 'aria-label': p.title, role: 'img' });
    p.body.appendChild(el('div', { class: 'tg-chart' }, [canvas]));
    var base = { animation: false, responsive: true, maintainAspectRatio: false, plugins: { legend: { display: false } } };
    charts[p.id] = new Chart(canvas, { type: type, data: data, options: Object.assign(base, options || {}) });
  }

  function bucketLabel(t, v) {
    var s = shortTime(t);
    return v.bucket === 'DAY' ? s.slice(5, 10) : s.slice(5, 13) + 'h';
  }

  /** Every bucket of the window, zero where nothing happened, so gaps read as gaps. */
  function series(rows, v) {
    var step = v.bucket === 'DAY' ? 86400000 : 3600000;
    var counts = {};
    rows.forEach(function (r) { counts[new Date(r.bucketStart).getTime()] = r.count; });
    var out = [];
    for (var t = Math.floor(v.from.getTime() / step) * step; t < v.end.getTime(); t += step) out.push({ t: t, n: counts[t] || 0 });
    return out;
  }

  function line(p, sets, v) {
    var points = sets.reduce(function (a, s) { return a + s.rows.length; }, 0);
    if (!points) return 0;
    var labels = series(sets[0].rows, v).map(function (x) { return bucketLabel(new Date(x.t).toISOString(), v); });
    chartIn(p, 'line', {
      labels: labels,
      datasets: sets.map(function (s) {
        return { label: s.label, data: series(s.rows, v).map(function (x) { return x.n; }), borderColor: s.color, backgroundColor: s.color + '33', fill: true, pointRadius: 0, borderWidth: 1.5, tension: 0.25 };
      }),
    }, { plugins: { legend: { display: sets.length > 1, position: 'top', align: 'end', labels: { boxWidth: 10 } } }, scales: { x: { ticks: { maxTicksLimit: 10, maxRotation: 0 } }, y: { beginAtZero: true } } });
    return points;
  }

  function bars(p, rows, color, label) {
    if (!rows.length) return 0;
    chartIn(p, 'bar', {
      labels: rows.map(function (r) { var k = r.keys[0]; return (label ? label(k) : k) || '(none)'; }),
      datasets: [{ data: rows.map(function (r) { return r.count; }), backgroundColor: color, borderRadius: 3 }],
    }, { indexAxis: 'y', scales: { x: { beginAtZero: true }, y: { ticks: { autoSkip: false, font: { size: 11 } } } } });
    return rows.length;
  }

  function doughnut(p, rows) {
    if (!rows.length) return 0;
    chartIn(p, 'doughnut', {
      labels: rows.map(function (r) { return r.keys[0] || '(none)'; }),
      datasets: [{ data: rows.map(function (r) { return r.count; }), backgroundColor: COLORS, borderWidth: 1 }],
    }, { plugins: { legend: { display: true, position: 'right', labels: { boxWidth: 10, font: { size: 11 } } } } });
    return rows.length;
  }

  function table(p, head, rows) {
    if (!rows.length) return 0;
    p.body.appendChild(el('table', { class: 'tg-table' }, [
      el('thead', {}, [el('tr', {}, head.map(function (h) { return el('th', { text: h }); }))]),
      el('tbody', {}, rows.map(function (r) { return el('tr', {}, r.map(function (c) { return el('td', { text: c, title: c }); })); })),
    ]));
    return rows.length;
  }

  function detections(p, list) {
    if (!list.length) return 0;
    var levels = ['critical', 'high', 'medium', 'low', 'informational'];
    var byLevel = levels.map(function (l) { return list.filter(function (d) { return (d.rule.level || 'informational') === l; }).reduce(function (a, d) { return a + d.count; }, 0); });
    var wrap = el('div', { class: 'tg-split' });
    p.body.appendChild(wrap);
    var left = { id: p.id, title: p.title, body: el('div', { class: 'tg-half' }) };
    wrap.appendChild(left.body);
    chartIn(left, 'bar', { labels: levels, datasets: [{ data: byLevel, backgroundColor: levels.map(function (l) { return LEVEL_COLORS[l]; }), borderRadius: 3 }] }, { scales: { y: { beginAtZero: true } } });
    var right = { body: el('div', { class: 'tg-half tg-scroll' }) };
    wrap.appendChild(right.body);
    table(right, ['rule', 'level', 'events', 'principals'], list.slice(0, 12).map(function (d) {
      return [d.rule.title + (d.rule.builtIn ? '' : ' (Sigma, by ' + (d.rule.author || 'unknown') + ')'), d.rule.level || '', String(d.count), String(d.principalCount)];
    }));
    return list.length;
  }

  function range(p, rows) {
    var days = rows.filter(function (r) { return r.count > 0; });
    if (!days.length) return 0;
    var total = days.reduce(function (a, r) { return a + r.count; }, 0);
    var stat = function (label, value) { return el('div', { class: 'tg-stat' }, [el('div', { class: 'tg-stat-value', text: value }), el('div', { class: 'tg-stat-label', text: label })]); };
    p.body.appendChild(el('div', { class: 'tg-stats' }, [
      stat('first day', days[0].bucketStart.slice(0, 10)),
      stat('last day', days[days.length - 1].bucketStart.slice(0, 10)),
      stat('events', total.toLocaleString('en')),
      stat('days with events', String(days.length)),
    ]));
    p.body.appendChild(el('p', { class: 'tg-note', text: 'Within the ' + config.maxSpanDays + ' days before the window\'s end (the longest window the API reads).' }));
    return days.length;
  }

  function view() {
    var span = Number(document.getElementById('span').value);
    var endText = document.getElementById('end').value;
    var end = endText ? new Date(endText + 'Z') : new Date();
    var from = new Date(end.getTime() - span * 86400000);
    var account = document.getElementById('account').value;
    var accountFilter = account ? { accountIds: [account] } : {};
    return { end: end, from: from, bucket: span <= 7 ? 'HOUR' : 'DAY', accountFilter: accountFilter, filter: with_(accountFilter, { time: { from: iso(from), to: iso(end) } }) };
  }

  function build() {
    PANELS.forEach(function (panel) {
      var link = el('a', { class: 'tg-open', target: '_blank', rel: 'noopener', text: 'Open in explorer' });
      var body = el('div', { class: 'tg-body' });
      var card = el('section', { class: 'tg-card' + (panel.wide ? ' tg-wide' : '') + (panel.full ? ' tg-full' : ''), 'data-panel': panel.id, 'data-state': 'loading' }, [
        el('div', { class: 'tg-card-head' }, [el('h2', { text: panel.title }), link]), body,
      ]);
      root.appendChild(card);
      panel.card = card;
      panel.body = body;
      panel.link = link;
    });
  }

  function refresh() {
    var v = view();
    try { localStorage.setItem('tg:dashboard-credential', document.getElementById('credential').value); } catch (e) { /* private mode */ }
    return Promise.all(PANELS.map(function (panel) {
      var vars = panel.variables(v);
      panel.link.setAttribute('href', explorerUrl(panel, vars));
      panel.card.setAttribute('data-state', 'loading');
      return gql(panel.query, vars).then(function (r) {
        panel.body.textContent = '';
        if (r.errors && r.errors.length) throw new Error(r.errors.map(function (e) { return (e.extensions && e.extensions.code) + ': ' + e.message; }).join('; '));
        var n = panel.draw(panel, r.data, v);
        panel.card.setAttribute('data-drawn', String(n));
        panel.card.setAttribute('data-state', n ? 'drawn' : 'empty');
        if (!n) panel.body.appendChild(el('p', { class: 'tg-empty', text: 'Nothing in this window.' }));
      }).catch(function (err) {
        panel.body.textContent = '';
        panel.body.appendChild(el('p', { class: 'tg-error', text: String(err.message || err) }));
        panel.card.setAttribute('data-state', 'error');
      });
    })).then(function () { document.body.setAttribute('data-loaded', 'true'); });
  }

  /** The accounts with events in the longest window before the end, for the account filter. */
  function loadAccounts() {
    var end = view().end;
    return gql(GROUPS.replace('limit: 10', 'limit: 1000'), { groupBy: ['ACCOUNT_ID'], filter: { time: { from: iso(new Date(end.getTime() - config.maxSpanDays * 86400000)), to: iso(end) } } }).then(function (r) {
      var select = document.getElementById('account');
      var chosen = select.value;
      while (select.options.length > 1) select.remove(1);
      ((r.data && r.data.eventStats) || []).map(function (g) { return g.keys[0]; }).filter(Boolean).sort().forEach(function (a) { select.appendChild(el('option', { value: a, text: a })); });
      select.value = chosen;
    });
  }

  function start() {
    var params = new URLSearchParams(location.search);
    var end = params.get('end') ? new Date(params.get('end')) : new Date(Math.ceil(Date.now() / 60000) * 60000);
    document.getElementById('end').value = iso(end).slice(0, 16);
    if (params.get('days')) document.getElementById('span').value = params.get('days');
    try { document.getElementById('credential').value = localStorage.getItem('tg:dashboard-credential') || ''; } catch (e) { /* private mode */ }
    build();
    document.getElementById('controls').addEventListener('submit', function (e) { e.preventDefault(); loadAccounts().then(refresh); });
    ['span', 'account'].forEach(function (id) { document.getElementById(id).addEventListener('change', refresh); });
    loadAccounts().then(refresh, refresh);
  }

  fetch(root.getAttribute('data-config'), { credentials: 'same-origin' })
    .then(function (res) { return res.ok ? res.json() : {}; })
    .catch(function () { return {}; })
    .then(function (body) { Object.keys(body).forEach(function (k) { config[k] = body[k]; }); start(); });
})();
