// Opens every generated dashboard page in Debian's Chromium (driven by playwright-core) and checks
// what a user would: no console errors, no network, no serious or critical axe-core violations,
// keyboard access, the hostile names shown as text, a printable PDF. Saves a screenshot of each page.
//
// The figures are checked against the database, not against the page's own embedded data: the test
// reads the BI views itself with psql, as the role the page was generated as (a policy reader gets
// NULL for suppressed cells, to be shown as "onderdrukt"), and compares them with what the page
// shows: the chart options as ECharts holds them (labels, values, colours, axis categories) and the
// text of the HTML tables, cards and notices. Every comparison reports how many values it compared
// and fails when that is zero or fewer than the view rows call for.
//
// Usage: node check_pages.mjs EXPECT.json OUTDIR
// EXPECT.json: { psql, db, pages: [{file, kind, role, team | municipality, date?, ...}] }
import { readFileSync, mkdirSync, statSync, existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';

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

// ---- the database, read independently of the page --------------------------------------------

/* Rows of a query as the given role; with asOf, kbs.as_of is set first (person-level views). */
let pageDb = null;   // a page from another database (the national page: the benchmark database)
function sql(role, query, asOf) {
  const args = ['-X', '-q', '-t', '-A', '-v', 'ON_ERROR_STOP=1', '-U', role, '-d', pageDb || expect.db];
  if (asOf) args.push('-c', `SET kbs.as_of = '${isoDate(asOf)}'`);
  args.push('-c', `SELECT coalesce(json_agg(q), '[]') FROM (${query}) q`);
  try {
    return JSON.parse(execFileSync(expect.psql, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
  } catch (e) {
    throw new Error(`psql as ${role}: ${(e.stderr || e.message).trim()} (query: ${query.replace(/\s+/g, ' ').slice(0, 80)}…)`);
  }
}
// Values put into SQL text are checked to be what they claim.
function isoDate(d) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(String(d))) throw new Error('not a date: ' + d);
  return d;
}
function int(n) {
  if (!Number.isInteger(n)) throw new Error('not an integer: ' + n);
  return n;
}
function code(c) {
  if (!/^GM\d{4}$/.test(String(c))) throw new Error('not a municipality code: ' + c);
  return c;
}

// ---- how the pages write values (the display contract, in Dutch) ------------------------------

const MONTHS = ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus', 'september',
                'oktober', 'november', 'december'];
const num = (v) => (v === null || v === undefined ? '–' : String(v));
// Percentages are rounded by the database (numeric, half away from zero), not by the test.
const pct = (p) => (p === null || p === undefined ? '–' : p + '%');
const dateShort = (iso) => iso.split('-').reverse().join('-');
const dateLong = (iso) => { const p = iso.split('-'); return Number(p[2]) + ' ' + MONTHS[Number(p[1]) - 1] + ' ' + p[0]; };
// Dutch abbreviations of the months (mrt, not maa).
const MONTHS_SHORT = ['jan', 'feb', 'mrt', 'apr', 'mei', 'jun', 'jul', 'aug', 'sep', 'okt', 'nov', 'dec'];
const monthLabel = (iso) => { const p = iso.split('-'); return MONTHS_SHORT[Number(p[1]) - 1] + ' ' + p[0]; };
const sup = (r, text) => (r.suppressed ? 'onderdrukt' : text);
const RING_SERIES = { centre: 'Kern', generic: 'Generieke competenties', general: 'Algemene kennis',
                      specific: 'Specifieke kennis', target_group: 'Doelgroepen' };

// ---- comparing --------------------------------------------------------------------------------

// Strict: a value the page lacks (undefined) never stands in for a NULL the view has.
function same(a, b) {
  if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b) < 1e-9;
  return a === b;
}
/* One check over [where, shown, expected] triples: all equal, and at least `min` (> 0) compared. */
function compare(name, what, triples, min) {
  const wrong = triples.filter(([, s, e]) => !same(s, e))
    .map(([w, s, e]) => `${w}: page shows ${JSON.stringify(s)}, view says ${JSON.stringify(e)}`);
  const n = triples.length;
  const floor = Math.max(1, min);
  const detail = wrong.length ? wrong.slice(0, 6).join('; ') + (wrong.length > 6 ? `; … ${wrong.length} wrong in all` : '')
                              : `only ${n} values compared, expected at least ${floor}`;
  check(wrong.length === 0 && n >= floor, `${name}: ${what} (${n} values compared, at least ${floor} expected)`, detail);
}
/* Triples for a table against expected rows of cell texts; missing or extra rows are mismatches. */
function tableTriples(label, table, expRows) {
  const shown = table ? table.rows : [];
  const out = [[`${label}: rows`, shown.length, expRows.length]];
  for (let i = 0; i < Math.max(shown.length, expRows.length); i++) {
    const s = shown[i] || [];
    const e = expRows[i] || [];
    for (let j = 0; j < Math.max(s.length, e.length); j++) out.push([`${label} row ${i + 1} col ${j + 1}`, s[j], e[j]]);
  }
  return out;
}
/* A table that may be empty: then the page shows a notice instead, and that is what is compared. */
function compareTable(name, what, page, section, caption, expRows, emptyNotice) {
  const table = page.tables.find((t) => t.section === section && t.caption.startsWith(caption));
  if (expRows.length === 0 && emptyNotice !== undefined) {
    const notice = page.notices.some((n) => n.section === section && n.text === emptyNotice);
    compare(name, `${what}: the page says "${emptyNotice}"`,
            [[`notice "${emptyNotice}"`, notice, true], [`table "${caption}"`, !!table, false]], 2);
    return;
  }
  if (expRows.length === 0) {
    check(false, `${name}: ${what}`, 'the view has no rows to compare with');
    return;
  }
  const cols = expRows[0].length;
  compare(name, what, tableTriples(caption, table, expRows), expRows.length * cols + 1);
}
function cardsOf(page, section) {
  const c = page.cards.find((x) => x.section === section);
  return c ? Object.fromEntries(c.items) : {};
}

// ---- reading a page ---------------------------------------------------------------------------

function readPage() {
  const sectionOf = (n) => (n.closest('section') ? n.closest('section').id : null);
  const item = (d) => (d !== null && typeof d === 'object' && !Array.isArray(d))
    ? { value: d.value, name: d.name, label: d.label && typeof d.label.formatter === 'string' ? d.label.formatter : null,
        color: d.itemStyle ? d.itemStyle.color : null, symbol: d.symbol === undefined ? null : d.symbol }
    : d;
  const charts = {};
  for (const [id, inst] of Object.entries(window.kbsCharts)) {
    const opt = inst.getOption();
    const dom = inst.getDom();
    charts[id] = {
      series: opt.series.map((s) => ({ name: s.name, type: s.type, data: (s.data || []).map(item) })),
      xAxis: (opt.xAxis || []).map((a) => a.data || null),
      yAxis: (opt.yAxis || []).map((a) => a.data || null),
      svg: dom.querySelectorAll('svg').length,
      paths: dom.querySelectorAll('svg path').length,
      texts: Array.from(dom.querySelectorAll('svg text')).map((t) => t.textContent),
      height: dom.getBoundingClientRect().height,
    };
  }
  const css = getComputedStyle(document.documentElement);
  return {
    charts,
    colours: Object.fromEntries(['met', 'fragile', 'unknown', 'gap', 'none'].map((k) => [k, css.getPropertyValue('--' + k).trim()])),
    tables: Array.from(document.querySelectorAll('main table')).map((t) => ({
      section: sectionOf(t), caption: t.caption ? t.caption.textContent : '',
      head: Array.from(t.tHead.rows[0].cells).map((c) => c.textContent),
      rows: Array.from(t.tBodies[0].rows).map((r) => Array.from(r.cells).map((c) => c.textContent)),
      links: Array.from(t.tBodies[0].rows).map((r) => { const a = r.querySelector('a'); return a ? a.getAttribute('href') : null; }),
    })),
    notices: Array.from(document.querySelectorAll('main .notice')).map((n) => ({ section: sectionOf(n), text: n.textContent })),
    cards: Array.from(document.querySelectorAll('main ul.cards')).map((u) => ({
      section: sectionOf(u),
      items: Array.from(u.children).map((li) => [li.querySelector('.label').textContent, li.querySelector('.value').textContent]),
    })),
    sections: Array.from(document.querySelectorAll('main section')).map((s) => s.id),
    meta: document.getElementById('meta').textContent,
    scripts: document.scripts.length,
  };
}

