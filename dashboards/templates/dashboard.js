/* kennisbouwstenen dashboards. Everything from the database is data: it reaches the page only
 * through textContent and escaped tooltip text, never as markup. */
(function () {
  'use strict';

  var D = JSON.parse(document.getElementById('kbs-data').textContent);
  var main = document.getElementById('inhoud');
  var charts = {};
  window.kbsCharts = charts;
  window.kbsData = D;

  var STATUS = {
    met: { color: '#0072b2', text: '#ffffff', label: 'voldaan',
           decal: null },
    fragile: { color: '#e69f00', text: '#000000', label: 'kwetsbaar',
               decal: { symbol: 'rect', dashArrayX: [1, 0], dashArrayY: [3, 5], rotation: Math.PI / 4, color: 'rgba(0,0,0,0.28)' } },
    // Not known to fall short: the shortfall could be the members not yet assessed on the block.
    unknown: { color: '#cc79a7', text: '#000000', label: 'onbekend', explain: 'onbekend (?): nog te beoordelen',
               decal: { symbol: 'circle', symbolSize: 0.5, dashArrayX: [4, 4], dashArrayY: [4, 4], color: 'rgba(0,0,0,0.35)' } },
    gap: { color: '#b3261e', text: '#ffffff', label: 'tekort',
           decal: { symbol: 'rect', dashArrayX: [1, 0], dashArrayY: [2, 4], rotation: -Math.PI / 4, color: 'rgba(255,255,255,0.5)' } },
    none: { color: '#d9d9d9', text: '#000000', label: 'geen eis', decal: null },
    suppressed: { color: '#ffffff', text: '#000000', label: 'onderdrukt',
                  decal: { symbol: 'rect', dashArrayX: [1, 0], dashArrayY: [1, 4], rotation: Math.PI / 4, color: '#767676' } }
  };

  // ---- small helpers -------------------------------------------------------------------------

  function el(tag, attrs) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        if (k === 'text') node.textContent = attrs[k];
        else if (k === 'cls') node.className = attrs[k];
        else node.setAttribute(k, attrs[k]);
      });
    }
    for (var i = 2; i < arguments.length; i++) {
      var c = arguments[i];
      if (c === null || c === undefined) continue;
      node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    }
    return node;
  }
  function esc(s) {
    return String(s === null || s === undefined ? '' : s).replace(/[&<>"']/g, function (ch) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[ch];
    });
  }
  var MONTHS = ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus', 'september',
                'oktober', 'november', 'december'];
  // Dutch abbreviations: mrt, not maa.
  var MONTHS_SHORT = ['jan', 'feb', 'mrt', 'apr', 'mei', 'jun', 'jul', 'aug', 'sep', 'okt', 'nov', 'dec'];
  function dateLong(iso) {
    var p = String(iso).split('-');
    return Number(p[2]) + ' ' + MONTHS[Number(p[1]) - 1] + ' ' + p[0];
  }
  function dateShort(iso) {
    var p = String(iso).split('-');
    return p[2] + '-' + p[1] + '-' + p[0];
  }
  function monthLabel(iso) {
    var p = String(iso).split('-');
    return MONTHS_SHORT[Number(p[1]) - 1] + ' ' + p[0];
  }
  function pct(v) {
    return v === null || v === undefined ? '–' : Math.round(Number(v) * 100) + '%';
  }
  function num(v) {
    return v === null || v === undefined ? '–' : String(v);
  }
  function statusOf(row) {
    return row.suppressed ? 'suppressed' : (STATUS[row.status_code] ? row.status_code : 'none');
  }

  /* The page's text and tables are in the HTML (written by the generator); the charts go into
   * their places there, hidden until drawn. */
  function section(id) {
    return document.getElementById(id);
  }

  /* A chart that screen readers read as one image with a text alternative; the table after it
   * holds the same figures. */
  function chart(parent, id, label, cls) {
    var div = document.getElementById(id);
    if (!div) {
      div = el('div', { id: id, cls: 'chart' + (cls ? ' ' + cls : ''), role: 'img' });
      parent.appendChild(div);
    }
    div.hidden = false;
    div.setAttribute('aria-label', label);
    var inst = echarts.init(div, null, { renderer: 'svg', locale: 'EN' });
    // A viewBox lets the print stylesheet scale the drawing to the paper without redrawing.
    inst.on('finished', function () {
      var svg = div.querySelector('svg');
      if (svg && svg.getAttribute('width')) {
        svg.setAttribute('viewBox', '0 0 ' + parseFloat(svg.getAttribute('width')) + ' ' + parseFloat(svg.getAttribute('height')));
      }
    });
    charts[id] = inst;
    return inst;
  }
  function baseOption() {
    return { animation: false, aria: { enabled: false }, textStyle: { fontFamily: 'DejaVu Sans, Arial, sans-serif', color: '#1b1b1b' },
             tooltip: { confine: true } };
  }
  /* Horizontal bars, one row per name, a legend above (grid top at top px): the chart, its
   * height base + perRow rem a row (at least 16), and its option yet without xAxis and series. */
  function barRows(parent, id, label, names, base, perRow, top) {
    var c = chart(parent, id, label);
    c.getDom().style.height = Math.max(16, base + names.length * perRow) + 'rem';
    c.resize();
    var o = baseOption();
    o.grid = { left: 230, right: 24, top: top, bottom: 32 };
    o.legend = { top: 8, textStyle: { color: '#1b1b1b' } };
    o.tooltip.trigger = 'axis';
    o.yAxis = { type: 'category', inverse: true, axisLabel: { width: 215, overflow: 'truncate', color: '#1b1b1b' },
                data: names };
    return { chart: c, option: o };
  }
  /* Horizontal stacked bars, one bar per team; parts are [label, value(row), style]. */
  function teamBars(parent, id, label, rows, teamLabel, parts, unit) {
    var b = barRows(parent, id, label, rows.map(teamLabel), 5, 2.2, 48);
    var c = b.chart;
    var o = b.option;
    o.xAxis = { type: 'value', name: unit, minInterval: 1, axisLabel: { color: '#1b1b1b' } };
    o.series = parts.map(function (p) {
      return { name: p[0], type: 'bar', stack: unit,
               itemStyle: { color: p[2].color, decal: p[2].decal, borderColor: '#1b1b1b', borderWidth: 0.5 },
               label: { show: true, color: p[2].text, formatter: function (x) { return x.value ? String(x.value) : ''; } },
               data: rows.map(p[1]) };
    });
    c.setOption(o);
    return c;
  }
  /* Small multiples: a panel per domain, four to a row, each with its title, grid and axes
   * (x: the labels, y: 0-100%); option.series starts empty for the caller's lines. */
  function domainPanels(o, doms, xLabels) {
    var cols = 4;
    o.title = [];
    o.grid = [];
    o.xAxis = [];
    o.yAxis = [];
    o.series = [];
    doms.forEach(function (d, i) {
      var col = i % cols;
      var row = Math.floor(i / cols);
      o.title.push({ text: d.position + '. ' + d.name, left: (3 + col * 24.5) + '%', top: (2 + row * 48) + '%',
                     textStyle: { fontSize: 13, fontWeight: 'bold', color: '#1b1b1b' } });
      o.grid.push({ left: (6 + col * 24.5) + '%', top: (8 + row * 48) + '%', width: '19%', height: '32%' });
      o.xAxis.push({ type: 'category', gridIndex: i, data: xLabels.slice(),
                     axisLabel: { color: '#1b1b1b', interval: Math.max(0, Math.ceil(xLabels.length / 3) - 1) } });
      o.yAxis.push({ type: 'value', gridIndex: i, min: 0, max: 100, interval: 50,
                     axisLabel: { formatter: '{value}%', color: '#1b1b1b' } });
    });
  }
  function domainNames() {
    return (D.legend.domains || []).map(function (d) { return d.name; });
  }

  // ---- municipality page ---------------------------------------------------------------------

  /* The label of a peildatum on an axis: the round's name at a round, else the month. */
  function pointLabel(r) {
    return r.round_name ? r.round_name : monthLabel(r.peildatum);
  }

  function municipalityPage() {
    var teams = D.teams;

    // Fulfilment per domain at the rounds. A point that does not count every team is hollow, and
    // the segment leading to it dashed: a change in which teams are published is no drop.
    var s1 = section('vervulling');
    var trend = D.trend.filter(function (r) { return r.ring_code === 'specific'; });
    var dates = [];
    var byDate = {};
    trend.forEach(function (r) {
      if (dates.indexOf(r.peildatum) < 0) { dates.push(r.peildatum); byDate[r.peildatum] = r; }
    });
    var doms = (D.legend.domains || []);
    function trendRow(dt, code) {
      return trend.find(function (x) { return x.peildatum === dt && x.domain_code === code; });
    }
    var incomplete = dates.filter(function (dt) { return !byDate[dt].complete; }).length;
    // Small multiples: one panel per domain on the same scale, so lines never hide each other.
    var c1 = chart(s1, 'chart-trend', 'Zeven kleine lijngrafieken, één per leefgebied: vervulling van specifieke kennis op ' +
      dates.length + ' peildata, van ' + (dates.length ? dateLong(dates[0]) + ' tot ' + dateLong(dates[dates.length - 1]) : 'geen gegevens') +
      (incomplete ? '; ' + incomplete + ' daarvan tellen niet alle teams (open punt, gestippelde lijn)' : '') +
      '. De cijfers staan in de tabel hieronder.', 'tall');
    var o1 = baseOption();
    o1.tooltip.trigger = 'item';
    domainPanels(o1, doms, dates.map(function (dt) { return pointLabel(byDate[dt]); }));
    doms.forEach(function (d, i) {
      var values = dates.map(function (dt) {
        var r = trendRow(dt, d.code);
        return r && !r.suppressed && r.fulfilment !== null ? Math.round(r.fulfilment * 1000) / 10 : null;
      });
      // Solid: only between points that count every team.
      o1.series.push({
        name: d.name, type: 'line', xAxisIndex: i, yAxisIndex: i, symbol: 'circle', symbolSize: 6, z: 3,
        connectNulls: false, itemStyle: { color: '#0072b2' }, lineStyle: { width: 2 },
        data: dates.map(function (dt, k) { return byDate[dt].complete ? values[k] : null; })
      });
      // Dashed, under it: every point; hollow markers where not every team counts.
      o1.series.push({
        name: d.name + ' (onvolledig)', type: 'line', xAxisIndex: i, yAxisIndex: i, z: 4, connectNulls: false,
        symbol: 'emptyCircle', symbolSize: 9, showSymbol: true, showAllSymbol: true,
        itemStyle: { color: '#0072b2' }, lineStyle: { width: 2, type: 'dashed' },
        data: dates.map(function (dt, k) {
          var full = byDate[dt].complete;
          return { value: values[k], symbol: full ? 'none' : 'emptyCircle', symbolSize: full ? 0 : 9,
                   itemStyle: full ? undefined : { color: '#0072b2', borderWidth: 2 } };
        })
      });
    });
    o1.tooltip.formatter = function (p) {
      var d = doms[Math.floor(p.seriesIndex / 2)];
      var dt = dates[p.dataIndex];
      var r = trendRow(dt, d.code);
      var head = esc(d.name) + '<br>' + esc(dateShort(dt)) + (byDate[dt].round_name ? ' (' + esc(byDate[dt].round_name) + ')' : '');
      if (!r || r.suppressed) return head + ': onderdrukt (' + (r ? r.teams : 0) + ' teams, geen gepubliceerd)';
      return head + ': ' + esc(pct(r.fulfilment)) + ' vervuld<br>' + r.teams_included + ' van ' + r.teams + ' teams' +
        (r.complete ? '' : '<br>onvolledig: niet alle teams zijn gepubliceerd;<br>niet zonder meer te vergelijken met de andere punten');
    };
    c1.setOption(o1);

    // Teams x domains.
    var s2 = section('teams-leefgebieden');
    var teamNames = [];
    var teamIds = [];
    D.heatmap.forEach(function (r) {
      if (teamIds.indexOf(r.team_id) < 0) { teamIds.push(r.team_id); teamNames.push(r.team_name); }
    });
    var cells = D.heatmap.map(function (r) {
      var st = r.suppressed ? 'suppressed' : (STATUS[r.worst_status_code] ? r.worst_status_code : 'none');
      var S = STATUS[st];
      return {
        // Suppressed cells are drawn too (hatched, labelled), never left blank or shown as 0.
        value: [r.domain_position - 1, teamIds.indexOf(r.team_id), r.suppressed ? -1 : r.fulfilment],
        row: r, status: st,
        itemStyle: { color: S.color, decal: S.decal, borderColor: '#ffffff', borderWidth: 2 },
        label: { show: true, color: S.text, backgroundColor: st === 'suppressed' ? '#ffffff' : 'transparent', padding: 2, lineHeight: 16,
                 formatter: r.suppressed ? 'onderdrukt' : pct(r.fulfilment) + '\n' + S.label }
      };
    });
    var c2 = chart(s2, 'chart-heatmap', 'Tabelgrafiek: ' + teamIds.length + ' teams maal 7 leefgebieden met vervulling en status. ' +
      'De cijfers staan in de tabel hieronder.', 'tall');
    c2.getDom().style.height = Math.max(20, 4 + teamIds.length * 3.4) + 'rem';
    c2.resize();
    var o2 = baseOption();
    o2.grid = { left: 230, right: 16, top: 16, bottom: 64 };
    o2.tooltip.formatter = function (p) {
      var r = p.data.row;
      return esc(r.team_name) + '<br>' + esc(r.domain_name) + ': ' +
        (r.suppressed ? 'onderdrukt' : esc(pct(r.fulfilment) + ' vervuld, ' + STATUS[p.data.status].label +
                                            ' (tekort ' + num(r.shortfall) + ' plaatsen)'));
    };
    o2.xAxis = { type: 'category', data: domainNames(), axisLabel: { interval: 0, width: 110, overflow: 'break', lineHeight: 16, color: '#1b1b1b' } };
    o2.yAxis = { type: 'category', data: teamNames, inverse: true, axisLabel: { width: 215, overflow: 'truncate', color: '#1b1b1b' } };
    o2.series = [{ name: 'Teams × leefgebieden', type: 'heatmap', data: cells, emphasis: { disabled: true } }];
    c2.setOption(o2);

    // Freshness of assessments.
    var s3 = section('actualiteit');
    teamBars(s3, 'chart-freshness', 'Gestapelde staafgrafiek: per team het aantal leden met een actuele, verouderde of geen beoordeling. ' +
      'De cijfers staan in de tabel hieronder.', teams,
      function (t) { return t.team_name + (t.suppressed ? ' (onderdrukt)' : ''); }, [
        ['actueel', function (t) { return t.suppressed ? null : t.assessed - t.stale; }, STATUS.met],
        ['verouderd', function (t) { return t.suppressed ? null : t.stale; }, STATUS.fragile],
        ['niet beoordeeld', function (t) { return t.suppressed ? null : t.not_assessed; }, STATUS.gap]], 'leden');

    // Plan progress.
    if (D.plan !== null && D.plan !== undefined) {
      var planParts = [['afgerond', 'done', STATUS.met], ['bezig', 'in_progress', { color: '#56b4e9', text: '#000000', decal: null }],
                       ['gepland', 'planned', STATUS.fragile], ['voorgesteld', 'proposed', STATUS.none]];
      teamBars(section('scholingsplan'), 'chart-plan', 'Gestapelde staafgrafiek: per team het aantal scholingsacties per status. De cijfers staan in de tabel hieronder.',
        D.plan, function (p) { return p.team_name; }, planParts.map(function (p) {
          return [p[0], function (r) { return r[p[1]]; }, p[2]];
        }), 'acties');
    }
  }

  // ---- team report ---------------------------------------------------------------------------

  var RINGS = [
    { code: 'centre', name: 'Kern', radius: ['0%', '13%'] },
    { code: 'generic', name: 'Generieke competenties', radius: ['15%', '35%'] },
    { code: 'general', name: 'Algemene kennis', radius: ['37%', '55%'] },
    { code: 'specific', name: 'Specifieke kennis', radius: ['57%', '75%'] },
    { code: 'target_group', name: 'Doelgroepen', radius: ['77%', '90%'] }];

  /* A segment's key: A1../S1.. general and specific knowledge of domain 1.., G1.. generic
   * competencies, D1.. target groups; the key beside the wheel and the table name them. */
  function wheelKey(r, index) {
    if (r.ring_code === 'general') return 'A' + r.domain_position;
    if (r.ring_code === 'specific') return 'S' + r.domain_position;
    if (r.ring_code === 'generic') return 'G' + (index + 1);
    if (r.ring_code === 'target_group') return 'D' + (index + 1);
    return '';
  }
  function wheelLabel(r, index) {
    // "◆": the municipality has its own aspects under this block.
    var key = wheelKey(r, index) + (r.aspects && r.aspects.length ? ' ◆' : '');
    if (r.suppressed) return key + '\nonderdrukt';
    if (r.status_code === 'none' || r.required === null) return key + '\n–';
    // "?": not known to fall short, the members not yet assessed could make up the difference.
    return key + '\n' + r.present + '/' + r.required + (r.status_code === 'unknown' ? ' ?' : '');
  }
  function wheelTooltip(r, ring) {
    var head = esc(ring.name) + (r.domain_name ? ', ' + esc(r.domain_position + '. ' + r.domain_name) : '') + '<br><b>' +
      esc(r.block_name) + '</b>';
    var aspects = r.aspects && r.aspects.length ? '<br>lokale aspecten: ' + esc(r.aspects.join(', ')) : '';
    if (r.suppressed) return head + '<br>onderdrukt' + aspects;
    if (r.status_code === 'none' || r.required === null) return head + '<br>geen eis voor dit team' + aspects;
    var st = STATUS[statusOf(r)];
    return head + '<br>' + esc(st.explain || st.label) + ': ' + r.present + ' aanwezig, ' + r.required +
      ' nodig op niveau ' + r.min_level + ' (' + esc(r.min_level_label) + ') of hoger' +
      (r.unassessed ? '<br>' + r.unassessed + (r.unassessed === 1 ? ' lid' : ' leden') + ' nog niet beoordeeld op deze bouwsteen' : '') +
      aspects;
  }

  function teamPage() {
    var t = D.team;
    document.title = t.name + ' — teamrapport';

    // The wheel, readable on its own: ring names in the drawing, a key on every segment, the
    // full name in the tooltip and the table.
    var s1 = section('karrenwiel');
    var wheel = D.wheel;
    var c1 = chart(s1, 'chart-wheel', 'Karrenwiel van ' + t.name + ': ' +
      wheel.filter(function (r) { return r.status_code === 'gap'; }).length + ' bouwstenen met een tekort, ' +
      wheel.filter(function (r) { return r.status_code === 'unknown'; }).length + ' onbekend (nog te beoordelen), ' +
      wheel.filter(function (r) { return r.status_code === 'fragile'; }).length + ' kwetsbaar, ' +
      wheel.filter(function (r) { return r.status_code === 'met'; }).length + ' voldaan. De cijfers staan in de tabel hieronder.', 'wheel');
    var o1 = baseOption();
    o1.tooltip.trigger = 'item';
    o1.tooltip.formatter = function (p) { return wheelTooltip(p.data.row, RINGS[p.seriesIndex]); };
    o1.series = RINGS.map(function (ring) {
      var rows = wheel.filter(function (r) { return r.ring_code === ring.code; });
      return {
        name: ring.name, type: 'pie', radius: ring.radius, center: ['58%', '50%'], startAngle: 90, clockwise: true,
        avoidLabelOverlap: false, silent: false, emphasis: { scale: false },
        labelLine: { show: false },
        data: rows.map(function (r, index) {
          var st = statusOf(r);
          var S = STATUS[st];
          return {
            name: r.block_name, value: 1, row: r, status: st,
            itemStyle: { color: S.color, decal: S.decal, borderColor: '#ffffff', borderWidth: 2 },
            label: { show: true, position: 'inside', color: S.text,
                     fontSize: ring.code === 'target_group' || st === 'suppressed' ? 11 : 13,
                     fontWeight: 'bold', lineHeight: 15, formatter: ring.code === 'centre' ? 'Kern' : wheelLabel(r, index) }
          };
        })
      };
    });
    // The rings named in the drawing, from the inside out, with the letter of their segments.
    var ringNames = ['Van binnen naar buiten:', 'Kern', 'G  Generieke competenties', 'A  Algemene kennis (per leefgebied)',
                     'S  Specifieke kennis (per leefgebied)', 'D  Doelgroepen', '', 'Leefgebieden:']
      .concat((D.legend.domains || []).map(function (d) { return d.position + '  ' + d.name; }))
      .concat(['', '?  nog te beoordelen', '◆  met lokale aspecten']);
    o1.graphic = [{ type: 'text', left: 8, top: 8, silent: true,
                    style: { text: ringNames.join('\n'), fill: '#1b1b1b', font: '12px DejaVu Sans, Arial, sans-serif', lineHeight: 17 } }];
    c1.setOption(o1);

    // Required vs present per domain.
    var s2 = section('nodig-aanwezig');
    // The wheel's specific blocks: present is everyone at or above the level, not capped at the need.
    var spec = wheel.filter(function (r) { return r.ring_code === 'specific' && r.domain_position !== null; });
    var c2 = chart(s2, 'chart-domains', 'Staafgrafiek: per leefgebied nodig en aanwezig voor specifieke kennis. De cijfers staan in de tabel hieronder.');
    var o2 = baseOption();
    o2.grid = { left: 56, right: 24, top: 48, bottom: 72 };
    o2.tooltip.trigger = 'axis';
    o2.xAxis = { type: 'category', data: spec.map(function (d) { return d.domain_name; }),
                 axisLabel: { interval: 0, width: 100, overflow: 'break', lineHeight: 16, color: '#1b1b1b' } };
    o2.yAxis = { type: 'value', name: 'mensen', minInterval: 1, axisLabel: { color: '#1b1b1b' } };
    o2.series = [
      { name: 'Nodig', type: 'bar', barGap: '-100%', z: 3,
        itemStyle: { color: 'rgba(0,0,0,0)', borderColor: '#1b1b1b', borderWidth: 2, borderType: 'dashed' },
        label: { show: true, position: 'top', color: '#1b1b1b', formatter: function (p) { return 'nodig ' + p.value; } },
        data: spec.map(function (d) { return d.suppressed || d.required === null ? null : d.required; }) },
      { name: 'Aanwezig', type: 'bar', z: 2, itemStyle: { color: '#0072b2' },
        label: { show: true, position: 'insideBottom', color: '#ffffff', formatter: function (p) { return p.value ? String(p.value) : ''; } },
        data: spec.map(function (d) { return d.suppressed ? null : d.present; }) }];
    c2.setOption(o2);

    // Self vs supervisor (person-level: only when the page has it).
    var P = D.person;
    if (P) {
      var s6 = section('zelf-leidinggevende');
      var svs = P.self_vs_supervisor;
      var cats = svs.map(function (r) { return r.domain_name ? r.ring_name + ': ' + r.domain_name : r.ring_name; });
      var c6 = chart(s6, 'chart-self', 'Gestapelde staafgrafiek: per leefgebied het aantal vergelijkingen waarin de zelfbeoordeling hoger, gelijk of lager is. De cijfers staan in de tabel hieronder.', 'tall');
      var o6 = baseOption();
      o6.grid = { left: 300, right: 24, top: 48, bottom: 32 };
      o6.legend = { top: 8, textStyle: { color: '#1b1b1b' } };
      o6.tooltip.trigger = 'axis';
      o6.xAxis = { type: 'value', minInterval: 1, name: 'bouwstenen × leden', axisLabel: { color: '#1b1b1b' } };
      o6.yAxis = { type: 'category', inverse: true, data: cats, axisLabel: { width: 285, overflow: 'truncate', color: '#1b1b1b' } };
      o6.series = [['zelf hoger', 'higher', STATUS.fragile], ['gelijk', 'equal', STATUS.none], ['zelf lager', 'lower', STATUS.met]]
        .map(function (p) {
          return { name: p[0], type: 'bar', stack: 'vergelijking', itemStyle: { color: p[2].color, decal: p[2].decal },
                   label: { show: true, color: p[2].text, formatter: function (x) { return x.value ? String(x.value) : ''; } },
                   data: svs.map(function (r) { return r[p[1]]; }) };
        });
      c6.setOption(o6);
    }

    // Trend: requirement entries (not people) with a gap and still to assess, and fulfilment.
    var s8 = section('ontwikkeling');
    var tr = D.trend;
    var c8 = chart(s8, 'chart-trend', 'Grafiek: vervulling van het team en het aantal eisen met een tekort of nog te beoordelen per peildatum. De cijfers staan in de tabel hieronder.');
    var o8 = baseOption();
    o8.grid = { left: 64, right: 64, top: 56, bottom: 48 };
    o8.legend = { top: 8, textStyle: { color: '#1b1b1b' } };
    o8.tooltip.trigger = 'axis';
    o8.xAxis = { type: 'category', data: tr.map(function (r) { return monthLabel(r.peildatum); }), axisLabel: { color: '#1b1b1b' } };
    o8.yAxis = [{ type: 'value', min: 0, max: 100, name: 'vervuld (%)', axisLabel: { formatter: '{value}%', color: '#1b1b1b' } },
                { type: 'value', name: 'eisen', minInterval: 1, axisLabel: { color: '#1b1b1b' } }];
    o8.series = [
      { name: 'Eisen met tekort', type: 'bar', stack: 'eisen', yAxisIndex: 1,
        itemStyle: { color: '#e8a29d', decal: STATUS.gap.decal, borderColor: '#b3261e' },
        data: tr.map(function (r) { return r.suppressed ? null : r.gap_blocks; }) },
      { name: 'Eisen nog te beoordelen', type: 'bar', stack: 'eisen', yAxisIndex: 1,
        itemStyle: { color: STATUS.unknown.color, decal: STATUS.unknown.decal, borderColor: '#1b1b1b' },
        data: tr.map(function (r) { return r.suppressed ? null : r.unknown_blocks; }) },
      { name: 'Vervulling', type: 'line', symbol: 'circle', symbolSize: 7, itemStyle: { color: '#0072b2' }, lineStyle: { width: 3 },
        data: tr.map(function (r) { return r.suppressed || r.fulfilment === null ? null : Math.round(r.fulfilment * 1000) / 10; }) }];
    c8.setOption(o8);
  }

  // ---- national page (a federation of municipal databases) -----------------------------------

  var LEVELS = [
    { key: 'level0', label: 'niveau 0', color: '#f2f2f2', text: '#000000' },
    { key: 'level1', label: 'niveau 1', color: '#c6dbef', text: '#000000' },
    { key: 'level2', label: 'niveau 2', color: '#6baed6', text: '#000000' },
    { key: 'level3', label: 'niveau 3', color: '#2171b5', text: '#ffffff' },
    { key: 'level4', label: 'niveau 4', color: '#08306b', text: '#ffffff' },
    { key: 'na', label: 'niet van toepassing', color: '#ffffff', text: '#000000',
      decal: { symbol: 'rect', dashArrayX: [1, 0], dashArrayY: [1, 4], rotation: Math.PI / 4, color: '#767676' } },
    { key: 'not_assessed', label: 'niet beoordeeld', color: '#e69f00', text: '#000000', decal: STATUS.fragile.decal }];

  /* The national page: its text and tables are in the HTML (report.c); here only the charts. */
  function nationalPage() {
    // The country's fulfilment per domain over time.
    var doms = (D.legend.domains || []);
    var dates = [];
    D.trend.forEach(function (r) { if (dates.indexOf(r.peildatum) < 0) dates.push(r.peildatum); });
    dates.sort();
    function trendRow(dt, code) {
      return D.trend.find(function (x) { return x.peildatum === dt && x.domain_code === code; });
    }
    var c1 = chart(section('vervulling'), 'chart-trend', 'Zeven kleine lijngrafieken, één per leefgebied: vervulling van specifieke kennis in het land per peildatum, van ' +
      (dates.length ? dateLong(dates[0]) + ' tot ' + dateLong(dates[dates.length - 1]) : 'geen gegevens') +
      '. De cijfers staan in de tabel hieronder.', 'tall');
    var o1 = baseOption();
    o1.tooltip.trigger = 'axis';
    domainPanels(o1, doms, dates.map(monthLabel));
    doms.forEach(function (d, i) {
      o1.series.push({
        name: d.name, type: 'line', xAxisIndex: i, yAxisIndex: i, symbol: 'circle', symbolSize: 5,
        connectNulls: false, itemStyle: { color: '#0072b2' }, lineStyle: { width: 2 },
        data: dates.map(function (dt) {
          var r = trendRow(dt, d.code);
          return r && r.fulfilment !== null ? Math.round(r.fulfilment * 1000) / 10 : null;
        })
      });
    });
    o1.tooltip.formatter = function (ps) {
      var p = Array.isArray(ps) ? ps[0] : ps;
      var r = trendRow(dates[p.dataIndex], doms[p.seriesIndex].code);
      return esc(p.seriesName) + '<br>' + esc(dateShort(dates[p.dataIndex])) + ': ' +
        (!r ? 'geen gegevens' : esc(pct(r.fulfilment) + ' vervuld (' + r.municipalities + ' gemeenten, ' + r.teams_included + ' teams)'));
    };
    c1.setOption(o1);

    // Each municipality against the rest of the country.
    var muns = D.municipalities;
    if (muns.length) {
      var b2 = barRows(section('gemeenten'), 'chart-municipalities', 'Staafgrafiek: per gemeente de vervulling van specifieke kennis naast die van de rest van het land. ' +
        'De cijfers staan in de tabel hieronder.', muns.map(function (m) { return m.name; }), 6, 3.2, 48);
      var c2 = b2.chart;
      var o2 = b2.option;
      o2.xAxis = { type: 'value', min: 0, max: 100, name: '%', axisLabel: { formatter: '{value}%', color: '#1b1b1b' } };
      var toPt = function (v) { return v === null || v === undefined ? null : Math.round(v * 1000) / 10; };
      o2.series = [
        { name: 'gemeente', type: 'bar', itemStyle: { color: STATUS.met.color, borderColor: '#1b1b1b', borderWidth: 0.5 },
          label: { show: true, position: 'right', color: '#1b1b1b', formatter: function (x) { return x.value === null ? '' : x.value + '%'; } },
          data: muns.map(function (m) { return toPt(m.fulfilment); }) },
        { name: 'rest van het land', type: 'bar', itemStyle: { color: '#d9d9d9', decal: STATUS.fragile.decal, borderColor: '#1b1b1b', borderWidth: 0.5 },
          label: { show: true, position: 'right', color: '#1b1b1b', formatter: function (x) { return x.value === null ? '' : x.value + '%'; } },
          data: muns.map(function (m) { return toPt(m.others_fulfilment); }) }];
      c2.setOption(o2);
    }

    // The country's knowledge per domain: the merged coverage.
    var cov = D.coverage;
    if (cov.length) {
      var b3 = barRows(section('kennisniveau'), 'chart-coverage', 'Gestapelde staafgrafiek: per leefgebied het aantal leden per niveau van specifieke kennis in het land. ' +
        'De cijfers staan in de tabel hieronder.', cov.map(function (b) { return b.domain_name; }), 6, 2.6, 72);
      var c3 = b3.chart;
      var o3 = b3.option;
      o3.xAxis = { type: 'value', name: 'leden', minInterval: 1, axisLabel: { color: '#1b1b1b' } };
      o3.series = LEVELS.map(function (l) {
        return { name: l.label, type: 'bar', stack: 'leden',
                 itemStyle: { color: l.color, decal: l.decal || null, borderColor: '#1b1b1b', borderWidth: 0.5 },
                 label: { show: true, color: l.text, backgroundColor: l.key === 'na' ? '#ffffff' : 'transparent',
                          formatter: function (x) { return x.value ? String(x.value) : ''; } },
                 data: cov.map(function (b) { return b[l.key]; }) };
      });
      c3.setOption(o3);
    }
  }

  if (D.kind === 'team') teamPage(); else if (D.kind === 'national') nationalPage(); else municipalityPage();

  // Charts follow the paper width when printed (the tables are on the page as well).
  window.addEventListener('beforeprint', function () {
    Object.keys(charts).forEach(function (k) { charts[k].resize(); });
  });
  window.addEventListener('afterprint', function () {
    Object.keys(charts).forEach(function (k) { charts[k].resize(); });
  });
  // beforeprint comes before the print layout; this comes after it, so charts take the paper's size.
  if (window.matchMedia) {
    var printQuery = window.matchMedia('print');
    var onPrint = function () { Object.keys(charts).forEach(function (k) { charts[k].resize(); }); };
    if (printQuery.addEventListener) printQuery.addEventListener('change', onPrint);
    else if (printQuery.addListener) printQuery.addListener(onPrint);
  }
  window.addEventListener('resize', function () {
    Object.keys(charts).forEach(function (k) { charts[k].resize(); });
  });
  document.documentElement.setAttribute('data-rendered', 'true');
})();
