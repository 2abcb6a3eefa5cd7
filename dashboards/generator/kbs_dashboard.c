/*
 * kbs-dashboard: writes the municipality overview and the team reports as
 * self-contained static HTML. The data comes from kbs.dashboard_municipality()
 * and kbs.dashboard_team(), which are built from the BI views; the pages need
 * no network to open. In a benchmark database (a federation of municipal
 * databases, README "Federation") --national writes the national page from
 * kbs.dashboard_national().
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "kbs_cli.h"
#include "render.h"
#include "report.h"

extern const unsigned char kbs_asset_page[];
extern const size_t kbs_asset_page_len;
extern const unsigned char kbs_asset_css[];
extern const size_t kbs_asset_css_len;
extern const unsigned char kbs_asset_js[];
extern const size_t kbs_asset_js_len;
extern const unsigned char kbs_asset_echarts[];
extern const size_t kbs_asset_echarts_len;

static const char progname[] = "kbs-dashboard";
static int	quiet = 0;

/* The dashboard command's messages are in English. */
static const kbs_cli cli = {
	.progname = progname,
	.error = "error",
	.detail = "detail",
	.hint = "hint",
	.no_connection = "could not connect to the database",
	.out_of_memory = "out of memory",
	.not_installed = "Is the extension installed? Run CREATE EXTENSION kennisbouwstenen in this database.",
	.missing_relation_not_installed = false
};

#define errorf(...) kbs_cli_message(progname, cli.error, __VA_ARGS__)

static void
usage(FILE *f)
{
	fprintf(f,
			"%s writes the kennisbouwstenen dashboards as static HTML pages.\n\n"
			"Usage:\n"
			"  %s --municipality CODE [--team ID] [--date YYYY-MM-DD] [--dsn DSN] --out DIR\n"
			"  %s --team ID [--date YYYY-MM-DD] [--dsn DSN] --out DIR\n"
			"  %s --national [--date YYYY-MM-DD] [--dsn DSN] --out DIR\n\n"
			"Options:\n"
			"  -d, --dsn DSN            libpq connection string or URI (default: the PG* environment)\n"
			"  -m, --municipality CODE  CBS code, e.g. GM0363: writes gemeente-CODE.html and a report\n"
			"                           for every team of the municipality (or only --team)\n"
			"  -t, --team ID            team number: writes team-ID.html\n"
			"  -n, --national           in a benchmark database (federation): writes landelijk.html\n"
			"  -D, --date YYYY-MM-DD    peildatum of a snapshot (default: the latest up to today)\n"
			"  -o, --out DIR            output directory (created if missing)\n"
			"  -q, --quiet              do not list the files written\n"
			"  -h, --help               show this help and exit\n\n"
			"Exit status: 0 written; 1 wrong arguments; 2 connection failed; 3 unknown municipality\n"
			"or team; 4 no data for that date; 5 other database error (also: a member of the\n"
			"federation that does not answer); 6 output not writable.\n",
			progname, progname, progname, progname);
}

/* Runs a one-row query of n columns, none NULL; out[i] is malloc'd text (all NULL on failure). */
static int
query_row(PGconn *conn, const char *sql, int nparams, const char *const *params, int n, char **out)
{
	PGresult   *res = PQexecParams(conn, sql, nparams, NULL, params, NULL, NULL, 0);
	int			rc = EXIT_OK;

	for (int i = 0; i < n; i++)
		out[i] = NULL;
	if (PQresultStatus(res) != PGRES_TUPLES_OK)
	{
		rc = kbs_cli_query_error(&cli, res, conn);
		PQclear(res);
		return rc;
	}
	if (PQntuples(res) != 1 || PQnfields(res) != n)
	{
		errorf("unexpected answer from the server to \"%s\"", sql);
		PQclear(res);
		return EXIT_DATABASE;
	}
	for (int i = 0; i < n && rc == EXIT_OK; i++)
	{
		if (PQgetisnull(res, 0, i))
		{
			errorf("unexpected answer from the server to \"%s\"", sql);
			rc = EXIT_DATABASE;
		}
		else if ((out[i] = strdup(PQgetvalue(res, 0, i))) == NULL)
		{
			errorf("out of memory");
			rc = EXIT_DATABASE;
		}
	}
	PQclear(res);
	if (rc != EXIT_OK)
		for (int i = 0; i < n; i++)
		{
			free(out[i]);
			out[i] = NULL;
		}
	return rc;
}

