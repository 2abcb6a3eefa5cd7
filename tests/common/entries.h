/*
 * Comparing entry arrays of the three types field by field (the structs have
 * padding bytes, so memcmp will not do). Shared by the unit tests
 * (tests/unit/helpers.h) and the fuzz targets (tests/fuzz/fuzz_common.h).
 */
#ifndef KBS_TEST_ENTRIES_H
#define KBS_TEST_ENTRIES_H

#include <stdbool.h>

#include "kbs_core.h"

static inline bool
test_profile_equal(const kbs_pentry *a, int na, const kbs_pentry *b, int nb)
{
	if (na != nb)
		return false;
	for (int i = 0; i < na; i++)
		if (a[i].id != b[i].id || a[i].code != b[i].code)
			return false;
	return true;
}

static inline bool
test_requirement_equal(const kbs_rentry *a, int na, const kbs_rentry *b, int nb)
{
	if (na != nb)
		return false;
	for (int i = 0; i < na; i++)
		if (a[i].id != b[i].id || a[i].min_level != b[i].min_level ||
			a[i].importance != b[i].importance || a[i].min_members != b[i].min_members)
			return false;
	return true;
}

static inline bool
test_coverage_equal(const kbs_centry *a, int na, const kbs_centry *b, int nb)
{
	if (na != nb)
		return false;
	for (int i = 0; i < na; i++)
	{
		if (a[i].id != b[i].id)
			return false;
		for (int k = 0; k < KBS_NCOUNTS; k++)
			if (a[i].cnt[k] != b[i].cnt[k])
				return false;
	}
	return true;
}

#endif
