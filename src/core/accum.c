/*
 * accum.c — the kbs.coverage_agg transition state: bit-sliced counting of
 * stored profiles. See kbs_accum.h for the contract; the kernels (adders,
 * transposes) are in bitslice.h, the stored layouts in kbs_format.h.
 *
 * State, per 64-block word w of the range [wlo, wlo + nw) (word w holds
 * block ids 64w..64w+63):
 *   slot[s][k]  plane k (0..2) of the codes of the s-th buffered dense row,
 *               put on the word grid (bit b = block 64w+b). Zero wherever no
 *               buffered row has the word, so compress() needs no checks.
 *   vert[j][d]  bit-plane j (0..7) of six vertical counters d: bit b is bit
 *               j of block 64w+b's count of
 *                 d = 0: plane 0 set   (codes 1, 3, 5)
 *                 d = 1: plane 1 set   (codes 2, 3, 6)
 *                 d = 2: plane 2 set   (codes 4, 5, 6)
 *                 d = 3: planes 0 and 1 (code 3)
 *                 d = 4: planes 0 and 2 (code 5)
 *                 d = 5: planes 1 and 2 (code 6)
 *               Counting these takes one AND per mask instead of decoding
 *               six code masks; the codes follow by subtraction (code 1 =
 *               d0 - d3 - d4, code 2 = d1 - d3 - d5, code 4 = d2 - d4 - d5),
 *               exact because code 7 never reaches a slot. The six counters
 *               of a plane are adjacent, so the planes nearly every add
 *               touches share cache lines with the slots.
 *   cnt[c][b]   (separate array, allocated on first need) plain uint32 count
 *               of code c + 1 on block 64w+b.
 * Slots and vertical counters share one array, allocated with the first
 * dense row; until then (coverages, sparse rows, merges only) it is NULL.
 * A block's count is cnt + the decoded vertical counters + buffered rows.
 *
 * Adding a dense row only shifts its three planes onto the word grid and
 * stores them in a slot. Every BATCH (7) rows, compress() sums the seven
 * masks of each counter with a carry-save tree of four full adders into a
 * 3-bit vertical number and adds that to the vertical counter (a half and
 * two full adders, then a half-adder ripple up to the bit length of the
 * rows held, without data-dependent branches): a few times less work than
 * rippling every row's masks separately.
 *
 * A vertical counter holds at most `pending` (rows compressed since the last
 * flush) <= 255; before pending + buffered rows could pass 255 the vertical
 * counters are flushed (8x64 bit-matrix transposes) into cnt. Results read
 * cnt plus the transposed vertical counters without flushing.
 */
#include "kbs_accum.h"
#include "bitslice.h"
#include "kbs_format.h"

#include <string.h>

#define PLANES BS_PLANES                  /* bits of a vertical counter */
#define NCODES BS_NCODES                  /* codes 1..6; also the vertical counters */
#define BATCH 7                           /* buffered dense rows: 7 -> 3 bits */
#define SLOT_WORDS (BATCH * 3)
#define VERT_OFF SLOT_WORDS
#define WSTRIDE (SLOT_WORDS + PLANES * NCODES) /* uint64 per word: 552 bytes */
#define CSTRIDE (NCODES * 64)             /* uint32 per word */
#define MAX_WORDS ((KBS_MAX_BLOCK_ID >> 6) + 1)
#define PENDING_CAP ((1u << PLANES) - 1)  /* largest value a vertical counter holds */


struct kbs_accum
{
	kbs_allocator a;
	uint64_t *words; /* nw * WSTRIDE: slots, vertical counters; NULL until a dense row */
	uint32_t *cnt;   /* nw * CSTRIDE, or NULL until needed */
	int wlo;         /* first word of the range */
	int nw;          /* words in the range; 0 = nothing allocated */
	int nslots;      /* buffered dense rows */
	int slot_lo[BATCH]; /* words of each buffered row, inclusive */
	int slot_hi[BATCH];
	uint32_t members;
	uint32_t pending; /* rows in the vertical counters since the last flush */
	kbs_errcode err;
};

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

static bool
fail(kbs_accum *acc, kbs_errcode code)
{
	acc->err = code;
	return false;
}

static inline uint64_t *
word_ptr(const kbs_accum *acc, int w)
{
	return acc->words + (size_t) (w - acc->wlo) * WSTRIDE;
}

/* Bit length of pending: planes at and above it are all zero. */
static int
used_planes(const kbs_accum *acc)
{
	int n = 0;

	while (n < PLANES && (acc->pending >> n) != 0)
		n++;
	return n;
}

/* ------------------------------------------------------------------ */
/* Reading the vertical counters                                       */
/* ------------------------------------------------------------------ */

