// The Annalist web UI: plain JavaScript, no framework, no build step.
//
// Safety rule: article text and every other value from the API is put into
// the page with textContent or as attribute values of created elements,
// never parsed as HTML, so a document containing markup renders as text.
'use strict';

const SVG = 'http://www.w3.org/2000/svg';
const $ = (id) => document.getElementById(id);

// Creates an element with properties and children (strings become text).
function el(tag, props, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props || {})) {
    if (v === undefined || v === null) continue;
    if (k === 'text') e.textContent = v;
    else if (k === 'class') e.className = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const c of children) {
    if (c === null || c === undefined) continue;
    e.append(typeof c === 'string' ? document.createTextNode(c) : c);
  }
  return e;
}

function svg(tag, attrs, ...children) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v !== undefined && v !== null) e.setAttribute(k, String(v));
  }
  for (const c of children) if (c) e.append(c);
  return e;
}

function svgTitle(text) {
  const t = document.createElementNS(SVG, 'title');
  t.textContent = text;
  return t;
}

function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
}

function showError(message) {
  const box = $('error');
  box.textContent = message;
  box.hidden = !message;
}

async function api(path, options) {
  const resp = await fetch(path, options);
  let body;
  try {
    body = await resp.json();
  } catch (e) {
    throw new Error(`${path}: the server answered ${resp.status} without JSON`);
  }
  if (!resp.ok) {
    const err = body && body.error ? body.error : { code: 'http', message: String(resp.status) };
    throw new Error(`${err.message} (${err.code})`);
  }
  return body;
}

// ---- Filters shared by the events, map, timeline and network views.

const FILTER_NAMES = ['text', 'actor_country', 'target_country', 'type', 'cameo', 'place',
  'place_country', 'from', 'to', 'unit'];

function filterParams() {
  const p = new URLSearchParams();
  for (const name of FILTER_NAMES) {
    const v = $(`f-${name}`).value.trim();
    if (v && !(name === 'unit' && v === 'stories')) p.set(name, v);
  }
  return p;
}

let page = { offset: 0, limit: 50 };

// ---- Map drawing (equirectangular, 720 x 360 units as in basemap.json).

let basemap = null;
async function loadBasemap() {
  if (!basemap) basemap = await api('/basemap.json');
  return basemap;
}

const project = (lon, lat) => [(lon + 180) * 2, (90 - lat) * 2];

// Draws the countries and `points` ({lat, lon, count, label}) into `box`.
async function drawMap(box, points) {
  const bm = await loadBasemap();
  clear(box);
  const root = svg('svg', { viewBox: `0 0 ${bm.width} ${bm.height}`, role: 'img' });
  const land = svg('g', { class: 'countries' });
  for (const c of bm.countries) {
    land.append(svg('path', { d: c.d, class: 'country' }, svgTitle(c.name)));
  }
  root.append(land);
  const max = Math.max(1, ...points.map((p) => p.count));
  const layer = svg('g', { class: 'points' });
  for (const p of points) {
    if (typeof p.lat !== 'number' || typeof p.lon !== 'number') continue;
    const [x, y] = project(p.lon, p.lat);
    const r = 1.5 + 6 * Math.sqrt(p.count / max);
    layer.append(svg('circle', {
      cx: x.toFixed(2), cy: y.toFixed(2), r: r.toFixed(2), class: 'pt',
      'data-place': p.place || '', 'data-count': p.count,
    }, svgTitle(`${p.label} (${p.count})`)));
  }
  root.append(layer);
  box.append(root);
}

// ---- Views.

async function viewEvents() {
  const p = filterParams();
  p.set('offset', page.offset);
  p.set('limit', page.limit);
  const data = await api(`/api/events?${p}`);
  const body = $('event-table').tBodies[0];
  clear(body);
  const who = (name, country) => (name || '') + (country ? ` (${country})` : '');
  for (const r of data.rows) {
    const articles = data.unit === 'stories' ? String(r.num_articles) : '1';
    body.append(el('tr', {},
      el('td', { text: r.date || '' }),
      el('td', { text: r.type }),
      el('td', { text: r.cameo || '' }),
      el('td', { text: who(r.source, r.source_country) }),
      el('td', { text: who(r.target, r.target_country) }),
      el('td', { text: who(r.place, r.place_country) }),
      el('td', { text: articles }),
      el('td', { text: r.trigger }),
      el('td', {}, el('a', { href: `#doc/${encodeURIComponent(r.doc_id)}`, class: 'doc-link', text: r.doc_id }))));
  }
  const noun = data.unit === 'stories' ? 'story events' : 'reports';
  $('event-total').textContent = `${data.total} ${noun}`;
  $('event-range').textContent = data.rows.length
    ? `(showing ${data.offset + 1}–${data.offset + data.rows.length})` : '';
  $('page-prev').disabled = page.offset === 0;
  $('page-next').disabled = data.offset + data.rows.length >= data.total;
}

