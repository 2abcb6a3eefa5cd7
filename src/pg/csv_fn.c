/* kbs.csv_records(text, text): CSV text as (line, fields[]) rows for the imports. */
#include "postgres.h"

#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "catalog/pg_type.h"

#include "kbs_csv.h"

/*
 * Fields per record: the arrays start small and grow as records demand, up to
 * Excel's column limit (a wide assessment form has a column per block).
 */
#define KBS_CSV_FIRST_FIELDS 64
#define KBS_CSV_MAX_FIELDS 16384

PG_FUNCTION_INFO_V1(kbs_sql_csv_records);

Datum
kbs_sql_csv_records(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	text	   *csv;
	const char *data;
	size_t		len;
	char		delim = 0;
	kbs_csv_reader reader;
	kbs_csv_error err;
	size_t		bufcap;
	char	   *buf;
	int			maxfields = KBS_CSV_FIRST_FIELDS;
	size_t	   *off;
	size_t	   *flen;
	Datum	   *elems;
	int			n;
	int			line;

	InitMaterializedSRF(fcinfo, 0);
	if (PG_ARGISNULL(0))
		return (Datum) 0;
	if (PG_NARGS() > 1 && !PG_ARGISNULL(1))
	{
		text	   *d = PG_GETARG_TEXT_PP(1);

		if (VARSIZE_ANY_EXHDR(d) != 1 || *VARDATA_ANY(d) == '"' ||
			*VARDATA_ANY(d) == '\n' || *VARDATA_ANY(d) == '\r' || *VARDATA_ANY(d) == '\0')
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid CSV delimiter \"%s\"", text_to_cstring(d)),
					 errhint("Give one single-byte character other than a quote or a line break, or NULL to detect \",\" or \";\".")));
		delim = *VARDATA_ANY(d);
	}
	csv = PG_GETARG_TEXT_PP(0);
	data = VARDATA_ANY(csv);
	len = VARSIZE_ANY_EXHDR(csv);

	/*
	 * A record is never longer than the input plus one NUL per field, and it
	 * has at most len + 1 fields (all but the last end at a delimiter).
	 */
	bufcap = len + Min(len + 1, (size_t) KBS_CSV_MAX_FIELDS) + 1;
	buf = palloc(bufcap);
	off = palloc(sizeof(size_t) * maxfields);
	flen = palloc(sizeof(size_t) * maxfields);
	elems = palloc(sizeof(Datum) * maxfields);

	kbs_csv_init(&reader, data, len, delim);
	for (;;)
	{
		kbs_csv_reader before = reader;
		Datum		values[2];
		bool		nulls[2] = {false, false};

		n = kbs_csv_next(&reader, buf, bufcap, off, flen, maxfields, &line, &err);
		if (n < 0 && err.kind == KBS_CSV_ERR_FIELDS && maxfields < KBS_CSV_MAX_FIELDS)
		{
			/* a wider record: read it again with room for more fields */
			maxfields = Min(maxfields * 4, KBS_CSV_MAX_FIELDS);
			off = repalloc(off, sizeof(size_t) * maxfields);
			flen = repalloc(flen, sizeof(size_t) * maxfields);
			elems = repalloc(elems, sizeof(Datum) * maxfields);
			reader = before;
			continue;
		}
		if (n <= 0)
			break;
		for (int i = 0; i < n; i++)
			elems[i] = PointerGetDatum(cstring_to_text_with_len(buf + off[i], (int) flen[i]));
		values[0] = Int32GetDatum(line);
		values[1] = PointerGetDatum(construct_array(elems, n, TEXTOID, -1, false, TYPALIGN_INT));
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		/* the tuplestore holds a copy */
		pfree(DatumGetPointer(values[1]));
		for (int i = 0; i < n; i++)
			pfree(DatumGetPointer(elems[i]));
		CHECK_FOR_INTERRUPTS();
	}
	if (n < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid CSV: %s", err.msg)));
	pfree(buf);
	pfree(off);
	pfree(flen);
	pfree(elems);
	return (Datum) 0;
}
