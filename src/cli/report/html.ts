import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { type Figures, GROUP_TITLES, type Group, type Report } from "../../core/report/figures.js";
import { duration, percent } from "../../core/report/format.js";

/**
 * `portal-check report --html FILE`: one self-contained page with charts drawn by Chart.js, whose
 * library is copied into the page, so it opens offline (no network request at all). The figures are
 * the report's, de-identified; the data goes in as JSON with `<` escaped, so nothing in it can end
 * the script element.
 */

/** Chart.js' browser build, from the installed package (its exports do not list the file itself). */
export function chartLibrary(): string {
  const main = createRequire(import.meta.url).resolve("chart.js");
  return readFileSync(join(dirname(main), "chart.umd.min.js"), "utf8");
}

const OUTCOME_COLORS = { resolved: "#2e7d32", escalated: "#c62828", abandoned: "#8d6e63", open: "#1565c0" };

const escapeHtml = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** JSON safe inside a <script> element. */
const scriptJson = (value: unknown) =>
  JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");

export function reportHtml(report: Report, library: string): string {
  const t = report.totals;
  const first = report.since.slice(0, 10);
  const last = new Date(Date.parse(report.until) - 1).toISOString().slice(0, 10);
  const tiles: [string, string][] = [
    ["Started", String(t.started)],
    ["Resolved", String(t.resolved)],
    ["Escalated", String(t.escalated)],
    ["Abandoned", String(t.abandoned)],
    ["Still open", String(t.open)],
    ["Escalation rate", percent(t.escalationRate)],
    ["Median time to resolve", duration(t.medianMsToResolve)],
  ];
  const groups = report.by && report.by.groupBy !== "version" ? report.by : undefined;
  const charts = {
    colors: OUTCOME_COLORS,
    outcomes: { resolved: t.resolved, escalated: t.escalated, abandoned: t.abandoned, open: t.open },
    fixedBy: report.fixedBy,
    byVersion: stacked(report.byVersion.filter((g) => g.figures.started > 0)),
    ...(groups ? { by: { title: GROUP_TITLES[groups.groupBy], ...stacked(groups.groups) } } : {}),
  };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<title>portal-check report ${escapeHtml(first)} to ${escapeHtml(last)}</title>
<style>
  body { font: 15px/1.4 system-ui, sans-serif; margin: 2rem auto; max-width: 1100px; color: #1b1b1b; padding: 0 1rem; }
  h1 { font-size: 1.5rem; margin-bottom: .2rem; } .period { color: #555; margin-top: 0; }
  .tiles { display: grid; grid-template-columns: repeat(auto-fill, minmax(140px, 1fr)); gap: .6rem; margin: 1.2rem 0; }
  .tile { border: 1px solid #ddd; border-radius: 6px; padding: .6rem .8rem; }
  .tile b { display: block; font-size: 1.6rem; }
  .charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(480px, 1fr)); gap: 1.2rem; }
  figure { margin: 0; border: 1px solid #ddd; border-radius: 6px; padding: .8rem; }
  figcaption { font-weight: 600; margin-bottom: .4rem; } .chart { position: relative; height: 300px; }
  table { border-collapse: collapse; margin-top: 1.5rem; } th, td { padding: .25rem .6rem; text-align: right; border-bottom: 1px solid #eee; }
  th:first-child, td:first-child { text-align: left; } .note { color: #555; font-size: .9rem; }
</style>
</head>
<body>
<h1>portal-check: how the conversations went</h1>
<p class="period">Conversations started ${escapeHtml(first)} to ${escapeHtml(last)} (UTC)</p>
<div class="tiles">${tiles.map(([label, value]) => `<div class="tile">${escapeHtml(label)}<b>${escapeHtml(value)}</b></div>`).join("")}</div>
<div class="charts">
  <figure><figcaption>Outcomes</figcaption><div class="chart"><canvas id="outcomes" role="img" aria-label="Outcomes"></canvas></div></figure>
  <figure><figcaption>Resolved at check</figcaption><div class="chart"><canvas id="fixedBy" role="img" aria-label="Resolved at check"></canvas></div></figure>
  <figure><figcaption>By OP version</figcaption><div class="chart"><canvas id="byVersion" role="img" aria-label="By OP version"></canvas></div></figure>
  ${groups ? `<figure><figcaption>${escapeHtml(GROUP_TITLES[groups.groupBy])}</figcaption><div class="chart"><canvas id="by" role="img" aria-label="${escapeHtml(GROUP_TITLES[groups.groupBy])}"></canvas></div></figure>` : ""}
</div>
${table(
  "OP version",
  report.byVersion.filter((g) => g.figures.started > 0),
)}
${groups ? table(GROUP_TITLES[groups.groupBy], groups.groups) : ""}
<p class="note">From de-identified outcome records (no names, emails or pasted text). Escalation rate =
escalated ÷ finished (resolved, escalated, abandoned); time to resolve runs from the start to “Fixed”.
Made by <code>portal-check report --html</code> at ${escapeHtml(report.at)}. Charts: Chart.js, included in this file.</p>
<script type="application/json" id="report-data">${scriptJson(charts)}</script>
<script>${library.replace(/<\/script/gi, "<\\/script")}</script>
<script>
(function () {
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var c = data.colors;
  // A fresh object per chart: Chart.js writes its resolved scales into the options it is given.
  function common(extra) { return Object.assign({ animation: false, responsive: true, maintainAspectRatio: false }, extra); }
  var made = [];
  function draw(id, config) { var el = document.getElementById(id); if (el) made.push(new Chart(el, config)); }
  function stackedConfig(s) {
    return { type: "bar", data: { labels: s.labels, datasets: ["resolved", "escalated", "abandoned", "open"].map(function (k) {
      return { label: k, data: s[k], backgroundColor: c[k] }; }) },
      options: common({ scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } }) };
  }
  draw("outcomes", { type: "doughnut", data: { labels: ["resolved", "escalated", "abandoned", "open"],
    datasets: [{ data: [data.outcomes.resolved, data.outcomes.escalated, data.outcomes.abandoned, data.outcomes.open],
      backgroundColor: [c.resolved, c.escalated, c.abandoned, c.open] }] }, options: common({}) });
  draw("fixedBy", { type: "bar", data: { labels: data.fixedBy.map(function (f) { return f.check; }),
    datasets: [{ label: "resolved", data: data.fixedBy.map(function (f) { return f.count; }), backgroundColor: c.resolved }] },
    options: common({ indexAxis: "y", scales: { x: { beginAtZero: true, ticks: { precision: 0 } } }, plugins: { legend: { display: false } } }) });
  draw("byVersion", stackedConfig(data.byVersion));
  if (data.by) draw("by", stackedConfig(data.by));
  // For the headless-browser test: how many charts drew something.
  var drawn = 0;
  document.querySelectorAll("canvas").forEach(function (canvas) {
    var px = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
    for (var i = 3; i < px.length; i += 4) if (px[i] > 0) { drawn++; break; }
  });
  document.body.setAttribute("data-charts", String(made.length));
  document.body.setAttribute("data-drawn", String(drawn));
  // Stacked bars: the version chart's axis reaches the most conversations started on one version.
  var versions = made[2];
  if (versions) document.body.setAttribute("data-version-axis-max", String(versions.scales.y.max));
})();
</script>
</body>
</html>
`;
}

function stacked(groups: Group[]) {
  const of = (k: keyof Figures) => groups.map((g) => g.figures[k]);
  return {
    labels: groups.map((g) => g.key),
    resolved: of("resolved"),
    escalated: of("escalated"),
    abandoned: of("abandoned"),
    open: of("open"),
  };
}

function table(title: string, groups: Group[]): string {
  const head = ["started", "resolved", "escalated", "abandoned", "open", "esc. rate", "median"];
  const rows = groups.map((g) => {
    const f = g.figures;
    const cells = [
      f.started,
      f.resolved,
      f.escalated,
      f.abandoned,
      f.open,
      percent(f.escalationRate),
      duration(f.medianMsToResolve),
    ];
    return `<tr><td>${escapeHtml(g.key)}</td>${cells.map((v) => `<td>${escapeHtml(String(v))}</td>`).join("")}</tr>`;
  });
  return `<table><thead><tr><th>${escapeHtml(title)}</th>${head.map((h) => `<th>${h}</th>`).join("")}</tr></thead><tbody>${rows.join("")}</tbody></table>`;
}