async function viewMap() {
  const data = await api(`/api/places?${filterParams()}`);
  const points = data.points.map((p) => ({ ...p, label: `${p.place || '?'}${p.country ? `, ${p.country}` : ''}` }));
  const total = points.reduce((a, p) => a + p.count, 0);
  $('map-summary').textContent = `${points.length} places, ${total} located ${data.unit === 'stories' ? 'story events' : 'reports'}`;
  await drawMap($('map-main'), points);
}

async function viewTimeline() {
  const p = filterParams();
  p.set('by', $('timeline-by').value);
  const data = await api(`/api/counts?${p}`);
  const rows = data.rows.filter((r) => r.key[0]);
  const box = $('timeline-chart');
  clear(box);
  const total = rows.reduce((a, r) => a + r.count, 0);
  const undated = data.rows.filter((r) => !r.key[0]).reduce((a, r) => a + r.count, 0);
  // Only buckets with events are drawn, in order: gaps are not to scale.
  $('timeline-summary').textContent = `${total} dated ${data.unit === 'stories' ? 'story events' : 'reports'} in ${rows.length} ${data.by}s with events (${undated} undated not shown)`;
  const W = 900;
  const H = 260;
  const pad = 30;
  const root = svg('svg', { viewBox: `0 0 ${W} ${H + pad}`, width: '100%' });
  const max = Math.max(1, ...rows.map((r) => r.count));
  const bw = rows.length ? (W - pad) / rows.length : 0;
  rows.forEach((r, i) => {
    const h = (r.count / max) * (H - 10);
    root.append(svg('rect', {
      x: (pad + i * bw).toFixed(2), y: (H - h).toFixed(2),
      width: Math.max(0.5, bw - 0.5).toFixed(2), height: h.toFixed(2), class: 'bar',
    }, svgTitle(`${r.key[0]}: ${r.count}`)));
  });
  const label = (x, text, anchor) => {
    const t = svg('text', { x, y: H + 14, class: 'axis', 'text-anchor': anchor });
    t.textContent = text;
    return t;
  };
  // About eight labelled ticks along the axis.
  const every = Math.max(1, Math.ceil(rows.length / 8));
  rows.forEach((r, i) => {
    if (i % every === 0) root.append(label((pad + i * bw).toFixed(2), r.key[0], 'start'));
  });
  const top = svg('text', { x: 0, y: 10, class: 'axis' });
  top.textContent = String(max);
  root.append(top);
  box.append(root);
}

// A stable colour per event type.
function typeColour(type) {
  let h = 0;
  for (const ch of type) h = (h * 31 + ch.charCodeAt(0)) % 360;
  return `hsl(${h}, 65%, 42%)`;
}

// A small force-directed layout: repulsion between all nodes, springs on
// edges, gravity to the centre; deterministic (nodes start on a circle).
function layout(nodes, edges, W, H) {
  const n = nodes.length;
  nodes.forEach((d, i) => {
    d.x = W / 2 + (W / 3) * Math.cos((2 * Math.PI * i) / n);
    d.y = H / 2 + (H / 3) * Math.sin((2 * Math.PI * i) / n);
  });
  const index = new Map(nodes.map((d, i) => [d.id, i]));
  const links = edges.map((e) => [index.get(e.source), index.get(e.target)]).filter(([a, b]) => a !== undefined && b !== undefined && a !== b);
  for (let it = 0; it < 300; it++) {
    const t = 1 - it / 300;
    const fx = new Float64Array(n);
    const fy = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const dx = nodes[i].x - nodes[j].x;
        const dy = nodes[i].y - nodes[j].y;
        const d2 = Math.max(25, dx * dx + dy * dy);
        const f = 700 / d2;
        fx[i] += dx * f; fy[i] += dy * f; fx[j] -= dx * f; fy[j] -= dy * f;
      }
    }
    for (const [a, b] of links) {
      const dx = nodes[b].x - nodes[a].x;
      const dy = nodes[b].y - nodes[a].y;
      fx[a] += dx * 0.02; fy[a] += dy * 0.02; fx[b] -= dx * 0.02; fy[b] -= dy * 0.02;
    }
    for (let i = 0; i < n; i++) {
      fx[i] += (W / 2 - nodes[i].x) * 0.03;
      fy[i] += (H / 2 - nodes[i].y) * 0.04;
      const step = Math.hypot(fx[i], fy[i]);
      const cap = 10 * t + 0.5;
      const k = step > cap ? cap / step : 1;
      nodes[i].x = Math.min(W - 20, Math.max(20, nodes[i].x + fx[i] * k));
      nodes[i].y = Math.min(H - 20, Math.max(20, nodes[i].y + fy[i] * k));
    }
  }
}

