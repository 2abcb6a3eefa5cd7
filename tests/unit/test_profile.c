/*
 * kbs.profile: text, storage, wire and operations.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "kbs_core.h"

int kbs_register_profile_tests(void);

static kbs_pentry ebuf[KBS_MAX_ENTRIES];
static kbs_pentry ebuf2[KBS_MAX_ENTRIES];
static char tbuf[400000];
static uint8_t bbuf[200000];

#define L(level) kbs_code_from_level(level)
#define NA KBS_CODE_NA

/* Parse, print, and return the printed text (static buffer). */
static const char *
canon(const char *in)
{
	kbs_error err;
	int n = kbs_profile_parse(in, strlen(in), ebuf, &err);

	if (n < 0)
		return test_error_text(&err);
	kbs_profile_print(ebuf, n, tbuf);
	CU_ASSERT_EQUAL(strlen(tbuf) + 1, kbs_profile_text_size(ebuf, n));
	return tbuf;
}

static void
expect_syntax(const char *in, int pos, const char *msg)
{
	kbs_error err;
	int n = kbs_profile_parse(in, strlen(in), ebuf, &err);

	test_syntax_error(in, n, &err, pos, msg);
}

/* ------------------------------------------------------------------ */

static void
test_parse_canonical(void)
{
	kbs_error err;
	int n = kbs_profile_parse("{11:3,12:2,201:na}", 18, ebuf, &err);

	CU_ASSERT_EQUAL_FATAL(n, 3);
	CU_ASSERT_EQUAL(ebuf[0].id, 11);
	CU_ASSERT_EQUAL(ebuf[0].code, L(3));
	CU_ASSERT_EQUAL(ebuf[1].id, 12);
	CU_ASSERT_EQUAL(ebuf[1].code, L(2));
	CU_ASSERT_EQUAL(ebuf[2].id, 201);
	CU_ASSERT_EQUAL(ebuf[2].code, NA);
	CU_ASSERT_STRING_EQUAL(canon("{11:3,12:2,201:na}"), "{11:3,12:2,201:na}");
	CU_ASSERT_EQUAL(kbs_profile_text_size(ebuf, 3), 19);
}

static void
test_parse_spaces_and_order(void)
{
	CU_ASSERT_STRING_EQUAL(canon(" { 201 : na ,\n11:3 ,\t12 : 2 }\r\n"), "{11:3,12:2,201:na}");
	CU_ASSERT_STRING_EQUAL(canon("{5:0,4:1,3:2,2:3,1:4}"), "{1:4,2:3,3:2,4:1,5:0}");
	CU_ASSERT_STRING_EQUAL(canon("{\v7:na\f}"), "{7:na}");
}

static void
test_parse_empty(void)
{
	CU_ASSERT_STRING_EQUAL(canon("{}"), "{}");
	CU_ASSERT_STRING_EQUAL(canon("  {  }  "), "{}");
	CU_ASSERT_EQUAL(kbs_profile_text_size(NULL, 0), 3);
}

static void
test_parse_boundary_ids(void)
{
	CU_ASSERT_STRING_EQUAL(canon("{32767:4,1:0}"), "{1:0,32767:4}");
	CU_ASSERT_STRING_EQUAL(canon("{007:1}"), "{7:1}");
	CU_ASSERT_STRING_EQUAL(canon("{0000032767:na}"), "{32767:na}");
}

static void
test_parse_all_levels(void)
{
	CU_ASSERT_STRING_EQUAL(canon("{1:0,2:1,3:2,4:3,5:4,6:na}"), "{1:0,2:1,3:2,4:3,5:4,6:na}");
	CU_ASSERT_EQUAL(ebuf[0].code, 1);
	CU_ASSERT_EQUAL(ebuf[4].code, 5);
	CU_ASSERT_EQUAL(ebuf[5].code, 6);
}

