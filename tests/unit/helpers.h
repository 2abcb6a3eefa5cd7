/*
 * What several unit test files share: fixed-seed random numbers, comparing
 * entry arrays field by field (tests/common/entries.h, shared with the fuzz
 * targets), checking a syntax error, and registering a suite from a table of
 * its tests.
 */
#ifndef KBS_TEST_HELPERS_H
#define KBS_TEST_HELPERS_H

#include <CUnit/CUnit.h>
#include <stdbool.h>
#include <stdint.h>

#include "../common/entries.h"
#include "kbs_core.h"

/* xorshift64, deterministic: a test seeds it by setting test_rng_state (never 0). */
extern uint64_t test_rng_state;
uint64_t	test_rnd(void);
/* Uniform-ish in [lo, hi]. */
uint32_t	test_rnd_between(uint32_t lo, uint32_t hi);
/* True in about percent out of 100 calls. */
bool		test_chance(unsigned percent);

/*
 * A parse of in that returned n with err must have failed with a syntax error
 * at position pos and exactly the message msg.
 */
void		test_syntax_error(const char *in, int n, const kbs_error *err, int pos, const char *msg);

/* Input a test relies on must parse (n >= 0): else the message and a fatal failure of the test. */
void		test_parsed(const char *what, const char *in, int n, const kbs_error *err);

/* "ERROR: <message>" (a static buffer): what a canonicalising helper returns for input that does not parse. */
const char *test_error_text(const kbs_error *err);

typedef struct test_case
{
	const char *name;
	CU_TestFunc run;
} test_case;

/* Adds a suite and its tests, a list ending in {NULL, NULL}; 0, or -1 when CUnit refuses. */
int			test_add_suite(const char *name, const test_case *tests);

#endif
