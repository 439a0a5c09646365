"""The dashboard: one self-contained HTML page (inline CSS, JS and SVG; nothing fetched
from elsewhere) that polls ``/dashboard/data``. With an admin key, open
``/dashboard#key=<admin key>``: the key stays in the browser and is sent as a header.
"""

from __future__ import annotations

__all__ = ["DASHBOARD_HTML"]

DASHBOARD_HTML = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>gistcache dashboard</title>
<style>
  :root { --fg: #1d2433; --muted: #6b7385; --line: #e3e6ee; --accent: #2f6fed;
          --good: #1a9b5a; --bad: #c2410c; --bg: #f7f8fb; }
  * { box-sizing: border-box; }
  body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif;
         color: var(--fg); background: var(--bg); }
  header { padding: 14px 24px; background: #fff; border-bottom: 1px solid var(--line);
           display: flex; align-items: baseline; gap: 16px; }
  header h1 { font-size: 18px; margin: 0; }
  #status { color: var(--muted); font-size: 12px; }
  #status.error { color: var(--bad); }
  main { padding: 20px 24px; max-width: 1100px; }
  .cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr));
           gap: 12px; margin-bottom: 18px; }
  .card { background: #fff; border: 1px solid var(--line); border-radius: 8px;
          padding: 12px 14px; }
  .card .label { color: var(--muted); font-size: 12px; text-transform: uppercase;
                 letter-spacing: .04em; }
  .card .value { font-size: 24px; font-weight: 600; margin-top: 2px;
                 font-variant-numeric: tabular-nums; }
  .card .sub { color: var(--muted); font-size: 12px; }
  section { background: #fff; border: 1px solid var(--line); border-radius: 8px;
            padding: 14px; margin-bottom: 18px; }
  section h2 { font-size: 14px; margin: 0 0 10px; }
  svg { width: 100%; height: 180px; display: block; }
  table { width: 100%; border-collapse: collapse; }
  th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line);
           font-variant-numeric: tabular-nums; }
  th { color: var(--muted); font-weight: 500; font-size: 12px; }
  td.key { max-width: 560px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
</style>
</head>
<body>
<header>
  <h1>gistcache</h1>
  <span id="status">connecting&hellip;</span>
</header>
<main>
  <div class="cards">
    <div class="card"><div class="label">Hit rate</div>
      <div class="value" id="hit-rate">&ndash;</div>
      <div class="sub"><span id="hits">0</span> hits of <span id="requests">0</span></div></div>
    <div class="card"><div class="label">Exact / semantic</div>
      <div class="value"><span id="hits-exact">0</span> / <span id="hits-semantic">0</span></div>
      <div class="sub"><span id="misses">0</span> misses, <span id="bypasses">0</span>
        bypasses</div></div>
    <div class="card"><div class="label">Hit latency</div>
      <div class="value" id="hit-p50">&ndash;</div>
      <div class="sub">p50; p99 <span id="hit-p99">&ndash;</span></div></div>
    <div class="card"><div class="label">Miss latency</div>
      <div class="value" id="miss-p50">&ndash;</div>
      <div class="sub">p50; p99 <span id="miss-p99">&ndash;</span></div></div>
    <div class="card"><div class="label">Cost saved</div>
      <div class="value" id="cost-saved">$0</div>
      <div class="sub"><span id="tokens-saved">0</span> tokens</div></div>
    <div class="card"><div class="label">Entries</div>
      <div class="value" id="entries">0</div>
      <div class="sub"><span id="bytes">0 B</span>; <span id="faults">0</span> faults</div></div>
  </div>
  <section>
    <h2>Hit rate over time</h2>
    <svg id="chart" viewBox="0 0 600 180" preserveAspectRatio="none" role="img"
         aria-label="hit rate over time"></svg>
  </section>
  <section>
    <h2>Most hit entries</h2>
    <table>
      <thead><tr><th>Entry</th><th>Hits</th><th>Model</th><th>Namespace</th><th>Key text</th>
      </tr></thead>
      <tbody id="top"><tr><td colspan="5">no hits yet</td></tr></tbody>
    </table>
  </section>
</main>
<script>
"use strict";
(function () {
  var key = (new URLSearchParams(location.hash.slice(1))).get("key");
  var page = location.href.split("#")[0];
  var dataUrl = new URL("dashboard/data", page.replace(/dashboard\\/?$/, ""));
  var NS = "http://www.w3.org/2000/svg";

  function text(id, value) { document.getElementById(id).textContent = value; }
  function ms(v) { return v === null || v === undefined ? "\\u2013" :
                   (v < 10 ? v.toFixed(2) : v.toFixed(0)) + " ms"; }
  function bytes(n) {
    var units = ["B", "KiB", "MiB", "GiB"], i = 0;
    while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
    return (i ? n.toFixed(1) : n) + " " + units[i];
  }
  function el(name, attrs) {
    var node = document.createElementNS(NS, name);
    for (var k in attrs) { node.setAttribute(k, attrs[k]); }
    return node;
  }

  function chart(series) {
    var svg = document.getElementById("chart");
    while (svg.firstChild) { svg.removeChild(svg.firstChild); }
    for (var g = 0; g <= 4; g++) {
      var y = 170 - g * 40;
      svg.appendChild(el("line", {x1: 30, x2: 600, y1: y, y2: y, stroke: "#e3e6ee"}));
      var label = el("text", {x: 0, y: y + 4, "font-size": 10, fill: "#6b7385"});
      label.textContent = (g * 25) + "%";
      svg.appendChild(label);
    }
    var points = [];
    for (var i = 1; i < series.length; i++) {
      var dh = series[i][1] - series[i - 1][1], dn = series[i][2] - series[i - 1][2];
      if (dn > 0) { points.push([series[i][0], dh / dn]); }
    }
    if (points.length === 0 && series.length) {
      var last = series[series.length - 1];
      if (last[2] > 0) { points.push([last[0], last[1] / last[2]]); }
    }
    if (!points.length) { return; }
    var t0 = points[0][0], t1 = points[points.length - 1][0], span = Math.max(t1 - t0, 1);
    var coords = points.map(function (p) {
      var x = points.length === 1 ? 600 : 30 + 570 * (p[0] - t0) / span;
      return x.toFixed(1) + "," + (170 - 160 * p[1]).toFixed(1);
    });
    svg.appendChild(el("polyline", {points: coords.join(" "), fill: "none",
                                    stroke: "#2f6fed", "stroke-width": 2}));
    var end = coords[coords.length - 1].split(",");
    svg.appendChild(el("circle", {cx: end[0], cy: end[1], r: 3, fill: "#2f6fed"}));
  }

  function table(rows) {
    var body = document.getElementById("top");
    body.textContent = "";
    if (!rows.length) {
      var tr = document.createElement("tr"), td = document.createElement("td");
      td.colSpan = 5; td.textContent = "no hits yet"; tr.appendChild(td); body.appendChild(tr);
      return;
    }
    rows.forEach(function (r) {
      var tr = document.createElement("tr");
      [r.id, r.hits, r.model, r.namespace, r.key_text].forEach(function (v, i) {
        var td = document.createElement("td");
        td.textContent = v;
        if (i === 4) { td.className = "key"; td.title = v; }
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
  }

  function render(d) {
    var o = d.outcomes || {};
    text("hit-rate", d.requests ? (100 * d.hit_rate).toFixed(1) + "%" : "\\u2013");
    text("hits", d.hits);
    text("requests", d.requests);
    text("hits-exact", o["hit-exact"] || 0);
    text("hits-semantic", o["hit-semantic"] || 0);
    text("misses", o["miss"] || 0);
    text("bypasses", o["bypass"] || 0);
    text("hit-p50", ms(d.latency_ms.hit.p50));
    text("hit-p99", ms(d.latency_ms.hit.p99));
    text("miss-p50", ms(d.latency_ms.miss.p50));
    text("miss-p99", ms(d.latency_ms.miss.p99));
    text("cost-saved", "$" + d.cost_saved_usd.toFixed(4));
    text("tokens-saved", d.tokens_saved);
    text("entries", d.entries);
    text("bytes", bytes(d.bytes));
    text("faults", d.faults);
    chart(d.series);
    table(d.top_entries);
    var status = document.getElementById("status");
    status.className = "";
    status.textContent = "live, updated " + new Date(d.time * 1000).toLocaleTimeString();
  }

  function poll() {
    var headers = key ? {"x-gistcache-admin-key": key} : {};
    fetch(dataUrl, {headers: headers, cache: "no-store"})
      .then(function (r) {
        if (!r.ok) { throw new Error("HTTP " + r.status + (r.status === 401 ?
          ": open /dashboard#key=<admin key>" : "")); }
        return r.json();
      })
      .then(render)
      .catch(function (e) {
        var status = document.getElementById("status");
        status.className = "error";
        status.textContent = String(e.message || e);
      })
      .then(function () { setTimeout(poll, 2000); });
  }
  poll();
})();
</script>
</body>
</html>
"""