static void
test_parse_errors(void)
{
	expect_syntax("[1:2]", 0, "expected \"{\" at position 0");
	expect_syntax("1:2", 0, "expected \"{\" at position 0");
	expect_syntax("{0:1}", 1, "block id \"0\" out of range at position 1");
	expect_syntax("{32768:1}", 1, "block id \"32768\" out of range at position 1");
	expect_syntax("{40000:1}", 1, "block id \"40000\" out of range at position 1");
	expect_syntax("{ 99999999999:1}", 2, "block id \"99999999999\" out of range at position 2");
	expect_syntax("{-1:2}", 1, "expected block id at position 1");
	expect_syntax("{+1:2}", 1, "expected block id at position 1");
	expect_syntax("{abc:2}", 1, "expected block id at position 1");
	expect_syntax("{12 3}", 4, "expected \":\" after block id 12 at position 4");
	expect_syntax("{12x:3}", 3, "expected \":\" after block id 12 at position 3");
	expect_syntax("{12}", 3, "expected \":\" after block id 12 at position 3");
	expect_syntax("{12:5}", 4, "level \"5\" out of range at position 4");
	expect_syntax("{12:9}", 4, "level \"9\" out of range at position 4");
	expect_syntax("{12: 10}", 5, "level \"10\" out of range at position 5");
	expect_syntax("{12:04}", 4, "invalid level \"04\" at position 4");
	expect_syntax("{12:NA}", 4, "invalid level \"NA\" at position 4");
	expect_syntax("{12:n}", 4, "invalid level \"n\" at position 4");
	expect_syntax("{12:nan}", 4, "invalid level \"nan\" at position 4");
	expect_syntax("{12:3x}", 4, "invalid level \"3x\" at position 4");
	expect_syntax("{12:-1}", 4, "expected level after block id 12 at position 4");
	expect_syntax("{12:}", 4, "expected level after block id 12 at position 4");
	expect_syntax("{1:2,1:3}", 5, "duplicate block id 1 at position 5");
	expect_syntax("{12:2, 5:1, 012:3}", 12, "duplicate block id 12 at position 12");
	expect_syntax("{1:2 3:4}", 5, "expected \",\" or \"}\" after block 1 at position 5");
	expect_syntax("{1:2;3:4}", 4, "expected \",\" or \"}\" after block 1 at position 4");
	expect_syntax("{1:2,}", 5, "expected block id at position 5");
	expect_syntax("{,}", 1, "expected block id at position 1");
	expect_syntax("{1:2", 4, "expected \",\" or \"}\" after block 1 at position 4");
	expect_syntax("{", 1, "expected block id at position 1");
	expect_syntax("{1:2} x", 6, "junk after closing brace at position 6");
	expect_syntax("{1:2}}", 5, "junk after closing brace at position 5");
	expect_syntax("{}{}", 2, "junk after closing brace at position 2");
}

static void
test_parse_error_details(void)
{
	kbs_error err;

	kbs_profile_parse("{12:5}", 6, ebuf, &err);
	CU_ASSERT_STRING_EQUAL(err.detail, "A level is one of 0, 1, 2, 3, 4 or na.");
	kbs_profile_parse("{0:1}", 5, ebuf, &err);
	CU_ASSERT_STRING_EQUAL(err.detail, "Block ids run from 1 to 32767.");
	kbs_profile_parse("{1:2", 4, ebuf, &err);
	CU_ASSERT_STRING_EQUAL(err.detail, "Found end of input.");
	kbs_profile_parse("{1:2 3}", 7, ebuf, &err);
	CU_ASSERT_STRING_EQUAL(err.detail, "Found \"3\".");
	kbs_profile_parse("{1:2\t;}", 7, ebuf, &err);
	CU_ASSERT_STRING_EQUAL(err.detail, "Found \";\".");
}

static void
test_parse_full_range(void)
{
	/* every id once, in descending order: the largest possible profile */
	char *s = malloc(400000);
	char *p = s;
	kbs_error err;
	int id, n;

	CU_ASSERT_FATAL(s != NULL);
	*p++ = '{';
	for (id = KBS_MAX_BLOCK_ID; id >= 1; id--)
		p += sprintf(p, "%d:%d%s", id, id % 5, id > 1 ? "," : "");
	*p++ = '}';
	n = kbs_profile_parse(s, (size_t) (p - s), ebuf, &err);
	CU_ASSERT_EQUAL_FATAL(n, KBS_MAX_ENTRIES);
	CU_ASSERT_EQUAL(ebuf[0].id, 1);
	CU_ASSERT_EQUAL(ebuf[n - 1].id, 32767);
	CU_ASSERT_EQUAL(ebuf[n - 1].code, L(32767 % 5));
	/* dense storage for all of them: 6 + 3 * 4096 bytes */
	CU_ASSERT_EQUAL(kbs_profile_storage_size(ebuf, n), 6 + 3 * 4096);
	free(s);
}

/* ------------------------------------------------------------------ */
/* Storage                                                             */
/* ------------------------------------------------------------------ */

static int
load_ok(const kbs_pentry *e, int n)
{
	kbs_error err;
	size_t size = kbs_profile_storage_size(e, n);
	int m;

	kbs_profile_store(e, n, bbuf);
	m = kbs_profile_load(bbuf, size, ebuf2, &err);
	CU_ASSERT_EQUAL(err.code, KBS_OK);
	CU_ASSERT_TRUE(test_profile_equal(e, n, ebuf2, m));
	return m;
}

static void
test_storage_empty(void)
{
	kbs_error err;

	CU_ASSERT_EQUAL(kbs_profile_storage_size(NULL, 0), 2);
	kbs_profile_store(NULL, 0, bbuf);
	CU_ASSERT_EQUAL(bbuf[0], 1);
	CU_ASSERT_EQUAL(bbuf[1], KBS_LAYOUT_SPARSE);
	CU_ASSERT_EQUAL(kbs_profile_load(bbuf, 2, ebuf2, &err), 0);
	CU_ASSERT_EQUAL(kbs_profile_code_of(bbuf, 2, 1), KBS_CODE_ABSENT);
}

