/*
 * kbs.coverage: text, storage, wire and arithmetic.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "kbs_core.h"

int kbs_register_coverage_tests(void);

static kbs_centry ebuf[KBS_MAX_ENTRIES];
static kbs_centry ebuf2[KBS_MAX_ENTRIES];
static char tbuf[8192];
static uint8_t bbuf[8192];

static const char *
canon(const char *in)
{
	kbs_error err;
	uint32_t m;
	int n = kbs_coverage_parse(in, strlen(in), ebuf, &m, &err);

	if (n < 0)
		return test_error_text(&err);
	kbs_coverage_print(ebuf, n, m, tbuf);
	CU_ASSERT_EQUAL(strlen(tbuf) + 1, kbs_coverage_text_size(ebuf, n, m));
	return tbuf;
}

static void
expect_syntax(const char *in, int pos, const char *msg)
{
	kbs_error err;
	uint32_t m;
	int n = kbs_coverage_parse(in, strlen(in), ebuf, &m, &err);

	test_syntax_error(in, n, &err, pos, msg);
}

static void
set(kbs_centry *e, int id, uint32_t c0, uint32_t c1, uint32_t c2, uint32_t c3, uint32_t c4, uint32_t cna)
{
	e->id = (uint16_t) id;
	e->cnt[0] = c0;
	e->cnt[1] = c1;
	e->cnt[2] = c2;
	e->cnt[3] = c3;
	e->cnt[4] = c4;
	e->cnt[5] = cna;
}

/* ------------------------------------------------------------------ */

static void
test_parse_canonical(void)
{
	const char *s = "(15){11:0,1,4,6,2,0;31:0,0,0,3,1,2}";
	kbs_error err;
	uint32_t m;
	int n = kbs_coverage_parse(s, strlen(s), ebuf, &m, &err);

	CU_ASSERT_EQUAL_FATAL(n, 2);
	CU_ASSERT_EQUAL(m, 15);
	CU_ASSERT_EQUAL(ebuf[0].id, 11);
	CU_ASSERT_EQUAL(ebuf[0].cnt[3], 6);
	CU_ASSERT_EQUAL(ebuf[1].id, 31);
	CU_ASSERT_EQUAL(ebuf[1].cnt[KBS_CNT_NA], 2);
	CU_ASSERT_STRING_EQUAL(canon(s), s);
}

static void
test_parse_spaces_order_zero_entries(void)
{
	CU_ASSERT_STRING_EQUAL(canon(" ( 15 ) { 31 : 0,0,0,3,1,2 ;\n11:0, 1 ,4,6,2,0; 12:0,0,0,0,0,0 } "),
						   "(15){11:0,1,4,6,2,0;31:0,0,0,3,1,2}");
	CU_ASSERT_STRING_EQUAL(canon("(0){}"), "(0){}");
	CU_ASSERT_STRING_EQUAL(canon("(7){}"), "(7){}");
	CU_ASSERT_STRING_EQUAL(canon("(0){5:0,0,0,0,0,0}"), "(0){}");
	CU_ASSERT_STRING_EQUAL(canon("(007){32767:0,0,0,0,0,007;1:1,0,0,0,0,0}"), "(7){1:1,0,0,0,0,0;32767:0,0,0,0,0,7}");
	CU_ASSERT_STRING_EQUAL(canon("(2147483647){1:0,0,0,0,0,2147483647}"), "(2147483647){1:0,0,0,0,0,2147483647}");
}

static void
test_parse_errors(void)
{
	expect_syntax("15{}", 0, "expected \"(\" at position 0");
	expect_syntax("(){}", 1, "expected member count at position 1");
	expect_syntax("(x){}", 1, "invalid member count \"x\" at position 1");
	expect_syntax("(2147483648){}", 1, "member count \"2147483648\" out of range at position 1");
	expect_syntax("(15{}", 3, "expected \")\" after the member count at position 3");
	expect_syntax("(15)}", 4, "expected \"{\" after the member count at position 4");
	expect_syntax("(15)", 4, "expected \"{\" after the member count at position 4");
	expect_syntax("(15){0:1,0,0,0,0,0}", 5, "block id \"0\" out of range at position 5");
	expect_syntax("(15){32768:1,0,0,0,0,0}", 5, "block id \"32768\" out of range at position 5");
	expect_syntax("(15){11 0,0,0,0,0,0}", 8, "expected \":\" after block id 11 at position 8");
	expect_syntax("(15){11:0,0,0,0,0}", 17, "expected \",\" after count 5 of block 11 at position 17");
	expect_syntax("(15){11:0,0,0,0,0,0,0}", 19, "expected \";\" or \"}\" after the 6 counts of block 11 at position 19");
	expect_syntax("(15){11:0,0,x,0,0,0}", 12, "invalid count \"x\" at position 12");
	expect_syntax("(15){11:0,0,,0,0,0}", 12, "expected count of block 11 at position 12");
	expect_syntax("(15){11:0,0,2147483648,0,0,0}", 12, "count \"2147483648\" out of range at position 12");
	expect_syntax("(15){11:0,1,4,6,2,3}", 5, "counts of block 11 exceed the 15 members");
	expect_syntax("(2147483647){9:2147483647,2147483647,0,0,0,0}", 13, "counts of block 9 exceed the 2147483647 members");
	expect_syntax("(0){ 3:0,0,0,0,0,1}", 5, "counts of block 3 exceed the 0 members");
	expect_syntax("(15){11:0,0,0,0,0,0;11:1,0,0,0,0,0}", 20, "duplicate block id 11 at position 20");
	expect_syntax("(15){11:1,0,0,0,0,0;}", 20, "expected block id at position 20");
	expect_syntax("(15){11:1,0,0,0,0,0,}", 19, "expected \";\" or \"}\" after the 6 counts of block 11 at position 19");
	expect_syntax("(15){11:1,0,0,0,0,0", 19, "expected \";\" or \"}\" after the 6 counts of block 11 at position 19");
	expect_syntax("(15){} x", 7, "junk after closing brace at position 7");
	expect_syntax("(15){11:1,0,0,0,0,0}(", 20, "junk after closing brace at position 20");
}

