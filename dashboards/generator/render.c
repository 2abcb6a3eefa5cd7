#include "render.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
kbs_buf_init(kbs_buf *b)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->failed = false;
}

void
kbs_buf_free(kbs_buf *b)
{
	free(b->data);
	kbs_buf_init(b);
}

bool
kbs_buf_append(kbs_buf *b, const char *s, size_t n)
{
	if (b->failed)
		return false;
	if (n > SIZE_MAX - b->len - 1)
	{
		b->failed = true;
		return false;
	}
	if (b->len + n + 1 > b->cap)
	{
		size_t		cap = b->cap ? b->cap : 256;
		char	   *p;

		while (cap < b->len + n + 1)
			cap = cap > SIZE_MAX / 2 ? b->len + n + 1 : cap * 2;
		p = realloc(b->data, cap);
		if (p == NULL)
		{
			b->failed = true;
			return false;
		}
		b->data = p;
		b->cap = cap;
	}
	if (n > 0)
		memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
	return true;
}

void
kbs_set_err(char *err, size_t errlen, const char *fmt,...)
{
	va_list		ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

bool
kbs_escape_html(kbs_buf *out, const char *s, size_t n)
{
	size_t		start = 0;

	for (size_t i = 0; i < n; i++)
	{
		const char *rep = NULL;

		switch (s[i])
		{
			case '&': rep = "&amp;"; break;
			case '<': rep = "&lt;"; break;
			case '>': rep = "&gt;"; break;
			case '"': rep = "&quot;"; break;
			case '\'': rep = "&#39;"; break;
			default: break;
		}
		if (rep != NULL)
		{
			if (!kbs_buf_append(out, s + start, i - start) || !kbs_buf_append(out, rep, strlen(rep)))
				return false;
			start = i + 1;
		}
	}
	return kbs_buf_append(out, s + start, n - start);
}

bool
kbs_escape_script_json(kbs_buf *out, const char *s, size_t n)
{
	size_t		start = 0;
	size_t		i = 0;

	while (i < n)
	{
		const char *rep = NULL;
		size_t		skip = 1;
		unsigned char c = (unsigned char) s[i];

		if (c == '<')
			rep = "\\u003c";
		else if (c == '>')
			rep = "\\u003e";
		else if (c == '&')
			rep = "\\u0026";
		else if (c == 0xE2 && i + 2 < n && (unsigned char) s[i + 1] == 0x80 &&
				 ((unsigned char) s[i + 2] == 0xA8 || (unsigned char) s[i + 2] == 0xA9))
		{
			rep = (unsigned char) s[i + 2] == 0xA8 ? "\\u2028" : "\\u2029";
			skip = 3;
		}
		if (rep != NULL)
		{
			if (!kbs_buf_append(out, s + start, i - start) || !kbs_buf_append(out, rep, strlen(rep)))
				return false;
			start = i + skip;
		}
		i += skip;
	}
	return kbs_buf_append(out, s + start, n - start);
}

static bool
starts_with_ci(const char *s, size_t n, const char *word)
{
	size_t		k = strlen(word);

	if (n < k)
		return false;
	for (size_t i = 0; i < k; i++)
		if (tolower((unsigned char) s[i]) != word[i])
			return false;
	return true;
}

bool
kbs_escape_script_js(kbs_buf *out, const char *s, size_t n)
{
	size_t		start = 0;

	for (size_t i = 0; i < n; i++)
	{
		if (s[i] != '<')
			continue;
		if (starts_with_ci(s + i, n - i, "</script"))
		{
			if (!kbs_buf_append(out, s + start, i + 1 - start) || !kbs_buf_append(out, "\\", 1))
				return false;
			start = i + 1;
		}
		else if (starts_with_ci(s + i, n - i, "<!--"))
		{
			if (!kbs_buf_append(out, s + start, i + 1 - start) || !kbs_buf_append(out, "\\", 1))
				return false;
			start = i + 1;
		}
	}
	return kbs_buf_append(out, s + start, n - start);
}

bool
kbs_css_is_safe(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] == '<' && starts_with_ci(s + i, n - i, "</style"))
			return false;
	return true;
}

static bool
append_escaped(kbs_buf *out, const kbs_slot *slot)
{
	switch (slot->escape)
	{
		case KBS_ESC_HTML:
			return kbs_escape_html(out, slot->value, slot->len);
		case KBS_ESC_JSON:
			return kbs_escape_script_json(out, slot->value, slot->len);
		case KBS_ESC_JS:
			return kbs_escape_script_js(out, slot->value, slot->len);
		case KBS_ESC_NONE:
		default:
			return kbs_buf_append(out, slot->value, slot->len);
	}
}

int
kbs_template_fill(kbs_buf *out, const char *tmpl, size_t n,
				  const kbs_slot *slots, int nslots, char *err, size_t errlen)
{
	size_t		start = 0;
	size_t		i = 0;

	while (i + 1 < n)
	{
		size_t		name_start;
		size_t		j;
		int			k;

		if (tmpl[i] != '@' || tmpl[i + 1] != '@')
		{
			i++;
			continue;
		}
		name_start = i + 2;
		for (j = name_start; j < n && (isupper((unsigned char) tmpl[j]) || tmpl[j] == '_'); j++)
			;
		if (j == name_start || j + 1 >= n || tmpl[j] != '@' || tmpl[j + 1] != '@')
		{
			snprintf(err, errlen, "unterminated or empty placeholder at byte %zu of the template", i);
			return -1;
		}
		for (k = 0; k < nslots; k++)
			if (strlen(slots[k].name) == j - name_start &&
				memcmp(slots[k].name, tmpl + name_start, j - name_start) == 0)
				break;
		if (k == nslots)
		{
			snprintf(err, errlen, "unknown placeholder \"@@%.*s@@\" in the template",
					 (int) (j - name_start), tmpl + name_start);
			return -1;
		}
		if (!kbs_buf_append(out, tmpl + start, i - start) || !append_escaped(out, &slots[k]))
		{
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		i = j + 2;
		start = i;
	}
	if (!kbs_buf_append(out, tmpl + start, n - start))
	{
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}

static bool
all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

bool
kbs_parse_date(const char *s, int *year, int *month, int *day)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int			y,
				m,
				d,
				dim;

	if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
		!all_digits(s, 4) || !all_digits(s + 5, 2) || !all_digits(s + 8, 2))
		return false;
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (y < 1900 || m < 1 || m > 12)
		return false;
	dim = days[m - 1];
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		dim = 29;
	if (d < 1 || d > dim)
		return false;
	*year = y;
	*month = m;
	*day = d;
	return true;
}

bool
kbs_parse_team_id(const char *s, int *id)
{
	long long	v = 0;
	size_t		n;

	if (s == NULL)
		return false;
	n = strlen(s);
	if (n == 0 || n > 10 || !all_digits(s, n) || s[0] == '0')
		return false;
	for (size_t i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	if (v > 2147483647LL)
		return false;
	*id = (int) v;
	return true;
}

bool
kbs_valid_municipality_code(const char *s)
{
	return s != NULL && strlen(s) == 6 && s[0] == 'G' && s[1] == 'M' && all_digits(s + 2, 4);
}
