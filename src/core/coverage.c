/*
 * coverage.c — kbs.coverage: text, storage (sparse / dense count arrays with
 * a per-value count width), wire, and the mergeable arithmetic.
 */
#include "kbs_internal.h"

#include <stdlib.h>
#include <string.h>


static uint64_t
entry_sum(const kbs_centry *e)
{
	uint64_t s = 0;
	int k;

	for (k = 0; k < KBS_NCOUNTS; k++)
		s += e->cnt[k];
	return s;
}

/* ------------------------------------------------------------------ */
/* Text                                                                */
/* ------------------------------------------------------------------ */

/* Skip whitespace and read a count 0..2147483647 named what; -1 on error. */
static int64_t
parse_count(kbs_lexer *lx, const char *what, int id)
{
	size_t start, wl = kbs_lex_word(lx, &start);
	const char *w = lx->s + start;
	char tok[32];
	uint64_t v;

	if (wl == 0)
	{
		if (id > 0)
			kbs_lex_fail_expected(lx, "expected %s of block %d", what, id);
		else
			kbs_lex_fail_expected(lx, "expected %s", what);
		return -1;
	}
	kbs_token_quote(tok, sizeof(tok), w, wl);
	if (!kbs_all_digits(w, wl))
	{
		kbs_fail(lx->err, KBS_ERR_SYNTAX, (int) start, "invalid %s %s at position %d", what, tok, (int) start);
		return -1;
	}
	if (!kbs_token_uint(w, wl, &v) || v > KBS_MAX_MEMBERS)
	{
		kbs_fail(lx->err, KBS_ERR_SYNTAX, (int) start, "%s %s out of range at position %d", what, tok, (int) start);
		kbs_fail_detail(lx->err, "The largest %s is %u.", what, KBS_MAX_MEMBERS);
		return -1;
	}
	return (int64_t) v;
}

int
kbs_coverage_parse(const char *s, size_t len, kbs_centry *out, uint32_t *members, kbs_error *err)
{
	kbs_lexer lx;
	int n = 0;
	bool sorted = true;
	int64_t m;

	if (!kbs_lex_begin(&lx, s, len, err))
		return -1;
	if (!kbs_lex_expect(&lx, '(', "expected \"(\""))
		return -1;
	m = parse_count(&lx, "member count", 0);
	if (m < 0)
		return -1;
	if (!kbs_lex_expect(&lx, ')', "expected \")\" after the member count"))
		return -1;
	if (!kbs_lex_expect(&lx, '{', "expected \"{\" after the member count"))
		return -1;
	if (!kbs_lex_accept(&lx, '}'))
	{
		for (;;)
		{
			kbs_centry e;
			size_t idpos;
			int id, k;

			kbs_lex_skip_ws(&lx);
			idpos = lx.pos;
			id = kbs_lex_block_id(&lx);
			if (id < 0)
				return -1;
			if (!kbs_lex_expect(&lx, ':', "expected \":\" after block id %d", id))
				return -1;
			e.id = (uint16_t) id;
			for (k = 0; k < KBS_NCOUNTS; k++)
			{
				int64_t c;

				if (k > 0 && !kbs_lex_expect(&lx, ',', "expected \",\" after count %d of block %d", k, id))
					return -1;
				c = parse_count(&lx, "count", id);
				if (c < 0)
					return -1;
				e.cnt[k] = (uint32_t) c;
			}
			if (entry_sum(&e) > (uint64_t) m)
			{
				kbs_fail(err, KBS_ERR_SYNTAX, (int) idpos, "counts of block %d exceed the %u members", id, (unsigned) m);
				kbs_fail_detail(err, "The counts add up to %llu.", (unsigned long long) entry_sum(&e));
				return -1;
			}
			/* all-zero entries carry no information: dropped */
			if (entry_sum(&e) > 0)
			{
				if (n > 0 && out[n - 1].id > id)
					sorted = false;
				out[n++] = e;
			}
			if (kbs_lex_accept(&lx, ';'))
				continue;
			if (kbs_lex_accept(&lx, '}'))
				break;
			kbs_lex_fail_expected(&lx, "expected \";\" or \"}\" after the 6 counts of block %d", id);
			return -1;
		}
	}
	if (!kbs_lex_end(&lx))
		return -1;
	if (!sorted)
		qsort(out, (size_t) n, sizeof(*out), kbs_cmp_entry_id);
	*members = (uint32_t) m;
	return n;
}

