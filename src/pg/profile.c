/* kbs.profile: type I/O, comparison, accessors, merge, raise and kbs.profile_agg. */
#include "kbs_pg.h"

#include "common/hashfn.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"

PG_FUNCTION_INFO_V1(kbs_sql_profile_in);
PG_FUNCTION_INFO_V1(kbs_sql_profile_out);
PG_FUNCTION_INFO_V1(kbs_sql_profile_recv);
PG_FUNCTION_INFO_V1(kbs_sql_profile_send);
PG_FUNCTION_INFO_V1(kbs_sql_profile_cmp);
PG_FUNCTION_INFO_V1(kbs_sql_profile_level);
PG_FUNCTION_INFO_V1(kbs_sql_profile_entries);
PG_FUNCTION_INFO_V1(kbs_sql_profile_merge_max);
PG_FUNCTION_INFO_V1(kbs_sql_profile_raise_level);
PG_FUNCTION_INFO_V1(kbs_sql_profile_size);
PG_FUNCTION_INFO_V1(kbs_sql_profile_agg_transfn);
PG_FUNCTION_INFO_V1(kbs_sql_profile_agg_text_transfn);
PG_FUNCTION_INFO_V1(kbs_sql_profile_agg_finalfn);

Datum
kbs_sql_profile_in(PG_FUNCTION_ARGS)
{
	const char *s = PG_GETARG_CSTRING(0);
	size_t		len = strlen(s);
	kbs_pentry *e = palloc(sizeof(kbs_pentry) * kbs_bound_entries(len));
	kbs_error	err;
	int			n;

	kbs_error_init(&err);
	n = kbs_profile_parse(s, len, e, &err);
	if (n < 0)
		kbs_pg_raise(&err, "kbs.profile");
	return kbs_profile_datum(e, n);
}

Datum
kbs_sql_profile_out(PG_FUNCTION_ARGS)
{
	kbs_profile_val p = kbs_get_profile(KBS_GETARG_VARLENA(0));
	char	   *buf = palloc(kbs_profile_text_size(p.e, p.n));

	kbs_profile_print(p.e, p.n, buf);
	PG_RETURN_CSTRING(buf);
}

Datum
kbs_sql_profile_recv(PG_FUNCTION_ARGS)
{
	StringInfo	msg = (StringInfo) PG_GETARG_POINTER(0);
	size_t		len = msg->len - msg->cursor;
	const uint8_t *buf = (const uint8_t *) msg->data + msg->cursor;
	kbs_pentry *e = palloc(sizeof(kbs_pentry) * kbs_bound_entries(len));
	kbs_error	err;
	int			n;

	kbs_error_init(&err);
	n = kbs_profile_wire_decode(buf, len, e, &err);
	if (n < 0)
		kbs_pg_raise(&err, "kbs.profile");
	msg->cursor = msg->len;
	return kbs_profile_datum(e, n);
}

Datum
kbs_sql_profile_send(PG_FUNCTION_ARGS)
{
	kbs_profile_val p = kbs_get_profile(KBS_GETARG_VARLENA(0));
	uint8_t    *out;
	struct varlena *v = kbs_new_varlena(kbs_profile_wire_size(p.n), &out);

	kbs_profile_wire_encode(p.e, p.n, out);
	PG_RETURN_BYTEA_P(v);
}

/* Total order for sorting and btree: entries compared as (id, code) sequences. */
Datum
kbs_sql_profile_cmp(PG_FUNCTION_ARGS)
{
	kbs_profile_val a = kbs_get_profile(KBS_GETARG_VARLENA(0));
	kbs_profile_val b = kbs_get_profile(KBS_GETARG_VARLENA(1));
	int			i;

	for (i = 0; i < a.n && i < b.n; i++)
	{
		if (a.e[i].id != b.e[i].id)
			PG_RETURN_INT32(a.e[i].id < b.e[i].id ? -1 : 1);
		if (a.e[i].code != b.e[i].code)
			PG_RETURN_INT32(a.e[i].code < b.e[i].code ? -1 : 1);
	}
	PG_RETURN_INT32(a.n == b.n ? 0 : (a.n < b.n ? -1 : 1));
}

static int
check_level(int64 level)
{
	if (level < 0 || level > 4)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("level %lld is out of range", (long long) level),
				 errdetail("Levels are 0 to 4; use na for not applicable.")));
	return (int) level;
}

/* kbs.level(profile, block): NULL when not assessed or na. */
Datum
kbs_sql_profile_level(PG_FUNCTION_ARGS)
{
	struct varlena *v = KBS_GETARG_VARLENA(0);
	int32		id = PG_GETARG_INT32(1);
	kbs_profile_val p;
	int			level;

	if (id < KBS_MIN_BLOCK_ID || id > KBS_MAX_BLOCK_ID)
		PG_RETURN_NULL();
	p = kbs_get_profile(v);
	level = kbs_profile_level(p.e, p.n, id);
	if (level < 0)
		PG_RETURN_NULL();
	PG_RETURN_INT16((int16) level);
}

