/*
 * The forms commands of kbs: an assessment form per team (.xlsx and CSV),
 * reading a filled-in form back into the importers, and the training demand
 * as a workbook. The database parts are here; layout, reading and writing of
 * workbooks are in forms.c, xlsx_read.c and xlsx_write.c.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "forms.h"
#include "kbs_cli.h"
#include "xlsx_read.h"
#include "xlsx_write.h"

/* The largest CSV file we read. */
#define MAX_CSV_INPUT (64u * 1024u * 1024u)
/* The largest CSV text we make of a sheet. */
#define MAX_CSV_OUTPUT (256u * 1024u * 1024u)

static char progname[64] = "kbs";
static int	quiet = 0;

/* The forms commands' messages are in Dutch. */
static const kbs_cli cli = {
	.progname = progname,
	.error = "fout",
	.detail = "toelichting",
	.hint = "tip",
	.no_connection = "kan geen verbinding maken met de database",
	.out_of_memory = "onvoldoende geheugen",
	.not_installed = "Is de extensie (bijgewerkt) geïnstalleerd? CREATE EXTENSION kennisbouwstenen, of ALTER EXTENSION "
	"kennisbouwstenen UPDATE.",
	.missing_relation_not_installed = true
};

#define errorf(...) kbs_cli_message(progname, cli.error, __VA_ARGS__)
#define hintf(...) kbs_cli_message(progname, cli.hint, __VA_ARGS__)
/* A progress line, left out with --quiet. */
#define notef(...) do { if (!quiet) kbs_cli_message(progname, NULL, __VA_ARGS__); } while (0)

static int
oom(void)
{
	errorf("%s", cli.out_of_memory);
	return EXIT_DATABASE;
}

/* ---- help ---- */

void
kbs_usage(FILE *f)
{
	fprintf(f,
			"kbs — kennisbouwstenen: dashboards, beoordelingsformulieren en scholingsvraag.\n\n"
			"Gebruik:\n"
			"  kbs form --team ID | --municipality CODE [--date JJJJ-MM-DD] [--source BRON]\n"
			"           [--template CODE] [--dsn DSN] --out MAP\n"
			"      Schrijft per team een beoordelingsformulier: formulier-team-ID.xlsx (bladen\n"
			"      Beoordeling, Benodigd en Schaal), formulier-team-ID.csv (het blad Beoordeling)\n"
			"      en formulier-team-ID-benodigd.csv (het blad Benodigd).\n"
			"  kbs read BESTAND.xlsx [--sheet BLAD] [--out BESTAND.csv]\n"
			"      Schrijft een blad als CSV (standaard het eerste blad; zonder --out naar stdout).\n"
			"  kbs import BESTAND --municipality CODE --date JJJJ-MM-DD [--source BRON]\n"
			"           [--status STATUS] [--round RONDE] [--sheet BLAD] [--dry-run] [--dsn DSN]\n"
			"      Leest een ingevuld formulier (.xlsx, blad Beoordeling; of .csv) in met\n"
			"      kbs.import_assessments.\n"
			"  kbs import-requirement BESTAND --team ID --valid-from JJJJ-MM-DD [--sheet BLAD]\n"
			"           [--dry-run] [--dsn DSN]\n"
			"      Leest het blad Benodigd (of een .csv) in met kbs.import_requirement.\n"
			"  kbs training --municipality CODE [--dsn DSN] --out MAP\n"
			"      Schrijft de scholingsvraag (kbs.v_training_demand) als scholingsvraag-CODE.xlsx.\n"
			"  kbs dashboard ...\n"
			"      De dashboards, als kbs-dashboard (zie kbs dashboard --help).\n\n"
			"Opties:\n"
			"  -d, --dsn DSN            libpq-verbinding (standaard: de PG*-omgevingsvariabelen)\n"
			"  -m, --municipality CODE  CBS-code van de gemeente, bijvoorbeeld GM0363\n"
			"  -t, --team ID            teamnummer\n"
			"  -D, --date JJJJ-MM-DD    form: peildatum (standaard vandaag); import: beoordelingsdatum\n"
			"  -s, --source BRON        self (standaard), supervisor, peer of team\n"
			"  -S, --status STATUS      import: draft (standaard, concept) of final (definitief)\n"
			"  -r, --round RONDE        import: naam van de beoordelingsronde\n"
			"  -T, --template CODE      form: sjabloon (basis, robuust) als het team geen eis heeft\n"
			"  -F, --valid-from DATUM   import-requirement: vanaf wanneer de eis geldt\n"
			"  -b, --sheet BLAD         het blad dat gelezen wordt\n"
			"  -n, --dry-run            import: alleen controleren, niets opslaan\n"
			"  -o, --out MAP|BESTAND    uitvoer (map wordt aangemaakt)\n"
			"  -q, --quiet              geen lijst van geschreven bestanden\n"
			"  -h, --help               deze hulp\n\n"
			"Afsluitcode: 0 gelukt; 1 verkeerde argumenten; 2 geen verbinding; 3 onbekende gemeente,\n"
			"team of sjabloon; 4 geen gegevens (team zonder leden); 5 andere databasefout (ook een\n"
			"import die de gegevens weigert, of een ontbrekende functie); 6 bestand niet leesbaar of\n"
			"uitvoer niet schrijfbaar. Er wordt niets geschreven tenzij alle gegevens gelezen zijn.\n");
}

/* ---- the database ---- */

/* Server messages (NOTICE, WARNING) as Dutch lines on stderr. */
static void
notice_receiver(void *arg, const PGresult *res)
{
	const char *sev = PQresultErrorField(res, PG_DIAG_SEVERITY_NONLOCALIZED);
	const char *msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
	const char *detail = PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL);
	const char *hint = PQresultErrorField(res, PG_DIAG_MESSAGE_HINT);

	(void) arg;
	kbs_cli_message(progname, sev && strcmp(sev, "WARNING") == 0 ? "waarschuwing" : "melding", "%s", msg ? msg : "");
	kbs_cli_detail_hint(&cli, detail, hint);
}

static int
connect_db(const char *dsn, PGconn **out)
{
	return kbs_cli_connect(&cli, dsn, "kbs", notice_receiver, out);
}

/* Runs a query that returns rows; *out is the result (caller clears). */
static int
query(PGconn *conn, const char *sql, int nparams, const char *const *params, PGresult **out)
{
	PGresult   *res = PQexecParams(conn, sql, nparams, NULL, params, NULL, NULL, 0);

	if (PQresultStatus(res) != PGRES_TUPLES_OK)
	{
		int			rc = kbs_cli_query_error(&cli, res, conn);

		PQclear(res);
		*out = NULL;
		return rc;
	}
	*out = res;
	return EXIT_OK;
}