size_t
kbs_coverage_text_size(const kbs_centry *e, int n, uint32_t members)
{
	size_t size = 5 + kbs_udigits(members); /* "(" ")" "{" "}" NUL */
	int i, k;

	for (i = 0; i < n; i++)
	{
		size += (i > 0) + kbs_udigits(e[i].id) + 1 + (KBS_NCOUNTS - 1);
		for (k = 0; k < KBS_NCOUNTS; k++)
			size += kbs_udigits(e[i].cnt[k]);
	}
	return size;
}

void
kbs_coverage_print(const kbs_centry *e, int n, uint32_t members, char *buf)
{
	char *p = buf;
	int i, k;

	*p++ = '(';
	p = kbs_put_uint(p, members);
	*p++ = ')';
	*p++ = '{';
	for (i = 0; i < n; i++)
	{
		if (i > 0)
			*p++ = ';';
		p = kbs_put_uint(p, e[i].id);
		*p++ = ':';
		for (k = 0; k < KBS_NCOUNTS; k++)
		{
			if (k > 0)
				*p++ = ',';
			p = kbs_put_uint(p, e[i].cnt[k]);
		}
	}
	*p++ = '}';
	*p = '\0';
}

/* ------------------------------------------------------------------ */
/* Storage                                                             */
/* ------------------------------------------------------------------ */

static unsigned
width_for(uint32_t max)
{
	if (max <= 0xff)
		return 1;
	if (max <= 0xffff)
		return 2;
	return 4;
}

/*
 * The width holding every count: an OR of all counts has the same highest
 * bit as their maximum. No count exceeds members, so a team-sized coverage
 * needs no scan.
 */
static unsigned
width_of(const kbs_centry *e, int n, uint32_t members)
{
	uint32_t any = 0;
	int i, k;

	if (members <= 0xff)
		return 1;
	for (i = 0; i < n; i++)
		for (k = 0; k < KBS_NCOUNTS; k++)
			any |= e[i].cnt[k];
	return width_for(any);
}

static size_t
sparse_size(size_t n, unsigned w)
{
	return KBS_COVERAGE_SPARSE_HDR + n * (2 + KBS_NCOUNTS * (size_t) w);
}

static size_t
dense_size(size_t span, unsigned w)
{
	return KBS_COVERAGE_DENSE_HDR + span * KBS_NCOUNTS * (size_t) w;
}

static bool
want_dense(const kbs_centry *e, int n, unsigned w)
{
	if (n == 0)
		return false;
	return dense_size((size_t) e[n - 1].id - e[0].id + 1, w) < sparse_size((size_t) n, w);
}

static void
put_count(uint8_t *p, unsigned w, uint32_t v)
{
	if (w == 1)
		p[0] = (uint8_t) v;
	else if (w == 2)
		kbs_put_u16le(p, v);
	else
		kbs_put_u32le(p, v);
}

static uint32_t
get_count(const uint8_t *p, unsigned w)
{
	if (w == 1)
		return p[0];
	if (w == 2)
		return kbs_get_u16le(p);
	return kbs_get_u32le(p);
}

size_t
kbs_coverage_storage_size(const kbs_centry *e, int n, uint32_t members)
{
	unsigned w = width_of(e, n, members);

	if (want_dense(e, n, w))
		return dense_size((size_t) e[n - 1].id - e[0].id + 1, w);
	return sparse_size((size_t) n, w);
}