/* Moves the vertical counters into cnt (which must exist). */
static void
flush_vertical(kbs_accum *acc)
{
	int w, nplanes = used_planes(acc);

	for (w = 0; w < acc->nw; w++)
	{
		uint64_t *v = acc->words + (size_t) w * WSTRIDE + VERT_OFF;

		add_vertical(v, nplanes, acc->cnt + (size_t) w * CSTRIDE);
		memset(v, 0, (size_t) nplanes * NCODES * sizeof(uint64_t));
	}
	acc->pending = 0;
}

/*
 * Bit b set when block 64w+b has a non-zero count. nplanes =
 * used_planes(acc).
 */
static uint64_t
word_nonzero(const kbs_accum *acc, int w, int nplanes)
{
	uint64_t nz = 0;
	int i;

	if (acc->words != NULL) /* else no dense row came: no slots, no planes */
	{
		const uint64_t *v = word_ptr(acc, w) + VERT_OFF;

		for (i = 0; i < nplanes * NCODES; i++)
			nz |= v[i];
		for (i = 0; i < acc->nslots; i++)
		{
			if (w >= acc->slot_lo[i] && w <= acc->slot_hi[i])
			{
				const uint64_t *x = word_ptr(acc, w) + 3 * i;

				nz |= (x[0] | x[1] | x[2]) & ~(x[0] & x[1] & x[2]); /* codes 1..6 */
			}
		}
	}
	if (acc->cnt != NULL)
		nz |= counts_nonzero(acc->cnt + (size_t) (w - acc->wlo) * CSTRIDE);
	return nz;
}

/* out[c * 64 + b] = count of code c + 1 on block 64w+b. */
static void
word_counts(const kbs_accum *acc, int w, int nplanes, uint32_t out[CSTRIDE])
{
	const uint64_t *wp;
	int s;

	if (acc->cnt != NULL)
		memcpy(out, acc->cnt + (size_t) (w - acc->wlo) * CSTRIDE, CSTRIDE * sizeof(uint32_t));
	else
		memset(out, 0, CSTRIDE * sizeof(uint32_t));
	if (acc->words == NULL)
		return; /* no dense row came: no slots, no planes */
	wp = word_ptr(acc, w);
	add_vertical(wp + VERT_OFF, nplanes, out);
	/* the buffered rows, block by block */
	for (s = 0; s < acc->nslots; s++)
	{
		uint64_t x0, x1, x2, any;

		if (w < acc->slot_lo[s] || w > acc->slot_hi[s])
			continue;
		x0 = wp[3 * s];
		x1 = wp[3 * s + 1];
		x2 = wp[3 * s + 2];
		any = (x0 | x1 | x2) & ~(x0 & x1 & x2);
		while (any != 0)
		{
			int b = ctz64(any);
			unsigned code = (unsigned) (((x0 >> b) & 1) | (((x1 >> b) & 1) << 1) | (((x2 >> b) & 1) << 2));

			any &= any - 1;
			out[(code - 1) * 64 + (unsigned) b]++;
		}
	}
}

/* ------------------------------------------------------------------ */
/* Compressing the buffered rows into the vertical counters            */
/* ------------------------------------------------------------------ */

/* Adds the buffered rows to the vertical counters and empties the slots. */
static void
compress(kbs_accum *acc)
{
	int ns = acc->nslots, s, w, ulo, uhi, top = 3;

	if (ns == 0)
		return;
	while (top < PLANES && ((acc->pending + (uint32_t) ns) >> top) != 0)
		top++;
	ulo = acc->slot_lo[0];
	uhi = acc->slot_hi[0];
	for (s = 1; s < ns; s++)
	{
		if (acc->slot_lo[s] < ulo)
			ulo = acc->slot_lo[s];
		if (acc->slot_hi[s] > uhi)
			uhi = acc->slot_hi[s];
	}
	for (w = ulo; w <= uhi; w++)
	{
		uint64_t *x = word_ptr(acc, w); /* x[3s + k]: plane k of slot s */
		uint64_t *v = x + VERT_OFF;
		uint64_t any = 0;
		int i;

		for (i = 0; i < 3 * ns; i++)
			any |= x[i];
		if (any == 0)
			continue;
#define MASKS(k1, k2) \
	x[k1] & x[k2], x[3 + k1] & x[3 + k2], x[6 + k1] & x[6 + k2], x[9 + k1] & x[9 + k2], \
	x[12 + k1] & x[12 + k2], x[15 + k1] & x[15 + k2], x[18 + k1] & x[18 + k2]
		add7(v + 0, top, x[0], x[3], x[6], x[9], x[12], x[15], x[18]);
		add7(v + 1, top, x[1], x[4], x[7], x[10], x[13], x[16], x[19]);
		add7(v + 2, top, x[2], x[5], x[8], x[11], x[14], x[17], x[20]);
		add7(v + 3, top, MASKS(0, 1));
		add7(v + 4, top, MASKS(0, 2));
		add7(v + 5, top, MASKS(1, 2));
#undef MASKS
		memset(x, 0, (size_t) ns * 3 * sizeof(uint64_t));
	}
	acc->pending += (uint32_t) ns;
	acc->nslots = 0;
}

