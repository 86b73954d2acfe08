// Browser tests of the web UI (issue 9), run by scripts/test-ui.sh against a
// running `annalist serve` over a store holding Tehran Times articles and
// the XSS fixture (web/tests/fixtures/xss.jsonl).
//
// Environment: ANNALIST_URL (the server), SCREENSHOTS (a folder), SEED (the
// seed article, read at run time; it is third-party text and never copied
// into the repository), CHROMIUM (default /usr/bin/chromium).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const BASE = (process.env.ANNALIST_URL || 'http://127.0.0.1:8080').replace(/\/$/, '');
const SHOTS = process.env.SCREENSHOTS || 'test-results';
const SEED = process.env.SEED || '../../shared/gold/seed.txt';
mkdirSync(SHOTS, { recursive: true });

let browser;
let context;

before(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  // The UI must never reach beyond its own server.
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(BASE) || url.startsWith('data:')) return route.continue();
    return route.abort();
  });
});

after(async () => {
  await browser?.close();
});

// Opens a page, failing the test on any script error or off-site request.
async function open(hash) {
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('request', (r) => {
    const url = r.url();
    if (!url.startsWith(BASE) && !url.startsWith('data:')) problems.push(`off-site request: ${url}`);
  });
  await page.goto(`${BASE}/#${hash}`);
  await ready(page);
  return { page, problems };
}

// Waits until the view has rendered (app.js sets data-ready after each route).
async function ready(page) {
  await page.waitForSelector('body[data-ready="1"]', { timeout: 60_000 });
}

