/*
 * fuzz_accum.c — differential libFuzzer target for the bit-sliced
 * kbs.coverage_agg accumulator (src/core/accum.c) and kbs_coverage_add.
 *
 * The input decodes into rows (stored profiles, NULL members) and control
 * operations: group boundaries, parallel split points, window-style results
 * in the middle of a group, and self-merges. The rows go through the
 * accumulator the way src/pg/coverage_agg.c drives it: one transition per
 * row; in a parallel group one partial state per worker, each either
 * serialized as a stored coverage (the real path), kept live (combine
 * without serialization) or handed over as entries; the combine step folds
 * them into a fresh accumulator starting from a NULL state; the final step
 * sizes its buffer as accum_coverage_datum does. The coverage of every
 * group is also added to a running total with kbs_coverage_add, compared
 * at the end.
 *
 * Beside it, a plain reference counts the same rows: one counter per block
 * and level/na, incremented per profile entry. Any difference aborts with
 * "fuzz_accum: reference mismatch ...".
 *
 * Input layout: byte 0 flags (bit 0: profiles may carry the junk codes 0
 * and 7, which the accumulator must ignore; bits 1-2: how the first
 * partial reaches the combine step), byte 1 the home of the block ids
 * (1 + 128 x byte), then operations, one byte each plus their arguments
 * (see run_op). Missing bytes read as 0.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "kbs_accum.h"
#include "kbs_core.h"

#define NIDS (KBS_MAX_BLOCK_ID + 1)
#define MAX_PARTS 8
#define BUDGET (UINT64_C(1) << 16) /* work units per input (see cost): a few ms at most */
#define MAX_DOUBLES 8              /* self-merges per input: counts can pass 65535, members not 2^31 */
#define STORED_MAX (2 + 3 * KBS_MAX_ENTRIES) /* the larger of both profile layouts */

/*
 * The reference's loops are not the code under test: kept out of the
 * coverage feedback (ASan and UBSan still apply), they no longer dominate
 * the run time of inputs that span many blocks.
 */
#if defined(__has_feature)
#if __has_feature(coverage_sanitizer)
#define REFERENCE __attribute__((no_sanitize("coverage")))
#endif
#endif
#ifndef REFERENCE
#define REFERENCE
#endif

/* ------------------------------------------------------------------ */
/* Reference: a plain counter per block and code                       */
/* ------------------------------------------------------------------ */

#define NWORDS (NIDS / 64)      /* 64-id words */
#define NGROUPS (NWORDS / 64)    /* uint64 of a word bitmap */

/*
 * Word bitmaps: which 64-id words may hold a non-zero value, so that loops
 * over the reference skip the untouched ids.
 */
#define BIT_SET(map, w) ((map)[(w) / 64] |= UINT64_C(1) << ((w) % 64))

/* The first set word >= from of map, or -1. */
REFERENCE static int
next_word(const uint64_t *map, int from)
{
	int g;

	for (g = from / 64; g < NGROUPS; g++)
	{
		uint64_t m = map[g];

		if (g == from / 64)
			m &= ~UINT64_C(0) << (from % 64);
		if (m != 0)
			return 64 * g + __builtin_ctzll(m);
	}
	return -1;
}

#define FOR_EACH_WORD(map, w) for ((w) = next_word((map), 0); (w) >= 0; (w) = next_word((map), (w) + 1))

typedef struct
{
	uint32_t cnt[NIDS][KBS_NCOUNTS]; /* [id][code - 1]: levels 0..4, na */
	uint32_t members;
	uint64_t used[NGROUPS]; /* bit w: ids 64w..64w+63 may be non-zero */
} ref_counts;

static ref_counts ref_group, ref_part, ref_total;
static uint64_t cost; /* work done for this input, against BUDGET: about one count touched per unit */

REFERENCE static void
ref_clear(ref_counts *r)
{
	int w;

	FOR_EACH_WORD(r->used, w)
		memset(r->cnt[64 * w], 0, 64 * sizeof(r->cnt[0]));
	memset(r->used, 0, sizeof(r->used));
	r->members = 0;
}

/* times members with profile e; codes outside 1..6 count nothing */
REFERENCE static void
ref_add_rows(ref_counts *r, const kbs_pentry *e, int n, uint32_t times)
{
	int i;

	r->members += times;
	for (i = 0; i < n; i++)
		if (e[i].code >= 1 && e[i].code <= 6)
		{
			r->cnt[e[i].id][e[i].code - 1] += times;
			BIT_SET(r->used, e[i].id / 64);
		}
}

