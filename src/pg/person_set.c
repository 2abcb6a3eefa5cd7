/*
 * kbs.person_set_distance(jsonb, jsonb): in how many persons two person sets
 * ({"professional id": assessment id or "removed"}) differ — keys in one set
 * only, or in both with different values. Publication decisions
 * (kbs.publication_decide) compare every cell with every set published before,
 * so this is called once per pair: glue over PostgreSQL's jsonb, one binary
 * search in b per key of a.
 */
#include "kbs_pg.h"

#include "utils/fmgrprotos.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"

PG_FUNCTION_INFO_V1(kbs_sql_person_set_distance);

static void
check_person_set(Jsonb *j)
{
	if (JB_ROOT_IS_SCALAR(j) || !JB_ROOT_IS_OBJECT(j))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a person set must be a jsonb object"),
				 errdetail("A person set maps professional ids to assessment ids, as kbs.person_set returns it.")));
}

/* jsonb equality of two values, as jsonb's = compares them. */
static bool
values_equal(JsonbValue *a, JsonbValue *b)
{
	if (a->type != b->type)
		return false;
	switch (a->type)
	{
		case jbvNull:
			return true;
		case jbvBool:
			return a->val.boolean == b->val.boolean;
		case jbvString:
			return a->val.string.len == b->val.string.len &&
				memcmp(a->val.string.val, b->val.string.val, a->val.string.len) == 0;
		case jbvNumeric:
			return DatumGetBool(DirectFunctionCall2(numeric_eq, NumericGetDatum(a->val.numeric),
													NumericGetDatum(b->val.numeric)));
		case jbvBinary:
			return compareJsonbContainers(a->val.binary.data, b->val.binary.data) == 0;
		default:
			return false;
	}
}

Datum
kbs_sql_person_set_distance(PG_FUNCTION_ARGS)
{
	Jsonb	   *a = PG_GETARG_JSONB_P(0);
	Jsonb	   *b = PG_GETARG_JSONB_P(1);
	JsonbIterator *it;
	JsonbValue	key;
	JsonbValue	val;
	JsonbValue	found;
	JsonbIteratorToken tok;
	int64		common = 0;
	int64		equal = 0;

	check_person_set(a);
	check_person_set(b);
	it = JsonbIteratorInit(&a->root);
	while ((tok = JsonbIteratorNext(&it, &key, true)) != WJB_DONE)
	{
		if (tok != WJB_KEY)
			continue;
		tok = JsonbIteratorNext(&it, &val, true);
		Assert(tok == WJB_VALUE);
		if (getKeyJsonValueFromContainer(&b->root, key.val.string.val, key.val.string.len, &found) != NULL)
		{
			common++;
			if (values_equal(&val, &found))
				equal++;
		}
	}
	/* keys in either set, less those with the same value in both */
	PG_RETURN_INT32((int32) ((int64) JB_ROOT_COUNT(a) + JB_ROOT_COUNT(b) - common - equal));
}
