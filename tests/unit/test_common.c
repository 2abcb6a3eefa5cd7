/*
 * Errors and the input checks every text parser shares.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "kbs_core.h"

int kbs_register_common_tests(void);

static kbs_pentry pbuf[KBS_MAX_ENTRIES];
static kbs_rentry rbuf[KBS_MAX_ENTRIES];
static kbs_centry cbuf[KBS_MAX_ENTRIES];

/* Run all three parsers on s[0..len) and check each fails the same way. */
static void
expect_all_fail(const char *s, size_t len, int pos, const char *msg)
{
	kbs_error e1, e2, e3;
	uint32_t m;

	CU_ASSERT_EQUAL(kbs_profile_parse(s, len, pbuf, &e1), -1);
	CU_ASSERT_EQUAL(kbs_requirement_parse(s, len, rbuf, &e2), -1);
	CU_ASSERT_EQUAL(kbs_coverage_parse(s, len, cbuf, &m, &e3), -1);
	CU_ASSERT_EQUAL(e1.code, KBS_ERR_SYNTAX);
	CU_ASSERT_EQUAL(e2.code, KBS_ERR_SYNTAX);
	CU_ASSERT_EQUAL(e3.code, KBS_ERR_SYNTAX);
	CU_ASSERT_EQUAL(e1.position, pos);
	CU_ASSERT_EQUAL(e2.position, pos);
	CU_ASSERT_EQUAL(e3.position, pos);
	CU_ASSERT_STRING_EQUAL(e1.msg, msg);
	CU_ASSERT_STRING_EQUAL(e2.msg, msg);
	CU_ASSERT_STRING_EQUAL(e3.msg, msg);
}

static void
test_sqlstates(void)
{
	CU_ASSERT_STRING_EQUAL(kbs_errcode_sqlstate(KBS_ERR_SYNTAX), "22P02");
	CU_ASSERT_STRING_EQUAL(kbs_errcode_sqlstate(KBS_ERR_VALUE), "22023");
	CU_ASSERT_STRING_EQUAL(kbs_errcode_sqlstate(KBS_ERR_RANGE), "22003");
	CU_ASSERT_STRING_EQUAL(kbs_errcode_sqlstate(KBS_ERR_BINARY), "22P03");
	CU_ASSERT_STRING_EQUAL(kbs_errcode_sqlstate(KBS_ERR_NOMEM), "53200");
	CU_ASSERT_STRING_EQUAL(kbs_errcode_sqlstate(KBS_OK), "00000");
}

static void
test_error_init_and_success_clears(void)
{
	kbs_error err;

	memset(&err, 'x', sizeof(err));
	kbs_error_init(&err);
	CU_ASSERT_EQUAL(err.code, KBS_OK);
	CU_ASSERT_EQUAL(err.position, -1);
	CU_ASSERT_STRING_EQUAL(err.msg, "");
	CU_ASSERT_STRING_EQUAL(err.detail, "");

	/* a failed call followed by a good one leaves no stale error */
	CU_ASSERT_EQUAL(kbs_profile_parse("{x}", 3, pbuf, &err), -1);
	CU_ASSERT_NOT_EQUAL(err.code, KBS_OK);
	CU_ASSERT_EQUAL(kbs_profile_parse("{}", 2, pbuf, &err), 0);
	CU_ASSERT_EQUAL(err.code, KBS_OK);
	CU_ASSERT_STRING_EQUAL(err.msg, "");
}

static void
test_null_error_pointer(void)
{
	/* callers that only want the verdict may pass NULL */
	CU_ASSERT_EQUAL(kbs_profile_parse("{1:9}", 5, pbuf, NULL), -1);
	CU_ASSERT_EQUAL(kbs_profile_parse("{1:4}", 5, pbuf, NULL), 1);
	CU_ASSERT_EQUAL(kbs_profile_wire_decode((const uint8_t *) "\x07", 1, pbuf, NULL), -1);
}

