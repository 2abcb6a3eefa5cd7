/*
 * libFuzzer target: kbs_coverage_parse. Accepted input must print to a
 * canonical text that parses back to the same value and prints identically,
 * and must survive storage and wire round trips.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"

#define TEXT_MAX (KBS_MAX_ENTRIES * 72 + 16)
#define STORE_MAX (9 + 26 * KBS_MAX_ENTRIES)

static kbs_centry e1[KBS_MAX_ENTRIES], e2[KBS_MAX_ENTRIES], e3[KBS_MAX_ENTRIES];
static char t1[TEXT_MAX], t2[TEXT_MAX];
static uint8_t s1[STORE_MAX], s2[STORE_MAX], w1[9 + 26 * KBS_MAX_ENTRIES];

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	kbs_error err;
	uint32_t m1, m2, m3;
	size_t ts, ss, ws;
	int n, n2, n3, i, k;

	n = kbs_coverage_parse((const char *) data, size, e1, &m1, &err);
	if (n < 0)
	{
		check_syntax_error(&err, size);
		return 0;
	}
	CHECK(err.code == KBS_OK && n <= KBS_MAX_ENTRIES && m1 <= KBS_MAX_MEMBERS);
	for (i = 0; i < n; i++)
	{
		uint64_t sum = 0;

		CHECK(e1[i].id >= 1 && e1[i].id <= KBS_MAX_BLOCK_ID);
		CHECK(i == 0 || e1[i - 1].id < e1[i].id);
		for (k = 0; k < KBS_NCOUNTS; k++)
			sum += e1[i].cnt[k];
		CHECK(sum > 0 && sum <= m1);
	}

	ts = kbs_coverage_text_size(e1, n, m1);
	CHECK(ts <= sizeof(t1));
	kbs_coverage_print(e1, n, m1, t1);
	CHECK(strlen(t1) + 1 == ts);
	n2 = kbs_coverage_parse(t1, ts - 1, e2, &m2, &err);
	CHECK(n2 == n && m2 == m1);
	CHECK(test_coverage_equal(e1, n, e2, n2));
	kbs_coverage_print(e2, n2, m2, t2);
	CHECK(strcmp(t1, t2) == 0);

	ss = kbs_coverage_storage_size(e1, n, m1);
	CHECK(ss == kbs_coverage_storage_size(e2, n2, m2) && ss <= sizeof(s1));
	kbs_coverage_store(e1, n, m1, s1);
	kbs_coverage_store(e2, n2, m2, s2);
	CHECK(memcmp(s1, s2, ss) == 0);
	n3 = kbs_coverage_load(s1, ss, e3, &m3, &err);
	CHECK(n3 == n && m3 == m1);
	CHECK(test_coverage_equal(e1, n, e3, n3));
	CHECK(kbs_coverage_stored_members(s1, ss) == m1);

	ws = kbs_coverage_wire_size(n);
	CHECK(ws <= sizeof(w1));
	kbs_coverage_wire_encode(e1, n, m1, w1);
	n3 = kbs_coverage_wire_decode(w1, ws, e3, &m3, &err);
	CHECK(n3 == n && m3 == m1);
	CHECK(test_coverage_equal(e1, n, e3, n3));
	return 0;
}