/* ------------------------------------------------------------------ */
/* The word range                                                      */
/* ------------------------------------------------------------------ */

/*
 * Makes words lo..hi (0..MAX_WORDS-1) part of the range. The slots and
 * vertical counters (words) are allocated when need_words, the plain
 * counters (cnt) when need_cnt; an array that exists grows with the range,
 * one that does not stays NULL (an accumulator that only ever adds
 * coverages needs no slots). Nothing changes on failure.
 */
static bool
reserve(kbs_accum *acc, int lo, int hi, bool need_words, bool need_cnt)
{
	bool grow = acc->nw == 0 || lo < acc->wlo || hi >= acc->wlo + acc->nw;
	bool new_words = acc->words != NULL ? grow : need_words;
	bool new_cnt = acc->cnt != NULL ? grow : need_cnt;
	int nlo = acc->wlo, nhi = acc->wlo + acc->nw - 1, nnw;
	uint64_t *words = NULL;
	uint32_t *cnt = NULL;

	if (!grow && !new_words && !new_cnt)
		return true;
	if (grow && acc->nw == 0)
	{
		nlo = lo;
		nhi = hi;
	}
	else if (grow)
	{
		/* grow geometrically on the side that grows: few reallocations */
		int slack = acc->nw / 2;

		if (lo < nlo)
			nlo = (lo - slack < 0) ? 0 : lo - slack;
		if (hi > nhi)
			nhi = (hi + slack >= MAX_WORDS) ? MAX_WORDS - 1 : hi + slack;
	}
	nnw = nhi - nlo + 1;
	if (new_words)
	{
		words = (uint64_t *) acc->a.alloc(acc->a.ctx, (size_t) nnw * WSTRIDE * sizeof(uint64_t));
		if (words == NULL)
			return fail(acc, KBS_ERR_NOMEM);
	}
	if (new_cnt)
	{
		cnt = (uint32_t *) acc->a.alloc(acc->a.ctx, (size_t) nnw * CSTRIDE * sizeof(uint32_t));
		if (cnt == NULL)
		{
			if (words != NULL)
				acc->a.free(acc->a.ctx, words);
			return fail(acc, KBS_ERR_NOMEM);
		}
	}
	if (words != NULL)
	{
		memset(words, 0, (size_t) nnw * WSTRIDE * sizeof(uint64_t));
		if (acc->words != NULL)
		{
			memcpy(words + (size_t) (acc->wlo - nlo) * WSTRIDE, acc->words,
				   (size_t) acc->nw * WSTRIDE * sizeof(uint64_t));
			acc->a.free(acc->a.ctx, acc->words);
		}
		acc->words = words;
	}
	if (cnt != NULL)
	{
		memset(cnt, 0, (size_t) nnw * CSTRIDE * sizeof(uint32_t));
		if (acc->cnt != NULL)
		{
			memcpy(cnt + (size_t) (acc->wlo - nlo) * CSTRIDE, acc->cnt,
				   (size_t) acc->nw * CSTRIDE * sizeof(uint32_t));
			acc->a.free(acc->a.ctx, acc->cnt);
		}
		acc->cnt = cnt;
	}
	acc->wlo = nlo;
	acc->nw = nnw;
	return true;
}

/* ------------------------------------------------------------------ */
/* Creation                                                            */
/* ------------------------------------------------------------------ */

kbs_accum *
kbs_accum_create(const kbs_allocator *a)
{
	kbs_accum *acc = (kbs_accum *) a->alloc(a->ctx, sizeof(kbs_accum));

	if (acc == NULL)
		return NULL;
	memset(acc, 0, sizeof(*acc));
	acc->a = *a;
	acc->words = NULL;
	acc->cnt = NULL;
	acc->err = KBS_OK;
	return acc;
}

void
kbs_accum_destroy(kbs_accum *acc)
{
	kbs_allocator a;

	if (acc == NULL)
		return;
	a = acc->a;
	if (acc->words != NULL)
		a.free(a.ctx, acc->words);
	if (acc->cnt != NULL)
		a.free(a.ctx, acc->cnt);
	a.free(a.ctx, acc);
}

uint32_t
kbs_accum_members(const kbs_accum *acc)
{
	return acc->members;
}