static void
test_parse_error_details(void)
{
	kbs_error err;
	uint32_t m;
	const char *s = "(15){11:0,1,4,6,2,3}";

	kbs_coverage_parse(s, strlen(s), ebuf, &m, &err);
	CU_ASSERT_STRING_EQUAL(err.detail, "The counts add up to 16.");
	s = "(15){11:0,0,2147483648,0,0,0}";
	kbs_coverage_parse(s, strlen(s), ebuf, &m, &err);
	CU_ASSERT_STRING_EQUAL(err.detail, "The largest count is 2147483647.");
}

/* ------------------------------------------------------------------ */
/* Storage                                                             */
/* ------------------------------------------------------------------ */

static int
store_load(const kbs_centry *e, int n, uint32_t m)
{
	kbs_error err;
	size_t size = kbs_coverage_storage_size(e, n, m);
	uint32_t m2 = 12345;
	int n2;

	kbs_coverage_store(e, n, m, bbuf);
	n2 = kbs_coverage_load(bbuf, size, ebuf2, &m2, &err);
	CU_ASSERT_EQUAL(err.code, KBS_OK);
	CU_ASSERT_EQUAL(m2, m);
	CU_ASSERT_TRUE(test_coverage_equal(e, n, ebuf2, n2));
	CU_ASSERT_EQUAL(kbs_coverage_stored_members(bbuf, size), m);
	return n2;
}

static void
test_storage_empty(void)
{
	static const uint8_t want[] = {1, 1, 0, 0, 0, 0, 0, 0, 0};

	CU_ASSERT_EQUAL(kbs_coverage_storage_size(NULL, 0, 0), sizeof(want));
	kbs_coverage_store(NULL, 0, 0, bbuf);
	CU_ASSERT_EQUAL(memcmp(bbuf, want, sizeof(want)), 0);
	CU_ASSERT_EQUAL(store_load(NULL, 0, 0), 0);
	CU_ASSERT_EQUAL(store_load(NULL, 0, 2147483647u), 0);
	CU_ASSERT_EQUAL(bbuf[6], 0x7f);
}

static void
test_storage_sparse_bytes(void)
{
	static const uint8_t want[] = {
		1, 1, 0, 15, 0, 0, 0,
		2, 0,
		11, 0, 31, 0,
		0, 1, 4, 6, 2, 0,
		0, 0, 0, 3, 1, 2,
	};
	kbs_centry e[2];

	set(&e[0], 11, 0, 1, 4, 6, 2, 0);
	set(&e[1], 31, 0, 0, 0, 3, 1, 2);
	CU_ASSERT_EQUAL(kbs_coverage_storage_size(e, 2, 15), sizeof(want));
	kbs_coverage_store(e, 2, 15, bbuf);
	CU_ASSERT_EQUAL(memcmp(bbuf, want, sizeof(want)), 0);
	CU_ASSERT_EQUAL(store_load(e, 2, 15), 2);
}

