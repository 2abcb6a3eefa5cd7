/* kbs.csv_records(text): CSV text as (line, fields[]) rows for the catalogue import. */
#include "postgres.h"

#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "catalog/pg_type.h"

#include "kbs_csv.h"

#define KBS_CSV_MAX_FIELDS 64

PG_FUNCTION_INFO_V1(kbs_sql_csv_records);

Datum
kbs_sql_csv_records(PG_FUNCTION_ARGS)
{
	text	   *csv = PG_GETARG_TEXT_PP(0);
	const char *data = VARDATA_ANY(csv);
	size_t		len = VARSIZE_ANY_EXHDR(csv);
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	kbs_csv_reader reader;
	kbs_csv_error err;
	/* A record is never longer than the input plus one NUL per field. */
	size_t		bufcap = len + KBS_CSV_MAX_FIELDS + 1;
	char	   *buf = palloc(bufcap);
	size_t		off[KBS_CSV_MAX_FIELDS];
	size_t		flen[KBS_CSV_MAX_FIELDS];
	Datum		elems[KBS_CSV_MAX_FIELDS];
	int			n;
	int			line;

	InitMaterializedSRF(fcinfo, 0);
	kbs_csv_init(&reader, data, len, 0);
	while ((n = kbs_csv_next(&reader, buf, bufcap, off, flen, KBS_CSV_MAX_FIELDS, &line, &err)) > 0)
	{
		Datum		values[2];
		bool		nulls[2] = {false, false};

		for (int i = 0; i < n; i++)
			elems[i] = PointerGetDatum(cstring_to_text_with_len(buf + off[i], (int) flen[i]));
		values[0] = Int32GetDatum(line);
		values[1] = PointerGetDatum(construct_array(elems, n, TEXTOID, -1, false, TYPALIGN_INT));
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		CHECK_FOR_INTERRUPTS();
	}
	if (n < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid CSV: %s", err.msg)));
	pfree(buf);
	return (Datum) 0;
}