async function viewNetwork() {
  const p = filterParams();
  p.set('limit', '120');
  const data = await api(`/api/network?${p}`);
  const W = 900;
  const H = 600;
  const nodes = data.nodes.map((d) => ({ ...d }));
  layout(nodes, data.edges, W, H);
  const at = new Map(nodes.map((d) => [d.id, d]));
  const box = $('network-graph');
  clear(box);
  const root = svg('svg', { viewBox: `0 0 ${W} ${H}` });
  const maxE = Math.max(1, ...data.edges.map((e) => e.count));
  const types = new Set();
  for (const e of data.edges) {
    const a = at.get(e.source);
    const b = at.get(e.target);
    if (!a || !b) continue;
    types.add(e.type);
    root.append(svg('line', {
      x1: a.x.toFixed(1), y1: a.y.toFixed(1), x2: b.x.toFixed(1), y2: b.y.toFixed(1),
      class: 'edge', stroke: typeColour(e.type), 'stroke-width': (0.8 + 4 * e.count / maxE).toFixed(2),
      'data-type': e.type,
    }, svgTitle(`${a.name} → ${b.name}: ${e.type} (${e.count})`)));
  }
  const maxN = Math.max(1, ...nodes.map((d) => d.count));
  for (const d of nodes) {
    const g = svg('g', { class: 'node', 'data-name': d.name });
    g.append(svg('circle', { cx: d.x.toFixed(1), cy: d.y.toFixed(1), r: (3 + 9 * Math.sqrt(d.count / maxN)).toFixed(1), fill: '#2456a6' },
      svgTitle(`${d.name}${d.country ? ` (${d.country})` : ''}: ${d.count}`)));
    // Labels on the right half read leftwards so they stay inside the frame.
    const right = d.x > W * 0.6;
    const t = svg('text', { x: (d.x + (right ? -8 : 8)).toFixed(1), y: (d.y + 3).toFixed(1), 'text-anchor': right ? 'end' : 'start' });
    t.textContent = d.name + (d.country ? ` (${d.country})` : '');
    g.append(t);
    root.append(g);
  }
  box.append(root);
  $('network-summary').textContent = `${nodes.length} actors, ${data.edges.length} links (the strongest, by number of ${data.unit === 'stories' ? 'story events' : 'reports'})`;
  const legend = $('network-legend');
  clear(legend);
  for (const t of [...types].sort()) {
    // Styled through the CSSOM: the policy refuses style attributes.
    const swatch = el('span', { class: 'swatch' });
    swatch.style.backgroundColor = typeColour(t);
    legend.append(swatch, t);
  }
}

async function viewDocuments() {
  const q = $('doc-q').value.trim();
  const p = new URLSearchParams();
  if (q) p.set('q', q);
  p.set('limit', '50');
  const data = await api(`/api/documents?${p}`);
  const list = $('doc-list');
  clear(list);
  for (const d of data.rows) {
    list.append(el('li', {},
      el('a', { href: `#doc/${encodeURIComponent(d.doc_id)}`, text: d.title || d.doc_id }),
      ` — ${d.published || 'undated'}, ${d.events} events`));
  }
}

// ---- Records: highlighted text, actors, events, places.