// ---- the municipality overview ----------------------------------------------------------------

function checkMunicipality(name, spec, P, file) {
  const role = spec.role;
  const M = code(spec.municipality);
  const D = spec.date ? isoDate(spec.date)
    : sql(role, `SELECT max(peildatum) AS d FROM kbs.v_team_summary WHERE municipality_code = '${M}' AND peildatum <= current_date`)[0].d;
  compare(name, `shows the peildatum ${D} (${spec.date ? 'as generated' : 'the latest snapshot'})`,
          [['meta', P.meta.includes('peildatum ' + dateLong(D)), true]], 1);

  const teams = sql(role, `SELECT team_id, team_name, members, assessed, stale, not_assessed, shortfall, gap_blocks,
                                  unknown_blocks, fragile_blocks, members_below_floor, places_short,
                                  has_requirement, round(fulfilment * 100)::integer AS f_pct,
                                  round(fulfilment_with_partners * 100)::integer AS fp_pct, suppressed
                             FROM kbs.v_team_summary WHERE municipality_code = '${M}' AND peildatum = '${D}'
                            ORDER BY team_name, team_id`);
  if (!teams.length) {
    // Everything below would compare an empty page with empty views.
    check(false, `${name}: v_team_summary has teams of ${M} on ${D}`, 'no rows');
    return;
  }
  const shownTeams = teams.filter((t) => !t.suppressed);
  const cards = cardsOf(P, null);
  compare(name, `summary cards as in v_team_summary (${teams.length} teams)`, [
    ['teams', cards['teams'], String(teams.length)],
    ['leden', cards['leden in niet-onderdrukte teams'], String(shownTeams.reduce((a, t) => a + t.members, 0))],
    ['met een tekort', cards['teams met een tekort'], String(shownTeams.filter((t) => t.gap_blocks > 0).length)],
    ['nog te beoordelen', cards['teams met eisen nog te beoordelen'], String(shownTeams.filter((t) => t.unknown_blocks > 0).length)],
    ['onderdrukt', cards['onderdrukte teams'], String(teams.length - shownTeams.length)],
    // Nothing labelled as people that is not a count of people.
    ['no "tekort (personen)"', Object.keys(cards).some((k) => /personen/.test(k)), false]], 6);

  // Fulfilment of specific knowledge per domain at the rounds' peildata (all peildata while the
  // municipality has no round), one panel per domain. Every point says how many teams it counts; a
  // point without every team is hollow (on the dashed series) and "onvolledig" in the table.
  const trend = sql(role, `SELECT peildatum, round_name, domain_position, domain_name, teams, teams_included, complete, suppressed,
                                  round(fulfilment * 100)::integer AS f_pct, round(fulfilment * 100, 1)::float8 AS f_pt
                             FROM kbs.v_municipality_domain_trend t
                            WHERE municipality_code = '${M}' AND ring_code = 'specific' AND peildatum <= '${D}'
                              AND (round_name IS NOT NULL OR NOT EXISTS (
                                   SELECT 1 FROM kbs.v_municipality_domain_trend r
                                    WHERE r.municipality_code = '${M}' AND r.round_name IS NOT NULL AND r.peildatum <= '${D}'))
                            ORDER BY peildatum, domain_position`);
  const dates = [...new Set(trend.map((r) => r.peildatum))];
  const atDate = (dt) => trend.find((r) => r.peildatum === dt);
  const domains = [...new Map(trend.map((r) => [r.domain_position, r.domain_name])).entries()].sort((a, b) => a[0] - b[0]);
  const trendAt = (dt, pos) => trend.find((r) => r.peildatum === dt && r.domain_position === pos);
  const tc = P.charts['chart-trend'];
  const tt = [['panels (a solid and a dashed series each)', tc ? tc.series.length : 0, domains.length * 2]];
  domains.forEach(([pos, dname], i) => {
    const s = tc && tc.series[2 * i];
    const h = tc && tc.series[2 * i + 1];
    tt.push([`panel ${i + 1} name`, s && s.name, dname]);
    tt.push([`panel ${i + 1} points`, h ? h.data.length : 0, dates.length]);
    dates.forEach((dt, j) => {
      const r = trendAt(dt, pos);
      const v = !r || r.suppressed ? null : r.f_pt;
      const full = atDate(dt).complete;
      tt.push([`${dname} ${dt} (solid)`, s && s.data[j], full ? v : null]);
      tt.push([`${dname} ${dt} (every point)`, h && h.data[j] && h.data[j].value, v]);
      tt.push([`${dname} ${dt} marker`, h && h.data[j] && h.data[j].symbol, full ? 'none' : 'emptyCircle']);
      tt.push([`${dname} axis ${j + 1}`, tc && tc.xAxis[i] && tc.xAxis[i][j], atDate(dt).round_name || monthLabel(dt)]);
    });
  });
  check(dates.length >= spec.min_peildata, `${name}: v_municipality_domain_trend has at least ${spec.min_peildata} round peildata`, String(dates.length));
  compare(name, `trend panels show v_municipality_domain_trend at the rounds (${trend.length} rows)`, tt,
          Math.max(trend.length, spec.min_peildata * 7) * 4);
  const teamsText = (r) => `${r.teams_included} van ${r.teams} teams${r.complete ? '' : ' (onvolledig)'}`;
  compareTable(name, 'trend table shows v_municipality_domain_trend: round, "x van y teams", fulfilment', P, 'vervulling',
    'Vervulling specifieke kennis',
    dates.slice().reverse().map((dt) => [dateShort(dt), atDate(dt).round_name || 'einde maand', teamsText(atDate(dt))]
      .concat(domains.map(([pos]) => {
        const r = trendAt(dt, pos);
        return !r ? '–' : r.suppressed ? 'onderdrukt' : pct(r.f_pct);
      }))));
  if (spec.min_incomplete !== undefined) {
    // A round where a team is suppressed: the point is marked, not an unexplained drop.
    const incomplete = dates.filter((dt) => !atDate(dt).complete);
    const hollow = tc ? tc.series.filter((x, k) => k % 2 === 1)
      .reduce((a, x) => a + x.data.filter((d) => d && d.symbol === 'emptyCircle').length, 0) : -1;
    const t = P.tables.find((x) => x.section === 'vervulling');
    const marked = t ? t.rows.filter((row) => row[2].endsWith('(onvolledig)')).length : -1;
    check(incomplete.length >= spec.min_incomplete && hollow === incomplete.length * domains.length && marked === incomplete.length,
          `${name}: ${incomplete.length} round(s) without every team drawn hollow in every panel and marked "onvolledig" in the table`,
          `view ${incomplete.length}, hollow markers ${hollow}, table ${marked}`);
  }
  // Month ends: for coordinators and administrators a table of them; never for policy staff.
  const monthly = P.tables.find((x) => x.section === 'vervulling-maanden');
  const coordinator = sql(role, `SELECT has_table_privilege('kbs.v_plan_progress', 'SELECT') AS ok`)[0].ok;
  const months = sql(role, `SELECT count(DISTINCT peildatum)::integer AS n FROM kbs.v_municipality_domain_trend
                             WHERE municipality_code = '${M}' AND peildatum <= '${D}'`)[0].n;
  compare(name, coordinator ? `month-end table lists every peildatum (${months})` : 'no month-end table for policy staff',
          [['table', !!monthly, coordinator], ['rows', monthly ? monthly.rows.length : 0, coordinator ? months : 0]], 2);

  // Teams x domains: every cell of the grid against v_team_domain_status.
  const grid = sql(role, `SELECT team_id, team_name, domain_position, domain_name, fulfilment::float8 AS fulfilment,
                                 round(fulfilment * 100)::integer AS f_pct, worst_status_code, worst_status_label, suppressed
                            FROM kbs.v_team_domain_status
                           WHERE municipality_code = '${M}' AND peildatum = '${D}' AND ring_code = 'specific'
                           ORDER BY team_name, team_id, domain_position`);
  const gridTeams = [...new Map(grid.map((r) => [r.team_id, r.team_name])).entries()];
  const hm = P.charts['chart-heatmap'];
  const cells = hm && hm.series[0] ? hm.series[0].data : [];
  const statusOf = (r) => (r.suppressed ? 'suppressed' : P.colours[r.worst_status_code] ? r.worst_status_code : 'none');
  const colourOf = (st) => (st === 'suppressed' ? '#ffffff' : P.colours[st]);
  const gt = [['cells', cells.length, grid.length], ['rows', hm ? (hm.yAxis[0] || []).length : 0, gridTeams.length]];
  gridTeams.forEach(([, tname], y) => gt.push([`row ${y + 1}`, hm && hm.yAxis[0][y], tname]));
  for (const r of grid) {
    const y = gridTeams.findIndex(([id]) => id === r.team_id);
    const c = cells.find((x) => x.value && x.value[0] === r.domain_position - 1 && x.value[1] === y);
    const where = `${r.team_name} × ${r.domain_name}`;
    const label = r.suppressed ? 'onderdrukt' : `${pct(r.f_pct)}\n${r.worst_status_label || 'geen eis'}`;
    gt.push([`${where} label`, c && c.label, label]);
    gt.push([`${where} value`, c && c.value[2], r.suppressed ? -1 : r.fulfilment]);
    gt.push([`${where} colour`, c && c.color, colourOf(statusOf(r))]);
  }
  // Every team has a cell for each of the 7 domains.
  compare(name, `teams × domains grid shows v_team_domain_status (${gridTeams.length} teams, ${grid.length} cells)`, gt,
          Math.max(grid.length, teams.length * 7) * 3);
  compareTable(name, 'teams × domains table shows v_team_domain_status', P, 'teams-leefgebieden', 'Vervulling en status per team',
    gridTeams.map(([id, tname]) => [tname].concat(grid.filter((r) => r.team_id === id).map((r) =>
      r.suppressed ? 'onderdrukt' : `${pct(r.f_pct)} ${r.worst_status_label || 'geen eis'}`))));
  if (spec.suppressed_cells !== undefined) {
    // The policy reader's page must really exercise suppression.
    const t = P.tables.find((x) => x.section === 'teams-leefgebieden');
    const inTable = t ? t.rows.flat().filter((x) => x === 'onderdrukt').length : -1;
    const drawn = hm ? hm.texts.filter((x) => x === 'onderdrukt').length : -1;
    check(spec.suppressed_cells > 0 && inTable === spec.suppressed_cells && drawn === spec.suppressed_cells,
          `${name}: ${spec.suppressed_cells} suppressed cells shown and drawn as "onderdrukt"`, `table ${inTable}, drawn ${drawn}`);
  }

  // Freshness per team.
  const fc = P.charts['chart-freshness'];
  const ft = [['bars', fc ? (fc.yAxis[0] || []).length : 0, teams.length],
              ['series', fc ? fc.series.map((s) => s.name).join('|') : '', 'actueel|verouderd|niet beoordeeld']];
  teams.forEach((t, i) => {
    ft.push([`bar ${i + 1} team`, fc && fc.yAxis[0][i], t.team_name + (t.suppressed ? ' (onderdrukt)' : '')]);
    [t.suppressed ? null : t.assessed - t.stale, t.suppressed ? null : t.stale, t.suppressed ? null : t.not_assessed]
      .forEach((v, k) => ft.push([`${t.team_name} ${['actueel', 'verouderd', 'niet beoordeeld'][k]}`, fc && fc.series[k] && fc.series[k].data[i], v]));
  });
  compare(name, `freshness bars show v_team_summary (${teams.length} teams)`, ft, teams.length * 4);
  compareTable(name, 'freshness table shows v_team_summary', P, 'actualiteit', 'Actualiteit van de beoordelingen',
    teams.map((t) => [t.team_name, sup(t, num(t.members)), sup(t, num(t.assessed - t.stale)), sup(t, num(t.stale)),
                      sup(t, num(t.not_assessed))]));

  // Training plans: person-derived, so only for readers of v_plan_progress.
  const planOk = sql(role, `SELECT has_table_privilege('kbs.v_plan_progress', 'SELECT') AS ok`)[0].ok;
  if (!planOk) {
    const notice = P.notices.some((n) => n.section === 'scholingsplan' && n.text.startsWith('Geen toegang'));
    compare(name, 'plan progress: this role may not read v_plan_progress and the page says "geen toegang"',
            [['notice', notice, true], ['chart', !!P.charts['chart-plan'], false]], 2);
  } else {
    const plan = sql(role, `SELECT team_name, items, done, in_progress, planned, proposed, overdue, open_departed,
                                   round(fulfilment_now * 100)::integer AS now_pct,
                                   round(fulfilment_forecast * 100)::integer AS forecast_pct
                              FROM kbs.v_plan_progress WHERE municipality_code = '${M}' ORDER BY team_name, team_id`, D);
    const pc = P.charts['chart-plan'];
    const parts = [['afgerond', 'done'], ['bezig', 'in_progress'], ['gepland', 'planned'], ['voorgesteld', 'proposed']];
    const pt = [['bars', pc ? (pc.yAxis[0] || []).length : 0, plan.length],
                ['series', pc ? pc.series.map((s) => s.name).join('|') : '', parts.map((p) => p[0]).join('|')]];
    plan.forEach((p, i) => {
      pt.push([`bar ${i + 1} team`, pc && pc.yAxis[0][i], p.team_name]);
      parts.forEach(([label, key], k) => pt.push([`${p.team_name} ${label}`, pc && pc.series[k] && pc.series[k].data[i], p[key]]));
    });
    compare(name, `plan bars show v_plan_progress (${plan.length} teams)`, pt, Math.max(plan.length, 1) * 5);
    compareTable(name, 'plan table shows v_plan_progress', P, 'scholingsplan', 'Scholingsacties per team',
      plan.map((p) => [p.team_name, num(p.items), num(p.done), num(p.in_progress), num(p.planned), num(p.proposed),
                       num(p.overdue), num(p.open_departed), pct(p.now_pct), pct(p.forecast_pct)]));
  }

  // The list of teams, with links to reports that exist.
  compareTable(name, 'teams table shows v_team_summary', P, 'teams', 'Teams op',
    teams.map((t) => [t.team_name, sup(t, num(t.members)), sup(t, t.has_requirement ? pct(t.f_pct) : 'geen eis'),
                      sup(t, t.has_requirement ? pct(t.fp_pct) : 'geen eis'), sup(t, num(t.gap_blocks)),
                      sup(t, num(t.unknown_blocks)), sup(t, num(t.fragile_blocks)), sup(t, num(t.members_below_floor)),
                      sup(t, num(t.places_short))]));
  const th = P.tables.find((t) => t.section === 'teams');
  check(th && !th.head.some((h) => /personen/i.test(h)), `${name}: no team column is labelled as people that counts entries`,
        th ? th.head.join('|') : 'no table');
  const tl = P.tables.find((t) => t.section === 'teams');
  const links = tl ? tl.links : [];
  compare(name, `links to the ${teams.length} team reports, each written`,
    [['links', links.length, teams.length]].concat(teams.flatMap((t, i) => [
      [`link ${i + 1}`, links[i], `team-${t.team_id}.html`],
      [`file team-${t.team_id}.html`, existsSync(join(dirname(file), `team-${t.team_id}.html`)), true]])), teams.length * 2);
}