/* Whether an object exists: to_regprocedure / to_regclass of a signature. */
static int
exists(PGconn *conn, const char *fn, const char *signature, bool *found)
{
	char		sql[128];
	const char *params[1] = {signature};
	PGresult   *res;
	int			rc;

	snprintf(sql, sizeof(sql), "SELECT %s($1) IS NOT NULL", fn);
	rc = query(conn, sql, 1, params, &res);
	if (rc != EXIT_OK)
		return rc;
	*found = PQntuples(res) == 1 && strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	PQclear(res);
	return EXIT_OK;
}

/* ---- files ---- */

/* The output directory, with its parents (as mkdir -p). */
static int
ensure_dir(const char *dir)
{
	struct stat st;
	char		path[4096];
	size_t		n = strlen(dir);

	if (stat(dir, &st) == 0)
	{
		if (S_ISDIR(st.st_mode))
			return EXIT_OK;
		errorf("uitvoer \"%s\" bestaat en is geen map", dir);
		return EXIT_FILE;
	}
	if (n == 0 || n >= sizeof(path))
	{
		errorf("ongeldige uitvoermap \"%s\"", dir);
		return EXIT_FILE;
	}
	memcpy(path, dir, n + 1);
	for (size_t i = 1; i <= n; i++)
	{
		if (path[i] != '/' && path[i] != '\0')
			continue;
		path[i] = '\0';
		if (mkdir(path, 0777) != 0 && errno != EEXIST)
		{
			errorf("kan map \"%s\" niet aanmaken: %s", path, strerror(errno));
			return EXIT_FILE;
		}
		if (i < n)
			path[i] = '/';
	}
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
	{
		errorf("uitvoer \"%s\" is geen map", dir);
		return EXIT_FILE;
	}
	return EXIT_OK;
}

/* Files are written to a temporary name and renamed only when every file of the run is ready. */
typedef struct pending
{
	char	  **tmp;
	char	  **path;
	size_t		n;
	size_t		cap;
} pending;

static bool
pending_add(pending *p, const char *dir, const char *name, char **tmp_out)
{
	char	   *path,
			   *tmp;
	size_t		n = strlen(dir) + strlen(name) + 2;

	if (p->n == p->cap)
	{
		size_t		cap = p->cap ? p->cap * 2 : 16;
		char	  **a = realloc(p->tmp, cap * sizeof(char *));
		char	  **b;

		if (a == NULL)
			return false;
		p->tmp = a;
		b = realloc(p->path, cap * sizeof(char *));
		if (b == NULL)
			return false;
		p->path = b;
		p->cap = cap;
	}
	path = malloc(n);
	tmp = malloc(n + 32);
	if (path == NULL || tmp == NULL)
	{
		free(path);
		free(tmp);
		return false;
	}
	snprintf(path, n, "%s/%s", dir, name);
	snprintf(tmp, n + 32, "%s.tmp%ld", path, (long) getpid());
	p->path[p->n] = path;
	p->tmp[p->n] = tmp;
	p->n++;
	*tmp_out = tmp;
	return true;
}

static void
pending_discard(pending *p)
{
	for (size_t i = 0; i < p->n; i++)
	{
		unlink(p->tmp[i]);
		free(p->tmp[i]);
		free(p->path[i]);
	}
	free(p->tmp);
	free(p->path);
	memset(p, 0, sizeof(*p));
}

static int
pending_commit(pending *p)
{
	int			rc = EXIT_OK;

	for (size_t i = 0; i < p->n; i++)
	{
		if (rc == EXIT_OK && rename(p->tmp[i], p->path[i]) != 0)
		{
			errorf("kan \"%s\" niet hernoemen naar \"%s\": %s", p->tmp[i], p->path[i], strerror(errno));
			rc = EXIT_FILE;
		}
		else if (rc == EXIT_OK && !quiet)
			printf("%s\n", p->path[i]);
	}
	pending_discard(p);
	return rc;
}

static int
write_bytes(const char *path, const char *data, size_t len)
{
	FILE	   *f = fopen(path, "w");

	if (f == NULL)
	{
		errorf("kan \"%s\" niet openen om te schrijven: %s", path, strerror(errno));
		return EXIT_FILE;
	}
	if ((len > 0 && fwrite(data, 1, len, f) != len) || fclose(f) != 0)
	{
		errorf("kan \"%s\" niet schrijven: %s", path, strerror(errno));
		return EXIT_FILE;
	}
	return EXIT_OK;
}