// Splits `text` (code points, as the record's offsets count them) into
// plain runs and highlighted spans. Overlapping spans are dropped in favour
// of the one that starts first (triggers before entities on a tie).
function renderText(container, record, prefix) {
  clear(container);
  const chars = Array.from(record.text);
  const spans = [];
  for (const ev of record.events || []) {
    const t = ev.trigger;
    if (t && t.end > t.start) spans.push({ start: t.start, end: t.end, cls: 'hl trigger', id: `${prefix}-trg-${ev.id}`, event: ev.id, rank: 0 });
  }
  for (const en of record.entities || []) {
    if (en.end > en.start) spans.push({ start: en.start, end: en.end, cls: `hl ent ent-${en.type}`, id: `${prefix}-ent-${en.id}`, entity: en.id, rank: 1 });
  }
  spans.sort((a, b) => a.start - b.start || a.rank - b.rank || b.end - a.end);
  let pos = 0;
  for (const s of spans) {
    if (s.start < pos || s.end > chars.length) continue;
    if (s.start > pos) container.append(document.createTextNode(chars.slice(pos, s.start).join('')));
    const m = el('mark', { class: s.cls, id: s.id, 'data-event': s.event, 'data-entity': s.entity });
    m.textContent = chars.slice(s.start, s.end).join('');
    container.append(m);
    pos = s.end;
  }
  if (pos < chars.length) container.append(document.createTextNode(chars.slice(pos).join('')));
}

function actorName(record, ids) {
  const byId = new Map((record.actors || []).map((a) => [a.id, a]));
  return (ids || []).map((id) => {
    const a = byId.get(id);
    return a ? a.name + (a.country ? ` (${a.country})` : '') : id;
  }).join(', ');
}

// Marks the text spans of event `ev` (its trigger, its actors' mentions,
// its place) and the event's list item.
function focusEvent(prefix, record, ev) {
  document.querySelectorAll('.focus').forEach((n) => n.classList.remove('focus'));
  const ids = [`${prefix}-trg-${ev.id}`, `${prefix}-ev-${ev.id}`];
  const actors = new Set([...(ev.source || []), ...(ev.target || [])]);
  for (const en of record.entities || []) {
    const place = ev.location && en.start === ev.location.start && en.end === ev.location.end;
    if ((en.actor && actors.has(en.actor)) || place) ids.push(`${prefix}-ent-${en.id}`);
  }
  for (const id of ids) {
    const n = document.getElementById(id);
    if (n) n.classList.add('focus');
  }
  const trg = document.getElementById(`${prefix}-trg-${ev.id}`);
  if (trg) trg.scrollIntoView({ block: 'nearest' });
}

function renderRecord(prefix, record, boxes, stories) {
  renderText(boxes.text, record, prefix);
  const actors = boxes.actors.tBodies[0];
  clear(actors);
  for (const a of record.actors || []) {
    actors.append(el('tr', { class: 'actor' },
      el('td', { class: 'actor-name', text: a.name }),
      el('td', { class: 'actor-country', text: a.country || '' }),
      el('td', { text: (a.sectors || []).join(', ') })));
  }
  const storyOf = new Map((stories || []).map((s) => [s.event_id, s]));
  const list = boxes.events;
  clear(list);
  for (const ev of record.events || []) {
    const where = ev.location ? ` in ${ev.location.name}${ev.location.country ? ` (${ev.location.country})` : ''}` : '';
    const story = storyOf.get(ev.id);
    const li = el('li', { id: `${prefix}-ev-${ev.id}`, class: 'event' },
      el('a', { href: `#${prefix}-trg-${ev.id}`, class: 'event-link', text: `${ev.type}${ev.cameo ? ` ${ev.cameo}` : ''}`,
        onclick: (e) => { e.preventDefault(); focusEvent(prefix, record, ev); } }),
      `: ${actorName(record, ev.source) || '?'} → ${actorName(record, ev.target) || '?'}${where}`,
      ev.date ? `, ${ev.date}` : '',
      ` — “${ev.trigger ? ev.trigger.text : ''}”`,
      story && story.num_articles > 1 ? ` (reported by ${story.num_articles} articles)` : '');
    list.append(li);
  }
  // Clicking a highlighted span shows the events it belongs to.
  boxes.text.onclick = (e) => {
    const m = e.target.closest('mark');
    if (!m) return;
    const evId = m.getAttribute('data-event');
    const enId = m.getAttribute('data-entity');
    let ev = null;
    if (evId) ev = (record.events || []).find((x) => x.id === evId);
    if (!ev && enId) {
      const en = (record.entities || []).find((x) => x.id === enId);
      ev = (record.events || []).find((x) => en && ((en.actor && [...(x.source || []), ...(x.target || [])].includes(en.actor))
        || (x.location && x.location.start === en.start && x.location.end === en.end)));
    }
    if (ev) focusEvent(prefix, record, ev);
  };
  const points = new Map();
  for (const ev of record.events || []) {
    const l = ev.location;
    if (!l || typeof l.lat !== 'number') continue;
    const key = `${l.lat},${l.lon}`;
    const p = points.get(key) || { lat: l.lat, lon: l.lon, place: l.name, count: 0, label: `${l.name}${l.country ? `, ${l.country}` : ''}` };
    p.count += 1;
    points.set(key, p);
  }
  return drawMap(boxes.map, [...points.values()]);
}