/* dst += src; dst == src doubles */
REFERENCE static void
ref_add(ref_counts *dst, const ref_counts *src)
{
	int w, id, k;

	FOR_EACH_WORD(src->used, w) /* src may be dst: setting a bit it already has */
	{
		for (id = 64 * w; id < 64 * w + 64; id++)
			for (k = 0; k < KBS_NCOUNTS; k++)
				dst->cnt[id][k] += src->cnt[id][k];
		BIT_SET(dst->used, w);
		cost += 64 * KBS_NCOUNTS;
	}
	dst->members += src->members;
}

static const char *const count_name[KBS_NCOUNTS] = {"level 0", "level 1", "level 2", "level 3", "level 4", "na"};

/* The coverage must list exactly the reference's non-zero blocks, in order. */
REFERENCE static void
check_coverage(const char *what, const kbs_centry *e, int n, uint32_t members, const ref_counts *r)
{
	int w, id, j = 0, k;

	cost += (uint64_t) n * KBS_NCOUNTS + NGROUPS;
	if (members != r->members)
		mismatch("%s: members %u, reference %u", what, members, r->members);
	FOR_EACH_WORD(r->used, w)
	{
		for (id = 64 * w; id < 64 * w + 64; id++)
		{
			bool any = false;

			for (k = 0; k < KBS_NCOUNTS; k++)
				any = any || r->cnt[id][k] != 0;
			if (!any)
				continue;
			if (j >= n)
				mismatch("%s: block %d missing, the result ends after %d entries", what, id, n);
			if (e[j].id != id)
				mismatch("%s: entry %d is block %d, reference block %d", what, j, e[j].id, id);
			for (k = 0; k < KBS_NCOUNTS; k++)
				if (e[j].cnt[k] != r->cnt[id][k])
					mismatch("%s: block %d %s count %u, reference %u", what, id, count_name[k],
							 e[j].cnt[k], r->cnt[id][k]);
			j++;
		}
		cost += 64 * KBS_NCOUNTS;
	}
	if (j != n)
		mismatch("%s: %d entries, reference %d (first extra block %d)", what, n, j, e[j].id);
}

/* ------------------------------------------------------------------ */
/* The accumulator's memory: never zeroed, every block accounted for   */
/* ------------------------------------------------------------------ */

static long live_allocs;

static void *
fz_alloc(void *ctx, size_t size)
{
	void *p = malloc(size);

	(void) ctx;
	if (p != NULL)
	{
		memset(p, 0xA5, size); /* the accumulator must not rely on zeroed memory */
		live_allocs++;
	}
	return p;
}

static void
fz_free(void *ctx, void *p)
{
	(void) ctx;
	if (p != NULL)
		live_allocs--;
	free(p);
}

static kbs_accum *
new_accum(void)
{
	kbs_allocator a = {fz_alloc, fz_free, NULL};
	kbs_accum *acc = kbs_accum_create(&a);

	if (acc == NULL)
		abort();
	return acc;
}

/*
 * The final step as accum_coverage_datum does it: the entries bound sizes
 * the buffer unless it is large, then kbs_accum_count_entries does. The
 * buffer is exactly that large, so ASan catches a result writing past it.
 */
static kbs_centry *
accum_final(kbs_accum *acc, int *n)
{
	int bound = kbs_accum_entries_bound(acc), size = bound, got;
	kbs_centry *e;

	if (bound > 1024)
	{
		size = kbs_accum_count_entries(acc);
		if (size > bound)
			mismatch("count_entries %d above entries_bound %d", size, bound);
	}
	e = malloc(sizeof(kbs_centry) * ((size_t) size + 1));
	if (e == NULL)
		abort();
	got = kbs_accum_result(acc, e);
	if (got < 0 || got > size)
		mismatch("result wrote %d entries, sized for %d", got, size);
	if (bound > 1024 && got != size)
		mismatch("result wrote %d entries, count_entries said %d", got, size);
	*n = got;
	cost += ((uint64_t) bound + 64) * KBS_NCOUNTS * 2;
	return e;
}

/* ------------------------------------------------------------------ */
/* Building one profile                                                */
/* ------------------------------------------------------------------ */

static uint8_t pcode[NIDS]; /* code + 1 of the profile being built; 0 = no entry */
static uint64_t pused[NGROUPS]; /* words of pcode with an entry */

/* The last row: a NULL member, or a profile's entries and stored bytes. */
static bool row_null = true;
static kbs_pentry prof[KBS_MAX_ENTRIES];
static int nprof;
static uint8_t stored[STORED_MAX];
static size_t stored_len;

static bool junk_codes; /* flag bit 0 */

