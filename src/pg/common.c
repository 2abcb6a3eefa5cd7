/* Shared fmgr glue: error mapping and datum construction. */
#include "kbs_pg.h"

#include "common/hashfn.h"
#include "utils/elog.h"
#include "utils/memutils.h"

PG_FUNCTION_INFO_V1(kbs_sql_canonical_eq);
PG_FUNCTION_INFO_V1(kbs_sql_canonical_ne);
PG_FUNCTION_INFO_V1(kbs_sql_canonical_hash);
PG_FUNCTION_INFO_V1(kbs_sql_canonical_hash_extended);

void
kbs_pg_raise(const kbs_error *err, const char *typname)
{
	const char *s = kbs_errcode_sqlstate(err->code);
	int			sqlstate = MAKE_SQLSTATE(s[0], s[1], s[2], s[3], s[4]);

	if (err->code == KBS_ERR_SYNTAX)
		ereport(ERROR,
				(errcode(sqlstate),
				 errmsg("invalid input syntax for type %s: %s", typname, err->msg),
				 err->detail[0] ? errdetail("%s", err->detail) : 0));
	else if (err->code == KBS_ERR_BINARY)
		ereport(ERROR,
				(errcode(sqlstate),
				 errmsg("invalid binary value for type %s: %s", typname, err->msg),
				 err->detail[0] ? errdetail("%s", err->detail) : 0));
	else
		ereport(ERROR,
				(errcode(sqlstate),
				 errmsg("%s", err->msg),
				 err->detail[0] ? errdetail("%s", err->detail) : 0));
	pg_unreachable();
}

void
kbs_pg_check_state(uint32 found, uint32 want, const char *fn)
{
	if (found != want)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("%s got the transition state of another aggregate", fn),
				 errdetail("An aggregate support function works only with the state of its own aggregate.")));
}

int
kbs_pg_check_block_id(int64 id)
{
	if (id < KBS_MIN_BLOCK_ID || id > KBS_MAX_BLOCK_ID)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("block id %lld is out of range", (long long) id),
				 errdetail("Block ids are between %d and %d.", KBS_MIN_BLOCK_ID, KBS_MAX_BLOCK_ID)));
	return (int) id;
}

struct varlena *
kbs_new_varlena(size_t size, uint8_t **payload)
{
	struct varlena *v;

	if (size > MaxAllocSize - VARHDRSZ)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("value too large")));
	v = (struct varlena *) palloc(VARHDRSZ + size);
	SET_VARSIZE(v, VARHDRSZ + size);
	*payload = (uint8_t *) VARDATA(v);
	return v;
}

kbs_profile_val
kbs_get_profile(struct varlena *v)
{
	kbs_profile_val r;
	kbs_error	err;
	size_t		len;
	const uint8_t *buf = kbs_payload(v, &len);

	kbs_error_init(&err);
	r.e = palloc(sizeof(kbs_pentry) * kbs_bound_stored_profile_entries(len));
	r.n = kbs_profile_load(buf, len, r.e, &err);
	if (r.n < 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("stored kbs.profile value is damaged: %s", err.msg)));
	return r;
}

kbs_requirement_val
kbs_get_requirement(struct varlena *v)
{
	kbs_requirement_val r;
	kbs_error	err;
	size_t		len;
	const uint8_t *buf = kbs_payload(v, &len);

	kbs_error_init(&err);
	r.e = palloc(sizeof(kbs_rentry) * kbs_bound_entries(len));
	r.n = kbs_requirement_load(buf, len, r.e, &err);
	if (r.n < 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("stored kbs.requirement value is damaged: %s", err.msg)));
	return r;
}

kbs_coverage_val
kbs_get_coverage(struct varlena *v)
{
	kbs_coverage_val r;
	kbs_error	err;
	size_t		len;
	const uint8_t *buf = kbs_payload(v, &len);

	kbs_error_init(&err);
	r.e = palloc(sizeof(kbs_centry) * kbs_bound_stored_coverage_entries(len));
	r.n = kbs_coverage_load(buf, len, r.e, &r.members, &err);
	if (r.n < 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("stored kbs.coverage value is damaged: %s", err.msg)));
	return r;
}

Datum
kbs_profile_datum(const kbs_pentry *e, int n)
{
	uint8_t    *out;
	struct varlena *v = kbs_new_varlena(kbs_profile_storage_size(e, n), &out);

	kbs_profile_store(e, n, out);
	PG_RETURN_POINTER(v);
}

Datum
kbs_requirement_datum(const kbs_rentry *e, int n)
{
	uint8_t    *out;
	struct varlena *v = kbs_new_varlena(kbs_requirement_storage_size(e, n), &out);

	kbs_requirement_store(e, n, out);
	PG_RETURN_POINTER(v);
}

Datum
kbs_coverage_datum(const kbs_centry *e, int n, uint32_t members)
{
	uint8_t    *out;
	struct varlena *v = kbs_new_varlena(kbs_coverage_storage_size(e, n, members), &out);

	kbs_coverage_store(e, n, members, out);
	PG_RETURN_POINTER(v);
}

/*
 * Equality and hashing of all three types: every value has exactly one
 * stored form, so byte equality is value equality.
 */
static bool
payload_equal(struct varlena *a, struct varlena *b)
{
	size_t		la,
				lb;
	const uint8_t *pa = kbs_payload(a, &la);
	const uint8_t *pb = kbs_payload(b, &lb);

	return la == lb && memcmp(pa, pb, la) == 0;
}

Datum
kbs_sql_canonical_eq(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(payload_equal(KBS_GETARG_VARLENA(0), KBS_GETARG_VARLENA(1)));
}

Datum
kbs_sql_canonical_ne(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(!payload_equal(KBS_GETARG_VARLENA(0), KBS_GETARG_VARLENA(1)));
}

Datum
kbs_sql_canonical_hash(PG_FUNCTION_ARGS)
{
	size_t		len;
	const uint8_t *buf = kbs_payload(KBS_GETARG_VARLENA(0), &len);

	return hash_any(buf, (int) len);
}

Datum
kbs_sql_canonical_hash_extended(PG_FUNCTION_ARGS)
{
	size_t		len;
	const uint8_t *buf = kbs_payload(KBS_GETARG_VARLENA(0), &len);

	return hash_any_extended(buf, (int) len, PG_GETARG_INT64(1));
}
