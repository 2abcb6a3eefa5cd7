/*
 * xorshift64: a fixed-seed pseudo-random generator, so that a randomized test
 * draws the same numbers on every run. The caller owns the state (never 0).
 * Shared by the unit tests (tests/unit/helpers.c) and tests/integration/binary_io.c.
 */
#ifndef KBS_TEST_RNG_H
#define KBS_TEST_RNG_H

#include <stdint.h>

static inline uint64_t
rng_next(uint64_t *state)
{
	uint64_t	x = *state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *state = x;
}

/* Uniform-ish in [lo, hi]. */
static inline uint32_t
rng_between(uint64_t *state, uint32_t lo, uint32_t hi)
{
	return lo + (uint32_t) (rng_next(state) % ((uint64_t) hi - lo + 1));
}

#endif
