/*
 * libFuzzer target: kbs_requirement_parse. Accepted input must print to a
 * canonical text that parses back to the same entries and prints identically,
 * and must survive storage and wire round trips.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"

#define TEXT_MAX (KBS_MAX_ENTRIES * 21 + 3)

static kbs_rentry e1[KBS_MAX_ENTRIES], e2[KBS_MAX_ENTRIES], e3[KBS_MAX_ENTRIES];
static char t1[TEXT_MAX], t2[TEXT_MAX];
static uint8_t s1[1 + 7 * KBS_MAX_ENTRIES], s2[1 + 7 * KBS_MAX_ENTRIES], w1[5 + 8 * KBS_MAX_ENTRIES];

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	kbs_error err;
	size_t ts, ss, ws;
	int n, n2, n3, i;

	n = kbs_requirement_parse((const char *) data, size, e1, &err);
	if (n < 0)
	{
		check_syntax_error(&err, size);
		return 0;
	}
	CHECK(err.code == KBS_OK && n <= KBS_MAX_ENTRIES);
	for (i = 0; i < n; i++)
	{
		CHECK(e1[i].id >= 1 && e1[i].id <= KBS_MAX_BLOCK_ID);
		CHECK(e1[i].min_level >= 1 && e1[i].min_level <= 4);
		CHECK(e1[i].importance >= 1 && e1[i].importance <= 3);
		CHECK(e1[i].min_members <= KBS_MAX_MEMBERS);
		CHECK(i == 0 || e1[i - 1].id < e1[i].id);
	}

	ts = kbs_requirement_text_size(e1, n);
	CHECK(ts <= sizeof(t1));
	kbs_requirement_print(e1, n, t1);
	CHECK(strlen(t1) + 1 == ts);
	n2 = kbs_requirement_parse(t1, ts - 1, e2, &err);
	CHECK(test_requirement_equal(e1, n, e2, n2));
	kbs_requirement_print(e2, n2, t2);
	CHECK(strcmp(t1, t2) == 0);

	ss = kbs_requirement_storage_size(e1, n);
	CHECK(ss == kbs_requirement_storage_size(e2, n2) && ss <= sizeof(s1));
	kbs_requirement_store(e1, n, s1);
	kbs_requirement_store(e2, n2, s2);
	CHECK(memcmp(s1, s2, ss) == 0);
	n3 = kbs_requirement_load(s1, ss, e3, &err);
	CHECK(test_requirement_equal(e1, n, e3, n3));

	ws = kbs_requirement_wire_size(n);
	CHECK(ws <= sizeof(w1));
	kbs_requirement_wire_encode(e1, n, w1);
	n3 = kbs_requirement_wire_decode(w1, ws, e3, &err);
	CHECK(test_requirement_equal(e1, n, e3, n3));
	return 0;
}