static void
test_storage_sparse_bytes(void)
{
	static const uint8_t want[] = {1, 0, 0x2c, 0x01, 6, 0xff, 0x7f, 5};
	kbs_pentry e[2] = {{300, NA}, {32767, L(4)}};

	CU_ASSERT_EQUAL(kbs_profile_storage_size(e, 2), sizeof(want));
	kbs_profile_store(e, 2, bbuf);
	CU_ASSERT_EQUAL(memcmp(bbuf, want, sizeof(want)), 0);
	CU_ASSERT_EQUAL(load_ok(e, 2), 2);
}

static void
test_storage_dense_bytes(void)
{
	/* ids 10..17 with codes 1,2,3,4,5,6,1,2: plane k = bit k of each code */
	static const uint8_t want[] = {1, 1, 10, 0, 8, 0, 0x55, 0xa6, 0x38};
	kbs_pentry e[8];
	int i;

	for (i = 0; i < 8; i++)
	{
		e[i].id = (uint16_t) (10 + i);
		e[i].code = (uint8_t) (i % 6 + 1);
	}
	CU_ASSERT_EQUAL(kbs_profile_storage_size(e, 8), sizeof(want));
	kbs_profile_store(e, 8, bbuf);
	CU_ASSERT_EQUAL(memcmp(bbuf, want, sizeof(want)), 0);
	CU_ASSERT_EQUAL(load_ok(e, 8), 8);
	for (i = 0; i < 8; i++)
		CU_ASSERT_EQUAL(kbs_profile_code_of(want, sizeof(want), 10 + i), e[i].code);
	CU_ASSERT_EQUAL(kbs_profile_code_of(want, sizeof(want), 9), 0);
	CU_ASSERT_EQUAL(kbs_profile_code_of(want, sizeof(want), 18), 0);
}

static void
test_storage_target_dense(void)
{
	/* 150 consecutive assessed blocks: at most 95 payload bytes */
	kbs_pentry e[150];
	int i;

	for (i = 0; i < 150; i++)
	{
		e[i].id = (uint16_t) (100 + i);
		e[i].code = (uint8_t) (i % 6 + 1);
	}
	CU_ASSERT(kbs_profile_storage_size(e, 150) <= 95);
	CU_ASSERT_EQUAL(kbs_profile_storage_size(e, 150), 63);
	kbs_profile_store(e, 150, bbuf);
	CU_ASSERT_EQUAL(bbuf[1], KBS_LAYOUT_DENSE);
	CU_ASSERT_EQUAL(load_ok(e, 150), 150);
	for (i = 0; i < 150; i++)
		CU_ASSERT_EQUAL(kbs_profile_code_of(bbuf, 63, 100 + i), e[i].code);
	CU_ASSERT_EQUAL(kbs_profile_code_of(bbuf, 63, 99), 0);
	CU_ASSERT_EQUAL(kbs_profile_code_of(bbuf, 63, 250), 0);
	CU_ASSERT_EQUAL(kbs_profile_code_of(bbuf, 63, 0), 0);
	CU_ASSERT_EQUAL(kbs_profile_code_of(bbuf, 63, 40000), 0);
}

static void
test_storage_target_sparse(void)
{
	/* 3 entries at ids > 1000: at most 23 payload bytes */
	kbs_pentry e[3] = {{1001, L(2)}, {1500, NA}, {20000, L(0)}};

	CU_ASSERT(kbs_profile_storage_size(e, 3) <= 23);
	CU_ASSERT_EQUAL(kbs_profile_storage_size(e, 3), 11);
	kbs_profile_store(e, 3, bbuf);
	CU_ASSERT_EQUAL(bbuf[1], KBS_LAYOUT_SPARSE);
	CU_ASSERT_EQUAL(load_ok(e, 3), 3);
	CU_ASSERT_EQUAL(kbs_profile_code_of(bbuf, 11, 1001), L(2));
	CU_ASSERT_EQUAL(kbs_profile_code_of(bbuf, 11, 1500), NA);
	CU_ASSERT_EQUAL(kbs_profile_code_of(bbuf, 11, 20000), L(0));
	CU_ASSERT_EQUAL(kbs_profile_code_of(bbuf, 11, 1002), 0);
	CU_ASSERT_EQUAL(kbs_profile_code_of(bbuf, 11, 1), 0);
	CU_ASSERT_EQUAL(kbs_profile_code_of(bbuf, 11, 32767), 0);
}

