/* kbs.requirement: type I/O, comparison, entries and kbs.requirement_agg. */
#include "kbs_pg.h"

#include "common/hashfn.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"

PG_FUNCTION_INFO_V1(kbs_sql_requirement_in);
PG_FUNCTION_INFO_V1(kbs_sql_requirement_out);
PG_FUNCTION_INFO_V1(kbs_sql_requirement_recv);
PG_FUNCTION_INFO_V1(kbs_sql_requirement_send);
PG_FUNCTION_INFO_V1(kbs_sql_requirement_entries);
PG_FUNCTION_INFO_V1(kbs_sql_requirement_agg_transfn);
PG_FUNCTION_INFO_V1(kbs_sql_requirement_agg_finalfn);

Datum
kbs_sql_requirement_in(PG_FUNCTION_ARGS)
{
	const char *s = PG_GETARG_CSTRING(0);
	size_t		len = strlen(s);
	kbs_rentry *e = palloc(sizeof(kbs_rentry) * kbs_bound_entries(len));
	kbs_error	err;
	int			n;

	kbs_error_init(&err);
	n = kbs_requirement_parse(s, len, e, &err);
	if (n < 0)
		kbs_pg_raise(&err, "kbs.requirement");
	return kbs_requirement_datum(e, n);
}

Datum
kbs_sql_requirement_out(PG_FUNCTION_ARGS)
{
	kbs_requirement_val r = kbs_get_requirement(KBS_GETARG_VARLENA(0));
	char	   *buf = palloc(kbs_requirement_text_size(r.e, r.n));

	kbs_requirement_print(r.e, r.n, buf);
	PG_RETURN_CSTRING(buf);
}

Datum
kbs_sql_requirement_recv(PG_FUNCTION_ARGS)
{
	StringInfo	msg = (StringInfo) PG_GETARG_POINTER(0);
	size_t		len = msg->len - msg->cursor;
	const uint8_t *buf = (const uint8_t *) msg->data + msg->cursor;
	kbs_rentry *e = palloc(sizeof(kbs_rentry) * kbs_bound_entries(len));
	kbs_error	err;
	int			n;

	kbs_error_init(&err);
	n = kbs_requirement_wire_decode(buf, len, e, &err);
	if (n < 0)
		kbs_pg_raise(&err, "kbs.requirement");
	msg->cursor = msg->len;
	return kbs_requirement_datum(e, n);
}

Datum
kbs_sql_requirement_send(PG_FUNCTION_ARGS)
{
	kbs_requirement_val r = kbs_get_requirement(KBS_GETARG_VARLENA(0));
	uint8_t    *out;
	struct varlena *v = kbs_new_varlena(kbs_requirement_wire_size(r.n), &out);

	kbs_requirement_wire_encode(r.e, r.n, out);
	PG_RETURN_BYTEA_P(v);
}

/* kbs.entries(requirement) → (block_id, min_level, min_members, every_member, importance). */
Datum
kbs_sql_requirement_entries(PG_FUNCTION_ARGS)
{
	kbs_requirement_val r = kbs_get_requirement(KBS_GETARG_VARLENA(0));
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;

	InitMaterializedSRF(fcinfo, 0);
	for (int i = 0; i < r.n; i++)
	{
		Datum		values[5];
		bool		nulls[5] = {false, false, false, false, false};

		values[0] = Int32GetDatum(r.e[i].id);
		values[1] = Int16GetDatum(r.e[i].min_level);
		if (r.e[i].min_members == KBS_MIN_MEMBERS_ALL)
			nulls[2] = true;
		else
			values[2] = Int32GetDatum((int32) r.e[i].min_members);
		values[3] = BoolGetDatum(r.e[i].min_members == KBS_MIN_MEMBERS_ALL);
		values[4] = Int16GetDatum(r.e[i].importance);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

typedef struct
{
	uint32		magic;			/* KBS_STATE_REQUIREMENT_AGG */
	int			n;
	int			cap;
	kbs_rentry *e;
} requirement_agg_state;

/* (state, block_id, min_level, min_members[, importance]); NULL min_members = every member. */
Datum
kbs_sql_requirement_agg_transfn(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext;
	requirement_agg_state *st;
	int32		id,
				level,
				members,
				importance = KBS_DEFAULT_IMPORTANCE;

	if (!AggCheckCallContext(fcinfo, &aggcontext))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("kbs.requirement_agg called in a non-aggregate context")));
	if (PG_ARGISNULL(0))
	{
		st = MemoryContextAlloc(aggcontext, sizeof(requirement_agg_state));
		st->magic = KBS_STATE_REQUIREMENT_AGG;
		st->n = 0;
		st->cap = 16;
		st->e = MemoryContextAlloc(aggcontext, sizeof(kbs_rentry) * st->cap);
	}
	else
	{
		st = (requirement_agg_state *) PG_GETARG_POINTER(0);
		kbs_pg_check_state(st->magic, KBS_STATE_REQUIREMENT_AGG, "kbs.requirement_agg");
	}

	if (PG_ARGISNULL(1))
		PG_RETURN_POINTER(st);
	id = kbs_pg_check_block_id(PG_GETARG_INT32(1));
	if (PG_ARGISNULL(2))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("min_level of block %d is null", id)));
	level = PG_GETARG_INT32(2);
	if (level < 1 || level > 4)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("min_level %d of block %d is out of range", level, id),
				 errdetail("A required level is 1 to 4.")));
	if (PG_ARGISNULL(3))
		members = KBS_MIN_MEMBERS_ALL;
	else
	{
		members = PG_GETARG_INT32(3);
		if (members < 1)
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("min_members %d of block %d is out of range", members, id),
					 errdetail("min_members is at least 1, or NULL for every member.")));
	}
	if (PG_NARGS() > 4 && !PG_ARGISNULL(4))
	{
		importance = PG_GETARG_INT32(4);
		if (importance < 1 || importance > 3)
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("importance %d of block %d is out of range", importance, id),
					 errdetail("Importance is 1 (low), 2 (normal) or 3 (high).")));
	}
	if (st->n == st->cap)
	{
		if (st->cap > KBS_MAX_ENTRIES)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("kbs.requirement_agg got more entries than there are block ids"),
					 errdetail("At least one block appears twice.")));
		st->cap *= 2;
		st->e = repalloc(st->e, sizeof(kbs_rentry) * st->cap);
	}
	st->e[st->n].id = (uint16_t) id;
	st->e[st->n].min_level = (uint8_t) level;
	st->e[st->n].min_members = (uint32_t) members;
	st->e[st->n].importance = (uint8_t) importance;
	st->n++;
	PG_RETURN_POINTER(st);
}

Datum
kbs_sql_requirement_agg_finalfn(PG_FUNCTION_ARGS)
{
	requirement_agg_state *st;
	kbs_error	err;
	int			n;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	st = (requirement_agg_state *) PG_GETARG_POINTER(0);
	kbs_pg_check_state(st->magic, KBS_STATE_REQUIREMENT_AGG, "kbs.requirement_agg_finalfn");
	kbs_error_init(&err);
	n = kbs_requirement_normalize(st->e, st->n, &err);
	if (n < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s in kbs.requirement_agg", err.msg),
				 errhint("A requirement holds each block once.")));
	return kbs_requirement_datum(st->e, n);
}
