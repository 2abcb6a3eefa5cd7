/*
 * kbs_date.h — dates as HR exports and Dutch spreadsheets write them.
 *
 * Pure C11, no PostgreSQL headers, no allocation. Accepted, with optional
 * spaces and tabs around the date and nothing else:
 *   yyyy-mm-dd     ISO 8601 (month and day may have one digit)
 *   dd-mm-yyyy     Dutch (day and month may have one digit)
 * The year lies in 1900..2999 (a typing error such as 0225 or 20255 is
 * refused, not read as an ancient date), the month in 1..12 and the day
 * within that month of the Gregorian calendar (29 February only in a leap
 * year). Input is bytes with an explicit length: it need not be terminated,
 * and a NUL byte is refused like any other character.
 */
#ifndef KBS_DATE_H
#define KBS_DATE_H

#include <stddef.h>

#define KBS_DATE_MIN_YEAR 1900
#define KBS_DATE_MAX_YEAR 2999

/* Result of kbs_parse_import_date. */
typedef enum
{
	KBS_DATE_OK = 0,
	KBS_DATE_EMPTY = 1,			/* nothing but spaces and tabs */
	KBS_DATE_SYNTAX = 2,		/* not one of the two forms */
	KBS_DATE_RANGE = 3			/* the form, but no such day (or year out of range) */
} kbs_date_result;

/*
 * Reads s[0 .. len-1] (s may be NULL when len is 0). On KBS_DATE_OK sets
 * *year, *month and *day; otherwise leaves them unchanged. Never reads past
 * s[len - 1].
 */
kbs_date_result kbs_parse_import_date(const char *s, size_t len, int *year, int *month, int *day);

/* Days in a month of the Gregorian calendar; 0 for a month outside 1..12. */
int			kbs_days_in_month(int year, int month);

#endif							/* KBS_DATE_H */
