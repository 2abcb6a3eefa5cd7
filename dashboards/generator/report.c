/*
 * The dashboards' text, cards and tables, written into the page (see report.h).
 * Each table is one query over the page's document ($1, the jsonb the extension
 * built from the BI views); the query formats the cells as the page shows them
 * (Dutch dates, percentages rounded by numeric, "onderdrukt" for suppressed
 * values, "–" for none), and everything it returns is escaped here.
 */
#include "report.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct rep
{
	PGconn	   *conn;
	const char *json;
	kbs_buf    *out;
	char	   *err;
	size_t		errlen;
	bool		failed;
} rep;

/* Cell kinds: text, number (right-aligned), status tag "code|label", link "href|text",
 * text with a tag "text|code|label". */
typedef struct col
{
	const char *head;
	char		kind;
} col;

/* ---- SQL pieces: values of a row r of the document, formatted as the page shows them ---- */
#define ROWS(key) " FROM jsonb_array_elements($1::jsonb -> '" key "') WITH ORDINALITY e(r, n) "
#define SUPPRESSED "coalesce((r->>'suppressed')::boolean, false)"
#define NUM(x) "coalesce(" x ", '–')"
#define PCT(x) "CASE WHEN (" x ") IS NULL THEN '–' ELSE round((" x ")::numeric * 100)::integer || '%' END"
/* The same inside a printf format. */
#define PCT_F(x) "CASE WHEN (" x ") IS NULL THEN '–' ELSE round((" x ")::numeric * 100)::integer || '%%' END"
#define SUP(x) "CASE WHEN " SUPPRESSED " THEN 'onderdrukt' ELSE " x " END"
#define DATE_SHORT(x) "to_char((" x ")::date, 'DD-MM-YYYY')"
#define LEVEL(x, label) "CASE WHEN (" x ") IS NULL THEN '–' ELSE (" x ") || ' ' || (" label ") END"
/* The status of a row: suppressed, its code, or none (no requirement), as "code|label". */
#define STATUS_TAG(code, label) \
	"CASE WHEN " SUPPRESSED " THEN 'suppressed|onderdrukt' " \
	"WHEN (" code ") IN ('met', 'fragile', 'unknown', 'gap') THEN (" code ") || '|' || (" label ") " \
	"ELSE 'none|geen eis' END"
#define MONTHS "(ARRAY['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus', 'september', " \
	"'oktober', 'november', 'december'])"
#define DATE_LONG(x) "(extract(day FROM (" x ")::date)::integer || ' ' || " MONTHS \
	"[extract(month FROM (" x ")::date)::integer] || ' ' || extract(year FROM (" x ")::date)::integer)"

static void
fail(rep *r, const char *fmt,...)
{
	va_list		ap;

	if (r->failed)
		return;
	r->failed = true;
	va_start(ap, fmt);
	vsnprintf(r->err, r->errlen, fmt, ap);
	va_end(ap);
}

static void
emit(rep *r, const char *s)
{
	if (!r->failed && !kbs_buf_append(r->out, s, strlen(s)))
		fail(r, "out of memory");
}

static void
text(rep *r, const char *s)
{
	if (!r->failed && !kbs_escape_html(r->out, s, strlen(s)))
		fail(r, "out of memory");
}

static PGresult *
query(rep *r, const char *sql)
{
	const char *params[1];
	PGresult   *res;

	if (r->failed)
		return NULL;
	params[0] = r->json;
	res = PQexecParams(r->conn, sql, 1, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK)
	{
		const char *msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);

		fail(r, "could not read the page's data: %s", msg ? msg : PQerrorMessage(r->conn));
		PQclear(res);
		return NULL;
	}
	return res;
}

/* One value (the first column of the first row), escaped into the page; "" for none. */
static void
text_of(rep *r, const char *sql)
{
	PGresult   *res = query(r, sql);

	if (res == NULL)
		return;
	if (PQntuples(res) > 0 && !PQgetisnull(res, 0, 0))
		text(r, PQgetvalue(res, 0, 0));
	PQclear(res);
}

/* One value as a new string ("" for none); free() it. */
static char *
val(rep *r, const char *sql)
{
	PGresult   *res = query(r, sql);
	char	   *v;

	v = strdup(res != NULL && PQntuples(res) > 0 && !PQgetisnull(res, 0, 0) ? PQgetvalue(res, 0, 0) : "");
	PQclear(res);
	if (v == NULL)
		fail(r, "out of memory");
	return v;
}

static bool
flag(rep *r, const char *sql)
{
	PGresult   *res = query(r, sql);
	bool		v = false;

	if (res == NULL)
		return false;
	v = PQntuples(res) > 0 && !PQgetisnull(res, 0, 0) && strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	PQclear(res);
	return v;
}

static void
tag(rep *r, const char *code, size_t code_len, const char *label)
{
	emit(r, "<span class=\"tag ");
	if (!r->failed && !kbs_escape_html(r->out, code, code_len))
		fail(r, "out of memory");
	emit(r, "\">");
	text(r, label);
	emit(r, "</span>");
}

static void
cell(rep *r, char kind, const char *v)
{
	const char *bar = strchr(v, '|');

	if (kind == 'g' && bar != NULL)
		tag(r, v, (size_t) (bar - v), bar + 1);
	else if (kind == 'a' && bar != NULL)
	{
		emit(r, "<a href=\"");
		if (!r->failed && !kbs_escape_html(r->out, v, (size_t) (bar - v)))
			fail(r, "out of memory");
		emit(r, "\">");
		text(r, bar + 1);
		emit(r, "</a>");
	}
	else if (kind == 'm' && bar != NULL && strchr(bar + 1, '|') != NULL)
	{
		const char *bar2 = strchr(bar + 1, '|');

		if (bar > v)
		{
			if (!r->failed && !kbs_escape_html(r->out, v, (size_t) (bar - v)))
				fail(r, "out of memory");
			emit(r, " ");
		}
		tag(r, bar + 1, (size_t) (bar2 - bar - 1), bar2 + 1);
	}
	else
		text(r, v);
}