static void
test_empty_input(void)
{
	expect_all_fail("", 0, 0, "empty input");
}

static void
test_whitespace_only(void)
{
	kbs_error err;
	uint32_t m;

	CU_ASSERT_EQUAL(kbs_profile_parse(" \t\n", 3, pbuf, &err), -1);
	CU_ASSERT_EQUAL(err.code, KBS_ERR_SYNTAX);
	CU_ASSERT_STRING_EQUAL(err.msg, "expected \"{\" at position 3");
	CU_ASSERT_STRING_EQUAL(err.detail, "Found end of input.");
	CU_ASSERT_EQUAL(kbs_coverage_parse("  ", 2, cbuf, &m, &err), -1);
	CU_ASSERT_STRING_EQUAL(err.msg, "expected \"(\" at position 2");
}

static void
test_nul_byte(void)
{
	expect_all_fail("{1:2\0}", 6, 4, "unexpected NUL byte at position 4");
	expect_all_fail("\0", 1, 0, "unexpected NUL byte at position 0");
}

static void
test_too_long(void)
{
	size_t len = KBS_MAX_TEXT_LEN + 1;
	char *s = malloc(len);
	kbs_error err;

	CU_ASSERT_FATAL(s != NULL);
	memset(s, ' ', len);
	s[0] = '{';
	s[len - 1] = '}';
	expect_all_fail(s, len, -1, "input too long");
	kbs_profile_parse(s, len, pbuf, &err);
	CU_ASSERT_STRING_EQUAL(err.detail, "The maximum length is 4194304 bytes.");
	/* exactly the limit is still accepted */
	CU_ASSERT_EQUAL(kbs_profile_parse(s, len - 1, pbuf, &err), -1);
	CU_ASSERT_STRING_NOT_EQUAL(err.msg, "input too long");
	s[len - 2] = '}';
	CU_ASSERT_EQUAL(kbs_profile_parse(s, len - 1, pbuf, &err), 0);
	free(s);
}

static void
test_non_ascii_found_detail(void)
{
	kbs_error err;

	/* bytes outside printable ASCII are named by value: valid in any encoding */
	CU_ASSERT_EQUAL(kbs_profile_parse("{1:2\xc3\xa9}", 7, pbuf, &err), -1);
	CU_ASSERT_STRING_EQUAL(err.msg, "expected \",\" or \"}\" after block 1 at position 4");
	CU_ASSERT_STRING_EQUAL(err.detail, "Found byte 0xc3.");
	CU_ASSERT_EQUAL(kbs_profile_parse("{1 2}", 5, pbuf, &err), -1);
	CU_ASSERT_STRING_EQUAL(err.detail, "Found \"2\".");
}

static void
test_long_token_is_truncated(void)
{
	const char *s = "{123456789012345678901234567890:1}";
	kbs_error err;

	CU_ASSERT_EQUAL(kbs_profile_parse(s, strlen(s), pbuf, &err), -1);
	CU_ASSERT_EQUAL(err.code, KBS_ERR_SYNTAX);
	CU_ASSERT_STRING_EQUAL(err.msg, "block id \"1234567890123456...\" out of range at position 1");
}

int
kbs_register_common_tests(void)
{
	static const test_case common[] = {
		{"sqlstate of each error code", test_sqlstates},
		{"error init and reset on success", test_error_init_and_success_clears},
		{"NULL error pointer", test_null_error_pointer},
		{"empty input", test_empty_input},
		{"whitespace-only input", test_whitespace_only},
		{"NUL byte", test_nul_byte},
		{"input longer than 1 MiB", test_too_long},
		{"non-ASCII byte in detail", test_non_ascii_found_detail},
		{"long token truncated in message", test_long_token_is_truncated},
		{NULL, NULL}
	};

	return test_add_suite("common", common) ? -1 : 0;
}