static void
test_storage_boundary_ids(void)
{
	kbs_pentry sparse[2] = {{1, L(1)}, {32767, NA}};
	kbs_pentry dense[4] = {{32764, L(0)}, {32765, L(1)}, {32766, L(2)}, {32767, L(3)}};
	kbs_pentry low[4] = {{1, L(4)}, {2, NA}, {3, L(3)}, {4, L(2)}};

	CU_ASSERT_EQUAL(load_ok(sparse, 2), 2);
	CU_ASSERT_EQUAL(bbuf[1], KBS_LAYOUT_SPARSE);
	CU_ASSERT_EQUAL(kbs_profile_code_of(bbuf, 8, 1), L(1));
	CU_ASSERT_EQUAL(kbs_profile_code_of(bbuf, 8, 32767), NA);
	CU_ASSERT_EQUAL(load_ok(dense, 4), 4);
	CU_ASSERT_EQUAL(bbuf[1], KBS_LAYOUT_DENSE);
	CU_ASSERT_EQUAL(kbs_profile_code_of(bbuf, 9, 32767), L(3));
	CU_ASSERT_EQUAL(load_ok(low, 4), 4);
	CU_ASSERT_EQUAL(bbuf[1], KBS_LAYOUT_DENSE);
	CU_ASSERT_EQUAL(kbs_profile_code_of(bbuf, 9, 1), L(4));
}

static void
test_storage_layout_choice(void)
{
	/*
	 * Sparse is 2 + 3n and dense 6 + 3 ceil(span/8): they differ mod 3, so a
	 * profile tie cannot happen. Check the switch-over on both sides and the
	 * choice against the two formulas for many shapes.
	 */
	kbs_pentry two[2] = {{1, L(0)}, {8, L(0)}};
	kbs_pentry three[3] = {{1, L(0)}, {4, L(0)}, {8, L(0)}};
	kbs_pentry e[64];
	int n, span;

	CU_ASSERT_EQUAL(kbs_profile_storage_size(two, 2), 8);
	kbs_profile_store(two, 2, bbuf);
	CU_ASSERT_EQUAL(bbuf[1], KBS_LAYOUT_SPARSE);
	CU_ASSERT_EQUAL(kbs_profile_storage_size(three, 3), 9);
	kbs_profile_store(three, 3, bbuf);
	CU_ASSERT_EQUAL(bbuf[1], KBS_LAYOUT_DENSE);

	for (span = 1; span <= 64; span++)
	{
		for (n = 1; n <= span && n <= 64; n++)
		{
			size_t sp = 2 + 3 * (size_t) n, de = 6 + 3 * (((size_t) span + 7) / 8);
			int i;

			/* n ids spread over exactly span blocks */
			for (i = 0; i < n; i++)
			{
				e[i].id = (uint16_t) (500 + (n == 1 ? 0 : (i * (span - 1)) / (n - 1)));
				e[i].code = L(i % 5);
			}
			if (n == 1 && span > 1)
				continue;
			CU_ASSERT_EQUAL(kbs_profile_storage_size(e, n), sp < de ? sp : de);
			kbs_profile_store(e, n, bbuf);
			CU_ASSERT_EQUAL(bbuf[1], de < sp ? KBS_LAYOUT_DENSE : KBS_LAYOUT_SPARSE);
		}
	}
}

static void
expect_load_error(const uint8_t *buf, size_t len, const char *msg)
{
	kbs_error err;

	CU_ASSERT_EQUAL(kbs_profile_load(buf, len, ebuf2, &err), -1);
	CU_ASSERT_EQUAL(err.code, KBS_ERR_BINARY);
	if (strcmp(err.msg, msg) != 0)
	{
		fprintf(stderr, "\n    got \"%s\", want \"%s\"\n", err.msg, msg);
		CU_FAIL("unexpected error message");
	}
}

