/* kbs.gaps, fulfilment, shortfall, gain, compose and person_gaps (docs/semantics.md §3). */
#include "kbs_pg.h"

#include "catalog/pg_type.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

#include "kbs_gaps.h"

PG_FUNCTION_INFO_V1(kbs_sql_gaps);
PG_FUNCTION_INFO_V1(kbs_sql_fulfilment);
PG_FUNCTION_INFO_V1(kbs_sql_shortfall);
PG_FUNCTION_INFO_V1(kbs_sql_gain);
PG_FUNCTION_INFO_V1(kbs_sql_compose);
PG_FUNCTION_INFO_V1(kbs_sql_person_gaps);

Datum
kbs_sql_gaps(PG_FUNCTION_ARGS)
{
	kbs_coverage_val c = kbs_get_coverage(KBS_GETARG_VARLENA(0));
	kbs_requirement_val r = kbs_get_requirement(KBS_GETARG_VARLENA(1));
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	kbs_gap_row *rows = palloc(sizeof(kbs_gap_row) * (r.n + 1));
	bool		legacy;

	InitMaterializedSRF(fcinfo, 0);

	/*
	 * Until ALTER EXTENSION UPDATE, an installation of 1.1 or older calls this
	 * library with the old result type: nine columns, no unassessed, and views
	 * that know no "unknown". Give it the old rows (a shortfall is a gap), not a
	 * tenth column it has no room for.
	 */
	legacy = rsinfo->setDesc->natts == 9;
	if (!legacy && rsinfo->setDesc->natts != 10)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("kbs.gaps is declared with %d result columns, expected 10", rsinfo->setDesc->natts),
				 errhint("Run ALTER EXTENSION kennisbouwstenen UPDATE.")));
	kbs_gaps(c.e, c.n, c.members, r.e, r.n, rows);
	for (int i = 0; i < r.n; i++)
	{
		Datum		values[10];
		bool		nulls[10] = {false};
		kbs_status	status = rows[i].status;

		values[0] = Int32GetDatum(rows[i].id);
		values[1] = Int16GetDatum(rows[i].min_level);
		if (rows[i].min_members == KBS_MIN_MEMBERS_ALL)
			nulls[2] = true;
		else
			values[2] = Int32GetDatum((int32) rows[i].min_members);
		values[3] = Int16GetDatum(rows[i].importance);
		/* Per-entry values fit an integer for every valid coverage (kbs_gaps.h). */
		values[4] = Int32GetDatum((int32) rows[i].needed);
		values[5] = Int32GetDatum((int32) rows[i].present);
		values[6] = Int32GetDatum((int32) rows[i].shortfall);
		values[7] = Int32GetDatum((int32) rows[i].spare);
		if (legacy)
		{
			if (status == KBS_STATUS_UNKNOWN)
				status = KBS_STATUS_GAP;
			values[8] = CStringGetTextDatum(kbs_status_name(status));
		}
		else
		{
			values[8] = Int32GetDatum((int32) rows[i].unassessed);
			values[9] = CStringGetTextDatum(kbs_status_name(status));
		}
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

Datum
kbs_sql_fulfilment(PG_FUNCTION_ARGS)
{
	kbs_coverage_val c = kbs_get_coverage(KBS_GETARG_VARLENA(0));
	kbs_requirement_val r = kbs_get_requirement(KBS_GETARG_VARLENA(1));

	PG_RETURN_FLOAT8(kbs_fulfilment(c.e, c.n, c.members, r.e, r.n));
}

Datum
kbs_sql_shortfall(PG_FUNCTION_ARGS)
{
	kbs_coverage_val c = kbs_get_coverage(KBS_GETARG_VARLENA(0));
	kbs_requirement_val r = kbs_get_requirement(KBS_GETARG_VARLENA(1));
	int64_t		s = kbs_shortfall(c.e, c.n, c.members, r.e, r.n);

	if (s > PG_INT32_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("shortfall %lld is out of range for type integer", (long long) s)));
	PG_RETURN_INT32((int32) s);
}

