/*
 * fuzz_date.c — libFuzzer target for the date reader of import files
 * (src/core/date.c).
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
 *         -Isrc/core src/core/date.c tests/fuzz/fuzz_date.c -o /tmp/fuzz_date
 *
 * For every input (read from an exactly sized heap copy, so ASan catches a
 * read past the end), checks with abort():
 *   - the result is one of the four; on success the date is a real day of
 *     1900..2999, on failure the outputs are untouched;
 *   - EMPTY exactly when the input is only spaces and tabs;
 *   - success only for the two forms: the date printed back as ISO and as
 *     dd-mm-yyyy reads as the same day, and so does the input with other
 *     surrounding blanks;
 *   - a trailing byte that is no blank or digit turns any input into SYNTAX
 *     (or keeps it EMPTY-free: a lone byte is SYNTAX).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "kbs_date.h"

static kbs_date_result
parse_copy(const uint8_t *data, size_t size, int *y, int *m, int *d)
{
	char	   *copy = malloc(size ? size : 1);
	kbs_date_result rc;

	CHECK(copy != NULL);
	if (size)
		memcpy(copy, data, size);
	rc = kbs_parse_import_date(size ? copy : NULL, size, y, m, d);
	free(copy);
	return rc;
}

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int			y = -7,
				m = -7,
				d = -7;
	kbs_date_result rc;
	int			blank = 1;

	if (size > 4096)
		return 0;
	for (size_t i = 0; i < size; i++)
		if (data[i] != ' ' && data[i] != '\t')
			blank = 0;

	rc = parse_copy(data, size, &y, &m, &d);
	CHECK(rc == KBS_DATE_OK || rc == KBS_DATE_EMPTY || rc == KBS_DATE_SYNTAX || rc == KBS_DATE_RANGE);
	CHECK((rc == KBS_DATE_EMPTY) == blank);
	if (rc != KBS_DATE_OK)
	{
		CHECK(y == -7 && m == -7 && d == -7);
	}
	else
	{
		char		buf[64];
		int			y2 = 0,
					m2 = 0,
					d2 = 0;
		int			n;

		CHECK(y >= KBS_DATE_MIN_YEAR && y <= KBS_DATE_MAX_YEAR);
		CHECK(m >= 1 && m <= 12);
		CHECK(d >= 1 && d <= kbs_days_in_month(y, m));
		/* every byte is a digit, '-', or blank padding */
		for (size_t i = 0; i < size; i++)
			CHECK((data[i] >= '0' && data[i] <= '9') || data[i] == '-' || data[i] == ' ' || data[i] == '\t');
		n = snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
		CHECK(kbs_parse_import_date(buf, (size_t) n, &y2, &m2, &d2) == KBS_DATE_OK && y2 == y && m2 == m && d2 == d);
		n = snprintf(buf, sizeof buf, "\t %d-%d-%04d  ", d, m, y);
		CHECK(kbs_parse_import_date(buf, (size_t) n, &y2, &m2, &d2) == KBS_DATE_OK && y2 == y && m2 == m && d2 == d);
	}
	/* another byte after it that cannot end a date */
	{
		uint8_t    *more = malloc(size + 1);
		int			y3 = -7,
					m3 = -7,
					d3 = -7;

		CHECK(more != NULL);
		if (size)
			memcpy(more, data, size);
		more[size] = 'x';
		CHECK(parse_copy(more, size + 1, &y3, &m3, &d3) == KBS_DATE_SYNTAX);
		free(more);
	}
	return 0;
}