static void
test_load_rejects(void)
{
	uint8_t b[64] = {0};
	kbs_pentry dense[8];
	int i;

	expect_load_error(b, 0, "invalid kbs.profile storage: truncated");
	b[0] = 1;
	expect_load_error(b, 1, "invalid kbs.profile storage: truncated");
	b[0] = 2;
	b[1] = 0;
	expect_load_error(b, 2, "unsupported kbs.profile storage format version 2");
	b[0] = 1;
	b[1] = 2;
	expect_load_error(b, 2, "invalid kbs.profile storage: unknown layout");

	/* sparse */
	memcpy(b, "\x01\x00\x05\x00\x02", 5);
	CU_ASSERT_EQUAL(kbs_profile_load(b, 5, ebuf2, NULL), 1);
	expect_load_error(b, 4, "invalid kbs.profile storage: size does not match the sparse layout");
	b[5] = 0;
	expect_load_error(b, 6, "invalid kbs.profile storage: size does not match the sparse layout");
	memcpy(b, "\x01\x00\x00\x00\x02", 5);
	expect_load_error(b, 5, "invalid kbs.profile storage: block id out of range");
	memcpy(b, "\x01\x00\x00\x80\x02", 5);
	expect_load_error(b, 5, "invalid kbs.profile storage: block id out of range");
	memcpy(b, "\x01\x00\x05\x00\x00", 5);
	expect_load_error(b, 5, "invalid kbs.profile storage: invalid level code");
	memcpy(b, "\x01\x00\x05\x00\x07", 5);
	expect_load_error(b, 5, "invalid kbs.profile storage: invalid level code");
	memcpy(b, "\x01\x00\x05\x00\x02\x05\x00\x03", 8);
	expect_load_error(b, 8, "invalid kbs.profile storage: block ids not in ascending order");
	memcpy(b, "\x01\x00\x06\x00\x02\x05\x00\x03", 8);
	expect_load_error(b, 8, "invalid kbs.profile storage: block ids not in ascending order");
	/* ids 1,2,3 stored sparse (11 bytes) although dense (9 bytes) is smaller */
	memcpy(b, "\x01\x00\x01\x00\x02\x02\x00\x02\x03\x00\x02", 11);
	expect_load_error(b, 11, "invalid kbs.profile storage: non-canonical layout (dense is smaller)");

	/* dense */
	for (i = 0; i < 8; i++)
	{
		dense[i].id = (uint16_t) (10 + i);
		dense[i].code = (uint8_t) (i % 6 + 1);
	}
	kbs_profile_store(dense, 8, b);
	CU_ASSERT_EQUAL(kbs_profile_load(b, 9, ebuf2, NULL), 8);
	expect_load_error(b, 8, "invalid kbs.profile storage: size does not match the dense layout");
	b[9] = 0;
	expect_load_error(b, 10, "invalid kbs.profile storage: size does not match the dense layout");
	expect_load_error(b, 5, "invalid kbs.profile storage: truncated");
	/* code 7 in block 10: all three planes set */
	kbs_profile_store(dense, 8, b);
	b[6] |= 1;
	b[7] |= 1;
	b[8] |= 1;
	expect_load_error(b, 9, "invalid kbs.profile storage: invalid level code");
	/* span 7: the top bit of each plane byte is padding */
	kbs_profile_store(dense, 8, b);
	b[4] = 7;
	expect_load_error(b, 9, "invalid kbs.profile storage: non-zero padding bits");
	/* first block not assessed */
	kbs_profile_store(dense, 8, b);
	b[6] &= 0xfe;
	expect_load_error(b, 9, "invalid kbs.profile storage: first or last block of the dense range not assessed");
	/* last block not assessed */
	kbs_profile_store(dense, 8, b);
	b[7] &= 0x7f;
	expect_load_error(b, 9, "invalid kbs.profile storage: first or last block of the dense range not assessed");
	/* base 0, span 0 and a range past 32767 */
	kbs_profile_store(dense, 8, b);
	b[2] = 0;
	expect_load_error(b, 9, "invalid kbs.profile storage: block range out of bounds");
	kbs_profile_store(dense, 8, b);
	b[4] = 0;
	expect_load_error(b, 9, "invalid kbs.profile storage: block range out of bounds");
	kbs_profile_store(dense, 8, b);
	b[2] = 0xfa;
	b[3] = 0x7f; /* base 32762 + 8 - 1 > 32767 */
	expect_load_error(b, 9, "invalid kbs.profile storage: block range out of bounds");
	/* two far-apart blocks stored dense: sparse would be smaller */
	memcpy(b, "\x01\x01\x01\x00\x08\x00\x01\x00\x00", 9);
	b[6] = 0x81;
	CU_ASSERT_EQUAL(kbs_profile_load(b, 9, ebuf2, NULL), -1);
	expect_load_error(b, 9, "invalid kbs.profile storage: non-canonical layout (sparse is not larger)");
	/* the same with three blocks is canonical */
	b[6] = 0x89;
	CU_ASSERT_EQUAL(kbs_profile_load(b, 9, ebuf2, NULL), 3);
}

/* ------------------------------------------------------------------ */
/* Wire                                                                */
/* ------------------------------------------------------------------ */

static void
expect_wire_error(const uint8_t *buf, size_t len, const char *msg)
{
	kbs_error err;

	CU_ASSERT_EQUAL(kbs_profile_wire_decode(buf, len, ebuf2, &err), -1);
	CU_ASSERT_EQUAL(err.code, KBS_ERR_BINARY);
	if (strcmp(err.msg, msg) != 0)
	{
		fprintf(stderr, "\n    got \"%s\", want \"%s\"\n", err.msg, msg);
		CU_FAIL("unexpected error message");
	}
}

