/* kbs.coverage: type I/O, accessors, + and the merge aggregate's step. */
#include "kbs_pg.h"

#include "catalog/pg_type.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "utils/array.h"
#include "utils/builtins.h"

PG_FUNCTION_INFO_V1(kbs_sql_coverage_in);
PG_FUNCTION_INFO_V1(kbs_sql_coverage_out);
PG_FUNCTION_INFO_V1(kbs_sql_coverage_recv);
PG_FUNCTION_INFO_V1(kbs_sql_coverage_send);
PG_FUNCTION_INFO_V1(kbs_sql_coverage_members);
PG_FUNCTION_INFO_V1(kbs_sql_coverage_count_at_least);
PG_FUNCTION_INFO_V1(kbs_sql_coverage_histogram);
PG_FUNCTION_INFO_V1(kbs_sql_coverage_entries);
PG_FUNCTION_INFO_V1(kbs_sql_coverage_plus);

Datum
kbs_sql_coverage_in(PG_FUNCTION_ARGS)
{
	const char *s = PG_GETARG_CSTRING(0);
	size_t		len = strlen(s);
	kbs_centry *e = palloc(sizeof(kbs_centry) * kbs_bound_entries(len));
	kbs_error	err;
	uint32_t	members;
	int			n;

	kbs_error_init(&err);
	n = kbs_coverage_parse(s, len, e, &members, &err);
	if (n < 0)
		kbs_pg_raise(&err, "kbs.coverage");
	return kbs_coverage_datum(e, n, members);
}

Datum
kbs_sql_coverage_out(PG_FUNCTION_ARGS)
{
	kbs_coverage_val c = kbs_get_coverage(KBS_GETARG_VARLENA(0));
	char	   *buf = palloc(kbs_coverage_text_size(c.e, c.n, c.members));

	kbs_coverage_print(c.e, c.n, c.members, buf);
	PG_RETURN_CSTRING(buf);
}

Datum
kbs_sql_coverage_recv(PG_FUNCTION_ARGS)
{
	StringInfo	msg = (StringInfo) PG_GETARG_POINTER(0);
	size_t		len = msg->len - msg->cursor;
	const uint8_t *buf = (const uint8_t *) msg->data + msg->cursor;
	kbs_centry *e = palloc(sizeof(kbs_centry) * kbs_bound_entries(len));
	kbs_error	err;
	uint32_t	members;
	int			n;

	kbs_error_init(&err);
	n = kbs_coverage_wire_decode(buf, len, e, &members, &err);
	if (n < 0)
		kbs_pg_raise(&err, "kbs.coverage");
	msg->cursor = msg->len;
	return kbs_coverage_datum(e, n, members);
}

Datum
kbs_sql_coverage_send(PG_FUNCTION_ARGS)
{
	kbs_coverage_val c = kbs_get_coverage(KBS_GETARG_VARLENA(0));
	uint8_t    *out;
	struct varlena *v = kbs_new_varlena(kbs_coverage_wire_size(c.n), &out);

	kbs_coverage_wire_encode(c.e, c.n, c.members, out);
	PG_RETURN_BYTEA_P(v);
}

/* Reads the header field only: called once per group in large roll-ups. */
Datum
kbs_sql_coverage_members(PG_FUNCTION_ARGS)
{
	size_t		len;
	const uint8_t *buf = kbs_payload(KBS_GETARG_VARLENA(0), &len);
	uint32_t	members;

	if (len < 7 || buf[0] != KBS_FORMAT_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("stored kbs.coverage value is damaged: bad header")));
	members = kbs_coverage_stored_members(buf, len);
	if (members > KBS_MAX_MEMBERS)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("stored kbs.coverage value is damaged: member count %u out of range", members)));
	PG_RETURN_INT32((int32) members);
}

static void
check_level_arg(int32 level)
{
	if (level < 0 || level > 4)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("level %d is out of range", level),
				 errdetail("Levels are 0 to 4.")));
}

/* kbs.count_at_least(coverage, block, level): members at level or above; na never counts. */
Datum
kbs_sql_coverage_count_at_least(PG_FUNCTION_ARGS)
{
	kbs_coverage_val c = kbs_get_coverage(KBS_GETARG_VARLENA(0));
	int32		id = PG_GETARG_INT32(1);
	int32		level = PG_GETARG_INT32(2);

	check_level_arg(level);
	if (id < KBS_MIN_BLOCK_ID || id > KBS_MAX_BLOCK_ID)
		PG_RETURN_INT32(0);
	PG_RETURN_INT32((int32) kbs_coverage_count_at_least(c.e, c.n, id, level));
}

/* kbs.histogram(coverage, block) → {level 0, …, level 4, na, not assessed}. */
Datum
kbs_sql_coverage_histogram(PG_FUNCTION_ARGS)
{
	kbs_coverage_val c = kbs_get_coverage(KBS_GETARG_VARLENA(0));
	int32		id = PG_GETARG_INT32(1);
	uint32_t	h[KBS_NCOUNTS] = {0};
	Datum		elems[KBS_NCOUNTS + 1];
	uint32_t	assessed = 0;

	if (id >= KBS_MIN_BLOCK_ID && id <= KBS_MAX_BLOCK_ID)
		kbs_coverage_histogram(c.e, c.n, id, h);
	for (int i = 0; i < KBS_NCOUNTS; i++)
	{
		elems[i] = Int32GetDatum((int32) h[i]);
		assessed += h[i];
	}
	elems[KBS_NCOUNTS] = Int32GetDatum((int32) (c.members - assessed));
	PG_RETURN_ARRAYTYPE_P(construct_array(elems, KBS_NCOUNTS + 1, INT4OID, 4, true, TYPALIGN_INT));
}

/* kbs.entries(coverage) → one row per block with its counts (standard types, for views). */
Datum
kbs_sql_coverage_entries(PG_FUNCTION_ARGS)
{
	kbs_coverage_val c = kbs_get_coverage(KBS_GETARG_VARLENA(0));
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;

	InitMaterializedSRF(fcinfo, 0);
	for (int i = 0; i < c.n; i++)
	{
		Datum		values[KBS_NCOUNTS + 2];
		bool		nulls[KBS_NCOUNTS + 2] = {false};
		uint32_t	assessed = 0;

		values[0] = Int32GetDatum(c.e[i].id);
		for (int k = 0; k < KBS_NCOUNTS; k++)
		{
			values[k + 1] = Int32GetDatum((int32) c.e[i].cnt[k]);
			assessed += c.e[i].cnt[k];
		}
		values[KBS_NCOUNTS + 1] = Int32GetDatum((int32) (c.members - assessed));
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

/* a + b: also the step and combine function of kbs.coverage_merge_agg. */
Datum
kbs_sql_coverage_plus(PG_FUNCTION_ARGS)
{
	kbs_coverage_val a = kbs_get_coverage(KBS_GETARG_VARLENA(0));
	kbs_coverage_val b = kbs_get_coverage(KBS_GETARG_VARLENA(1));
	kbs_centry *out = palloc(sizeof(kbs_centry) * (a.n + b.n + 1));
	uint32_t	members;
	kbs_error	err;
	int			n;

	kbs_error_init(&err);
	n = kbs_coverage_add(a.e, a.n, a.members, b.e, b.n, b.members, out, &members, &err);
	if (n < 0)
		kbs_pg_raise(&err, "kbs.coverage");
	return kbs_coverage_datum(out, n, members);
}