kbs_errcode
kbs_accum_last_error(const kbs_accum *acc)
{
	return acc->err;
}

/* ------------------------------------------------------------------ */
/* Adding profiles                                                     */
/* ------------------------------------------------------------------ */

/*
 * Stores the three planes of one 64-block word of a dense row in its slot;
 * code 7 (never stored by kbs_profile_store) is dropped, so the counts
 * stay exact and at most the member count even for a damaged buffer.
 */
#define PUT_WORD(wp, c0, c1, c2) \
	do { \
		uint64_t pw_x0 = ((c0) << sh) | ((prev0 >> 1) >> (63 - sh)); \
		uint64_t pw_x1 = ((c1) << sh) | ((prev1 >> 1) >> (63 - sh)); \
		uint64_t pw_x2 = ((c2) << sh) | ((prev2 >> 1) >> (63 - sh)); \
		uint64_t pw_bad = pw_x0 & pw_x1 & pw_x2; \
		if (pw_bad != 0) \
		{ \
			pw_x0 &= ~pw_bad; \
			pw_x1 &= ~pw_bad; \
			pw_x2 &= ~pw_bad; \
		} \
		(wp)[0] = pw_x0; \
		(wp)[1] = pw_x1; \
		(wp)[2] = pw_x2; \
		prev0 = (c0); \
		prev1 = (c1); \
		prev2 = (c2); \
		(wp) += WSTRIDE; \
	} while (0)

static bool
add_dense(kbs_accum *acc, const uint8_t *buf, size_t len)
{
	unsigned base, span, sh;
	size_t pb, i, nfull, nwords, done;
	const uint8_t *p0, *p1, *p2;
	uint64_t prev0 = 0, prev1 = 0, prev2 = 0;
	uint64_t *wp;
	int w0, w1, s;

	if (len < KBS_PROFILE_DENSE_HDR)
		return fail(acc, KBS_ERR_BINARY);
	base = kbs_get_u16le(buf + 2);
	span = kbs_get_u16le(buf + 4);
	if (base < KBS_MIN_BLOCK_ID || span < 1 || base + span - 1 > KBS_MAX_BLOCK_ID)
		return fail(acc, KBS_ERR_BINARY);
	pb = ((size_t) span + 7) / 8;
	if (len != KBS_PROFILE_DENSE_HDR + 3 * pb)
		return fail(acc, KBS_ERR_BINARY);
	sh = base & 63;
	w0 = (int) (base >> 6);
	nwords = (sh + span + 63) >> 6;
	w1 = w0 + (int) nwords - 1;
	/* keep pending + nslots <= PENDING_CAP: flush into cnt first */
	if (acc->pending + (uint32_t) acc->nslots >= PENDING_CAP)
	{
		if (!reserve(acc, w0, w1, true, true))
			return false;
		compress(acc);
		flush_vertical(acc);
	}
	else if (acc->words == NULL || w0 < acc->wlo || w1 >= acc->wlo + acc->nw)
	{
		if (!reserve(acc, w0, w1, true, false))
			return false;
	}

	/*
	 * Word w0 + i of the grid is chunk i (bits 64i.. of each plane) shifted
	 * left by sh, plus the top sh bits of chunk i - 1; (x >> 1) >> (63 - sh)
	 * is x >> (64 - sh), and 0 when sh is 0.
	 */
	s = acc->nslots;
	p0 = buf + KBS_PROFILE_DENSE_HDR;
	p1 = p0 + pb;
	p2 = p1 + pb;
	wp = word_ptr(acc, w0) + 3 * s;
	nfull = pb / 8;
	for (i = 0; i < nfull; i++)
	{
		uint64_t c0 = kbs_load_le64(p0 + 8 * i);
		uint64_t c1 = kbs_load_le64(p1 + 8 * i);
		uint64_t c2 = kbs_load_le64(p2 + 8 * i);

		PUT_WORD(wp, c0, c1, c2);
	}
	done = nfull;
	if (pb % 8 != 0)
	{
		/* the partial last chunk: the plane's last 8 bytes, shifted down */
		uint64_t c0, c1, c2;

		if (pb >= 8)
		{
			unsigned drop = (unsigned) (8 * (8 - pb % 8));

			c0 = kbs_load_le64(p0 + pb - 8) >> drop;
			c1 = kbs_load_le64(p1 + pb - 8) >> drop;
			c2 = kbs_load_le64(p2 + pb - 8) >> drop;
		}
		else
		{
			c0 = c1 = c2 = 0;
			for (i = pb; i > 0; i--)
			{
				c0 = (c0 << 8) | p0[i - 1];
				c1 = (c1 << 8) | p1[i - 1];
				c2 = (c2 << 8) | p2[i - 1];
			}
		}
		PUT_WORD(wp, c0, c1, c2);
		done++;
	}
	if (done < nwords) /* the shift carries the last chunk into one more word */
		PUT_WORD(wp, UINT64_C(0), UINT64_C(0), UINT64_C(0));
	acc->slot_lo[s] = w0;
	acc->slot_hi[s] = w1;
	acc->nslots = s + 1;
	acc->members++;
	if (acc->nslots == BATCH)
		compress(acc);
	return true;
}