static void
test_wire_bytes(void)
{
	static const uint8_t want[] = {1, 0, 0, 0, 3, 0, 1, 1, 0x01, 0x2c, 6, 0x7f, 0xff, 5};
	kbs_pentry e[3] = {{1, L(0)}, {300, NA}, {32767, L(4)}};
	kbs_error err;

	CU_ASSERT_EQUAL(kbs_profile_wire_size(3), sizeof(want));
	kbs_profile_wire_encode(e, 3, bbuf);
	CU_ASSERT_EQUAL(memcmp(bbuf, want, sizeof(want)), 0);
	CU_ASSERT_EQUAL(kbs_profile_wire_decode(want, sizeof(want), ebuf2, &err), 3);
	CU_ASSERT_TRUE(test_profile_equal(e, 3, ebuf2, 3));

	CU_ASSERT_EQUAL(kbs_profile_wire_size(0), 5);
	kbs_profile_wire_encode(NULL, 0, bbuf);
	CU_ASSERT_EQUAL(memcmp(bbuf, "\x01\x00\x00\x00\x00", 5), 0);
	CU_ASSERT_EQUAL(kbs_profile_wire_decode(bbuf, 5, ebuf2, &err), 0);
}

static void
test_wire_rejects(void)
{
	uint8_t b[32] = {0};

	expect_wire_error(b, 0, "truncated kbs.profile binary value");
	memcpy(b, "\x07\x00\x00\x00\x00", 5);
	expect_wire_error(b, 5, "unsupported kbs.profile binary format version 7");
	expect_wire_error(b, 1, "unsupported kbs.profile binary format version 7");
	memcpy(b, "\x01\x00\x00\x00\x01\x00\x05\x02", 8);
	expect_wire_error(b, 4, "truncated kbs.profile binary value");
	expect_wire_error(b, 7, "truncated kbs.profile binary value");
	b[8] = 0;
	expect_wire_error(b, 9, "unexpected bytes after kbs.profile binary value");
	CU_ASSERT_EQUAL(kbs_profile_wire_decode(b, 8, ebuf2, NULL), 1);
	memcpy(b, "\x01\x00\x00\x80\x00", 5);
	expect_wire_error(b, 5, "too many entries (32768) in kbs.profile binary value");
	memcpy(b, "\x01\xff\xff\xff\xff", 5);
	expect_wire_error(b, 5, "too many entries (4294967295) in kbs.profile binary value");
	memcpy(b, "\x01\x00\x00\x00\x01\x00\x00\x02", 8);
	expect_wire_error(b, 8, "block id 0 out of range in kbs.profile binary value");
	memcpy(b, "\x01\x00\x00\x00\x01\x80\x00\x02", 8);
	expect_wire_error(b, 8, "block id 32768 out of range in kbs.profile binary value");
	memcpy(b, "\x01\x00\x00\x00\x01\x00\x05\x00", 8);
	expect_wire_error(b, 8, "invalid level code 0 for block 5");
	memcpy(b, "\x01\x00\x00\x00\x01\x00\x05\x07", 8);
	expect_wire_error(b, 8, "invalid level code 7 for block 5");
	memcpy(b, "\x01\x00\x00\x00\x02\x00\x05\x02\x00\x04\x02", 11);
	expect_wire_error(b, 11, "block ids not in ascending order (4 after 5)");
	memcpy(b, "\x01\x00\x00\x00\x02\x00\x05\x02\x00\x05\x02", 11);
	expect_wire_error(b, 11, "block ids not in ascending order (5 after 5)");
}

/* ------------------------------------------------------------------ */
/* Operations                                                          */
/* ------------------------------------------------------------------ */

static void
test_merge_max(void)
{
	kbs_pentry a[4] = {{1, NA}, {2, L(0)}, {3, L(4)}, {5, L(2)}};
	kbs_pentry b[5] = {{1, L(0)}, {2, NA}, {3, L(1)}, {4, NA}, {6, L(3)}};
	kbs_pentry want[6] = {{1, L(0)}, {2, L(0)}, {3, L(4)}, {4, NA}, {5, L(2)}, {6, L(3)}};
	kbs_pentry out[16];
	int n;

	n = kbs_profile_merge_max(a, 4, b, 5, out);
	CU_ASSERT_TRUE(test_profile_equal(out, n, want, 6));
	n = kbs_profile_merge_max(b, 5, a, 4, out);
	CU_ASSERT_TRUE(test_profile_equal(out, n, want, 6));
	n = kbs_profile_merge_max(a, 4, a, 4, out);
	CU_ASSERT_TRUE(test_profile_equal(out, n, a, 4));
	n = kbs_profile_merge_max(a, 4, NULL, 0, out);
	CU_ASSERT_TRUE(test_profile_equal(out, n, a, 4));
	n = kbs_profile_merge_max(NULL, 0, b, 5, out);
	CU_ASSERT_TRUE(test_profile_equal(out, n, b, 5));
	CU_ASSERT_EQUAL(kbs_profile_merge_max(NULL, 0, NULL, 0, out), 0);
}