static void
test_storage_dense_bytes(void)
{
	static const uint8_t want[] = {
		1, 1, 1, 3, 0, 0, 0,
		5, 0, 4, 0,
		1, 0, 0, 0, 0, 0,
		0, 0, 1, 0, 0, 0,
		0, 2, 0, 0, 0, 0,
		0, 0, 0, 0, 0, 3,
	};
	kbs_centry e[5];

	/* 4 blocks filling a span of 4: dense 11 + 24 < sparse 9 + 32 */
	set(&e[0], 5, 1, 0, 0, 0, 0, 0);
	set(&e[1], 6, 0, 0, 1, 0, 0, 0);
	set(&e[2], 7, 0, 2, 0, 0, 0, 0);
	set(&e[3], 8, 0, 0, 0, 0, 0, 3);
	CU_ASSERT_EQUAL(kbs_coverage_storage_size(e, 4, 3), sizeof(want));
	kbs_coverage_store(e, 4, 3, bbuf);
	CU_ASSERT_EQUAL(memcmp(bbuf, want, sizeof(want)), 0);
	CU_ASSERT_EQUAL(store_load(e, 4, 3), 4);

	/* without block 6 sparse wins: 9 + 24 < 11 + 24 */
	e[1] = e[2];
	e[2] = e[3];
	CU_ASSERT_EQUAL(kbs_coverage_storage_size(e, 3, 3), 33);
	kbs_coverage_store(e, 3, 3, bbuf);
	CU_ASSERT_EQUAL(bbuf[2], KBS_LAYOUT_SPARSE);
	CU_ASSERT_EQUAL(store_load(e, 3, 3), 3);

	/* a hole inside a dense range: 5 entries over span 6, 11 + 36 < 9 + 40 */
	set(&e[0], 5, 1, 0, 0, 0, 0, 0);
	set(&e[1], 6, 1, 0, 0, 0, 0, 0);
	set(&e[2], 7, 1, 0, 0, 0, 0, 0);
	set(&e[3], 9, 1, 0, 0, 0, 0, 0);
	set(&e[4], 10, 1, 0, 0, 0, 0, 0);
	CU_ASSERT_EQUAL(kbs_coverage_storage_size(e, 5, 1), 47);
	kbs_coverage_store(e, 5, 1, bbuf);
	CU_ASSERT_EQUAL(bbuf[2], KBS_LAYOUT_DENSE);
	CU_ASSERT_EQUAL(store_load(e, 5, 1), 5);
}

static void
test_storage_tie_goes_to_sparse(void)
{
	kbs_centry e[5];

	/* one entry: sparse 9 + 8 = dense 11 + 6 = 17 */
	set(&e[0], 100, 0, 0, 1, 0, 0, 0);
	CU_ASSERT_EQUAL(kbs_coverage_storage_size(e, 1, 1), 17);
	kbs_coverage_store(e, 1, 1, bbuf);
	CU_ASSERT_EQUAL(bbuf[2], KBS_LAYOUT_SPARSE);
	CU_ASSERT_EQUAL(store_load(e, 1, 1), 1);

	/* four entries over a span of five: 9 + 32 = 11 + 30 = 41 */
	set(&e[0], 1, 1, 0, 0, 0, 0, 0);
	set(&e[1], 2, 1, 0, 0, 0, 0, 0);
	set(&e[2], 3, 1, 0, 0, 0, 0, 0);
	set(&e[3], 5, 1, 0, 0, 0, 0, 0);
	CU_ASSERT_EQUAL(kbs_coverage_storage_size(e, 4, 1), 41);
	kbs_coverage_store(e, 4, 1, bbuf);
	CU_ASSERT_EQUAL(bbuf[2], KBS_LAYOUT_SPARSE);
	CU_ASSERT_EQUAL(store_load(e, 4, 1), 4);

	/* the fifth makes dense strictly smaller: 11 + 30 < 9 + 40 */
	set(&e[3], 4, 1, 0, 0, 0, 0, 0);
	set(&e[4], 5, 1, 0, 0, 0, 0, 0);
	CU_ASSERT_EQUAL(kbs_coverage_storage_size(e, 5, 1), 41);
	kbs_coverage_store(e, 5, 1, bbuf);
	CU_ASSERT_EQUAL(bbuf[2], KBS_LAYOUT_DENSE);
	CU_ASSERT_EQUAL(store_load(e, 5, 1), 5);

	/* width 2 tie: sparse 9 + 14 = dense 11 + 12 = 23 */
	set(&e[0], 32767, 300, 0, 0, 0, 0, 0);
	CU_ASSERT_EQUAL(kbs_coverage_storage_size(e, 1, 300), 23);
	kbs_coverage_store(e, 1, 300, bbuf);
	CU_ASSERT_EQUAL(bbuf[1], 2);
	CU_ASSERT_EQUAL(bbuf[2], KBS_LAYOUT_SPARSE);
	CU_ASSERT_EQUAL(store_load(e, 1, 300), 1);
}

static void
test_storage_target(void)
{
	/* 15 members over 150 consecutive blocks: at most 1,195 payload bytes */
	kbs_centry e[150];
	size_t size;
	int i;

	for (i = 0; i < 150; i++)
		set(&e[i], 200 + i, (uint32_t) (i % 4), 3, 0, 5, 2, (uint32_t) (i % 2));
	size = kbs_coverage_storage_size(e, 150, 15);
	CU_ASSERT(size <= 1195);
	CU_ASSERT_EQUAL(size, 11 + 900);
	kbs_coverage_store(e, 150, 15, bbuf);
	CU_ASSERT_EQUAL(bbuf[1], 1);
	CU_ASSERT_EQUAL(bbuf[2], KBS_LAYOUT_DENSE);
	CU_ASSERT_EQUAL(store_load(e, 150, 15), 150);
}

