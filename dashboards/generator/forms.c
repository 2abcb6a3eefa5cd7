#include "forms.h"

#include "kbs_csv.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- small helpers ---- */

static bool
buf_adds(kbs_buf *b, const char *s)
{
	return kbs_buf_append(b, s, strlen(s));
}

static bool
buf_addf(kbs_buf *b, const char *fmt,...)
{
	char		tmp[512];
	va_list		ap;
	int			n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t) n >= sizeof(tmp))
		return false;
	return kbs_buf_append(b, tmp, (size_t) n);
}

size_t
kbs_utf8_chars(const char *s, size_t n)
{
	size_t		c = 0;

	for (size_t i = 0; i < n; i++)
		if (((unsigned char) s[i] & 0xC0) != 0x80)
			c++;
	return c;
}

/* ---- cell references ---- */

bool
kbs_col_from_letters(const char *s, size_t n, uint32_t *col)
{
	uint32_t	v = 0;

	if (n == 0 || n > 3)
		return false;
	for (size_t i = 0; i < n; i++)
	{
		if (s[i] < 'A' || s[i] > 'Z')
			return false;
		v = v * 26 + (uint32_t) (s[i] - 'A' + 1);
	}
	if (v > KBS_SHEET_MAX_COLS)
		return false;
	*col = v - 1;
	return true;
}

bool
kbs_col_to_letters(uint32_t col, char out[4])
{
	char		rev[4];
	int			n = 0;
	uint32_t	v;

	if (col >= KBS_SHEET_MAX_COLS)
		return false;
	v = col + 1;
	while (v > 0)
	{
		rev[n++] = (char) ('A' + (v - 1) % 26);
		v = (v - 1) / 26;
	}
	for (int i = 0; i < n; i++)
		out[i] = rev[n - 1 - i];
	out[n] = '\0';
	return true;
}

bool
kbs_cell_ref_parse(const char *s, uint32_t *row, uint32_t *col)
{
	size_t		i = 0;
	uint64_t	r = 0;
	size_t		digits;

	if (s == NULL)
		return false;
	while (s[i] >= 'A' && s[i] <= 'Z')
		i++;
	if (!kbs_col_from_letters(s, i, col))
		return false;
	digits = 0;
	if (s[i] == '0')
		return false;
	for (; s[i] >= '0' && s[i] <= '9'; i++)
	{
		if (++digits > 7)
			return false;
		r = r * 10 + (uint64_t) (s[i] - '0');
	}
	if (s[i] != '\0' || digits == 0 || r < 1 || r > KBS_SHEET_MAX_ROWS)
		return false;
	*row = (uint32_t) (r - 1);
	return true;
}

/* ---- CSV ---- */

bool
kbs_csv_field(kbs_buf *out, const char *s, size_t n)
{
	bool		quote = false;
	size_t		start = 0;

	if (n > 0 && (s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t'))
		quote = true;
	/* a reader skips a byte order mark at the start of the text */
	if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
		quote = true;
	for (size_t i = 0; i < n && !quote; i++)
		if (s[i] == ',' || s[i] == ';' || s[i] == '"' || s[i] == '\r' || s[i] == '\n')
			quote = true;
	if (!quote)
		return kbs_buf_append(out, s, n);
	if (!kbs_buf_append(out, "\"", 1))
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] == '"')
		{
			if (!kbs_buf_append(out, s + start, i + 1 - start) || !kbs_buf_append(out, "\"", 1))
				return false;
			start = i + 1;
		}
	return kbs_buf_append(out, s + start, n - start) && kbs_buf_append(out, "\"", 1);
}

/* ---- the grid ---- */

void
kbs_grid_init(kbs_grid *g)
{
	g->cells = NULL;
	g->n = 0;
	g->cap = 0;
	g->failed = false;
}

void
kbs_grid_free(kbs_grid *g)
{
	for (size_t i = 0; i < g->n; i++)
		free(g->cells[i].value);
	free(g->cells);
	kbs_grid_init(g);
}

bool
kbs_grid_add(kbs_grid *g, uint32_t row, uint32_t col, int kind, const char *s, size_t n)
{
	char	   *v;

	if (g->failed)
		return false;
	if (row >= KBS_SHEET_MAX_ROWS || col >= KBS_SHEET_MAX_COLS || n > SIZE_MAX - 1)
	{
		g->failed = true;
		return false;
	}
	if (g->n == g->cap)
	{
		size_t		cap = g->cap ? g->cap * 2 : 64;
		kbs_cell   *p;

		if (cap > SIZE_MAX / sizeof(kbs_cell) || (p = realloc(g->cells, cap * sizeof(kbs_cell))) == NULL)
		{
			g->failed = true;
			return false;
		}
		g->cells = p;
		g->cap = cap;
	}
	v = malloc(n + 1);
	if (v == NULL)
	{
		g->failed = true;
		return false;
	}
	if (n > 0)
		memcpy(v, s, n);
	v[n] = '\0';
	g->cells[g->n].row = row;
	g->cells[g->n].col = col;
	g->cells[g->n].kind = kind;
	g->cells[g->n].value = v;
	g->n++;
	return true;
}

bool
kbs_grid_adds(kbs_grid *g, uint32_t row, uint32_t col, int kind, const char *s)
{
	return kbs_grid_add(g, row, col, kind, s ? s : "", s ? strlen(s) : 0);
}

