/*
 * The extension's module: one PG_MODULE_MAGIC for all of src/pg, and the
 * kbs.* settings, registered so that a typo (SET kbs.asof) is an error and a
 * date that is no date is refused when it is set, not when a view reads it.
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/datetime.h"
#include "utils/guc.h"

PG_MODULE_MAGIC;

void _PG_init(void);

static char *kbs_as_of = NULL;
static bool kbs_retention_in_progress = false;
static bool kbs_shipped_catalogue_update = false;
static char *kbs_federation_member = NULL;

/* A federation member's name as kbs.federation_add allows it (sql/85_federation.sql), or ''. */
static bool
check_federation_member(char **newval, void **extra, GucSource source)
{
	const char *s = *newval;
	size_t		n;

	if (s == NULL || s[0] == '\0')
		return true;
	n = strlen(s);
	if (n <= 40 && s[0] >= 'a' && s[0] <= 'z' &&
		strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_") == n)
		return true;
	GUC_check_errcode(ERRCODE_INVALID_PARAMETER_VALUE);
	GUC_check_errdetail("A federation member's name starts with a lower-case letter and has at most 40 lower-case letters, digits and underscores.");
	return false;
}
static bool kbs_refresh_in_progress = false;
static char *kbs_publication_pending = NULL;

/* Accepts what a cast to date accepts, and '' (today); as date_in, without throwing. */
static bool
check_as_of(char **newval, void **extra, GucSource source)
{
	char workbuf[MAXDATELEN + 1];
	char *field[MAXDATEFIELDS];
	int ftype[MAXDATEFIELDS];
	int nf;
	int dtype;
	int tzp;
	fsec_t fsec;
	struct pg_tm tt;
	int dterr;

	if (*newval == NULL || (*newval)[0] == '\0')
		return true;
	dterr = ParseDateTime(*newval, workbuf, sizeof(workbuf), field, ftype, MAXDATEFIELDS, &nf);
	if (dterr == 0)
		dterr = DecodeDateTime(field, ftype, nf, &dtype, &tt, &fsec, &tzp);
	if (dterr == 0)
	{
		if (dtype == DTK_EPOCH || dtype == DTK_LATE || dtype == DTK_EARLY)
			return true;
		if (dtype == DTK_DATE && IS_VALID_JULIAN(tt.tm_year, tt.tm_mon, tt.tm_mday) &&
			IS_VALID_DATE(date2j(tt.tm_year, tt.tm_mon, tt.tm_mday) - POSTGRES_EPOCH_JDATE))
			return true;
	}
	GUC_check_errcode(ERRCODE_INVALID_DATETIME_FORMAT);
	GUC_check_errdetail("The peildatum must be a date such as 2025-06-30, or empty for today.");
	return false;
}

void
_PG_init(void)
{
	DefineCustomStringVariable("kbs.as_of",
							   "Peildatum van de persoonsoverzichten; leeg is vandaag.",
							   "Read by kbs.as_of(), which the person-level views use.",
							   &kbs_as_of, "", PGC_USERSET, 0, check_as_of, NULL, NULL);
	/* Internal switches, set for one transaction by the extension's own functions. */
	DefineCustomBoolVariable("kbs.retention_in_progress",
							 "Intern: kbs.apply_retention verwijdert brongegevens.",
							 NULL, &kbs_retention_in_progress, false, PGC_USERSET,
							 GUC_NO_SHOW_ALL | GUC_NOT_IN_SAMPLE, NULL, NULL, NULL);
	DefineCustomBoolVariable("kbs.shipped_catalogue_update",
							 "Intern: een update van de extensie wijzigt de meegeleverde catalogus.",
							 NULL, &kbs_shipped_catalogue_update, false, PGC_USERSET,
							 GUC_NO_SHOW_ALL | GUC_NOT_IN_SAMPLE, NULL, NULL, NULL);
	/* Set by a benchmark's postgres_fdw connection (options -c kbs.federation_member=...); read by the export views. */
	DefineCustomStringVariable("kbs.federation_member",
							   "Naam die een benchmark deze database geeft (federatie); leeg buiten een federatie.",
							   "Filled in by the benchmark's connection; kbs.v_export_cell and kbs.v_export_group show it as member.",
							   &kbs_federation_member, "", PGC_USERSET, GUC_NOT_IN_SAMPLE,
							   check_federation_member, NULL, NULL);
	/* kbs.refresh_snapshots: its cells queue no publication event; the teams to decide at commit */
	DefineCustomBoolVariable("kbs.refresh_in_progress",
							 "Intern: kbs.refresh_snapshots schrijft momentopnamen; er wordt per team besloten.",
							 NULL, &kbs_refresh_in_progress, false, PGC_USERSET,
							 GUC_NO_SHOW_ALL | GUC_NOT_IN_SAMPLE, NULL, NULL, NULL);
	DefineCustomStringVariable("kbs.publication_pending",
							   "Intern: teams waarvan kbs.refresh_snapshots momentopnamen schreef, te besluiten bij commit.",
							   NULL, &kbs_publication_pending, "", PGC_USERSET,
							   GUC_NO_SHOW_ALL | GUC_NOT_IN_SAMPLE, NULL, NULL, NULL);
	MarkGUCPrefixReserved("kbs");
}
