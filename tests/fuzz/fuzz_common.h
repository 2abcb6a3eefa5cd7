/*
 * What the libFuzzer targets share: CHECK (a failed condition is reported and
 * aborts, which libFuzzer records as a crash), the report of a mismatch with a
 * reference, a reader of the input bytes, the checks on a rejected text, and
 * the field-by-field comparison of entry arrays (tests/common/entries.h).
 * Header only: the scripts build each target from its own .c file.
 */
#ifndef KBS_FUZZ_COMMON_H
#define KBS_FUZZ_COMMON_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/entries.h"
#include "kbs_core.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) \
	do { \
		if (!(c)) \
		{ \
			fprintf(stderr, "check failed: %s (%s:%d)\n", #c, __FILE__, __LINE__); \
			abort(); \
		} \
	} while (0)

/* The code under test and the target's plain reference disagree. */
static inline void __attribute__((format(printf, 1, 2), noreturn))
mismatch(const char *fmt,...)
{
	va_list		ap;

	fprintf(stderr, "%s: reference mismatch: ", __BASE_FILE__);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	abort();
}

/* The fuzz input read front to back; past its end every byte is 0. */
typedef struct
{
	const uint8_t *p;
	size_t		n,
				pos;
} input;

static inline unsigned
in_u8(input *in)
{
	return in->pos < in->n ? in->p[in->pos++] : 0;
}

/* Low byte first. */
static inline unsigned
in_u16(input *in)
{
	unsigned	lo = in_u8(in);

	return lo | (in_u8(in) << 8);
}

/* High byte first (as the corpus of fuzz_gaps was grown). */
static inline uint32_t
in_u32(input *in)
{
	uint32_t	v = 0;

	for (int i = 0; i < 4; i++)
		v = (v << 8) | in_u8(in);
	return v;
}

/* A text the parser of size bytes rejected: a syntax error, a terminated message, a position in the input or -1. */
static inline void
check_syntax_error(const kbs_error *err, size_t size)
{
	CHECK(err->code == KBS_ERR_SYNTAX);
	CHECK(err->msg[0] != '\0' && memchr(err->msg, '\0', sizeof(err->msg)) != NULL);
	CHECK(err->position >= -1 && err->position <= (int) size);
}

#endif