REFERENCE static void
pset(int id, int code)
{
	if (code < 0)
		return; /* not assessed: no entry */
	pcode[id] = (uint8_t) (code + 1);
	BIT_SET(pused, id / 64);
}

static int home; /* ids cluster here, so most ranges stay a few words wide */

/*
 * Block ids: mostly near home (four words, so across word edges), rarely
 * the edges of the id range or anywhere: an input whose rows span the whole
 * range costs 512 words in every pass.
 */
static int
dec_id(input *in)
{
	static const int edge[4] = {1, 63, KBS_MAX_BLOCK_ID - 63, KBS_MAX_BLOCK_ID};
	unsigned b = in_u8(in);
	int id;

	if (b < 248)
		id = home + (int) b - 64;
	else if (b < 252)
		id = edge[b - 248];
	else
		id = 1 + (int) (in_u16(in) % KBS_MAX_BLOCK_ID);
	return id < 1 ? 1 : id > KBS_MAX_BLOCK_ID ? KBS_MAX_BLOCK_ID : id;
}

/* Code of a nibble or byte value: levels 0..4, na, or -1 (not assessed). */
static int
code_of(unsigned v)
{
	static const int map[7] = {KBS_CODE_LEVEL0, KBS_CODE_LEVEL0 + 1, KBS_CODE_LEVEL0 + 2,
							   KBS_CODE_LEVEL0 + 3, KBS_CODE_LEVEL4, KBS_CODE_NA, -1};

	return map[v % 7];
}

static int
dec_code(input *in)
{
	unsigned c = in_u8(in);

	if (junk_codes && c >= 0xFE)
		return c == 0xFF ? KBS_CODE_INVALID : KBS_CODE_ABSENT; /* stored, but counts nothing */
	return code_of(c);
}

static int
dec_span(input *in, int base)
{
	unsigned s = in_u8(in);
	int max = KBS_MAX_BLOCK_ID - base + 1, span;

	if (s < 240)
		span = 1 + (int) s;
	else if (s < 252)
		span = 1 + (int) (((s - 240) << 8) | in_u8(in)); /* up to 3,072 */
	else
		span = max - (int) (s - 252); /* up to the last block */
	return span < 1 ? 1 : span > max ? max : span;
}

/* One part of a profile: a list of ids, or a run of blocks. */
static void
dec_part(input *in)
{
	unsigned p = in_u8(in);
	int base, span, i, n;

	if ((p & 3) == 0)
	{
		n = (int) ((p >> 2) % 32);
		for (i = 0; i < n; i++)
		{
			int id = dec_id(in);

			pset(id, dec_code(in));
		}
		return;
	}
	base = dec_id(in);
	span = dec_span(in, base);
	if ((p & 3) == 1)
	{
		/* explicit codes, two blocks a byte */
		if (span > 512)
			span = 512;
		for (i = 0; i < span; i += 2)
		{
			unsigned b = in_u8(in);

			pset(base + i, code_of(b & 15));
			if (i + 1 < span)
				pset(base + i + 1, code_of(b >> 4));
		}
	}
	else if ((p & 3) == 2)
	{
		/* one code on every stride-th block */
		int code = dec_code(in), stride = 1 + (int) ((p >> 2) & 15);

		for (i = 0; i < span; i += stride)
			pset(base + i, code);
	}
	else
	{
		/* pseudo-random codes, density (p >> 2) / 63 */
		uint32_t x = in_u16(in) | 0x10000u;
		unsigned density = p >> 2;

		for (i = 0; i < span; i++)
		{
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			if ((x >> 8) % 64 < density)
				pset(base + i, code_of((x >> 16) % 6)); /* levels and na only */
		}
	}
}

/* Collects the built entries in id order and stores them as the aggregate gets them. */
REFERENCE static void
finish_profile(void)
{
	int w, id;

	nprof = 0;
	FOR_EACH_WORD(pused, w)
		for (id = 64 * w; id < 64 * w + 64; id++)
			if (pcode[id] != 0)
			{
				prof[nprof].id = (uint16_t) id;
				prof[nprof].code = (uint8_t) (pcode[id] - 1);
				nprof++;
				pcode[id] = 0;
			}
	memset(pused, 0, sizeof(pused));
	stored_len = kbs_profile_storage_size(prof, nprof);
	if (stored_len > STORED_MAX)
		abort();
	kbs_profile_store(prof, nprof, stored);
	row_null = false;
}

/* ------------------------------------------------------------------ */
/* Aggregate states                                                    */
/* ------------------------------------------------------------------ */

