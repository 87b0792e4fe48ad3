/** The report's whole style sheet: light by default, dark when the reader's system asks. */
export const reportStyle = `
:root{--fg:#1f2328;--muted:#656d76;--bg:#fff;--panel:#f6f8fa;--line:#d0d7de;--ok:#2da44e;--bad:#cf222e;--skip:#d0d7de;--link:#0969da}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--muted:#8d96a0;--bg:#0d1117;--panel:#161b22;--line:#30363d;--skip:#30363d;--link:#4493f8}}
*{box-sizing:border-box}
body{margin:0;padding:24px 32px;font:14px/1.45 -apple-system,BlinkMacSystemFont,"Segoe UI",Helvetica,Arial,sans-serif;color:var(--fg);background:var(--bg);max-width:1280px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;padding-bottom:4px;border-bottom:1px solid var(--line)}h3{font-size:14px;margin:16px 0 6px}
a{color:var(--link)}code,pre{font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
pre{background:var(--panel);border:1px solid var(--line);border-radius:6px;padding:8px 10px;overflow:auto;max-height:360px;white-space:pre-wrap;word-break:break-word;margin:6px 0}
.status{display:inline-block;padding:2px 10px;border-radius:12px;color:#fff;font-size:13px;font-weight:600;vertical-align:middle;margin-right:8px;text-transform:uppercase}
.status.green{background:var(--ok)}.status.red,.status.failed{background:var(--bad)}.status.stopped,.status.paused{background:#6e7781}.status.running,.status.draining{background:#0969da}
.meta,.note,.muted,.empty{color:var(--muted)}.reason{margin:6px 0 0}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(170px,1fr));gap:10px;margin:16px 0}
.card{background:var(--panel);border:1px solid var(--line);border-radius:8px;padding:10px 12px}.card .big{font-size:20px;font-weight:600}.card .small{color:var(--muted);font-size:12px}
.card.bad{border-color:var(--bad)}
.chart{width:100%;height:auto;display:block}
.chart text{font-size:11px;fill:var(--muted)}.chart .tick{text-anchor:middle}.chart .lane,.chart .label{text-anchor:end}.chart .bar-label{fill:#fff;font-size:10px;pointer-events:none}
.chart .grid{stroke:var(--line);stroke-width:1}
.gantt rect:hover,.health rect:hover{stroke:var(--fg);stroke-width:1}
.health .ok{fill:var(--ok)}.health .bad{fill:var(--bad)}.health .skipped{fill:var(--skip)}
.merges .landed-line{fill:none;stroke:var(--ok);stroke-width:2}.merges .conflict{fill:#e16f24}.merges .revert{stroke:var(--bad);stroke-width:2.5}
.bars .cost{fill:#bf8700}.bars .prompt,.swatch.prompt{fill:#54aeff;background:#54aeff}.bars .completion,.swatch.completion{fill:#8250df;background:#8250df}
.pair{display:grid;grid-template-columns:1fr 1fr;gap:24px}@media (max-width:900px){.pair{grid-template-columns:1fr}}
figure{margin:0}figcaption{font-weight:600;margin-bottom:6px}
.legend{margin:6px 0 0;color:var(--muted);font-size:12px}.key{margin-right:14px;white-space:nowrap}
.swatch{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:4px;vertical-align:-1px}
table{border-collapse:collapse;width:100%;margin:6px 0}th,td{border-bottom:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}th{font-size:12px;color:var(--muted);font-weight:600}td.num{text-align:right}
.result{font-weight:600}.result.landed,.result.complete{color:var(--ok)}.result.failed,.result.blocked,.result.timeout,.result.stuck{color:var(--bad)}.result.rejected,.result.partial{color:#9a6700}.result.conflict{color:#bc4c00}
.check.bad{border-left:3px solid var(--bad);padding-left:10px;margin:8px 0}
details{margin:6px 0}summary{cursor:pointer}
.transcript{border:1px solid var(--line);border-radius:6px;padding:6px 10px}.transcript:target{outline:2px solid var(--link)}
.steps{padding-left:22px}.steps li{margin:6px 0}.steps .tool-name{font-weight:600}.steps .bad .step-status{color:var(--bad);font-weight:600}.steps .gap{color:var(--muted);list-style:none}
.steps pre.input{max-height:160px}.why{margin:6px 0}
footer{margin-top:32px;color:var(--muted);font-size:12px}
`;

/** Opens a collapsed section when a link points into it (browsers differ on doing so themselves). */
export const reportScript =
  'function o(){var h=location.hash.slice(1),e=h&&document.getElementById(h);if(e&&e.tagName==="DETAILS")e.open=true}addEventListener("hashchange",o);o();';