async function viewDoc(docId) {
  const data = await api(`/api/documents/${encodeURIComponent(docId)}`);
  const r = data.record;
  $('doc-title').textContent = r.meta.title || r.doc_id;
  const m = r.meta;
  $('doc-meta').textContent = [m.publisher, m.published, m.url].filter(Boolean).join(' · ');
  const s = data.stats;
  $('doc-stats').textContent = `${s.sentences} sentences, ${s.entities} entities, ${s.actors} actors, ${s.events} events`;
  await renderRecord('doc', r, { text: $('doc-text'), actors: $('doc-actors'), events: $('doc-events'), map: $('doc-map') }, data.stories);
}

async function codePasted() {
  const text = $('paste-text').value;
  if (!text.trim()) {
    $('paste-status').textContent = 'Paste some text first.';
    return;
  }
  $('paste-status').textContent = 'Coding…';
  const t0 = performance.now();
  const record = await api('/api/code', { method: 'POST', headers: { 'content-type': 'text/plain; charset=utf-8' }, body: text });
  $('paste-result').hidden = false;
  await renderRecord('paste', record, { text: $('paste-doc'), actors: $('paste-actors'), events: $('paste-events'), map: $('paste-map') }, []);
  const ms = Math.round(performance.now() - t0);
  $('paste-status').textContent = `${record.actors.length} actors, ${record.events.length} events (${ms} ms)`;
  document.body.setAttribute('data-paste-done', '1');
}

// ---- Routing: #events, #map, #timeline, #network, #documents, #doc/ID, #paste.

const VIEWS = {
  events: viewEvents,
  map: viewMap,
  timeline: viewTimeline,
  network: viewNetwork,
  documents: viewDocuments,
  paste: async () => {},
};
const FILTERED = new Set(['events', 'map', 'timeline', 'network']);

async function route() {
  const hash = decodeURIComponent(location.hash.slice(1)) || 'events';
  let name = hash;
  let run;
  if (hash.startsWith('doc/')) {
    name = 'doc';
    run = () => viewDoc(hash.slice(4));
  } else {
    if (!VIEWS[name]) name = 'events';
    run = VIEWS[name];
  }
  document.querySelectorAll('.view').forEach((v) => v.classList.toggle('active', v.id === `view-${name}`));
  document.querySelectorAll('#nav a').forEach((a) => a.classList.toggle('active', a.dataset.view === name));
  $('filters').hidden = !FILTERED.has(name);
  showError('');
  document.body.setAttribute('data-ready', '0');
  try {
    await run();
  } catch (e) {
    showError(e.message);
  }
  document.body.setAttribute('data-view', name);
  document.body.setAttribute('data-ready', '1');
}

async function refresh() {
  document.body.setAttribute('data-ready', '0');
  await route();
}

function init() {
  $('filters').addEventListener('submit', (e) => { e.preventDefault(); page.offset = 0; refresh(); });
  $('f-clear').addEventListener('click', () => { $('filters').reset(); page.offset = 0; refresh(); });
  $('page-prev').addEventListener('click', () => { page.offset = Math.max(0, page.offset - page.limit); refresh(); });
  $('page-next').addEventListener('click', () => { page.offset += page.limit; refresh(); });
  $('timeline-by').addEventListener('change', refresh);
  $('doc-search').addEventListener('submit', (e) => { e.preventDefault(); refresh(); });
  $('paste-code').addEventListener('click', () => codePasted().catch((e) => {
    $('paste-status').textContent = '';
    showError(e.message);
  }));
  window.addEventListener('hashchange', route);
  api('/api/stats').then((s) => {
    $('store-info').textContent = s.store ? `${s.store.documents} documents, ${s.store.story_events} story events` : 'no event store';
  }).catch(() => {});
  route();
}

document.addEventListener('DOMContentLoaded', init);
