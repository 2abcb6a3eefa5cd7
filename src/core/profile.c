/*
 * profile.c — kbs.profile: text, storage (sparse / dense bit-planes), wire,
 * and per-block operations.
 */
#include "kbs_internal.h"

#include <stdlib.h>
#include <string.h>


/* ------------------------------------------------------------------ */
/* Text                                                                */
/* ------------------------------------------------------------------ */

int
kbs_level_token(const char *w, size_t wl)
{
	if (wl == 2 && w[0] == 'n' && w[1] == 'a')
		return KBS_CODE_NA;
	if (wl == 1 && w[0] >= '0' && w[0] <= '4')
		return kbs_code_from_level(w[0] - '0');
	/* a plain number (no leading zero) reads better as a range error */
	if (wl > 0 && kbs_all_digits(w, wl) && (wl == 1 || w[0] != '0'))
		return 0;
	return -1;
}

int
kbs_profile_parse(const char *s, size_t len, kbs_pentry *out, kbs_error *err)
{
	kbs_lexer lx;
	int n = 0;
	bool sorted = true;

	if (!kbs_lex_begin(&lx, s, len, err))
		return -1;
	if (!kbs_lex_expect(&lx, '{', "expected \"{\""))
		return -1;
	if (!kbs_lex_accept(&lx, '}'))
	{
		for (;;)
		{
			int id = kbs_lex_block_id(&lx);
			size_t start, wl;
			const char *w;
			uint8_t code;
			int tc;

			if (id < 0)
				return -1;
			if (!kbs_lex_expect(&lx, ':', "expected \":\" after block id %d", id))
				return -1;
			wl = kbs_lex_word(&lx, &start);
			w = s + start;
			if (wl == 0)
			{
				kbs_lex_fail_expected(&lx, "expected level after block id %d", id);
				return -1;
			}
			tc = kbs_level_token(w, wl);
			if (tc > 0)
				code = (uint8_t) tc;
			else
			{
				char tok[32];

				kbs_token_quote(tok, sizeof(tok), w, wl);
				if (tc == 0)
					kbs_fail(err, KBS_ERR_SYNTAX, (int) start, "level %s out of range at position %d", tok, (int) start);
				else
					kbs_fail(err, KBS_ERR_SYNTAX, (int) start, "invalid level %s at position %d", tok, (int) start);
				kbs_fail_detail(err, "A level is one of 0, 1, 2, 3, 4 or na.");
				return -1;
			}
			if (n > 0 && out[n - 1].id > id)
				sorted = false;
			out[n].id = (uint16_t) id;
			out[n].code = code;
			n++;
			if (kbs_lex_accept(&lx, ','))
				continue;
			if (kbs_lex_accept(&lx, '}'))
				break;
			kbs_lex_fail_expected(&lx, "expected \",\" or \"}\" after block %d", id);
			return -1;
		}
	}
	if (!kbs_lex_end(&lx))
		return -1;
	if (!sorted)
		qsort(out, (size_t) n, sizeof(*out), kbs_cmp_entry_id);
	return n;
}

size_t
kbs_profile_text_size(const kbs_pentry *e, int n)
{
	size_t size = 3; /* braces and NUL */
	int i;

	for (i = 0; i < n; i++)
		size += kbs_udigits(e[i].id) + 1 + (e[i].code == KBS_CODE_NA ? 2 : 1) + (i > 0);
	return size;
}

void
kbs_profile_print(const kbs_pentry *e, int n, char *buf)
{
	char *p = buf;
	int i;

	*p++ = '{';
	for (i = 0; i < n; i++)
	{
		if (i > 0)
			*p++ = ',';
		p = kbs_put_uint(p, e[i].id);
		*p++ = ':';
		if (e[i].code == KBS_CODE_NA)
		{
			*p++ = 'n';
			*p++ = 'a';
		}
		else
			*p++ = (char) ('0' + kbs_level_from_code(e[i].code));
	}
	*p++ = '}';
	*p = '\0';
}

/* ------------------------------------------------------------------ */
/* Storage                                                             */
/* ------------------------------------------------------------------ */

static size_t
sparse_size(size_t n)
{
	return KBS_PROFILE_SPARSE_HDR + KBS_PROFILE_SPARSE_ENTRY * n;
}

static size_t
dense_size(size_t span)
{
	return KBS_PROFILE_DENSE_HDR + 3 * ((span + 7) / 8);
}

