/*
 * kbs.requirement: text, storage and wire.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <string.h>

#include "helpers.h"
#include "kbs_core.h"

int kbs_register_requirement_tests(void);

static kbs_rentry ebuf[KBS_MAX_ENTRIES];
static kbs_rentry ebuf2[KBS_MAX_ENTRIES];
static char tbuf[4096];
static uint8_t bbuf[4096];

static const char *
canon(const char *in)
{
	kbs_error err;
	int n = kbs_requirement_parse(in, strlen(in), ebuf, &err);

	if (n < 0)
		return test_error_text(&err);
	kbs_requirement_print(ebuf, n, tbuf);
	CU_ASSERT_EQUAL(strlen(tbuf) + 1, kbs_requirement_text_size(ebuf, n));
	return tbuf;
}

static void
expect_syntax(const char *in, int pos, const char *msg)
{
	kbs_error err;
	int n = kbs_requirement_parse(in, strlen(in), ebuf, &err);

	test_syntax_error(in, n, &err, pos, msg);
}

static void
test_parse_canonical(void)
{
	kbs_error err;
	const char *s = "{11:1/all,31:3/2,32:3/1@3}";
	int n = kbs_requirement_parse(s, strlen(s), ebuf, &err);

	CU_ASSERT_EQUAL_FATAL(n, 3);
	CU_ASSERT_EQUAL(ebuf[0].id, 11);
	CU_ASSERT_EQUAL(ebuf[0].min_level, 1);
	CU_ASSERT_EQUAL(ebuf[0].min_members, KBS_MIN_MEMBERS_ALL);
	CU_ASSERT_EQUAL(ebuf[0].importance, 2);
	CU_ASSERT_EQUAL(ebuf[1].min_members, 2);
	CU_ASSERT_EQUAL(ebuf[2].min_level, 3);
	CU_ASSERT_EQUAL(ebuf[2].min_members, 1);
	CU_ASSERT_EQUAL(ebuf[2].importance, 3);
	CU_ASSERT_STRING_EQUAL(canon(s), s);
}

static void
test_parse_spaces_order_default_importance(void)
{
	CU_ASSERT_STRING_EQUAL(canon(" { 32 : 3 / 1 @ 3 ,\n11:1/all , 31:3/2@2 } "), "{11:1/all,31:3/2,32:3/1@3}");
	CU_ASSERT_STRING_EQUAL(canon("{5:4/2147483647@1}"), "{5:4/2147483647@1}");
	CU_ASSERT_STRING_EQUAL(canon("{32767:2/007,1:1/all@1}"), "{1:1/all@1,32767:2/7}");
	CU_ASSERT_STRING_EQUAL(canon("{}"), "{}");
	CU_ASSERT_STRING_EQUAL(canon("\t{\t}\t"), "{}");
}

static void
test_parse_errors(void)
{
	expect_syntax("(1:1/all)", 0, "expected \"{\" at position 0");
	expect_syntax("{0:1/all}", 1, "block id \"0\" out of range at position 1");
	expect_syntax("{32768:1/all}", 1, "block id \"32768\" out of range at position 1");
	expect_syntax("{1 1/all}", 3, "expected \":\" after block id 1 at position 3");
	expect_syntax("{1:5/all}", 3, "minimum level \"5\" out of range at position 3");
	expect_syntax("{1:0/all}", 3, "minimum level \"0\" out of range at position 3");
	expect_syntax("{1:x/all}", 3, "invalid minimum level \"x\" at position 3");
	expect_syntax("{1:/all}", 3, "expected minimum level of block 1 at position 3");
	expect_syntax("{1:2 all}", 5, "expected \"/\" after the minimum level of block 1 at position 5");
	expect_syntax("{1:2}", 4, "expected \"/\" after the minimum level of block 1 at position 4");
	expect_syntax("{1:2/}", 5, "expected member count of block 1 at position 5");
	expect_syntax("{1:2/0}", 5, "member count \"0\" out of range at position 5");
	expect_syntax("{1:2/2147483648}", 5, "member count \"2147483648\" out of range at position 5");
	expect_syntax("{1:2/99999999999}", 5, "member count \"99999999999\" out of range at position 5");
	expect_syntax("{1:2/ALL}", 5, "invalid member count \"ALL\" at position 5");
	expect_syntax("{1:2/-3}", 5, "expected member count of block 1 at position 5");
	expect_syntax("{1:2/3x}", 5, "invalid member count \"3x\" at position 5");
	expect_syntax("{1:2/3@4}", 7, "importance \"4\" out of range at position 7");
	expect_syntax("{1:2/3@0}", 7, "importance \"0\" out of range at position 7");
	expect_syntax("{1:2/3@}", 7, "expected importance of block 1 at position 7");
	expect_syntax("{1:2/3@high}", 7, "invalid importance \"high\" at position 7");
	expect_syntax("{1:2/3,1:3/all}", 7, "duplicate block id 1 at position 7");
	expect_syntax("{1:2/3 2:2/3}", 7, "expected \",\" or \"}\" after block 1 at position 7");
	expect_syntax("{1:2/3,}", 7, "expected block id at position 7");
	expect_syntax("{1:2/3", 6, "expected \",\" or \"}\" after block 1 at position 6");
	expect_syntax("{1:2/3}x", 7, "junk after closing brace at position 7");
}

static void
test_parse_error_details(void)
{
	kbs_error err;

	kbs_requirement_parse("{1:2/0}", 7, ebuf, &err);
	CU_ASSERT_STRING_EQUAL(err.detail, "A member count is 1 to 2147483647, or all for every member.");
	kbs_requirement_parse("{1:9/0}", 7, ebuf, &err);
	CU_ASSERT_STRING_EQUAL(err.detail, "The minimum level is one of 1, 2, 3 or 4.");
	kbs_requirement_parse("{1:2/3@9}", 9, ebuf, &err);
	CU_ASSERT_STRING_EQUAL(err.detail, "The importance is one of 1, 2 or 3.");
}

static void
test_storage_bytes(void)
{
	static const uint8_t want[] = {
		1,
		11, 0, 0x21, 0, 0, 0, 0,
		0x20, 0, 0x13, 2, 0, 0, 0,
		0xff, 0x7f, 0x34, 0xff, 0xff, 0xff, 0x7f,
	};
	kbs_rentry e[3] = {{11, 1, 2, 0}, {32, 3, 1, 2}, {32767, 4, 3, 2147483647u}};
	kbs_error err;

	CU_ASSERT_EQUAL(kbs_requirement_storage_size(e, 3), sizeof(want));
	kbs_requirement_store(e, 3, bbuf);
	CU_ASSERT_EQUAL(memcmp(bbuf, want, sizeof(want)), 0);
	CU_ASSERT_EQUAL(kbs_requirement_load(want, sizeof(want), ebuf2, &err), 3);
	CU_ASSERT_TRUE(test_requirement_equal(e, 3, ebuf2, 3));
	CU_ASSERT_EQUAL(kbs_requirement_storage_size(NULL, 0), 1);
	kbs_requirement_store(NULL, 0, bbuf);
	CU_ASSERT_EQUAL(kbs_requirement_load(bbuf, 1, ebuf2, &err), 0);
}

static void
expect_load_error(const uint8_t *buf, size_t len, const char *msg)
{
	kbs_error err;

	CU_ASSERT_EQUAL(kbs_requirement_load(buf, len, ebuf2, &err), -1);
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
	uint8_t b[32] = {0};

	expect_load_error(b, 0, "invalid kbs.requirement storage: truncated");
	b[0] = 3;
	expect_load_error(b, 1, "unsupported kbs.requirement storage format version 3");
	memcpy(b, "\x01\x05\x00\x21\x01\x00\x00\x00", 8);
	CU_ASSERT_EQUAL(kbs_requirement_load(b, 8, ebuf2, NULL), 1);
	expect_load_error(b, 7, "invalid kbs.requirement storage: bad size 7");
	b[8] = 0;
	expect_load_error(b, 9, "invalid kbs.requirement storage: bad size 9");
	b[3] = 0x20; /* level 0 */
	expect_load_error(b, 8, "invalid kbs.requirement storage: bad entry");
	b[3] = 0x25; /* level 5 */
	expect_load_error(b, 8, "invalid kbs.requirement storage: bad entry");
	b[3] = 0x01; /* importance 0 */
	expect_load_error(b, 8, "invalid kbs.requirement storage: bad entry");
	b[3] = 0x41; /* importance 4 */
	expect_load_error(b, 8, "invalid kbs.requirement storage: bad entry");
	b[3] = 0x21;
	b[7] = 0x80; /* members 2^31 */
	expect_load_error(b, 8, "invalid kbs.requirement storage: bad entry");
	b[7] = 0;
	b[1] = 0; /* id 0 */
	expect_load_error(b, 8, "invalid kbs.requirement storage: bad entry");
	memcpy(b, "\x01\x05\x00\x21\x01\x00\x00\x00\x05\x00\x21\x01\x00\x00\x00", 15);
	expect_load_error(b, 15, "invalid kbs.requirement storage: block ids not in ascending order");
	b[8] = 4;
	expect_load_error(b, 15, "invalid kbs.requirement storage: block ids not in ascending order");
	b[8] = 6;
	CU_ASSERT_EQUAL(kbs_requirement_load(b, 15, ebuf2, NULL), 2);
}