// ---- the team report --------------------------------------------------------------------------

function checkTeam(name, spec, P) {
  const role = spec.role;
  const T = int(spec.team);
  const M = sql(role, `SELECT DISTINCT municipality_code AS m FROM kbs.v_team_summary WHERE team_id = ${T}`)[0].m;
  const D = spec.date ? isoDate(spec.date)
    : sql(role, `SELECT max(peildatum) AS d FROM kbs.v_team_summary WHERE municipality_code = '${code(M)}' AND peildatum <= current_date`)[0].d;
  compare(name, `shows the peildatum ${D} (${spec.date ? 'as generated' : 'the latest snapshot'})`,
          [['meta', P.meta.includes('peildatum ' + dateLong(D)), true]], 1);

  const trend = sql(role, `SELECT peildatum, members, assessed, stale, shortfall, gap_blocks, unknown_blocks, fragile_blocks,
                                  members_below_floor, places_short, has_requirement,
                                  round(fulfilment * 100)::integer AS f_pct, round(fulfilment * 100, 1)::float8 AS f_pt,
                                  round(fulfilment_with_partners * 100)::integer AS fp_pct, suppressed
                             FROM kbs.v_team_summary WHERE team_id = ${T} AND peildatum <= '${D}' ORDER BY peildatum`);
  const sm = trend.length && trend[trend.length - 1].peildatum === D ? trend[trend.length - 1] : null;
  if (!sm) {
    check(false, `${name}: v_team_summary has the team on ${D}`, 'no row');
    return;
  }
  const cards = cardsOf(P, null);
  compare(name, 'summary cards as in v_team_summary', [
    ['leden', cards['leden'], sup(sm, num(sm.members))], ['beoordeeld', cards['beoordeeld'], sup(sm, num(sm.assessed))],
    ['verouderd', cards['verouderd'], sup(sm, num(sm.stale))],
    ['vervulling', cards['vervulling'], sup(sm, sm.has_requirement ? pct(sm.f_pct) : 'geen eis')],
    ['met ketenpartners', cards['met ketenpartners'], sup(sm, sm.has_requirement ? pct(sm.fp_pct) : 'geen eis')],
    ['eisen met tekort', cards['eisen met tekort'], sup(sm, num(sm.gap_blocks))],
    ['eisen nog te beoordelen', cards['eisen nog te beoordelen'], sup(sm, num(sm.unknown_blocks))],
    ['kwetsbare eisen', cards['kwetsbare eisen'], sup(sm, num(sm.fragile_blocks))],
    ['leden onder een ondergrens', cards['leden onder een ondergrens'], sup(sm, num(sm.members_below_floor))],
    ['plaatsen tekort', cards['plaatsen tekort (gedeelde dekking)'], sup(sm, num(sm.places_short))],
    ['no "tekort (personen)"', Object.keys(cards).some((k) => /personen/.test(k)), false]], 11);

  // The wheel: every top-level block of the catalogue, ring by ring, with the team's requirement.
  const wheel = sql(role, `SELECT w.ring_code, w.ring_name, w.domain_position, w.domain_name, w.block_id, w.block_name,
                                  (SELECT string_agg(a.block_name, ', ' ORDER BY a.wheel_order) FROM kbs.v_wheel a
                                    WHERE a.parent_id = w.block_id AND NOT a.retired) AS aspects,
                                  s.block_id IS NOT NULL AS has_requirement, s.min_level, s.min_level_label,
                                  s.required, s.present, s.status_code, s.status_label, coalesce(s.suppressed, false) AS suppressed
                             FROM kbs.v_wheel w
                             LEFT JOIN kbs.v_team_block_status s ON s.block_id = w.block_id AND s.team_id = ${T} AND s.peildatum = '${D}'
                            WHERE w.depth = 0 AND NOT w.retired ORDER BY w.wheel_order`);
  // Requirements on the wheel's blocks; those on aspects are in the table of local blocks and aspects.
  const requirements = sql(role, `SELECT count(*)::integer AS n FROM kbs.v_team_block_status s JOIN kbs.v_wheel w USING (block_id)
                                   WHERE s.team_id = ${T} AND s.peildatum = '${D}' AND w.depth = 0`)[0].n;
  const statusOf = (r) => (r.suppressed ? 'suppressed' : r.has_requirement ? r.status_code : 'none');
  const colourOf = (st) => (st === 'suppressed' ? '#ffffff' : P.colours[st]);
  const statusText = (r) => (r.suppressed ? 'onderdrukt' : r.has_requirement ? r.status_label : 'geen eis');
  const w = P.charts['chart-wheel'];
  const rings = Object.keys(RING_SERIES);
  check(w && w.series.length === 5 && w.series.every((s, i) => s.name === RING_SERIES[rings[i]] && s.type === 'pie'),
        `${name}: wheel has the 5 rings in order`, JSON.stringify(w && w.series.map((s) => s.name)));
  const wt = [];
  let withRequirement = 0;
  rings.forEach((ring, i) => {
    const rows = wheel.filter((r) => r.ring_code === ring);
    const seg = (w && w.series[i]) ? w.series[i].data : [];
    wt.push([`${ring}: segments`, seg.length, rows.length]);
    rows.forEach((r, k) => {
      // A1..A7, S1..S7: ring and domain number; "◆": the block has local aspects.
      const key = (ring === 'general' ? 'A' + r.domain_position : ring === 'specific' ? 'S' + r.domain_position
        : ring === 'generic' ? 'G' + (k + 1) : ring === 'target_group' ? 'D' + (k + 1) : '') + (r.aspects ? ' ◆' : '');
      // An unknown status (nog te beoordelen) is marked with "?" after the figures.
      const figure = r.suppressed ? 'onderdrukt' : r.has_requirement && r.required !== null
        ? `${r.present}/${r.required}${r.status_code === 'unknown' ? ' ?' : ''}` : '–';
      const s = seg[k] || {};
      wt.push([`${ring} ${k + 1} name`, s.name, r.block_name]);
      // The centre is labelled "Kern"; its status shows in the colour and the table.
      wt.push([`${r.block_name}: present/required`, s.label, ring === 'centre' ? 'Kern' : `${key}\n${figure}`]);
      wt.push([`${r.block_name}: colour`, s.color, colourOf(statusOf(r))]);
      if (r.has_requirement && ring !== 'centre') withRequirement++;
    });
  });
  wt.push(['requirements in v_team_block_status shown in the wheel', withRequirement, requirements]);
  compare(name, `wheel segments show present/required and status of v_team_block_status (${wheel.length} segments, ${requirements} requirements)`,
          wt, wheel.length * 3 + 5);
  if (spec.min_unknown !== undefined) {
    // The page must really show the unknown status: in the wheel (colour and "?") and in its table.
    const unknown = wheel.filter((r) => !r.suppressed && r.status_code === 'unknown');
    const segs = w ? w.series.flatMap((s) => s.data) : [];
    const drawn = segs.filter((d) => d.color === P.colours.unknown && d.label && d.label.endsWith(' ?')).length;
    const t = P.tables.find((x) => x.section === 'karrenwiel' && x.caption.startsWith('Nodig en aanwezig per bouwsteen'));
    const inTable = t ? t.rows.filter((row) => row[5] === 'onbekend').length : -1;
    check(unknown.length >= spec.min_unknown && drawn === unknown.length && inTable === unknown.length,
          `${name}: ${unknown.length} blocks with status unknown (onbekend) drawn with "?" in their colour and named in the table`,
          `view ${unknown.length}, drawn ${drawn}, table ${inTable}`);
  }
  if (spec.suppressed_segments !== undefined) {
    const shown = w ? w.series.flatMap((s) => s.data).filter((d) => d.label && d.label.endsWith('\nonderdrukt')).length : -1;
    check(spec.suppressed_segments > 0 && shown === spec.suppressed_segments,
          `${name}: ${spec.suppressed_segments} wheel segments say "onderdrukt", as suppressed for this reader in SQL`, String(shown));
  }
  compareTable(name, 'wheel table shows v_team_block_status', P, 'karrenwiel', 'Nodig en aanwezig per bouwsteen',
    wheel.map((r) => [r.block_name, r.ring_name, r.min_level === null ? '–' : `${r.min_level} ${r.min_level_label}`,
                      r.suppressed ? 'onderdrukt' : num(r.required), r.suppressed ? 'onderdrukt' : num(r.present), statusText(r),
                      r.aspects || '–']));
  const marked = wheel.filter((r) => r.aspects && r.ring_code !== 'centre').length;
  if (spec.min_aspects !== undefined) {
    const drawn = w ? w.series.flatMap((s) => s.data).filter((d) => d.label && d.label.split('\n')[0].endsWith(' ◆')).length : -1;
    check(marked >= spec.min_aspects && drawn === marked, `${name}: ${marked} wheel segments with local aspects marked ◆`,
          `view ${marked}, drawn ${drawn}`);
  }

  // The municipality's own blocks and aspects, with their place in the wheel.
  const local = sql(role, `SELECT w.block_name, w.is_aspect, p.block_name AS parent_name, w.ring_name, w.domain_position, w.domain_name,
                                  s.block_id IS NOT NULL AS has_requirement, s.min_level, s.min_level_label, s.required, s.present,
                                  s.status_label, coalesce(s.suppressed, false) AS suppressed
                             FROM kbs.v_wheel w LEFT JOIN kbs.v_wheel p ON p.block_id = w.parent_id
                             LEFT JOIN kbs.v_team_block_status s ON s.block_id = w.block_id AND s.team_id = ${T} AND s.peildatum = '${D}'
                            WHERE NOT w.shipped AND NOT w.retired ORDER BY w.wheel_order`);
  compareTable(name, `local blocks and aspects table shows v_wheel and v_team_block_status (${local.length})`, P, 'lokaal',
    'Lokale bouwstenen en aspecten',
    local.map((r) => [r.block_name, r.is_aspect ? 'aspect van ' + r.parent_name : 'lokale bouwsteen', r.ring_name,
                      r.domain_position === null ? '–' : `${r.domain_position}. ${r.domain_name}`,
                      r.min_level === null ? '–' : `${r.min_level} ${r.min_level_label}`,
                      r.suppressed ? 'onderdrukt' : num(r.required), r.suppressed ? 'onderdrukt' : num(r.present), statusText(r)]),
    'De gemeente heeft geen eigen bouwstenen of aspecten.');
  if (spec.min_aspects !== undefined) {
    check(local.filter((r) => r.is_aspect).length >= spec.min_aspects, `${name}: the municipality has at least ${spec.min_aspects} local aspects`,
          String(local.length));
  }

  // Specific knowledge per domain: required vs present.
  const spec7 = wheel.filter((r) => r.ring_code === 'specific' && r.domain_position !== null);
  const dm = P.charts['chart-domains'];
  const dt = [['series', dm ? dm.series.map((s) => s.name).join('|') : '', 'Nodig|Aanwezig']];
  spec7.forEach((r, i) => {
    dt.push([`axis ${i + 1}`, dm && dm.xAxis[0] && dm.xAxis[0][i], r.domain_name]);
    dt.push([`${r.domain_name} nodig`, dm && dm.series[0] && dm.series[0].data[i], r.suppressed ? null : r.required]);
    dt.push([`${r.domain_name} aanwezig`, dm && dm.series[1] && dm.series[1].data[i], r.suppressed ? null : r.present]);
  });
  compare(name, `required vs present bars show v_team_block_status (${spec7.length} domains)`, dt, spec7.length * 3);
  compareTable(name, 'specific knowledge table shows v_team_block_status', P, 'nodig-aanwezig', 'Specifieke kennis per leefgebied',
    spec7.map((r) => [r.domain_name, r.min_level === null ? '–' : `${r.min_level} ${r.min_level_label}`,
                      r.suppressed ? 'onderdrukt' : num(r.required), r.suppressed ? 'onderdrukt' : num(r.present), statusText(r)]));
  const groups = sql(role, `SELECT ring_name, domain_name, required, present, shortfall, worst_status_label, suppressed
                              FROM kbs.v_team_domain_status WHERE team_id = ${T} AND peildatum = '${D}'
                             ORDER BY ring_position, domain_position`);
  compareTable(name, 'domain and ring table shows v_team_domain_status', P, 'nodig-aanwezig', 'Nodig en aanwezig per leefgebied en laag',
    groups.map((g) => [g.domain_name || '', g.ring_name, sup(g, num(g.required)), sup(g, num(g.present)),
                       sup(g, num(g.shortfall)), g.suppressed ? 'onderdrukt' : g.worst_status_label || 'geen eis']));

  // Gaps, most important first; a reader who gets suppressed figures sees every requirement as "onderdrukt".
  const gaps = sql(role, `SELECT block_id, wheel_order, block_name, importance_label, min_level, min_level_label, required,
                                 present, shortfall, suppressed
                            FROM kbs.v_team_block_status
                           WHERE team_id = ${T} AND peildatum = '${D}' AND (status_code = 'gap' OR suppressed)
                           ORDER BY importance DESC, shortfall DESC, wheel_order`);
  compareTable(name, `gap table shows the ${gaps.length} gaps of v_team_block_status`, P, 'tekorten', 'Tekorten op',
    gaps.map((g) => [g.block_name, g.importance_label, `${g.min_level} ${g.min_level_label}`, sup(g, num(g.required)),
                     sup(g, num(g.present)), sup(g, num(g.shortfall))]), 'Geen tekorten op deze peildatum.');

  // Still to assess (unknown): short, but by no more than the members not yet assessed on the block.
  const unknown = sql(role, `SELECT block_name, min_level, min_level_label, required, present, unassessed
                               FROM kbs.v_team_block_status
                              WHERE team_id = ${T} AND peildatum = '${D}' AND status_code = 'unknown' ORDER BY wheel_order`);
  compareTable(name, `unknown table shows the ${unknown.length} entries of v_team_block_status still to assess`, P, 'onbekend',
    'Nog te beoordelen op', unknown.map((u) => [u.block_name, `${u.min_level} ${u.min_level_label}`, num(u.required), num(u.present),
                                                 num(u.unassessed), 'onbekend']),
    sm.suppressed ? 'Onderdrukt: of er eisen nog te beoordelen zijn, is voor u niet zichtbaar.'
                  : 'Geen eisen die nog te beoordelen zijn op deze peildatum.');
  if (spec.min_unknown !== undefined) {
    check(unknown.length >= spec.min_unknown, `${name}: the views give this team at least ${spec.min_unknown} entries still to assess`,
          String(unknown.length));
  }

  const risk = sql(role, `SELECT block_name, min_level, min_members, carriers, experts, partner_carriers, single_carrier, suppressed
                            FROM kbs.v_knowledge_risk WHERE team_id = ${T} AND peildatum = '${D}' AND (risk_code = 'fragile' OR suppressed)
                           ORDER BY wheel_order`);
  const fragile = risk.filter((r) => !r.suppressed);
  compareTable(name, risk.length > fragile.length ? 'fragile blocks are suppressed in v_knowledge_risk'
                                                  : `fragile table shows the ${fragile.length} fragile blocks of v_knowledge_risk`,
    P, 'kwetsbaar', 'Kwetsbare bouwstenen op',
    fragile.map((r) => [r.block_name, num(r.min_level), num(r.min_members), num(r.carriers), num(r.experts),
                        num(r.partner_carriers), r.single_carrier ? 'ja' : 'nee']),
    risk.length > fragile.length ? 'Onderdrukt: of er kwetsbare bouwstenen zijn, is voor u niet zichtbaar.'
                                 : 'Geen kwetsbare bouwstenen op deze peildatum.');

  checkPerson(name, spec, T, D, P, gaps.filter((g) => !g.suppressed));

  // Development over time.
  const tc = P.charts['chart-trend'];
  const tt = [['points', tc ? (tc.xAxis[0] || []).length : 0, trend.length],
              ['series', tc ? tc.series.map((s) => s.name).join('|') : '', 'Eisen met tekort|Eisen nog te beoordelen|Vervulling']];
  trend.forEach((r, i) => {
    tt.push([`axis ${i + 1}`, tc && tc.xAxis[0][i], monthLabel(r.peildatum)]);
    tt.push([`${r.peildatum} eisen met tekort`, tc && tc.series[0] && tc.series[0].data[i], r.suppressed ? null : r.gap_blocks]);
    tt.push([`${r.peildatum} nog te beoordelen`, tc && tc.series[1] && tc.series[1].data[i], r.suppressed ? null : r.unknown_blocks]);
    tt.push([`${r.peildatum} vervulling`, tc && tc.series[2] && tc.series[2].data[i], r.suppressed ? null : r.f_pt]);
  });
  check(trend.length >= spec.min_peildata, `${name}: v_team_summary has at least ${spec.min_peildata} peildata`, String(trend.length));
  compare(name, `trend shows v_team_summary (${trend.length} peildata)`, tt, trend.length * 4);
  compareTable(name, 'trend table shows v_team_summary', P, 'ontwikkeling', 'Ontwikkeling van het team',
    trend.slice().reverse().map((r) => [dateShort(r.peildatum), sup(r, num(r.members)), sup(r, num(r.stale)), sup(r, pct(r.f_pct)),
                                        sup(r, num(r.gap_blocks)), sup(r, num(r.unknown_blocks)), sup(r, num(r.fragile_blocks)),
                                        sup(r, num(r.members_below_floor)), sup(r, num(r.places_short))]));
}