static int
cell_cmp(const void *a, const void *b)
{
	const kbs_cell *x = a;
	const kbs_cell *y = b;

	if (x->row != y->row)
		return x->row < y->row ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return 0;
}

bool
kbs_grid_sort(kbs_grid *g, size_t *dup)
{
	if (g->n > 1)
		qsort(g->cells, g->n, sizeof(kbs_cell), cell_cmp);
	for (size_t i = 1; i < g->n; i++)
		if (g->cells[i].row == g->cells[i - 1].row && g->cells[i].col == g->cells[i - 1].col)
		{
			if (dup)
				*dup = i;
			return false;
		}
	return true;
}

const kbs_cell *
kbs_grid_find(const kbs_grid *g, uint32_t row, uint32_t col)
{
	size_t		lo = 0,
				hi = g->n;
	kbs_cell	key;

	key.row = row;
	key.col = col;
	while (lo < hi)
	{
		size_t		mid = lo + (hi - lo) / 2;
		int			c = cell_cmp(&g->cells[mid], &key);

		if (c == 0)
			return &g->cells[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

int
kbs_grid_to_csv(const kbs_grid *g, kbs_buf *out, size_t max_bytes, char *err, size_t errlen)
{
	uint64_t	width = 0;
	uint64_t	rows = 0;
	size_t		i = 0;
	bool		counted = false;
	uint32_t	last = 0;

	for (size_t k = 0; k < g->n; k++)
		if (g->cells[k].value[0] != '\0')
		{
			if ((uint64_t) g->cells[k].col + 1 > width)
				width = (uint64_t) g->cells[k].col + 1;
			if (!counted || g->cells[k].row != last)
				rows++;
			counted = true;
			last = g->cells[k].row;
		}
	/* The separators alone must fit: a far-out cell in many rows would make a huge text. */
	if (width > 0 && rows * width > max_bytes)
	{
		kbs_set_err(err, errlen, "het blad is te groot om als CSV te schrijven (%llu rijen van %llu kolommen)",
				(unsigned long long) rows, (unsigned long long) width);
		return -1;
	}
	while (i < g->n)
	{
		size_t		j = i;
		bool		any = false;
		uint32_t	col = 0;

		while (j < g->n && g->cells[j].row == g->cells[i].row)
		{
			any |= g->cells[j].value[0] != '\0';
			j++;
		}
		if (any)
		{
			for (size_t k = i; k < j; k++)
			{
				const kbs_cell *c = &g->cells[k];

				if ((uint64_t) c->col >= width)
					break;
				for (; col < c->col; col++)
					if (col > 0 && !kbs_buf_append(out, ",", 1))
						goto oom;
				if (col > 0 && !kbs_buf_append(out, ",", 1))
					goto oom;
				if (!kbs_csv_field(out, c->value, strlen(c->value)))
					goto oom;
				col++;
			}
			for (; col < width; col++)
				if (col > 0 && !kbs_buf_append(out, ",", 1))
					goto oom;
			if (!kbs_buf_append(out, "\n", 1))
				goto oom;
			if (out->len > max_bytes)
			{
				kbs_set_err(err, errlen, "het blad is te groot om als CSV te schrijven (meer dan %zu bytes)", max_bytes);
				return -1;
			}
		}
		i = j;
	}
	return 0;
oom:
	kbs_set_err(err, errlen, "onvoldoende geheugen");
	return -1;
}

int
kbs_grid_from_csv(const char *data, size_t len, kbs_grid *out, char *err, size_t errlen)
{
	kbs_csv_reader r;
	kbs_csv_error e;
	size_t		maxf = KBS_SHEET_MAX_COLS + 1;
	char	   *buf = malloc(len + 1);
	size_t	   *off = malloc(maxf * sizeof(size_t));
	size_t	   *flen = malloc(maxf * sizeof(size_t));
	uint32_t	row = 0;
	int			n;
	int			rc = 0;

	if (buf == NULL || off == NULL || flen == NULL)
	{
		kbs_set_err(err, errlen, "onvoldoende geheugen");
		rc = -1;
		goto done;
	}
	kbs_csv_init(&r, data, len, 0);
	while ((n = kbs_csv_next(&r, buf, len + 1, off, flen, (int) maxf, NULL, &e)) > 0)
	{
		if (row >= KBS_SHEET_MAX_ROWS)
		{
			kbs_set_err(err, errlen, "te veel regels in het CSV-bestand");
			rc = -1;
			goto done;
		}
		if ((size_t) n > KBS_SHEET_MAX_COLS)
		{
			kbs_set_err(err, errlen, "regel %d van het CSV-bestand heeft te veel velden", r.line);
			rc = -1;
			goto done;
		}
		for (int i = 0; i < n; i++)
			if (flen[i] > 0 && !kbs_grid_add(out, row, (uint32_t) i, KBS_K_PLAIN, buf + off[i], flen[i]))
			{
				kbs_set_err(err, errlen, "onvoldoende geheugen");
				rc = -1;
				goto done;
			}
		row++;
	}
	if (n < 0)
	{
		kbs_set_err(err, errlen, "ongeldig CSV-bestand: %s", e.msg);
		rc = -1;
	}
done:
	free(buf);
	free(off);
	free(flen);
	return rc;
}

/* ---- stored values ---- */

bool
kbs_number_text(const char *v, char *out, size_t outlen)
{
	const char *p = v;
	char	   *end;
	double		d;
	size_t		n;

	if (v == NULL)
		return false;
	/* xsd:double as spreadsheet programs write it: sign, digits, fraction, exponent. */
	if (*p == '-' || *p == '+')
		p++;
	n = strspn(p, "0123456789");
	p += n;
	if (*p == '.')
	{
		size_t		f = strspn(p + 1, "0123456789");

		if (n == 0 && f == 0)
			return false;
		p += 1 + f;
	}
	else if (n == 0)
		return false;
	if (*p == 'e' || *p == 'E')
	{
		p++;
		if (*p == '-' || *p == '+')
			p++;
		n = strspn(p, "0123456789");
		if (n == 0)
			return false;
		p += n;
	}
	if (*p != '\0')
		return false;
	d = strtod(v, &end);
	if (*end != '\0' || !isfinite(d))
		return false;
	if (d == floor(d) && fabs(d) < 1e15)
	{
		if (d == 0)
			d = 0;				/* no "-0" */
		return snprintf(out, outlen, "%.0f", d) < (int) outlen;
	}
	return snprintf(out, outlen, "%s", v) < (int) outlen;
}

/* Days since 1970-01-01 -> civil date (proleptic Gregorian). */
static void
civil_from_days(long long z, long long *y, unsigned *m, unsigned *d)
{
	long long	era;
	unsigned	doe,
				yoe,
				doy,
				mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned) (z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (long long) yoe + era * 400 + (*m <= 2);
}

bool
kbs_serial_to_date(double serial, bool date1904, char *out, size_t outlen)
{
	double		day;
	long long	days,
				secs;
	long long	y;
	unsigned	m,
				d;
	int			n;

	if (!isfinite(serial) || serial < 0 || serial >= (date1904 ? 2957004.0 : 2958466.0))
		return false;
	day = floor(serial);
	days = (long long) day;
	secs = llround((serial - day) * 86400.0);
	if (secs >= 86400)
	{
		days++;
		secs -= 86400;
	}
	if (!date1904 && days == 0)
	{
		/* Serial 0 is Excel's "day zero": a time without a date. */
		n = snprintf(out, outlen, "%02lld:%02lld:%02lld", secs / 3600, secs / 60 % 60, secs % 60);
		return n > 0 && (size_t) n < outlen;
	}
	if (!date1904 && days == 60)
	{
		/* Excel's 29 February 1900, which never was. */
		y = 1900;
		m = 2;
		d = 29;
	}
	else
	{
		long long	epoch = date1904 ? -24107 : (days < 60 ? -25568 : -25569);

		civil_from_days(epoch + days, &y, &m, &d);
	}
	if (y > 9999)
		return false;
	if (secs == 0)
		n = snprintf(out, outlen, "%04lld-%02u-%02u", y, m, d);
	else
		n = snprintf(out, outlen, "%04lld-%02u-%02u %02lld:%02lld:%02lld", y, m, d,
					 secs / 3600, secs / 60 % 60, secs % 60);
	return n > 0 && (size_t) n < outlen;
}

bool
kbs_numfmt_id_is_date(uint32_t id)
{
	return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) || (id >= 50 && id <= 58);
}

bool
kbs_numfmt_code_is_date(const char *code)
{
	for (const char *p = code; p != NULL && *p != '\0'; p++)
	{
		char		c = *p;

		if (c == '"')
		{
			/* literal text */
			p = strchr(p + 1, '"');
			if (p == NULL)
				return false;
		}
		else if (c == '\\' || c == '_' || c == '*')
		{
			/* an escaped character, a space as wide as it, a fill character */
			if (p[1] == '\0')
				return false;
			p++;
		}
		else if (c == '[')
		{
			const char *e = strchr(p, ']');
			bool		elapsed = e != NULL && e > p + 1;

			if (e == NULL)
				return false;
			/* [h], [mm], [ss]: elapsed time; anything else is a colour, condition or locale */
			for (const char *q = p + 1; q < e; q++)
				if (*q != 'h' && *q != 'H' && *q != 'm' && *q != 'M' && *q != 's' && *q != 'S')
					elapsed = false;
			if (elapsed)
				return true;
			p = e;
		}
		else if (c == 'e' || c == 'E')
		{
			/* scientific notation: E+ or E- */
			if (p[1] == '+' || p[1] == '-')
				p++;
		}
		else if (strchr("dDmMyYhHsS", c) != NULL)
			return true;
	}
	return false;
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* _xHHHH_ at s (n bytes left): the code unit, or -1. */
static long
escape_unit(const char *s, size_t n)
{
	long		v = 0;

	if (n < 7 || s[0] != '_' || s[1] != 'x' || s[6] != '_')
		return -1;
	for (int i = 2; i < 6; i++)
	{
		int			h = hexval(s[i]);

		if (h < 0)
			return -1;
		v = v * 16 + h;
	}
	return v;
}

static bool
append_utf8(kbs_buf *out, unsigned long cp)
{
	char		b[4];
	size_t		n;

	if (cp < 0x80)
	{
		b[0] = (char) cp;
		n = 1;
	}
	else if (cp < 0x800)
	{
		b[0] = (char) (0xC0 | (cp >> 6));
		b[1] = (char) (0x80 | (cp & 0x3F));
		n = 2;
	}
	else if (cp < 0x10000)
	{
		b[0] = (char) (0xE0 | (cp >> 12));
		b[1] = (char) (0x80 | ((cp >> 6) & 0x3F));
		b[2] = (char) (0x80 | (cp & 0x3F));
		n = 3;
	}
	else
	{
		b[0] = (char) (0xF0 | (cp >> 18));
		b[1] = (char) (0x80 | ((cp >> 12) & 0x3F));
		b[2] = (char) (0x80 | ((cp >> 6) & 0x3F));
		b[3] = (char) (0x80 | (cp & 0x3F));
		n = 4;
	}
	return kbs_buf_append(out, b, n);
}

bool
kbs_ooxml_unescape(kbs_buf *out, const char *s, size_t n)
{
	size_t		start = 0;
	size_t		i = 0;

	/* The buffer holds text even when nothing is appended. */
	if (!kbs_buf_append(out, "", 0))
		return false;
	while (i < n)
	{
		long		u = s[i] == '_' ? escape_unit(s + i, n - i) : -1;
		unsigned long cp;
		size_t		used = 7;

		if (u < 0)
		{
			i++;
			continue;
		}
		cp = (unsigned long) u;
		if (u >= 0xD800 && u <= 0xDBFF)
		{
			/* escape_unit found 7 bytes at i, so i + 7 <= n */
			long		lo = escape_unit(s + i + 7, n - i - 7);

			if (lo >= 0xDC00 && lo <= 0xDFFF)
			{
				cp = 0x10000 + (((unsigned long) u - 0xD800) << 10) + ((unsigned long) lo - 0xDC00);
				used = 14;
			}
			else
				cp = 0;			/* a lone surrogate stays as written */
		}
		else if (u >= 0xDC00 && u <= 0xDFFF)
			cp = 0;
		if (cp == 0)
		{
			/* NUL cannot be held in text: keep the escape as written */
			i += 7;
			continue;
		}
		if (!kbs_buf_append(out, s + start, i - start) || !append_utf8(out, cp))
			return false;
		i += used;
		start = i;
	}
	return kbs_buf_append(out, s + start, n - start);
}

/* A code's Dutch label in a table of {code, label} pairs ending in {NULL, NULL}; NULL if not there. */
static const char *
label_of(const char *const (*table)[2], const char *code)
{
	if (code == NULL)
		return NULL;
	for (; table[0][0] != NULL; table++)
		if (strcmp(code, table[0][0]) == 0)
			return table[0][1];
	return NULL;
}

const char *
kbs_source_label(const char *code)
{
	static const char *const labels[][2] = {
		{"self", "zelfbeoordeling"},
		{"supervisor", "leidinggevende"},
		{"peer", "collega"},
		{"team", "teambeoordeling"},
		{NULL, NULL}
	};

	return label_of(labels, code);
}

const char *
kbs_status_label(const char *code)
{
	static const char *const labels[][2] = {
		{"draft", "concept"},
		{"final", "definitief"},
		{NULL, NULL}
	};

	return label_of(labels, code);
}

/* ---- layouts ---- */

#define ADD(r, c, k, s) do { if (!kbs_grid_adds(out, (r), (c), (k), (s))) goto oom; } while (0)

/* Title and the info rows every form sheet starts with; returns the next row. */
static bool
info_rows(kbs_grid *out, const char *title, const kbs_form_info *info, uint32_t *row)
{
	char		num[32];
	kbs_buf		b;
	bool		ok;

	kbs_buf_init(&b);
	snprintf(num, sizeof(num), "%d", info->team_id);
	ok = kbs_grid_adds(out, 0, 0, KBS_K_TITLE, title) &&
		kbs_grid_adds(out, 1, 0, KBS_K_LABEL, "Team") &&
		kbs_grid_adds(out, 1, 1, KBS_K_INFO, info->team) &&
		kbs_grid_adds(out, 2, 0, KBS_K_LABEL, "Teamnummer") &&
		kbs_grid_adds(out, 2, 1, KBS_K_INFO, num) &&
		buf_addf(&b, "%s (%s)", info->municipality ? info->municipality : "",
				 info->municipality_code ? info->municipality_code : "") &&
		kbs_grid_adds(out, 3, 0, KBS_K_LABEL, "Gemeente") &&
		kbs_grid_adds(out, 3, 1, KBS_K_INFO, b.data) &&
		kbs_grid_adds(out, 4, 0, KBS_K_LABEL, "Peildatum") &&
		kbs_grid_adds(out, 4, 1, KBS_K_INFO, info->peildatum);
	kbs_buf_free(&b);
	*row = 5;
	return ok;
}

int
kbs_form_assessment(const kbs_form_info *info, const kbs_form_block *blocks, size_t nblocks,
					const char *const *refs, size_t nrefs, kbs_grid *out, kbs_form_geom *geom,
					char *err, size_t errlen)
{
	const char *src = kbs_source_label(info->source);
	uint32_t	r;
	kbs_buf		b;

	kbs_buf_init(&b);
	if (src == NULL)
	{
		kbs_set_err(err, errlen, "onbekende bron \"%s\" (kies self, supervisor, peer of team)",
				info->source ? info->source : "");
		return -1;
	}
	if (nblocks == 0)
	{
		kbs_set_err(err, errlen, "de catalogus heeft geen bouwstenen");
		return -1;
	}
	if (nblocks + 1 > KBS_SHEET_MAX_COLS || nrefs > KBS_SHEET_MAX_ROWS - 16)
	{
		kbs_set_err(err, errlen, "te veel bouwstenen of leden voor één werkblad");
		return -1;
	}
	for (size_t i = 0; i < nrefs; i++)
		if (strcmp(refs[i], "ref") == 0)
		{
			/* the importer takes the first row starting with "ref" as its header */
			kbs_set_err(err, errlen, "een lid heeft het kenmerk \"ref\"; dat is de kop van het formulier");
			return -1;
		}
	if (!info_rows(out, "Kennisbouwstenen — beoordelingsformulier", info, &r))
		goto oom;
	if (!buf_addf(&b, "%s (%s)", src, info->source))
		goto oom;
	ADD(r, 0, KBS_K_LABEL, "Bron");
	ADD(r, 1, KBS_K_INFO, b.data);
	r++;
	ADD(r, 0, KBS_K_LABEL, "Invullen");
	ADD(r, 1, KBS_K_INFO,
		"Kies per bouwsteen een niveau uit de lijst: 0 tot en met 4, of na (niet van toepassing). "
		"Laat de cel leeg als die niet beoordeeld is. De schaal staat op het blad Schaal.");
	r++;
	geom->header_first_row = r;
	ADD(r, 0, KBS_K_HEAD, "Laag");
	ADD(r + 1, 0, KBS_K_HEAD, "Leefgebied");
	ADD(r + 2, 0, KBS_K_HEAD, "Bouwsteen");
	ADD(r + 3, 0, KBS_K_CODE, "ref");
	for (size_t i = 0; i < nblocks; i++)
	{
		uint32_t	c = (uint32_t) i + 1;

		ADD(r, c, KBS_K_HEAD, blocks[i].ring);
		ADD(r + 1, c, KBS_K_HEAD, blocks[i].domain);
		ADD(r + 2, c, KBS_K_HEAD_NAME, blocks[i].name);
		ADD(r + 3, c, KBS_K_CODE, blocks[i].code);
	}
	geom->code_row = r + 3;
	geom->first_data_row = r + 4;
	for (size_t m = 0; m < nrefs; m++)
	{
		uint32_t	row = r + 4 + (uint32_t) m;

		ADD(row, 0, KBS_K_REF, refs[m]);
		for (size_t i = 0; i < nblocks; i++)
			ADD(row, (uint32_t) i + 1, KBS_K_LEVEL, "");
	}
	geom->last_data_row = r + 3 + (uint32_t) nrefs;
	geom->first_input_col = 1;
	geom->last_input_col = (uint32_t) nblocks;
	geom->ncols = (uint32_t) nblocks + 1;
	kbs_buf_free(&b);
	return 0;
oom:
	kbs_buf_free(&b);
	kbs_set_err(err, errlen, "onvoldoende geheugen");
	return -1;
}

int
kbs_form_requirement(const kbs_form_info *info, const char *basis, const kbs_form_req_row *rows,
					 size_t nrows, kbs_grid *out, kbs_form_geom *geom, char *err, size_t errlen)
{
	static const char *const heads[] = {
		"Code bouwsteen", "Niveau (1–4)", "Aantal leden (getal of iedereen)", "Belang (1–3)",
		"Bouwsteen", "Laag", "Leefgebied"
	};
	static const char *const codes[] = {"block", "level", "members", "importance"};
	uint32_t	r;
	kbs_buf		b;

	kbs_buf_init(&b);
	if (nrows > KBS_SHEET_MAX_ROWS - 16)
	{
		kbs_set_err(err, errlen, "te veel bouwstenen voor één werkblad");
		return -1;
	}
	if (!info_rows(out, "Kennisbouwstenen — benodigd: wat het team nodig heeft", info, &r))
		goto oom;
	ADD(r, 0, KBS_K_LABEL, "Uitgangspunt");
	ADD(r, 1, KBS_K_INFO, basis);
	r++;
	ADD(r, 0, KBS_K_LABEL, "Invullen");
	ADD(r, 1, KBS_K_INFO,
		"Niveau 1 tot en met 4 (leeg = geen eis). Aantal leden: een getal, of iedereen (ieder lid). "
		"Belang 1 (laag) tot en met 3 (hoog); leeg = 2.");
	r++;
	geom->header_first_row = r;
	for (uint32_t c = 0; c < 7; c++)
		ADD(r, c, KBS_K_HEAD, heads[c]);
	for (uint32_t c = 0; c < 4; c++)
		ADD(r + 1, c, KBS_K_CODE, codes[c]);
	geom->code_row = r + 1;
	geom->first_data_row = r + 2;
	for (size_t i = 0; i < nrows; i++)
	{
		const kbs_form_req_row *q = &rows[i];
		uint32_t	row = r + 2 + (uint32_t) i;
		char		num[16];

		ADD(row, 0, KBS_K_TEXT, q->block.code);
		if (q->level >= 1 && q->level <= 4)
		{
			snprintf(num, sizeof(num), "%d", q->level);
			ADD(row, 1, KBS_K_REQ_LEVEL, num);
			if (q->every)
				ADD(row, 2, KBS_K_REQ_MEMBERS, "iedereen");
			else
			{
				snprintf(num, sizeof(num), "%d", q->members);
				ADD(row, 2, KBS_K_REQ_MEMBERS, num);
			}
			snprintf(num, sizeof(num), "%d", q->importance >= 1 && q->importance <= 3 ? q->importance : 2);
			ADD(row, 3, KBS_K_REQ_IMPORTANCE, num);
		}
		else
		{
			ADD(row, 1, KBS_K_REQ_LEVEL, "");
			ADD(row, 2, KBS_K_REQ_MEMBERS, "");
			ADD(row, 3, KBS_K_REQ_IMPORTANCE, "");
		}
		b.len = 0;
		if (!kbs_buf_append(&b, "", 0) || !buf_adds(&b, q->block.name) ||
			(q->retired && !buf_adds(&b, " (vervallen)")))
			goto oom;
		ADD(row, 4, KBS_K_TEXT, b.data);
		ADD(row, 5, KBS_K_TEXT, q->block.ring);
		ADD(row, 6, KBS_K_TEXT, q->block.domain);
	}
	geom->last_data_row = r + 1 + (uint32_t) nrows;
	geom->first_input_col = 1;
	geom->last_input_col = 3;
	geom->ncols = 7;
	kbs_buf_free(&b);
	return 0;
oom:
	kbs_buf_free(&b);
	kbs_set_err(err, errlen, "onvoldoende geheugen");
	return -1;
}

int
kbs_form_scale(const kbs_scale_entry *scale, size_t n, kbs_grid *out, kbs_form_geom *geom,
			   char *err, size_t errlen)
{
	static const char *const heads[] = {"Invullen als", "Code", "Benaming", "Anker", "Betekenis"};

	ADD(0, 0, KBS_K_TITLE, "Beoordelingsschaal");
	for (uint32_t c = 0; c < 5; c++)
		ADD(1, c, KBS_K_HEAD, heads[c]);
	for (size_t i = 0; i < n; i++)
	{
		uint32_t	row = 2 + (uint32_t) i;
		const char *as = strcmp(scale[i].code, "not_assessed") == 0 ? "(leeg laten)" : scale[i].code;

		ADD(row, 0, KBS_K_TEXT, as);
		ADD(row, 1, KBS_K_TEXT, scale[i].code);
		ADD(row, 2, KBS_K_TEXT, scale[i].label);
		ADD(row, 3, KBS_K_TEXT, scale[i].anchor);
		ADD(row, 4, KBS_K_TEXT, scale[i].meaning);
	}
	geom->header_first_row = 1;
	geom->code_row = 1;
	geom->first_data_row = 2;
	geom->last_data_row = 1 + (uint32_t) n;
	geom->first_input_col = 0;
	geom->last_input_col = 0;
	geom->ncols = 5;
	return 0;
oom:
	kbs_set_err(err, errlen, "onvoldoende geheugen");
	return -1;
}

/* A level of the scale: 0-4, or -1 for na and not_assessed. */
static int
scale_level(const char *code)
{
	if (code[0] >= '0' && code[0] <= '4' && code[1] == '\0')
		return code[0] - '0';
	return -1;
}

static const kbs_scale_entry *
scale_find(const kbs_scale_entry *scale, size_t n, const char *code)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(scale[i].code, code) == 0)
			return &scale[i];
	return NULL;
}

/* One candidate message; detail 1 label+anchor, 2 anchor, 3 anchor of levels and labels of na/empty,
 * 4 anchors of levels only, 5 labels only. */
static bool
input_message_at(const kbs_scale_entry *scale, size_t n, int min_level, bool with_na, int detail, kbs_buf *out)
{
	const kbs_scale_entry *na = scale_find(scale, n, "na");
	const kbs_scale_entry *empty = scale_find(scale, n, "not_assessed");
	bool		first = true;

	out->len = 0;
	if (!kbs_buf_append(out, "", 0))
		return false;
	for (size_t i = 0; i < n; i++)
	{
		int			lv = scale_level(scale[i].code);
		bool		ok;

		if (lv < min_level)
			continue;
		if (!first && !kbs_buf_append(out, "\n", 1))
			return false;
		first = false;
		if (detail == 1)
			ok = buf_addf(out, "%s %s: ", scale[i].code, scale[i].label) && buf_adds(out, scale[i].anchor);
		else if (detail == 5)
			ok = buf_addf(out, "%s %s", scale[i].code, scale[i].label);
		else
			ok = buf_addf(out, "%s: ", scale[i].code) && buf_adds(out, scale[i].anchor);
		if (!ok)
			return false;
	}
	if (with_na && detail != 4)
	{
		if (na != NULL)
		{
			bool		ok;

			if (!first && !kbs_buf_append(out, "\n", 1))
				return false;
			first = false;
			if (detail == 1)
				ok = buf_addf(out, "na %s: ", na->label) && buf_adds(out, na->anchor);
			else if (detail == 2)
				ok = buf_adds(out, "na: ") && buf_adds(out, na->anchor);
			else if (detail == 3)
				ok = buf_adds(out, "na: ") && buf_adds(out, na->label);
			else
				ok = buf_adds(out, "na ") && buf_adds(out, na->label);
			if (!ok)
				return false;
		}
		if (empty != NULL)
		{
			if (!first && !kbs_buf_append(out, "\n", 1))
				return false;
			if (!buf_adds(out, detail == 5 ? "leeg " : "leeg: ") || !buf_adds(out, empty->label))
				return false;
		}
	}
	return true;
}

bool
kbs_form_input_message(const kbs_scale_entry *scale, size_t n, int min_level, bool with_na,
					   size_t maxchars, kbs_buf *out)
{
	size_t		keep,
				i;

	for (int detail = 1; detail <= 5; detail++)
	{
		if (!input_message_at(scale, n, min_level, with_na, detail, out))
			return false;
		if (kbs_utf8_chars(out->data, out->len) <= maxchars)
			return true;
	}
	/* Still too long: cut at a character boundary and end with an ellipsis. */
	if (maxchars == 0)
	{
		out->len = 0;
		out->data[0] = '\0';
		return true;
	}
	keep = maxchars - 1;
	for (i = 0; i < out->len; i++)
		if (((unsigned char) out->data[i] & 0xC0) != 0x80)
		{
			if (keep == 0)
				break;
			keep--;
		}
	out->len = i;
	out->data[i] = '\0';
	return buf_adds(out, "…");
}

bool
kbs_find_code_row(const kbs_grid *g, const char *first, uint32_t *row)
{
	for (size_t i = 0; i < g->n; i++)
		if (g->cells[i].col == 0 && strcmp(g->cells[i].value, first) == 0)
		{
			*row = g->cells[i].row;
			return true;
		}
	return false;
}

int
kbs_requirement_csv(const kbs_grid *g, kbs_buf *out, char *err, size_t errlen)
{
	static const char *const names[4] = {"block", "level", "members", "importance"};
	int64_t		colof[4] = {-1, -1, -1, -1};
	uint32_t	head;
	size_t		i = 0;

	if (!kbs_find_code_row(g, "block", &head))
	{
		kbs_set_err(err, errlen, "geen kopregel gevonden: een rij met \"block\" in de eerste kolom");
		return -1;
	}
	for (size_t k = 0; k < g->n; k++)
	{
		if (g->cells[k].row != head)
			continue;
		for (int j = 0; j < 4; j++)
			if (strcmp(g->cells[k].value, names[j]) == 0)
			{
				if (colof[j] >= 0)
				{
					kbs_set_err(err, errlen, "kolom \"%s\" staat twee keer in de kopregel (rij %u)", names[j], head + 1);
					return -1;
				}
				colof[j] = g->cells[k].col;
			}
	}
	for (int j = 0; j < 4; j++)
		if (colof[j] < 0)
		{
			kbs_set_err(err, errlen, "kolom \"%s\" ontbreekt in de kopregel (rij %u)", names[j], head + 1);
			return -1;
		}
	if (!kbs_buf_append(out, "block,level,members,importance\n", 31))
		goto oom;
	while (i < g->n)
	{
		size_t		j = i;
		uint32_t	row = g->cells[i].row;
		const char *v[4] = {"", "", "", ""};
		bool		any = false;

		while (j < g->n && g->cells[j].row == row)
		{
			for (int c = 0; c < 4; c++)
				if ((int64_t) g->cells[j].col == colof[c])
				{
					v[c] = g->cells[j].value;
					any |= v[c][0] != '\0';
				}
			j++;
		}
		if (row > head && any)
		{
			for (int c = 0; c < 4; c++)
				if ((c > 0 && !kbs_buf_append(out, ",", 1)) || !kbs_csv_field(out, v[c], strlen(v[c])))
					goto oom;
			if (!kbs_buf_append(out, "\n", 1))
				goto oom;
		}
		i = j;
	}
	return 0;
oom:
	kbs_set_err(err, errlen, "onvoldoende geheugen");
	return -1;
}

/* ---- training demand ---- */

bool
kbs_training_hidden(const char *name)
{
	size_t		n = strlen(name);

	return strcmp(name, "wheel_order") == 0 || strcmp(name, "municipality") == 0 ||
		strcmp(name, "municipality_code") == 0 || strcmp(name, "municipality_name") == 0 ||
		(n > 9 && strcmp(name + n - 9, "_position") == 0);
}

bool
kbs_training_label(const char *name, const char *comment, kbs_buf *out)
{
	static const char *const known[][2] = {
		{"block_id", "Nummer bouwsteen"}, {"block_code", "Code bouwsteen"}, {"block_name", "Bouwsteen"},
		{"ring_code", "Code laag"}, {"ring_name", "Laag"}, {"domain_code", "Code leefgebied"},
		{"domain_name", "Leefgebied"}, {"target_level", "Beoogd niveau"}, {"level", "Niveau"},
		{"status", "Status"}, {"status_code", "Code status"}, {"status_label", "Status"},
		{"due_quarter", "Kwartaal streefdatum"}, {"quarter", "Kwartaal"}, {"people", "Personen"},
		{"persons", "Personen"}, {"teams", "Teams"}, {"team_count", "Aantal teams"},
		{"team_names", "Teams"}, {"suppressed", "Onderdrukt"}, {"peildatum", "Peildatum"},
		{"proposed", "Voorgesteld"}, {"planned", "Gepland"}, {"in_progress", "Bezig"},
		{"done", "Afgerond"}, {"open", "Open"}, {"overdue", "Te laat"}
	};
	const size_t max = 48;
	const char *label = NULL;
	size_t		n = 0;
	size_t		cut;

	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strcmp(name, known[i][0]) == 0)
			label = known[i][1];
	/* The view's own Dutch comment comes first: its first clause, when that is short. */
	if (comment != NULL)
	{
		n = strcspn(comment, ".;:(");
		while (n > 0 && comment[n - 1] == ' ')
			n--;
	}
	if (n > 0 && kbs_utf8_chars(comment, n) <= max)
		return kbs_buf_append(out, comment, n);
	if (label != NULL)
		return buf_adds(out, label);
	if (n == 0)
		return buf_adds(out, name);
	/* A long clause, cut at a space. */
	cut = 0;
	for (size_t i = 0, chars = 0; i < n && chars < max - 1; i++)
	{
		if (((unsigned char) comment[i] & 0xC0) != 0x80)
			chars++;
		if (comment[i] == ' ')
			cut = i;
	}
	if (cut == 0)
		return buf_adds(out, name);
	return kbs_buf_append(out, comment, cut) && buf_adds(out, "…");
}

