/*
 * date.c — dates in import files, see kbs_date.h.
 */
#include "kbs_date.h"

static int
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

int
kbs_days_in_month(int year, int month)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (month < 1 || month > 12)
		return 0;
	if (month == 2 && year % 4 == 0 && (year % 100 != 0 || year % 400 == 0))
		return 29;
	return days[month - 1];
}

/*
 * Reads 1..maxdigits digits at s[*pos] (and no more: a longer run is a
 * syntax error) into *value; returns the number read, 0 if none.
 */
static int
digits(const char *s, size_t len, size_t *pos, int maxdigits, int *value)
{
	int			n = 0;
	int			v = 0;

	while (*pos < len && s[*pos] >= '0' && s[*pos] <= '9')
	{
		if (n == maxdigits)
			return 0;
		v = v * 10 + (s[*pos] - '0');
		n++;
		(*pos)++;
	}
	*value = v;
	return n;
}

kbs_date_result
kbs_parse_import_date(const char *s, size_t len, int *year, int *month, int *day)
{
	size_t		pos = 0;
	size_t		end = len;
	int			a,
				b,
				c;
	int			na,
				nb,
				nc;
	int			y,
				m,
				d;

	if (s == NULL)
		len = end = 0;
	while (pos < end && is_blank(s[pos]))
		pos++;
	while (end > pos && is_blank(s[end - 1]))
		end--;
	if (pos == end)
		return KBS_DATE_EMPTY;

	/* three groups of digits separated by '-': 4-2-2 or 2-2-4 (or fewer) */
	na = digits(s, end, &pos, 4, &a);
	if (na == 0 || pos >= end || s[pos] != '-')
		return KBS_DATE_SYNTAX;
	pos++;
	nb = digits(s, end, &pos, 2, &b);
	if (nb == 0 || pos >= end || s[pos] != '-')
		return KBS_DATE_SYNTAX;
	pos++;
	nc = digits(s, end, &pos, 4, &c);
	if (nc == 0 || pos != end)
		return KBS_DATE_SYNTAX;
	if (na == 4 && nc <= 2)
	{
		y = a;
		m = b;
		d = c;
	}
	else if (na <= 2 && nc == 4)
	{
		d = a;
		m = b;
		y = c;
	}
	else
		return KBS_DATE_SYNTAX;

	if (y < KBS_DATE_MIN_YEAR || y > KBS_DATE_MAX_YEAR || d < 1 || d > kbs_days_in_month(y, m))
		return KBS_DATE_RANGE;
	*year = y;
	*month = m;
	*day = d;
	return KBS_DATE_OK;
}