/* Person-level parts: training candidates, plan, self vs supervisor, members; or "geen toegang". */
function checkPerson(name, spec, T, D, P, gaps) {
  const role = spec.role;
  const ok = sql(role, `SELECT has_table_privilege('kbs.v_member_block', 'SELECT') AS ok`)[0].ok;
  if (!ok) {
    const notice = P.notices.some((n) => n.section === 'scholing' && n.text.startsWith('Geen toegang'));
    const tables = P.tables.filter((t) => ['scholing', 'zelf-leidinggevende', 'leden'].includes(t.section)).length;
    compare(name, 'person-level parts: this role may not read v_member_block and the page says "geen toegang"',
            [['notice', notice, true], ['person-level tables', tables, 0], ['chart', !!P.charts['chart-self'], false]], 3);
    return;
  }
  const members = sql(role, `SELECT professional_ref, discipline, assessed_on, source_label, freshness_code, freshness_label
                               FROM kbs.v_assessment_freshness WHERE team_id = ${T} ORDER BY professional_ref`, D);
  const notAssessed = members.filter((m) => m.freshness_code === 'not_assessed').map((m) => m.professional_ref);
  const naNotice = P.notices.find((n) => n.section === 'scholing' && n.text.startsWith('Nog niet beoordeeld: '));
  const naShown = naNotice ? naNotice.text.slice('Nog niet beoordeeld: '.length).split('. Beoordeel')[0].split(', ') : [];
  compare(name, `members not yet assessed as in v_assessment_freshness (${notAssessed.length})`,
          [['notice', !!naNotice, notAssessed.length > 0], ['names', naShown.join(', '), notAssessed.join(', ')]], 2);

  // Candidates, derived here from the member levels in v_member_block: per gap (in wheel order) the
  // assessed members below the level, closest first (not assessed on the block last, then by
  // reference), as many as the shortfall; 'na' never.
  const levels = gaps.length ? sql(role, `SELECT professional_id, professional_ref, discipline, block_id, level, level_code,
                                                 level_label, assessed_on
                                            FROM kbs.v_member_block
                                           WHERE team_id = ${T} AND block_id IN (${gaps.map((g) => int(g.block_id)).join(',')})`, D) : [];
  // Open on the peildatum: made by then, not cancelled, not done by then.
  const open = sql(role, `SELECT professional_id, block_id FROM kbs.plan_item
                           WHERE team_id = ${T} AND created_on <= '${D}' AND status <> 'cancelled'
                             AND NOT (status = 'done' AND done_on <= '${D}')`);
  const candidates = [];
  for (const g of gaps.slice().sort((a, b) => a.wheel_order - b.wheel_order)) {
    levels.filter((m) => m.block_id === g.block_id && m.assessed_on !== null && m.level_code !== 'na' && (m.level ?? -1) < g.min_level)
      // References share one format (GM0000-00000), so code-point order is the database's order.
      .sort((a, b) => (b.level ?? -1) - (a.level ?? -1) || (a.professional_ref < b.professional_ref ? -1 : a.professional_ref > b.professional_ref ? 1 : 0))
      .slice(0, g.shortfall)
      .forEach((m) => candidates.push([g.block_name, String(g.min_level), m.professional_ref, m.discipline || '–',
        m.level === null ? 'niet beoordeeld' : `${m.level} ${m.level_label}`,
        open.some((i) => i.professional_id === m.professional_id && i.block_id === g.block_id) ? 'ja' : 'nee']));
  }
  compareTable(name, `training candidates as derived from v_member_block (${candidates.length})`, P, 'scholing', 'Scholingskandidaten',
    candidates, 'Geen kandidaten: er zijn geen tekorten die beoordeelde leden van het team kunnen opvullen.');
  if (spec.min_candidates !== undefined) {
    // Where the demo data have candidates, the comparison above must not be the empty case.
    check(candidates.length >= spec.min_candidates, `${name}: the views give this team at least ${spec.min_candidates} candidates`, String(candidates.length));
  }

  const progress = sql(role, `SELECT items, done, open, overdue, open_departed, round(fulfilment_now * 100)::integer AS now_pct,
                                     round(fulfilment_forecast * 100)::integer AS forecast_pct
                                FROM kbs.v_plan_progress WHERE team_id = ${T}`, D)[0];
  const pc = cardsOf(P, 'scholing');
  compare(name, 'plan cards as in v_plan_progress', progress ? [
    ['acties', pc['acties'], num(progress.items)], ['afgerond', pc['afgerond'], num(progress.done)],
    ['open', pc['open'], num(progress.open)], ['achterstallig', pc['achterstallig'], num(progress.overdue)],
    ['open van vertrokken leden', pc['open van vertrokken leden'], num(progress.open_departed)],
    ['vervulling nu', pc['vervulling nu'], pct(progress.now_pct)], ['als alles af is', pc['als alles af is'], pct(progress.forecast_pct)]]
    : [['cards', Object.keys(pc).length, 0]], progress ? 7 : 1);
  // The plan as it stood on the peildatum, from the items' dates: done from done_on, in progress from
  // started_on, planned before; made later: not there. Open items of people no longer in the team apart.
  const LABEL = { proposed: 'voorgesteld', planned: 'gepland', in_progress: 'bezig', done: 'afgerond' };
  const plan = sql(role, `SELECT y.block_name, y.id, y.target_level, y.ref, y.due_on, y.st,
                                 y.gone AND y.st IN ('proposed', 'planned', 'in_progress') AS departed,
                                 y.st IN ('proposed', 'planned', 'in_progress') AND y.due_on < '${D}' AND NOT y.gone AS overdue
                            FROM (SELECT b.name AS block_name, i.id, i.target_level, p.ref, i.due_on,
                                         CASE WHEN i.status = 'done' AND i.done_on <= '${D}' THEN 'done'
                                              WHEN i.status IN ('done', 'in_progress') AND i.started_on <= '${D}' THEN 'in_progress'
                                              WHEN i.status IN ('done', 'in_progress') THEN 'planned' ELSE i.status END AS st,
                                         i.professional_id IS NOT NULL AND NOT EXISTS (
                                             SELECT 1 FROM kbs.membership m WHERE m.professional_id = i.professional_id
                                                AND m.team_id = i.team_id AND m.during @> '${D}'::date) AS gone
                                    FROM kbs.plan_item i JOIN kbs.block b ON b.id = i.block_id
                                    LEFT JOIN kbs.professional p ON p.id = i.professional_id
                                   WHERE i.team_id = ${T} AND i.created_on <= '${D}') y
                           WHERE y.st <> 'cancelled'
                           ORDER BY y.st = 'done', y.due_on, y.id`);
  const kept = plan.filter((i) => !i.departed);
  const departed = plan.filter((i) => i.departed);
  compareTable(name, `training plan shows kbs.plan_item as on the peildatum (${kept.length} items)`, P, 'scholing', 'Scholingsplan',
    kept.map((i) => [i.block_name, num(i.target_level), i.ref || 'teamactie', dateShort(i.due_on),
                     LABEL[i.st] + (i.overdue ? ' (achterstallig)' : '')]), 'Het scholingsplan is leeg.');
  compareTable(name, `open items of departed members apart (${departed.length})`, P, 'scholing', 'Open acties van vertrokken leden',
    departed.map((i) => [i.block_name, num(i.target_level), i.ref, dateShort(i.due_on), LABEL[i.st] + ' (niet meer in het team)']),
    'Geen open acties van leden die het team verlieten.');

  const svs = sql(role, `SELECT ring_name, domain_name,
                                count(*) FILTER (WHERE comparison_code = 'higher')::integer AS higher,
                                count(*) FILTER (WHERE comparison_code = 'equal')::integer AS equal,
                                count(*) FILTER (WHERE comparison_code = 'lower')::integer AS lower
                           FROM kbs.v_self_vs_supervisor
                          WHERE team_id = ${T} AND ring_code IN ('generic', 'general', 'specific')
                          GROUP BY ring_position, ring_name, domain_position, domain_name
                          ORDER BY ring_position, domain_position`, D);
  const part = (r) => (r.domain_name ? r.ring_name + ': ' + r.domain_name : r.ring_name);
  const sc = P.charts['chart-self'];
  const st = [['bars', sc ? (sc.yAxis[0] || []).length : 0, svs.length],
              ['series', sc ? sc.series.map((s) => s.name).join('|') : '', 'zelf hoger|gelijk|zelf lager']];
  svs.forEach((r, i) => {
    st.push([`bar ${i + 1}`, sc && sc.yAxis[0][i], part(r)]);
    ['higher', 'equal', 'lower'].forEach((k, j) => st.push([`${part(r)} ${k}`, sc && sc.series[j] && sc.series[j].data[i], r[k]]));
  });
  compare(name, `self vs supervisor bars show v_self_vs_supervisor (${svs.length} groups)`, st, svs.length * 4);
  compareTable(name, 'self vs supervisor table shows v_self_vs_supervisor', P, 'zelf-leidinggevende', 'Zelfbeoordeling naast leidinggevende',
    svs.map((r) => [part(r), num(r.higher), num(r.equal), num(r.lower)]),
    'Geen leden met zowel een zelfbeoordeling als een beoordeling door de leidinggevende.');
  compareTable(name, `members table shows v_assessment_freshness (${members.length})`, P, 'leden', 'Beoordelingen van de leden',
    members.map((m) => [m.professional_ref, m.discipline || '–', m.assessed_on ? dateShort(m.assessed_on) : '–',
                        m.source_label || '–', m.freshness_label]), 'Geen leden op deze peildatum.');
}