static bool
ends_with_ci(const char *s, const char *suffix)
{
	size_t		n = strlen(s),
				m = strlen(suffix);

	return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

/* A whole file into memory (NUL-terminated). */
static int
read_file(const char *path, size_t max, char **out, size_t *len)
{
	FILE	   *f = fopen(path, "rb");
	char	   *data;
	size_t		got;

	if (f == NULL)
	{
		errorf("kan \"%s\" niet lezen: %s", path, strerror(errno));
		return EXIT_FILE;
	}
	data = malloc(max + 2);
	if (data == NULL)
	{
		fclose(f);
		return oom();
	}
	got = fread(data, 1, max + 1, f);
	if (ferror(f))
	{
		errorf("kan \"%s\" niet lezen: %s", path, strerror(errno));
		fclose(f);
		free(data);
		return EXIT_FILE;
	}
	fclose(f);
	if (got > max)
	{
		errorf("\"%s\" is te groot (hoogstens %zu bytes)", path, max);
		free(data);
		return EXIT_FILE;
	}
	data[got] = '\0';
	*out = data;
	*len = got;
	return EXIT_OK;
}

/*
 * A sheet of a workbook, or a CSV file, as a sorted grid. With an .xlsx and no
 * sheet name, preferred is the sheet called preferred, else the only sheet.
 */
static int
load_grid(const char *path, const char *sheet, const char *preferred, kbs_grid *g)
{
	char		err[768];
	size_t		dup;

	if (ends_with_ci(path, ".csv"))
	{
		char	   *data;
		size_t		len;
		int			rc;

		if (sheet != NULL)
		{
			errorf("--sheet gaat alleen over een .xlsx-bestand, niet over \"%s\"", path);
			return EXIT_USAGE;
		}
		rc = read_file(path, MAX_CSV_INPUT, &data, &len);
		if (rc != EXIT_OK)
			return rc;
		rc = kbs_grid_from_csv(data, len, g, err, sizeof(err));
		free(data);
		if (rc != 0)
		{
			errorf("\"%s\": %s", path, err);
			return EXIT_FILE;
		}
	}
	else
	{
		kbs_xlsx   *x = kbs_xlsx_open(path, err, sizeof(err));
		const char *name = sheet;

		if (x == NULL)
		{
			errorf("\"%s\": %s", path, err);
			return EXIT_FILE;
		}
		if (name == NULL && preferred != NULL)
		{
			for (size_t i = 0; i < kbs_xlsx_sheet_count(x); i++)
				if (strcasecmp(kbs_xlsx_sheet_name(x, i), preferred) == 0)
					name = preferred;
			if (name == NULL && kbs_xlsx_sheet_count(x) > 1)
				name = preferred;	/* the error lists the sheets there are */
		}
		if (kbs_xlsx_read_sheet(x, name, g, err, sizeof(err)) != 0)
		{
			errorf("\"%s\": %s", path, err);
			kbs_xlsx_close(x);
			return EXIT_FILE;
		}
		kbs_xlsx_close(x);
	}
	if (g->failed)
		return oom();
	if (!kbs_grid_sort(g, &dup))
	{
		errorf("\"%s\": een cel staat twee keer in het blad", path);
		return EXIT_FILE;
	}
	return EXIT_OK;
}

/* ---- option parsing shared by the commands ---- */

typedef struct options
{
	const char *dsn;
	const char *municipality;
	const char *team_arg;
	const char *date;
	const char *source;
	const char *status;
	const char *round;
	const char *template;
	const char *valid_from;
	const char *sheet;
	const char *out;
	bool		dry_run;
	int			team_id;
	const char *file;
} options;

/* Parses argv[1..]; allowed lists the short options the command takes. */
static int
parse_options(int argc, char **argv, const char *allowed, bool want_file, options *o)
{
	static const struct option longopts[] = {
		{"dsn", required_argument, NULL, 'd'},
		{"municipality", required_argument, NULL, 'm'},
		{"team", required_argument, NULL, 't'},
		{"date", required_argument, NULL, 'D'},
		{"source", required_argument, NULL, 's'},
		{"status", required_argument, NULL, 'S'},
		{"round", required_argument, NULL, 'r'},
		{"template", required_argument, NULL, 'T'},
		{"valid-from", required_argument, NULL, 'F'},
		{"sheet", required_argument, NULL, 'b'},
		{"out", required_argument, NULL, 'o'},
		{"dry-run", no_argument, NULL, 'n'},
		{"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}
	};
	int			c;
	int			y,
				mo,
				d;

	memset(o, 0, sizeof(*o));
	o->dsn = "";
	o->source = "self";
	o->status = "draft";
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":d:m:t:D:s:S:r:T:F:b:o:nqh", longopts, NULL)) != -1)
	{
		if (c == 'h')
		{
			kbs_usage(stdout);
			return -1;
		}
		if (c == ':')
		{
			errorf("optie \"%s\" heeft een waarde nodig", argv[optind - 1]);
			fprintf(stderr, "Zie \"kbs --help\".\n");
			return EXIT_USAGE;
		}
		if (c != '?' && strchr(allowed, c) == NULL)
		{
			/* a known option that this command does not take */
			for (const struct option *lo = longopts; lo->name != NULL; lo++)
				if (lo->val == c)
					errorf("optie --%s hoort niet bij %s", lo->name, progname);
			fprintf(stderr, "Zie \"kbs --help\".\n");
			return EXIT_USAGE;
		}
		if (c == '?')
		{
			errorf("onbekende optie \"%s\"", argv[optind - 1]);
			fprintf(stderr, "Zie \"kbs --help\".\n");
			return EXIT_USAGE;
		}
		switch (c)
		{
			case 'd': o->dsn = optarg; break;
			case 'm': o->municipality = optarg; break;
			case 't': o->team_arg = optarg; break;
			case 'D': o->date = optarg; break;
			case 's': o->source = optarg; break;
			case 'S': o->status = optarg; break;
			case 'r': o->round = optarg; break;
			case 'T': o->template = optarg; break;
			case 'F': o->valid_from = optarg; break;
			case 'b': o->sheet = optarg; break;
			case 'o': o->out = optarg; break;
			case 'n': o->dry_run = true; break;
			case 'q': quiet = 1; break;
			default: break;
		}
	}
	if (want_file)
	{
		if (optind >= argc)
		{
			errorf("geef het bestand dat gelezen moet worden");
			return EXIT_USAGE;
		}
		o->file = argv[optind++];
	}
	if (optind < argc)
	{
		errorf("onverwacht argument \"%s\"", argv[optind]);
		return EXIT_USAGE;
	}
	if (o->municipality != NULL && !kbs_valid_municipality_code(o->municipality))
	{
		errorf("ongeldige gemeentecode \"%s\"", o->municipality);
		hintf("Een CBS-gemeentecode is GM gevolgd door vier cijfers, bijvoorbeeld GM0363.");
		return EXIT_USAGE;
	}
	if (o->team_arg != NULL && !kbs_parse_team_id(o->team_arg, &o->team_id))
	{
		errorf("ongeldig teamnummer \"%s\"", o->team_arg);
		return EXIT_USAGE;
	}
	if (o->date != NULL && !kbs_parse_date(o->date, &y, &mo, &d))
	{
		errorf("ongeldige datum \"%s\"", o->date);
		hintf("Schrijf de datum als JJJJ-MM-DD, bijvoorbeeld 2026-06-30.");
		return EXIT_USAGE;
	}
	if (o->valid_from != NULL && !kbs_parse_date(o->valid_from, &y, &mo, &d))
	{
		errorf("ongeldige datum \"%s\"", o->valid_from);
		hintf("Schrijf de datum als JJJJ-MM-DD, bijvoorbeeld 2026-07-01.");
		return EXIT_USAGE;
	}
	if (kbs_source_label(o->source) == NULL)
	{
		errorf("onbekende bron \"%s\"", o->source);
		hintf("Kies self, supervisor, peer of team.");
		return EXIT_USAGE;
	}
	if (kbs_status_label(o->status) == NULL)
	{
		errorf("onbekende status \"%s\"", o->status);
		hintf("Kies draft (concept) of final (definitief).");
		return EXIT_USAGE;
	}
	if (o->template != NULL && o->template[0] == '\0')
	{
		errorf("lege sjablooncode");
		return EXIT_USAGE;
	}
	if (o->sheet != NULL && o->sheet[0] == '\0')
	{
		errorf("lege bladnaam");
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

/* ---- kbs form ---- */

typedef struct catalogue
{
	PGresult   *wheel;			/* block_id, code, name, ring, domain, depth, retired */
	PGresult   *scale;			/* code, label, anchor, meaning */
	kbs_form_block *blocks;		/* the assessable blocks (not retired), wheel order */
	int		   *block_ids;
	size_t		nblocks;
	kbs_scale_entry *entries;
	size_t		nscale;
} catalogue;

static void
catalogue_free(catalogue *c)
{
	PQclear(c->wheel);
	PQclear(c->scale);
	free(c->blocks);
	free(c->block_ids);
	free(c->entries);
	memset(c, 0, sizeof(*c));
}

static void
block_of(PGresult *w, int i, kbs_form_block *b)
{
	b->code = PQgetvalue(w, i, 1);
	b->name = PQgetvalue(w, i, 2);
	b->ring = PQgetvalue(w, i, 3);
	b->domain = PQgetvalue(w, i, 4);
	b->depth = atoi(PQgetvalue(w, i, 5));
}

static int
load_catalogue(PGconn *conn, catalogue *c)
{
	int			rc;
	int			n;

	memset(c, 0, sizeof(*c));
	rc = query(conn, "SELECT block_id, block_code, block_name, ring_name, coalesce(domain_name, ''), depth, retired "
			   "FROM kbs.v_wheel ORDER BY wheel_order", 0, NULL, &c->wheel);
	if (rc == EXIT_OK)
		rc = query(conn, "SELECT code, label, anchor, meaning FROM kbs.scale_labels ORDER BY position", 0, NULL,
				   &c->scale);
	if (rc != EXIT_OK)
		return rc;
	n = PQntuples(c->wheel);
	c->blocks = calloc((size_t) n + 1, sizeof(kbs_form_block));
	c->block_ids = calloc((size_t) n + 1, sizeof(int));
	c->entries = calloc((size_t) PQntuples(c->scale) + 1, sizeof(kbs_scale_entry));
	if (c->blocks == NULL || c->block_ids == NULL || c->entries == NULL)
		return oom();
	for (int i = 0; i < n; i++)
	{
		if (strcmp(PQgetvalue(c->wheel, i, 6), "t") == 0)
			continue;
		block_of(c->wheel, i, &c->blocks[c->nblocks]);
		c->block_ids[c->nblocks] = atoi(PQgetvalue(c->wheel, i, 0));
		c->nblocks++;
	}
	for (int i = 0; i < PQntuples(c->scale); i++)
	{
		c->entries[i].code = PQgetvalue(c->scale, i, 0);
		c->entries[i].label = PQgetvalue(c->scale, i, 1);
		c->entries[i].anchor = PQgetvalue(c->scale, i, 2);
		c->entries[i].meaning = PQgetvalue(c->scale, i, 3);
	}
	c->nscale = (size_t) PQntuples(c->scale);
	return EXIT_OK;
}

typedef struct team_data
{
	int			team_id;
	PGresult   *team;			/* name, municipality code, municipality name, date, active */
	PGresult   *members;		/* ref */
	PGresult   *req;			/* requirement text, valid from, template */
	PGresult   *entries;		/* block_id, min_level, min_members, every_member, importance */
	char	   *basis;
	const char **refs;
} team_data;

static void
team_free(team_data *t)
{
	PQclear(t->team);
	PQclear(t->members);
	PQclear(t->req);
	PQclear(t->entries);
	free(t->basis);
	free(t->refs);
	memset(t, 0, sizeof(*t));
}

/* Everything one team's form needs; nothing is written here. */
static int
load_team(PGconn *conn, int team_id, const char *date, const char *template, team_data *t)
{
	char		id[16];
	const char *p[2];
	int			rc;
	char		basis[512];
	const char *reqtext = NULL;

	memset(t, 0, sizeof(*t));
	t->team_id = team_id;
	snprintf(id, sizeof(id), "%d", team_id);
	p[0] = id;
	p[1] = date;
	rc = query(conn, "SELECT t.name, t.municipality, m.name, coalesce($2::date, current_date)::text, "
			   "t.active @> coalesce($2::date, current_date) "
			   "FROM kbs.team t JOIN kbs.municipality m ON m.code = t.municipality WHERE t.id = $1::integer",
			   2, p, &t->team);
	if (rc != EXIT_OK)
		return rc;
	if (PQntuples(t->team) != 1)
	{
		errorf("onbekend team %d", team_id);
		return EXIT_UNKNOWN;
	}
	p[1] = PQgetvalue(t->team, 0, 3);
	rc = query(conn, "SELECT p.ref FROM kbs.member_profiles_at($1::integer, $2::date) mp "
			   "JOIN kbs.professional p ON p.id = mp.professional_id ORDER BY p.ref COLLATE \"C\"",
			   2, p, &t->members);
	if (rc != EXIT_OK)
		return rc;
	rc = query(conn, "SELECT tr.requirement::text, lower(tr.during)::text, coalesce(tr.template, '') "
			   "FROM kbs.team_requirement tr WHERE tr.team_id = $1::integer AND tr.during @> $2::date",
			   2, p, &t->req);
	if (rc != EXIT_OK)
		return rc;
	if (PQntuples(t->req) == 1)
	{
		reqtext = PQgetvalue(t->req, 0, 0);
		if (PQgetvalue(t->req, 0, 2)[0] != '\0')
			snprintf(basis, sizeof(basis), "huidige eis van het team (geldig vanaf %s, afgeleid van sjabloon %s)",
					 PQgetvalue(t->req, 0, 1), PQgetvalue(t->req, 0, 2));
		else
			snprintf(basis, sizeof(basis), "huidige eis van het team (geldig vanaf %s)", PQgetvalue(t->req, 0, 1));
		if (template != NULL)
			notef("team %d heeft een eigen eis; sjabloon %s is niet gebruikt", team_id, template);
	}
	else if (template != NULL)
	{
		const char *tp[1] = {template};

		PQclear(t->req);
		rc = query(conn, "SELECT requirement::text, name FROM kbs.requirement_template WHERE code = $1", 1, tp,
				   &t->req);
		if (rc != EXIT_OK)
			return rc;
		if (PQntuples(t->req) != 1)
		{
			errorf("onbekend sjabloon \"%s\"", template);
			hintf("Meegeleverd zijn basis en robuust; zie kbs.requirement_template.");
			return EXIT_UNKNOWN;
		}
		reqtext = PQgetvalue(t->req, 0, 0);
		snprintf(basis, sizeof(basis), "sjabloon %s (%s): het team heeft op de peildatum geen eigen eis",
				 template, PQgetvalue(t->req, 0, 1));
	}
	else
		snprintf(basis, sizeof(basis), "geen eis vastgelegd op de peildatum: vul in wat het team nodig heeft");
	t->basis = strdup(basis);
	if (t->basis == NULL)
		return oom();
	if (reqtext != NULL)
	{
		const char *ep[1] = {reqtext};

		rc = query(conn, "SELECT e.block_id, e.min_level, coalesce(e.min_members, 0), e.every_member, e.importance "
				   "FROM kbs.entries($1::kbs.requirement) e ORDER BY e.block_id", 1, ep, &t->entries);
		if (rc != EXIT_OK)
			return rc;
	}
	return EXIT_OK;
}

/* The requirement rows: every assessable block, then retired blocks the requirement still names. */
static int
requirement_rows(const catalogue *cat, const team_data *t, kbs_form_req_row **out, size_t *nout)
{
	int			nw = PQntuples(cat->wheel);
	int			ne = t->entries ? PQntuples(t->entries) : 0;
	kbs_form_req_row *rows = calloc((size_t) nw + 1, sizeof(kbs_form_req_row));
	size_t		n = 0;

	if (rows == NULL)
		return oom();
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < nw; i++)
		{
			bool		retired = strcmp(PQgetvalue(cat->wheel, i, 6), "t") == 0;
			int			id = atoi(PQgetvalue(cat->wheel, i, 0));
			int			e = -1;

			if (retired != (pass == 1))
				continue;
			for (int k = 0; k < ne; k++)
				if (atoi(PQgetvalue(t->entries, k, 0)) == id)
					e = k;
			if (retired && e < 0)
				continue;
			block_of(cat->wheel, i, &rows[n].block);
			rows[n].retired = retired;
			if (e >= 0)
			{
				rows[n].level = atoi(PQgetvalue(t->entries, e, 1));
				rows[n].members = atoi(PQgetvalue(t->entries, e, 2));
				rows[n].every = strcmp(PQgetvalue(t->entries, e, 3), "t") == 0;
				rows[n].importance = atoi(PQgetvalue(t->entries, e, 4));
			}
			n++;
		}
	*out = rows;
	*nout = n;
	return EXIT_OK;
}