/* kbs.entries(profile) → (block_id, level, applicable); na has level NULL. */
Datum
kbs_sql_profile_entries(PG_FUNCTION_ARGS)
{
	kbs_profile_val p = kbs_get_profile(KBS_GETARG_VARLENA(0));
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;

	InitMaterializedSRF(fcinfo, 0);
	for (int i = 0; i < p.n; i++)
	{
		Datum		values[3];
		bool		nulls[3] = {false, false, false};
		int			level = kbs_level_from_code(p.e[i].code);

		values[0] = Int32GetDatum(p.e[i].id);
		if (level < 0)
			nulls[1] = true;
		else
			values[1] = Int16GetDatum((int16) level);
		values[2] = BoolGetDatum(p.e[i].code != KBS_CODE_NA);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

Datum
kbs_sql_profile_merge_max(PG_FUNCTION_ARGS)
{
	kbs_profile_val a = kbs_get_profile(KBS_GETARG_VARLENA(0));
	kbs_profile_val b = kbs_get_profile(KBS_GETARG_VARLENA(1));
	kbs_pentry *out = palloc(sizeof(kbs_pentry) * (a.n + b.n + 1));
	int			n = kbs_profile_merge_max(a.e, a.n, b.e, b.n, out);

	return kbs_profile_datum(out, n);
}

/* kbs.raise(profile, block, level): the block at least at level (a training forecast). */
Datum
kbs_sql_profile_raise_level(PG_FUNCTION_ARGS)
{
	kbs_profile_val p = kbs_get_profile(KBS_GETARG_VARLENA(0));
	int			id = kbs_pg_check_block_id(PG_GETARG_INT32(1));
	int			level = check_level(PG_GETARG_INT32(2));
	kbs_pentry *out = palloc(sizeof(kbs_pentry) * (p.n + 1));
	int			n = kbs_profile_raise(p.e, p.n, id, level, out);

	return kbs_profile_datum(out, n);
}

/* Number of entries (assessed blocks, na included). */
Datum
kbs_sql_profile_size(PG_FUNCTION_ARGS)
{
	kbs_profile_val p = kbs_get_profile(KBS_GETARG_VARLENA(0));

	PG_RETURN_INT32(p.n);
}

/* kbs.profile_agg: collects entries, then sorts and rejects duplicates. */
typedef struct
{
	uint32		magic;			/* KBS_STATE_PROFILE_AGG */
	int			n;
	int			cap;
	kbs_pentry *e;
} profile_agg_state;

static profile_agg_state *
profile_agg_state_get(FunctionCallInfo fcinfo)
{
	MemoryContext aggcontext;
	profile_agg_state *st;

	if (!AggCheckCallContext(fcinfo, &aggcontext))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("kbs.profile_agg called in a non-aggregate context")));
	if (!PG_ARGISNULL(0))
	{
		st = (profile_agg_state *) PG_GETARG_POINTER(0);
		kbs_pg_check_state(st->magic, KBS_STATE_PROFILE_AGG, "kbs.profile_agg");
		return st;
	}
	st = MemoryContextAlloc(aggcontext, sizeof(profile_agg_state));
	st->magic = KBS_STATE_PROFILE_AGG;
	st->n = 0;
	st->cap = 32;
	st->e = MemoryContextAlloc(aggcontext, sizeof(kbs_pentry) * st->cap);
	return st;
}

static void
profile_agg_add(profile_agg_state *st, int id, uint8_t code)
{
	if (st->n == st->cap)
	{
		/* More entries than ids can only mean a duplicate: report it at the end. */
		if (st->cap > KBS_MAX_ENTRIES)
		{
			kbs_error	err;

			kbs_error_init(&err);
			if (kbs_profile_normalize(st->e, st->n, &err) < 0)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("%s in kbs.profile_agg", err.msg)));
		}
		st->cap *= 2;
		st->e = repalloc(st->e, sizeof(kbs_pentry) * st->cap);
	}
	st->e[st->n].id = (uint16_t) id;
	st->e[st->n].code = code;
	st->n++;
}

Datum
kbs_sql_profile_agg_transfn(PG_FUNCTION_ARGS)
{
	profile_agg_state *st = profile_agg_state_get(fcinfo);

	if (!PG_ARGISNULL(1) && !PG_ARGISNULL(2))
	{
		int			id = kbs_pg_check_block_id(PG_GETARG_INT32(1));
		int			level = check_level(PG_GETARG_INT32(2));

		profile_agg_add(st, id, kbs_code_from_level(level));
	}
	PG_RETURN_POINTER(st);
}

Datum
kbs_sql_profile_agg_text_transfn(PG_FUNCTION_ARGS)
{
	profile_agg_state *st = profile_agg_state_get(fcinfo);

	if (!PG_ARGISNULL(1) && !PG_ARGISNULL(2))
	{
		int			id = kbs_pg_check_block_id(PG_GETARG_INT32(1));
		char	   *s = text_to_cstring(PG_GETARG_TEXT_PP(2));
		int			code = kbs_level_token(s, strlen(s));

		if (code == 0)
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("level %s is out of range", s),
					 errdetail("Levels are 0 to 4; use na for not applicable.")));
		if (code < 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid level \"%s\" for block %d", s, id),
					 errhint("Use 0, 1, 2, 3, 4 or na.")));
		profile_agg_add(st, id, (uint8_t) code);
	}
	PG_RETURN_POINTER(st);
}

Datum
kbs_sql_profile_agg_finalfn(PG_FUNCTION_ARGS)
{
	profile_agg_state *st;
	kbs_error	err;
	int			n;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	st = (profile_agg_state *) PG_GETARG_POINTER(0);
	kbs_pg_check_state(st->magic, KBS_STATE_PROFILE_AGG, "kbs.profile_agg_finalfn");
	kbs_error_init(&err);
	/* Sorts in place; the state may be finalized again (window frames), which is harmless. */
	n = kbs_profile_normalize(st->e, st->n, &err);
	if (n < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s in kbs.profile_agg", err.msg),
				 errhint("A profile holds each block once; aggregate one assessment per group.")));
	return kbs_profile_datum(st->e, n);
}
