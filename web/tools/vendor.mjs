// Copies the front-end libraries the UI uses from node_modules into
// web/vendor/, where `annalist serve` embeds them (`npm run vendor` after
// changing their versions in package.json). Nothing is fetched at run time.
//
// - Leaflet 1.9.4 (BSD-2-Clause): the slippy map, drawing our own basemap.
// - d3-force 3 with d3-dispatch, d3-quadtree and d3-timer (ISC): the
//   network layout. Their UMD builds are concatenated in dependency order;
//   each attaches itself to the global `d3`.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const web = join(dirname(fileURLToPath(import.meta.url)), '..');
const nm = join(web, 'node_modules');
const out = join(web, 'vendor');
mkdirSync(out, { recursive: true });

const read = (p) => readFileSync(join(nm, p), 'utf8');
writeFileSync(join(out, 'leaflet.js'), read('leaflet/dist/leaflet.js').replace(/\n\/\/# sourceMappingURL=.*\n?$/, '\n'));
writeFileSync(join(out, 'leaflet.css'), read('leaflet/dist/leaflet.css'));
const d3 = ['d3-dispatch', 'd3-quadtree', 'd3-timer', 'd3-force']
  .map((m) => read(`${m}/dist/${m}.min.js`).trim())
  .join('\n');
writeFileSync(join(out, 'd3-force.js'), `${d3}\n`);
console.log('vendored leaflet and d3-force into web/vendor/');