/* Renders one team's files to temporary names. */
static int
render_team(const catalogue *cat, team_data *t, const char *source, const char *outdir, pending *files)
{
	kbs_form_info info;
	kbs_grid	ga,
				gr,
				gs;
	kbs_form_geom geoma,
				geomr,
				geoms;
	kbs_buf		csv_a,
				csv_r,
				msg_a,
				msg_r;
	kbs_form_req_row *rows = NULL;
	size_t		nrows = 0;
	size_t		nrefs = (size_t) PQntuples(t->members);
	char		err[512];
	char		name[96];
	char	   *tmp;
	int			rc = EXIT_OK;
	kbs_sheet_spec sheets[3];

	kbs_grid_init(&ga);
	kbs_grid_init(&gr);
	kbs_grid_init(&gs);
	kbs_buf_init(&csv_a);
	kbs_buf_init(&csv_r);
	kbs_buf_init(&msg_a);
	kbs_buf_init(&msg_r);
	t->refs = calloc(nrefs + 1, sizeof(char *));
	if (t->refs == NULL)
		return oom();
	for (size_t i = 0; i < nrefs; i++)
		t->refs[i] = PQgetvalue(t->members, (int) i, 0);
	info.team = PQgetvalue(t->team, 0, 0);
	info.team_id = t->team_id;
	info.municipality_code = PQgetvalue(t->team, 0, 1);
	info.municipality = PQgetvalue(t->team, 0, 2);
	info.peildatum = PQgetvalue(t->team, 0, 3);
	info.source = source;

	rc = requirement_rows(cat, t, &rows, &nrows);
	if (rc != EXIT_OK)
		goto done;
	if (kbs_form_assessment(&info, cat->blocks, cat->nblocks, t->refs, nrefs, &ga, &geoma, err, sizeof(err)) != 0 ||
		kbs_form_requirement(&info, t->basis, rows, nrows, &gr, &geomr, err, sizeof(err)) != 0 ||
		kbs_form_scale(cat->entries, cat->nscale, &gs, &geoms, err, sizeof(err)) != 0)
	{
		errorf("team %d: %s", t->team_id, err);
		rc = EXIT_DATABASE;
		goto done;
	}
	if (!kbs_grid_sort(&ga, NULL) || !kbs_grid_sort(&gr, NULL) || !kbs_grid_sort(&gs, NULL) ||
		kbs_grid_to_csv(&ga, &csv_a, MAX_CSV_OUTPUT, err, sizeof(err)) != 0 ||
		kbs_grid_to_csv(&gr, &csv_r, MAX_CSV_OUTPUT, err, sizeof(err)) != 0)
	{
		errorf("team %d: %s", t->team_id, err);
		rc = EXIT_FILE;
		goto done;
	}
	/* Excel allows 255 characters in an input message and 32 in its title. */
	if (!kbs_form_input_message(cat->entries, cat->nscale, 0, true, 255, &msg_a) ||
		!kbs_form_input_message(cat->entries, cat->nscale, 1, false, 255, &msg_r))
	{
		rc = oom();
		goto done;
	}
	sheets[0] = (kbs_sheet_spec) {"Beoordeling", KBS_SHEET_ASSESSMENT, &ga, &geoma, "Niveau 0–4, na of leeg", msg_a.data, NULL};
	sheets[1] = (kbs_sheet_spec) {"Benodigd", KBS_SHEET_REQUIREMENT, &gr, &geomr, "Niveau 1–4 (leeg: geen eis)", msg_r.data, NULL};
	sheets[2] = (kbs_sheet_spec) {"Schaal", KBS_SHEET_SCALE, &gs, &geoms, NULL, NULL, NULL};

	rc = ensure_dir(outdir);
	if (rc != EXIT_OK)
		goto done;
	snprintf(name, sizeof(name), "formulier-team-%d.xlsx", t->team_id);
	if (!pending_add(files, outdir, name, &tmp))
	{
		rc = oom();
		goto done;
	}
	if (kbs_xlsx_write(tmp, "Kennisbouwstenen — beoordelingsformulier", sheets, 3, err, sizeof(err)) != 0)
	{
		errorf("\"%s\": %s", tmp, err);
		rc = EXIT_FILE;
		goto done;
	}
	snprintf(name, sizeof(name), "formulier-team-%d.csv", t->team_id);
	if (!pending_add(files, outdir, name, &tmp))
	{
		rc = oom();
		goto done;
	}
	rc = write_bytes(tmp, csv_a.data, csv_a.len);
	if (rc != EXIT_OK)
		goto done;
	snprintf(name, sizeof(name), "formulier-team-%d-benodigd.csv", t->team_id);
	if (!pending_add(files, outdir, name, &tmp))
	{
		rc = oom();
		goto done;
	}
	rc = write_bytes(tmp, csv_r.data, csv_r.len);
done:
	free(rows);
	kbs_grid_free(&ga);
	kbs_grid_free(&gr);
	kbs_grid_free(&gs);
	kbs_buf_free(&csv_a);
	kbs_buf_free(&csv_r);
	kbs_buf_free(&msg_a);
	kbs_buf_free(&msg_r);
	return rc;
}