/* Dense only when strictly smaller: ties go to sparse. */
static bool
want_dense(const kbs_pentry *e, int n)
{
	if (n == 0)
		return false;
	return dense_size((size_t) e[n - 1].id - e[0].id + 1) < sparse_size((size_t) n);
}

size_t
kbs_profile_storage_size(const kbs_pentry *e, int n)
{
	if (want_dense(e, n))
		return dense_size((size_t) e[n - 1].id - e[0].id + 1);
	return sparse_size((size_t) n);
}

void
kbs_profile_store(const kbs_pentry *e, int n, uint8_t *out)
{
	int i;

	out[0] = KBS_FORMAT_VERSION;
	if (!want_dense(e, n))
	{
		uint8_t *p = out + KBS_PROFILE_SPARSE_HDR;

		out[1] = KBS_LAYOUT_SPARSE;
		for (i = 0; i < n; i++, p += KBS_PROFILE_SPARSE_ENTRY)
		{
			kbs_put_u16le(p, e[i].id);
			p[2] = e[i].code;
		}
	}
	else
	{
		unsigned base = e[0].id;
		size_t span = (size_t) e[n - 1].id - base + 1;
		size_t pb = (span + 7) / 8;
		uint8_t *planes = out + KBS_PROFILE_DENSE_HDR;

		out[1] = KBS_LAYOUT_DENSE;
		kbs_put_u16le(out + 2, base);
		kbs_put_u16le(out + 4, (uint32_t) span);
		memset(planes, 0, 3 * pb);
		for (i = 0; i < n; i++)
		{
			size_t off = (size_t) e[i].id - base;
			uint8_t bit = (uint8_t) (1u << (off & 7));
			int k;

			for (k = 0; k < 3; k++)
				if (e[i].code & (1u << k))
					planes[k * pb + off / 8] |= bit;
		}
	}
}

static int
load_fail(kbs_error *err, int pos, const char *what)
{
	kbs_fail(err, KBS_ERR_BINARY, pos, "invalid kbs.profile storage: %s", what);
	return -1;
}

int
kbs_profile_load(const uint8_t *buf, size_t len, kbs_pentry *out, kbs_error *err)
{
	int n = 0;

	kbs_error_init(err);
	if (len < KBS_PROFILE_SPARSE_HDR)
		return load_fail(err, -1, "truncated");
	if (buf[0] != KBS_FORMAT_VERSION)
	{
		kbs_fail(err, KBS_ERR_BINARY, 0, "unsupported kbs.profile storage format version %u", (unsigned) buf[0]);
		return -1;
	}
	if (buf[1] == KBS_LAYOUT_SPARSE)
	{
		size_t cnt, i;
		unsigned prev = 0;

		if ((len - KBS_PROFILE_SPARSE_HDR) % KBS_PROFILE_SPARSE_ENTRY != 0)
			return load_fail(err, -1, "size does not match the sparse layout");
		cnt = (len - KBS_PROFILE_SPARSE_HDR) / KBS_PROFILE_SPARSE_ENTRY;
		if (cnt > KBS_MAX_ENTRIES)
			return load_fail(err, -1, "too many entries");
		for (i = 0; i < cnt; i++)
		{
			const uint8_t *p = buf + KBS_PROFILE_SPARSE_HDR + KBS_PROFILE_SPARSE_ENTRY * i;
			unsigned id = kbs_get_u16le(p);

			if (id < KBS_MIN_BLOCK_ID || id > KBS_MAX_BLOCK_ID)
				return load_fail(err, (int) (p - buf), "block id out of range");
			if (id <= prev)
				return load_fail(err, (int) (p - buf), "block ids not in ascending order");
			if (p[2] < KBS_CODE_LEVEL0 || p[2] > KBS_CODE_NA)
				return load_fail(err, (int) (p - buf) + 2, "invalid level code");
			out[i].id = (uint16_t) id;
			out[i].code = p[2];
			prev = id;
		}
		n = (int) cnt;
		if (want_dense(out, n))
			return load_fail(err, 1, "non-canonical layout (dense is smaller)");
		return n;
	}
	if (buf[1] == KBS_LAYOUT_DENSE)
	{
		unsigned base, span;
		size_t pb, j;
		const uint8_t *p0, *p1, *p2;
		uint8_t padmask;

		if (len < KBS_PROFILE_DENSE_HDR)
			return load_fail(err, -1, "truncated");
		base = kbs_get_u16le(buf + 2);
		span = kbs_get_u16le(buf + 4);
		if (base < KBS_MIN_BLOCK_ID || span < 1 || base + span - 1 > KBS_MAX_BLOCK_ID)
			return load_fail(err, 2, "block range out of bounds");
		if (len != dense_size(span))
			return load_fail(err, -1, "size does not match the dense layout");
		pb = (span + 7) / 8;
		p0 = buf + KBS_PROFILE_DENSE_HDR;
		p1 = p0 + pb;
		p2 = p1 + pb;
		/* bits past the span in the last byte must be zero */
		padmask = (uint8_t) (span % 8 ? (0xffu << (span % 8)) & 0xffu : 0);
		if (((p0[pb - 1] | p1[pb - 1] | p2[pb - 1]) & padmask) != 0)
			return load_fail(err, -1, "non-zero padding bits");
		for (j = 0; j < pb; j++)
		{
			unsigned any = p0[j] | p1[j] | p2[j];
			unsigned b;

			if (any == 0)
				continue;
			if ((p0[j] & p1[j] & p2[j]) != 0)
				return load_fail(err, (int) (KBS_PROFILE_DENSE_HDR + j), "invalid level code");
			for (b = 0; b < 8; b++)
			{
				if (!(any & (1u << b)))
					continue;
				out[n].id = (uint16_t) (base + j * 8 + b);
				out[n].code = (uint8_t) (((p0[j] >> b) & 1) | (((p1[j] >> b) & 1) << 1) | (((p2[j] >> b) & 1) << 2));
				n++;
			}
		}
		if (n == 0 || out[0].id != base || out[n - 1].id != base + span - 1)
			return load_fail(err, 2, "first or last block of the dense range not assessed");
		if (sparse_size((size_t) n) <= dense_size(span))
			return load_fail(err, 1, "non-canonical layout (sparse is not larger)");
		return n;
	}
	return load_fail(err, 1, "unknown layout");
}