static void
test_merge_max_order(void)
{
	/* every pair of codes: the winner follows 4 > 3 > 2 > 1 > 0 > na > absent */
	static const uint8_t order[] = {KBS_CODE_NA, 1, 2, 3, 4, 5};
	int i, j;

	for (i = 0; i < 6; i++)
		for (j = 0; j < 6; j++)
		{
			kbs_pentry a = {42, order[i]}, b = {42, order[j]}, out[2];

			CU_ASSERT_EQUAL(kbs_profile_merge_max(&a, 1, &b, 1, out), 1);
			CU_ASSERT_EQUAL(out[0].code, order[i > j ? i : j]);
			/* against absent, the present code always wins */
			CU_ASSERT_EQUAL(kbs_profile_merge_max(&a, 1, NULL, 0, out), 1);
			CU_ASSERT_EQUAL(out[0].code, order[i]);
		}
}

static void
test_raise(void)
{
	kbs_pentry e[3] = {{5, L(2)}, {9, NA}, {20, L(4)}};
	kbs_pentry out[4];
	kbs_pentry w1[4] = {{1, L(0)}, {5, L(2)}, {9, NA}, {20, L(4)}};
	kbs_pentry w2[3] = {{5, L(3)}, {9, NA}, {20, L(4)}};
	kbs_pentry w3[3] = {{5, L(2)}, {9, L(1)}, {20, L(4)}};
	kbs_pentry w4[4] = {{5, L(2)}, {9, NA}, {12, L(4)}, {20, L(4)}};
	kbs_pentry w5[4] = {{5, L(2)}, {9, NA}, {20, L(4)}, {32767, L(2)}};
	int n;

	n = kbs_profile_raise(e, 3, 1, 0, out);
	CU_ASSERT_TRUE(test_profile_equal(out, n, w1, 4));
	n = kbs_profile_raise(e, 3, 5, 3, out);
	CU_ASSERT_TRUE(test_profile_equal(out, n, w2, 3));
	/* never lowers */
	n = kbs_profile_raise(e, 3, 5, 1, out);
	CU_ASSERT_TRUE(test_profile_equal(out, n, e, 3));
	n = kbs_profile_raise(e, 3, 20, 0, out);
	CU_ASSERT_TRUE(test_profile_equal(out, n, e, 3));
	/* na becomes the level, even level 0 */
	n = kbs_profile_raise(e, 3, 9, 1, out);
	CU_ASSERT_TRUE(test_profile_equal(out, n, w3, 3));
	n = kbs_profile_raise(e, 3, 9, 0, out);
	CU_ASSERT_EQUAL(n, 3);
	CU_ASSERT_EQUAL(out[1].code, L(0));
	n = kbs_profile_raise(e, 3, 12, 4, out);
	CU_ASSERT_TRUE(test_profile_equal(out, n, w4, 4));
	n = kbs_profile_raise(e, 3, 32767, 2, out);
	CU_ASSERT_TRUE(test_profile_equal(out, n, w5, 4));
	n = kbs_profile_raise(NULL, 0, 7, 3, out);
	CU_ASSERT_EQUAL(n, 1);
	CU_ASSERT_EQUAL(out[0].id, 7);
	CU_ASSERT_EQUAL(out[0].code, L(3));
	CU_ASSERT_EQUAL(kbs_profile_raise(e, 3, 5, 5, out), -1);
	CU_ASSERT_EQUAL(kbs_profile_raise(e, 3, 5, -1, out), -1);
	CU_ASSERT_EQUAL(kbs_profile_raise(e, 3, 0, 1, out), -1);
	CU_ASSERT_EQUAL(kbs_profile_raise(e, 3, 32768, 1, out), -1);
}

static void
test_find_and_level(void)
{
	kbs_pentry e[4] = {{1, L(0)}, {5, L(4)}, {9, NA}, {32767, L(2)}};

	CU_ASSERT_EQUAL(kbs_profile_find(e, 4, 1), L(0));
	CU_ASSERT_EQUAL(kbs_profile_find(e, 4, 9), NA);
	CU_ASSERT_EQUAL(kbs_profile_find(e, 4, 32767), L(2));
	CU_ASSERT_EQUAL(kbs_profile_find(e, 4, 6), KBS_CODE_ABSENT);
	CU_ASSERT_EQUAL(kbs_profile_find(NULL, 0, 6), KBS_CODE_ABSENT);
	CU_ASSERT_EQUAL(kbs_profile_level(e, 4, 1), 0);
	CU_ASSERT_EQUAL(kbs_profile_level(e, 4, 5), 4);
	CU_ASSERT_EQUAL(kbs_profile_level(e, 4, 9), -1);
	CU_ASSERT_EQUAL(kbs_profile_level(e, 4, 10), -1);
	CU_ASSERT_EQUAL(kbs_level_from_code(KBS_CODE_INVALID), -1);
	CU_ASSERT_EQUAL(kbs_cnt_index_from_code(KBS_CODE_NA), KBS_CNT_NA);
	CU_ASSERT_EQUAL(kbs_cnt_index_from_code(L(3)), 3);
	CU_ASSERT_EQUAL(kbs_cnt_index_from_code(KBS_CODE_ABSENT), -1);
}

