// The dashboard page: plain JavaScript, no build step. Routes live in the hash
// (#/ plants, #/<factory>, #/<factory>/<line>, #/<factory>/<line>/<machine>); the server's event
// stream says when the store changed, and the page refetches what it shows.
'use strict';

const STATES = ['RUNNING', 'IDLE', 'DOWN', 'SETUP', 'PLANNED_STOP', 'OFF', 'GAP'];
const STATE_LABEL = {
  RUNNING: 'running',
  IDLE: 'idle',
  DOWN: 'down',
  SETUP: 'setup',
  PLANNED_STOP: 'planned stop',
  OFF: 'off',
  GAP: 'DATA GAP',
};
const css = (name) => window.getComputedStyle(document.documentElement).getPropertyValue(name).trim();

let overview = null;
let detail = null;
let trend = null;
let charts = [];
let lastTrendAt = 0;

const $ = (id) => document.getElementById(id);
const esc = (s) =>
  String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
const pct = (x) => (x === null || x === undefined ? '–' : `${(x * 100).toFixed(1)}%`);
const hours = (s) => (s >= 3600 ? `${(s / 3600).toFixed(1)} h` : `${Math.round(s / 60)} min`);
// A number with a warning (performance above 1, parts counted in a data gap…) is never drawn green: it needs a second look.
const oeeColour = (x, warnings) =>
  x === null || x === undefined
    ? css('--muted')
    : (warnings && warnings.length > 0) || x > 1
      ? css('--suspect')
      : x >= 0.85
        ? css('--good')
        : x >= 0.6
          ? css('--warn')
          : css('--bad');
const warningMark = (warnings) =>
  warnings && warnings.length > 0 ? `<span class="warning-mark" title="${esc(warnings.join('\n'))}">⚠</span>` : '';
// A machine's warnings, then those of its shifts and hours that its own do not already say (as the command line lists them).
const warningKind = (text) =>
  /^performance/.test(text)
    ? 'performance'
    : /data gaps/.test(text)
      ? 'gap'
      : /no run time/.test(text)
        ? 'no run time'
        : text;
const warningsOf = (m) => {
  const said = new Set((m.warnings || []).map(warningKind));
  return [
    ...(m.warnings || []),
    ...[...(m.shifts || []), ...(m.hours || [])].flatMap((w) =>
      w.warnings.filter((text) => !said.has(warningKind(text))).map((text) => `${w.key}: ${text}`),
    ),
  ];
};
const clock = (ms, tz, withDate) =>
  new Intl.DateTimeFormat('en-GB', {
    timeZone: tz || 'UTC',
    hour: '2-digit',
    minute: '2-digit',
    ...(withDate ? { day: '2-digit', month: 'short' } : {}),
  }).format(new Date(ms));
/** The zone's short name at an instant (`CST`, `GMT+3`): alert times say which clock they are on. */
const zoneName = (ms, tz) =>
  new Intl.DateTimeFormat('en-GB', { timeZone: tz || 'UTC', timeZoneName: 'short' })
    .formatToParts(new Date(ms))
    .find((p) => p.type === 'timeZoneName')?.value ??
  (tz || 'UTC');
const route = () => window.location.hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
const href = (...parts) => `#/${parts.map(encodeURIComponent).join('/')}`;

const getJson = async (path) => {
  const res = await fetch(path, { cache: 'no-store' });
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
  return res.json();
};

const gauge = (value, size, warnings) => {
  const r = size / 2 - 6;
  const c = 2 * Math.PI * r;
  const v = value === null ? 0 : Math.max(0, Math.min(1, value));
  return `<svg class="gauge" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}">
    <circle cx="${size / 2}" cy="${size / 2}" r="${r}" fill="none" stroke="${css('--line')}" stroke-width="8"/>
    <circle cx="${size / 2}" cy="${size / 2}" r="${r}" fill="none" stroke="${oeeColour(value, warnings)}" stroke-width="8" stroke-linecap="round"
      stroke-dasharray="${(v * c).toFixed(1)} ${c.toFixed(1)}" transform="rotate(-90 ${size / 2} ${size / 2})"/>
    <text x="50%" y="50%" dominant-baseline="central" text-anchor="middle" font-size="${size / 4.6}">${value === null ? '–' : Math.round(value * 100)}</text>
  </svg>`;
};