static int
query_text(PGconn *conn, const char *sql, int nparams, const char *const *params, char **out)
{
	return query_row(conn, sql, nparams, params, 1, out);
}

static int
ensure_dir(const char *dir)
{
	struct stat st;

	if (stat(dir, &st) == 0)
	{
		if (S_ISDIR(st.st_mode))
			return EXIT_OK;
		errorf("output path \"%s\" exists and is not a directory", dir);
		return EXIT_FILE;
	}
	if (mkdir(dir, 0777) != 0)
	{
		errorf("could not create directory \"%s\": %s", dir, strerror(errno));
		return EXIT_FILE;
	}
	return EXIT_OK;
}

/* Writes to a temporary name first, so a reader never sees half a page. */
static int
write_file(const char *dir, const char *name, const kbs_buf *page)
{
	char		path[4096];
	char		tmp[4200];
	FILE	   *f;
	int			rc;

	/* Created only now, so a failed run leaves no empty directory behind. */
	rc = ensure_dir(dir);
	if (rc != EXIT_OK)
		return rc;
	if (snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int) sizeof(path))
	{
		errorf("output path too long");
		return EXIT_FILE;
	}
	snprintf(tmp, sizeof(tmp), "%s.tmp%ld", path, (long) getpid());
	f = fopen(tmp, "w");
	if (f == NULL)
	{
		errorf("could not open \"%s\" for writing: %s", tmp, strerror(errno));
		return EXIT_FILE;
	}
	if (fwrite(page->data, 1, page->len, f) != page->len || fclose(f) != 0)
	{
		errorf("could not write \"%s\": %s", tmp, strerror(errno));
		unlink(tmp);
		return EXIT_FILE;
	}
	if (rename(tmp, path) != 0)
	{
		errorf("could not rename \"%s\" to \"%s\": %s", tmp, path, strerror(errno));
		unlink(tmp);
		return EXIT_FILE;
	}
	if (!quiet)
		printf("%s\n", path);
	return EXIT_OK;
}

static int
render_page(const char *title, const char *json, const kbs_buf *meta, const kbs_buf *body, kbs_buf *page)
{
	char		generated[64];
	char		err[256];
	kbs_slot	slots[8];

	if (!kbs_css_is_safe((const char *) kbs_asset_css, kbs_asset_css_len))
	{
		errorf("the built-in style sheet contains \"</style\"");
		return EXIT_FILE;
	}
	/* The footer's date; SOURCE_DATE_EPOCH makes pages reproducible. */
	kbs_cli_strftime(generated, sizeof(generated), "%d-%m-%Y %H:%M");
	slots[0] = (kbs_slot) {"TITLE", title, strlen(title), KBS_ESC_HTML};
	slots[1] = (kbs_slot) {"STYLE", (const char *) kbs_asset_css, kbs_asset_css_len, KBS_ESC_NONE};
	slots[2] = (kbs_slot) {"DATA", json, strlen(json), KBS_ESC_JSON};
	slots[3] = (kbs_slot) {"ECHARTS", (const char *) kbs_asset_echarts, kbs_asset_echarts_len, KBS_ESC_JS};
	slots[4] = (kbs_slot) {"SCRIPT", (const char *) kbs_asset_js, kbs_asset_js_len, KBS_ESC_JS};
	slots[5] = (kbs_slot) {"GENERATED", generated, strlen(generated), KBS_ESC_HTML};
	/* Written by report.c, which escaped every value it took from the database. */
	slots[6] = (kbs_slot) {"META", meta->data ? meta->data : "", meta->len, KBS_ESC_NONE};
	slots[7] = (kbs_slot) {"BODY", body->data ? body->data : "", body->len, KBS_ESC_NONE};
	if (kbs_template_fill(page, (const char *) kbs_asset_page, kbs_asset_page_len, slots, 8, err, sizeof(err)) != 0)
	{
		errorf("%s", err);
		return EXIT_FILE;
	}
	return EXIT_OK;
}

typedef enum
{
	PAGE_MUNICIPALITY,
	PAGE_TEAM,
	PAGE_NATIONAL
} page_kind;

/*
 * Renders one page titled "<prefix><name><suffix>" and writes it as file_name; its
 * text and tables come from report.c (the municipality overview, a team report or
 * the national page).
 */