static bool
add_sparse(kbs_accum *acc, const uint8_t *buf, size_t len)
{
	size_t n, i;
	unsigned prev = 0;
	const uint8_t *e = buf + KBS_PROFILE_SPARSE_HDR;

	if ((len - KBS_PROFILE_SPARSE_HDR) % KBS_PROFILE_SPARSE_ENTRY != 0)
		return fail(acc, KBS_ERR_BINARY);
	n = (len - KBS_PROFILE_SPARSE_HDR) / KBS_PROFILE_SPARSE_ENTRY;
	for (i = 0; i < n; i++)
	{
		unsigned id = kbs_get_u16le(e + KBS_PROFILE_SPARSE_ENTRY * i);

		if (id <= prev || id > KBS_MAX_BLOCK_ID)
			return fail(acc, KBS_ERR_BINARY);
		prev = id;
	}
	if (n > 0)
	{
		uint32_t *cnt;
		int wlo;

		if (!reserve(acc, (int) (kbs_get_u16le(e) >> 6), (int) (prev >> 6), false, true))
			return false;
		cnt = acc->cnt;
		wlo = acc->wlo;
		for (i = 0; i < n; i++)
		{
			unsigned id = kbs_get_u16le(e + KBS_PROFILE_SPARSE_ENTRY * i);
			unsigned c = (unsigned) e[KBS_PROFILE_SPARSE_ENTRY * i + 2] - 1u; /* code 1..6 -> 0..5 */

			if (c < NCODES)
				cnt[(size_t) ((int) (id >> 6) - wlo) * CSTRIDE + c * 64 + (id & 63)]++;
		}
	}
	acc->members++;
	return true;
}

bool
kbs_accum_add_profile(kbs_accum *acc, const uint8_t *buf, size_t len)
{
	if (acc->members >= KBS_MAX_MEMBERS)
		return fail(acc, KBS_ERR_RANGE);
	if (buf == NULL || len == 0)
	{
		if (len != 0)
			return fail(acc, KBS_ERR_BINARY);
		acc->members++;
		return true;
	}
	if (len < KBS_PROFILE_SPARSE_HDR || buf[0] != KBS_FORMAT_VERSION)
		return fail(acc, KBS_ERR_BINARY);
	if (buf[1] == KBS_LAYOUT_DENSE)
		return add_dense(acc, buf, len);
	if (buf[1] == KBS_LAYOUT_SPARSE)
		return add_sparse(acc, buf, len);
	return fail(acc, KBS_ERR_BINARY);
}

/* ------------------------------------------------------------------ */
/* Adding coverages and accumulators                                   */
/* ------------------------------------------------------------------ */

#ifdef KBS_TESTING
/* Only the unit tests and fuzz targets use this: not in the shared library. */
bool
kbs_accum_add_coverage(kbs_accum *acc, const kbs_centry *e, int n, uint32_t members)
{
	int i, k;
	unsigned prev = 0;

	if (n < 0 || members > KBS_MAX_MEMBERS || (n > 0 && e == NULL))
		return fail(acc, KBS_ERR_VALUE);
	for (i = 0; i < n; i++)
	{
		uint64_t sum = 0;

		if (e[i].id <= prev || e[i].id > KBS_MAX_BLOCK_ID)
			return fail(acc, KBS_ERR_VALUE);
		for (k = 0; k < KBS_NCOUNTS; k++)
			sum += e[i].cnt[k];
		if (sum > members)
			return fail(acc, KBS_ERR_VALUE);
		prev = e[i].id;
	}
	if (members > KBS_MAX_MEMBERS - acc->members)
		return fail(acc, KBS_ERR_RANGE);
	if (n > 0 && !reserve(acc, e[0].id >> 6, e[n - 1].id >> 6, false, true))
		return false;
	for (i = 0; i < n; i++)
	{
		uint32_t *dst = acc->cnt + (size_t) ((e[i].id >> 6) - acc->wlo) * CSTRIDE + (e[i].id & 63);

		for (k = 0; k < NCODES; k++)
			dst[k * 64] += e[i].cnt[k];
	}
	acc->members += members;
	return true;
}
#endif

