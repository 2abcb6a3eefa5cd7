/*
 * test_date.c — CUnit tests for the date reader of import files
 * (src/core/date.c).
 */
#include <CUnit/CUnit.h>
#include <string.h>

#include "helpers.h"
#include "kbs_date.h"

int			kbs_register_date_suite(void);

/* Parses s (NUL-terminated), expecting rc and, when OK, y-m-d. */
#define CHECK_DATE(s, rc, y, m, d) \
	do { \
		int y_ = -1, m_ = -1, d_ = -1; \
		CU_ASSERT_EQUAL(kbs_parse_import_date((s), strlen(s), &y_, &m_, &d_), (rc)); \
		if ((rc) == KBS_DATE_OK) \
		{ \
			CU_ASSERT_EQUAL(y_, (y)); \
			CU_ASSERT_EQUAL(m_, (m)); \
			CU_ASSERT_EQUAL(d_, (d)); \
		} \
		else \
			CU_ASSERT(y_ == -1 && m_ == -1 && d_ == -1); \
	} while (0)

static void
test_date_iso(void)
{
	CHECK_DATE("2025-03-01", KBS_DATE_OK, 2025, 3, 1);
	CHECK_DATE("2025-3-1", KBS_DATE_OK, 2025, 3, 1);
	CHECK_DATE("1900-01-01", KBS_DATE_OK, 1900, 1, 1);
	CHECK_DATE("2999-12-31", KBS_DATE_OK, 2999, 12, 31);
	CHECK_DATE(" \t2025-12-31\t ", KBS_DATE_OK, 2025, 12, 31);
}

static void
test_date_dutch(void)
{
	CHECK_DATE("01-03-2025", KBS_DATE_OK, 2025, 3, 1);
	CHECK_DATE("1-3-2025", KBS_DATE_OK, 2025, 3, 1);
	CHECK_DATE("31-12-2025", KBS_DATE_OK, 2025, 12, 31);
	CHECK_DATE("  29-02-2024 ", KBS_DATE_OK, 2024, 2, 29);
}

static void
test_date_calendar(void)
{
	/* leap years: every fourth, not centuries, but every fourth century */
	CHECK_DATE("2024-02-29", KBS_DATE_OK, 2024, 2, 29);
	CHECK_DATE("2000-02-29", KBS_DATE_OK, 2000, 2, 29);
	CHECK_DATE("2025-02-29", KBS_DATE_RANGE, 0, 0, 0);
	CHECK_DATE("1900-02-29", KBS_DATE_RANGE, 0, 0, 0);
	CHECK_DATE("2100-02-29", KBS_DATE_RANGE, 0, 0, 0);
	CHECK_DATE("31-04-2025", KBS_DATE_RANGE, 0, 0, 0);
	CHECK_DATE("2025-04-31", KBS_DATE_RANGE, 0, 0, 0);
	CHECK_DATE("2025-13-01", KBS_DATE_RANGE, 0, 0, 0);
	CHECK_DATE("2025-00-10", KBS_DATE_RANGE, 0, 0, 0);
	CHECK_DATE("00-01-2025", KBS_DATE_RANGE, 0, 0, 0);
	CHECK_DATE("32-01-2025", KBS_DATE_RANGE, 0, 0, 0);
	/* a month-first reading of a Dutch date is not tried: 13 is no month */
	CHECK_DATE("01-13-2025", KBS_DATE_RANGE, 0, 0, 0);
	/* years outside 1900..2999: typing errors, not history */
	CHECK_DATE("1899-12-31", KBS_DATE_RANGE, 0, 0, 0);
	CHECK_DATE("3000-01-01", KBS_DATE_RANGE, 0, 0, 0);
	CHECK_DATE("0225-01-01", KBS_DATE_RANGE, 0, 0, 0);
	CHECK_DATE("01-01-0001", KBS_DATE_RANGE, 0, 0, 0);
	CU_ASSERT_EQUAL(kbs_days_in_month(2025, 2), 28);
	CU_ASSERT_EQUAL(kbs_days_in_month(2025, 0), 0);
	CU_ASSERT_EQUAL(kbs_days_in_month(2025, 13), 0);
}