int
kbs_training_sheet(const char *municipality, const char *municipality_code, const char *made_on,
				   const kbs_table_col *cols, size_t ncols, const char *const *values, size_t nrows,
				   kbs_grid *out, kbs_form_geom *geom, char *err, size_t errlen)
{
	int64_t		supp = -1;
	uint32_t	c;
	kbs_buf		b;

	kbs_buf_init(&b);
	if (nrows > KBS_SHEET_MAX_ROWS - 16 || ncols > KBS_SHEET_MAX_COLS)
	{
		kbs_set_err(err, errlen, "te veel rijen of kolommen voor één werkblad");
		return -1;
	}
	for (size_t i = 0; i < ncols; i++)
		if (strcmp(cols[i].name, "suppressed") == 0 && cols[i].type == KBS_COL_BOOL)
			supp = (int64_t) i;
	if (!buf_addf(&b, "Scholingsvraag — %s (%s)", municipality, municipality_code))
		goto oom;
	ADD(0, 0, KBS_K_TITLE, b.data);
	ADD(1, 0, KBS_K_LABEL, "Gemaakt op");
	ADD(1, 1, KBS_K_INFO, made_on);
	ADD(2, 0, KBS_K_LABEL, "Toelichting");
	ADD(2, 1, KBS_K_INFO,
		"Per bouwsteen en beoogd niveau: wie een open scholingsactie heeft, naar status en kwartaal van de "
		"streefdatum, en welke teams. \"onderdrukt\": te weinig personen om het aantal te tonen.");
	c = 0;
	for (size_t i = 0; i < ncols; i++)
	{
		if (kbs_training_hidden(cols[i].name))
			continue;
		b.len = 0;
		if (!kbs_buf_append(&b, "", 0) || !kbs_training_label(cols[i].name, cols[i].comment, &b))
			goto oom;
		ADD(3, c, KBS_K_HEAD, b.data);
		c++;
	}
	if (c == 0)
	{
		kbs_set_err(err, errlen, "de scholingsvraag heeft geen kolommen om te tonen");
		kbs_buf_free(&b);
		return -1;
	}
	geom->header_first_row = 3;
	geom->code_row = 3;
	geom->first_data_row = 4;
	geom->ncols = c;
	geom->first_input_col = 0;
	geom->last_input_col = 0;
	for (size_t r = 0; r < nrows; r++)
	{
		const char *const *row = values + r * ncols;
		bool		suppressed = supp >= 0 && row[supp] != NULL && strcmp(row[supp], "t") == 0;

		c = 0;
		for (size_t i = 0; i < ncols; i++)
		{
			const char *v = row[i];

			if (kbs_training_hidden(cols[i].name))
				continue;
			if (v == NULL)
				ADD(4 + (uint32_t) r, c, suppressed ? KBS_K_SUPPRESSED : KBS_K_TEXT, suppressed ? "onderdrukt" : "");
			else if (cols[i].type == KBS_COL_BOOL)
				ADD(4 + (uint32_t) r, c, KBS_K_TEXT, strcmp(v, "t") == 0 ? "ja" : "nee");
			else if (cols[i].type == KBS_COL_NUMBER)
				ADD(4 + (uint32_t) r, c, KBS_K_NUMBER, v);
			else if (cols[i].type == KBS_COL_DATE)
				ADD(4 + (uint32_t) r, c, KBS_K_DATE, v);
			else
				ADD(4 + (uint32_t) r, c, KBS_K_TEXT, v);
			c++;
		}
	}
	if (nrows == 0)
		ADD(4, 0, KBS_K_TEXT, "Geen open scholingsacties.");
	geom->last_data_row = nrows == 0 ? 4 : 3 + (uint32_t) nrows;
	kbs_buf_free(&b);
	return 0;
oom:
	kbs_buf_free(&b);
	kbs_set_err(err, errlen, "onvoldoende geheugen");
	return -1;
}