#ifdef KBS_TESTING
/* Only the unit tests and fuzz targets use this: not in the shared library. */
uint8_t
kbs_profile_code_of(const uint8_t *buf, size_t len, int id)
{
	if (len < KBS_PROFILE_SPARSE_HDR || id < KBS_MIN_BLOCK_ID || id > KBS_MAX_BLOCK_ID)
		return KBS_CODE_ABSENT;
	if (buf[1] == KBS_LAYOUT_SPARSE)
	{
		size_t lo = 0, hi = (len - KBS_PROFILE_SPARSE_HDR) / KBS_PROFILE_SPARSE_ENTRY;

		while (lo < hi)
		{
			size_t mid = lo + (hi - lo) / 2;
			const uint8_t *p = buf + KBS_PROFILE_SPARSE_HDR + KBS_PROFILE_SPARSE_ENTRY * mid;
			int mid_id = (int) kbs_get_u16le(p);

			if (mid_id == id)
				return p[2];
			if (mid_id < id)
				lo = mid + 1;
			else
				hi = mid;
		}
		return KBS_CODE_ABSENT;
	}
	else
	{
		int base = (int) kbs_get_u16le(buf + 2);
		int span = (int) kbs_get_u16le(buf + 4);
		size_t pb = ((size_t) span + 7) / 8, off;
		const uint8_t *planes = buf + KBS_PROFILE_DENSE_HDR;

		if (id < base || id >= base + span)
			return KBS_CODE_ABSENT;
		off = (size_t) (id - base);
		return (uint8_t) (((planes[off / 8] >> (off & 7)) & 1) |
						  (((planes[pb + off / 8] >> (off & 7)) & 1) << 1) |
						  (((planes[2 * pb + off / 8] >> (off & 7)) & 1) << 2));
	}
}
#endif

/* ------------------------------------------------------------------ */
/* Wire                                                                */
/* ------------------------------------------------------------------ */

size_t
kbs_profile_wire_size(int n)
{
	return KBS_PROFILE_WIRE_HDR + 3 * (size_t) n;
}

void
kbs_profile_wire_encode(const kbs_pentry *e, int n, uint8_t *out)
{
	int i;

	out[0] = KBS_FORMAT_VERSION;
	kbs_put_u32be(out + 1, (uint32_t) n);
	for (i = 0; i < n; i++)
	{
		uint8_t *p = out + KBS_PROFILE_WIRE_HDR + 3 * (size_t) i;

		kbs_put_u16be(p, e[i].id);
		p[2] = e[i].code;
	}
}