static void
expect_wire_error(const uint8_t *buf, size_t len, const char *msg)
{
	kbs_error err;

	CU_ASSERT_EQUAL(kbs_requirement_wire_decode(buf, len, ebuf2, &err), -1);
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
		1, 0, 0, 0, 2,
		0, 11, 1, 2, 0, 0, 0, 0,
		0x7f, 0xff, 4, 3, 0x7f, 0xff, 0xff, 0xff,
	};
	kbs_rentry e[2] = {{11, 1, 2, 0}, {32767, 4, 3, 2147483647u}};
	uint8_t b[32] = {0};
	kbs_error err;

	CU_ASSERT_EQUAL(kbs_requirement_wire_size(2), sizeof(want));
	kbs_requirement_wire_encode(e, 2, bbuf);
	CU_ASSERT_EQUAL(memcmp(bbuf, want, sizeof(want)), 0);
	CU_ASSERT_EQUAL(kbs_requirement_wire_decode(want, sizeof(want), ebuf2, &err), 2);
	CU_ASSERT_TRUE(test_requirement_equal(e, 2, ebuf2, 2));

	expect_wire_error(b, 0, "truncated kbs.requirement binary value");
	memcpy(b, want, sizeof(want));
	b[0] = 2;
	expect_wire_error(b, sizeof(want), "unsupported kbs.requirement binary format version 2");
	memcpy(b, want, sizeof(want));
	expect_wire_error(b, 4, "truncated kbs.requirement binary value");
	expect_wire_error(b, sizeof(want) - 1, "truncated kbs.requirement binary value");
	b[sizeof(want)] = 0;
	expect_wire_error(b, sizeof(want) + 1, "unexpected bytes after kbs.requirement binary value");
	b[2] = 1; /* n = 65538 */
	expect_wire_error(b, sizeof(want), "too many entries (65538) in kbs.requirement binary value");
	memcpy(b, want, sizeof(want));
	b[14] = 11; /* second id equal to the first */
	b[13] = 0;
	expect_wire_error(b, sizeof(want), "block ids not in ascending order (11 after 11)");
	memcpy(b, want, sizeof(want));
	b[5] = 0x80;
	expect_wire_error(b, sizeof(want), "block id 32779 out of range in kbs.requirement binary value");
	memcpy(b, want, sizeof(want));
	b[7] = 0;
	expect_wire_error(b, sizeof(want), "minimum level 0 of block 11 out of range");
	b[7] = 5;
	expect_wire_error(b, sizeof(want), "minimum level 5 of block 11 out of range");
	memcpy(b, want, sizeof(want));
	b[8] = 4;
	expect_wire_error(b, sizeof(want), "importance 4 of block 11 out of range");
	b[8] = 0;
	expect_wire_error(b, sizeof(want), "importance 0 of block 11 out of range");
	memcpy(b, want, sizeof(want));
	b[17] = 0x80;
	expect_wire_error(b, sizeof(want), "member count 2164260863 of block 32767 out of range");
}

