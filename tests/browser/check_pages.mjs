// Opens every generated dashboard page in Debian's Chromium (driven by playwright-core) and checks
// what a user would: no console errors, no network, every chart drawn with the expected series and
// wheel segments, no serious or critical axe-core violations, keyboard access, the hostile names
// shown as text, a printable PDF. Saves a screenshot of each page.
//
// Usage: node check_pages.mjs EXPECT.json OUTDIR
// EXPECT.json: { pages: [{file, kind, ...}], wheel_counts: {ring: n}, hostile: {...} }
import { readFileSync, mkdirSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, '..', '..', 'package.json'));
const { chromium } = require('playwright-core');
const axePath = require.resolve('axe-core/axe.min.js');

const [expectPath, outDir] = process.argv.slice(2);
const expect = JSON.parse(readFileSync(expectPath, 'utf8'));
mkdirSync(outDir, { recursive: true });

let passed = 0;
let failed = 0;
function check(cond, what, detail) {
  if (cond) {
    passed++;
    console.log('ok   ' + what);
  } else {
    failed++;
    console.log('FAIL ' + what + (detail ? ': ' + detail : ''));
  }
}

const RING_SERIES = { centre: 'Kern', generic: 'Generieke competenties', general: 'Algemene kennis',
                      specific: 'Specifieke kennis', target_group: 'Doelgroepen' };

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--font-render-hinting=none'],
});