static void
test_storage_widths(void)
{
	kbs_centry e[2];

	set(&e[0], 1, 255, 0, 0, 0, 0, 0);
	set(&e[1], 9000, 0, 0, 0, 0, 0, 1);
	kbs_coverage_store(e, 2, 1000, bbuf);
	CU_ASSERT_EQUAL(bbuf[1], 1);
	CU_ASSERT_EQUAL(kbs_coverage_storage_size(e, 2, 1000), 9 + 2 * 8);
	CU_ASSERT_EQUAL(store_load(e, 2, 1000), 2);

	/* members alone never widen the counts */
	set(&e[0], 1, 0, 0, 0, 0, 0, 1);
	kbs_coverage_store(e, 2, 2147483647u, bbuf);
	CU_ASSERT_EQUAL(bbuf[1], 1);
	CU_ASSERT_EQUAL(store_load(e, 2, 2147483647u), 2);

	set(&e[0], 1, 256, 0, 0, 0, 0, 0);
	kbs_coverage_store(e, 2, 1000, bbuf);
	CU_ASSERT_EQUAL(bbuf[1], 2);
	CU_ASSERT_EQUAL(kbs_coverage_storage_size(e, 2, 1000), 9 + 2 * 14);
	CU_ASSERT_EQUAL(store_load(e, 2, 1000), 2);

	set(&e[0], 1, 0, 65535, 0, 0, 0, 0);
	kbs_coverage_store(e, 2, 70000, bbuf);
	CU_ASSERT_EQUAL(bbuf[1], 2);
	CU_ASSERT_EQUAL(store_load(e, 2, 70000), 2);

	set(&e[0], 1, 0, 65536, 0, 0, 0, 0);
	kbs_coverage_store(e, 2, 70000, bbuf);
	CU_ASSERT_EQUAL(bbuf[1], 4);
	CU_ASSERT_EQUAL(kbs_coverage_storage_size(e, 2, 70000), 9 + 2 * 26);
	CU_ASSERT_EQUAL(store_load(e, 2, 70000), 2);

	set(&e[0], 1, 0, 0, 0, 0, 0, 2147483646u);
	CU_ASSERT_EQUAL(store_load(e, 2, 2147483647u), 2);
}

static void
expect_load_error(const uint8_t *buf, size_t len, const char *msg)
{
	kbs_error err;
	uint32_t m;

	CU_ASSERT_EQUAL(kbs_coverage_load(buf, len, ebuf2, &m, &err), -1);
	CU_ASSERT_EQUAL(err.code, KBS_ERR_BINARY);
	if (strcmp(err.msg, msg) != 0)
	{
		fprintf(stderr, "\n    got \"%s\", want \"%s\"\n", err.msg, msg);
		CU_FAIL("unexpected error message");
	}
}

static void
test_load_rejects_header(void)
{
	uint8_t b[64] = {1, 1, 0, 0, 0, 0, 0, 0, 0};
	uint32_t m;

	CU_ASSERT_EQUAL(kbs_coverage_load(b, 9, ebuf2, &m, NULL), 0);
	expect_load_error(b, 0, "invalid kbs.coverage storage: truncated");
	expect_load_error(b, 6, "invalid kbs.coverage storage: truncated");
	expect_load_error(b, 8, "invalid kbs.coverage storage: truncated");
	expect_load_error(b, 10, "invalid kbs.coverage storage: size does not match the sparse layout");
	b[0] = 0;
	expect_load_error(b, 9, "unsupported kbs.coverage storage format version 0");
	b[0] = 1;
	b[1] = 3;
	expect_load_error(b, 9, "invalid kbs.coverage storage: invalid count width");
	b[1] = 0;
	expect_load_error(b, 9, "invalid kbs.coverage storage: invalid count width");
	b[1] = 2;
	expect_load_error(b, 9, "invalid kbs.coverage storage: non-canonical count width");
	b[1] = 1;
	b[2] = 2;
	expect_load_error(b, 9, "invalid kbs.coverage storage: unknown layout");
	b[2] = 0;
	b[6] = 0x80;
	expect_load_error(b, 9, "invalid kbs.coverage storage: member count out of range");
	b[6] = 0;
	b[7] = 0xff;
	b[8] = 0xff;
	expect_load_error(b, 9, "invalid kbs.coverage storage: too many entries");
}