void
kbs_coverage_store(const kbs_centry *e, int n, uint32_t members, uint8_t *out)
{
	unsigned w = width_of(e, n, members);
	int i, k;

	out[0] = KBS_FORMAT_VERSION;
	out[1] = (uint8_t) w;
	kbs_put_u32le(out + 3, members);
	if (!want_dense(e, n, w))
	{
		uint8_t *ids = out + KBS_COVERAGE_SPARSE_HDR;
		uint8_t *cnts = ids + 2 * (size_t) n;

		out[2] = KBS_LAYOUT_SPARSE;
		kbs_put_u16le(out + KBS_COVERAGE_HDR, (uint32_t) n);
		for (i = 0; i < n; i++)
		{
			kbs_put_u16le(ids + 2 * (size_t) i, e[i].id);
			for (k = 0; k < KBS_NCOUNTS; k++)
				put_count(cnts + ((size_t) i * KBS_NCOUNTS + k) * w, w, e[i].cnt[k]);
		}
	}
	else
	{
		unsigned base = e[0].id;
		size_t span = (size_t) e[n - 1].id - base + 1;
		uint8_t *cnts = out + KBS_COVERAGE_DENSE_HDR;

		out[2] = KBS_LAYOUT_DENSE;
		kbs_put_u16le(out + KBS_COVERAGE_HDR, base);
		kbs_put_u16le(out + KBS_COVERAGE_HDR + 2, (uint32_t) span);
		memset(cnts, 0, span * KBS_NCOUNTS * w);
		if (w == 1)
		{
			/* The common team-sized case, kept free of per-count branches. */
			for (i = 0; i < n; i++)
			{
				uint8_t *p = cnts + ((size_t) e[i].id - base) * KBS_NCOUNTS;

				for (k = 0; k < KBS_NCOUNTS; k++)
					p[k] = (uint8_t) e[i].cnt[k];
			}
		}
		else
		{
			for (i = 0; i < n; i++)
			{
				size_t off = (size_t) e[i].id - base;

				for (k = 0; k < KBS_NCOUNTS; k++)
					put_count(cnts + (off * KBS_NCOUNTS + k) * w, w, e[i].cnt[k]);
			}
		}
	}
}

static int
load_fail(kbs_error *err, int pos, const char *what)
{
	kbs_fail(err, KBS_ERR_BINARY, pos, "invalid kbs.coverage storage: %s", what);
	return -1;
}

/* Read the 6 counts at p into e; false when the sum exceeds members. */
static bool
read_counts(const uint8_t *p, unsigned w, uint32_t members, kbs_centry *e, uint32_t *max)
{
	int k;

	for (k = 0; k < KBS_NCOUNTS; k++)
	{
		e->cnt[k] = get_count(p + (size_t) k * w, w);
		if (e->cnt[k] > *max)
			*max = e->cnt[k];
	}
	return entry_sum(e) <= members;
}

int
kbs_coverage_load(const uint8_t *buf, size_t len, kbs_centry *out, uint32_t *members, kbs_error *err)
{
	unsigned w;
	uint32_t m, max = 0;
	int n = 0;

	kbs_error_init(err);
	if (len >= 1 && buf[0] != KBS_FORMAT_VERSION)
	{
		kbs_fail(err, KBS_ERR_BINARY, 0, "unsupported kbs.coverage storage format version %u", (unsigned) buf[0]);
		return -1;
	}
	if (len < KBS_COVERAGE_HDR)
		return load_fail(err, -1, "truncated");
	w = buf[1];
	if (w != 1 && w != 2 && w != 4)
		return load_fail(err, 1, "invalid count width");
	m = kbs_get_u32le(buf + KBS_COVERAGE_MEMBERS_OFF);
	if (m > KBS_MAX_MEMBERS)
		return load_fail(err, 3, "member count out of range");
	if (buf[2] == KBS_LAYOUT_SPARSE)
	{
		size_t cnt, i;
		unsigned prev = 0;
		const uint8_t *ids, *cnts;

		if (len < KBS_COVERAGE_SPARSE_HDR)
			return load_fail(err, -1, "truncated");
		cnt = kbs_get_u16le(buf + KBS_COVERAGE_HDR);
		if (cnt > KBS_MAX_ENTRIES)
			return load_fail(err, KBS_COVERAGE_HDR, "too many entries");
		if (len != sparse_size(cnt, w))
			return load_fail(err, -1, "size does not match the sparse layout");
		ids = buf + KBS_COVERAGE_SPARSE_HDR;
		cnts = ids + 2 * cnt;
		for (i = 0; i < cnt; i++)
		{
			unsigned id = kbs_get_u16le(ids + 2 * i);

			if (id < KBS_MIN_BLOCK_ID || id > KBS_MAX_BLOCK_ID)
				return load_fail(err, (int) (KBS_COVERAGE_SPARSE_HDR + 2 * i), "block id out of range");
			if (id <= prev)
				return load_fail(err, (int) (KBS_COVERAGE_SPARSE_HDR + 2 * i), "block ids not in ascending order");
			out[i].id = (uint16_t) id;
			if (!read_counts(cnts + i * KBS_NCOUNTS * w, w, m, &out[i], &max))
				return load_fail(err, -1, "counts exceed the member count");
			if (entry_sum(&out[i]) == 0)
				return load_fail(err, -1, "entry without counts");
			prev = id;
		}
		n = (int) cnt;
		if (width_for(max) != w)
			return load_fail(err, 1, "non-canonical count width");
		if (want_dense(out, n, w))
			return load_fail(err, 2, "non-canonical layout (dense is smaller)");
	}
	else if (buf[2] == KBS_LAYOUT_DENSE)
	{
		unsigned base, span, i;
		const uint8_t *cnts;

		if (len < KBS_COVERAGE_DENSE_HDR)
			return load_fail(err, -1, "truncated");
		base = kbs_get_u16le(buf + KBS_COVERAGE_HDR);
		span = kbs_get_u16le(buf + KBS_COVERAGE_HDR + 2);
		if (base < KBS_MIN_BLOCK_ID || span < 1 || base + span - 1 > KBS_MAX_BLOCK_ID)
			return load_fail(err, KBS_COVERAGE_HDR, "block range out of bounds");
		if (len != dense_size(span, w))
			return load_fail(err, -1, "size does not match the dense layout");
		cnts = buf + KBS_COVERAGE_DENSE_HDR;
		for (i = 0; i < span; i++)
		{
			kbs_centry e;

			e.id = (uint16_t) (base + i);
			if (!read_counts(cnts + (size_t) i * KBS_NCOUNTS * w, w, m, &e, &max))
				return load_fail(err, -1, "counts exceed the member count");
			if (entry_sum(&e) > 0)
				out[n++] = e;
			else if (i == 0 || i == span - 1)
				return load_fail(err, KBS_COVERAGE_HDR, "first or last block of the dense range without counts");
		}
		if (width_for(max) != w)
			return load_fail(err, 1, "non-canonical count width");
		if (sparse_size((size_t) n, w) <= dense_size(span, w))
			return load_fail(err, 2, "non-canonical layout (sparse is not larger)");
	}
	else
		return load_fail(err, 2, "unknown layout");
	*members = m;
	return n;
}