static int
write_page(PGconn *conn, page_kind kind, const char *outdir, const char *file_name, const char *prefix, const char *name,
		   const char *suffix, const char *json)
{
	kbs_buf		title;
	kbs_buf		page;
	kbs_buf		meta;
	kbs_buf		body;
	char		err[1024];
	int			rc;

	kbs_buf_init(&title);
	kbs_buf_init(&page);
	kbs_buf_init(&meta);
	kbs_buf_init(&body);
	if (!kbs_buf_append(&title, prefix, strlen(prefix)) || !kbs_buf_append(&title, name, strlen(name)) ||
		!kbs_buf_append(&title, suffix, strlen(suffix)))
	{
		errorf("out of memory");
		rc = EXIT_FILE;
	}
	else if ((kind == PAGE_TEAM ? kbs_report_team(conn, json, &body, &meta, err, sizeof(err))
			  : kind == PAGE_NATIONAL ? kbs_report_national(conn, json, &body, &meta, err, sizeof(err))
			  : kbs_report_municipality(conn, json, &body, &meta, err, sizeof(err))) != 0)
	{
		errorf("%s", err);
		rc = EXIT_DATABASE;
	}
	else
		rc = render_page(title.data, json, &meta, &body, &page);
	if (rc == EXIT_OK)
		rc = write_file(outdir, file_name, &page);
	kbs_buf_free(&body);
	kbs_buf_free(&meta);
	kbs_buf_free(&page);
	kbs_buf_free(&title);
	return rc;
}

static int
write_team(PGconn *conn, int team_id, const char *date, const char *outdir)
{
	char		id[16];
	char		name[64];
	const char *params[2];
	char	   *row[2];
	char	   *json;
	char	   *team_name;
	int			rc;

	snprintf(id, sizeof(id), "%d", team_id);
	params[0] = id;
	params[1] = date;
	/* The document and, as a column beside it, the team's name. */
	rc = query_row(conn, "SELECT d::text, d #>> '{team,name}' FROM kbs.dashboard_team($1::integer, $2::date) d",
				   2, params, 2, row);
	if (rc != EXIT_OK)
		return rc;
	json = row[0];
	team_name = row[1];
	snprintf(name, sizeof(name), "team-%d.html", team_id);
	rc = write_page(conn, PAGE_TEAM, outdir, name, "", team_name, " — teamrapport", json);
	free(team_name);
	free(json);
	return rc;
}

static int
write_municipality(PGconn *conn, const char *code, const char *date, int only_team, const char *outdir)
{
	const char *params[2] = {code, date};
	char	   *json = NULL;
	char	   *m_name = NULL;
	char	   *peildatum = NULL;
	char		name[64];
	PGresult   *teams = NULL;
	int			rc;

	{
		char	   *row[3];

		/* The document and, as columns beside it, the name and the peildatum it is about. */
		rc = query_row(conn, "SELECT d::text, d #>> '{municipality,name}', d ->> 'peildatum' "
					   "FROM kbs.dashboard_municipality($1, $2::date) d", 2, params, 3, row);
		if (rc != EXIT_OK)
			goto done;
		json = row[0];
		m_name = row[1];
		peildatum = row[2];
	}

	/* The team reports the overview links to, all on the same peildatum; checked before anything is written. */
	params[1] = peildatum;
	teams = PQexecParams(conn, "SELECT team_id FROM kbs.dashboard_teams($1, $2::date)", 2, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(teams) != PGRES_TUPLES_OK)
	{
		rc = kbs_cli_query_error(&cli, teams, conn);
		goto done;
	}
	if (only_team > 0)
	{
		int			found = 0;

		for (int i = 0; i < PQntuples(teams); i++)
			found |= atoi(PQgetvalue(teams, i, 0)) == only_team;
		if (!found)
		{
			errorf("team %d has no snapshot in municipality %s on %s", only_team, code, peildatum);
			fprintf(stderr, "%s: hint: Leave out --municipality to write the team's own report.\n", progname);
			rc = EXIT_UNKNOWN;
			goto done;
		}
	}

	snprintf(name, sizeof(name), "gemeente-%s.html", code);
	rc = write_page(conn, PAGE_MUNICIPALITY, outdir, name, "Kennisbouwstenen — gemeente ", m_name, "", json);

	if (only_team > 0 && rc == EXIT_OK)
		rc = write_team(conn, only_team, peildatum, outdir);
	for (int i = 0; only_team == 0 && i < PQntuples(teams) && rc == EXIT_OK; i++)
		rc = write_team(conn, atoi(PQgetvalue(teams, i, 0)), peildatum, outdir);

done:
	PQclear(teams);
	free(peildatum);
	free(m_name);
	free(json);
	return rc;
}