static void
test_load_rejects_sparse(void)
{
	uint8_t b[64] = {0};
	kbs_centry e[2];
	uint32_t m;

	set(&e[0], 11, 0, 1, 4, 6, 2, 0);
	set(&e[1], 31, 0, 0, 0, 3, 1, 2);
	kbs_coverage_store(e, 2, 15, b);
	CU_ASSERT_EQUAL(kbs_coverage_load(b, 25, ebuf2, &m, NULL), 2);
	expect_load_error(b, 24, "invalid kbs.coverage storage: size does not match the sparse layout");
	b[25] = 0;
	expect_load_error(b, 26, "invalid kbs.coverage storage: size does not match the sparse layout");
	b[7] = 3;
	expect_load_error(b, 25, "invalid kbs.coverage storage: size does not match the sparse layout");

	kbs_coverage_store(e, 2, 15, b);
	b[9] = 0;
	expect_load_error(b, 25, "invalid kbs.coverage storage: block id out of range");
	kbs_coverage_store(e, 2, 15, b);
	b[12] = 0x80;
	expect_load_error(b, 25, "invalid kbs.coverage storage: block id out of range");
	kbs_coverage_store(e, 2, 15, b);
	b[11] = 11;
	expect_load_error(b, 25, "invalid kbs.coverage storage: block ids not in ascending order");
	b[11] = 10;
	expect_load_error(b, 25, "invalid kbs.coverage storage: block ids not in ascending order");

	kbs_coverage_store(e, 2, 15, b);
	b[3] = 12; /* 13 counted on block 11 */
	expect_load_error(b, 25, "invalid kbs.coverage storage: counts exceed the member count");
	kbs_coverage_store(e, 2, 15, b);
	memset(b + 19, 0, 6);
	expect_load_error(b, 25, "invalid kbs.coverage storage: entry without counts");

	/* blocks 1..3 sparse although dense is smaller (9 + 24 = 33 > 11 + 18) */
	{
		kbs_centry d[3];

		set(&d[0], 1, 1, 0, 0, 0, 0, 0);
		set(&d[1], 2, 1, 0, 0, 0, 0, 0);
		set(&d[2], 3, 1, 0, 0, 0, 0, 0);
		memcpy(b, "\x01\x01\x00\x01\x00\x00\x00\x03\x00\x01\x00\x02\x00\x03\x00", 15);
		memset(b + 15, 0, 18);
		b[15] = b[21] = b[27] = 1;
		expect_load_error(b, 33, "invalid kbs.coverage storage: non-canonical layout (dense is smaller)");
		kbs_coverage_store(d, 3, 1, b);
		CU_ASSERT_EQUAL(b[2], KBS_LAYOUT_DENSE);
		CU_ASSERT_EQUAL(kbs_coverage_storage_size(d, 3, 1), 29);
	}
}

static void
test_load_rejects_dense(void)
{
	uint8_t b[64] = {0};
	kbs_centry e[5];
	uint32_t m;
	int i;

	for (i = 0; i < 5; i++)
		set(&e[i], 100 + i, 1, 0, 0, 0, 0, 1);
	kbs_coverage_store(e, 5, 2, b);
	CU_ASSERT_EQUAL(b[2], KBS_LAYOUT_DENSE);
	CU_ASSERT_EQUAL(kbs_coverage_load(b, 41, ebuf2, &m, NULL), 5);
	expect_load_error(b, 10, "invalid kbs.coverage storage: truncated");
	expect_load_error(b, 40, "invalid kbs.coverage storage: size does not match the dense layout");
	b[41] = 0;
	expect_load_error(b, 42, "invalid kbs.coverage storage: size does not match the dense layout");

	kbs_coverage_store(e, 5, 2, b);
	b[7] = 0;
	expect_load_error(b, 41, "invalid kbs.coverage storage: block range out of bounds");
	kbs_coverage_store(e, 5, 2, b);
	b[9] = 0;
	expect_load_error(b, 41, "invalid kbs.coverage storage: block range out of bounds");
	kbs_coverage_store(e, 5, 2, b);
	b[7] = 0xfc;
	b[8] = 0x7f; /* 32764 + 5 - 1 > 32767 */
	expect_load_error(b, 41, "invalid kbs.coverage storage: block range out of bounds");

	kbs_coverage_store(e, 5, 2, b);
	b[3] = 1;
	expect_load_error(b, 41, "invalid kbs.coverage storage: counts exceed the member count");
	kbs_coverage_store(e, 5, 2, b);
	b[11] = b[16] = 0;
	expect_load_error(b, 41, "invalid kbs.coverage storage: first or last block of the dense range without counts");
	kbs_coverage_store(e, 5, 2, b);
	b[35] = b[40] = 0;
	expect_load_error(b, 41, "invalid kbs.coverage storage: first or last block of the dense range without counts");

	/* a hole leaving 4 entries over span 5 is a tie, which must be sparse */
	kbs_coverage_store(e, 5, 2, b);
	b[23] = b[28] = 0;
	expect_load_error(b, 41, "invalid kbs.coverage storage: non-canonical layout (sparse is not larger)");

	/* width 2 although every count fits one byte */
	memcpy(b, "\x01\x02\x01\x02\x00\x00\x00\x01\x00\x01\x00", 11);
	memset(b + 11, 0, 12);
	b[11] = 1;
	expect_load_error(b, 23, "invalid kbs.coverage storage: non-canonical count width");
}