uint32_t
kbs_coverage_stored_members(const uint8_t *buf, size_t len)
{
	return len >= KBS_COVERAGE_HDR ? kbs_get_u32le(buf + KBS_COVERAGE_MEMBERS_OFF) : 0;
}

/* ------------------------------------------------------------------ */
/* Wire                                                                */
/* ------------------------------------------------------------------ */

size_t
kbs_coverage_wire_size(int n)
{
	return KBS_COVERAGE_WIRE_HDR + KBS_COVERAGE_WIRE_ENTRY * (size_t) n;
}

void
kbs_coverage_wire_encode(const kbs_centry *e, int n, uint32_t members, uint8_t *out)
{
	int i, k;

	out[0] = KBS_FORMAT_VERSION;
	kbs_put_u32be(out + 1, members);
	kbs_put_u32be(out + 5, (uint32_t) n);
	for (i = 0; i < n; i++)
	{
		uint8_t *p = out + KBS_COVERAGE_WIRE_HDR + KBS_COVERAGE_WIRE_ENTRY * (size_t) i;

		kbs_put_u16be(p, e[i].id);
		for (k = 0; k < KBS_NCOUNTS; k++)
			kbs_put_u32be(p + 2 + 4 * k, e[i].cnt[k]);
	}
}

int
kbs_coverage_wire_decode(const uint8_t *buf, size_t len, kbs_centry *out, uint32_t *members, kbs_error *err)
{
	uint32_t m, cnt, i;
	unsigned prev = 0;

	int64_t frame;

	kbs_error_init(err);
	frame = kbs_wire_frame(buf, len, "kbs.coverage", KBS_COVERAGE_WIRE_HDR, 5, KBS_COVERAGE_WIRE_ENTRY, err);
	if (frame < 0)
		return -1;
	cnt = (uint32_t) frame;
	m = kbs_get_u32be(buf + 1);
	if (m > KBS_MAX_MEMBERS)
	{
		kbs_fail(err, KBS_ERR_BINARY, 1, "member count %u out of range in kbs.coverage binary value", (unsigned) m);
		return -1;
	}
	for (i = 0; i < cnt; i++)
	{
		const uint8_t *p = buf + KBS_COVERAGE_WIRE_HDR + KBS_COVERAGE_WIRE_ENTRY * (size_t) i;
		unsigned id = kbs_get_u16be(p);
		int pos = (int) (p - buf);
		int k;

		if (id < KBS_MIN_BLOCK_ID || id > KBS_MAX_BLOCK_ID)
		{
			kbs_fail(err, KBS_ERR_BINARY, pos, "block id %u out of range in kbs.coverage binary value", id);
			return -1;
		}
		if (id <= prev)
		{
			kbs_fail(err, KBS_ERR_BINARY, pos, "block ids not in ascending order (%u after %u)", id, prev);
			return -1;
		}
		out[i].id = (uint16_t) id;
		for (k = 0; k < KBS_NCOUNTS; k++)
			out[i].cnt[k] = kbs_get_u32be(p + 2 + 4 * k);
		if (entry_sum(&out[i]) == 0)
		{
			kbs_fail(err, KBS_ERR_BINARY, pos, "block %u has no counts in kbs.coverage binary value", id);
			return -1;
		}
		if (entry_sum(&out[i]) > m)
		{
			kbs_fail(err, KBS_ERR_BINARY, pos, "counts of block %u exceed the %u members", id, (unsigned) m);
			return -1;
		}
		prev = id;
	}
	*members = m;
	return (int) cnt;
}