/* A table from a query with one column per spec (NULL is "–"); a notice instead when empty. */
static void
table(rep *r, const char *caption, const col *cols, int ncols, const char *sql, const char *empty)
{
	PGresult   *res = query(r, sql);
	int			rows;

	if (res == NULL)
		return;
	if (PQnfields(res) != ncols)
	{
		fail(r, "the query of table \"%s\" gives %d columns, not %d", caption, PQnfields(res), ncols);
		PQclear(res);
		return;
	}
	rows = PQntuples(res);
	if (rows == 0 && empty != NULL)
	{
		emit(r, "<p class=\"notice\">");
		text(r, empty);
		emit(r, "</p>\n");
		PQclear(res);
		return;
	}
	emit(r, "<div class=\"tablewrap\"><table><caption>");
	text(r, caption);
	emit(r, "</caption>\n<thead><tr>");
	for (int j = 0; j < ncols; j++)
	{
		emit(r, cols[j].kind == 'n' ? "<th scope=\"col\" class=\"num\">" : "<th scope=\"col\">");
		text(r, cols[j].head);
		emit(r, "</th>");
	}
	emit(r, "</tr></thead>\n<tbody>\n");
	for (int i = 0; i < rows; i++)
	{
		emit(r, "<tr>");
		for (int j = 0; j < ncols; j++)
		{
			const char *v = PQgetisnull(res, i, j) ? "–" : PQgetvalue(res, i, j);

			if (j == 0)
				emit(r, cols[j].kind == 'n' ? "<th scope=\"row\" class=\"num\">" : "<th scope=\"row\">");
			else
				emit(r, cols[j].kind == 'n' ? "<td class=\"num\">" : "<td>");
			cell(r, cols[j].kind, v);
			emit(r, j == 0 ? "</th>" : "</td>");
		}
		emit(r, "</tr>\n");
	}
	emit(r, "</tbody></table></div>\n");
	PQclear(res);
}

/* Cards from a query of (label, value) rows. */
static void
cards(rep *r, const char *sql)
{
	PGresult   *res = query(r, sql);

	if (res == NULL)
		return;
	emit(r, "<ul class=\"cards\">\n");
	for (int i = 0; i < PQntuples(res); i++)
	{
		emit(r, "<li><span class=\"value\">");
		text(r, PQgetisnull(res, i, 1) ? "–" : PQgetvalue(res, i, 1));
		emit(r, "</span><span class=\"label\">");
		text(r, PQgetvalue(res, i, 0));
		emit(r, "</span></li>\n");
	}
	emit(r, "</ul>\n");
	PQclear(res);
}

static void
notice(rep *r, const char *s)
{
	emit(r, "<p class=\"notice\">");
	text(r, s);
	emit(r, "</p>\n");
}

static void
section_open(rep *r, const char *id, const char *title, const char *intro)
{
	emit(r, "<section id=\"");
	text(r, id);
	emit(r, "\" aria-labelledby=\"");
	text(r, id);
	emit(r, "-h\">\n<h2 id=\"");
	text(r, id);
	emit(r, "-h\">");
	text(r, title);
	emit(r, "</h2>\n");
	if (intro != NULL)
	{
		emit(r, "<p class=\"intro\">");
		text(r, intro);
		emit(r, "</p>\n");
	}
}

/* The place of a chart: hidden until dashboard.js draws it, so no empty frame shows without JavaScript. */
static void
chart_slot(rep *r, const char *id, const char *cls)
{
	emit(r, "<div id=\"");
	text(r, id);
	emit(r, "\" class=\"chart");
	if (cls != NULL)
	{
		emit(r, " ");
		text(r, cls);
	}
	emit(r, "\" role=\"img\" aria-label=\"Grafiek; de cijfers staan in de tabel hieronder.\" hidden></div>\n");
}

static const char *const STATUS_LEGEND[][2] = {
	{"met", "voldaan"}, {"fragile", "kwetsbaar"}, {"unknown", "onbekend (?): nog te beoordelen"},
	{"gap", "tekort"}, {"none", "geen eis"}, {"suppressed", "onderdrukt"}};

static void
legend_status(rep *r)
{
	emit(r, "<ul class=\"legend\" aria-label=\"Legenda\">\n");
	for (size_t i = 0; i < sizeof(STATUS_LEGEND) / sizeof(STATUS_LEGEND[0]); i++)
	{
		emit(r, "<li><span class=\"swatch ");
		emit(r, STATUS_LEGEND[i][0]);
		emit(r, "\" aria-hidden=\"true\"></span>");
		text(r, STATUS_LEGEND[i][1]);
		emit(r, "</li>\n");
	}
	emit(r, "</ul>\n");
}

/* Table columns: the domains of the legend after some fixed ones; names kept in res. */
static int
domain_cols(rep *r, col *cols, int fixed, int max, PGresult **res)
{
	int			n;

	*res = query(r, "SELECT d->>'name' FROM jsonb_array_elements($1::jsonb -> 'legend' -> 'domains') WITH ORDINALITY x(d, n) ORDER BY n");
	if (*res == NULL)
		return fixed;
	n = PQntuples(*res);
	for (int i = 0; i < n && fixed + i < max; i++)
	{
		cols[fixed + i].head = PQgetvalue(*res, i, 0);
		cols[fixed + i].kind = 'n';
	}
	return fixed + (n < max - fixed ? n : max - fixed);
}

/* ---- the municipality overview -------------------------------------------------------------- */

/* Fulfilment of specific knowledge per domain, one row per peildatum of the given trend key. */
static void
trend_table(rep *r, const char *key, const char *caption)
{
	col			cols[16] = {{"Peildatum", 't'}, {"Ronde", 't'}, {"Teams meegeteld", 't'}};
	PGresult   *names = NULL;
	int			ncols = domain_cols(r, cols, 3, 16, &names);
	char		sql[8192];
	size_t		len;

	len = (size_t) snprintf(sql, sizeof(sql),
							"WITH t AS (SELECT e.r FROM jsonb_array_elements($1::jsonb -> '%s') e(r) WHERE coalesce(r->>'ring_code', 'specific') = 'specific'), "
							"p AS (SELECT DISTINCT r->>'peildatum' AS d FROM t) "
							"SELECT " DATE_SHORT("p.d") ", "
							"coalesce((SELECT r->>'round_name' FROM t WHERE r->>'peildatum' = p.d LIMIT 1), 'einde maand'), "
							"(SELECT (r->>'teams_included') || ' van ' || (r->>'teams') || ' teams'"
							" || CASE WHEN (r->>'complete')::boolean THEN '' ELSE ' (onvolledig)' END"
							" FROM t WHERE r->>'peildatum' = p.d LIMIT 1)", key);
	for (int i = 3; i < ncols && len < sizeof(sql); i++)
		len += (size_t) snprintf(sql + len, sizeof(sql) - len,
								 ", (SELECT " SUP(PCT_F("r->>'fulfilment'")) " FROM t WHERE r->>'peildatum' = p.d"
								 " AND r->>'domain_code' = (SELECT x.dom->>'code' FROM jsonb_array_elements($1::jsonb -> 'legend' -> 'domains') x(dom)"
								 " WHERE (x.dom->>'position')::integer = %d))", i - 2);
	if (len < sizeof(sql))
		len += (size_t) snprintf(sql + len, sizeof(sql) - len, " FROM p ORDER BY p.d DESC");
	if (len >= sizeof(sql))
		fail(r, "trend query too long");
	else
		table(r, caption, cols, ncols, sql, "Nog geen peildata.");
	PQclear(names);
}