bool
kbs_accum_merge(kbs_accum *into, const kbs_accum *from)
{
	int lo, hi, w, nplanes;

	if (from->members > KBS_MAX_MEMBERS - into->members)
		return fail(into, KBS_ERR_RANGE);
	nplanes = used_planes(from);
	lo = from->wlo;
	hi = from->wlo + from->nw - 1;
	while (lo <= hi && word_nonzero(from, lo, nplanes) == 0)
		lo++;
	while (hi >= lo && word_nonzero(from, hi, nplanes) == 0)
		hi--;
	if (lo <= hi)
	{
		/*
		 * into == from works: the range stays, a new cnt starts at zero
		 * while the rest of the value stays, and each word's counts are
		 * read before they are added.
		 */
		if (!reserve(into, lo, hi, false, true))
			return false;
		for (w = lo; w <= hi; w++)
		{
			uint32_t add[CSTRIDE];
			uint32_t *dst = into->cnt + (size_t) (w - into->wlo) * CSTRIDE;
			int i;

			word_counts(from, w, nplanes, add);
			for (i = 0; i < CSTRIDE; i++)
				dst[i] += add[i];
		}
	}
	into->members += from->members;
	return true;
}

/* ------------------------------------------------------------------ */
/* Adding stored coverages (the parallel combine step)                 */
/* ------------------------------------------------------------------ */

/* The stored coverage's layout: kbs_format.h and kbs_core.h. */

/*
 * The largest sum of a block's six 1-byte counts; p holds nblocks x 6
 * bytes. Each block but the last is read as eight bytes (staying inside
 * the counts): its six bytes added pairwise into three 16-bit lanes, which
 * one multiply adds up in the top lane (a sum is at most 6 x 255: no lane
 * carries).
 */
static uint32_t
max_sum_w1(const uint8_t *p, size_t nblocks)
{
	const uint64_t m8 = UINT64_C(0x00FF00FF00FF00FF);
	uint64_t max = 0;
	size_t i;

	for (i = 0; i + 1 < nblocks; i++, p += NCODES)
	{
		uint64_t x = kbs_load_le64(p) & UINT64_C(0x0000FFFFFFFFFFFF);
		uint64_t y = (x & m8) + ((x >> 8) & m8);
		uint64_t s = (y * UINT64_C(0x0001000100010001)) >> 48;

		max = s > max ? s : max;
	}
	if (nblocks > 0)
	{
		uint64_t s = (uint64_t) p[0] + p[1] + p[2] + p[3] + p[4] + p[5];

		max = s > max ? s : max;
	}
	return (uint32_t) max;
}

/* Whether every block's six counts of width w add up to at most members. */
static bool
counts_fit(const uint8_t *p, size_t nblocks, unsigned w, uint32_t members)
{
	size_t i;

	if (w == 1)
		return members >= NCODES * 0xFFu || max_sum_w1(p, nblocks) <= members;
	if (w == 2)
	{
		uint32_t max = 0;

		if (members >= NCODES * 0xFFFFu)
			return true;
		for (i = 0; i < nblocks; i++, p += 2 * NCODES)
		{
			uint32_t s = kbs_get_u16le(p) + kbs_get_u16le(p + 2) + kbs_get_u16le(p + 4) +
				kbs_get_u16le(p + 6) + kbs_get_u16le(p + 8) + kbs_get_u16le(p + 10);

			max = s > max ? s : max;
		}
		return max <= members;
	}
	for (i = 0; i < nblocks; i++, p += 4 * NCODES)
	{
		uint64_t s = (uint64_t) kbs_get_u32le(p) + kbs_get_u32le(p + 4) + kbs_get_u32le(p + 8) +
			kbs_get_u32le(p + 12) + kbs_get_u32le(p + 16) + kbs_get_u32le(p + 20);

		if (s > members)
			return false;
	}
	return true;
}

/*
 * dp[0] += lo, dp[1] += hi with one 64-bit add (little-endian hosts): no
 * carry crosses from dp[0], as every counter stays at most KBS_MAX_MEMBERS
 * (< 2^32) once the coverage passed its checks.
 */
#define ADD_PAIR(dp, lo, hi) \
	do { \
		uint64_t ap_x; \
		memcpy(&ap_x, (dp), sizeof(ap_x)); \
		ap_x += (uint64_t) (lo) | ((uint64_t) (hi) << 32); \
		memcpy((dp), &ap_x, sizeof(ap_x)); \
	} while (0)

/*
 * cnt += span consecutive blocks' counts from base on (p: span x 6 counts
 * of width w). The range is reserved. One word's run at a time, so each
 * block's six counters are at d[i + 64k]; 1-byte counts two blocks at a
 * time.
 */