static int
cmd_form(int argc, char **argv)
{
	options		o;
	PGconn	   *conn = NULL;
	catalogue	cat;
	team_data  *teams = NULL;
	size_t		nteams = 0;
	size_t		nalloc = 0;
	PGresult   *list = NULL;
	pending		files;
	int			rc;

	memset(&files, 0, sizeof(files));
	memset(&cat, 0, sizeof(cat));
	rc = parse_options(argc, argv, "dmtDsToq", false, &o);
	if (rc != EXIT_OK)
		return rc < 0 ? EXIT_OK : rc;
	if (o.municipality == NULL && o.team_arg == NULL)
	{
		errorf("geef --team, --municipality of beide");
		return EXIT_USAGE;
	}
	if (o.out == NULL || o.out[0] == '\0')
	{
		errorf("geef de uitvoermap met --out");
		return EXIT_USAGE;
	}
	rc = connect_db(o.dsn, &conn);
	if (rc != EXIT_OK)
		return rc;
	rc = load_catalogue(conn, &cat);
	if (rc != EXIT_OK)
		goto done;
	if (cat.nblocks == 0)
	{
		errorf("de catalogus heeft geen bouwstenen");
		rc = EXIT_NO_DATA;
		goto done;
	}
	if (o.template != NULL)
	{
		const char *p[1] = {o.template};
		PGresult   *tp;

		rc = query(conn, "SELECT 1 FROM kbs.requirement_template WHERE code = $1", 1, p, &tp);
		if (rc != EXIT_OK)
			goto done;
		if (PQntuples(tp) != 1)
		{
			errorf("onbekend sjabloon \"%s\"", o.template);
			hintf("Meegeleverd zijn basis en robuust; zie kbs.requirement_template.");
			rc = EXIT_UNKNOWN;
		}
		PQclear(tp);
		if (rc != EXIT_OK)
			goto done;
	}
	if (o.municipality != NULL)
	{
		const char *p[2] = {o.municipality, o.date};
		PGresult   *m;

		rc = query(conn, "SELECT name FROM kbs.municipality WHERE code = $1", 1, p, &m);
		if (rc != EXIT_OK)
			goto done;
		if (PQntuples(m) != 1)
		{
			PQclear(m);
			errorf("onbekende gemeente %s", o.municipality);
			rc = EXIT_UNKNOWN;
			goto done;
		}
		PQclear(m);
		rc = query(conn, "SELECT id FROM kbs.team WHERE municipality = $1 "
				   "AND active @> coalesce($2::date, current_date) ORDER BY id", 2, p, &list);
		if (rc != EXIT_OK)
			goto done;
		if (o.team_id > 0)
		{
			bool		found = false;

			for (int i = 0; i < PQntuples(list); i++)
				found |= atoi(PQgetvalue(list, i, 0)) == o.team_id;
			if (!found)
			{
				errorf("team %d is op die datum geen team van gemeente %s", o.team_id, o.municipality);
				rc = EXIT_UNKNOWN;
				goto done;
			}
		}
	}
	nalloc = (list ? (size_t) PQntuples(list) : 0) + 1;
	teams = calloc(nalloc, sizeof(team_data));
	if (teams == NULL)
	{
		rc = oom();
		goto done;
	}
	/* Read everything first. */
	if (o.team_id > 0)
	{
		rc = load_team(conn, o.team_id, o.date, o.template, &teams[0]);
		nteams = 1;
		if (rc == EXIT_OK && PQntuples(teams[0].members) == 0)
		{
			errorf("team %d heeft op %s geen leden", o.team_id, PQgetvalue(teams[0].team, 0, 3));
			rc = EXIT_NO_DATA;
		}
	}
	else
	{
		for (int i = 0; i < PQntuples(list) && rc == EXIT_OK; i++)
		{
			rc = load_team(conn, atoi(PQgetvalue(list, i, 0)), o.date, o.template, &teams[nteams]);
			if (rc == EXIT_OK && PQntuples(teams[nteams].members) == 0)
			{
				notef("team %d heeft geen leden op de peildatum; geen formulier", teams[nteams].team_id);
				team_free(&teams[nteams]);
			}
			else
				nteams++;
		}
		if (rc == EXIT_OK && nteams == 0)
		{
			errorf("gemeente %s heeft op die datum geen teams met leden", o.municipality);
			rc = EXIT_NO_DATA;
		}
	}
	/* Then render every file, and rename them all only when all are ready. */
	for (size_t i = 0; i < nteams && rc == EXIT_OK; i++)
		rc = render_team(&cat, &teams[i], o.source, o.out, &files);
	if (rc == EXIT_OK)
		rc = pending_commit(&files);
done:
	pending_discard(&files);
	for (size_t i = 0; teams != NULL && i < nalloc; i++)
		team_free(&teams[i]);
	free(teams);
	PQclear(list);
	catalogue_free(&cat);
	PQfinish(conn);
	return rc;
}