int
kbs_report_municipality(PGconn *conn, const char *json, kbs_buf *body, kbs_buf *meta, char *err, size_t errlen)
{
	rep			r = {conn, json, body, err, errlen, false};
	rep			m = {conn, json, meta, err, errlen, false};
	bool		rounds;

	text_of(&m, "SELECT 'Gemeente ' || ($1::jsonb #>> '{municipality,name}') || ' (' || ($1::jsonb #>> '{municipality,code}')"
			" || ') · peildatum ' || " DATE_LONG("$1::jsonb ->> 'peildatum'"));
	if (m.failed)
		return -1;

	cards(&r, "WITH t AS (SELECT e.r FROM jsonb_array_elements($1::jsonb -> 'teams') e(r)) "
		  "SELECT l, v FROM (VALUES "
		  "(1, 'teams', (SELECT count(*)::text FROM t)), "
		  "(2, 'leden in niet-onderdrukte teams', (SELECT coalesce(sum((r->>'members')::integer), 0)::text FROM t WHERE NOT " SUPPRESSED ")), "
		  "(3, 'teams met een tekort', (SELECT count(*)::text FROM t WHERE (r->>'gap_blocks')::integer > 0)), "
		  "(4, 'teams met eisen nog te beoordelen', (SELECT count(*)::text FROM t WHERE (r->>'unknown_blocks')::integer > 0)), "
		  "(5, 'onderdrukte teams', (SELECT count(*)::text FROM t WHERE " SUPPRESSED "))) x(k, l, v) ORDER BY k");

	rounds = flag(&r, "SELECT EXISTS (SELECT 1 FROM jsonb_array_elements($1::jsonb -> 'trend') x WHERE x->>'round_name' IS NOT NULL)");
	section_open(&r, "vervulling", rounds ? "Vervulling specifieke kennis per leefgebied per beoordelingsronde"
				 : "Vervulling specifieke kennis per leefgebied door de tijd",
				 rounds ? "Per leefgebied het aandeel van de vereiste mensen op niveau 3 of hoger dat aanwezig is, op de peildata van de "
				 "beoordelingsronden (de officiële meetmomenten), opgeteld over de teams waarvan de cijfers gepubliceerd zijn. "
				 "Elk punt zegt hoeveel teams het telt. Een open punt met een gestippelde lijn ernaartoe telt niet alle teams "
				 "(onvolledig): een team is daar onderdrukt en telt nergens mee, dus het punt is niet zonder meer te vergelijken "
				 "met de andere. Geen punt: onderdrukt."
				 : "Per leefgebied het aandeel van de vereiste mensen op niveau 3 of hoger dat aanwezig is, opgeteld over de teams "
				 "waarvan de cijfers gepubliceerd zijn. Elk punt zegt hoeveel teams het telt; een open punt met een gestippelde "
				 "lijn ernaartoe telt niet alle teams (onvolledig). Geen punt: onderdrukt.");
	chart_slot(&r, "chart-trend", "tall");
	trend_table(&r, "trend", "Vervulling specifieke kennis per leefgebied");
	emit(&r, "</section>\n");

	if (flag(&r, "SELECT jsonb_typeof($1::jsonb -> 'trend_monthly') = 'array'"))
	{
		section_open(&r, "vervulling-maanden", "Vervulling per einde van de maand (voor coördinatoren)",
					 "Dezelfde cijfers op elk einde van een maand en elke ronde. Tussen twee rondes verandert vooral wie er in "
					 "het team zit en wie gepubliceerd is; voor beleid gelden de rondes hierboven.");
		trend_table(&r, "trend_monthly", "Vervulling specifieke kennis per leefgebied per einde van de maand");
		emit(&r, "</section>\n");
	}

	{
		char	   *title = val(&r, "SELECT 'Teams en leefgebieden op ' || " DATE_LONG("$1::jsonb ->> 'peildatum'"));

		section_open(&r, "teams-leefgebieden", title ? title : "",
					 "Per team en leefgebied de specifieke kennis: vervulling en de zwakste status van de eisen in dat "
					 "leefgebied (voldaan, kwetsbaar: één vertrek geeft een tekort, onbekend: nog te beoordelen, tekort). "
					 "Kleur, patroon en tekst zeggen hetzelfde.");
		free(title);
	}
	legend_status(&r);
	chart_slot(&r, "chart-heatmap", "tall");
	{
		col			cols[16] = {{"Team", 't'}};
		PGresult   *names = NULL;
		int			ncols = domain_cols(&r, cols, 1, 16, &names);
		char		sql[8192];
		size_t		len;

		for (int i = 1; i < ncols; i++)
			cols[i].kind = 'm';
		len = (size_t) snprintf(sql, sizeof(sql),
								"WITH h AS (SELECT r, n" ROWS("heatmap") "), "
								"t AS (SELECT r->>'team_id' AS id, min(r->>'team_name') AS name, min(n) AS first FROM h GROUP BY 1) "
								"SELECT t.name");
		for (int i = 1; i < ncols && len < sizeof(sql); i++)
			len += (size_t) snprintf(sql + len, sizeof(sql) - len,
									 ", (SELECT CASE WHEN " SUPPRESSED " THEN '|suppressed|onderdrukt' "
									 "ELSE " PCT_F("r->>'fulfilment'") " || '|' || " "CASE WHEN r->>'worst_status_code' IN ('met', 'fragile', 'unknown', 'gap') "
									 "THEN (r->>'worst_status_code') || '|' || (r->>'worst_status_label') ELSE 'none|geen eis' END END "
									 "FROM h WHERE h.r->>'team_id' = t.id AND (h.r->>'domain_position')::integer = %d)", i);
		if (len < sizeof(sql))
			len += (size_t) snprintf(sql + len, sizeof(sql) - len, " FROM t ORDER BY t.first");
		if (len >= sizeof(sql))
			fail(&r, "heat map query too long");
		else
			table(&r, "Vervulling en status per team en leefgebied", cols, ncols, sql, "Geen teams op deze peildatum.");
		PQclear(names);
	}
	emit(&r, "</section>\n");

	section_open(&r, "actualiteit", "Actualiteit van de beoordelingen",
				 "Per team: leden met een actuele beoordeling, met een verouderde beoordeling (telt nog mee, maar is toe aan "
				 "vernieuwing) en zonder beoordeling.");
	chart_slot(&r, "chart-freshness", NULL);
	{
		static const col cols[] = {{"Team", 't'}, {"Leden", 'n'}, {"Actueel", 'n'}, {"Verouderd", 'n'}, {"Niet beoordeeld", 'n'}};

		table(&r, "Actualiteit van de beoordelingen per team", cols, 5,
			  "SELECT r->>'team_name', " SUP(NUM("r->>'members'")) ", "
			  SUP(NUM("((r->>'assessed')::integer - (r->>'stale')::integer)::text")) ", "
			  SUP(NUM("r->>'stale'")) ", " SUP(NUM("r->>'not_assessed'")) ROWS("teams") "ORDER BY n",
			  "Geen teams op deze peildatum.");
	}
	emit(&r, "</section>\n");

	section_open(&r, "scholingsplan", "Voortgang van de scholingsplannen",
				 "Per team de scholingsacties naar status zoals die op de peildatum was. Achterstallig: nog open na de "
				 "streefdatum. Open acties van wie het team verliet staan apart: ze tellen niet als open.");
	if (!flag(&r, "SELECT jsonb_typeof($1::jsonb -> 'plan') = 'array'"))
		notice(&r, "Geen toegang: de voortgang van scholingsplannen is alleen zichtbaar voor coördinatoren en beheerders.");
	else
	{
		static const col cols[] = {{"Team", 't'}, {"Acties", 'n'}, {"Afgerond", 'n'}, {"Bezig", 'n'}, {"Gepland", 'n'},
		{"Voorgesteld", 'n'}, {"Achterstallig", 'n'}, {"Open van vertrokken leden", 'n'},
		{"Vervulling nu", 'n'}, {"Vervulling als alles af is", 'n'}};

		chart_slot(&r, "chart-plan", NULL);
		table(&r, "Scholingsacties per team", cols, 10,
			  "SELECT r->>'team_name', " NUM("r->>'items'") ", " NUM("r->>'done'") ", " NUM("r->>'in_progress'") ", "
			  NUM("r->>'planned'") ", " NUM("r->>'proposed'") ", " NUM("r->>'overdue'") ", " NUM("r->>'open_departed'") ", "
			  PCT("r->>'fulfilment_now'") ", " PCT("r->>'fulfilment_forecast'") ROWS("plan") "ORDER BY n",
			  "Geen teams met een scholingsplan.");
	}
	emit(&r, "</section>\n");

	section_open(&r, "teams", "Teams",
				 "Open het teamrapport voor het karrenwiel, de tekorten en het scholingsplan van een team. Eisen tellen "
				 "eisen (bouwstenen met een eis), leden onder een ondergrens telt personen, plaatsen tekort telt de plaatsen "
				 "die in de gedeelde dekking ontbreken.");
	{
		static const col cols[] = {{"Team", 'a'}, {"Leden", 'n'}, {"Vervulling", 'n'}, {"Met ketenpartners", 'n'},
		{"Eisen met tekort", 'n'}, {"Eisen nog te beoordelen", 'n'}, {"Kwetsbare eisen", 'n'},
		{"Leden onder een ondergrens", 'n'}, {"Plaatsen tekort", 'n'}};

		char	   *caption = val(&r, "SELECT 'Teams op ' || " DATE_SHORT("$1::jsonb ->> 'peildatum'"));

		table(&r, caption ? caption : "", cols, 9,
			  "SELECT 'team-' || (r->>'team_id') || '.html|' || (r->>'team_name'), " SUP(NUM("r->>'members'")) ", "
			  SUP("CASE WHEN (r->>'has_requirement')::boolean THEN " PCT("r->>'fulfilment'") " ELSE 'geen eis' END") ", "
			  SUP("CASE WHEN (r->>'has_requirement')::boolean THEN " PCT("r->>'fulfilment_with_partners'") " ELSE 'geen eis' END") ", "
			  SUP(NUM("r->>'gap_blocks'")) ", " SUP(NUM("r->>'unknown_blocks'")) ", " SUP(NUM("r->>'fragile_blocks'")) ", "
			  SUP(NUM("r->>'members_below_floor'")) ", " SUP(NUM("r->>'places_short'")) ROWS("teams") "ORDER BY n",
			  "Geen teams met een momentopname op deze peildatum.");
		free(caption);
	}
	emit(&r, "</section>\n");
	return r.failed ? -1 : 0;
}

