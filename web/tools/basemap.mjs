// Converts Natural Earth's 110m country outlines (the `world-atlas` npm
// package, public domain) into the compact basemap the UI draws: one SVG
// path per country in an equirectangular projection of 720 x 360 units
// (x = (lon + 180) * 2, y = (90 - lat) * 2). Run `npm run basemap` after
// `npm ci` to rebuild web/basemap.json.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const topo = JSON.parse(
  readFileSync(join(here, '..', 'node_modules', 'world-atlas', 'countries-110m.json'), 'utf8'),
);
const [sx, sy] = topo.transform.scale;
const [tx, ty] = topo.transform.translate;

// TopoJSON arcs are delta-encoded quantized points.
const arcs = topo.arcs.map((arc) => {
  let x = 0;
  let y = 0;
  return arc.map(([dx, dy]) => {
    x += dx;
    y += dy;
    return [x * sx + tx, y * sy + ty];
  });
});

function ring(indices) {
  const pts = [];
  for (const i of indices) {
    const a = i >= 0 ? arcs[i] : arcs[~i].slice().reverse();
    // Consecutive arcs share their end point.
    pts.push(...(pts.length ? a.slice(1) : a));
  }
  return pts;
}

const r1 = (v) => Math.round(v * 10) / 10;
// Makes a ring's longitudes continuous: a ring crossing the antimeridian
// (Russia, Fiji, Antarctica) would otherwise draw a line across the map.
// The unwrapped ring runs past -180 or 180, so it is drawn once more shifted
// by 360 degrees; the SVG viewport clips what falls outside.
function unwrap(pts) {
  const out = [];
  let shift = 0;
  for (let i = 0; i < pts.length; i++) {
    if (i > 0) {
      const d = pts[i][0] - pts[i - 1][0];
      if (d > 180) shift -= 360;
      else if (d < -180) shift += 360;
    }
    out.push([pts[i][0] + shift, pts[i][1]]);
  }
  const lons = out.map((p) => p[0]);
  const copies = [out];
  if (Math.min(...lons) < -180) copies.push(out.map(([x, y]) => [x + 360, y]));
  if (Math.max(...lons) > 180) copies.push(out.map(([x, y]) => [x - 360, y]));
  return copies;
}

function path(rings) {
  return rings
    .flatMap(unwrap)
    .map((pts) => {
      const xy = pts.map(([lon, lat]) => [r1((lon + 180) * 2), r1((90 - lat) * 2)]);
      const out = [];
      let last = '';
      for (const [x, y] of xy) {
        const p = `${x} ${y}`;
        if (p !== last) out.push(p);
        last = p;
      }
      return out.length > 2 ? `M${out.join('L')}Z` : '';
    })
    .join('');
}

const countries = topo.objects.countries.geometries
  .map((g) => {
    let rings = [];
    if (g.type === 'Polygon') rings = g.arcs.map(ring);
    else if (g.type === 'MultiPolygon') rings = g.arcs.flatMap((poly) => poly.map(ring));
    return { id: g.id ?? '', name: g.properties?.name ?? '', d: path(rings) };
  })
  .filter((c) => c.d);

const out = {
  source: 'Natural Earth 1:110m Admin 0 countries, via the world-atlas npm package 2.0.2 (public domain)',
  projection: 'equirectangular, x = (lon + 180) * 2, y = (90 - lat) * 2',
  width: 720,
  height: 360,
  countries,
};
writeFileSync(join(here, '..', 'basemap.json'), JSON.stringify(out));
console.log(`basemap.json: ${countries.length} countries`);
