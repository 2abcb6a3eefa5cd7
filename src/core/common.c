/*
 * common.c — error reporting, the text scanner and the entry-array checks
 * shared by the three types.
 */
#include "kbs_internal.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
kbs_error_init(kbs_error *err)
{
	if (err == NULL)
		return;
	err->code = KBS_OK;
	err->position = -1;
	err->msg[0] = '\0';
	err->detail[0] = '\0';
}

const char *
kbs_errcode_sqlstate(kbs_errcode code)
{
	switch (code)
	{
		case KBS_OK:
			return "00000";
		case KBS_ERR_SYNTAX:
			return "22P02";
		case KBS_ERR_VALUE:
			return "22023";
		case KBS_ERR_RANGE:
			return "22003";
		case KBS_ERR_BINARY:
			return "22P03";
		case KBS_ERR_NOMEM:
			return "53200";
	}
	return "XX000";
}

void
kbs_fail(kbs_error *err, kbs_errcode code, int position, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return;
	err->code = code;
	err->position = position;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	err->detail[0] = '\0';
}

void
kbs_fail_detail(kbs_error *err, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(err->detail, sizeof(err->detail), fmt, ap);
	va_end(ap);
}

/* ------------------------------------------------------------------ */

static bool
is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool
is_alnum(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Printable ASCII as itself, anything else as a byte value: messages must
 * stay valid in every client encoding. */
static void
describe_byte(char *dst, size_t cap, unsigned char c)
{
	if (c > 0x20 && c < 0x7f)
		snprintf(dst, cap, "\"%c\"", c);
	else if (c == ' ')
		snprintf(dst, cap, "a space");
	else
		snprintf(dst, cap, "byte 0x%02x", (unsigned) c);
}

void
kbs_token_quote(char *dst, size_t cap, const char *tok, size_t len)
{
	size_t max = 16, i, o = 0;

	if (cap < 24)
	{
		if (cap > 0)
			dst[0] = '\0';
		return;
	}
	dst[o++] = '"';
	for (i = 0; i < len && i < max; i++)
	{
		unsigned char c = (unsigned char) tok[i];

		dst[o++] = (c >= 0x20 && c < 0x7f) ? (char) c : '?';
	}
	if (len > max)
	{
		memcpy(dst + o, "...", 3);
		o += 3;
	}
	dst[o++] = '"';
	dst[o] = '\0';
}

bool
kbs_all_digits(const char *tok, size_t len)
{
	size_t i;

	if (len == 0)
		return false;
	for (i = 0; i < len; i++)
		if (!is_digit(tok[i]))
			return false;
	return true;
}

bool
kbs_token_uint(const char *tok, size_t len, uint64_t *v)
{
	uint64_t r = 0;
	size_t i;

	/* 10 digits cannot overflow 64 bits; longer tokens are out of range */
	if (len == 0 || len > 10)
		return false;
	for (i = 0; i < len; i++)
	{
		if (!is_digit(tok[i]))
			return false;
		r = r * 10 + (uint64_t) (tok[i] - '0');
	}
	*v = r;
	return true;
}

size_t
kbs_udigits(uint32_t v)
{
	size_t d = 1;

	while (v >= 10)
	{
		v /= 10;
		d++;
	}
	return d;
}

char *
kbs_put_uint(char *p, uint32_t v)
{
	size_t d = kbs_udigits(v), i;

	for (i = d; i > 0; i--)
	{
		p[i - 1] = (char) ('0' + v % 10);
		v /= 10;
	}
	return p + d;
}

/* ------------------------------------------------------------------ */

bool
kbs_lex_begin(kbs_lexer *lx, const char *s, size_t len, kbs_error *err)
{
	const char *nul;

	kbs_error_init(err);
	lx->s = s;
	lx->len = len;
	lx->pos = 0;
	lx->err = err;
	memset(lx->seen, 0, sizeof(lx->seen));
	if (len > KBS_MAX_TEXT_LEN)
	{
		kbs_fail(err, KBS_ERR_SYNTAX, -1, "input too long");
		kbs_fail_detail(err, "The maximum length is %d bytes.", KBS_MAX_TEXT_LEN);
		return false;
	}
	if (len == 0)
	{
		kbs_fail(err, KBS_ERR_SYNTAX, 0, "empty input");
		return false;
	}
	nul = memchr(s, '\0', len);
	if (nul != NULL)
	{
		kbs_fail(err, KBS_ERR_SYNTAX, (int) (nul - s), "unexpected NUL byte at position %d", (int) (nul - s));
		return false;
	}
	return true;
}

void
kbs_lex_skip_ws(kbs_lexer *lx)
{
	while (lx->pos < lx->len && is_ws(lx->s[lx->pos]))
		lx->pos++;
}

bool
kbs_lex_accept(kbs_lexer *lx, char c)
{
	kbs_lex_skip_ws(lx);
	if (lx->pos < lx->len && lx->s[lx->pos] == c)
	{
		lx->pos++;
		return true;
	}
	return false;
}

static void fail_expected_v(kbs_lexer *lx, const char *fmt, va_list ap) KBS_PRINTF(2, 0);

static void
fail_expected_v(kbs_lexer *lx, const char *fmt, va_list ap)
{
	char what[160];
	char found[32];

	vsnprintf(what, sizeof(what), fmt, ap);
	kbs_fail(lx->err, KBS_ERR_SYNTAX, (int) lx->pos, "%s at position %d", what, (int) lx->pos);
	if (lx->pos >= lx->len)
		kbs_fail_detail(lx->err, "Found end of input.");
	else
	{
		describe_byte(found, sizeof(found), (unsigned char) lx->s[lx->pos]);
		kbs_fail_detail(lx->err, "Found %s.", found);
	}
}

void
kbs_lex_fail_expected(kbs_lexer *lx, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fail_expected_v(lx, fmt, ap);
	va_end(ap);
}

bool
kbs_lex_expect(kbs_lexer *lx, char c, const char *fmt, ...)
{
	va_list ap;

	if (kbs_lex_accept(lx, c))
		return true;
	va_start(ap, fmt);
	fail_expected_v(lx, fmt, ap);
	va_end(ap);
	return false;
}

size_t
kbs_lex_word(kbs_lexer *lx, size_t *start)
{
	kbs_lex_skip_ws(lx);
	*start = lx->pos;
	while (lx->pos < lx->len && is_alnum(lx->s[lx->pos]))
		lx->pos++;
	return lx->pos - *start;
}

int
kbs_lex_block_id(kbs_lexer *lx)
{
	size_t start;
	uint64_t v;
	char tok[32];
	int id;

	kbs_lex_skip_ws(lx);
	start = lx->pos;
	while (lx->pos < lx->len && is_digit(lx->s[lx->pos]))
		lx->pos++;
	if (lx->pos == start)
	{
		kbs_lex_fail_expected(lx, "expected block id");
		return -1;
	}
	if (!kbs_token_uint(lx->s + start, lx->pos - start, &v) ||
		v < KBS_MIN_BLOCK_ID || v > KBS_MAX_BLOCK_ID)
	{
		kbs_token_quote(tok, sizeof(tok), lx->s + start, lx->pos - start);
		kbs_fail(lx->err, KBS_ERR_SYNTAX, (int) start, "block id %s out of range at position %d", tok, (int) start);
		kbs_fail_detail(lx->err, "Block ids run from %d to %d.", KBS_MIN_BLOCK_ID, KBS_MAX_BLOCK_ID);
		return -1;
	}
	id = (int) v;
	if (lx->seen[id >> 3] & (1u << (id & 7)))
	{
		kbs_fail(lx->err, KBS_ERR_SYNTAX, (int) start, "duplicate block id %d at position %d", id, (int) start);
		return -1;
	}
	lx->seen[id >> 3] |= (uint8_t) (1u << (id & 7));
	return id;
}

bool
kbs_lex_end(kbs_lexer *lx)
{
	kbs_lex_skip_ws(lx);
	if (lx->pos < lx->len)
	{
		kbs_fail(lx->err, KBS_ERR_SYNTAX, (int) lx->pos, "junk after closing brace at position %d", (int) lx->pos);
		return false;
	}
	return true;
}

int64_t
kbs_wire_frame(const uint8_t *buf, size_t len, const char *typname, size_t hdr,
			   size_t count_off, size_t entry_size, kbs_error *err)
{
	uint32_t cnt;
	size_t want;

	if (len >= 1 && buf[0] != KBS_FORMAT_VERSION)
	{
		kbs_fail(err, KBS_ERR_BINARY, 0, "unsupported %s binary format version %u", typname, (unsigned) buf[0]);
		return -1;
	}
	if (len < hdr)
	{
		kbs_fail(err, KBS_ERR_BINARY, -1, "truncated %s binary value", typname);
		return -1;
	}
	cnt = kbs_get_u32be(buf + count_off);
	if (cnt > KBS_MAX_ENTRIES)
	{
		kbs_fail(err, KBS_ERR_BINARY, (int) count_off, "too many entries (%u) in %s binary value", (unsigned) cnt, typname);
		return -1;
	}
	want = hdr + entry_size * (size_t) cnt;
	if (len < want)
	{
		kbs_fail(err, KBS_ERR_BINARY, -1, "truncated %s binary value", typname);
		return -1;
	}
	if (len > want)
	{
		kbs_fail(err, KBS_ERR_BINARY, (int) want, "unexpected bytes after %s binary value", typname);
		return -1;
	}
	return cnt;
}

/* ------------------------------------------------------------------ */
/* Entry arrays                                                        */
/* ------------------------------------------------------------------ */

/* Every entry type starts with its uint16_t block id: one order serves all three. */
_Static_assert(offsetof(kbs_pentry, id) == 0 && offsetof(kbs_rentry, id) == 0 && offsetof(kbs_centry, id) == 0,
			   "entry types start with the block id");

int
kbs_cmp_entry_id(const void *a, const void *b)
{
	uint16_t x, y;

	memcpy(&x, a, sizeof(x));
	memcpy(&y, b, sizeof(y));
	return (x > y) - (x < y);
}

bool
kbs_check_block_id(unsigned id, kbs_error *err)
{
	if (id >= KBS_MIN_BLOCK_ID && id <= KBS_MAX_BLOCK_ID)
		return true;
	kbs_fail(err, KBS_ERR_VALUE, -1, "block id %u out of range", id);
	kbs_fail_detail(err, "Block ids run from %d to %d.", KBS_MIN_BLOCK_ID, KBS_MAX_BLOCK_ID);
	return false;
}

int
kbs_sort_unique_entries(void *e, int n, size_t size, kbs_error *err)
{
	int i;

	if (n > 1)
		qsort(e, (size_t) n, size, kbs_cmp_entry_id);
	for (i = 1; i < n; i++)
	{
		const char *cur = (const char *) e + (size_t) i * size;

		if (kbs_cmp_entry_id(cur - size, cur) == 0)
		{
			uint16_t id;

			memcpy(&id, cur, sizeof(id));
			kbs_fail(err, KBS_ERR_VALUE, -1, "duplicate block id %u", (unsigned) id);
			return -1;
		}
	}
	return n;
}