/* ---- the team report ------------------------------------------------------------------------ */

/* A segment's key in the wheel: the domain's number, G1.. for generic competencies, D1.. for target groups. */
#define WHEEL_KEY "CASE WHEN r->>'ring_code' = 'general' THEN 'A' || (r->>'domain_position') " \
	"WHEN r->>'ring_code' = 'specific' THEN 'S' || (r->>'domain_position') " \
	"WHEN r->>'ring_code' = 'generic' THEN 'G' || row_number() OVER (PARTITION BY r->>'ring_code' ORDER BY n) " \
	"WHEN r->>'ring_code' = 'target_group' THEN 'D' || row_number() OVER (PARTITION BY r->>'ring_code' ORDER BY n) END"

static void
wheel_keys(rep *r)
{
	static const char *const groups[][2] = {
		{"generic", "Generieke competenties (G), met de klok mee vanaf boven"},
		{"target_group", "Doelgroepen (D), met de klok mee vanaf boven"}};
	PGresult   *res;

	emit(r, "<div class=\"grid2\">\n<div><h3>Leefgebieden (A1–A7 algemene, S1–S7 specifieke kennis), met de klok mee vanaf boven</h3>\n<ol>\n");
	res = query(r, "SELECT d->>'name' FROM jsonb_array_elements($1::jsonb -> 'legend' -> 'domains') WITH ORDINALITY x(d, n) ORDER BY n");
	for (int i = 0; res != NULL && i < PQntuples(res); i++)
	{
		emit(r, "<li>");
		text(r, PQgetvalue(res, i, 0));
		emit(r, "</li>\n");
	}
	PQclear(res);
	emit(r, "</ol></div>\n");
	for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]); g++)
	{
		char		sql[1024];

		snprintf(sql, sizeof(sql), "SELECT k, b FROM (SELECT " WHEEL_KEY " AS k, r->>'block_name' AS b, n" ROWS("wheel") ") x "
				 "WHERE k LIKE '%s%%' ORDER BY n", groups[g][0][0] == 'g' ? "G" : "D");
		emit(r, "<div><h3>");
		text(r, groups[g][1]);
		emit(r, "</h3>\n<ul class=\"keys\">\n");
		res = query(r, sql);
		for (int i = 0; res != NULL && i < PQntuples(res); i++)
		{
			emit(r, "<li><strong>");
			text(r, PQgetvalue(res, i, 0));
			emit(r, "</strong> ");
			text(r, PQgetvalue(res, i, 1));
			emit(r, "</li>\n");
		}
		PQclear(res);
		emit(r, "</ul></div>\n");
	}
	emit(r, "</div>\n");
}