for (const spec of expect.pages) {
  const file = resolve(spec.file);
  const name = basename(dirname(file)) + '/' + basename(file, '.html');
  const shot = basename(dirname(file)) + '-' + basename(file, '.html');
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'nl-NL' });
  const page = await context.newPage();
  const problems = [];
  const network = [];
  const dialogs = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push('console: ' + m.text()); });
  page.on('pageerror', (e) => problems.push('page error: ' + e.message));
  page.on('dialog', async (d) => { dialogs.push(d.message()); await d.dismiss(); });
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file://')) return route.continue();
    network.push(url);
    return route.abort();
  });

  let rendered = true;
  try {
    await page.goto('file://' + file);
    await page.waitForSelector('html[data-rendered="true"]', { timeout: 30000 });
  } catch (e) {
    rendered = false;
    problems.push(e.message.split('\n')[0]);
  }
  check(rendered, `${name}: page renders`, problems.join('; '));
  if (!rendered) { await context.close(); continue; }

  const info = await page.evaluate(() => {
    const out = {};
    for (const [id, inst] of Object.entries(window.kbsCharts)) {
      const opt = inst.getOption();
      const dom = inst.getDom();
      out[id] = {
        series: opt.series.map((s) => ({ name: s.name, type: s.type, n: (s.data || []).length,
                                         labels: (s.data || []).map((d) => (d && d.label && typeof d.label.formatter === 'string') ? d.label.formatter : null),
                                         blocks: (s.data || []).map((d) => (d && d.row) ? d.row.block_id : null) })),
        svg: dom.querySelectorAll('svg').length,
        paths: dom.querySelectorAll('svg path').length,
        texts: Array.from(dom.querySelectorAll('svg text')).map((t) => t.textContent),
        height: dom.getBoundingClientRect().height,
      };
    }
    return { charts: out, data: window.kbsData, scripts: document.scripts.length,
             h1: document.querySelector('h1').textContent, title: document.title };
  });
  const D = info.data;

  // Every chart: drawn as SVG with visible shapes, and described for screen readers.
  for (const [id, c] of Object.entries(info.charts)) {
    check(c.svg === 1 && c.paths > 0 && c.height > 100, `${name}: ${id} is drawn`, `svg=${c.svg} paths=${c.paths} height=${c.height}`);
  }
  const labels = await page.$$eval('.chart', (els) => els.map((e) => [e.getAttribute('role'), e.getAttribute('aria-label') || '']));
  check(labels.length > 0 && labels.every(([r, l]) => r === 'img' && l.length > 20), `${name}: every chart has a text alternative`);
  const chartTables = await page.$$eval('.chart', (els) => els.map((e) => {
    let n = e.nextElementSibling;
    while (n && !n.matches('details, .tablewrap, table')) n = n.nextElementSibling;
    return !!(n && n.querySelector ? (n.matches('table') || n.querySelector('table')) : false);
  }));
  check(chartTables.every(Boolean), `${name}: every chart is followed by a table with the same figures`);

  if (spec.kind === 'municipality') {
    const dates = new Set(D.trend.filter((r) => r.ring_code === 'specific').map((r) => r.peildatum));
    const t = info.charts['chart-trend'];
    check(t && t.series.length === 7 && t.series.every((s) => s.type === 'line' && s.n === dates.size),
          `${name}: trend has 7 domain series of ${dates.size} peildata`, JSON.stringify(t && t.series.map((s) => [s.name, s.n])));
    check(dates.size >= spec.min_peildata, `${name}: trend covers at least ${spec.min_peildata} peildata`, String(dates.size));
    const h = info.charts['chart-heatmap'];
    check(h && h.series.length === 1 && h.series[0].n === spec.teams * 7,
          `${name}: heat map has ${spec.teams} teams x 7 domains`, JSON.stringify(h && h.series.map((s) => s.n)));
    const f = info.charts['chart-freshness'];
    check(f && f.series.map((s) => s.name).join('|') === 'actueel|verouderd|niet beoordeeld' &&
          f.series.every((s) => s.n === spec.teams), `${name}: freshness has 3 series over ${spec.teams} teams`);
    if (D.plan === null) {
      const notice = await page.$eval('#scholingsplan', (s) => s.innerText.includes('Geen toegang'));
      check(!info.charts['chart-plan'] && notice, `${name}: plan progress says "geen toegang" to a policy reader`);
    } else {
      const p = info.charts['chart-plan'];
      check(p && p.series.map((s) => s.name).join('|') === 'afgerond|bezig|gepland|voorgesteld' &&
            p.series.every((s) => s.n === D.plan.length), `${name}: plan progress has 4 status series`);
    }
    const links = await page.$$eval('#teams a', (as) => as.map((a) => a.getAttribute('href')));
    check(links.length === spec.teams && links.every((l) => /^team-\d+\.html$/.test(l)), `${name}: links to ${spec.teams} team reports`);
    if (spec.suppressed_cells !== undefined) {
      const shown = await page.$$eval('#teams-leefgebieden td', (tds) => tds.filter((td) => td.textContent === 'onderdrukt').length);
      check(shown === spec.suppressed_cells, `${name}: ${spec.suppressed_cells} suppressed cells shown as "onderdrukt" in the table`, String(shown));
      const drawn = h.texts.filter((t) => t === 'onderdrukt').length;
      check(drawn === spec.suppressed_cells, `${name}: ${spec.suppressed_cells} suppressed cells drawn as "onderdrukt" in the heat map`, String(drawn));
    }
  } else {
    const w = info.charts['chart-wheel'];
    const rings = Object.keys(RING_SERIES);
    check(w && w.series.length === 5 && w.series.every((s, i) => s.name === RING_SERIES[rings[i]] && s.type === 'pie'),
          `${name}: wheel has the 5 rings in order`, JSON.stringify(w && w.series.map((s) => s.name)));
    check(w && w.series.every((s, i) => s.n === expect.wheel_counts[rings[i]]),
          `${name}: wheel segments per ring match the catalogue ${JSON.stringify(expect.wheel_counts)}`,
          JSON.stringify(w && w.series.map((s) => s.n)));
    if (spec.blocks) {
      // Present/required from SQL (v_team_block_status) must be what the segments say.
      const wrong = [];
      for (const s of w.series) {
        s.blocks.forEach((b, i) => {
          const e = spec.blocks[b];
          const label = s.labels[i] || '';
          if (e && !label.endsWith('\n' + e)) wrong.push(`${b}: ${JSON.stringify(label)} != ${e}`);
        });
      }
      check(wrong.length === 0 && Object.keys(spec.blocks).length > 0,
            `${name}: wheel segments show present/required as in SQL (${Object.keys(spec.blocks).length} blocks)`, wrong.join('; '));
    }
    const supRows = D.wheel.filter((r) => r.suppressed).length;
    const supLabels = w ? w.series.flatMap((s) => s.labels).filter((l) => l && l.includes('onderdrukt')).length : -1;
    check(supLabels === supRows, `${name}: ${supRows} suppressed wheel segments say "onderdrukt"`, String(supLabels));
    if (spec.suppressed_segments !== undefined) {
      check(supRows === spec.suppressed_segments, `${name}: ${spec.suppressed_segments} wheel segments suppressed as in SQL`, String(supRows));
    }
    const dm = info.charts['chart-domains'];
    check(dm && dm.series.map((s) => s.name).join('|') === 'Nodig|Aanwezig' && dm.series.every((s) => s.n === 7),
          `${name}: required vs present has 2 series over 7 domains`);
    const tr = info.charts['chart-trend'];
    check(tr && tr.series.length === 2 && tr.series.every((s) => s.n === D.trend.length) && D.trend.length >= spec.min_peildata,
          `${name}: trend has ${D.trend.length} peildata`);
    const gapRows = await page.$$eval('#tekorten tbody tr', (rs) => rs.length);
    check(gapRows === D.gaps.length && (spec.gaps === undefined || gapRows === spec.gaps),
          `${name}: gap table has ${spec.gaps === undefined ? D.gaps.length : spec.gaps} rows`, String(gapRows));
  }

  if (spec.hostile) {
    for (const [what, text] of Object.entries(spec.hostile)) {
      const found = await page.evaluate((t) => document.body.innerText.includes(t) || document.title.includes(t), text);
      check(found, `${name}: hostile ${what} shown as text`, text);
    }
    check(info.scripts === 3, `${name}: no injected script elements`, String(info.scripts));
    const imgs = await page.$$eval('img, iframe, object, embed', (e) => e.length);
    check(imgs === 0, `${name}: no injected elements`, String(imgs));
  }
  check(dialogs.length === 0, `${name}: no dialogs opened`, dialogs.join('; '));

  // Keyboard: the first Tab reaches the skip link, Enter moves to the content.
  await page.keyboard.press('Tab');
  const first = await page.evaluate(() => document.activeElement && document.activeElement.textContent);
  await page.keyboard.press('Enter');
  const after = await page.evaluate(() => document.activeElement && document.activeElement.id);
  check(first === 'Naar de inhoud' && after === 'inhoud', `${name}: keyboard skip link works`, `${first} -> ${after}`);
  // Tables behind a summary open from the keyboard.
  await page.focus('details summary');
  await page.keyboard.press('Enter');
  const openedByKey = await page.$eval('details', (d) => d.open);
  check(openedByKey, `${name}: a table opens with the keyboard`);

  // Accessibility with every table visible.
  await page.$$eval('details', (ds) => ds.forEach((d) => { d.open = true; }));
  await page.addScriptTag({ path: axePath });
  const axe = await page.evaluate(async () => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, help: v.help }));
  });
  const bad = axe.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  check(bad.length === 0, `${name}: axe-core finds no serious or critical WCAG 2.1 AA violations`,
        bad.map((v) => `${v.id} (${v.impact}, ${v.nodes}x): ${v.help}`).join('; '));
  if (axe.length) console.log(`     (minor/moderate: ${axe.map((v) => v.id + ' ' + v.impact).join(', ') || 'none'})`);

  // Print: a PDF for the team meeting; the print stylesheet hides the skip link.
  await page.$$eval('details', (ds) => ds.forEach((d) => { d.open = false; }));
  const pdf = join(outDir, shot + '.pdf');
  await page.pdf({ path: pdf, format: 'A4', printBackground: true });
  await page.emulateMedia({ media: 'print' });
  const printed = await page.evaluate(() => {
    const skipHidden = getComputedStyle(document.querySelector('.skip')).display === 'none';
    // Every chart's drawing scales to the paper: a viewBox, and no wider than the printed page.
    const fits = Array.from(document.querySelectorAll('.chart')).every((c) => {
      const svg = c.querySelector('svg');
      return svg && svg.getAttribute('viewBox') && svg.getBoundingClientRect().width <= c.getBoundingClientRect().width + 1;
    });
    return { skipHidden, fits };
  });
  await page.emulateMedia({ media: 'screen' });
  check(statSync(pdf).size > 20000 && printed.skipHidden && printed.fits,
        `${name}: prints (PDF ${statSync(pdf).size} bytes, navigation hidden, charts scaled to the paper)`, JSON.stringify(printed));

  await page.screenshot({ path: join(outDir, shot + '.png'), fullPage: true });
  check(problems.length === 0, `${name}: no console errors`, problems.join('; '));
  check(network.length === 0, `${name}: no network requests`, network.join(', '));
  await context.close();
}

await browser.close();
console.log(`browser: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
