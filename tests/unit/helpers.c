/*
 * Shared unit test helpers (helpers.h).
 */
#include "helpers.h"

#include "../common/rng.h"

#include <stdio.h>
#include <string.h>

uint64_t	test_rng_state;

uint64_t
test_rnd(void)
{
	return rng_next(&test_rng_state);
}

uint32_t
test_rnd_between(uint32_t lo, uint32_t hi)
{
	return rng_between(&test_rng_state, lo, hi);
}

bool
test_chance(unsigned percent)
{
	return test_rnd() % 100 < percent;
}

void
test_syntax_error(const char *in, int n, const kbs_error *err, int pos, const char *msg)
{
	CU_ASSERT_EQUAL(n, -1);
	CU_ASSERT_EQUAL(err->code, KBS_ERR_SYNTAX);
	CU_ASSERT_EQUAL(err->position, pos);
	if (strcmp(err->msg, msg) != 0)
	{
		fprintf(stderr, "\n    input '%s': got \"%s\", want \"%s\"\n", in, err->msg, msg);
		CU_FAIL("unexpected error message");
	}
}

void
test_parsed(const char *what, const char *in, int n, const kbs_error *err)
{
	if (n < 0)
		fprintf(stderr, "\n    %s '%s': %s\n", what, in, err->msg);
	CU_ASSERT_FATAL(n >= 0);
}

const char *
test_error_text(const kbs_error *err)
{
	static char text[sizeof(err->msg) + 16];

	snprintf(text, sizeof(text), "ERROR: %s", err->msg);
	return text;
}

int
test_add_suite(const char *name, const test_case *tests)
{
	CU_pSuite	s = CU_add_suite(name, NULL, NULL);

	if (s == NULL)
		return -1;
	for (; tests->name != NULL; tests++)
		if (CU_add_test(s, tests->name, tests->run) == NULL)
			return -1;
	return 0;
}
