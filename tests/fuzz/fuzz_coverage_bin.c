/*
 * libFuzzer target: kbs_coverage_wire_decode and kbs_coverage_load on the
 * same bytes. Accepted input must re-encode to exactly the input and survive
 * the other encodings; adding it to itself must stay valid or overflow
 * cleanly.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"

#define STORE_MAX (9 + 26 * KBS_MAX_ENTRIES)

static kbs_centry e1[KBS_MAX_ENTRIES], e2[KBS_MAX_ENTRIES];
static char t1[KBS_MAX_ENTRIES * 72 + 16];
static uint8_t b1[STORE_MAX];

static void
check_value(const kbs_centry *e, int n, uint32_t members)
{
	kbs_error err;
	uint32_t m2;
	size_t ts;
	int m, i, k;

	for (i = 0; i < n; i++)
	{
		uint64_t sum = 0;

		CHECK(e[i].id >= 1 && e[i].id <= KBS_MAX_BLOCK_ID);
		CHECK(i == 0 || e[i - 1].id < e[i].id);
		for (k = 0; k < KBS_NCOUNTS; k++)
			sum += e[i].cnt[k];
		CHECK(sum > 0 && sum <= members);
	}
	ts = kbs_coverage_text_size(e, n, members);
	kbs_coverage_print(e, n, members, t1);
	CHECK(strlen(t1) + 1 == ts);
	m = kbs_coverage_parse(t1, ts - 1, e2, &m2, &err);
	CHECK(m2 == members && test_coverage_equal(e, n, e2, m));

	kbs_coverage_store(e, n, members, b1);
	m = kbs_coverage_load(b1, kbs_coverage_storage_size(e, n, members), e2, &m2, &err);
	CHECK(m2 == members && test_coverage_equal(e, n, e2, m));

	kbs_coverage_wire_encode(e, n, members, b1);
	m = kbs_coverage_wire_decode(b1, kbs_coverage_wire_size(n), e2, &m2, &err);
	CHECK(m2 == members && test_coverage_equal(e, n, e2, m));

	/* c + c doubles every count, or reports the overflow */
	m = kbs_coverage_add(e, n, members, e, n, members, e2, &m2, &err);
	if (m < 0)
		CHECK(err.code == KBS_ERR_RANGE && (uint64_t) members * 2 > KBS_MAX_MEMBERS);
	else
	{
		CHECK(m == n && m2 == members * 2);
		for (i = 0; i < n; i++)
			for (k = 0; k < KBS_NCOUNTS; k++)
				CHECK(e2[i].cnt[k] == e[i].cnt[k] * 2);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	kbs_error err;
	uint32_t members;
	int n;

	n = kbs_coverage_wire_decode(data, size, e1, &members, &err);
	if (n >= 0)
	{
		CHECK(kbs_coverage_wire_size(n) == size);
		kbs_coverage_wire_encode(e1, n, members, b1);
		CHECK(memcmp(b1, data, size) == 0);
		check_value(e1, n, members);
	}
	else
		CHECK(err.code == KBS_ERR_BINARY && err.msg[0] != '\0');

	n = kbs_coverage_load(data, size, e1, &members, &err);
	if (n >= 0)
	{
		CHECK(kbs_coverage_storage_size(e1, n, members) == size);
		kbs_coverage_store(e1, n, members, b1);
		CHECK(memcmp(b1, data, size) == 0);
		CHECK(kbs_coverage_stored_members(data, size) == members);
		check_value(e1, n, members);
	}
	else
		CHECK(err.code == KBS_ERR_BINARY && err.msg[0] != '\0');
	return 0;
}