/* ---- kbs read ---- */

static int
cmd_read(int argc, char **argv)
{
	options		o;
	kbs_grid	g;
	kbs_buf		csv;
	char		err[512];
	int			rc;

	rc = parse_options(argc, argv, "boq", true, &o);
	if (rc != EXIT_OK)
		return rc < 0 ? EXIT_OK : rc;
	kbs_grid_init(&g);
	kbs_buf_init(&csv);
	rc = load_grid(o.file, o.sheet, NULL, &g);
	if (rc == EXIT_OK && kbs_grid_to_csv(&g, &csv, MAX_CSV_OUTPUT, err, sizeof(err)) != 0)
	{
		errorf("\"%s\": %s", o.file, err);
		rc = EXIT_FILE;
	}
	if (rc == EXIT_OK)
	{
		if (o.out != NULL)
		{
			pending	files;
			char	   *tmp;
			char	   *slash = strrchr(o.out, '/');
			char		dir[4096];

			memset(&files, 0, sizeof(files));
			if (slash == NULL)
				snprintf(dir, sizeof(dir), ".");
			else
				snprintf(dir, sizeof(dir), "%.*s", (int) (slash - o.out), o.out);
			if (!pending_add(&files, dir[0] ? dir : "/", slash ? slash + 1 : o.out, &tmp))
				rc = oom();
			else
				rc = write_bytes(tmp, csv.data ? csv.data : "", csv.len);
			if (rc == EXIT_OK)
			{
				quiet = 1;
				rc = pending_commit(&files);
			}
			pending_discard(&files);
		}
		else if (csv.len > 0 && (fwrite(csv.data, 1, csv.len, stdout) != csv.len || fflush(stdout) != 0))
		{
			errorf("kan niet naar stdout schrijven: %s", strerror(errno));
			rc = EXIT_FILE;
		}
	}
	kbs_grid_free(&g);
	kbs_buf_free(&csv);
	return rc;
}

/* ---- kbs import, kbs import-requirement ---- */

/* The import function's answer, whatever columns it has, as lines of "column: value". */
static void
print_result(PGresult *res)
{
	int			nf = PQnfields(res);
	int			nt = PQntuples(res);

	if (quiet)
		return;
	for (int i = 0; i < nt; i++)
	{
		for (int j = 0; j < nf; j++)
			printf("%s%s: %s", j ? ", " : "", PQfname(res, j), PQgetisnull(res, i, j) ? "" : PQgetvalue(res, i, j));
		printf("\n");
	}
}

