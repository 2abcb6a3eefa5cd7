/*
 * One program, build/kbs, with subcommands; build/kbs-dashboard is the same
 * program under another name and behaves exactly as the dashboard command.
 * kbs_cli.c holds what the commands share: the exit codes, messages on stderr,
 * the connection and a failed query's report. The dashboard command speaks
 * English on stderr, the forms commands Dutch: the words are a parameter.
 */
#ifndef KBS_CLI_H
#define KBS_CLI_H

#include <stdbool.h>
#include <stdio.h>
#include <time.h>

#include <libpq-fe.h>

/* Exit codes of every command, documented in the helps and the README. */
enum
{
	EXIT_OK = 0,
	EXIT_USAGE = 1,
	EXIT_CONNECT = 2,
	EXIT_UNKNOWN = 3,			/* unknown municipality, team or template */
	EXIT_NO_DATA = 4,
	EXIT_DATABASE = 5,
	EXIT_FILE = 6				/* a file not readable, the output not writable */
};

/* A command's name on stderr and the words of its messages. */
typedef struct kbs_cli
{
	const char *progname;
	const char *error;			/* label of an error line: "error", "fout" */
	const char *detail;			/* of a server message's DETAIL */
	const char *hint;			/* of a HINT, and of our own hints */
	const char *no_connection;	/* "could not connect to the database" */
	const char *out_of_memory;
	const char *not_installed;	/* the hint when the extension's schema or a function is missing */
	bool		missing_relation_not_installed; /* that hint also for a missing relation (42P01) */
} kbs_cli;

/* "progname: label: message" on stderr; without label "progname: message". */
void		kbs_cli_message(const char *progname, const char *label, const char *fmt,...)
			__attribute__((format(printf, 3, 4)));

/* A server message's DETAIL and HINT (either may be NULL), one line each. */
void		kbs_cli_detail_hint(const kbs_cli *cli, const char *detail, const char *hint);

/* Prints the server's message of a failed query (res may be NULL) and maps its SQLSTATE to an exit code. */
int			kbs_cli_query_error(const kbs_cli *cli, PGresult *res, PGconn *conn);

/*
 * Connects (dsn NULL: the PG* environment), installs receiver (NULL: libpq's
 * own) and fixes every setting the server formats with. *out is the
 * connection, or NULL with the exit code returned.
 */
int			kbs_cli_connect(const kbs_cli *cli, const char *dsn, const char *application_name,
							PQnoticeReceiver receiver, PGconn **out);

/*
 * The local time of now as strftime(fmt) writes it; SOURCE_DATE_EPOCH, when
 * set, stands for now, so that files can be reproduced.
 */
void		kbs_cli_strftime(char *buf, size_t len, const char *fmt);

/* kbs-dashboard, argv[0] being the program or "dashboard". */
int			kbs_dashboard_main(int argc, char **argv);

/* kbs form | read | import | import-requirement | training; argv[0] is the command. */
int			kbs_forms_main(const char *cmd, int argc, char **argv);

/* The help of kbs (Dutch). */
void		kbs_usage(FILE *f);

#endif
