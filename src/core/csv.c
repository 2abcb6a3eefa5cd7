/*
 * csv.c — small CSV reader, see kbs_csv.h for the dialect and the API.
 *
 * Pure C11; every read is guarded by pos < len and every write by
 * used < bufcap, whatever the input.
 */
#include "kbs_csv.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#if defined(__GNUC__) || defined(__clang__)
#define KBS_CSV_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define KBS_CSV_PRINTF(f, a)
#endif

/* Space or tab that is not the delimiter: padding, or content of a blank line. */
static int
is_pad(const kbs_csv_reader *r, unsigned char c)
{
	return (c == ' ' || c == '\t') && c != (unsigned char) r->delim;
}

static int
is_eol(unsigned char c)
{
	return c == '\n' || c == '\r';
}

/* Starts a new physical line at r->pos. */
static void
new_line(kbs_csv_reader *r)
{
	if (r->line < INT_MAX)
		r->line++;
	r->line_start = r->pos;
}

/* Consumes the line terminator at r->pos (LF, CRLF or a lone CR). */
static void
consume_eol(kbs_csv_reader *r)
{
	if (r->data[r->pos] == '\r' && r->pos + 1 < r->len && r->data[r->pos + 1] == '\n')
		r->pos += 2;
	else
		r->pos += 1;
	new_line(r);
}

/* 1-based byte column of pos, which lies on line r->line. */
static int
column_of(const kbs_csv_reader *r, size_t pos)
{
	size_t		col = pos - r->line_start + 1;

	return col > (size_t) INT_MAX ? INT_MAX : (int) col;
}

/* Records an input error (sticky) and copies it to *err; returns -1. */
KBS_CSV_PRINTF(6, 7)
static int
fail(kbs_csv_reader *r, kbs_csv_error *err, kbs_csv_error_kind kind, int line, int column,
	 const char *fmt, ...)
{
	va_list		ap;

	r->error.kind = kind;
	r->error.line = line;
	r->error.column = column;
	va_start(ap, fmt);
	vsnprintf(r->error.msg, sizeof r->error.msg, fmt, ap);
	va_end(ap);
	r->failed = 1;
	if (err)
		*err = r->error;
	return -1;
}