static int
call_import(PGconn *conn, const char *sql, int nparams, const char *const *params, bool dry_run)
{
	PGresult   *res;
	int			rc = EXIT_OK;

	/* A dry run also runs inside a transaction that is rolled back: nothing can stay behind. */
	if (dry_run)
	{
		res = PQexec(conn, "BEGIN");
		if (PQresultStatus(res) != PGRES_COMMAND_OK)
			rc = kbs_cli_query_error(&cli, res, conn);
		PQclear(res);
		if (rc != EXIT_OK)
			return rc;
	}
	res = PQexecParams(conn, sql, nparams, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK && PQresultStatus(res) != PGRES_COMMAND_OK)
	{
		errorf("de import is geweigerd");
		rc = kbs_cli_query_error(&cli, res, conn);
	}
	else
		print_result(res);
	PQclear(res);
	if (dry_run)
	{
		res = PQexec(conn, "ROLLBACK");
		PQclear(res);
	}
	return rc;
}

static int
missing_function(const char *signature)
{
	errorf("de functie %s ontbreekt in deze database", signature);
	hintf("Deze versie van de extensie kan nog geen formulieren inlezen; werk de extensie bij "
		  "(ALTER EXTENSION kennisbouwstenen UPDATE) naar een versie met deze functie.");
	return EXIT_DATABASE;
}

/* Connects and checks that the import function (its signature) is there; *conn is the connection. */
static int
connect_import(const char *dsn, const char *signature, PGconn **conn)
{
	bool		found;
	int			rc = connect_db(dsn, conn);

	if (rc == EXIT_OK)
		rc = exists(*conn, "to_regprocedure", signature, &found);
	if (rc == EXIT_OK && !found)
		rc = missing_function(signature);
	return rc;
}

static int
cmd_import(int argc, char **argv)
{
	static const char *const signature = "kbs.import_assessments(text,text,date,text,text,text,boolean)";
	options		o;
	kbs_grid	g;
	kbs_buf		csv;
	char		err[512];
	uint32_t	head;
	PGconn	   *conn = NULL;
	int			rc;

	rc = parse_options(argc, argv, "dmDsSrbnq", true, &o);
	if (rc != EXIT_OK)
		return rc < 0 ? EXIT_OK : rc;
	if (o.municipality == NULL || o.date == NULL)
	{
		errorf("geef de gemeente (--municipality) en de beoordelingsdatum (--date)");
		return EXIT_USAGE;
	}
	kbs_grid_init(&g);
	kbs_buf_init(&csv);
	rc = load_grid(o.file, o.sheet, "Beoordeling", &g);
	if (rc == EXIT_OK && !kbs_find_code_row(&g, "ref", &head))
	{
		errorf("\"%s\": geen kopregel gevonden (een rij met ref in de eerste kolom); is dit een beoordelingsformulier?",
			   o.file);
		rc = EXIT_FILE;
	}
	if (rc == EXIT_OK && kbs_grid_to_csv(&g, &csv, MAX_CSV_OUTPUT, err, sizeof(err)) != 0)
	{
		errorf("\"%s\": %s", o.file, err);
		rc = EXIT_FILE;
	}
	if (rc == EXIT_OK)
		rc = connect_import(o.dsn, signature, &conn);
	if (rc == EXIT_OK)
	{
		const char *p[7] = {csv.data, o.municipality, o.date, o.source, o.status, o.round,
		o.dry_run ? "true" : "false"};

		if (!quiet)
			fprintf(stderr, "%s: beoordelingen inlezen uit \"%s\" als %s%s\n", progname, o.file,
					kbs_status_label(o.status), o.dry_run ? " (proefdraai: niets wordt opgeslagen)" : "");
		rc = call_import(conn, "SELECT * FROM kbs.import_assessments($1::text, $2::text, $3::date, $4::text, "
						 "$5::text, $6::text, $7::boolean)", 7, p, o.dry_run);
	}
	PQfinish(conn);
	kbs_grid_free(&g);
	kbs_buf_free(&csv);
	return rc;
}

static int
cmd_import_requirement(int argc, char **argv)
{
	static const char *const signature = "kbs.import_requirement(text,integer,date,boolean)";
	options		o;
	kbs_grid	g;
	kbs_buf		csv;
	char		err[512];
	PGconn	   *conn = NULL;
	int			rc;

	rc = parse_options(argc, argv, "dtFbnq", true, &o);
	if (rc != EXIT_OK)
		return rc < 0 ? EXIT_OK : rc;
	if (o.team_arg == NULL || o.valid_from == NULL)
	{
		errorf("geef het team (--team) en de datum vanaf wanneer de eis geldt (--valid-from)");
		return EXIT_USAGE;
	}
	kbs_grid_init(&g);
	kbs_buf_init(&csv);
	rc = load_grid(o.file, o.sheet, "Benodigd", &g);
	if (rc == EXIT_OK && kbs_requirement_csv(&g, &csv, err, sizeof(err)) != 0)
	{
		errorf("\"%s\": %s", o.file, err);
		rc = EXIT_FILE;
	}
	if (rc == EXIT_OK)
		rc = connect_import(o.dsn, signature, &conn);
	if (rc == EXIT_OK)
	{
		const char *p[4] = {csv.data, o.team_arg, o.valid_from, o.dry_run ? "true" : "false"};

		rc = call_import(conn, "SELECT * FROM kbs.import_requirement($1::text, $2::integer, $3::date, $4::boolean)",
						 4, p, o.dry_run);
	}
	PQfinish(conn);
	kbs_grid_free(&g);
	kbs_buf_free(&csv);
	return rc;
}

/* ---- kbs training ---- */

