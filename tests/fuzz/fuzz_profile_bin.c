/*
 * libFuzzer target: kbs_profile_wire_decode and kbs_profile_load on the same
 * bytes. Both formats are canonical, so whatever a decoder accepts must
 * re-encode to exactly the input; accepted values must also survive the other
 * encodings.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"

static kbs_pentry e1[KBS_MAX_ENTRIES], e2[KBS_MAX_ENTRIES];
static char t1[KBS_MAX_ENTRIES * 9 + 3];
static uint8_t b1[5 + 3 * KBS_MAX_ENTRIES];

static void
check_value(const kbs_pentry *e, int n)
{
	kbs_error err;
	size_t ts, ss, ws;
	int m, i;

	for (i = 0; i < n; i++)
	{
		CHECK(e[i].id >= 1 && e[i].id <= KBS_MAX_BLOCK_ID);
		CHECK(e[i].code >= 1 && e[i].code <= 6);
		CHECK(i == 0 || e[i - 1].id < e[i].id);
	}
	ts = kbs_profile_text_size(e, n);
	kbs_profile_print(e, n, t1);
	CHECK(strlen(t1) + 1 == ts);
	m = kbs_profile_parse(t1, ts - 1, e2, &err);
	CHECK(test_profile_equal(e, n, e2, m));

	ss = kbs_profile_storage_size(e, n);
	kbs_profile_store(e, n, b1);
	m = kbs_profile_load(b1, ss, e2, &err);
	CHECK(test_profile_equal(e, n, e2, m));

	ws = kbs_profile_wire_size(n);
	kbs_profile_wire_encode(e, n, b1);
	m = kbs_profile_wire_decode(b1, ws, e2, &err);
	CHECK(test_profile_equal(e, n, e2, m));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	kbs_error err;
	int n, i;

	n = kbs_profile_wire_decode(data, size, e1, &err);
	if (n >= 0)
	{
		CHECK(kbs_profile_wire_size(n) == size);
		kbs_profile_wire_encode(e1, n, b1);
		CHECK(memcmp(b1, data, size) == 0);
		check_value(e1, n);
	}
	else
		CHECK(err.code == KBS_ERR_BINARY && err.msg[0] != '\0');

	n = kbs_profile_load(data, size, e1, &err);
	if (n >= 0)
	{
		CHECK(kbs_profile_storage_size(e1, n) == size);
		kbs_profile_store(e1, n, b1);
		CHECK(memcmp(b1, data, size) == 0);
		/* the fast lookup agrees with the decoded entries, present or not */
		for (i = 0; i < n; i++)
			CHECK(kbs_profile_code_of(data, size, e1[i].id) == e1[i].code);
		for (i = 0; i + 1 < (int) size && i < 64; i += 2)
		{
			int id = data[i] | (data[i + 1] << 8);

			CHECK(kbs_profile_code_of(data, size, id) == kbs_profile_find(e1, n, id));
		}
		check_value(e1, n);
	}
	else
		CHECK(err.code == KBS_ERR_BINARY && err.msg[0] != '\0');
	return 0;
}