Datum
kbs_sql_gain(PG_FUNCTION_ARGS)
{
	kbs_coverage_val c = kbs_get_coverage(KBS_GETARG_VARLENA(0));
	kbs_requirement_val r = kbs_get_requirement(KBS_GETARG_VARLENA(1));
	kbs_profile_val p = kbs_get_profile(KBS_GETARG_VARLENA(2));

	PG_RETURN_INT32((int32) kbs_gain(c.e, c.n, c.members, r.e, r.n, p.e, p.n));
}

/* compose(coverage, requirement, candidates profile[], k) → 1-based indices in pick order. */
Datum
kbs_sql_compose(PG_FUNCTION_ARGS)
{
	kbs_coverage_val c = kbs_get_coverage(KBS_GETARG_VARLENA(0));
	kbs_requirement_val r = kbs_get_requirement(KBS_GETARG_VARLENA(1));
	ArrayType  *arr = PG_GETARG_ARRAYTYPE_P(2);
	int32		k = PG_GETARG_INT32(3);
	Datum	   *elems;
	bool	   *enulls;
	int			ncand;
	int16		typlen;
	bool		typbyval;
	char		typalign;
	const kbs_pentry **cand;
	int		   *cand_n;
	size_t		scratch_size;
	int		   *out;
	Datum	   *result;
	int			npicked;

	if (k < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("k must not be negative"),
				 errdetail("k is the largest number of candidates to pick.")));
	if (ARR_NDIM(arr) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("candidates must be a one-dimensional array")));
	get_typlenbyvalalign(ARR_ELEMTYPE(arr), &typlen, &typbyval, &typalign);
	deconstruct_array(arr, ARR_ELEMTYPE(arr), typlen, typbyval, typalign, &elems, &enulls, &ncand);
	cand = palloc(sizeof(kbs_pentry *) * (ncand + 1));
	cand_n = palloc(sizeof(int) * (ncand + 1));
	for (int i = 0; i < ncand; i++)
	{
		if (enulls[i])
		{
			/* A NULL candidate has nothing assessed: its gain is never positive. */
			cand[i] = NULL;
			cand_n[i] = 0;
		}
		else
		{
			kbs_profile_val p = kbs_get_profile((struct varlena *) PG_DETOAST_DATUM_PACKED(elems[i]));

			cand[i] = p.e;
			cand_n[i] = p.n;
		}
	}
	scratch_size = kbs_compose_scratch_size(r.n, cand_n, ncand);
	if (scratch_size == SIZE_MAX || scratch_size > MaxAllocSize)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many candidates for kbs.compose")));
	out = palloc(sizeof(int) * (Min(k, ncand) + 1));
	npicked = kbs_compose(c.e, c.n, c.members, r.e, r.n, cand, cand_n, ncand, k, palloc(scratch_size), out);
	result = palloc(sizeof(Datum) * (npicked + 1));
	for (int i = 0; i < npicked; i++)
		result[i] = Int32GetDatum(out[i]);
	PG_RETURN_ARRAYTYPE_P(construct_array(result, npicked, INT4OID, 4, true, TYPALIGN_INT));
}

/* person_gaps(profile, requirement) → the every-member entries this person misses. */
Datum
kbs_sql_person_gaps(PG_FUNCTION_ARGS)
{
	kbs_profile_val p = kbs_get_profile(KBS_GETARG_VARLENA(0));
	kbs_requirement_val r = kbs_get_requirement(KBS_GETARG_VARLENA(1));
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	kbs_person_gap *rows = palloc(sizeof(kbs_person_gap) * (r.n + 1));
	int			n = kbs_person_gaps(p.e, p.n, r.e, r.n, rows);

	InitMaterializedSRF(fcinfo, 0);
	for (int i = 0; i < n; i++)
	{
		Datum		values[4];
		bool		nulls[4] = {false};

		values[0] = Int32GetDatum(rows[i].id);
		values[1] = Int16GetDatum(rows[i].min_level);
		if (rows[i].level < 0)
			nulls[2] = true;
		else
			values[2] = Int16GetDatum(rows[i].level);
		values[3] = Int16GetDatum(rows[i].importance);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}