const bar = (value, colour) =>
  `<div class="bar"><i style="width:${Math.max(0, Math.min(1, value ?? 0)) * 100}%;background:${colour}"></i></div>`;

const apqRows = (o) =>
  [
    ['A', o.availability],
    ['P', o.performance],
    ['Q', o.quality],
  ]
    .map(
      ([k, v]) => `<span>${k}</span>${bar(v, oeeColour(v, k === 'P' ? o.warnings : undefined))}<span>${pct(v)}</span>`,
    )
    .join('');

const chip = (state) => `<span class="chip" style="--c:var(--${state})">${STATE_LABEL[state] ?? state}</span>`;

const strip = (segments, from, to, tall) => {
  const span = Math.max(1, to - from);
  const bars = segments
    .map((s) => {
      const left = ((Math.max(s.from, from) - from) / span) * 100;
      const width = ((Math.min(s.to, to) - Math.max(s.from, from)) / span) * 100;
      return width <= 0
        ? ''
        : `<i class="seg-${s.state}" style="left:${left}%;width:${width}%;background:var(--${s.state})" title="${esc(STATE_LABEL[s.state])}${s.reason ? ` (${esc(s.reason)})` : ''}"></i>`;
    })
    .join('');
  return `<div class="strip${tall ? ' tall' : ''}">${bars}</div>`;
};

const ticks = (from, to, tz) => {
  const out = [];
  const hour = 3_600_000;
  for (let t = Math.ceil(from / hour) * hour; t <= to; t += hour)
    out.push(`<span style="left:${((t - from) / (to - from)) * 100}%">${clock(t, tz)}</span>`);
  return `<div class="ticks">${out.join('')}</div>`;
};

const legend = () =>
  `<div class="legend">${STATES.map((s) => `<span style="--c:var(--${s})">${STATE_LABEL[s]}</span>`).join('')}</div>`;

const kpi = (o) => `<div class="kpi"><div class="apq">${[
  ['Availability', o.availability],
  ['Performance', o.performance],
  ['Quality', o.quality],
]
  .map(
    ([k, v]) =>
      `<span>${k}</span>${bar(v, oeeColour(v, k === 'Performance' ? o.warnings : undefined))}<span>${pct(v)}</span>`,
  )
  .join('')}</div>
  <div class="big" style="color:${oeeColour(o.oee, o.warnings)}" data-oee="${o.oee}">${pct(o.oee)}${warningMark(o.warnings)}</div></div>`;

const machineCard = (m) => `
  <a class="card" href="${href(m.factoryId, m.lineId, m.machineId)}" data-machine="${esc(m.key)}" data-oee="${m.oee}">
    <div class="row"><span class="name">${esc(m.name)}</span><span class="type">${esc(m.type)}</span>
      <span style="margin-left:auto">${m.current ? chip(m.current.state) : ''}</span></div>
    <div class="row" style="margin-top:8px">${gauge(m.oee, 64, m.warnings)}<div class="apq-mini">${apqRows(m)}</div></div>
    ${strip(m.timeline, overview.startTs, overview.endTs, false)}
    <div class="row" style="margin-top:6px;font-size:11px"><span class="muted">${m.total} parts · ${m.total - m.good} scrap · down ${hours(m.downS)}</span>
      ${warningsOf(m).length > 0 ? `<span class="badge warning" style="margin-left:auto" data-warnings="${warningsOf(m).length}" title="${esc(warningsOf(m).join('\n'))}">⚠ ${warningsOf(m).length} warning${warningsOf(m).length > 1 ? 's' : ''}</span>` : ''}
      ${m.openAlerts > 0 ? `<span class="badge open" style="margin-left:${warningsOf(m).length > 0 ? '6px' : 'auto'}">${m.openAlerts} alert${m.openAlerts > 1 ? 's' : ''}</span>` : ''}</div>
  </a>`;

const topLoss = (pareto) =>
  pareto.length === 0 ? 'no downtime' : `top loss: ${esc(pareto[0].reason)} ${hours(pareto[0].seconds)}`;

const lineBlock = (f, l) => `
  <div class="line">
    <div class="line-head"><div><h3><a href="${href(f.id, l.id)}">${esc(l.name)}</a></h3><span class="loss">${topLoss(l.pareto)}</span></div>${kpi(l.oee)}</div>
    <div class="cards">${l.machines.map((m) => machineCard(m)).join('')}</div>
  </div>`;