static void
test_date_syntax(void)
{
	CHECK_DATE("", KBS_DATE_EMPTY, 0, 0, 0);
	CHECK_DATE(" \t ", KBS_DATE_EMPTY, 0, 0, 0);
	CHECK_DATE("20255-01-01", KBS_DATE_SYNTAX, 0, 0, 0);
	CHECK_DATE("2025-001-01", KBS_DATE_SYNTAX, 0, 0, 0);
	CHECK_DATE("2025-01-001", KBS_DATE_SYNTAX, 0, 0, 0);
	CHECK_DATE("123-01-01", KBS_DATE_SYNTAX, 0, 0, 0);
	CHECK_DATE("1-1-25", KBS_DATE_SYNTAX, 0, 0, 0);
	CHECK_DATE("2025-01", KBS_DATE_SYNTAX, 0, 0, 0);
	CHECK_DATE("2025-01-", KBS_DATE_SYNTAX, 0, 0, 0);
	CHECK_DATE("-01-01", KBS_DATE_SYNTAX, 0, 0, 0);
	CHECK_DATE("2025/01/01", KBS_DATE_SYNTAX, 0, 0, 0);
	CHECK_DATE("01.01.2025", KBS_DATE_SYNTAX, 0, 0, 0);
	CHECK_DATE("2025-01-01x", KBS_DATE_SYNTAX, 0, 0, 0);
	CHECK_DATE("2025-01-01 00:00:00", KBS_DATE_SYNTAX, 0, 0, 0);
	CHECK_DATE("2025 - 01 - 01", KBS_DATE_SYNTAX, 0, 0, 0);
	CHECK_DATE("+2025-01-01", KBS_DATE_SYNTAX, 0, 0, 0);
	CHECK_DATE("45717", KBS_DATE_SYNTAX, 0, 0, 0);		/* an Excel serial number */
	CHECK_DATE("1 maart 2025", KBS_DATE_SYNTAX, 0, 0, 0);
	CHECK_DATE("\xEF\xBB\xBF" "2025-01-01", KBS_DATE_SYNTAX, 0, 0, 0);
	CHECK_DATE("2025-01-01\n", KBS_DATE_SYNTAX, 0, 0, 0);
}

static void
test_date_bounds(void)
{
	static const char nul[] = "2025-01-01\0";
	static const char buf[] = "2025-01-019";
	int			y = -1,
				m = -1,
				d = -1;

	/* a NUL byte is a character like any other */
	CU_ASSERT_EQUAL(kbs_parse_import_date(nul, sizeof nul - 1, &y, &m, &d), KBS_DATE_SYNTAX);
	/* only len bytes are read: the 9 after them is not part of the date */
	CU_ASSERT_EQUAL(kbs_parse_import_date(buf, 10, &y, &m, &d), KBS_DATE_OK);
	CU_ASSERT(y == 2025 && m == 1 && d == 1);
	CU_ASSERT_EQUAL(kbs_parse_import_date(buf, 11, &y, &m, &d), KBS_DATE_SYNTAX);
	CU_ASSERT_EQUAL(kbs_parse_import_date(NULL, 0, &y, &m, &d), KBS_DATE_EMPTY);
	CU_ASSERT_EQUAL(kbs_parse_import_date(buf, 0, &y, &m, &d), KBS_DATE_EMPTY);
}

int
kbs_register_date_suite(void)
{
	static const test_case date[] = {
		{"ISO dates", test_date_iso},
		{"Dutch dates", test_date_dutch},
		{"calendar and year range", test_date_calendar},
		{"syntax errors", test_date_syntax},
		{"never reads past len", test_date_bounds},
		{NULL, NULL}
	};

	return test_add_suite("date", date) ? -1 : 0;
}