async function shot(page, name) {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

async function noError(page) {
  const err = page.locator('#error');
  assert.equal(await err.isHidden(), true, `the page shows an error: ${await err.textContent()}`);
}

test('every page loads without errors', async () => {
  for (const view of ['events', 'map', 'timeline', 'network', 'documents', 'paste']) {
    const { page, problems } = await open(view);
    assert.equal(await page.getAttribute('body', 'data-view'), view);
    await noError(page);
    await shot(page, `page-${view}`);
    assert.deepEqual(problems, [], `${view}: ${problems.join('; ')}`);
    await page.close();
  }
});

test('filters change the event table', async () => {
  const { page, problems } = await open('events');
  const total = async () => Number((await page.textContent('#event-total')).split(' ')[0]);
  const before = await total();
  assert.ok(before > 0, 'the store has events');
  assert.ok(await page.locator('#event-table tbody tr').count() > 0);
  await page.fill('#f-actor_country', 'IRN');
  await page.fill('#f-target_country', 'TJK');
  await page.click('#f-apply');
  await ready(page);
  await noError(page);
  const after = await total();
  assert.ok(after > 0 && after < before, `IRN → TJK: ${after} of ${before}`);
  const sources = await page.locator('#event-table tbody tr td:nth-child(4)').allTextContents();
  const targets = await page.locator('#event-table tbody tr td:nth-child(5)').allTextContents();
  assert.ok(sources.length > 0 && sources.every((s) => s.endsWith('(IRN)')), sources.join(' | '));
  assert.ok(targets.every((s) => s.endsWith('(TJK)')), targets.join(' | '));
  await shot(page, 'filter-irn-tjk');
  // Full-text search narrows further, and clearing restores the total.
  await page.fill('#f-text', 'Dushanbe');
  await page.click('#f-apply');
  await ready(page);
  const searched = await total();
  assert.ok(searched > 0 && searched <= after, `Dushanbe: ${searched}`);
  await shot(page, 'filter-text');
  await page.click('#f-clear');
  await ready(page);
  assert.equal(await total(), before);
  assert.deepEqual(problems, []);
  await page.close();
});

test('the map shows event points', async () => {
  const { page, problems } = await open('map');
  const countries = await page.locator('#map-main path.country').count();
  const points = await page.locator('#map-main circle.pt').count();
  assert.ok(countries > 150, `${countries} countries`);
  assert.ok(points > 10, `${points} points`);
  await shot(page, 'map');
  assert.deepEqual(problems, []);
  await page.close();
});

test('the timeline and the network draw', async () => {
  let { page, problems } = await open('timeline');
  assert.ok(await page.locator('#timeline-chart rect.bar').count() > 5);
  await page.close();
  ({ page, problems } = await open('network'));
  assert.ok(await page.locator('#network-graph g.node').count() > 5);
  assert.ok(await page.locator('#network-graph line.edge').count() > 5);
  await shot(page, 'network');
  assert.deepEqual(problems, []);
  await page.close();
});

test('the document view highlights entities, actors and triggers', async () => {
  const { page, problems } = await open('events');
  await page.fill('#f-actor_country', 'IRN');
  await page.fill('#f-type', 'CONSULT');
  await page.click('#f-apply');
  await ready(page);
  await page.locator('#event-table a.doc-link').first().click();
  await page.waitForSelector('body[data-view="doc"][data-ready="1"]');
  await noError(page);
  const triggers = await page.locator('#doc-text mark.trigger').count();
  const people = await page.locator('#doc-text mark.ent-PER, #doc-text mark.ent-ORG').count();
  const places = await page.locator('#doc-text mark.ent-LOC').count();
  assert.ok(triggers > 0, 'trigger highlights');
  assert.ok(people + places > 0, 'entity highlights');
  assert.ok(await page.locator('#doc-actors tbody tr').count() > 0, 'actors listed');
  // Each highlighted trigger is the text its event names.
  const first = page.locator('#doc-events li.event').first();
  await first.locator('a.event-link').click();
  assert.ok(await page.locator('#doc-text mark.trigger.focus').count() === 1, 'the event links to its trigger');
  await shot(page, 'document');
  assert.deepEqual(problems, []);
  await page.close();
});

test('the pasted seed shows its actors, countries and the Dushanbe events', async () => {
  const seed = readFileSync(SEED, 'utf8');
  const { page, problems } = await open('paste');
  await page.fill('#paste-text', seed);
  await page.click('#paste-code');
  await page.waitForSelector('body[data-paste-done="1"]', { timeout: 60_000 });
  await noError(page);
  const rows = await page.locator('#paste-actors tbody tr').evaluateAll((trs) => trs.map((tr) => [
    tr.querySelector('.actor-name').textContent, tr.querySelector('.actor-country').textContent]));
  const country = (name) => rows.find(([n]) => n.includes(name))?.[1];
  assert.equal(country('Bagheri'), 'IRN', JSON.stringify(rows));
  assert.equal(country('Mirzo'), 'TJK', JSON.stringify(rows));
  assert.equal(country('Yatimov'), 'TJK', JSON.stringify(rows));
  const dushanbe = await page.locator('#paste-map circle.pt[data-place="Dushanbe"]').count();
  assert.equal(dushanbe, 1, 'a Dushanbe point on the map');
  // The point sits on Tajikistan: near 68.8 E, 38.5 N.
  const cx = Number(await page.locator('#paste-map circle.pt[data-place="Dushanbe"]').getAttribute('cx'));
  const cy = Number(await page.locator('#paste-map circle.pt[data-place="Dushanbe"]').getAttribute('cy'));
  assert.ok(Math.abs(cx / 2 - 180 - 68.8) < 1 && Math.abs(90 - cy / 2 - 38.5) < 1, `${cx},${cy}`);
  assert.ok(await page.locator('#paste-doc mark.trigger').count() > 0);
  await shot(page, 'paste-seed');
  assert.deepEqual(problems, []);
  await page.close();
});

test('a document with markup renders inert, as text', async () => {
  const { page, problems } = await open('doc/xss-fixture');
  await noError(page);
  const pwned = await page.evaluate(() => window.__pwned);
  assert.equal(pwned, undefined, 'no script from the document ran');
  const text = await page.textContent('#doc-text');
  assert.ok(text.includes("<script>window.__pwned = 'script'</script>"), text);
  assert.ok(text.includes('<img src=x onerror='), text);
  assert.ok((await page.textContent('#doc-title')).includes('<img src=x'), 'the title is text too');
  assert.equal(await page.locator('#doc-text script, #doc-text img, #doc-title img').count(), 0);
  await shot(page, 'xss-document');
  // The same text pasted is inert too.
  await page.goto(`${BASE}/#paste`);
  await ready(page);
  await page.fill('#paste-text', text);
  await page.click('#paste-code');
  await page.waitForSelector('body[data-paste-done="1"]', { timeout: 60_000 });
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.equal(await page.locator('#paste-doc img, #paste-doc script').count(), 0);
  assert.deepEqual(problems, []);
  await page.close();
});

test('write endpoints refuse requests without the token', async () => {
  const { page } = await open('paste');
  const statuses = await page.evaluate(async () => {
    const post = (headers) => fetch('/api/documents', {
      method: 'POST', headers: { 'content-type': 'text/plain', ...headers }, body: 'Iran and Tajikistan met.',
    }).then(async (r) => [r.status, (await r.json()).error?.code]);
    return [await post({}), await post({ authorization: 'Bearer wrong-token' })];
  });
  for (const [status, code] of statuses) {
    assert.ok(status === 401 || status === 403, `status ${status}`);
    assert.ok(code === 'unauthorized' || code === 'read_only', code);
  }
  await page.close();
});