static void
add_stored_run(kbs_accum *acc, unsigned base, unsigned span, const uint8_t *p, unsigned w)
{
	unsigned id = base, end = base + span;

	while (id < end)
	{
		unsigned b = id & 63, run = 64 - b, i;
		uint32_t *d = acc->cnt + (size_t) ((int) (id >> 6) - acc->wlo) * CSTRIDE + b;

		if (run > end - id)
			run = end - id;
		if (w == 1)
		{
#if defined(__BYTE_ORDER__) && defined(__ORDER_LITTLE_ENDIAN__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
			for (i = 0; i + 1 < run; i += 2, p += 2 * NCODES)
			{
				ADD_PAIR(d + i, p[0], p[6]);
				ADD_PAIR(d + 64 + i, p[1], p[7]);
				ADD_PAIR(d + 128 + i, p[2], p[8]);
				ADD_PAIR(d + 192 + i, p[3], p[9]);
				ADD_PAIR(d + 256 + i, p[4], p[10]);
				ADD_PAIR(d + 320 + i, p[5], p[11]);
			}
#else
			i = 0;
#endif
			for (; i < run; i++, p += NCODES)
			{
				d[i] += p[0];
				d[64 + i] += p[1];
				d[128 + i] += p[2];
				d[192 + i] += p[3];
				d[256 + i] += p[4];
				d[320 + i] += p[5];
			}
		}
		else if (w == 2)
		{
			for (i = 0; i < run; i++, p += 2 * NCODES)
			{
				d[i] += kbs_get_u16le(p);
				d[64 + i] += kbs_get_u16le(p + 2);
				d[128 + i] += kbs_get_u16le(p + 4);
				d[192 + i] += kbs_get_u16le(p + 6);
				d[256 + i] += kbs_get_u16le(p + 8);
				d[320 + i] += kbs_get_u16le(p + 10);
			}
		}
		else
		{
			for (i = 0; i < run; i++, p += 4 * NCODES)
			{
				d[i] += kbs_get_u32le(p);
				d[64 + i] += kbs_get_u32le(p + 4);
				d[128 + i] += kbs_get_u32le(p + 8);
				d[192 + i] += kbs_get_u32le(p + 12);
				d[256 + i] += kbs_get_u32le(p + 16);
				d[320 + i] += kbs_get_u32le(p + 20);
			}
		}
		id += run;
	}
}

/* cnt += the counts of n sparse entries (ids: n x uint16 LE, reserved). */
static void
add_stored_sparse(kbs_accum *acc, const uint8_t *ids, size_t n, const uint8_t *p, unsigned w)
{
	size_t i;
	int k;

	for (i = 0; i < n; i++, p += (size_t) NCODES * w)
	{
		unsigned id = kbs_get_u16le(ids + 2 * i);
		uint32_t *d = acc->cnt + (size_t) ((int) (id >> 6) - acc->wlo) * CSTRIDE + (id & 63);

		if (w == 1)
			for (k = 0; k < NCODES; k++)
				d[k * 64] += p[k];
		else if (w == 2)
			for (k = 0; k < NCODES; k++)
				d[k * 64] += kbs_get_u16le(p + 2 * k);
		else
			for (k = 0; k < NCODES; k++)
				d[k * 64] += kbs_get_u32le(p + 4 * k);
	}
}

