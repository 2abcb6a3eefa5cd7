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
 * The aggregate state. A deserialized partial state is only ever combined
 * into an accumulator, so it stays the stored kbs.coverage bytes that the
 * combine step adds in directly (kbs_accum_add_stored, which also checks
 * them), instead of a decoded coverage or a second accumulator.
 */
#define KBS_STATE_ACCUM 0x4b425341	/* "KBSA" */
#define KBS_STATE_PARTIAL 0x4b425350	/* "KBSP" */

typedef struct
{
	uint32		magic;
	kbs_accum  *acc;			/* KBS_STATE_ACCUM */
	size_t		len;			/* KBS_STATE_PARTIAL: bytes[0..len) */
	uint8		bytes[FLEXIBLE_ARRAY_MEMBER];
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
	agg_state  *st = MemoryContextAlloc(ctx, offsetof(agg_state, bytes));

	st->magic = KBS_STATE_ACCUM;
	st->len = 0;
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
		kbs_pg_check_state(st->magic, KBS_STATE_ACCUM, "kbs.coverage_agg");
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
	kbs_accum  *acc;
	bool		ok;

	/* only an accumulator takes rows (a partial state goes to combine and final) */
	kbs_pg_check_state(st->magic, KBS_STATE_ACCUM, "kbs.coverage_agg");
	acc = st->acc;

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

/* The accumulator's coverage as a kbs.coverage datum. */
static Datum
accum_coverage_datum(kbs_accum *acc)
{
	int			n = kbs_accum_entries_bound(acc);
	kbs_centry *e;

	/* a small bound sizes the buffer without a counting pass */
	if (n > 1024)
		n = kbs_accum_count_entries(acc);
	e = palloc(sizeof(kbs_centry) * (n + 1));
	n = kbs_accum_result(acc, e);
	return kbs_coverage_datum(e, n, kbs_accum_members(acc));
}

/*
 * A partial state that was never combined: added to a throwaway accumulator
 * (which checks it) so the result is canonical like any other.
 */
static Datum
partial_coverage_datum(agg_state *st)
{
	kbs_allocator a = {accum_alloc, accum_free, CurrentMemoryContext};
	kbs_accum  *acc = kbs_accum_create(&a);
	Datum		d;

	if (acc == NULL)
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
	if (!kbs_accum_add_stored(acc, st->bytes, st->len))
		accum_failed(acc);
	d = accum_coverage_datum(acc);
	kbs_accum_destroy(acc);
	return d;
}

/* Over zero rows: the empty coverage, as count() gives 0. */
Datum
kbs_sql_coverage_agg_finalfn(PG_FUNCTION_ARGS)
{
	agg_state  *st;

	if (PG_ARGISNULL(0))
		return kbs_coverage_datum(NULL, 0, 0);
	st = state_arg(fcinfo, 0);
	if (st->magic == KBS_STATE_PARTIAL)
		return partial_coverage_datum(st);
	return accum_coverage_datum(st->acc);
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
		/* the state lives in the aggregate's context: a partial never does */
		agg_state  *fresh = state_new(aggcontext);

		if (into != NULL && !kbs_accum_add_stored(fresh->acc, into->bytes, into->len))
			accum_failed(fresh->acc);
		into = fresh;
	}
	if (from->magic == KBS_STATE_PARTIAL)
		ok = kbs_accum_add_stored(into->acc, from->bytes, from->len);
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
	agg_state  *st = state_arg(fcinfo, 0);

	if (st->magic == KBS_STATE_PARTIAL)
	{
		uint8_t    *out;
		struct varlena *v = kbs_new_varlena(st->len, &out);

		memcpy(out, st->bytes, st->len);
		PG_RETURN_POINTER(v);
	}
	return accum_coverage_datum(st->acc);
}

/*
 * Only copied, not decoded: the combine step adds the bytes straight into
 * its accumulator and checks them there.
 */
Datum
kbs_sql_coverage_agg_deserialfn(PG_FUNCTION_ARGS)
{
	size_t		len;
	const uint8_t *buf = kbs_payload(KBS_GETARG_VARLENA(0), &len);
	agg_state  *st = palloc(offsetof(agg_state, bytes) + len);

	st->magic = KBS_STATE_PARTIAL;
	st->acc = NULL;
	st->len = len;
	memcpy(st->bytes, buf, len);
	PG_RETURN_POINTER(st);
}