int
kbs_profile_wire_decode(const uint8_t *buf, size_t len, kbs_pentry *out, kbs_error *err)
{
	uint32_t cnt, i;
	unsigned prev = 0;

	int64_t frame;

	kbs_error_init(err);
	frame = kbs_wire_frame(buf, len, "kbs.profile", KBS_PROFILE_WIRE_HDR, 1, 3, err);
	if (frame < 0)
		return -1;
	cnt = (uint32_t) frame;
	for (i = 0; i < cnt; i++)
	{
		const uint8_t *p = buf + KBS_PROFILE_WIRE_HDR + 3 * (size_t) i;
		unsigned id = kbs_get_u16be(p);

		if (id < KBS_MIN_BLOCK_ID || id > KBS_MAX_BLOCK_ID)
		{
			kbs_fail(err, KBS_ERR_BINARY, (int) (p - buf), "block id %u out of range in kbs.profile binary value", id);
			return -1;
		}
		if (id <= prev)
		{
			kbs_fail(err, KBS_ERR_BINARY, (int) (p - buf), "block ids not in ascending order (%u after %u)", id, prev);
			return -1;
		}
		if (p[2] < KBS_CODE_LEVEL0 || p[2] > KBS_CODE_NA)
		{
			kbs_fail(err, KBS_ERR_BINARY, (int) (p - buf) + 2, "invalid level code %u for block %u", (unsigned) p[2], id);
			return -1;
		}
		out[i].id = (uint16_t) id;
		out[i].code = p[2];
		prev = id;
	}
	return (int) cnt;
}

/* ------------------------------------------------------------------ */
/* Operations                                                          */
/* ------------------------------------------------------------------ */

int
kbs_profile_normalize(kbs_pentry *e, int n, kbs_error *err)
{
	int i;

	kbs_error_init(err);
	for (i = 0; i < n; i++)
	{
		if (!kbs_check_block_id(e[i].id, err))
			return -1;
		if (e[i].code < KBS_CODE_LEVEL0 || e[i].code > KBS_CODE_NA)
		{
			kbs_fail(err, KBS_ERR_VALUE, -1, "invalid level code %u for block %u", (unsigned) e[i].code, (unsigned) e[i].id);
			return -1;
		}
	}
	return kbs_sort_unique_entries(e, n, sizeof(*e), err);
}

uint8_t
kbs_profile_find(const kbs_pentry *e, int n, int id)
{
	int lo = 0, hi = n;

	while (lo < hi)
	{
		int mid = lo + (hi - lo) / 2;

		if (e[mid].id == id)
			return e[mid].code;
		if (e[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return KBS_CODE_ABSENT;
}

int
kbs_profile_level(const kbs_pentry *e, int n, int id)
{
	return kbs_level_from_code(kbs_profile_find(e, n, id));
}

/* absent < na < level 0 < ... < level 4 */
static int
code_rank(uint8_t code)
{
	if (code == KBS_CODE_NA)
		return 1;
	if (code == KBS_CODE_ABSENT)
		return 0;
	return code + 1;
}

int
kbs_profile_merge_max(const kbs_pentry *a, int na, const kbs_pentry *b, int nb, kbs_pentry *out)
{
	int i = 0, j = 0, n = 0;

	while (i < na || j < nb)
	{
		if (j >= nb || (i < na && a[i].id < b[j].id))
			out[n++] = a[i++];
		else if (i >= na || b[j].id < a[i].id)
			out[n++] = b[j++];
		else
		{
			out[n] = code_rank(a[i].code) >= code_rank(b[j].code) ? a[i] : b[j];
			n++;
			i++;
			j++;
		}
	}
	return n;
}

int
kbs_profile_raise(const kbs_pentry *e, int n, int id, int level, kbs_pentry *out)
{
	uint8_t code;
	int i = 0, o = 0;

	if (id < KBS_MIN_BLOCK_ID || id > KBS_MAX_BLOCK_ID || level < 0 || level > 4)
		return -1;
	code = kbs_code_from_level(level);
	while (i < n && e[i].id < id)
		out[o++] = e[i++];
	if (i < n && e[i].id == id)
	{
		out[o].id = (uint16_t) id;
		out[o].code = code_rank(e[i].code) >= code_rank(code) ? e[i].code : code;
		o++;
		i++;
	}
	else
	{
		out[o].id = (uint16_t) id;
		out[o].code = code;
		o++;
	}
	while (i < n)
		out[o++] = e[i++];
	return o;
}