const plantBlock = (f, lines) => `
  <section class="plant" data-factory="${esc(f.id)}">
    <div class="plant-head"><h2><a href="${href(f.id)}">${esc(f.name)}</a></h2><span class="tz">${esc(f.timezone)} · now ${clock(overview.endTs, f.timezone)}</span>${kpi(f.oee)}</div>
    <div class="plant-lines">${lines.map((l) => lineBlock(f, l)).join('')}</div>
  </section>`;

// Reason coding after the fact: the stops nobody gave a reason, each with a form that POSTs the
// classification to this server (with the token it put in this page) — the same decision as
// `factory downtime classify`.
let stopsView = null;
let reasonCatalog = new Map();
const pageToken = document.querySelector('meta[name="factory-token"]')?.content ?? '';
const categoryOf = (reason) => {
  const entry = reasonCatalog.get(reason);
  return entry ? ` <small class="muted category">${esc(entry.category)}</small>` : '';
};
const loadStops = async () => {
  const min = $('stops-min').value;
  stopsView = await getJson(`/api/stops${min === '' ? '' : `?minMinutes=${encodeURIComponent(min)}`}`);
  reasonCatalog = new Map(stopsView.reasons.map((r) => [r.code, r]));
  if (min === '') $('stops-min').value = String(stopsView.minMinutes);
};
const renderStops = () => {
  const list = $('stops');
  if (!stopsView) return;
  if (stopsView.reasons.length === 0) {
    list.innerHTML =
      '<li class="muted">no reason catalog: add <code>reasons</code> to the site configuration to classify stops</li>';
    return;
  }
  if (stopsView.stops.length === 0) {
    list.innerHTML = `<li class="muted">none of ${stopsView.minMinutes} min or more</li>`;
    return;
  }
  const choices = stopsView.reasons
    .filter((r) => ['equipmentFailure', 'setupAndAdjustments', 'idlingAndMinorStops'].includes(r.category))
    .map((r) => `<option value="${esc(r.code)}">${esc(r.name ?? r.code)} · ${esc(r.category)}</option>`)
    .join('');
  list.innerHTML = stopsView.stops
    .map((s) => {
      const tz = overview?.factories.find((f) => f.id === s.factoryId)?.timezone;
      return `<li data-stop="${esc(s.key)}@${s.startTs}">
        <div class="what">${chip(s.state)} <a href="${href(s.factoryId, s.lineId, s.machineId)}">${esc(s.key)}</a></div>
        <div class="muted">${clock(s.startTs, tz, true)}–${s.ongoing ? 'now' : clock(s.endTs, tz)} ${esc(zoneName(s.startTs, tz))} · ${hours(s.downS)} down</div>
        <form class="classify" data-machine="${esc(s.key)}" data-at="${s.startTs}">
          <select name="reason" aria-label="reason">${choices}</select>
          <input name="by" placeholder="by (optional)" aria-label="classified by" />
          <button type="submit">Classify</button>
          <div class="error"></div>
        </form>
      </li>`;
    })
    .join('');
};
document.addEventListener('submit', async (e) => {
  if (e.target.id === 'stops-filter') {
    e.preventDefault();
    load();
    return;
  }
  const form = e.target.closest('form.classify');
  if (!form) return;
  e.preventDefault();
  const error = form.querySelector('.error');
  error.textContent = '';
  try {
    const res = await fetch('/api/classify', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-factory-token': pageToken },
      body: JSON.stringify({
        machine: form.dataset.machine,
        at: Number(form.dataset.at),
        reason: form.elements.reason.value,
        by: form.elements.by.value,
      }),
    });
    if (!res.ok) {
      error.textContent = (await res.json()).error;
      return;
    }
    load();
  } catch (failure) {
    error.textContent = `cannot reach the dashboard server (${failure.message})`;
  }
});

const paretoBlock = (pareto, title) => {
  const max = pareto[0]?.seconds ?? 1;
  const sum = pareto.reduce((a, p) => a + p.seconds, 0);
  let cum = 0;
  return `<div class="panel pareto"><h3>${title}</h3>${
    pareto.length === 0
      ? '<div class="muted">no downtime</div>'
      : pareto
          .map((p) => {
            cum += p.seconds;
            return `<div class="item" data-reason="${esc(p.reason)}" data-seconds="${p.seconds}"><span>${esc(p.reason)}${categoryOf(p.reason)}</span>${bar(p.seconds / max, '')}<span class="num">${hours(p.seconds)} <span class="muted">${Math.round((cum / sum) * 100)}%</span></span></div>`;
          })
          .join('')
  }</div>`;
};