bool
kbs_accum_add_stored(kbs_accum *acc, const uint8_t *buf, size_t len)
{
	unsigned w, lo, hi;
	uint32_t members;
	size_t n;
	const uint8_t *counts;

	/* everything is checked before anything changes */
	if (buf == NULL || len < KBS_COVERAGE_HDR || buf[0] != KBS_FORMAT_VERSION)
		return fail(acc, KBS_ERR_VALUE);
	w = buf[1];
	if (w != 1 && w != 2 && w != 4)
		return fail(acc, KBS_ERR_VALUE);
	members = kbs_get_u32le(buf + KBS_COVERAGE_MEMBERS_OFF);
	if (members > KBS_MAX_MEMBERS)
		return fail(acc, KBS_ERR_VALUE);
	if (buf[2] == KBS_LAYOUT_DENSE)
	{
		if (len < KBS_COVERAGE_DENSE_HDR)
			return fail(acc, KBS_ERR_VALUE);
		lo = kbs_get_u16le(buf + KBS_COVERAGE_HDR);
		n = kbs_get_u16le(buf + KBS_COVERAGE_HDR + 2); /* span */
		if (lo < KBS_MIN_BLOCK_ID || n < 1 || lo + n - 1 > KBS_MAX_BLOCK_ID ||
			len != KBS_COVERAGE_DENSE_HDR + n * NCODES * w)
			return fail(acc, KBS_ERR_VALUE);
		hi = lo + (unsigned) n - 1;
		counts = buf + KBS_COVERAGE_DENSE_HDR;
	}
	else if (buf[2] == KBS_LAYOUT_SPARSE)
	{
		const uint8_t *ids = buf + KBS_COVERAGE_SPARSE_HDR;
		unsigned prev = 0;
		size_t i;

		if (len < KBS_COVERAGE_SPARSE_HDR)
			return fail(acc, KBS_ERR_VALUE);
		n = kbs_get_u16le(buf + KBS_COVERAGE_HDR);
		if (len != KBS_COVERAGE_SPARSE_HDR + n * (2 + NCODES * w))
			return fail(acc, KBS_ERR_VALUE);
		for (i = 0; i < n; i++)
		{
			unsigned id = kbs_get_u16le(ids + 2 * i);

			if (id <= prev || id > KBS_MAX_BLOCK_ID)
				return fail(acc, KBS_ERR_VALUE);
			prev = id;
		}
		lo = n > 0 ? kbs_get_u16le(ids) : 0;
		hi = prev;
		counts = ids + 2 * n;
	}
	else
		return fail(acc, KBS_ERR_VALUE);
	if (!counts_fit(counts, n, w, members))
		return fail(acc, KBS_ERR_VALUE);
	if (members > KBS_MAX_MEMBERS - acc->members)
		return fail(acc, KBS_ERR_RANGE);
	if (n > 0)
	{
		if (!reserve(acc, (int) (lo >> 6), (int) (hi >> 6), false, true))
			return false;
		if (buf[2] == KBS_LAYOUT_DENSE)
			add_stored_run(acc, lo, (unsigned) n, counts, w);
		else
			add_stored_sparse(acc, buf + KBS_COVERAGE_SPARSE_HDR, n, counts, w);
	}
	acc->members += members;
	return true;
}

/* ------------------------------------------------------------------ */
/* Result                                                              */
/* ------------------------------------------------------------------ */

int
kbs_accum_count_entries(kbs_accum *acc)
{
	int w, n = 0, nplanes;

	compress(acc);
	nplanes = used_planes(acc);
	for (w = acc->wlo; w < acc->wlo + acc->nw; w++)
		n += popcount64(word_nonzero(acc, w, nplanes));
	return n;
}

int
kbs_accum_entries_bound(const kbs_accum *acc)
{
	int n = 64 * acc->nw;

	return n > KBS_MAX_ENTRIES ? KBS_MAX_ENTRIES : n;
}

int
kbs_accum_result(kbs_accum *acc, kbs_centry *out)
{
	int w, n = 0, nplanes;

	compress(acc);
	nplanes = used_planes(acc);
	for (w = acc->wlo; w < acc->wlo + acc->nw; w++)
	{
		uint64_t nz;

		if (acc->cnt == NULL)
		{
			/* common case: the counts are the decoded vertical counters */
			uint8_t t[NCODES][64];

			nz = word_nonzero(acc, w, nplanes);
			if (nz == 0)
				continue;
			vertical_counts(word_ptr(acc, w) + VERT_OFF, nplanes, byte_groups(nz), t);
			while (nz != 0)
			{
				int b = ctz64(nz);
				kbs_centry *e = &out[n++];

				nz &= nz - 1;
				e->id = (uint16_t) (w * 64 + b);
				e->cnt[0] = t[0][b];
				e->cnt[1] = t[1][b];
				e->cnt[2] = t[2][b];
				e->cnt[3] = t[3][b];
				e->cnt[4] = t[4][b];
				e->cnt[5] = t[5][b];
			}
		}
		else
		{
			uint32_t buf[CSTRIDE];
			const uint32_t *cw;

			if (nplanes == 0)
			{
				/*
				 * Common after combining: the plain counters are the counts
				 * (compress left no buffered rows); the non-zero blocks
				 * follow from them in the same pass.
				 */
				cw = acc->cnt + (size_t) (w - acc->wlo) * CSTRIDE;
				nz = counts_nonzero(cw);
			}
			else
			{
				nz = word_nonzero(acc, w, nplanes);
				if (nz == 0)
					continue;
				word_counts(acc, w, nplanes, buf);
				cw = buf;
			}
			while (nz != 0)
			{
				int b = ctz64(nz);
				kbs_centry *e = &out[n++];

				nz &= nz - 1;
				e->id = (uint16_t) (w * 64 + b);
				e->cnt[0] = cw[b];
				e->cnt[1] = cw[64 + b];
				e->cnt[2] = cw[128 + b];
				e->cnt[3] = cw[192 + b];
				e->cnt[4] = cw[256 + b];
				e->cnt[5] = cw[320 + b];
			}
		}
	}
	return n;
}