static void
test_normalize(void)
{
	kbs_pentry e[4] = {{9, NA}, {1, L(0)}, {5, L(4)}, {3, L(1)}};
	kbs_pentry dup[3] = {{9, NA}, {4, L(0)}, {9, L(1)}};
	kbs_pentry bad[2] = {{9, NA}, {4, 0}};
	kbs_pentry bad_id[1] = {{0, L(1)}};
	kbs_error err;

	CU_ASSERT_EQUAL(kbs_profile_normalize(e, 4, &err), 4);
	CU_ASSERT_EQUAL(e[0].id, 1);
	CU_ASSERT_EQUAL(e[3].id, 9);
	CU_ASSERT_EQUAL(kbs_profile_normalize(dup, 3, &err), -1);
	CU_ASSERT_EQUAL(err.code, KBS_ERR_VALUE);
	CU_ASSERT_STRING_EQUAL(err.msg, "duplicate block id 9");
	CU_ASSERT_EQUAL(kbs_profile_normalize(bad, 2, &err), -1);
	CU_ASSERT_EQUAL(err.code, KBS_ERR_VALUE);
	CU_ASSERT_STRING_EQUAL(err.msg, "invalid level code 0 for block 4");
	CU_ASSERT_EQUAL(kbs_profile_normalize(bad_id, 1, &err), -1);
	CU_ASSERT_STRING_EQUAL(err.msg, "block id 0 out of range");
	CU_ASSERT_EQUAL(kbs_profile_normalize(NULL, 0, &err), 0);
}

/* The level tokens that text input and kbs.profile_agg(block, text) share. */
static void
test_level_token(void)
{
	static const struct
	{
		const char *w;
		int code;
	} cases[] = {
		{"0", 1}, {"1", 2}, {"2", 3}, {"3", 4}, {"4", 5}, {"na", 6},
		/* plain numbers that are no level: a range error */
		{"5", 0}, {"9", 0}, {"12", 0}, {"4294967296", 0},
		/* anything else */
		{"", -1}, {"NA", -1}, {"n", -1}, {"nan", -1}, {" 3", -1}, {"3 ", -1}, {"03", -1}, {"00", -1},
		{"-1", -1}, {"+1", -1}, {"2.0", -1}, {"3,5", -1}, {"x", -1},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
	{
		int got = kbs_level_token(cases[i].w, strlen(cases[i].w));

		if (got != cases[i].code)
			fprintf(stderr, "level token \"%s\": got %d, expected %d\n", cases[i].w, got, cases[i].code);
		CU_ASSERT_EQUAL(got, cases[i].code);
	}
	/* the length counts, not a terminating NUL */
	CU_ASSERT_EQUAL(kbs_level_token("na", 1), -1);
	CU_ASSERT_EQUAL(kbs_level_token("34", 1), 4);
}

int
kbs_register_profile_tests(void)
{
	static const test_case profile_text[] = {
		{"canonical input", test_parse_canonical},
		{"spaces and any order", test_parse_spaces_and_order},
		{"empty profile", test_parse_empty},
		{"boundary ids and leading zeros", test_parse_boundary_ids},
		{"all levels and na", test_parse_all_levels},
		{"syntax errors", test_parse_errors},
		{"error details", test_parse_error_details},
		{"all 32767 ids", test_parse_full_range},
		{"level tokens", test_level_token},
		{NULL, NULL}
	};
	static const test_case profile_storage_and_wire[] = {
		{"empty storage", test_storage_empty},
		{"sparse bytes", test_storage_sparse_bytes},
		{"dense bit-plane bytes", test_storage_dense_bytes},
		{"150 consecutive blocks <= 95 bytes", test_storage_target_dense},
		{"3 high ids <= 23 bytes", test_storage_target_sparse},
		{"boundary ids 1 and 32767", test_storage_boundary_ids},
		{"layout choice", test_storage_layout_choice},
		{"load rejects bad buffers", test_load_rejects},
		{"wire bytes", test_wire_bytes},
		{"wire rejects bad buffers", test_wire_rejects},
		{NULL, NULL}
	};
	static const test_case profile_operations[] = {
		{"merge by maximum", test_merge_max},
		{"merge order of all codes", test_merge_max_order},
		{"raise", test_raise},
		{"find and level", test_find_and_level},
		{"normalize", test_normalize},
		{NULL, NULL}
	};

	if (test_add_suite("profile text", profile_text) != 0 ||
		test_add_suite("profile storage and wire", profile_storage_and_wire) != 0 ||
		test_add_suite("profile operations", profile_operations) != 0)
		return -1;
	return 0;
}