/* The national page of a benchmark database. */
static int
write_national(PGconn *conn, const char *date, const char *outdir)
{
	const char *params[1] = {date};
	char	   *json = NULL;
	int			rc;

	rc = query_text(conn, "SELECT kbs.dashboard_national($1::date)::text", 1, params, &json);
	if (rc == EXIT_OK)
		rc = write_page(conn, PAGE_NATIONAL, outdir, "landelijk.html", "Kennisbouwstenen — landelijk beeld", "", "", json);
	free(json);
	return rc;
}

/* The dashboards: build/kbs-dashboard, or "kbs dashboard" (kbs_main.c dispatches). */
int
kbs_dashboard_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"dsn", required_argument, NULL, 'd'},
		{"municipality", required_argument, NULL, 'm'},
		{"team", required_argument, NULL, 't'},
		{"national", no_argument, NULL, 'n'},
		{"date", required_argument, NULL, 'D'},
		{"out", required_argument, NULL, 'o'},
		{"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}
	};
	const char *dsn = "";
	const char *municipality = NULL;
	const char *team_arg = NULL;
	const char *date = NULL;
	const char *outdir = NULL;
	int			team_id = 0;
	int			national = 0;
	int			y,
				mo,
				d;
	int			c;
	int			rc;
	PGconn	   *conn;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":d:m:t:nD:o:qh", longopts, NULL)) != -1)
	{
		switch (c)
		{
			case 'd': dsn = optarg; break;
			case 'm': municipality = optarg; break;
			case 't': team_arg = optarg; break;
			case 'n': national = 1; break;
			case 'D': date = optarg; break;
			case 'o': outdir = optarg; break;
			case 'q': quiet = 1; break;
			case 'h': usage(stdout); return EXIT_OK;
			case ':':
				errorf("option \"%s\" needs a value", argv[optind - 1]);
				fprintf(stderr, "Try \"%s --help\".\n", progname);
				return EXIT_USAGE;
			default:
				errorf("unknown option \"%s\"", argv[optind - 1]);
				fprintf(stderr, "Try \"%s --help\".\n", progname);
				return EXIT_USAGE;
		}
	}
	if (optind < argc)
	{
		errorf("unexpected argument \"%s\"", argv[optind]);
		return EXIT_USAGE;
	}
	if (national && (municipality != NULL || team_arg != NULL))
	{
		errorf("--national writes the national page only; leave out --municipality and --team");
		return EXIT_USAGE;
	}
	if (!national && municipality == NULL && team_arg == NULL)
	{
		errorf("give --municipality, --team or both, or --national");
		fprintf(stderr, "Try \"%s --help\".\n", progname);
		return EXIT_USAGE;
	}
	if (outdir == NULL || *outdir == '\0')
	{
		errorf("give the output directory with --out");
		return EXIT_USAGE;
	}
	if (municipality != NULL && !kbs_valid_municipality_code(municipality))
	{
		errorf("invalid municipality code \"%s\"", municipality);
		fprintf(stderr, "%s: hint: A CBS municipality code is GM followed by four digits, for example GM0363.\n", progname);
		return EXIT_USAGE;
	}
	if (team_arg != NULL && !kbs_parse_team_id(team_arg, &team_id))
	{
		errorf("invalid team number \"%s\"", team_arg);
		return EXIT_USAGE;
	}
	if (date != NULL && !kbs_parse_date(date, &y, &mo, &d))
	{
		errorf("invalid date \"%s\"", date);
		fprintf(stderr, "%s: hint: Write the date as YYYY-MM-DD, for example 2026-06-30.\n", progname);
		return EXIT_USAGE;
	}

	rc = kbs_cli_connect(&cli, dsn, "kbs-dashboard", NULL, &conn);
	if (rc != EXIT_OK)
		return rc;

	if (national)
		rc = write_national(conn, date, outdir);
	else if (municipality != NULL)
		rc = write_municipality(conn, municipality, date, team_id, outdir);
	else
		rc = write_team(conn, team_id, date, outdir);
	PQfinish(conn);
	return rc;
}
