/*
 * What the commands of kbs share (kbs_cli.h): messages on stderr, the
 * connection and the report of a failed query, in the command's words.
 */
#include "kbs_cli.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void
kbs_cli_message(const char *progname, const char *label, const char *fmt,...)
{
	va_list		ap;

	if (label != NULL)
		fprintf(stderr, "%s: %s: ", progname, label);
	else
		fprintf(stderr, "%s: ", progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void
kbs_cli_detail_hint(const kbs_cli *cli, const char *detail, const char *hint)
{
	if (detail)
		kbs_cli_message(cli->progname, cli->detail, "%s", detail);
	if (hint)
		kbs_cli_message(cli->progname, cli->hint, "%s", hint);
}

int
kbs_cli_query_error(const kbs_cli *cli, PGresult *res, PGconn *conn)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *msg = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;

	if (msg == NULL)
		kbs_cli_message(cli->progname, cli->error, "%s", PQerrorMessage(conn));
	else
	{
		kbs_cli_message(cli->progname, cli->error, "%s", msg);
		kbs_cli_detail_hint(cli, PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL),
							PQresultErrorField(res, PG_DIAG_MESSAGE_HINT));
	}
	if (state == NULL)
		return EXIT_DATABASE;
	if (strcmp(state, "42704") == 0)
		return EXIT_UNKNOWN;
	if (strcmp(state, "P0002") == 0)
		return EXIT_NO_DATA;
	if (strcmp(state, "3F000") == 0 || strcmp(state, "42883") == 0 ||
		(cli->missing_relation_not_installed && strcmp(state, "42P01") == 0))
		kbs_cli_message(cli->progname, cli->hint, "%s", cli->not_installed);
	return EXIT_DATABASE;
}

int
kbs_cli_connect(const kbs_cli *cli, const char *dsn, const char *application_name,
				PQnoticeReceiver receiver, PGconn **out)
{
	PGconn	   *conn = PQconnectdb(dsn ? dsn : "");
	PGresult   *res;
	char		sql[256];
	int			rc;

	*out = NULL;
	if (conn == NULL || PQstatus(conn) != CONNECTION_OK)
	{
		kbs_cli_message(cli->progname, cli->error, "%s: %s", cli->no_connection,
						conn ? PQerrorMessage(conn) : cli->out_of_memory);
		PQfinish(conn);
		return EXIT_CONNECT;
	}
	if (receiver != NULL)
		PQsetNoticeReceiver(conn, receiver, NULL);
	/* Fixed, unambiguous settings for everything the server formats. */
	snprintf(sql, sizeof(sql), "SET application_name = '%s'; SET datestyle = 'ISO, YMD'; "
			 "SET client_encoding = 'UTF8'; SET search_path = pg_catalog", application_name);
	res = PQexec(conn, sql);
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
	{
		rc = kbs_cli_query_error(cli, res, conn);
		PQclear(res);
		PQfinish(conn);
		return rc;
	}
	PQclear(res);
	*out = conn;
	return EXIT_OK;
}

void
kbs_cli_strftime(char *buf, size_t len, const char *fmt)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	time_t		now = time(NULL);
	struct tm	tm;

	if (sde != NULL && *sde != '\0')
	{
		char	   *end;
		long long	v = strtoll(sde, &end, 10);

		if (*end == '\0' && v >= 0)
			now = (time_t) v;
	}
	localtime_r(&now, &tm);
	strftime(buf, len, fmt, &tm);
}