const crumbs = (parts) => {
  const names = [];
  const f = overview?.factories.find((x) => x.id === parts[0]);
  const l = f?.lines.find((x) => x.id === parts[1]);
  names.push(`<a href="#/">All plants</a>`);
  if (f) names.push(`<a href="${href(f.id)}">${esc(f.name)}</a>`);
  if (l) names.push(`<a href="${href(f.id, l.id)}">${esc(l.name)}</a>`);
  if (parts[2]) names.push(`<span>${esc(parts[2])}</span>`);
  $('crumbs').innerHTML = names.join('<span class="sep">▸</span>');
};

const renderAlerts = () => {
  const alerts = [...overview.alerts].sort((a, b) => b.open - a.open || (a.raisedAt < b.raisedAt ? 1 : -1));
  $('alerts').innerHTML =
    alerts.length === 0
      ? '<li class="muted">no alerts</li>'
      : alerts
          .map((a) => {
            const f = overview.factories.find((x) => x.id === a.factoryId);
            return `<li class="${a.open ? 'open' : ''}" data-alert="${esc(a.key)}|${esc(a.detector)}" data-href="${href(a.factoryId, a.lineId, a.machineId)}">
      <span class="when">${clock(Date.parse(a.raisedAt), f?.timezone)}${a.clearedAt ? `–${clock(Date.parse(a.clearedAt), f?.timezone)}` : ''} ${esc(zoneName(Date.parse(a.raisedAt), f?.timezone))}</span>
      <div class="what">${esc(a.machineId)}</div><div class="where">${esc(f?.name ?? a.factoryId)} ▸ ${esc(a.lineId)}</div>
      <div>${a.open ? '<span class="badge open">open</span> ' : ''}${a.origin === 'edge' ? '<span class="badge edge" title="raised by the gateway\'s detectors">edge</span> ' : ''}${esc(a.detector)}</div>
      <div class="cause">${esc(a.cause)}</div></li>`;
          })
          .join('');
};