/* ------------------------------------------------------------------ */
/* Wire                                                                */
/* ------------------------------------------------------------------ */

static void
expect_wire_error(const uint8_t *buf, size_t len, const char *msg)
{
	kbs_error err;
	uint32_t m;

	CU_ASSERT_EQUAL(kbs_coverage_wire_decode(buf, len, ebuf2, &m, &err), -1);
	CU_ASSERT_EQUAL(err.code, KBS_ERR_BINARY);
	if (strcmp(err.msg, msg) != 0)
	{
		fprintf(stderr, "\n    got \"%s\", want \"%s\"\n", err.msg, msg);
		CU_FAIL("unexpected error message");
	}
}

static void
test_wire(void)
{
	static const uint8_t want[] = {
		1, 0, 0, 0, 15, 0, 0, 0, 1,
		0, 11, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 4, 0, 0, 0, 6, 0, 0, 0, 2, 0, 0, 0, 0,
	};
	kbs_centry e[1];
	uint8_t b[64] = {0};
	uint32_t m;
	kbs_error err;

	set(&e[0], 11, 0, 1, 4, 6, 2, 0);
	CU_ASSERT_EQUAL(kbs_coverage_wire_size(1), sizeof(want));
	kbs_coverage_wire_encode(e, 1, 15, bbuf);
	CU_ASSERT_EQUAL(memcmp(bbuf, want, sizeof(want)), 0);
	CU_ASSERT_EQUAL(kbs_coverage_wire_decode(want, sizeof(want), ebuf2, &m, &err), 1);
	CU_ASSERT_EQUAL(m, 15);
	CU_ASSERT_TRUE(test_coverage_equal(e, 1, ebuf2, 1));
	kbs_coverage_wire_encode(NULL, 0, 0, bbuf);
	CU_ASSERT_EQUAL(kbs_coverage_wire_decode(bbuf, 9, ebuf2, &m, &err), 0);
	CU_ASSERT_EQUAL(m, 0);

	expect_wire_error(b, 0, "truncated kbs.coverage binary value");
	memcpy(b, want, sizeof(want));
	b[0] = 9;
	expect_wire_error(b, sizeof(want), "unsupported kbs.coverage binary format version 9");
	memcpy(b, want, sizeof(want));
	expect_wire_error(b, 8, "truncated kbs.coverage binary value");
	expect_wire_error(b, sizeof(want) - 1, "truncated kbs.coverage binary value");
	b[sizeof(want)] = 0;
	expect_wire_error(b, sizeof(want) + 1, "unexpected bytes after kbs.coverage binary value");
	b[1] = 0x80;
	expect_wire_error(b, sizeof(want), "member count 2147483663 out of range in kbs.coverage binary value");
	memcpy(b, want, sizeof(want));
	b[6] = 1;
	expect_wire_error(b, sizeof(want), "too many entries (65537) in kbs.coverage binary value");
	memcpy(b, want, sizeof(want));
	b[10] = 0;
	expect_wire_error(b, sizeof(want), "block id 0 out of range in kbs.coverage binary value");
	b[9] = 0x80;
	expect_wire_error(b, sizeof(want), "block id 32768 out of range in kbs.coverage binary value");
	memcpy(b, want, sizeof(want));
	b[4] = 12;
	expect_wire_error(b, sizeof(want), "counts of block 11 exceed the 12 members");
	memcpy(b, want, sizeof(want));
	memset(b + 11, 0, 24);
	expect_wire_error(b, sizeof(want), "block 11 has no counts in kbs.coverage binary value");
	/* two entries, same id twice */
	memcpy(b, want, sizeof(want));
	memcpy(b + sizeof(want), want + 9, 26);
	b[8] = 2;
	b[4] = 30;
	CU_ASSERT_EQUAL(kbs_coverage_wire_decode(b, sizeof(want) + 26, ebuf2, &m, NULL), -1);
	expect_wire_error(b, sizeof(want) + 26, "block ids not in ascending order (11 after 11)");
	b[sizeof(want) + 1] = 12;
	CU_ASSERT_EQUAL(kbs_coverage_wire_decode(b, sizeof(want) + 26, ebuf2, &m, NULL), 2);
}

/* ------------------------------------------------------------------ */
/* Arithmetic                                                          */
/* ------------------------------------------------------------------ */

