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

static kbs_accum *
accum_new(MemoryContext ctx)
{
	kbs_allocator a = {accum_alloc, accum_free, ctx};
	kbs_accum  *acc = kbs_accum_create(&a);

	if (acc == NULL)
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
	return acc;
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
	kbs_accum  *acc = PG_ARGISNULL(0) ? accum_new(agg_context(fcinfo)) : (kbs_accum *) PG_GETARG_POINTER(0);
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
	PG_RETURN_POINTER(acc);
}

static Datum
accum_coverage_datum(kbs_accum *acc)
{
	int			n = kbs_accum_count_entries(acc);
	kbs_centry *e = palloc(sizeof(kbs_centry) * (n + 1));

	n = kbs_accum_result(acc, e);
	return kbs_coverage_datum(e, n, kbs_accum_members(acc));
}

/* Over zero rows: the empty coverage, as count() gives 0. */
Datum
kbs_sql_coverage_agg_finalfn(PG_FUNCTION_ARGS)
{
	if (PG_ARGISNULL(0))
		return kbs_coverage_datum(NULL, 0, 0);
	return accum_coverage_datum((kbs_accum *) PG_GETARG_POINTER(0));
}

Datum
kbs_sql_coverage_agg_combinefn(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext = agg_context(fcinfo);
	kbs_accum  *into;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_POINTER(PG_GETARG_POINTER(0));
	}
	into = PG_ARGISNULL(0) ? accum_new(aggcontext) : (kbs_accum *) PG_GETARG_POINTER(0);
	if (!kbs_accum_merge(into, (kbs_accum *) PG_GETARG_POINTER(1)))
		accum_failed(into);
	PG_RETURN_POINTER(into);
}

/* The partial state travels as a stored kbs.coverage. */
Datum
kbs_sql_coverage_agg_serialfn(PG_FUNCTION_ARGS)
{
	return accum_coverage_datum((kbs_accum *) PG_GETARG_POINTER(0));
}

Datum
kbs_sql_coverage_agg_deserialfn(PG_FUNCTION_ARGS)
{
	kbs_coverage_val c = kbs_get_coverage(KBS_GETARG_VARLENA(0));
	kbs_accum  *acc = accum_new(CurrentMemoryContext);

	if (!kbs_accum_add_coverage(acc, c.e, c.n, c.members))
		accum_failed(acc);
	PG_RETURN_POINTER(acc);
}
