/*
 * libFuzzer target: kbs_requirement_wire_decode and kbs_requirement_load on
 * the same bytes. Accepted input must re-encode to exactly the input and
 * survive the other encodings.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"

static kbs_rentry e1[KBS_MAX_ENTRIES], e2[KBS_MAX_ENTRIES];
static char t1[KBS_MAX_ENTRIES * 21 + 3];
static uint8_t b1[5 + 8 * KBS_MAX_ENTRIES];

static void
check_value(const kbs_rentry *e, int n)
{
	kbs_error err;
	size_t ts;
	int m;

	ts = kbs_requirement_text_size(e, n);
	kbs_requirement_print(e, n, t1);
	CHECK(strlen(t1) + 1 == ts);
	m = kbs_requirement_parse(t1, ts - 1, e2, &err);
	CHECK(test_requirement_equal(e, n, e2, m));

	kbs_requirement_store(e, n, b1);
	m = kbs_requirement_load(b1, kbs_requirement_storage_size(e, n), e2, &err);
	CHECK(test_requirement_equal(e, n, e2, m));

	kbs_requirement_wire_encode(e, n, b1);
	m = kbs_requirement_wire_decode(b1, kbs_requirement_wire_size(n), e2, &err);
	CHECK(test_requirement_equal(e, n, e2, m));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	kbs_error err;
	int n;

	n = kbs_requirement_wire_decode(data, size, e1, &err);
	if (n >= 0)
	{
		CHECK(kbs_requirement_wire_size(n) == size);
		kbs_requirement_wire_encode(e1, n, b1);
		CHECK(memcmp(b1, data, size) == 0);
		check_value(e1, n);
	}
	else
		CHECK(err.code == KBS_ERR_BINARY && err.msg[0] != '\0');

	n = kbs_requirement_load(data, size, e1, &err);
	if (n >= 0)
	{
		CHECK(kbs_requirement_storage_size(e1, n) == size);
		kbs_requirement_store(e1, n, b1);
		CHECK(memcmp(b1, data, size) == 0);
		check_value(e1, n);
	}
	else
		CHECK(err.code == KBS_ERR_BINARY && err.msg[0] != '\0');
	return 0;
}