static void
test_add(void)
{
	kbs_centry a[2], b[2], want[3], out[8];
	uint32_t m;
	kbs_error err;
	int n;

	set(&a[0], 1, 1, 0, 0, 0, 0, 0);
	set(&a[1], 5, 0, 0, 2, 0, 0, 1);
	set(&b[0], 5, 0, 0, 0, 1, 0, 0);
	set(&b[1], 9, 0, 0, 0, 0, 2, 0);
	set(&want[0], 1, 1, 0, 0, 0, 0, 0);
	set(&want[1], 5, 0, 0, 2, 1, 0, 1);
	set(&want[2], 9, 0, 0, 0, 0, 2, 0);

	n = kbs_coverage_add(a, 2, 3, b, 2, 2, out, &m, &err);
	CU_ASSERT_EQUAL(m, 5);
	CU_ASSERT_TRUE(test_coverage_equal(out, n, want, 3));
	n = kbs_coverage_add(b, 2, 2, a, 2, 3, out, &m, &err);
	CU_ASSERT_EQUAL(m, 5);
	CU_ASSERT_TRUE(test_coverage_equal(out, n, want, 3));
	/* the empty coverage is the identity */
	n = kbs_coverage_add(a, 2, 3, NULL, 0, 0, out, &m, &err);
	CU_ASSERT_EQUAL(m, 3);
	CU_ASSERT_TRUE(test_coverage_equal(out, n, a, 2));
	n = kbs_coverage_add(NULL, 0, 0, NULL, 0, 0, out, &m, &err);
	CU_ASSERT_EQUAL(n, 0);
	CU_ASSERT_EQUAL(m, 0);
	/* members without entries still add */
	n = kbs_coverage_add(NULL, 0, 4, a, 2, 3, out, &m, &err);
	CU_ASSERT_EQUAL(m, 7);
	CU_ASSERT_TRUE(test_coverage_equal(out, n, a, 2));
}

static void
test_add_overflow(void)
{
	kbs_centry out[4];
	uint32_t m = 99;
	kbs_error err;

	CU_ASSERT_EQUAL(kbs_coverage_add(NULL, 0, 2147483000u, NULL, 0, 647, out, &m, &err), 0);
	CU_ASSERT_EQUAL(m, 2147483647u);
	CU_ASSERT_EQUAL(kbs_coverage_add(NULL, 0, 2147483647u, NULL, 0, 1, out, &m, &err), -1);
	CU_ASSERT_EQUAL(err.code, KBS_ERR_RANGE);
	CU_ASSERT_STRING_EQUAL(err.msg, "coverage member count overflows");
	CU_ASSERT_EQUAL(kbs_coverage_add(NULL, 0, 2147483647u, NULL, 0, 2147483647u, out, &m, &err), -1);
	CU_ASSERT_EQUAL(err.code, KBS_ERR_RANGE);
	CU_ASSERT_EQUAL(kbs_coverage_add_profile(NULL, 0, 2147483647u, NULL, 0, out, &m, &err), -1);
	CU_ASSERT_EQUAL(err.code, KBS_ERR_RANGE);
	CU_ASSERT_STRING_EQUAL(err.msg, "coverage member count overflows");
}

static void
test_add_profile_and_accessors(void)
{
	kbs_pentry p1[3] = {{1, kbs_code_from_level(0)}, {2, KBS_CODE_NA}, {3, kbs_code_from_level(4)}};
	kbs_pentry p2[2] = {{1, kbs_code_from_level(2)}, {3, kbs_code_from_level(4)}};
	kbs_centry c1[8], c2[8], c3[8], want[3];
	uint32_t m1, m2, m3, h[KBS_NCOUNTS];
	kbs_error err;
	int n1, n2, n3;

	n1 = kbs_coverage_add_profile(NULL, 0, 0, p1, 3, c1, &m1, &err);
	n2 = kbs_coverage_add_profile(c1, n1, m1, p2, 2, c2, &m2, &err);
	/* a member with nothing assessed still counts */
	n3 = kbs_coverage_add_profile(c2, n2, m2, NULL, 0, c3, &m3, &err);
	set(&want[0], 1, 1, 0, 1, 0, 0, 0);
	set(&want[1], 2, 0, 0, 0, 0, 0, 1);
	set(&want[2], 3, 0, 0, 0, 0, 2, 0);
	CU_ASSERT_EQUAL(m1, 1);
	CU_ASSERT_EQUAL(m2, 2);
	CU_ASSERT_EQUAL(m3, 3);
	CU_ASSERT_TRUE(test_coverage_equal(c3, n3, want, 3));
	kbs_coverage_print(c3, n3, m3, tbuf);
	CU_ASSERT_STRING_EQUAL(tbuf, "(3){1:1,0,1,0,0,0;2:0,0,0,0,0,1;3:0,0,0,0,2,0}");

	CU_ASSERT_EQUAL(kbs_coverage_count_at_least(c3, n3, 3, 4), 2);
	CU_ASSERT_EQUAL(kbs_coverage_count_at_least(c3, n3, 1, 0), 2);
	CU_ASSERT_EQUAL(kbs_coverage_count_at_least(c3, n3, 1, 1), 1);
	CU_ASSERT_EQUAL(kbs_coverage_count_at_least(c3, n3, 1, 3), 0);
	CU_ASSERT_EQUAL(kbs_coverage_count_at_least(c3, n3, 2, 0), 0); /* na never counts */
	CU_ASSERT_EQUAL(kbs_coverage_count_at_least(c3, n3, 7, 0), 0);
	CU_ASSERT_EQUAL(kbs_coverage_count_at_least(c3, n3, 3, 5), 0);
	CU_ASSERT_EQUAL(kbs_coverage_count_at_least(c3, n3, 3, -1), 0);
	kbs_coverage_histogram(c3, n3, 2, h);
	CU_ASSERT_EQUAL(h[KBS_CNT_NA], 1);
	CU_ASSERT_EQUAL(h[0] + h[1] + h[2] + h[3] + h[4], 0);
	kbs_coverage_histogram(c3, n3, 1, h);
	CU_ASSERT_EQUAL(h[0], 1);
	CU_ASSERT_EQUAL(h[2], 1);
	kbs_coverage_histogram(c3, n3, 99, h);
	CU_ASSERT_EQUAL(h[0] + h[1] + h[2] + h[3] + h[4] + h[5], 0);
	CU_ASSERT_PTR_NULL(kbs_coverage_find(c3, n3, 4));
	CU_ASSERT_PTR_NOT_NULL(kbs_coverage_find(c3, n3, 3));
}