static void
test_normalize(void)
{
	kbs_rentry e[3] = {{9, 1, 2, 0}, {2, 4, 3, 5}, {5, 2, 1, 1}};
	kbs_rentry dup[2] = {{9, 1, 2, 0}, {9, 2, 2, 0}};
	kbs_rentry bad_level[1] = {{9, 5, 2, 0}};
	kbs_rentry bad_imp[1] = {{9, 1, 0, 0}};
	kbs_rentry bad_m[1] = {{9, 1, 2, 2147483648u}};
	kbs_error err;

	CU_ASSERT_EQUAL(kbs_requirement_normalize(e, 3, &err), 3);
	CU_ASSERT_EQUAL(e[0].id, 2);
	CU_ASSERT_EQUAL(e[1].id, 5);
	CU_ASSERT_EQUAL(e[2].id, 9);
	CU_ASSERT_EQUAL(kbs_requirement_normalize(dup, 2, &err), -1);
	CU_ASSERT_EQUAL(err.code, KBS_ERR_VALUE);
	CU_ASSERT_STRING_EQUAL(err.msg, "duplicate block id 9");
	CU_ASSERT_EQUAL(kbs_requirement_normalize(bad_level, 1, &err), -1);
	CU_ASSERT_STRING_EQUAL(err.msg, "minimum level 5 of block 9 out of range");
	CU_ASSERT_EQUAL(kbs_requirement_normalize(bad_imp, 1, &err), -1);
	CU_ASSERT_STRING_EQUAL(err.msg, "importance 0 of block 9 out of range");
	CU_ASSERT_EQUAL(kbs_requirement_normalize(bad_m, 1, &err), -1);
	CU_ASSERT_STRING_EQUAL(err.msg, "member count 2147483648 of block 9 out of range");
}

int
kbs_register_requirement_tests(void)
{
	static const test_case requirement[] = {
		{"canonical input", test_parse_canonical},
		{"spaces, order, default importance", test_parse_spaces_order_default_importance},
		{"syntax errors", test_parse_errors},
		{"error details", test_parse_error_details},
		{"storage bytes", test_storage_bytes},
		{"load rejects bad buffers", test_load_rejects},
		{"wire bytes and rejects", test_wire},
		{"normalize", test_normalize},
		{NULL, NULL}
	};

	return test_add_suite("requirement", requirement) ? -1 : 0;
}