// ---- the national page (benchmark database of a federation) -----------------------------------

function checkNational(name, spec, P) {
  const role = spec.role;
  const D = spec.date ? isoDate(spec.date)
    : sql(role, `SELECT max(peildatum) AS d FROM kbs.v_national_trend WHERE ring_code = 'generic' AND peildatum <= current_date`)[0].d;
  compare(name, `shows the peildatum ${D} (${spec.date ? 'as generated' : 'the latest national figures'})`,
          [['meta', P.meta.includes('peildatum ' + dateLong(D)), true]], 1);
  const sum = sql(role, `SELECT federation_members, municipalities, teams_included, members FROM kbs.v_national_trend
                          WHERE peildatum = '${D}' AND ring_code = 'generic'`)[0];
  const cards = cardsOf(P, null);
  compare(name, 'summary cards as in v_national_trend', [
    ['databases', cards['databases'], String(sum.federation_members)],
    ['gemeenten', cards['gemeenten'], String(sum.municipalities)],
    ['teams', cards['teams meegeteld'], String(sum.teams_included)],
    ['leden', cards['leden in die teams'], String(sum.members)]], 4);
  check(sum.municipalities >= (spec.min_municipalities || 1), `${name}: at least ${spec.min_municipalities || 1} municipalities`,
        String(sum.municipalities));

  // The country's fulfilment per domain over time.
  const trend = sql(role, `SELECT peildatum, domain_position, domain_name, municipalities, teams_included,
                                  round(fulfilment * 100)::integer AS f_pct, round(fulfilment * 100, 1)::float8 AS f_pt
                             FROM kbs.v_national_trend WHERE ring_code = 'specific' AND peildatum <= '${D}'
                            ORDER BY peildatum, domain_position`);
  const dates = [...new Set(trend.map((r) => r.peildatum))];
  const domains = [...new Map(trend.map((r) => [r.domain_position, r.domain_name])).entries()].sort((a, b) => a[0] - b[0]);
  const at = (dt, pos) => trend.find((r) => r.peildatum === dt && r.domain_position === pos);
  const tc = P.charts['chart-trend'];
  const tt = [['panels', tc ? tc.series.length : 0, domains.length]];
  domains.forEach(([pos, dname], i) => {
    const s = tc && tc.series[i];
    tt.push([`panel ${i + 1} name`, s && s.name, dname]);
    dates.forEach((dt, j) => {
      const r = at(dt, pos);
      tt.push([`${dname} ${dt}`, s && s.data[j], r ? r.f_pt : null]);
      tt.push([`${dname} axis ${j + 1}`, tc && tc.xAxis[i] && tc.xAxis[i][j], monthLabel(dt)]);
    });
  });
  check(dates.length >= spec.min_peildata, `${name}: v_national_trend has at least ${spec.min_peildata} peildata`, String(dates.length));
  compare(name, `trend panels show v_national_trend (${trend.length} rows)`, tt, Math.max(trend.length, spec.min_peildata * 7) * 2);
  compareTable(name, 'trend table shows v_national_trend', P, 'vervulling', 'Vervulling specifieke kennis in het land',
    dates.slice().reverse().map((dt) => [dateShort(dt)].concat(domains.map(([pos]) => {
      const r = at(dt, pos);
      return !r ? '–' : `${pct(r.f_pct)} (${r.municipalities} gem., ${r.teams_included} teams)`;
    }))));

  // Each municipality against the rest of the country, summed here from v_national_municipality_trend.
  const muns = sql(role, `WITH m AS (
                             SELECT member, municipality_code, municipality_name, max(teams_included) AS teams, max(members) AS members,
                                    sum(required) AS req, sum(present) AS pres, count(fulfilment) AS n
                               FROM kbs.v_national_municipality_trend WHERE peildatum = '${D}' AND ring_code = 'specific'
                              GROUP BY 1, 2, 3)
                           SELECT m.*, CASE WHEN n > 0 THEN coalesce(round(pres::numeric / nullif(req, 0), 4), 1) END AS own,
                                  CASE WHEN (SELECT count(*) FROM m) > 1
                                       THEN coalesce(round(((SELECT sum(pres) FROM m) - pres)::numeric
                                                           / nullif((SELECT sum(req) FROM m) - req, 0), 4), 1) END AS rest
                             FROM m ORDER BY municipality_name, municipality_code`);
  const mc = P.charts['chart-municipalities'];
  const pt = (v) => (v === null ? null : Math.round(Number(v) * 1000) / 10);
  const pc = (v) => (v === null ? '–' : Math.round(Number(v) * 100) + '%');
  const mt = [['bars', mc ? (mc.yAxis[0] || []).length : 0, muns.length]];
  muns.forEach((m, i) => {
    mt.push([`bar ${i + 1}`, mc && mc.yAxis[0][i], m.municipality_name]);
    mt.push([`${m.municipality_code} own`, mc && mc.series[0] && mc.series[0].data[i], pt(m.own)]);
    mt.push([`${m.municipality_code} rest`, mc && mc.series[1] && mc.series[1].data[i], pt(m.rest)]);
  });
  compare(name, `municipality bars against the rest of the country (${muns.length} municipalities)`, mt, muns.length * 3 + 1);
  compareTable(name, 'municipality table', P, 'gemeenten', 'Vervulling specifieke kennis per gemeente',
    muns.map((m) => [`${m.municipality_name} (${m.municipality_code})`, m.member, num(m.teams), num(m.members), pc(m.own), pc(m.rest)]));

  // The merged coverage per domain.
  const cov = sql(role, `SELECT domain_name, level0, level1, level2, level3, level4, na, not_assessed,
                                round(share_level_3_or_4 * 100)::integer AS s_pct
                           FROM kbs.v_national_coverage WHERE peildatum = '${D}' AND ring_code = 'specific' ORDER BY wheel_order`);
  const keys = ['level0', 'level1', 'level2', 'level3', 'level4', 'na', 'not_assessed'];
  const cc = P.charts['chart-coverage'];
  const ct = [['bars', cc ? (cc.yAxis[0] || []).length : 0, cov.length], ['series', cc ? cc.series.length : 0, keys.length]];
  cov.forEach((b, i) => {
    ct.push([`bar ${i + 1}`, cc && cc.yAxis[0][i], b.domain_name]);
    keys.forEach((k, j) => ct.push([`${b.domain_name} ${k}`, cc && cc.series[j] && cc.series[j].data[i], b[k]]));
  });
  compare(name, `coverage bars show v_national_coverage (${cov.length} blocks)`, ct, cov.length * 8);
  compareTable(name, 'coverage table shows v_national_coverage', P, 'kennisniveau', 'Leden per niveau',
    cov.map((b) => [b.domain_name].concat(keys.map((k) => num(b[k]))).concat([pct(b.s_pct)])));

  // What the figures include.
  compareTable(name, 'databases table', P, 'databases', 'Databases op',
    sql(role, `SELECT member, count(*) AS n, string_agg(municipality_name, ', ' ORDER BY municipality_name, municipality_code) AS names,
                      sum(teams_included) AS t
                 FROM kbs.v_national_municipality_trend WHERE peildatum = '${D}' AND ring_code = 'generic'
                GROUP BY member ORDER BY member`)
      .map((r) => [r.member, num(r.n), r.names, num(r.t)]));
}