/* ------------------------------------------------------------------ */
/* Arithmetic                                                          */
/* ------------------------------------------------------------------ */

static bool
add_members(uint32_t a, uint32_t b, uint32_t *out, kbs_error *err)
{
	if ((uint64_t) a + b > KBS_MAX_MEMBERS)
	{
		kbs_fail(err, KBS_ERR_RANGE, -1, "coverage member count overflows");
		kbs_fail_detail(err, "The largest member count is %u.", KBS_MAX_MEMBERS);
		return false;
	}
	*out = a + b;
	return true;
}

int
kbs_coverage_add(const kbs_centry *a, int na, uint32_t ma,
				 const kbs_centry *b, int nb, uint32_t mb,
				 kbs_centry *out, uint32_t *mout, kbs_error *err)
{
	int i = 0, j = 0, n = 0, k;

	kbs_error_init(err);
	if (!add_members(ma, mb, mout, err))
		return -1;
	while (i < na || j < nb)
	{
		if (j >= nb || (i < na && a[i].id < b[j].id))
			out[n++] = a[i++];
		else if (i >= na || b[j].id < a[i].id)
			out[n++] = b[j++];
		else
		{
			/* sums stay <= ma + mb, so no count can overflow */
			out[n].id = a[i].id;
			for (k = 0; k < KBS_NCOUNTS; k++)
				out[n].cnt[k] = a[i].cnt[k] + b[j].cnt[k];
			n++;
			i++;
			j++;
		}
	}
	return n;
}

#ifdef KBS_TESTING
/* Only the unit tests and fuzz targets use this: not in the shared library. */
int
kbs_coverage_add_profile(const kbs_centry *c, int nc, uint32_t members,
						 const kbs_pentry *p, int np,
						 kbs_centry *out, uint32_t *mout, kbs_error *err)
{
	int i = 0, j = 0, n = 0;

	kbs_error_init(err);
	if (!add_members(members, 1, mout, err))
		return -1;
	while (i < nc || j < np)
	{
		if (j >= np || (i < nc && c[i].id < p[j].id))
			out[n++] = c[i++];
		else
		{
			int k = kbs_cnt_index_from_code(p[j].code);

			if (i < nc && c[i].id == p[j].id)
				out[n] = c[i++];
			else
			{
				memset(&out[n], 0, sizeof(out[n]));
				out[n].id = p[j].id;
			}
			if (k >= 0)
				out[n].cnt[k]++;
			/* an invalid code adds nothing; drop the entry if it is empty */
			if (entry_sum(&out[n]) > 0)
				n++;
			j++;
		}
	}
	return n;
}
#endif

const kbs_centry *
kbs_coverage_find(const kbs_centry *e, int n, int id)
{
	int lo = 0, hi = n;

	while (lo < hi)
	{
		int mid = lo + (hi - lo) / 2;

		if (e[mid].id == id)
			return &e[mid];
		if (e[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

uint32_t
kbs_coverage_count_at_least(const kbs_centry *e, int n, int id, int level)
{
	const kbs_centry *c = kbs_coverage_find(e, n, id);
	uint32_t s = 0;
	int k;

	if (c == NULL || level < 0 || level > 4)
		return 0;
	for (k = level; k <= 4; k++)
		s += c->cnt[k];
	return s;
}

void
kbs_coverage_histogram(const kbs_centry *e, int n, int id, uint32_t out[KBS_NCOUNTS])
{
	const kbs_centry *c = kbs_coverage_find(e, n, id);
	int k;

	for (k = 0; k < KBS_NCOUNTS; k++)
		out[k] = c ? c->cnt[k] : 0;
}