const renderDetail = (f) => {
  const d = detail;
  const m = d.card;
  const tz = f.timezone;
  const maxHour = 1;
  return `
  <div class="panel hero" data-machine-detail="${esc(m.key)}">
    ${gauge(m.oee, 120, m.warnings)}
    <div><div style="font-size:20px;font-weight:700">${esc(m.name)} <span class="muted" style="font-size:13px;font-weight:400">${esc(m.type)} · ideal cycle ${m.idealCycleTimeS} s</span></div>
      <div style="margin:6px 0 10px">${m.current ? `${chip(m.current.state)} <span class="muted">since ${clock(m.current.since, tz)}${m.current.reason ? ` · ${esc(m.current.reason)}` : ''}</span>` : ''}</div>
      ${kpi(m)}
      ${
        warningsOf(m).length > 0
          ? `<ul class="warnings" data-warnings="${warningsOf(m).length}">${warningsOf(m)
              .map((w) => `<li>⚠ ${esc(w)}</li>`)
              .join('')}</ul>`
          : ''
      }</div>
    <div class="facts">
      <div><span>planned</span><b>${hours(m.plannedS)}</b></div><div><span>run</span><b>${hours(m.runS)}</b></div>
      <div><span>down</span><b>${hours(m.downS)}</b></div><div><span>data gap</span><b>${hours(m.dataGapS)}</b></div>
      <div><span>parts</span><b>${m.total}</b></div><div><span>good</span><b>${m.good}</b></div>
      <div><span>parts in data gaps</span><b>${m.countsInGap ? m.countsInGap.total : 0}</b></div><div><span>good in data gaps</span><b>${m.countsInGap ? m.countsInGap.good : 0}</b></div>
      <div><span>scrap</span><b>${m.total - m.good}</b></div><div><span>alerts open</span><b>${m.openAlerts}</b></div>
    </div>
  </div>
  <div class="panel"><h3>State timeline <span class="muted" style="text-transform:none;letter-spacing:0">(${esc(tz)})</span></h3>
    ${strip(m.timeline, overview.startTs, overview.endTs, true)}${ticks(overview.startTs, overview.endTs, tz)}${legend()}</div>
  <div class="grid2">
    <div class="panel"><h3>OEE per hour</h3><div class="hours">${d.hours
      .map(
        (h) => `
      <div class="col" title="${esc(h.label)}: A ${pct(h.availability)} · P ${pct(h.performance)} · Q ${pct(h.quality)}${h.warnings.map((w) => `\n⚠ ${esc(w)}`).join('')}" data-window="${esc(h.key)}" data-oee="${h.oee}" data-warnings="${h.warnings.length}">
        <b>${h.warnings.length > 0 ? '⚠' : ''}${h.oee === null ? '–' : Math.round(h.oee * 100)}</b><i style="height:${Math.min(1, (h.oee ?? 0) / maxHour) * 100}%;background:${oeeColour(h.oee, h.warnings)}"></i><span>${esc(h.label.slice(11, 13))}h</span></div>`,
      )
      .join('')}</div></div>
    <div class="panel"><h3>OEE per shift</h3><table><tr><th>shift</th><th>OEE</th><th>avail.</th><th>perf.</th><th>quality</th><th>parts</th><th>down</th></tr>
      ${d.shifts.map((s) => `<tr data-window="${esc(s.key)}" data-oee="${s.oee}"><td>${esc(s.label)}</td><td style="color:${oeeColour(s.oee, s.warnings)};font-weight:700" data-warnings="${s.warnings.length}">${pct(s.oee)}${warningMark(s.warnings)}</td><td>${pct(s.availability)}</td><td>${pct(s.performance)}</td><td>${pct(s.quality)}</td><td>${s.total}</td><td>${hours(s.downS)}</td></tr>`).join('')}
    </table></div>
  </div>
  <div class="grid2">
    ${paretoBlock(d.pareto, 'Loss Pareto · downtime by reason')}
    <div class="panel"><h3>Alerts (${d.alerts.length}, newest first)</h3>${
      d.alerts.length === 0
        ? '<div class="muted">none</div>'
        : `<div class="scroll"><table class="alert-table"><tr><th>detector</th><th>raised (${esc(tz)})</th><th>cleared</th><th>cause</th></tr>${[
            ...d.alerts,
          ]
            .reverse()
            .map(
              (a) => `
      <tr><td>${a.open ? '<span class="badge open">open</span> ' : ''}${a.origin === 'edge' ? '<span class="badge edge" title="raised by the gateway\'s detectors">edge</span> ' : ''}${esc(a.detector)}</td><td>${clock(a.raisedAt, tz)}</td><td>${a.clearedAt ? clock(a.clearedAt, tz) : '–'}</td><td style="text-align:left" class="muted">${esc(a.cause)}</td></tr>`,
            )
            .join('')}</table></div>`
    }</div>
  </div>
  <div class="panel"><h3>Trends <span class="muted" style="text-transform:none;letter-spacing:0">(min–max band and mean per pixel)</span></h3><div id="trends" class="trends"></div></div>`;
};

const drawTrends = (tz) => {
  const host = $('trends');
  if (!host || !trend || !window.uPlot) return;
  charts.forEach((c) => c.destroy());
  charts = [];
  host.innerHTML = '';
  const width = Math.max(260, Math.floor(host.clientWidth / 2) - 12);
  for (const [name, s] of Object.entries(trend.metrics)) {
    const box = document.createElement('div');
    box.className = 'trend';
    box.innerHTML = `<h4>${esc(name)} <span class="muted">${esc(s.unit ?? '')}</span></h4>`;
    host.appendChild(box);
    const x = s.ts.map((t) => t / 1000);
    charts.push(
      new window.uPlot(
        {
          width,
          height: 150,
          legend: { show: false },
          cursor: { drag: { x: true, y: false } },
          tzDate: (t) => window.uPlot.tzDate(new Date(t * 1000), tz),
          scales: { x: { time: true, range: [overview.startTs / 1000, overview.endTs / 1000] } },
          axes: [
            {
              stroke: css('--muted'),
              grid: { stroke: css('--line') },
              values: (_u, splits) => splits.map((t) => clock(t * 1000, tz)),
            },
            { stroke: css('--muted'), grid: { stroke: css('--line') }, size: 56 },
          ],
          series: [{}, { stroke: 'transparent' }, { stroke: 'transparent' }, { stroke: '#38bdf8', width: 1.5 }],
          bands: [{ series: [2, 1], fill: 'rgba(56,189,248,0.22)' }],
        },
        [x, s.min, s.max, s.mean],
        box,
      ),
    );
  }
};