// ---- every page -------------------------------------------------------------------------------

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

  const P = await page.evaluate(readPage);

  // Every chart: drawn as SVG with visible shapes, and described for screen readers.
  for (const [id, c] of Object.entries(P.charts)) {
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

  // The figures against the views, read as this page's reader.
  pageDb = spec.db || null;
  try {
    if (spec.kind === 'municipality') checkMunicipality(name, spec, P, file);
    else if (spec.kind === 'national') checkNational(name, spec, P);
    else checkTeam(name, spec, P);
  } catch (e) {
    check(false, `${name}: figures compared with the views`, e.message.split('\n').slice(0, 3).join(' '));
  }

  if (spec.hostile) {
    for (const [what, text] of Object.entries(spec.hostile)) {
      const found = await page.evaluate((t) => document.body.innerText.includes(t) || document.title.includes(t), text);
      check(found, `${name}: hostile ${what} shown as text`, text);
    }
    check(P.scripts === 3, `${name}: no injected script elements`, String(P.scripts));
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
  // Accessibility, with every table on the page.
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
    // The tables are on paper too, not folded away.
    const tables = Array.from(document.querySelectorAll('main table'));
    const tablesShown = tables.length > 0 && tables.every((t) => t.checkVisibility());
    return { skipHidden, fits, tablesShown };
  });
  await page.emulateMedia({ media: 'screen' });
  check(statSync(pdf).size > 20000 && printed.skipHidden && printed.fits && printed.tablesShown,
        `${name}: prints (PDF ${statSync(pdf).size} bytes, navigation hidden, charts scaled to the paper, every table shown)`,
        JSON.stringify(printed));

  await page.screenshot({ path: join(outDir, shot + '.png'), fullPage: true });
  check(problems.length === 0, `${name}: no console errors`, problems.join('; '));
  check(network.length === 0, `${name}: no network requests`, network.join(', '));
  await context.close();

  // Without JavaScript: the same tables, cards and text, all visible (only the charts are missing).
  const nojs = await browser.newContext({ viewport: { width: 1280, height: 900 }, javaScriptEnabled: false });
  const plain = await nojs.newPage();
  await plain.goto('file://' + file);
  const seen = await plain.evaluate(() => ({
    tables: Array.from(document.querySelectorAll('main table')).map((t) => ({
      caption: t.caption ? t.caption.textContent : '', visible: t.checkVisibility(),
      rows: Array.from(t.tBodies[0].rows).map((r) => Array.from(r.cells).map((c) => c.textContent)) })),
    cards: document.querySelectorAll('main ul.cards li').length,
    charts: Array.from(document.querySelectorAll('.chart')).filter((c) => c.checkVisibility()).length,
    meta: document.getElementById('meta').textContent,
  }));
  await nojs.close();
  const same = seen.tables.length === P.tables.length && seen.tables.every((t, i) =>
    t.visible && t.caption === P.tables[i].caption && JSON.stringify(t.rows) === JSON.stringify(P.tables[i].rows));
  check(P.tables.length > 0 && same && seen.cards === P.cards.reduce((a, c) => a + c.items.length, 0) && seen.charts === 0 &&
        seen.meta === P.meta,
        `${name}: without JavaScript the ${P.tables.length} tables and every card are on the page, visible and the same`,
        `tables ${seen.tables.length}/${P.tables.length}, visible ${seen.tables.filter((t) => t.visible).length}, cards ${seen.cards}, empty chart frames ${seen.charts}`);
}

await browser.close();
console.log(`browser: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