/* How a finished partial reaches the combine step. */
enum
{
	VIA_STORED = 0,  /* serialfn/deserialfn: a stored coverage, kbs_accum_add_stored */
	VIA_LIVE = 1,    /* combine without serialization: kbs_accum_merge */
	VIA_ENTRIES = 2, /* a decoded coverage: kbs_accum_add_coverage */
	VIA_COUNT = 3
};

typedef struct
{
	int via;
	kbs_accum *acc;  /* NULL until the first row: a NULL transition state */
	bool finished;
	uint8_t *bytes;  /* VIA_STORED, after finishing */
	size_t len;
	kbs_centry *e;   /* VIA_ENTRIES, after finishing */
	int n;
	uint32_t members;
} partial;

static partial parts[MAX_PARTS];
static int nparts;
static bool parallel;
static int doubles;

static kbs_centry total_e[2][KBS_MAX_ENTRIES];
static int total_n, total_cur;
static uint32_t total_members;

static void
start_part(int via)
{
	partial *p = &parts[nparts++];

	memset(p, 0, sizeof(*p));
	p->via = via;
	ref_clear(&ref_part);
}

/* The worker is done: serialize its state (a NULL state stays NULL). */
static void
finish_part(partial *p)
{
	kbs_centry *e;
	int n;

	if (p->finished || p->acc == NULL || p->via == VIA_LIVE)
	{
		p->finished = true;
		return;
	}
	e = accum_final(p->acc, &n);
	check_coverage("partial state", e, n, kbs_accum_members(p->acc), &ref_part);
	if (p->via == VIA_STORED)
	{
		p->len = kbs_coverage_storage_size(e, n, kbs_accum_members(p->acc));
		p->bytes = malloc(p->len);
		if (p->bytes == NULL)
			abort();
		kbs_coverage_store(e, n, kbs_accum_members(p->acc), p->bytes);
		free(e);
	}
	else
	{
		p->e = e;
		p->n = n;
		p->members = kbs_accum_members(p->acc);
	}
	kbs_accum_destroy(p->acc);
	p->acc = NULL;
	p->finished = true;
}

static void
free_part(partial *p)
{
	kbs_accum_destroy(p->acc);
	free(p->bytes);
	free(p->e);
	memset(p, 0, sizeof(*p));
}

static bool
part_is_null(const partial *p)
{
	return p->acc == NULL && p->bytes == NULL && p->e == NULL;
}

/* The combine step of one partial into the leader's state (NULL at first). */
static kbs_accum *
combine(kbs_accum *into, const partial *from)
{
	bool ok;

	if (part_is_null(from))
		return into;
	if (into == NULL)
		into = new_accum();
	cost += (uint64_t) kbs_accum_entries_bound(into) * KBS_NCOUNTS;
	if (from->via == VIA_STORED)
		ok = kbs_accum_add_stored(into, from->bytes, from->len);
	else if (from->via == VIA_ENTRIES)
		ok = kbs_accum_add_coverage(into, from->e, from->n, from->members);
	else
		ok = kbs_accum_merge(into, from->acc);
	if (!ok)
		mismatch("combine (via %d) failed with error %d", from->via, (int) kbs_accum_last_error(into));
	return into;
}

/* Group boundary: the final coverage against the reference, then into the running total. */
static void
end_group(void)
{
	static kbs_centry empty[1];
	kbs_accum *state;
	kbs_centry *e = empty;
	uint32_t members = 0, m2;
	kbs_error err;
	int n = 0, n2, i;

	if (!parallel)
		state = parts[0].acc; /* the transition state goes to the final step */
	else
	{
		finish_part(&parts[nparts - 1]);
		state = NULL;
		for (i = 0; i < nparts; i++)
			state = combine(state, &parts[i]);
	}
	if (state != NULL)
	{
		e = accum_final(state, &n);
		members = kbs_accum_members(state);
	}
	/* a group without rows: the final step of a NULL state gives (0){} */
	check_coverage(parallel ? "group final after combine" : "group final", e, n, members, &ref_group);

	n2 = kbs_coverage_add(total_e[total_cur], total_n, total_members, e, n, members,
						  total_e[1 - total_cur], &m2, &err);
	if (n2 < 0)
		mismatch("kbs_coverage_add failed: %s", err.msg);
	ref_add(&ref_total, &ref_group);
	total_cur = 1 - total_cur;
	total_n = n2;
	total_members = m2;

	if (e != empty)
		free(e);
	if (parallel && state != NULL)
		kbs_accum_destroy(state);
	for (i = 0; i < nparts; i++)
		free_part(&parts[i]);
	nparts = 0;
	parallel = false;
	ref_clear(&ref_group);
}