int
kbs_report_team(PGconn *conn, const char *json, kbs_buf *body, kbs_buf *meta, char *err, size_t errlen)
{
	rep			r = {conn, json, body, err, errlen, false};
	rep			m = {conn, json, meta, err, errlen, false};
	bool		suppressed;
	char	   *d;

	text_of(&m, "SELECT 'Teamrapport · gemeente ' || ($1::jsonb #>> '{municipality,name}') || ' ('"
			" || ($1::jsonb #>> '{municipality,code}') || ') · peildatum ' || " DATE_LONG("$1::jsonb ->> 'peildatum'"));
	if (m.failed)
		return -1;

	emit(&r, "<p><a href=\"gemeente-");
	text_of(&r, "SELECT $1::jsonb #>> '{municipality,code}'");
	emit(&r, ".html\">Naar het gemeenteoverzicht</a></p>\n");
	suppressed = flag(&r, "SELECT coalesce(($1::jsonb #>> '{summary,suppressed}')::boolean, false)");
	if (suppressed)
		notice(&r, "De cijfers van dit team zijn voor u onderdrukt (te weinig beoordeelde personen of af te leiden uit andere cijfers).");
#define S(key) "$1::jsonb #>> '{summary," key "}'"
#define SSUP(x) "CASE WHEN coalesce((" S("suppressed") ")::boolean, false) THEN 'onderdrukt' ELSE " x " END"
#define SREQ(x) "CASE WHEN (" S("has_requirement") ")::boolean THEN " x " ELSE 'geen eis' END"
	cards(&r, "SELECT l, v FROM (VALUES "
		  "(1, 'leden', " SSUP(NUM(S("members"))) "), "
		  "(2, 'beoordeeld', " SSUP(NUM(S("assessed"))) "), "
		  "(3, 'verouderd', " SSUP(NUM(S("stale"))) "), "
		  "(4, 'vervulling', " SSUP(SREQ(PCT(S("fulfilment")))) "), "
		  "(5, 'met ketenpartners', " SSUP(SREQ(PCT(S("fulfilment_with_partners")))) "), "
		  "(6, 'eisen met tekort', " SSUP(NUM(S("gap_blocks"))) "), "
		  "(7, 'eisen nog te beoordelen', " SSUP(NUM(S("unknown_blocks"))) "), "
		  "(8, 'kwetsbare eisen', " SSUP(NUM(S("fragile_blocks"))) "), "
		  "(9, 'leden onder een ondergrens', " SSUP(NUM(S("members_below_floor"))) "), "
		  "(10, 'plaatsen tekort (gedeelde dekking)', " SSUP(NUM(S("places_short"))) ")) x(k, l, v) ORDER BY k");

	section_open(&r, "karrenwiel", "Karrenwiel: nodig en aanwezig",
				 "Van binnen naar buiten: de kern, de generieke competenties (G), per leefgebied algemene en specifieke kennis "
				 "(A en S met het nummer van het leefgebied), en de doelgroepen (D). In elk vlak: aanwezig/nodig, het aantal mensen op "
				 "of boven het vereiste niveau tegenover het aantal dat nodig is (nooit een gemiddelde); ? betekent nog te "
				 "beoordelen, een ◆ dat de gemeente er eigen aspecten onder heeft.");
	legend_status(&r);
	chart_slot(&r, "chart-wheel", "wheel");
	wheel_keys(&r);
	{
		static const col cols[] = {{"Bouwsteen", 't'}, {"Laag", 't'}, {"Niveau", 'n'}, {"Nodig", 'n'}, {"Aanwezig", 'n'},
		{"Status", 'g'}, {"Lokale aspecten", 't'}};

		table(&r, "Nodig en aanwezig per bouwsteen", cols, 7,
			  "SELECT r->>'block_name', r->>'ring_name', " LEVEL("r->>'min_level'", "r->>'min_level_label'") ", "
			  SUP(NUM("r->>'required'")) ", " SUP(NUM("r->>'present'")) ", " STATUS_TAG("r->>'status_code'", "r->>'status_label'") ", "
			  "coalesce((SELECT string_agg(a, ', ' ORDER BY o) FROM jsonb_array_elements_text(r->'aspects') WITH ORDINALITY y(a, o)), '–')"
			  ROWS("wheel") "ORDER BY n", NULL);
	}
	emit(&r, "</section>\n");

	section_open(&r, "lokaal", "Lokale bouwstenen en aspecten",
				 "Wat de gemeente zelf aan het karrenwiel heeft toegevoegd: eigen bouwstenen en aspecten (verfijningen van een "
				 "bouwsteen), met hun plaats in het wiel en, als het team er een eis voor heeft, nodig, aanwezig en status.");
	{
		static const col cols[] = {{"Bouwsteen of aspect", 't'}, {"Soort", 't'}, {"Laag", 't'}, {"Leefgebied", 't'},
		{"Niveau", 'n'}, {"Nodig", 'n'}, {"Aanwezig", 'n'}, {"Status", 'g'}};

		table(&r, "Lokale bouwstenen en aspecten", cols, 8,
			  "SELECT r->>'block_name', CASE WHEN (r->>'is_aspect')::boolean THEN 'aspect van ' || (r->>'parent_name') "
			  "ELSE 'lokale bouwsteen' END, r->>'ring_name', "
			  "CASE WHEN r->>'domain_position' IS NULL THEN '–' ELSE (r->>'domain_position') || '. ' || (r->>'domain_name') END, "
			  LEVEL("r->>'min_level'", "r->>'min_level_label'") ", " SUP(NUM("r->>'required'")) ", " SUP(NUM("r->>'present'")) ", "
			  STATUS_TAG("r->>'status_code'", "r->>'status_label'") ROWS("local") "ORDER BY n",
			  "De gemeente heeft geen eigen bouwstenen of aspecten.");
	}
	emit(&r, "</section>\n");

	section_open(&r, "nodig-aanwezig", "Specifieke kennis per leefgebied: nodig en aanwezig",
				 "Per leefgebied het aantal mensen dat nodig is (gestippelde rand) en het aantal op of boven het vereiste niveau (gevuld).");
	emit(&r, "<ul class=\"legend\" aria-label=\"Legenda\">\n<li><span class=\"swatch required\" aria-hidden=\"true\"></span>nodig "
		 "(gestippelde rand)</li>\n<li><span class=\"swatch present\" aria-hidden=\"true\"></span>aanwezig (gevuld)</li>\n</ul>\n");
	chart_slot(&r, "chart-domains", NULL);
	{
		static const col cols[] = {{"Leefgebied", 't'}, {"Niveau", 'n'}, {"Nodig", 'n'}, {"Aanwezig", 'n'}, {"Status", 'g'}};
		static const col cols2[] = {{"Leefgebied", 't'}, {"Laag", 't'}, {"Nodig", 'n'}, {"Aanwezig (begrensd op nodig)", 'n'},
		{"Tekort", 'n'}, {"Status", 'g'}};

		table(&r, "Specifieke kennis per leefgebied", cols, 5,
			  "SELECT r->>'domain_name', " LEVEL("r->>'min_level'", "r->>'min_level_label'") ", " SUP(NUM("r->>'required'")) ", "
			  SUP(NUM("r->>'present'")) ", " STATUS_TAG("r->>'status_code'", "r->>'status_label'")
			  ROWS("wheel") "WHERE r->>'ring_code' = 'specific' AND r->>'domain_position' IS NOT NULL ORDER BY n", NULL);
		table(&r, "Nodig en aanwezig per leefgebied en laag", cols2, 6,
			  "SELECT coalesce(r->>'domain_name', ''), r->>'ring_name', " SUP(NUM("r->>'required'")) ", " SUP(NUM("r->>'present'")) ", "
			  SUP(NUM("r->>'shortfall'")) ", " STATUS_TAG("r->>'worst_status_code'", "r->>'worst_status_label'")
			  ROWS("domains") "ORDER BY n", NULL);
	}
	emit(&r, "</section>\n");

	d = val(&r, "SELECT " DATE_SHORT("$1::jsonb ->> 'peildatum'"));
	section_open(&r, "tekorten", "Tekorten",
				 "Elke eis waar minder mensen op het vereiste niveau zijn dan nodig, ook als alle leden die er nog niet op "
				 "beoordeeld zijn de eis zouden halen. Op volgorde van belang, dan van het tekort (het grootste eerst).");
	{
		static const col cols[] = {{"Bouwsteen", 't'}, {"Belang", 't'}, {"Niveau", 't'}, {"Nodig", 'n'}, {"Aanwezig", 'n'},
		{"Tekort", 'n'}};
		char		caption[64];

		snprintf(caption, sizeof(caption), "Tekorten op %s", d ? d : "");
		table(&r, caption, cols, 6,
			  "SELECT r->>'block_name', r->>'importance_label', (r->>'min_level') || ' ' || (r->>'min_level_label'), "
			  SUP(NUM("r->>'required'")) ", " SUP(NUM("r->>'present'")) ", " SUP(NUM("r->>'shortfall'")) ROWS("gaps") "ORDER BY n",
			  "Geen tekorten op deze peildatum.");
	}
	emit(&r, "</section>\n");

	section_open(&r, "onbekend", "Nog te beoordelen",
				 "Eisen met status onbekend: er zijn minder mensen op het vereiste niveau dan nodig, maar niet meer te weinig "
				 "dan er leden nog niet op deze bouwsteen beoordeeld zijn. Beoordeel hen eerst; pas dan blijkt of er een tekort is.");
	{
		static const col cols[] = {{"Bouwsteen", 't'}, {"Niveau", 't'}, {"Nodig", 'n'}, {"Aanwezig", 'n'},
		{"Nog niet beoordeeld", 'n'}, {"Status", 'g'}};
		char		caption[64];

		snprintf(caption, sizeof(caption), "Nog te beoordelen op %s", d ? d : "");
		table(&r, caption, cols, 6,
			  "SELECT r->>'block_name', (r->>'min_level') || ' ' || (r->>'min_level_label'), " NUM("r->>'required'") ", "
			  NUM("r->>'present'") ", " NUM("r->>'unassessed'") ", 'unknown|onbekend'" ROWS("unknown") "ORDER BY n",
			  suppressed ? "Onderdrukt: of er eisen nog te beoordelen zijn, is voor u niet zichtbaar."
			  : "Geen eisen die nog te beoordelen zijn op deze peildatum.");
	}
	emit(&r, "</section>\n");

	section_open(&r, "kwetsbaar", "Kwetsbare bouwstenen",
				 "Precies genoeg mensen: één vertrek of langdurige afwezigheid geeft een tekort. Ketenpartners die de kennis "
				 "hebben staan erbij.");
	{
		static const col cols[] = {{"Bouwsteen", 't'}, {"Niveau", 'n'}, {"Nodig", 'n'}, {"Dragers", 'n'},
		{"Experts (niveau 4)", 'n'}, {"Bij ketenpartners", 'n'}, {"Eén drager", 't'}};
		char		caption[64];

		snprintf(caption, sizeof(caption), "Kwetsbare bouwstenen op %s", d ? d : "");
		/* Suppressed figures say nothing about fragility: never claim there is none. */
		table(&r, caption, cols, 7,
			  "SELECT r->>'block_name', " NUM("r->>'min_level'") ", " NUM("r->>'min_members'") ", " NUM("r->>'carriers'") ", "
			  NUM("r->>'experts'") ", " NUM("r->>'partner_carriers'") ", "
			  "CASE WHEN (r->>'single_carrier')::boolean THEN 'ja' ELSE 'nee' END" ROWS("fragile") "ORDER BY n",
			  suppressed ? "Onderdrukt: of er kwetsbare bouwstenen zijn, is voor u niet zichtbaar."
			  : "Geen kwetsbare bouwstenen op deze peildatum.");
	}
	emit(&r, "</section>\n");
	free(d);

	section_open(&r, "scholing", "Scholingskandidaten en scholingsplan",
				 "Kandidaten: per tekort de beoordeelde leden die het dichtst bij het vereiste niveau zitten, zoveel als het "
				 "tekort. Bedoeld voor het teamgesprek, niet als beoordeling.");
	if (!flag(&r, "SELECT jsonb_typeof($1::jsonb -> 'person') = 'object'"))
	{
		notice(&r, "Geen toegang: scholingskandidaten, scholingsplan en gegevens per lid zijn alleen zichtbaar voor "
			   "coördinatoren van dit team en beheerders.");
		emit(&r, "</section>\n");
		goto trend;
	}
	if (flag(&r, "SELECT jsonb_array_length($1::jsonb #> '{person,not_assessed}') > 0"))
	{
		emit(&r, "<p class=\"notice\">");
		text_of(&r, "SELECT 'Nog niet beoordeeld: ' || string_agg(x, ', ' ORDER BY o) || '. Beoordeel deze leden eerst; daarna "
				"blijkt waar scholing nodig is.' FROM jsonb_array_elements_text($1::jsonb #> '{person,not_assessed}') WITH ORDINALITY y(x, o)");
		emit(&r, "</p>\n");
	}
	{
		static const col cols[] = {{"Bouwsteen", 't'}, {"Vereist niveau", 'n'}, {"Lid", 't'}, {"Discipline", 't'},
		{"Huidig niveau", 't'}, {"In het plan", 't'}};

		table(&r, "Scholingskandidaten", cols, 6,
			  "SELECT r->>'block_name', " NUM("r->>'required_level'") ", r->>'professional_ref', " NUM("r->>'discipline'") ", "
			  "CASE WHEN r->>'level' IS NULL THEN 'niet beoordeeld' ELSE (r->>'level') || ' ' || (r->>'level_label') END, "
			  "CASE WHEN (r->>'in_plan')::boolean THEN 'ja' ELSE 'nee' END FROM jsonb_array_elements($1::jsonb #> '{person,candidates}') "
			  "WITH ORDINALITY e(r, n) ORDER BY n",
			  "Geen kandidaten: er zijn geen tekorten die beoordeelde leden van het team kunnen opvullen.");
	}
	if (flag(&r, "SELECT jsonb_typeof($1::jsonb #> '{person,progress}') = 'object'"))
	{
#define P(key) "$1::jsonb #>> '{person,progress," key "}'"
		cards(&r, "SELECT l, v FROM (VALUES (1, 'acties', " NUM(P("items")) "), (2, 'afgerond', " NUM(P("done")) "), "
			  "(3, 'open', " NUM(P("open")) "), (4, 'achterstallig', " NUM(P("overdue")) "), "
			  "(5, 'open van vertrokken leden', " NUM(P("open_departed")) "), "
			  "(6, 'vervulling nu', " PCT(P("fulfilment_now")) "), (7, 'als alles af is', " PCT(P("fulfilment_forecast")) ")) x(k, l, v) ORDER BY k");
#undef P
	}
	{
		static const col cols[] = {{"Bouwsteen", 't'}, {"Doelniveau", 'n'}, {"Wie", 't'}, {"Streefdatum", 't'}, {"Status", 't'}};

		table(&r, "Scholingsplan", cols, 5,
			  "SELECT r->>'block_name', " NUM("r->>'target_level'") ", coalesce(r->>'professional_ref', 'teamactie'), "
			  DATE_SHORT("r->>'due_on'") ", (r->>'status_label') || CASE WHEN (r->>'overdue')::boolean THEN ' (achterstallig)' ELSE '' END "
			  "FROM jsonb_array_elements($1::jsonb #> '{person,plan}') WITH ORDINALITY e(r, n) "
			  "WHERE NOT coalesce((r->>'departed')::boolean, false) ORDER BY n",
			  "Het scholingsplan is leeg.");
		table(&r, "Open acties van vertrokken leden", cols, 5,
			  "SELECT r->>'block_name', " NUM("r->>'target_level'") ", r->>'professional_ref', " DATE_SHORT("r->>'due_on'") ", "
			  "(r->>'status_label') || ' (niet meer in het team)' "
			  "FROM jsonb_array_elements($1::jsonb #> '{person,plan}') WITH ORDINALITY e(r, n) "
			  "WHERE coalesce((r->>'departed')::boolean, false) ORDER BY n",
			  "Geen open acties van leden die het team verlieten.");
	}
	emit(&r, "</section>\n");

	section_open(&r, "zelf-leidinggevende", "Zelfbeoordeling naast de leidinggevende",
				 "Per leefgebied: hoe vaak leden zichzelf hoger, gelijk of lager inschatten dan hun leidinggevende. Een "
				 "gesprekshulpmiddel, geen oordeel.");
	chart_slot(&r, "chart-self", "tall");
	{
		static const col cols[] = {{"Onderdeel", 't'}, {"Zelf hoger", 'n'}, {"Gelijk", 'n'}, {"Zelf lager", 'n'}};

		table(&r, "Zelfbeoordeling naast leidinggevende per leefgebied", cols, 4,
			  "SELECT CASE WHEN r->>'domain_name' IS NULL THEN r->>'ring_name' ELSE (r->>'ring_name') || ': ' || (r->>'domain_name') END, "
			  NUM("r->>'higher'") ", " NUM("r->>'equal'") ", " NUM("r->>'lower'")
			  " FROM jsonb_array_elements($1::jsonb #> '{person,self_vs_supervisor}') WITH ORDINALITY e(r, n) ORDER BY n",
			  "Geen leden met zowel een zelfbeoordeling als een beoordeling door de leidinggevende.");
	}
	emit(&r, "</section>\n");

	section_open(&r, "leden", "Actualiteit per lid", NULL);
	{
		static const col cols[] = {{"Lid", 't'}, {"Discipline", 't'}, {"Beoordeeld op", 't'}, {"Bron", 't'}, {"Actualiteit", 't'}};

		table(&r, "Beoordelingen van de leden", cols, 5,
			  "SELECT r->>'professional_ref', " NUM("r->>'discipline'") ", "
			  "CASE WHEN r->>'assessed_on' IS NULL THEN '–' ELSE " DATE_SHORT("r->>'assessed_on'") " END, "
			  NUM("r->>'source_label'") ", r->>'freshness_label' "
			  "FROM jsonb_array_elements($1::jsonb #> '{person,members}') WITH ORDINALITY e(r, n) ORDER BY n",
			  "Geen leden op deze peildatum.");
	}
	emit(&r, "</section>\n");

trend:
	section_open(&r, "ontwikkeling", "Ontwikkeling door de tijd",
				 "Vervulling van de teameis (lijn) en het aantal eisen met een tekort en nog te beoordelen (staven) per "
				 "peildatum. Eisen zijn geen personen: voor personen zie de kolom leden onder een ondergrens.");
	chart_slot(&r, "chart-trend", NULL);
	{
		static const col cols[] = {{"Peildatum", 't'}, {"Leden", 'n'}, {"Verouderd", 'n'}, {"Vervulling", 'n'},
		{"Eisen met tekort", 'n'}, {"Eisen nog te beoordelen", 'n'}, {"Kwetsbare eisen", 'n'},
		{"Leden onder een ondergrens", 'n'}, {"Plaatsen tekort", 'n'}};

		table(&r, "Ontwikkeling van het team", cols, 9,
			  "SELECT " DATE_SHORT("r->>'peildatum'") ", " SUP(NUM("r->>'members'")) ", " SUP(NUM("r->>'stale'")) ", "
			  SUP(PCT("r->>'fulfilment'")) ", " SUP(NUM("r->>'gap_blocks'")) ", " SUP(NUM("r->>'unknown_blocks'")) ", "
			  SUP(NUM("r->>'fragile_blocks'")) ", " SUP(NUM("r->>'members_below_floor'")) ", " SUP(NUM("r->>'places_short'"))
			  ROWS("trend") "ORDER BY n DESC", NULL);
	}
	emit(&r, "</section>\n");
#undef S
#undef SSUP
#undef SREQ
	return r.failed ? -1 : 0;
}