/* Length of the well-formed UTF-8 sequence at d[pos], or 0 if there is none. */
static size_t
utf8_len(const unsigned char *d, size_t len, size_t pos)
{
	unsigned char c = d[pos];
	unsigned char lo = 0x80,
				hi = 0xBF;
	size_t		n,
				i;

	if (c >= 0xC2 && c <= 0xDF)
		n = 2;
	else if (c >= 0xE0 && c <= 0xEF)
	{
		n = 3;
		if (c == 0xE0)
			lo = 0xA0;			/* no overlong forms */
		else if (c == 0xED)
			hi = 0x9F;			/* no surrogates */
	}
	else if (c >= 0xF0 && c <= 0xF4)
	{
		n = 4;
		if (c == 0xF0)
			lo = 0x90;
		else if (c == 0xF4)
			hi = 0x8F;			/* not above U+10FFFF */
	}
	else
		return 0;
	if (len - pos < n)
		return 0;
	if (d[pos + 1] < lo || d[pos + 1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if (d[pos + i] < 0x80 || d[pos + i] > 0xBF)
			return 0;
	return n;
}

/* Error for the byte at r->pos following a closing quote (and padding). */
static int
fail_after_quote(kbs_csv_reader *r, kbs_csv_error *err)
{
	const unsigned char *d = (const unsigned char *) r->data;
	unsigned char c = d[r->pos];
	int			line = r->line;
	int			col = column_of(r, r->pos);
	size_t		n;

	if (c == '"')
		return fail(r, err, KBS_CSV_ERR_INPUT, line, col,
					"unexpected quote after closing quote on line %d", line);
	if (c > 0x20 && c < 0x7F)
		return fail(r, err, KBS_CSV_ERR_INPUT, line, col,
					"unexpected character \"%c\" after closing quote on line %d",
					(char) c, line);
	n = utf8_len(d, r->len, r->pos);
	if (n > 0)
		return fail(r, err, KBS_CSV_ERR_INPUT, line, col,
					"unexpected character \"%.*s\" after closing quote on line %d",
					(int) n, r->data + r->pos, line);
	return fail(r, err, KBS_CSV_ERR_INPUT, line, col,
				"unexpected byte 0x%02X after closing quote on line %d",
				(unsigned int) c, line);
}

/*
 * The delimiter of the first record: ';' if a ';' outside quotes comes
 * before any ',' outside quotes, else ','.  Blank lines before the record
 * are passed over (they hold neither).
 */
static char
detect_delim(const unsigned char *d, size_t len, size_t pos)
{
	int			in_quotes = 0;
	int			content = 0;

	for (; pos < len; pos++)
	{
		unsigned char c = d[pos];

		if (c == '"')
		{
			in_quotes = !in_quotes;		/* "" toggles twice: still right */
			content = 1;
		}
		else if (in_quotes)
			continue;
		else if (c == ';')
			return ';';
		else if (c == ',')
			return ',';
		else if (is_eol(c))
		{
			if (content)
				break;			/* end of the first record */
		}
		else if (c != ' ' && c != '\t')
			content = 1;
	}
	return ',';
}

void
kbs_csv_init(kbs_csv_reader *r, const char *data, size_t len, char delim)
{
	memset(r, 0, sizeof *r);
	if (data == NULL)
		len = 0;
	r->data = data;
	r->len = len;
	r->pos = 0;
	if (len >= 3 && (unsigned char) data[0] == 0xEF &&
		(unsigned char) data[1] == 0xBB && (unsigned char) data[2] == 0xBF)
		r->pos = 3;
	r->line = 1;
	r->line_start = r->pos;
	if (delim == '\0' || delim == '"' || delim == '\n' || delim == '\r')
		delim = detect_delim((const unsigned char *) data, len, r->pos);
	r->delim = delim;
}

int
kbs_csv_next(kbs_csv_reader *r, char *buf, size_t bufcap,
			 size_t *field_off, size_t *field_len, int maxfields,
			 int *line_out, kbs_csv_error *err)
{
	const unsigned char *d;
	unsigned char delim;
	size_t		used = 0;		/* bytes of buf in use; < bufcap while a field is open */
	int			nfields = 0;
	int			rec_line;

	if (r != NULL && r->failed)
	{
		if (err)
			*err = r->error;
		return -1;
	}
	if (r == NULL || buf == NULL || bufcap == 0 || field_off == NULL ||
		field_len == NULL || maxfields < 1)
	{
		if (err)
		{
			err->kind = KBS_CSV_ERR_ARGUMENT;
			err->line = r ? r->line : 0;
			err->column = 0;
			snprintf(err->msg, sizeof err->msg, "invalid argument to kbs_csv_next");
		}
		return -1;
	}

	d = (const unsigned char *) r->data;
	delim = (unsigned char) r->delim;

	/* Skip blank lines; the record starts at r->pos, its padding included. */
	for (;;)
	{
		size_t		p = r->pos;

		while (p < r->len && is_pad(r, d[p]))
			p++;
		if (p >= r->len)
		{
			r->pos = r->len;
			return 0;
		}
		if (!is_eol(d[p]))
			break;
		r->pos = p;
		consume_eol(r);
	}

	rec_line = r->line;
	if (line_out)
		*line_out = rec_line;

	for (;;)					/* one field per iteration */
	{
		int			f_line = r->line;
		int			f_col = column_of(r, r->pos);
		int			last;		/* the record ends after this field */
		size_t		p;

		if (nfields >= maxfields)
			return fail(r, err, KBS_CSV_ERR_FIELDS, rec_line, f_line == rec_line ? f_col : 0,
						"line %d has more than %d fields", rec_line, maxfields);
		if (used >= bufcap)
			return fail(r, err, KBS_CSV_ERR_LENGTH, f_line, f_col,
						"field on line %d is too long", f_line);
		field_off[nfields] = used;

#define EMIT(ch) \
		do { \
			if (bufcap - used < 2)	/* room for the byte and the final NUL */ \
				return fail(r, err, KBS_CSV_ERR_LENGTH, f_line, f_col, \
							"field on line %d is too long", f_line); \
			buf[used++] = (char) (ch); \
		} while (0)

		p = r->pos;
		while (p < r->len && is_pad(r, d[p]))
			p++;

		if (p < r->len && d[p] == '"')
		{
			/* quoted field */
			int			q_line = r->line;
			int			q_col = column_of(r, p);

			r->pos = p + 1;
			for (;;)
			{
				unsigned char c;

				if (r->pos >= r->len)
					return fail(r, err, KBS_CSV_ERR_INPUT, q_line, q_col,
								"unterminated quoted field starting on line %d",
								q_line);
				c = d[r->pos];
				if (c == '"')
				{
					if (r->pos + 1 < r->len && d[r->pos + 1] == '"')
					{
						EMIT('"');
						r->pos += 2;
						continue;
					}
					r->pos++;	/* closing quote */
					break;
				}
				if (c == '\0')
					return fail(r, err, KBS_CSV_ERR_INPUT, r->line, column_of(r, r->pos),
								"NUL byte on line %d", r->line);
				EMIT(c);
				r->pos++;
				/* CR LF is one line break; its CR is counted at the LF */
				if (c == '\n' ||
					(c == '\r' && !(r->pos < r->len && d[r->pos] == '\n')))
					new_line(r);
			}

			while (r->pos < r->len && is_pad(r, d[r->pos]))
				r->pos++;
			if (r->pos >= r->len)
				last = 1;
			else if (d[r->pos] == delim)
			{
				r->pos++;
				last = 0;
			}
			else if (is_eol(d[r->pos]))
			{
				consume_eol(r);
				last = 1;
			}
			else if (d[r->pos] == '\0')
				return fail(r, err, KBS_CSV_ERR_INPUT, r->line, column_of(r, r->pos),
							"NUL byte on line %d", r->line);
			else
				return fail_after_quote(r, err);
		}
		else
		{
			/* unquoted field, taken as is */
			for (;;)
			{
				unsigned char c;

				if (r->pos >= r->len)
				{
					last = 1;
					break;
				}
				c = d[r->pos];
				if (c == delim)
				{
					r->pos++;
					last = 0;
					break;
				}
				if (is_eol(c))
				{
					consume_eol(r);
					last = 1;
					break;
				}
				if (c == '"')
					return fail(r, err, KBS_CSV_ERR_INPUT, r->line, column_of(r, r->pos),
								"unexpected quote in unquoted field on line %d",
								r->line);
				if (c == '\0')
					return fail(r, err, KBS_CSV_ERR_INPUT, r->line, column_of(r, r->pos),
								"NUL byte on line %d", r->line);
				EMIT(c);
				r->pos++;
			}
		}
#undef EMIT

		buf[used] = '\0';
		field_len[nfields] = used - field_off[nfields];
		used++;
		nfields++;
		if (last)
			return nfields;
	}
}