static void
add_rows(uint32_t times)
{
	partial *p = &parts[nparts - 1];
	uint32_t t;

	if (p->acc == NULL)
		p->acc = new_accum(); /* the transition function's first call */
	for (t = 0; t < times; t++)
	{
		bool ok = row_null ? kbs_accum_add_profile(p->acc, NULL, 0)
			: kbs_accum_add_profile(p->acc, stored, stored_len);

		if (!ok)
			mismatch("add_profile of a stored profile (%zu bytes) failed with error %d",
					 stored_len, (int) kbs_accum_last_error(p->acc));
	}
	ref_add_rows(&ref_group, prof, row_null ? 0 : nprof, times);
	ref_add_rows(&ref_part, prof, row_null ? 0 : nprof, times);
}

/* Returns false when the input is used up or the budget spent. */
static bool
run_op(input *in, int first_via)
{
	unsigned op;
	partial *p;

	if (in->pos >= in->n || cost > BUDGET)
		return false;
	op = in_u8(in);
	p = &parts[nparts - 1];
	/* results and merges pass over the accumulator's whole range several times */
	if (p->acc != NULL && (op & 7) >= 4 &&
		cost + (uint64_t) kbs_accum_entries_bound(p->acc) * KBS_NCOUNTS * 4 > BUDGET)
		return false;
	switch (op & 7)
	{
		case 0: /* a NULL profile: a member with nothing assessed */
			row_null = true;
			nprof = 0;
			add_rows(1);
			cost += 1;
			break;
		case 1:
		case 2:
		{
			/* a profile of 0..3 parts (0: the empty profile) */
			int np = (int) ((op >> 3) & 3), i;

			for (i = 0; i < np; i++)
				dec_part(in);
			finish_profile();
			add_rows(1);
			cost += (uint64_t) nprof + stored_len / 4 + 1;
			break;
		}
		case 3:
		{
			/* the last row again, 1..512 times: reaches the flush at 255 */
			uint32_t times = 1 + in_u8(in) + ((op >> 3) & 1 ? 256 : 0);

			cost += (uint64_t) nprof + times * (stored_len / 4 + 1);
			if (cost > BUDGET)
				return false;
			add_rows(times);
			break;
		}
		case 4: /* a split point: the next rows go to another worker */
			if (nparts < MAX_PARTS)
			{
				finish_part(p);
				start_part((int) ((op >> 3) % VIA_COUNT));
				parallel = true;
			}
			break;
		case 5:
			end_group();
			start_part(first_via);
			break;
		case 6: /* a window aggregate asks for the result and goes on */
			if (p->acc != NULL && !p->finished)
			{
				int n;
				kbs_centry *e = accum_final(p->acc, &n);

				check_coverage("result in the middle (window use)", e, n, kbs_accum_members(p->acc), &ref_part);
				free(e);
			}
			break;
		default: /* merge into itself: doubles every count */
			if (p->acc != NULL && !p->finished && doubles < MAX_DOUBLES)
			{
				doubles++;
				cost += (uint64_t) kbs_accum_entries_bound(p->acc) * KBS_NCOUNTS;
				if (!kbs_accum_merge(p->acc, p->acc))
					mismatch("self-merge failed with error %d", (int) kbs_accum_last_error(p->acc));
				ref_add(&ref_group, &ref_part);
				ref_add(&ref_part, &ref_part);
			}
			break;
	}
	return true;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	input in = {data, size, 0};
	unsigned flags = in_u8(&in);
	int first_via = (int) ((flags >> 1) & 3) % VIA_COUNT;

	junk_codes = (flags & 1) != 0;
	home = 1 + 128 * (int) in_u8(&in);
	cost = 0;
	doubles = 0;
	row_null = true;
	nprof = 0;
	ref_clear(&ref_group);
	ref_clear(&ref_part);
	ref_clear(&ref_total);
	total_n = 0;
	total_cur = 0;
	total_members = 0;
	nparts = 0;
	parallel = false;
	start_part(first_via);
	while (run_op(&in, first_via))
		;
	end_group();
	/* once, not per group: a total spanning many groups is costly to compare */
	check_coverage("kbs_coverage_add of the group coverages", total_e[total_cur], total_n, total_members,
				   &ref_total);
#ifdef FUZZ_ACCUM_COST
	fprintf(stderr, "cost %llu\n", (unsigned long long) cost);
#endif
	if (live_allocs != 0)
		mismatch("%ld accumulator allocations not freed", live_allocs);
	return 0;
}