/* ---- the national page of a federation -------------------------------------------------------- */

int
kbs_report_national(PGconn *conn, const char *json, kbs_buf *body, kbs_buf *meta, char *err, size_t errlen)
{
	rep			r = {conn, json, body, err, errlen, false};
	rep			m = {conn, json, meta, err, errlen, false};

	text_of(&m, "SELECT 'Alle gemeenten van ' || coalesce($1::jsonb #>> '{summary,federation_members}', '0') || "
			"CASE WHEN $1::jsonb #>> '{summary,federation_members}' = '1' THEN ' database' ELSE ' databases' END || "
			"' · peildatum ' || " DATE_LONG("$1::jsonb ->> 'peildatum'"));
	if (m.failed)
		return -1;

	cards(&r, "SELECT l, " NUM("$1::jsonb #>> ARRAY['summary', k]") " FROM (VALUES "
		  "(1, 'databases', 'federation_members'), (2, 'gemeenten', 'municipalities'), "
		  "(3, 'teams meegeteld', 'teams_included'), (4, 'leden in die teams', 'members')) x(o, l, k) ORDER BY o");

	section_open(&r, "vervulling", "Vervulling specifieke kennis in het land per leefgebied door de tijd",
				 "Per leefgebied: het aandeel van de vereiste mensen op niveau 3 of hoger dat aanwezig is, opgeteld over alle "
				 "teams van alle gemeenten waarvan de cijfers gepubliceerd zijn (in de tabel: aantal gemeenten en teams dat "
				 "meetelt).");
	chart_slot(&r, "chart-trend", "tall");
	{
		col			cols[16] = {{"Peildatum", 't'}};
		PGresult   *names = NULL;
		int			ncols = domain_cols(&r, cols, 1, 16, &names);
		char		sql[8192];
		size_t		len;

		len = (size_t) snprintf(sql, sizeof(sql),
								"WITH t AS (SELECT e.r FROM jsonb_array_elements($1::jsonb -> 'trend') e(r)), "
								"p AS (SELECT DISTINCT r->>'peildatum' AS d FROM t) SELECT " DATE_SHORT("p.d"));
		for (int i = 1; i < ncols && len < sizeof(sql); i++)
			len += (size_t) snprintf(sql + len, sizeof(sql) - len,
									 ", (SELECT " PCT_F("r->>'fulfilment'") " || ' (' || (r->>'municipalities') || ' gem., ' || "
									 "(r->>'teams_included') || ' teams)' FROM t WHERE r->>'peildatum' = p.d "
									 "AND (r->>'domain_position')::integer = %d)", i);
		if (len < sizeof(sql))
			len += (size_t) snprintf(sql + len, sizeof(sql) - len, " FROM p ORDER BY p.d DESC");
		if (len >= sizeof(sql))
			fail(&r, "trend query too long");
		else
			table(&r, "Vervulling specifieke kennis in het land per leefgebied", cols, ncols, sql, "Nog geen peildata.");
		PQclear(names);
	}
	emit(&r, "</section>\n");

	{
		char	   *title = val(&r, "SELECT 'Gemeenten tegen de rest van het land op ' || " DATE_LONG("$1::jsonb ->> 'peildatum'"));
		static const col cols[] = {{"Gemeente", 't'}, {"Database", 't'}, {"Teams meegeteld", 'n'}, {"Leden", 'n'},
		{"Vervulling", 'n'}, {"Rest van het land", 'n'}};

		section_open(&r, "gemeenten", title ? title : "",
					 "Per gemeente de vervulling van specifieke kennis (alle leefgebieden samen) naast die van alle andere "
					 "gemeenten samen.");
		free(title);
		chart_slot(&r, "chart-municipalities", NULL);
		table(&r, "Vervulling specifieke kennis per gemeente en in de rest van het land", cols, 6,
			  "SELECT (r->>'name') || ' (' || (r->>'code') || ')', r->>'member', " NUM("r->>'teams_included'") ", "
			  NUM("r->>'members'") ", " PCT("r->>'fulfilment'") ", " PCT("r->>'others_fulfilment'") ROWS("municipalities")
			  "ORDER BY n", "Geen gemeenten met gepubliceerde cijfers op deze peildatum.");
		emit(&r, "</section>\n");
	}

	{
		char	   *title = val(&r, "SELECT 'Kennisniveau in het land per leefgebied op ' || " DATE_LONG("$1::jsonb ->> 'peildatum'"));
		static const col cols[] = {{"Leefgebied", 't'}, {"niveau 0", 'n'}, {"niveau 1", 'n'}, {"niveau 2", 'n'},
		{"niveau 3", 'n'}, {"niveau 4", 'n'}, {"niet van toepassing", 'n'}, {"niet beoordeeld", 'n'}, {"Niveau 3 of 4", 'n'}};

		section_open(&r, "kennisniveau", title ? title : "",
					 "Per leefgebied hoeveel leden van de meegetelde teams specifieke kennis hebben op elk niveau (0 tot 4), "
					 "voor wie het niet van toepassing is en wie nog niet beoordeeld is.");
		free(title);
		chart_slot(&r, "chart-coverage", NULL);
		table(&r, "Leden per niveau van specifieke kennis in het land", cols, 9,
			  "SELECT r->>'domain_name', " NUM("r->>'level0'") ", " NUM("r->>'level1'") ", " NUM("r->>'level2'") ", "
			  NUM("r->>'level3'") ", " NUM("r->>'level4'") ", " NUM("r->>'na'") ", " NUM("r->>'not_assessed'") ", "
			  PCT("r->>'share_level_3_or_4'") ROWS("coverage") "ORDER BY n", "Geen gepubliceerde cijfers op deze peildatum.");
		emit(&r, "</section>\n");
	}

	section_open(&r, "databases", "Wat meetelt",
				 "De databases van de federatie met de gemeenten en teams waarvan de cijfers op deze peildatum meetellen. "
				 "Alleen gepubliceerde teamcijfers (minstens het minimum aantal beoordeelde leden, niet af te leiden) verlaten "
				 "een gemeente; een database die niet antwoordt of een andere versie heeft, geeft een fout in plaats van een "
				 "kleiner totaal.");
	{
		char	   *caption = val(&r, "SELECT 'Databases op ' || " DATE_SHORT("$1::jsonb ->> 'peildatum'"));
		static const col cols[] = {{"Database", 't'}, {"Gemeenten", 'n'}, {"Welke", 't'}, {"Teams meegeteld", 'n'}};

		table(&r, caption ? caption : "", cols, 4,
			  "SELECT r->>'member', " NUM("r->>'municipalities'") ", "
			  "coalesce((SELECT string_agg(x, ', ' ORDER BY o) FROM jsonb_array_elements_text(r->'names') WITH ORDINALITY y(x, o)), '–'), "
			  NUM("r->>'teams_included'") ROWS("members") "ORDER BY n",
			  "Geen database met gepubliceerde cijfers op deze peildatum.");
		free(caption);
	}
	emit(&r, "</section>\n");
	return r.failed ? -1 : 0;
}
