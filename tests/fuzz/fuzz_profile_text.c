/*
 * libFuzzer target: kbs_profile_parse. Whatever it accepts must print to a
 * canonical text that parses back to the same entries and prints identically,
 * and must survive storage and wire round trips byte for byte.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"

static kbs_pentry e1[KBS_MAX_ENTRIES], e2[KBS_MAX_ENTRIES], e3[KBS_MAX_ENTRIES];
static char t1[KBS_MAX_ENTRIES * 9 + 3], t2[KBS_MAX_ENTRIES * 9 + 3];
static uint8_t s1[2 + 3 * KBS_MAX_ENTRIES], s2[2 + 3 * KBS_MAX_ENTRIES], w1[5 + 3 * KBS_MAX_ENTRIES];

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	kbs_error err;
	size_t ts, ss, ws;
	int n, n2, n3, i;

	n = kbs_profile_parse((const char *) data, size, e1, &err);
	if (n < 0)
	{
		check_syntax_error(&err, size);
		return 0;
	}
	CHECK(err.code == KBS_OK);
	CHECK(n <= KBS_MAX_ENTRIES);
	for (i = 0; i < n; i++)
	{
		CHECK(e1[i].id >= 1 && e1[i].id <= KBS_MAX_BLOCK_ID);
		CHECK(e1[i].code >= 1 && e1[i].code <= 6);
		CHECK(i == 0 || e1[i - 1].id < e1[i].id);
	}

	/* parse -> print -> parse -> print */
	ts = kbs_profile_text_size(e1, n);
	CHECK(ts <= sizeof(t1));
	kbs_profile_print(e1, n, t1);
	CHECK(strlen(t1) + 1 == ts);
	n2 = kbs_profile_parse(t1, ts - 1, e2, &err);
	CHECK(n2 == n);
	CHECK(test_profile_equal(e1, n, e2, n2));
	kbs_profile_print(e2, n2, t2);
	CHECK(strcmp(t1, t2) == 0);

	/* identical storage bytes, and storage round trip */
	ss = kbs_profile_storage_size(e1, n);
	CHECK(ss == kbs_profile_storage_size(e2, n2) && ss <= sizeof(s1));
	kbs_profile_store(e1, n, s1);
	kbs_profile_store(e2, n2, s2);
	CHECK(memcmp(s1, s2, ss) == 0);
	n3 = kbs_profile_load(s1, ss, e3, &err);
	CHECK(n3 == n);
	CHECK(test_profile_equal(e1, n, e3, n3));
	for (i = 0; i < n; i++)
		CHECK(kbs_profile_code_of(s1, ss, e1[i].id) == e1[i].code);

	/* wire round trip */
	ws = kbs_profile_wire_size(n);
	CHECK(ws <= sizeof(w1));
	kbs_profile_wire_encode(e1, n, w1);
	n3 = kbs_profile_wire_decode(w1, ws, e3, &err);
	CHECK(n3 == n);
	CHECK(test_profile_equal(e1, n, e3, n3));
	return 0;
}
