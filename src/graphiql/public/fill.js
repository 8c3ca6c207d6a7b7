/*
 * Opens a saved investigation on what the store holds, as the caller sees it:
 * its windows ("@now", "@now-7d") end at the newest event the investigation
 * is about that the caller may read (found by its `locate` query, stepping
 * back from latestEventTime), not at the wall clock, so they answer on older
 * logs too; and the variables its `locate.fill` names are taken from that
 * event (an access key, a resource, a principal), so they name something the
 * store holds. Without a match, the window ends at the newest event and the
 * example values of investigations/index.json stay. Plain JavaScript: the explorer loads it
 * in the browser, and the tests require it in Node to fill the same way.
 */
(function (root, factory) {
  if (typeof module === 'object' && module.exports) module.exports = factory();
  else root.TrailgraphFill = factory();
})(typeof self !== 'undefined' ? self : this, function () {
  'use strict';
  var SPAN = { query: 'query EventTimeSpan { latestEventTime earliestEventTime }', operationName: 'EventTimeSpan' };
  var RELATIVE = /^@now(?:-(\d+)([mhd]))?$/;
  var UNIT_MS = { m: 60000, h: 3600000, d: 86400000 };

  /** "@now" and "@now-<N><m|h|d>" anywhere in the value, as instants before `endMs`. */
  function anchored(value, endMs) {
    if (typeof value === 'string') {
      var m = RELATIVE.exec(value);
      if (!m) return value;
      var at = m[1] ? endMs - Number(m[1]) * UNIT_MS[m[2]] : endMs;
      return new Date(at).toISOString().replace('.000Z', 'Z');
    }
    if (Array.isArray(value)) return value.map(function (v) { return anchored(v, endMs); });
    if (value && typeof value === 'object') {
      var out = {};
      Object.keys(value).forEach(function (k) { out[k] = anchored(value[k], endMs); });
      return out;
    }
    return value;
  }

  /** Every value at a path such as "events.nodes[].userIdentity.accessKeyId" ("[]": each item of a list). */
  function pick(data, path) {
    var found = [data];
    path.split('.').forEach(function (step) {
      var each = step.slice(-2) === '[]';
      var key = each ? step.slice(0, -2) : step;
      var next = [];
      found.forEach(function (v) {
        var x = v && typeof v === 'object' ? v[key] : undefined;
        if (each && Array.isArray(x)) next.push.apply(next, x);
        else if (!each && x !== undefined && x !== null) next.push(x);
      });
      found = next;
    });
    return found;
  }

  var DAY_MS = 86400000;
  /** Windows the locate query looks back through, newest first: the server refuses spans over its maximum (90 days by default). */
  var STEP_DAYS = 90;
  var MAX_STEPS = 60;

  function isoSeconds(ms) {
    return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  /** The template's variables other than time. */
  function withoutTime(variables) {
    var out = {};
    Object.keys(variables || {}).forEach(function (k) { if (k !== 'time') out[k] = variables[k]; });
    return out;
  }

  /**
   * The values a located node gives the variables of `fill`; undefined unless every one is there.
   * A `many` fill takes, from all the nodes, the distinct values whose first capture group of
   * `match` is the first value's (one user's role sessions in several accounts).
   */
  function valuesFrom(node, nodes, fill) {
    var out = {};
    var names = Object.keys(fill || {});
    for (var i = 0; i < names.length; i++) {
      var spec = fill[names[i]];
      var match = spec.match ? new RegExp(spec.match) : null;
      var ok = function (v) { return typeof v === 'string' && (!match || match.test(v)); };
      var own = pick(node, spec.pick).filter(ok);
      if (!own.length) return undefined;
      if (!spec.many) {
        out[names[i]] = own[0];
        continue;
      }
      var key = match ? (match.exec(own[0]) || [])[1] : undefined;
      var seen = {};
      var all = [];
      nodes.forEach(function (n) {
        pick(n, spec.pick).filter(ok).forEach(function (v) {
          if (seen[v] || (key !== undefined && (match.exec(v) || [])[1] !== key)) return;
          seen[v] = true;
          all.push(v);
        });
      });
      out[names[i]] = all.slice(0, spec.many);
    }
    return out;
  }

  /**
   * Steps back from the newest event, one window at a time, until the
   * investigation's locate query finds a node (newest first) that gives every
   * variable to fill: its time anchors the investigation's window.
   */
  function locate(inv, toMs, earliestMs, post) {
    var spec = inv.locate;
    var base = withoutTime(inv.template || inv.variables);
    function step(i, endMs) {
      if (i >= MAX_STEPS || endMs <= earliestMs) return Promise.resolve(null);
      var fromMs = endMs - STEP_DAYS * DAY_MS;
      var variables = Object.assign({}, base, { time: { from: isoSeconds(fromMs), to: isoSeconds(endMs) } });
      return post({ query: spec.query, variables: variables }).then(function (r) {
        var nodes = pick((r && r.data) || {}, spec.nodes);
        for (var n = 0; n < nodes.length; n++) {
          var at = Date.parse(pick(nodes[n], spec.time)[0]);
          var values = valuesFrom(nodes[n], nodes, spec.fill);
          if (!isNaN(at) && values) return { at: at, values: values };
        }
        return step(i + 1, fromMs);
      });
    }
    return step(0, toMs);
  }

  /**
   * inv: { template, variables, locate } as /graphiql/explorer.json gives it;
   * post(body) → Promise of the API's JSON answer (sent with the caller's headers).
   * Resolves to { variables, latest, located }: latest null when the caller
   * sees no event; located false when nothing the investigation asks about
   * was found (its window then ends at the newest event, and the example
   * values of the index stay).
   */
  function fillInvestigation(inv, post) {
    return post(SPAN).then(function (r) {
      var latest = r && r.data && r.data.latestEventTime;
      var earliest = r && r.data && r.data.earliestEventTime;
      if (!latest) return { variables: inv.variables, latest: null, located: false };
      var latestMs = Date.parse(latest);
      var end = Math.floor(latestMs / 1000) * 1000 + 1000;
      var found = inv.locate ? locate(inv, end, earliest ? Date.parse(earliest) : end - MAX_STEPS * STEP_DAYS * DAY_MS, post) : Promise.resolve(null);
      return found.then(function (hit) {
        // The window ends just after its anchor's second (the end is exclusive).
        var variables = anchored(inv.template || inv.variables, hit ? Math.floor(hit.at / 1000) * 1000 + 1000 : end);
        if (hit) Object.keys(hit.values).forEach(function (k) { variables[k] = hit.values[k]; });
        return { variables: variables, latest: latest, located: Boolean(hit) };
      });
    });
  }

  return { fillInvestigation: fillInvestigation, anchored: anchored, pick: pick };
});