const render = () => {
  const parts = route();
  crumbs(parts);
  $('live').title = 'live updates';
  if (!overview) return;
  $('through').textContent = overview.waiting
    ? 'waiting for a replay…'
    : `data through ${new Date(overview.endTs).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  $('messages').textContent = overview.waiting
    ? ''
    : `${overview.messages.accepted.toLocaleString('en')} messages · ${overview.messages.rejected} rejected`;
  renderAlerts();
  renderStops();
  const view = $('view');
  if (overview.waiting) {
    view.innerHTML =
      '<div class="empty">No replay in this store yet. Run <code>factory replay &lt;recording&gt; --db &lt;file&gt;</code>; this page updates by itself.</div>';
    return;
  }
  const f = overview.factories.find((x) => x.id === parts[0]);
  const l = f?.lines.find((x) => x.id === parts[1]);
  if (parts.length >= 3 && f && detail && detail.card.key === parts.join('/')) {
    view.innerHTML = renderDetail(f);
    drawTrends(f.timezone);
  } else if (l) {
    view.innerHTML = `<section class="plant"><div class="plant-head"><h2>${esc(l.name)}</h2><span class="tz">${esc(f.name)}</span>${kpi(l.oee)}</div>
      <div class="cards">${l.machines.map((m) => machineCard(m)).join('')}</div></section>
      <div class="grid2">${paretoBlock(l.pareto, `Loss Pareto · ${esc(l.name)}`)}${l.machines
        .map((m) =>
          paretoBlock(
            m.downtimeByReason
              ? Object.entries(m.downtimeByReason)
                  .map(([reason, seconds]) => ({ reason, seconds }))
                  .sort((a, b) => b.seconds - a.seconds)
              : [],
            `Loss Pareto · ${esc(m.machineId)}`,
          ),
        )
        .join('')}</div>`;
  } else if (f) {
    view.innerHTML =
      plantBlock(f, f.lines) +
      `<div class="grid2">${paretoBlock(f.pareto, `Loss Pareto · ${esc(f.name)}`)}${f.lines.map((x) => paretoBlock(x.pareto, `Loss Pareto · ${esc(x.name)}`)).join('')}</div>`;
  } else {
    view.innerHTML = overview.factories.map((x) => plantBlock(x, x.lines)).join('');
  }
  document.body.dataset.ready = String(overview.marker);
};

let loading = null;
let again = false;
const load = async () => {
  if (loading) {
    again = true;
    return loading;
  }
  loading = (async () => {
    try {
      overview = await getJson('/api/overview');
      await loadStops();
      const parts = route();
      if (parts.length >= 3) {
        const key = parts.map(encodeURIComponent).join('/');
        const changedMachine = !detail || detail.card.key !== parts.join('/');
        detail = await getJson(`/api/machine/${key}`);
        // A trend is the heaviest answer: refetched on a live store at most every 5 s.
        if (changedMachine || Date.now() - lastTrendAt > 5000) {
          trend = await getJson(
            `/api/trend/${key}?buckets=${Math.max(200, Math.min(1600, Math.floor(window.innerWidth / 2)))}`,
          );
          lastTrendAt = Date.now();
        }
      } else {
        detail = null;
      }
      render();
    } catch (error) {
      $('through').textContent = `cannot reach the dashboard server (${error.message}); retrying`;
    } finally {
      loading = null;
      if (again) {
        again = false;
        load();
      }
    }
  })();
  return loading;
};

window.addEventListener('hashchange', () => {
  trend = null;
  lastTrendAt = 0;
  load();
  window.scrollTo(0, 0);
});
document.addEventListener('click', (e) => {
  const li = e.target.closest('[data-href]');
  if (li) window.location.hash = li.dataset.href;
});
const events = new EventSource('/api/events');
events.addEventListener('open', () => $('live').classList.add('on'));
events.addEventListener('error', () => $('live').classList.remove('on'));
events.addEventListener('change', () => load());
load();