/* The longest possible coverage text must parse again (text COPY, dumps). */
static void
test_longest_text_round_trips(void)
{
	static kbs_centry e[KBS_MAX_ENTRIES], back[KBS_MAX_ENTRIES];
	kbs_error err;
	uint32_t members = KBS_MAX_MEMBERS, mback = 0;
	size_t size;
	char *buf;
	int n;

	for (int i = 0; i < KBS_MAX_ENTRIES; i++)
	{
		e[i].id = (uint16_t) (i + 1);
		e[i].cnt[0] = 1000000000u;
		e[i].cnt[1] = 1000000000u;
		e[i].cnt[2] = 99999999u;
		e[i].cnt[3] = 9999999u;
		e[i].cnt[4] = 999999u;
		e[i].cnt[5] = 99999u;
	}
	size = kbs_coverage_text_size(e, KBS_MAX_ENTRIES, members);
	CU_ASSERT(size > 1024 * 1024);
	CU_ASSERT(size <= KBS_MAX_TEXT_LEN);
	buf = malloc(size);
	CU_ASSERT_FATAL(buf != NULL);
	kbs_coverage_print(e, KBS_MAX_ENTRIES, members, buf);
	kbs_error_init(&err);
	n = kbs_coverage_parse(buf, strlen(buf), back, &mback, &err);
	CU_ASSERT_EQUAL(n, KBS_MAX_ENTRIES);
	CU_ASSERT_EQUAL(mback, members);
	if (n == KBS_MAX_ENTRIES)
		CU_ASSERT(back[KBS_MAX_ENTRIES - 1].id == KBS_MAX_ENTRIES && back[100].cnt[0] == 1000000000u);
	free(buf);
}

int
kbs_register_coverage_tests(void)
{
	static const test_case coverage_text[] = {
		{"canonical input", test_parse_canonical},
		{"spaces, order, all-zero entries", test_parse_spaces_order_zero_entries},
		{"syntax errors", test_parse_errors},
		{"error details", test_parse_error_details},
		{NULL, NULL}
	};
	static const test_case coverage_storage_and_wire[] = {
		{"empty storage", test_storage_empty},
		{"sparse bytes", test_storage_sparse_bytes},
		{"dense bytes", test_storage_dense_bytes},
		{"layout tie goes to sparse", test_storage_tie_goes_to_sparse},
		{"15 members x 150 blocks <= 1195 bytes", test_storage_target},
		{"count widths 1, 2, 4", test_storage_widths},
		{"load rejects bad headers", test_load_rejects_header},
		{"load rejects bad sparse", test_load_rejects_sparse},
		{"load rejects bad dense", test_load_rejects_dense},
		{"wire bytes and rejects", test_wire},
		{NULL, NULL}
	};
	static const test_case coverage_arithmetic[] = {
		{"add", test_add},
		{"member overflow", test_add_overflow},
		{"add profile, count_at_least, histogram", test_add_profile_and_accessors},
		{"longest text round trips", test_longest_text_round_trips},
		{NULL, NULL}
	};

	if (test_add_suite("coverage text", coverage_text) != 0 ||
		test_add_suite("coverage storage and wire", coverage_storage_and_wire) != 0 ||
		test_add_suite("coverage arithmetic", coverage_arithmetic) != 0)
		return -1;
	return 0;
}
