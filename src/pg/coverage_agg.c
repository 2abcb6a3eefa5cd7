/*
 * kbs.coverage_agg(kbs.profile): the fast aggregate. Its state is the
 * bit-sliced accumulator of src/core/accum.c, serialized as a stored
 * kbs.coverage for parallel workers.
 */
#include "kbs_pg.h"

#include "utils/memutils.h"

#include "kbs_accum.h"

PG_FUNCTION_INFO_V1(kbs_sql_coverage_agg_transfn);
PG_FUNCTION_INFO_V1(kbs_sql_coverage_agg_finalfn);
PG_FUNCTION_INFO_V1(kbs_sql_coverage_agg_combinefn);
PG_FUNCTION_INFO_V1(kbs_sql_coverage_agg_serialfn);
PG_FUNCTION_INFO_V1(kbs_sql_coverage_agg_deserialfn);

/*
 * The aggregate state. A deserialized partial state is only ever the second
 * argument of the combine function, so it stays a decoded coverage that the
 * combine step adds in directly, instead of a second accumulator.
 */
#define KBS_STATE_ACCUM 0x4b425341	/* "KBSA" */
#define KBS_STATE_PARTIAL 0x4b425350	/* "KBSP" */

typedef struct
{
	uint32		magic;
	kbs_accum  *acc;			/* KBS_STATE_ACCUM */
	kbs_coverage_val partial;	/* KBS_STATE_PARTIAL */
} agg_state;

static void *
accum_alloc(void *ctx, size_t size)
{
	return MemoryContextAlloc((MemoryContext) ctx, size);
}

static void
accum_free(void *ctx, void *p)
{
	pfree(p);
}

static agg_state *
state_new(MemoryContext ctx)
{
	kbs_allocator a = {accum_alloc, accum_free, ctx};
	agg_state  *st = MemoryContextAlloc(ctx, sizeof(agg_state));

	st->magic = KBS_STATE_ACCUM;
	st->acc = kbs_accum_create(&a);
	if (st->acc == NULL)
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
	return st;
}

static agg_state *
state_arg(FunctionCallInfo fcinfo, int i)
{
	agg_state  *st = (agg_state *) PG_GETARG_POINTER(i);

	if (st->magic != KBS_STATE_ACCUM && st->magic != KBS_STATE_PARTIAL)
		elog(ERROR, "kbs.coverage_agg got a foreign state");
	return st;
}

static void
accum_failed(kbs_accum *acc)
{
	switch (kbs_accum_last_error(acc))
	{
		case KBS_ERR_RANGE:
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("coverage member count overflows"),
					 errdetail("A coverage holds at most %u members.", KBS_MAX_MEMBERS)));
			break;
		case KBS_ERR_NOMEM:
			ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
			break;
		case KBS_ERR_VALUE:
			ereport(ERROR,
					(errcode(ERRCODE_DATA_CORRUPTED),
					 errmsg("partial kbs.coverage_agg state is damaged")));
			break;
		default:
			ereport(ERROR,
					(errcode(ERRCODE_DATA_CORRUPTED),
					 errmsg("stored kbs.profile value is damaged")));
	}
}

static MemoryContext
agg_context(FunctionCallInfo fcinfo)
{
	MemoryContext aggcontext;

	if (!AggCheckCallContext(fcinfo, &aggcontext))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("kbs.coverage_agg called in a non-aggregate context")));
	return aggcontext;
}

/* A NULL profile is a member with nothing assessed. */
Datum
kbs_sql_coverage_agg_transfn(PG_FUNCTION_ARGS)
{
	agg_state  *st = PG_ARGISNULL(0) ? state_new(agg_context(fcinfo)) : (agg_state *) PG_GETARG_POINTER(0);
	kbs_accum  *acc = st->acc;
	bool		ok;

	if (PG_ARGISNULL(1))
		ok = kbs_accum_add_profile(acc, NULL, 0);
	else
	{
		size_t		len;
		const uint8_t *buf = kbs_payload(KBS_GETARG_VARLENA(1), &len);

		ok = kbs_accum_add_profile(acc, buf, len);
	}
	if (!ok)
		accum_failed(acc);
	PG_RETURN_POINTER(st);
}

static Datum
state_coverage_datum(agg_state *st)
{
	kbs_accum  *acc;

	int			n;
	kbs_centry *e;

	if (st->magic == KBS_STATE_PARTIAL)
		return kbs_coverage_datum(st->partial.e, st->partial.n, st->partial.members);
	acc = st->acc;
	n = kbs_accum_count_entries(acc);
	e = palloc(sizeof(kbs_centry) * (n + 1));
	n = kbs_accum_result(acc, e);
	return kbs_coverage_datum(e, n, kbs_accum_members(acc));
}

/* Over zero rows: the empty coverage, as count() gives 0. */
Datum
kbs_sql_coverage_agg_finalfn(PG_FUNCTION_ARGS)
{
	if (PG_ARGISNULL(0))
		return kbs_coverage_datum(NULL, 0, 0);
	return state_coverage_datum(state_arg(fcinfo, 0));
}

Datum
kbs_sql_coverage_agg_combinefn(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext = agg_context(fcinfo);
	agg_state  *into;
	agg_state  *from;
	bool		ok;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_POINTER(PG_GETARG_POINTER(0));
	}
	from = state_arg(fcinfo, 1);
	into = PG_ARGISNULL(0) ? NULL : state_arg(fcinfo, 0);
	if (into == NULL || into->magic != KBS_STATE_ACCUM)
	{
		agg_state  *fresh = state_new(aggcontext);

		if (into != NULL &&
			!kbs_accum_add_coverage(fresh->acc, into->partial.e, into->partial.n, into->partial.members))
			accum_failed(fresh->acc);
		into = fresh;
	}
	if (from->magic == KBS_STATE_PARTIAL)
		ok = kbs_accum_add_coverage(into->acc, from->partial.e, from->partial.n, from->partial.members);
	else
		ok = kbs_accum_merge(into->acc, from->acc);
	if (!ok)
		accum_failed(into->acc);
	PG_RETURN_POINTER(into);
}

/* The partial state travels as a stored kbs.coverage. */
Datum
kbs_sql_coverage_agg_serialfn(PG_FUNCTION_ARGS)
{
	return state_coverage_datum(state_arg(fcinfo, 0));
}

/* Decoded and validated only: the combine step adds it to its accumulator. */
Datum
kbs_sql_coverage_agg_deserialfn(PG_FUNCTION_ARGS)
{
	agg_state  *st = palloc(sizeof(agg_state));

	st->magic = KBS_STATE_PARTIAL;
	st->acc = NULL;
	st->partial = kbs_get_coverage(KBS_GETARG_VARLENA(0));
	PG_RETURN_POINTER(st);
}