static int
cmd_training(int argc, char **argv)
{
	options		o;
	PGconn	   *conn = NULL;
	PGresult   *mun = NULL,
			   *cols = NULL,
			   *rows = NULL;
	kbs_table_col *tc = NULL;
	const char **values = NULL;
	const char **notes = NULL;
	kbs_grid	g;
	kbs_form_geom geom;
	kbs_buf		sql;
	pending		files;
	char		err[512];
	char		day[16];
	char		name[64];
	char	   *tmp;
	const char *filter = NULL;
	bool		found,
				has_order = false;
	int			rc,
				nc = 0,
				nr = 0;

	kbs_grid_init(&g);
	kbs_buf_init(&sql);
	memset(&files, 0, sizeof(files));
	rc = parse_options(argc, argv, "dmoq", false, &o);
	if (rc != EXIT_OK)
		return rc < 0 ? EXIT_OK : rc;
	if (o.municipality == NULL || o.out == NULL || o.out[0] == '\0')
	{
		errorf("geef de gemeente (--municipality) en de uitvoermap (--out)");
		return EXIT_USAGE;
	}
	rc = connect_db(o.dsn, &conn);
	if (rc == EXIT_OK)
		rc = exists(conn, "to_regclass", "kbs.v_training_demand", &found);
	if (rc == EXIT_OK && !found)
	{
		errorf("de view kbs.v_training_demand ontbreekt in deze database");
		hintf("Deze versie van de extensie heeft nog geen scholingsvraag; werk de extensie bij "
			  "(ALTER EXTENSION kennisbouwstenen UPDATE) naar een versie met deze view.");
		rc = EXIT_DATABASE;
	}
	if (rc == EXIT_OK)
	{
		const char *p[1] = {o.municipality};

		rc = query(conn, "SELECT name FROM kbs.municipality WHERE code = $1", 1, p, &mun);
		if (rc == EXIT_OK && PQntuples(mun) != 1)
		{
			errorf("onbekende gemeente %s", o.municipality);
			rc = EXIT_UNKNOWN;
		}
	}
	if (rc == EXIT_OK)
		rc = query(conn, "SELECT a.attname, t.typcategory, coalesce(col_description(a.attrelid, a.attnum), ''), "
				   "t.typname = 'date', t.typcategory IN ('N', 'S', 'D', 'B') AND t.typelem = 0 "
				   "FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid "
				   "WHERE a.attrelid = 'kbs.v_training_demand'::regclass AND a.attnum > 0 AND NOT a.attisdropped "
				   "ORDER BY a.attnum", 0, NULL, &cols);
	if (rc == EXIT_OK)
	{
		nc = PQntuples(cols);
		tc = calloc((size_t) nc + 1, sizeof(kbs_table_col));
		if (tc == NULL)
			rc = oom();
		for (int i = 0; rc == EXIT_OK && i < nc; i++)
		{
			const char *n = PQgetvalue(cols, i, 0);
			char		cat = PQgetvalue(cols, i, 1)[0];

			tc[i].name = n;
			tc[i].comment = PQgetvalue(cols, i, 2);
			tc[i].type = cat == 'N' ? KBS_COL_NUMBER : cat == 'B' ? KBS_COL_BOOL :
				strcmp(PQgetvalue(cols, i, 3), "t") == 0 ? KBS_COL_DATE : KBS_COL_TEXT;
			if (strcmp(n, "municipality_code") == 0 || (filter == NULL && strcmp(n, "municipality") == 0))
				filter = n;
			has_order |= strcmp(n, "wheel_order") == 0;
		}
		if (rc == EXIT_OK && filter == NULL)
		{
			errorf("kbs.v_training_demand heeft geen kolom municipality_code of municipality");
			rc = EXIT_DATABASE;
		}
	}
	if (rc == EXIT_OK)
	{
		/* A stable order: the wheel's, then every sortable column in the view's order. */
		char	   *id = PQescapeIdentifier(conn, filter, strlen(filter));
		bool		first = true;

		if (id == NULL)
			rc = oom();
		else
		{
			kbs_buf_append(&sql, "SELECT * FROM kbs.v_training_demand WHERE ", 42);
			kbs_buf_append(&sql, id, strlen(id));
			kbs_buf_append(&sql, " = $1 ORDER BY ", 15);
			PQfreemem(id);
			if (has_order)
			{
				kbs_buf_append(&sql, "wheel_order", 11);
				first = false;
			}
			for (int i = 0; i < nc; i++)
			{
				char		pos[16];

				if (strcmp(PQgetvalue(cols, i, 4), "t") != 0)
					continue;
				snprintf(pos, sizeof(pos), "%s%d", first ? "" : ", ", i + 1);
				kbs_buf_append(&sql, pos, strlen(pos));
				first = false;
			}
			if (first)
				kbs_buf_append(&sql, "1", 1);
			if (sql.failed)
				rc = oom();
		}
	}
	if (rc == EXIT_OK)
	{
		const char *p[1] = {o.municipality};

		rc = query(conn, sql.data, 1, p, &rows);
	}
	if (rc == EXIT_OK)
	{
		nr = PQntuples(rows);
		values = calloc((size_t) nr * (size_t) nc + 1, sizeof(char *));
		notes = calloc((size_t) nc + 1, sizeof(char *));
		if (values == NULL || notes == NULL)
			rc = oom();
		for (int r = 0; rc == EXIT_OK && r < nr; r++)
			for (int c = 0; c < nc; c++)
				values[(size_t) r * (size_t) nc + (size_t) c] = PQgetisnull(rows, r, c) ? NULL : PQgetvalue(rows, r, c);
		for (int c = 0, shown = 0; rc == EXIT_OK && c < nc; c++)
			if (!kbs_training_hidden(tc[c].name))
				notes[shown++] = tc[c].comment;
	}
	if (rc == EXIT_OK)
	{
		kbs_cli_strftime(day, sizeof(day), "%Y-%m-%d");
		if (kbs_training_sheet(PQgetvalue(mun, 0, 0), o.municipality, day, tc, (size_t) nc, values, (size_t) nr,
							   &g, &geom, err, sizeof(err)) != 0 || !kbs_grid_sort(&g, NULL))
		{
			errorf("%s", err);
			rc = EXIT_DATABASE;
		}
	}
	if (rc == EXIT_OK)
		rc = ensure_dir(o.out);
	if (rc == EXIT_OK)
	{
		kbs_sheet_spec sheet = {"Scholingsvraag", KBS_SHEET_TABLE, &g, &geom, NULL, NULL, notes};

		snprintf(name, sizeof(name), "scholingsvraag-%s.xlsx", o.municipality);
		if (!pending_add(&files, o.out, name, &tmp))
			rc = oom();
		else if (kbs_xlsx_write(tmp, "Kennisbouwstenen — scholingsvraag", &sheet, 1, err, sizeof(err)) != 0)
		{
			errorf("\"%s\": %s", tmp, err);
			rc = EXIT_FILE;
		}
	}
	if (rc == EXIT_OK)
		rc = pending_commit(&files);
	pending_discard(&files);
	kbs_grid_free(&g);
	kbs_buf_free(&sql);
	free(tc);
	free(values);
	free(notes);
	PQclear(mun);
	PQclear(cols);
	PQclear(rows);
	PQfinish(conn);
	return rc;
}

int
kbs_forms_main(const char *cmd, int argc, char **argv)
{
	snprintf(progname, sizeof(progname), "kbs %s", cmd);
	if (strcmp(cmd, "form") == 0)
		return cmd_form(argc, argv);
	if (strcmp(cmd, "read") == 0)
		return cmd_read(argc, argv);
	if (strcmp(cmd, "import") == 0)
		return cmd_import(argc, argv);
	if (strcmp(cmd, "import-requirement") == 0)
		return cmd_import_requirement(argc, argv);
	if (strcmp(cmd, "training") == 0)
		return cmd_training(argc, argv);
	errorf("onbekende opdracht \"%s\"", cmd);
	fprintf(stderr, "Zie \"kbs --help\".\n");
	return EXIT_USAGE;
}
