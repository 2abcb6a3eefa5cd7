/*
 * kbs_accum: the bit-sliced coverage_agg state, checked differentially
 * against plain counting over kbs_profile_load (and, in one scenario, the
 * reference kbs_coverage_add_profile). Deterministic: fixed-seed xorshift64.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kbs_accum.h"
#include "helpers.h"
#include "kbs_core.h"

int kbs_register_accum_tests(void);

#define NIDS (KBS_MAX_BLOCK_ID + 1)

/* ------------------------------------------------------------------ */
/* A counting allocator that can be told to fail                       */
/* ------------------------------------------------------------------ */

typedef struct
{
	long live;     /* allocations not yet freed */
	long calls;    /* alloc calls */
	long fail_at;  /* alloc call number that returns NULL; 0 = never */
	bool fail_all; /* every alloc returns NULL */
} test_heap;

static void *
heap_alloc(void *ctx, size_t size)
{
	test_heap *h = (test_heap *) ctx;
	unsigned char *p;

	h->calls++;
	if (h->fail_all || h->calls == h->fail_at)
		return NULL;
	p = malloc(size);
	if (p != NULL)
	{
		memset(p, 0xA5, size); /* zeroed memory is not promised */
		h->live++;
	}
	return p;
}

static void
heap_free(void *ctx, void *p)
{
	test_heap *h = (test_heap *) ctx;

	if (p != NULL)
		h->live--;
	free(p);
}

static kbs_accum *
new_accum(test_heap *h)
{
	kbs_allocator a;
	kbs_accum *acc;

	a.alloc = heap_alloc;
	a.free = heap_free;
	a.ctx = h;
	acc = kbs_accum_create(&a);
	CU_ASSERT_PTR_NOT_NULL_FATAL(acc);
	return acc;
}

/* ------------------------------------------------------------------ */
/* Reference: plain counting                                           */
/* ------------------------------------------------------------------ */

typedef struct
{
	uint64_t cnt[NIDS][KBS_NCOUNTS];
	uint64_t members;
} ref_cov;

static ref_cov ref_a, ref_b;
static kbs_pentry pbuf[KBS_MAX_ENTRIES];
static kbs_centry got[KBS_MAX_ENTRIES];
static kbs_centry got2[KBS_MAX_ENTRIES];
static kbs_centry cov1[KBS_MAX_ENTRIES];
static kbs_centry cov2[KBS_MAX_ENTRIES];

static void
ref_clear(ref_cov *r)
{
	memset(r, 0, sizeof(*r));
}

/* Counts a stored profile the slow way: decode, one increment per block. */
static void
ref_add_stored(ref_cov *r, const uint8_t *buf, size_t len)
{
	r->members++;
	if (buf != NULL)
	{
		kbs_error err;
		int n = kbs_profile_load(buf, len, pbuf, &err);
		int i;

		CU_ASSERT_FATAL(n >= 0);
		for (i = 0; i < n; i++)
			r->cnt[pbuf[i].id][kbs_cnt_index_from_code(pbuf[i].code)]++;
	}
}

static void
ref_add_ref(ref_cov *into, const ref_cov *from, int times)
{
	int id, k;

	for (id = 0; id < NIDS; id++)
		for (k = 0; k < KBS_NCOUNTS; k++)
			into->cnt[id][k] += from->cnt[id][k] * (uint64_t) times;
	into->members += from->members * (uint64_t) times;
}

/* Entries of a reference coverage, sorted, non-zero only. */
static int
ref_entries(const ref_cov *r, kbs_centry *out)
{
	int id, k, n = 0;

	for (id = 0; id < NIDS; id++)
	{
		uint64_t sum = 0;

		for (k = 0; k < KBS_NCOUNTS; k++)
			sum += r->cnt[id][k];
		if (sum == 0)
			continue;
		memset(&out[n], 0, sizeof(out[n]));
		out[n].id = (uint16_t) id;
		for (k = 0; k < KBS_NCOUNTS; k++)
			out[n].cnt[k] = (uint32_t) r->cnt[id][k];
		n++;
	}
	return n;
}

static void
report_difference(const kbs_centry *a, int na, const kbs_centry *b, int nb)
{
	int i, k;

	fprintf(stderr, "\n    accumulator has %d entries, reference %d\n", na, nb);
	for (i = 0; i < na && i < nb; i++)
	{
		bool same = a[i].id == b[i].id;

		for (k = 0; k < KBS_NCOUNTS; k++)
			same = same && a[i].cnt[k] == b[i].cnt[k];
		if (!same)
		{
			fprintf(stderr, "    first difference at entry %d: id %u vs %u, counts", i,
					(unsigned) a[i].id, (unsigned) b[i].id);
			for (k = 0; k < KBS_NCOUNTS; k++)
				fprintf(stderr, " %u/%u", (unsigned) a[i].cnt[k], (unsigned) b[i].cnt[k]);
			fprintf(stderr, "\n");
			return;
		}
	}
}

/* The accumulator's result (asked twice: count, then entries) equals r. */
static bool
check_against(kbs_accum *acc, const ref_cov *r)
{
	int n = kbs_accum_count_entries(acc);
	int m = kbs_accum_result(acc, got);
	int nr = ref_entries(r, got2);
	bool ok = n == m && test_coverage_equal(got, m, got2, nr) && kbs_accum_members(acc) == r->members;

	if (!ok)
	{
		fprintf(stderr, "\n    count_entries %d, result %d, members %u vs %llu", n, m,
				(unsigned) kbs_accum_members(acc), (unsigned long long) r->members);
		report_difference(got, m, got2, nr);
	}
	return ok;
}

/* ------------------------------------------------------------------ */
/* Random profiles                                                     */
/* ------------------------------------------------------------------ */

typedef enum
{
	GEN_DENSE,   /* a run of blocks, mostly assessed: dense layout */
	GEN_SPARSE,  /* a few blocks anywhere: sparse layout */
	GEN_EDGES,   /* ids near 1 and 32767, word boundaries */
	GEN_ANY
} gen_kind;

static uint8_t
random_code(unsigned na_percent)
{
	if (test_chance(na_percent))
		return KBS_CODE_NA;
	return kbs_code_from_level((int) test_rnd_between(0, 4));
}

static int
random_run(kbs_pentry *e, unsigned base, unsigned span, unsigned density)
{
	unsigned i;
	int n = 0;

	if (base + span - 1 > KBS_MAX_BLOCK_ID)
		span = KBS_MAX_BLOCK_ID - base + 1;
	for (i = 0; i < span; i++)
	{
		/* the ends are always assessed, so the span is exactly span */
		if (i == 0 || i == span - 1 || test_chance(density))
		{
			e[n].id = (uint16_t) (base + i);
			e[n].code = random_code(10);
			n++;
		}
	}
	return n;
}

static int
random_profile(kbs_pentry *e, gen_kind kind)
{
	static uint8_t used[NIDS];

	if (kind == GEN_ANY)
		kind = (gen_kind) test_rnd_between(GEN_DENSE, GEN_EDGES);
	switch (kind)
	{
		case GEN_DENSE:
			{
				unsigned span = test_chance(20) ? test_rnd_between(1, 700) : test_rnd_between(1, 200);

				unsigned base = test_rnd_between(1, KBS_MAX_BLOCK_ID);

				/* one call per statement: argument order is unspecified */
				return random_run(e, base, span, test_rnd_between(50, 100));
			}
		case GEN_SPARSE:
			{
				int want = (int) test_rnd_between(0, 12), n = 0, i;
				kbs_error err;

				memset(used, 0, sizeof(used));
				for (i = 0; i < want; i++)
				{
					unsigned id = test_chance(70) ? test_rnd_between(1, KBS_MAX_BLOCK_ID) : test_rnd_between(1, 300);

					if (used[id])
						continue;
					used[id] = 1;
					e[n].id = (uint16_t) id;
					e[n].code = random_code(15);
					n++;
				}
				n = kbs_profile_normalize(e, n, &err);
				CU_ASSERT_FATAL(n >= 0);
				return n;
			}
		default:
			{
				/* starts right at 1, at 32767 - span + 1, or around a word edge */
				unsigned span = test_rnd_between(1, 200);
				unsigned base;

				switch (test_rnd_between(0, 3))
				{
					case 0:
						base = 1;
						break;
					case 1:
						base = KBS_MAX_BLOCK_ID - span + 1;
						break;
					case 2:
						base = 64 * test_rnd_between(1, 500);
						base += test_rnd_between(0, 2) - 1;
						break;
					default:
						base = 64 * test_rnd_between(1, 500);
						base -= test_rnd_between(0, 8);
						break;
				}
				return random_run(e, base, span, test_rnd_between(0, 100));
			}
	}
}

/*
 * Stores e at a random misalignment in an allocation that ends exactly at
 * the last byte, so ASan catches any read past it. Caller frees *block.
 */
static const uint8_t *
stored(const kbs_pentry *e, int n, size_t *len, void **block, int *layout)
{
	size_t size = kbs_profile_storage_size(e, n);
	size_t off = test_rnd_between(0, 7);
	uint8_t *p = malloc(size + off);

	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	kbs_profile_store(e, n, p + off);
	*len = size;
	*block = p;
	if (layout != NULL)
		*layout = p[off + 1];
	return p + off;
}

/* Adds a random member to acc and to r; NULL members and empty profiles too. */
static int layouts_seen[2];

static void
add_random(kbs_accum *acc, ref_cov *r, gen_kind kind)
{
	const uint8_t *buf;
	size_t len;
	void *block;
	int n, layout;

	if (test_chance(3))
	{
		CU_ASSERT_FATAL(kbs_accum_add_profile(acc, NULL, 0));
		ref_add_stored(r, NULL, 0);
		return;
	}
	n = test_chance(3) ? 0 : random_profile(pbuf, kind);
	buf = stored(pbuf, n, &len, &block, &layout);
	layouts_seen[layout]++;
	CU_ASSERT_FATAL(kbs_accum_add_profile(acc, buf, len));
	ref_add_stored(r, buf, len);
	free(block);
}

/* ------------------------------------------------------------------ */
/* Tests                                                               */
/* ------------------------------------------------------------------ */

static void
run_scenario(gen_kind kind, int rows, uint64_t seed)
{
	test_heap h = {0};
	kbs_accum *acc = new_accum(&h);
	int i;

	test_rng_state = seed;
	ref_clear(&ref_a);
	for (i = 0; i < rows; i++)
	{
		add_random(acc, &ref_a, kind);
		if (i == rows / 3)
			CU_ASSERT(check_against(acc, &ref_a));
	}
	CU_ASSERT(check_against(acc, &ref_a));
	CU_ASSERT_EQUAL(kbs_accum_last_error(acc), KBS_OK);
	kbs_accum_destroy(acc);
	CU_ASSERT_EQUAL(h.live, 0);
}

static void
test_dense_random(void)
{
	memset(layouts_seen, 0, sizeof(layouts_seen));
	run_scenario(GEN_DENSE, 3000, 0x9E3779B97F4A7C15ull);
	CU_ASSERT(layouts_seen[KBS_LAYOUT_DENSE] > 2000);
}

static void
test_sparse_random(void)
{
	memset(layouts_seen, 0, sizeof(layouts_seen));
	run_scenario(GEN_SPARSE, 3000, 0xD1B54A32D192ED03ull);
	CU_ASSERT(layouts_seen[KBS_LAYOUT_SPARSE] > 2000);
}

static void
test_edges_random(void)
{
	memset(layouts_seen, 0, sizeof(layouts_seen));
	run_scenario(GEN_EDGES, 3000, 0x8CB92BA72F3D8DD7ull);
	CU_ASSERT(layouts_seen[KBS_LAYOUT_SPARSE] > 100);
	CU_ASSERT(layouts_seen[KBS_LAYOUT_DENSE] > 1000);
}

static void
test_mixed_random(void)
{
	memset(layouts_seen, 0, sizeof(layouts_seen));
	run_scenario(GEN_ANY, 4000, 0xA0761D6478BD642Full);
	CU_ASSERT(layouts_seen[KBS_LAYOUT_SPARSE] > 500);
	CU_ASSERT(layouts_seen[KBS_LAYOUT_DENSE] > 1500);
}

/* The reference of kbs_core.h itself: kbs_coverage_add_profile row by row. */
static void
test_against_add_profile(void)
{
	test_heap h = {0};
	kbs_accum *acc = new_accum(&h);
	kbs_centry *cur = cov1, *next = cov2, *tmp;
	uint32_t members = 0;
	int nc = 0, i;

	test_rng_state = 0x5851F42D4C957F2Dull;
	for (i = 0; i < 2000; i++)
	{
		const uint8_t *buf;
		size_t len;
		void *block;
		kbs_error err;
		int np = test_chance(3) ? 0 : random_profile(pbuf, GEN_ANY);

		buf = stored(pbuf, np, &len, &block, NULL);
		CU_ASSERT_FATAL(kbs_accum_add_profile(acc, buf, len));
		free(block);
		nc = kbs_coverage_add_profile(cur, nc, members, pbuf, np, next, &members, &err);
		CU_ASSERT_FATAL(nc >= 0);
		tmp = cur;
		cur = next;
		next = tmp;
	}
	CU_ASSERT_EQUAL(kbs_accum_count_entries(acc), nc);
	CU_ASSERT(test_coverage_equal(got, kbs_accum_result(acc, got), cur, nc));
	CU_ASSERT_EQUAL(kbs_accum_members(acc), members);
	kbs_accum_destroy(acc);
	CU_ASSERT_EQUAL(h.live, 0);
}

/* Every base offset 0..63 and spans crossing 1, 2 and 3 word boundaries. */
static void
test_dense_alignment_sweep(void)
{
	test_heap h = {0};
	static const unsigned spans[] = {1, 2, 7, 8, 9, 57, 63, 64, 65, 127, 128, 129, 150, 191, 300};
	size_t si;
	unsigned off;

	test_rng_state = 0x2545F4914F6CDD1Dull;
	for (si = 0; si < sizeof(spans) / sizeof(spans[0]); si++)
	{
		for (off = 0; off < 64; off++)
		{
			kbs_accum *acc = new_accum(&h);
			int rows = (int) test_rnd_between(1, 20), i;

			ref_clear(&ref_a);
			for (i = 0; i < rows; i++)
			{
				unsigned base = 64 * 7 + off - (off == 0 && i % 2 ? 64 : 0);
				int n = random_run(pbuf, base, spans[si], 100);
				const uint8_t *buf;
				size_t len;
				void *block;

				buf = stored(pbuf, n, &len, &block, NULL);
				CU_ASSERT_FATAL(kbs_accum_add_profile(acc, buf, len));
				ref_add_stored(&ref_a, buf, len);
				free(block);
			}
			CU_ASSERT_FATAL(check_against(acc, &ref_a));
			kbs_accum_destroy(acc);
		}
	}
	CU_ASSERT_EQUAL(h.live, 0);
}

/* The full id range, 1..32767, dense, with every code. */
static void
test_full_range(void)
{
	test_heap h = {0};
	kbs_accum *acc = new_accum(&h);
	int i, n, r;

	test_rng_state = 0x94D049BB133111EBull;
	ref_clear(&ref_a);
	for (r = 0; r < 20; r++)
	{
		const uint8_t *buf;
		size_t len;
		void *block;
		int layout;

		n = 0;
		for (i = 1; i <= KBS_MAX_BLOCK_ID; i++)
		{
			if (i == 1 || i == KBS_MAX_BLOCK_ID || test_chance(60))
			{
				pbuf[n].id = (uint16_t) i;
				pbuf[n].code = random_code(20);
				n++;
			}
		}
		buf = stored(pbuf, n, &len, &block, &layout);
		CU_ASSERT_EQUAL(layout, KBS_LAYOUT_DENSE);
		CU_ASSERT_FATAL(kbs_accum_add_profile(acc, buf, len));
		ref_add_stored(&ref_a, buf, len);
		free(block);
	}
	CU_ASSERT(check_against(acc, &ref_a));
	kbs_accum_destroy(acc);
	CU_ASSERT_EQUAL(h.live, 0);
}

/*
 * Many more rows than the vertical counters hold (flushes), for a dense
 * profile, then counts beyond 65535 and a mix with sparse rows.
 */
static void
test_flushes(void)
{
	test_heap h = {0};
	kbs_accum *acc = new_accum(&h);
	const uint8_t *buf, *buf2, *buf3;
	size_t len, len2, len3;
	void *block, *block2, *block3;
	int n, i, layout;

	test_rng_state = 0xBF58476D1CE4E5B9ull;
	n = random_run(pbuf, 100, 150, 100);
	buf = stored(pbuf, n, &len, &block, &layout);
	CU_ASSERT_EQUAL(layout, KBS_LAYOUT_DENSE);
	ref_clear(&ref_a);
	ref_clear(&ref_b);
	ref_add_stored(&ref_b, buf, len);
	for (i = 0; i < 10000; i++)
		CU_ASSERT_FATAL(kbs_accum_add_profile(acc, buf, len));
	ref_add_ref(&ref_a, &ref_b, 10000);
	CU_ASSERT(check_against(acc, &ref_a));
	/* 70,000 rows: counts need more than 16 bits */
	for (i = 0; i < 60000; i++)
		CU_ASSERT_FATAL(kbs_accum_add_profile(acc, buf, len));
	ref_add_ref(&ref_a, &ref_b, 60000);
	CU_ASSERT(check_against(acc, &ref_a));

	/* an overlapping dense profile and a sparse one, interleaved */
	n = random_run(pbuf, 30, 400, 90);
	buf2 = stored(pbuf, n, &len2, &block2, NULL);
	pbuf[0].id = 1;
	pbuf[0].code = KBS_CODE_NA;
	pbuf[1].id = 200;
	pbuf[1].code = kbs_code_from_level(4);
	pbuf[2].id = KBS_MAX_BLOCK_ID;
	pbuf[2].code = kbs_code_from_level(0);
	buf3 = stored(pbuf, 3, &len3, &block3, &layout);
	CU_ASSERT_EQUAL(layout, KBS_LAYOUT_SPARSE);
	for (i = 0; i < 1000; i++)
	{
		CU_ASSERT_FATAL(kbs_accum_add_profile(acc, buf, len));
		ref_add_stored(&ref_a, buf, len);
		CU_ASSERT_FATAL(kbs_accum_add_profile(acc, buf2, len2));
		ref_add_stored(&ref_a, buf2, len2);
		if (i % 3 == 0)
		{
			CU_ASSERT_FATAL(kbs_accum_add_profile(acc, buf3, len3));
			ref_add_stored(&ref_a, buf3, len3);
		}
	}
	CU_ASSERT(check_against(acc, &ref_a));
	free(block);
	free(block2);
	free(block3);
	kbs_accum_destroy(acc);
	CU_ASSERT_EQUAL(h.live, 0);
}

/* Window use: results asked again and again, with rows added in between. */
static void
test_window_use(void)
{
	test_heap h = {0};
	kbs_accum *acc = new_accum(&h);
	int i, checks = 0;

	test_rng_state = 0xE7037ED1A0B428DBull;
	ref_clear(&ref_a);
	CU_ASSERT(check_against(acc, &ref_a)); /* empty */
	for (i = 0; i < 2500; i++)
	{
		add_random(acc, &ref_a, test_chance(80) ? GEN_DENSE : GEN_ANY);
		if (test_chance(8) || i < 20)
		{
			CU_ASSERT_FATAL(check_against(acc, &ref_a));
			if (test_chance(50))
				CU_ASSERT(check_against(acc, &ref_a)); /* twice in a row */
			checks++;
		}
	}
	CU_ASSERT(checks > 100);
	CU_ASSERT(check_against(acc, &ref_a));
	kbs_accum_destroy(acc);
	CU_ASSERT_EQUAL(h.live, 0);
}

/* The same rows spread over several accumulators, combined two ways. */
static void
test_add_coverage_and_merge(void)
{
	enum { PARTS = 5 };
	test_heap h = {0};
	kbs_accum *part[PARTS], *viacov, *viamerge, *all;
	int i, p, round;

	for (round = 0; round < 4; round++)
	{
		test_rng_state = 0x7A6E1C3D5B4F2E19ull + (uint64_t) round;
		all = new_accum(&h);
		ref_clear(&ref_a);
		for (p = 0; p < PARTS; p++)
			part[p] = new_accum(&h);
		for (i = 0; i < 2500; i++)
		{
			const uint8_t *buf;
			size_t len;
			void *block;
			int n = random_profile(pbuf, round == 0 ? GEN_DENSE : GEN_ANY);

			buf = stored(pbuf, n, &len, &block, NULL);
			/* part 4 stays empty in round 1 */
			p = (int) test_rnd_between(0, round == 1 ? PARTS - 2 : PARTS - 1);
			CU_ASSERT_FATAL(kbs_accum_add_profile(part[p], buf, len));
			CU_ASSERT_FATAL(kbs_accum_add_profile(all, buf, len));
			ref_add_stored(&ref_a, buf, len);
			free(block);
		}
		CU_ASSERT(check_against(all, &ref_a));

		/* add_coverage of each part's result; the parts keep their value */
		viacov = new_accum(&h);
		viamerge = new_accum(&h);
		for (p = 0; p < PARTS; p++)
		{
			int n = kbs_accum_result(part[p], cov1);

			CU_ASSERT_FATAL(kbs_accum_add_coverage(viacov, cov1, n, kbs_accum_members(part[p])));
			CU_ASSERT_FATAL(kbs_accum_merge(viamerge, part[p]));
		}
		CU_ASSERT(check_against(viacov, &ref_a));
		CU_ASSERT(check_against(viamerge, &ref_a));
		for (p = 0; p < PARTS; p++)
			CU_ASSERT_EQUAL(kbs_accum_result(part[p], cov2), kbs_accum_result(part[p], cov1));

		/* rows added after add_coverage and merge still count */
		memcpy(&ref_b, &ref_a, sizeof(ref_b));
		for (i = 0; i < 50; i++)
		{
			const uint8_t *buf;
			size_t len;
			void *block;
			int n = random_profile(pbuf, GEN_ANY);

			buf = stored(pbuf, n, &len, &block, NULL);
			CU_ASSERT_FATAL(kbs_accum_add_profile(viacov, buf, len));
			CU_ASSERT_FATAL(kbs_accum_add_profile(viamerge, buf, len));
			ref_add_stored(&ref_b, buf, len);
			free(block);
		}
		CU_ASSERT(check_against(viacov, &ref_b));
		CU_ASSERT(check_against(viamerge, &ref_b));

		/* merging into an accumulator with rows of its own, then doubling */
		for (p = 1; p < PARTS; p++)
			CU_ASSERT_FATAL(kbs_accum_merge(part[0], part[p]));
		CU_ASSERT(check_against(part[0], &ref_a));
		CU_ASSERT_FATAL(kbs_accum_merge(all, all));
		ref_add_ref(&ref_a, &ref_a, 1);
		CU_ASSERT(check_against(all, &ref_a));
		for (p = 0; p < PARTS; p++)
			kbs_accum_destroy(part[p]);
		kbs_accum_destroy(viacov);
		kbs_accum_destroy(viamerge);
		kbs_accum_destroy(all);
		CU_ASSERT_EQUAL(h.live, 0);
	}
}

/* Merging accumulators whose rows are still buffered, both ways round. */
static void
test_merge_pending_rows(void)
{
	test_heap h = {0};
	int rows_a, rows_b;

	test_rng_state = 0x1F83D9ABFB41BD6Bull;
	for (rows_a = 0; rows_a <= 16; rows_a++)
	{
		for (rows_b = 0; rows_b <= 16; rows_b += 3)
		{
			kbs_accum *a = new_accum(&h), *b = new_accum(&h), *c = new_accum(&h);
			int i;

			ref_clear(&ref_a);
			ref_clear(&ref_b);
			for (i = 0; i < rows_a; i++)
				add_random(a, &ref_a, GEN_DENSE);
			for (i = 0; i < rows_b; i++)
				add_random(b, &ref_b, GEN_EDGES);
			CU_ASSERT_FATAL(kbs_accum_merge(c, b));
			CU_ASSERT_FATAL(kbs_accum_merge(c, a));
			CU_ASSERT_FATAL(kbs_accum_merge(a, b));
			CU_ASSERT(check_against(b, &ref_b)); /* from is unchanged */
			ref_add_ref(&ref_a, &ref_b, 1);
			CU_ASSERT_FATAL(check_against(a, &ref_a));
			CU_ASSERT_FATAL(check_against(c, &ref_a));
			kbs_accum_destroy(a);
			kbs_accum_destroy(b);
			kbs_accum_destroy(c);
		}
	}
	CU_ASSERT_EQUAL(h.live, 0);
}

/* Members are capped at 2147483647; failed calls change nothing. */
static void
test_member_overflow(void)
{
	test_heap h = {0};
	kbs_accum *acc = new_accum(&h), *other = new_accum(&h);
	kbs_centry e;
	uint8_t prof[2 + 3];
	int n;

	memset(&e, 0, sizeof(e));
	e.id = KBS_MAX_BLOCK_ID;
	e.cnt[KBS_CNT_NA] = KBS_MAX_MEMBERS - 1;
	CU_ASSERT_FATAL(kbs_accum_add_coverage(acc, &e, 1, KBS_MAX_MEMBERS - 1));
	pbuf[0].id = KBS_MAX_BLOCK_ID;
	pbuf[0].code = KBS_CODE_NA;
	kbs_profile_store(pbuf, 1, prof);
	CU_ASSERT_TRUE(kbs_accum_add_profile(acc, prof, sizeof(prof)));
	CU_ASSERT_EQUAL(kbs_accum_members(acc), KBS_MAX_MEMBERS);
	/* one more member of any kind overflows */
	CU_ASSERT_FALSE(kbs_accum_add_profile(acc, prof, sizeof(prof)));
	CU_ASSERT_EQUAL(kbs_accum_last_error(acc), KBS_ERR_RANGE);
	CU_ASSERT_FALSE(kbs_accum_add_profile(acc, NULL, 0));
	CU_ASSERT_FALSE(kbs_accum_add_coverage(acc, NULL, 0, 1));
	CU_ASSERT_EQUAL(kbs_accum_last_error(acc), KBS_ERR_RANGE);
	CU_ASSERT_TRUE(kbs_accum_add_coverage(acc, NULL, 0, 0));
	CU_ASSERT_TRUE(kbs_accum_add_profile(other, NULL, 0));
	CU_ASSERT_FALSE(kbs_accum_merge(acc, other));
	CU_ASSERT_EQUAL(kbs_accum_last_error(acc), KBS_ERR_RANGE);
	CU_ASSERT_FALSE(kbs_accum_merge(other, acc));
	CU_ASSERT_EQUAL(kbs_accum_last_error(other), KBS_ERR_RANGE);
	CU_ASSERT_FALSE(kbs_accum_merge(acc, acc));
	/* the state is intact: the largest count is reported exactly */
	CU_ASSERT_EQUAL(kbs_accum_members(acc), KBS_MAX_MEMBERS);
	CU_ASSERT_EQUAL(kbs_accum_members(other), 1);
	n = kbs_accum_result(acc, got);
	CU_ASSERT_EQUAL_FATAL(n, 1);
	CU_ASSERT_EQUAL(got[0].id, KBS_MAX_BLOCK_ID);
	CU_ASSERT_EQUAL(got[0].cnt[KBS_CNT_NA], KBS_MAX_MEMBERS);
	CU_ASSERT_EQUAL(kbs_accum_count_entries(other), 0);

	/* merging two halves reaches the cap exactly */
	kbs_accum_destroy(other);
	other = new_accum(&h);
	CU_ASSERT_TRUE(kbs_accum_add_coverage(other, &e, 1, KBS_MAX_MEMBERS - 1));
	kbs_accum_destroy(acc);
	acc = new_accum(&h);
	CU_ASSERT_TRUE(kbs_accum_add_profile(acc, prof, sizeof(prof)));
	CU_ASSERT_TRUE(kbs_accum_merge(acc, other));
	CU_ASSERT_EQUAL(kbs_accum_members(acc), KBS_MAX_MEMBERS);
	n = kbs_accum_result(acc, got);
	CU_ASSERT_EQUAL_FATAL(n, 1);
	CU_ASSERT_EQUAL(got[0].cnt[KBS_CNT_NA], KBS_MAX_MEMBERS);
	kbs_accum_destroy(acc);
	kbs_accum_destroy(other);
	CU_ASSERT_EQUAL(h.live, 0);
}

/* Invalid coverages and damaged profile buffers are refused, state kept. */
static void
test_rejects(void)
{
	test_heap h = {0};
	kbs_accum *acc = new_accum(&h);
	kbs_centry e[3];
	uint8_t buf[64];
	size_t len;
	int n;

	ref_clear(&ref_a);
	memset(e, 0, sizeof(e));
	e[0].id = 5;
	e[0].cnt[0] = 2;
	e[1].id = 9;
	e[1].cnt[1] = 1;
	e[1].cnt[2] = 2;
	CU_ASSERT_TRUE(kbs_accum_add_coverage(acc, e, 2, 3));
	ref_a.members = 3;
	ref_a.cnt[5][0] = 2;
	ref_a.cnt[9][1] = 1;
	ref_a.cnt[9][2] = 2;
	/* counts above members, unsorted, duplicate, id 0, negative n */
	CU_ASSERT_FALSE(kbs_accum_add_coverage(acc, e, 2, 2));
	CU_ASSERT_EQUAL(kbs_accum_last_error(acc), KBS_ERR_VALUE);
	e[2] = e[0];
	CU_ASSERT_FALSE(kbs_accum_add_coverage(acc, e + 1, 2, 3));
	e[2].id = 9;
	CU_ASSERT_FALSE(kbs_accum_add_coverage(acc, e + 1, 2, 3));
	e[2].id = 0;
	CU_ASSERT_FALSE(kbs_accum_add_coverage(acc, e + 2, 1, 3));
	CU_ASSERT_FALSE(kbs_accum_add_coverage(acc, e, -1, 3));
	CU_ASSERT_FALSE(kbs_accum_add_coverage(acc, e, 1, KBS_MAX_MEMBERS + 1u));
	CU_ASSERT(check_against(acc, &ref_a));
	/* all-zero entries are fine and add nothing */
	memset(&e[2], 0, sizeof(e[2]));
	e[2].id = 300;
	CU_ASSERT_TRUE(kbs_accum_add_coverage(acc, e + 2, 1, 0));
	CU_ASSERT(check_against(acc, &ref_a));

	/* damaged profile buffers */
	for (n = 0; n < 6; n++)
	{
		pbuf[n].id = (uint16_t) (62 + n); /* across a word edge */
		pbuf[n].code = (uint8_t) (1 + n);
	}
	len = kbs_profile_storage_size(pbuf, n);
	kbs_profile_store(pbuf, n, buf);
	CU_ASSERT_EQUAL_FATAL(buf[1], KBS_LAYOUT_DENSE);
	CU_ASSERT_FALSE(kbs_accum_add_profile(acc, buf, len - 1));  /* size */
	CU_ASSERT_EQUAL(kbs_accum_last_error(acc), KBS_ERR_BINARY);
	CU_ASSERT_FALSE(kbs_accum_add_profile(acc, buf, 4));        /* truncated header */
	CU_ASSERT_FALSE(kbs_accum_add_profile(acc, buf, 1));
	CU_ASSERT_FALSE(kbs_accum_add_profile(acc, NULL, 3));
	buf[0] = 2;                                                 /* version */
	CU_ASSERT_FALSE(kbs_accum_add_profile(acc, buf, len));
	buf[0] = KBS_FORMAT_VERSION;
	buf[1] = 2;                                                 /* layout */
	CU_ASSERT_FALSE(kbs_accum_add_profile(acc, buf, len));
	buf[1] = KBS_LAYOUT_DENSE;
	buf[2] = 0;                                                 /* base 0 */
	buf[3] = 0;
	CU_ASSERT_FALSE(kbs_accum_add_profile(acc, buf, len));
	buf[2] = 0xFF;                                              /* past 32767 */
	buf[3] = 0x7F;
	CU_ASSERT_FALSE(kbs_accum_add_profile(acc, buf, len));
	/* sparse: ids out of order, id 0, past 32767, odd size */
	buf[0] = KBS_FORMAT_VERSION;
	buf[1] = KBS_LAYOUT_SPARSE;
	buf[2] = 10, buf[3] = 0, buf[4] = 1;
	buf[5] = 9, buf[6] = 0, buf[7] = 1;
	CU_ASSERT_FALSE(kbs_accum_add_profile(acc, buf, 8));
	buf[2] = 0;
	CU_ASSERT_FALSE(kbs_accum_add_profile(acc, buf, 5));
	buf[2] = 10;
	buf[5] = 0xFF, buf[6] = 0xFF;
	CU_ASSERT_FALSE(kbs_accum_add_profile(acc, buf, 8));
	CU_ASSERT_FALSE(kbs_accum_add_profile(acc, buf, 7));
	CU_ASSERT(check_against(acc, &ref_a));
	CU_ASSERT_EQUAL(kbs_accum_members(acc), 3);

	/* codes 0 and 7 (never stored) count nothing, in either layout */
	kbs_profile_store(pbuf, 6, buf); /* ids 62..67, codes 1..6, dense */
	buf[6] |= 1u << 2;               /* id 64: code 3 -> 7 */
	buf[7] |= 1u << 2;
	buf[8] |= 1u << 2;
	for (n = 0; n < 20; n++)
	{
		CU_ASSERT_TRUE(kbs_accum_add_profile(acc, buf, len));
		ref_a.members++;
		ref_a.cnt[62][0]++;
		ref_a.cnt[63][1]++;
		ref_a.cnt[65][3]++;
		ref_a.cnt[66][4]++;
		ref_a.cnt[67][5]++;
		if (n % 6 == 0)
			CU_ASSERT(check_against(acc, &ref_a));
	}
	buf[0] = KBS_FORMAT_VERSION;
	buf[1] = KBS_LAYOUT_SPARSE;
	buf[2] = 5, buf[3] = 0, buf[4] = 7;
	buf[5] = 6, buf[6] = 0, buf[7] = 0;
	buf[8] = 7, buf[9] = 0, buf[10] = 3;
	CU_ASSERT_TRUE(kbs_accum_add_profile(acc, buf, 11));
	ref_a.members++;
	ref_a.cnt[7][2]++;
	CU_ASSERT(check_against(acc, &ref_a));
	kbs_accum_destroy(acc);
	CU_ASSERT_EQUAL(h.live, 0);
}

/*
 * Allocation: none for rows inside the range, failures leave the state
 * intact, and everything is freed.
 */
static void
test_allocation(void)
{
	test_heap h = {0};
	kbs_allocator a = {heap_alloc, heap_free, &h};
	kbs_accum *acc;
	const uint8_t *buf;
	size_t len;
	void *block;
	long calls;
	int i, n;

	h.fail_all = true;
	CU_ASSERT_PTR_NULL(kbs_accum_create(&a));
	h.fail_all = false;
	kbs_accum_destroy(NULL);

	test_rng_state = 0x632BE59BD9B4E019ull;
	acc = new_accum(&h);
	ref_clear(&ref_a);
	/* a wide profile first: later rows inside its range never allocate */
	n = random_run(pbuf, 1000, 2000, 100);
	buf = stored(pbuf, n, &len, &block, NULL);
	CU_ASSERT_FATAL(kbs_accum_add_profile(acc, buf, len));
	ref_add_stored(&ref_a, buf, len);
	free(block);
	/* a sparse row inside the range brings the plain counters */
	pbuf[0].id = 1500;
	pbuf[0].code = KBS_CODE_NA;
	pbuf[1].id = 2999;
	pbuf[1].code = 5;
	buf = stored(pbuf, 2, &len, &block, NULL);
	CU_ASSERT_FATAL(kbs_accum_add_profile(acc, buf, len));
	ref_add_stored(&ref_a, buf, len);
	free(block);
	calls = h.calls;
	for (i = 0; i < 3000; i++)
	{
		unsigned base = test_rnd_between(1024, 2800);

		n = random_run(pbuf, base, test_rnd_between(1, 200), 100);
		buf = stored(pbuf, n, &len, &block, NULL);
		CU_ASSERT_FATAL(kbs_accum_add_profile(acc, buf, len));
		ref_add_stored(&ref_a, buf, len);
		free(block);
		(void) kbs_accum_count_entries(acc);
	}
	CU_ASSERT_EQUAL(h.calls, calls);
	CU_ASSERT(check_against(acc, &ref_a));

	/* growth below and above fails cleanly (either allocation), then works */
	for (i = 0; i < 2; i++)
	{
		n = random_run(pbuf, i == 0 ? 1 : 32000, 300, 100);
		buf = stored(pbuf, n, &len, &block, NULL);
		h.fail_at = h.calls + 1;
		CU_ASSERT_FALSE(kbs_accum_add_profile(acc, buf, len));
		CU_ASSERT_EQUAL(kbs_accum_last_error(acc), KBS_ERR_NOMEM);
		h.fail_at = h.calls + 2;
		CU_ASSERT_FALSE(kbs_accum_add_profile(acc, buf, len));
		CU_ASSERT_EQUAL(kbs_accum_last_error(acc), KBS_ERR_NOMEM);
		CU_ASSERT(check_against(acc, &ref_a));
		CU_ASSERT_TRUE(kbs_accum_add_profile(acc, buf, len));
		ref_add_stored(&ref_a, buf, len);
		free(block);
	}
	CU_ASSERT(check_against(acc, &ref_a));

	/* the plain counters are allocated on first need: a sparse row */
	kbs_accum_destroy(acc);
	acc = new_accum(&h);
	ref_clear(&ref_a);
	n = random_run(pbuf, 500, 100, 100);
	buf = stored(pbuf, n, &len, &block, NULL);
	for (i = 0; i < 10; i++)
	{
		CU_ASSERT_TRUE(kbs_accum_add_profile(acc, buf, len));
		ref_add_stored(&ref_a, buf, len);
	}
	free(block);
	pbuf[0].id = 510;
	pbuf[0].code = 2;
	buf = stored(pbuf, 1, &len, &block, NULL);
	h.fail_at = h.calls + 1;
	CU_ASSERT_FALSE(kbs_accum_add_profile(acc, buf, len));
	CU_ASSERT_EQUAL(kbs_accum_last_error(acc), KBS_ERR_NOMEM);
	CU_ASSERT(check_against(acc, &ref_a));
	CU_ASSERT_TRUE(kbs_accum_add_profile(acc, buf, len));
	ref_add_stored(&ref_a, buf, len);
	free(block);
	CU_ASSERT(check_against(acc, &ref_a));

	/* the 256th dense row flushes into plain counters it must allocate */
	kbs_accum_destroy(acc);
	acc = new_accum(&h);
	ref_clear(&ref_a);
	n = random_run(pbuf, 700, 150, 100);
	buf = stored(pbuf, n, &len, &block, NULL);
	for (i = 0; i < 255; i++)
	{
		CU_ASSERT_TRUE(kbs_accum_add_profile(acc, buf, len));
		ref_add_stored(&ref_a, buf, len);
	}
	calls = h.calls;
	CU_ASSERT(check_against(acc, &ref_a));
	CU_ASSERT_EQUAL(h.calls, calls);
	h.fail_at = h.calls + 1;
	CU_ASSERT_FALSE(kbs_accum_add_profile(acc, buf, len));
	CU_ASSERT_EQUAL(kbs_accum_last_error(acc), KBS_ERR_NOMEM);
	CU_ASSERT(check_against(acc, &ref_a));
	CU_ASSERT_TRUE(kbs_accum_add_profile(acc, buf, len));
	ref_add_stored(&ref_a, buf, len);
	CU_ASSERT_EQUAL(h.calls, calls + 2);
	free(block);
	CU_ASSERT(check_against(acc, &ref_a));

	/* merge and add_coverage that need memory */
	{
		kbs_accum *other = new_accum(&h);
		kbs_centry e;

		memset(&e, 0, sizeof(e));
		e.id = 20000;
		e.cnt[3] = 4;
		h.fail_at = h.calls + 1;
		CU_ASSERT_FALSE(kbs_accum_add_coverage(other, &e, 1, 4));
		CU_ASSERT_EQUAL(kbs_accum_last_error(other), KBS_ERR_NOMEM);
		CU_ASSERT_EQUAL(kbs_accum_members(other), 0);
		CU_ASSERT_TRUE(kbs_accum_add_coverage(other, &e, 1, 4));
		h.fail_at = h.calls + 1;
		CU_ASSERT_FALSE(kbs_accum_merge(acc, other));
		CU_ASSERT_EQUAL(kbs_accum_last_error(acc), KBS_ERR_NOMEM);
		CU_ASSERT(check_against(acc, &ref_a));
		CU_ASSERT_TRUE(kbs_accum_merge(acc, other));
		ref_a.members += 4;
		ref_a.cnt[20000][3] += 4;
		CU_ASSERT(check_against(acc, &ref_a));
		kbs_accum_destroy(other);
	}
	kbs_accum_destroy(acc);
	CU_ASSERT_EQUAL(h.live, 0);
}

/* The glue's pattern for an empty group and for NULL-only groups. */
static void
test_empty_and_null_members(void)
{
	test_heap h = {0};
	kbs_accum *acc = new_accum(&h);
	uint8_t empty[2];
	int i;

	CU_ASSERT_EQUAL(kbs_accum_count_entries(acc), 0);
	CU_ASSERT_EQUAL(kbs_accum_result(acc, got), 0);
	CU_ASSERT_EQUAL(kbs_accum_members(acc), 0);
	kbs_profile_store(pbuf, 0, empty);
	CU_ASSERT_EQUAL(kbs_profile_storage_size(pbuf, 0), sizeof(empty));
	for (i = 0; i < 600; i++)
	{
		CU_ASSERT_TRUE(kbs_accum_add_profile(acc, NULL, 0));
		CU_ASSERT_TRUE(kbs_accum_add_profile(acc, empty, sizeof(empty)));
	}
	CU_ASSERT_EQUAL(kbs_accum_count_entries(acc), 0);
	CU_ASSERT_EQUAL(kbs_accum_result(acc, got), 0);
	CU_ASSERT_EQUAL(kbs_accum_members(acc), 1200);
	CU_ASSERT_EQUAL(h.calls, 1); /* the state itself only */
	kbs_accum_destroy(acc);
	CU_ASSERT_EQUAL(h.live, 0);
}

/* ------------------------------------------------------------------ */
/* Stored coverages: kbs_accum_add_stored                              */
/* ------------------------------------------------------------------ */

#define COV_HDR 7

static void
put_le(uint8_t *p, unsigned w, uint32_t v)
{
	unsigned i;

	for (i = 0; i < w; i++)
		p[i] = (uint8_t) (v >> (8 * i));
}

static uint32_t
get_le(const uint8_t *p, unsigned w)
{
	uint32_t v = 0;
	unsigned i;

	for (i = w; i > 0; i--)
		v = (v << 8) | p[i - 1];
	return v;
}

/* Size of e in width w and layout (dense needs n >= 1). */
static size_t
cov_size(const kbs_centry *e, int n, unsigned w, int layout)
{
	if (layout == KBS_LAYOUT_SPARSE)
		return COV_HDR + 2 + (size_t) n * (2 + KBS_NCOUNTS * w);
	return COV_HDR + 4 + ((size_t) e[n - 1].id - e[0].id + 1) * KBS_NCOUNTS * w;
}

/*
 * The storage format in any width and layout, canonical or not (the test's
 * own writer, byte by byte).
 */
static void
encode_cov(const kbs_centry *e, int n, uint32_t members, unsigned w, int layout, uint8_t *out)
{
	int i, k;

	out[0] = KBS_FORMAT_VERSION;
	out[1] = (uint8_t) w;
	out[2] = (uint8_t) layout;
	put_le(out + 3, 4, members);
	if (layout == KBS_LAYOUT_SPARSE)
	{
		uint8_t *ids = out + COV_HDR + 2;
		uint8_t *cnts = ids + 2 * (size_t) n;

		put_le(out + COV_HDR, 2, (uint32_t) n);
		for (i = 0; i < n; i++)
		{
			put_le(ids + 2 * (size_t) i, 2, e[i].id);
			for (k = 0; k < KBS_NCOUNTS; k++)
				put_le(cnts + ((size_t) i * KBS_NCOUNTS + k) * w, w, e[i].cnt[k]);
		}
	}
	else
	{
		unsigned base = e[0].id, span = (unsigned) e[n - 1].id - base + 1;
		uint8_t *cnts = out + COV_HDR + 4;

		put_le(out + COV_HDR, 2, base);
		put_le(out + COV_HDR + 2, 2, span);
		memset(cnts, 0, (size_t) span * KBS_NCOUNTS * w);
		for (i = 0; i < n; i++)
			for (k = 0; k < KBS_NCOUNTS; k++)
				put_le(cnts + (((size_t) e[i].id - base) * KBS_NCOUNTS + k) * w, w, e[i].cnt[k]);
	}
}

/* A copy of len bytes at a random misalignment, ending at its allocation's end. */
static uint8_t *
misaligned_copy(const uint8_t *buf, size_t len, void **block)
{
	size_t off = test_rnd_between(0, 7);
	uint8_t *p = malloc(len + off + 1);

	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	if (len > 0)
		memcpy(p + off, buf, len);
	*block = p;
	return p + off;
}

/*
 * The rules kbs_accum_add_stored checks, written out plainly: adds buf to r
 * and returns true, or returns false with r untouched.
 */
static bool
ref_add_coverage_bytes(ref_cov *r, const uint8_t *buf, size_t len)
{
	unsigned w, i, k;
	uint32_t members;
	size_t n, j;
	const uint8_t *cnts;
	unsigned ids[KBS_MAX_ENTRIES];

	if (len < COV_HDR || buf[0] != KBS_FORMAT_VERSION)
		return false;
	w = buf[1];
	if (w != 1 && w != 2 && w != 4)
		return false;
	members = get_le(buf + 3, 4);
	if (members > KBS_MAX_MEMBERS)
		return false;
	if (buf[2] == KBS_LAYOUT_SPARSE)
	{
		if (len < COV_HDR + 2)
			return false;
		n = get_le(buf + COV_HDR, 2);
		if (len != COV_HDR + 2 + n * (2 + KBS_NCOUNTS * w))
			return false;
		for (j = 0; j < n; j++)
		{
			ids[j] = get_le(buf + COV_HDR + 2 + 2 * j, 2);
			if (ids[j] < 1 || ids[j] > KBS_MAX_BLOCK_ID || (j > 0 && ids[j] <= ids[j - 1]))
				return false;
		}
		cnts = buf + COV_HDR + 2 + 2 * n;
	}
	else if (buf[2] == KBS_LAYOUT_DENSE)
	{
		unsigned base, span;

		if (len < COV_HDR + 4)
			return false;
		base = get_le(buf + COV_HDR, 2);
		span = get_le(buf + COV_HDR + 2, 2);
		if (base < 1 || span < 1 || base + span - 1 > KBS_MAX_BLOCK_ID)
			return false;
		if (len != COV_HDR + 4 + (size_t) span * KBS_NCOUNTS * w)
			return false;
		n = span;
		for (j = 0; j < n; j++)
			ids[j] = base + (unsigned) j;
		cnts = buf + COV_HDR + 4;
	}
	else
		return false;
	for (j = 0; j < n; j++)
	{
		uint64_t sum = 0;

		for (k = 0; k < KBS_NCOUNTS; k++)
			sum += get_le(cnts + (j * KBS_NCOUNTS + k) * w, w);
		if (sum > members)
			return false;
	}
	if (r->members + members > KBS_MAX_MEMBERS)
		return false;
	for (j = 0; j < n; j++)
		for (i = 0; i < KBS_NCOUNTS; i++)
			r->cnt[ids[j]][i] += get_le(cnts + (j * KBS_NCOUNTS + i) * w, w);
	r->members += members;
	return true;
}

/*
 * A random valid coverage: a run of blocks (stored dense when canonical) or
 * scattered ones (sparse), counts below maxcount, members at least every
 * entry's sum. No all-zero entry unless allow_zero.
 */
static int
random_coverage(kbs_centry *e, uint32_t *members, uint32_t maxcount, bool run, bool allow_zero)
{
	static uint8_t used[NIDS];
	int n = 0, want, i, k;
	uint32_t m;

	m = test_chance(10) ? 0 : test_rnd_between(1, maxcount);
	if (test_chance(30) && m < KBS_MAX_MEMBERS / 8)
		m = test_rnd_between(m, m * 6 + 5 > KBS_MAX_MEMBERS ? KBS_MAX_MEMBERS : m * 6 + 5);
	*members = m;
	if (m == 0 && !allow_zero)
		return 0;
	if (run)
	{
		unsigned span = test_chance(10) ? test_rnd_between(1, 1500) : test_rnd_between(1, 300);
		unsigned base = test_chance(20) ? test_rnd_between(1, 200) : test_rnd_between(1, KBS_MAX_BLOCK_ID);
		unsigned density = test_chance(30) ? 100 : test_rnd_between(60, 100);

		if (base + span - 1 > KBS_MAX_BLOCK_ID)
			span = KBS_MAX_BLOCK_ID - base + 1;
		for (i = 0; i < (int) span; i++)
			if (i == 0 || i == (int) span - 1 || test_chance(density))
				e[n++].id = (uint16_t) (base + (unsigned) i);
	}
	else
	{
		kbs_error err;
		kbs_pentry p[40];
		int np = 0;

		want = (int) test_rnd_between(0, 40);
		memset(used, 0, sizeof(used));
		for (i = 0; i < want; i++)
		{
			unsigned id = test_chance(80) ? test_rnd_between(1, KBS_MAX_BLOCK_ID) : (test_chance(50) ? 1 : KBS_MAX_BLOCK_ID);

			if (used[id])
				continue;
			used[id] = 1;
			p[np].id = (uint16_t) id;
			p[np].code = 1;
			np++;
		}
		np = kbs_profile_normalize(p, np, &err); /* sorts */
		CU_ASSERT_FATAL(np >= 0);
		for (i = 0; i < np; i++)
			e[n++].id = p[i].id;
	}
	for (i = 0; i < n; i++)
	{
		uint32_t left = m, cap = maxcount < m ? maxcount : m;
		uint64_t sum = 0;

		for (k = 0; k < KBS_NCOUNTS; k++)
		{
			uint32_t c = 0;

			if (left > 0 && test_chance(70))
				c = test_rnd_between(0, left < cap ? left : cap);
			if (test_chance(5))
				c = left < cap ? left : cap; /* the largest: sums reach members */
			e[i].cnt[k] = c;
			left -= c;
			sum += c;
		}
		if (sum == 0 && !allow_zero)
			e[i].cnt[test_rnd_between(0, KBS_NCOUNTS - 1)] = 1; /* m >= 1 here */
	}
	return n;
}

/*
 * add_stored of kbs_coverage_store's bytes equals add_coverage of the loaded
 * coverage, for every width and both layouts; the stored coverages land in
 * accumulators that also hold dense and sparse rows.
 */
static void
test_add_stored_canonical(void)
{
	static const uint32_t maxcounts[] = {3, 255, 256, 65535, 65536, 300000};
	test_heap h = {0};
	kbs_accum *via_stored = new_accum(&h), *via_cov = new_accum(&h);
	int seen[5][2];
	int i, wi, li;

	memset(seen, 0, sizeof(seen));
	test_rng_state = 0x3C6EF372FE94F82Bull;
	ref_clear(&ref_a);
	for (i = 0; i < 1500; i++)
	{
		uint32_t members, lmembers;
		uint32_t maxcount = maxcounts[test_rnd_between(0, 5)];
		int n = random_coverage(cov1, &members, maxcount, test_chance(50), false);
		size_t len = kbs_coverage_storage_size(cov1, n, members);
		uint8_t *buf = malloc(len);
		const uint8_t *at;
		void *block;
		kbs_error err;
		int m;

		CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
		kbs_coverage_store(cov1, n, members, buf);
		m = kbs_coverage_load(buf, len, cov2, &lmembers, &err);
		CU_ASSERT_FATAL(m == n && lmembers == members);
		seen[buf[1]][buf[2]]++;
		at = misaligned_copy(buf, len, &block);
		CU_ASSERT_FATAL(kbs_accum_add_stored(via_stored, at, len));
		CU_ASSERT_FATAL(kbs_accum_add_coverage(via_cov, cov2, m, lmembers));
		CU_ASSERT_FATAL(ref_add_coverage_bytes(&ref_a, buf, len));
		free(block);
		free(buf);
		if (test_chance(20))
		{
			/* rows in between: buffered slots, vertical counters, plain counters */
			gen_kind kind = test_chance(70) ? GEN_DENSE : GEN_SPARSE;
			const uint8_t *pb;
			size_t plen;
			void *pblock;
			int np = random_profile(pbuf, kind);

			pb = stored(pbuf, np, &plen, &pblock, NULL);
			CU_ASSERT_FATAL(kbs_accum_add_profile(via_stored, pb, plen));
			CU_ASSERT_FATAL(kbs_accum_add_profile(via_cov, pb, plen));
			ref_add_stored(&ref_a, pb, plen);
			free(pblock);
		}
		if (i % 250 == 0 || i < 10)
		{
			CU_ASSERT_FATAL(check_against(via_stored, &ref_a));
			CU_ASSERT_FATAL(check_against(via_cov, &ref_a));
		}
	}
	CU_ASSERT(check_against(via_stored, &ref_a));
	CU_ASSERT(check_against(via_cov, &ref_a));
	for (wi = 1; wi <= 4; wi *= 2)
		for (li = 0; li < 2; li++)
		{
			if (seen[wi][li] < 20)
				fprintf(stderr, "\n    width %d layout %d: %d\n", wi, li, seen[wi][li]);
			CU_ASSERT(seen[wi][li] >= 20);
		}
	CU_ASSERT_EQUAL(kbs_accum_last_error(via_stored), KBS_OK);
	kbs_accum_destroy(via_stored);
	kbs_accum_destroy(via_cov);
	CU_ASSERT_EQUAL(h.live, 0);
}

/*
 * Every width and layout written out, canonical or not (wider counts than
 * needed, the larger layout, all-zero entries): each adds what its entries
 * say. A fresh accumulator per coverage too, as the combine step starts.
 */
static void
test_add_stored_any_encoding(void)
{
	static const uint32_t maxcounts[] = {255, 65535, 300000};
	test_heap h = {0};
	kbs_accum *via_stored = new_accum(&h), *via_cov = new_accum(&h);
	uint8_t *buf = malloc(COV_HDR + 4 + (size_t) KBS_MAX_BLOCK_ID * KBS_NCOUNTS * 4);
	int i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
	test_rng_state = 0xA54FF53A5F1D36F1ull;
	ref_clear(&ref_a);
	for (i = 0; i < 1200; i++)
	{
		int cls = (int) test_rnd_between(0, 2), layout, n, m;
		unsigned w = cls == 0 ? 1u << test_rnd_between(0, 2) : cls == 1 ? 2u << test_rnd_between(0, 1) : 4u;
		uint32_t members;
		size_t len;
		const uint8_t *at;
		void *block;
		kbs_accum *fresh;

		n = random_coverage(cov1, &members, maxcounts[cls], test_chance(50), true);
		layout = n > 0 && test_chance(50) ? KBS_LAYOUT_DENSE : KBS_LAYOUT_SPARSE;
		len = cov_size(cov1, n, w, layout);
		encode_cov(cov1, n, members, w, layout, buf);
		if (test_chance(2) && layout == KBS_LAYOUT_SPARSE && n > 0)
		{
			/* the test's writer agrees with kbs_coverage_store where both apply */
			uint8_t *canon = malloc(kbs_coverage_storage_size(cov1, n, members));

			CU_ASSERT_PTR_NOT_NULL_FATAL(canon);
			kbs_coverage_store(cov1, n, members, canon);
			if (canon[1] == w && canon[2] == layout)
				CU_ASSERT(memcmp(canon, buf, len) == 0);
			free(canon);
		}
		at = misaligned_copy(buf, len, &block);
		CU_ASSERT_FATAL(kbs_accum_add_stored(via_stored, at, len));
		CU_ASSERT_FATAL(kbs_accum_add_coverage(via_cov, cov1, n, members));
		CU_ASSERT_FATAL(ref_add_coverage_bytes(&ref_a, buf, len));

		fresh = new_accum(&h);
		CU_ASSERT_FATAL(kbs_accum_add_stored(fresh, at, len));
		m = kbs_accum_result(fresh, got);
		{
			int j, nz = 0;

			for (j = 0; j < n; j++)
			{
				kbs_centry t = cov1[j];
				uint64_t sum = (uint64_t) t.cnt[0] + t.cnt[1] + t.cnt[2] + t.cnt[3] + t.cnt[4] + t.cnt[5];

				if (sum > 0)
					cov2[nz++] = t;
			}
			CU_ASSERT_FATAL(test_coverage_equal(got, m, cov2, nz));
			CU_ASSERT_EQUAL(kbs_accum_count_entries(fresh), nz);
			CU_ASSERT(kbs_accum_entries_bound(fresh) >= nz);
			CU_ASSERT_EQUAL(kbs_accum_members(fresh), members);
		}
		kbs_accum_destroy(fresh);
		free(block);
		if (i % 200 == 0)
			CU_ASSERT_FATAL(check_against(via_stored, &ref_a));
	}
	CU_ASSERT(check_against(via_stored, &ref_a));
	CU_ASSERT(check_against(via_cov, &ref_a));
	free(buf);
	kbs_accum_destroy(via_stored);
	kbs_accum_destroy(via_cov);
	CU_ASSERT_EQUAL(h.live, 0);
}

/* Refused stored coverages leave the state (and the allocator) alone. */
static bool
refused(kbs_accum *acc, test_heap *h, const uint8_t *buf, size_t len)
{
	long calls = h->calls;
	uint32_t members = kbs_accum_members(acc);
	bool ok = !kbs_accum_add_stored(acc, buf, len) &&
		kbs_accum_last_error(acc) == KBS_ERR_VALUE &&
		h->calls == calls && kbs_accum_members(acc) == members;

	return ok && check_against(acc, &ref_a);
}

/* Truncated, garbled and over-member buffers are refused, state kept. */
static void
test_add_stored_rejects(void)
{
	test_heap h = {0};
	kbs_accum *acc = new_accum(&h);
	uint8_t *buf = malloc(COV_HDR + 4 + 400 * KBS_NCOUNTS * 4), *at;
	size_t len, cut;
	void *block;
	kbs_centry e[3];
	unsigned w;
	int i, layout, accepted = 0, rejected = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
	test_rng_state = 0x510E527FADE682D1ull;
	ref_clear(&ref_a);
	/* some state first: dense rows and a stored coverage */
	for (i = 0; i < 30; i++)
		add_random(acc, &ref_a, GEN_DENSE);
	memset(e, 0, sizeof(e));
	e[0].id = 70;
	e[0].cnt[0] = 2;
	e[1].id = 71;
	e[1].cnt[5] = 1;
	e[2].id = 130;
	e[2].cnt[1] = 1;
	e[2].cnt[4] = 2;
	encode_cov(e, 3, 3, 1, KBS_LAYOUT_DENSE, buf);
	len = cov_size(e, 3, 1, KBS_LAYOUT_DENSE);
	CU_ASSERT_FATAL(kbs_accum_add_stored(acc, buf, len));
	CU_ASSERT_FATAL(ref_add_coverage_bytes(&ref_a, buf, len));
	CU_ASSERT(check_against(acc, &ref_a));

	/* NULL, empty, header only */
	CU_ASSERT(refused(acc, &h, NULL, 0));
	CU_ASSERT(refused(acc, &h, buf, 0));
	for (w = 1; w <= 4; w *= 2)
	{
		for (layout = 0; layout < 2; layout++)
		{
			/* every truncation and one byte too many */
			encode_cov(e, 3, 3, w, layout, buf);
			len = cov_size(e, 3, w, layout);
			for (cut = 0; cut < len; cut++)
			{
				at = misaligned_copy(buf, cut, &block);
				CU_ASSERT_FATAL(refused(acc, &h, at, cut));
				free(block);
			}
			buf[len] = 0;
			at = misaligned_copy(buf, len + 1, &block);
			CU_ASSERT_FATAL(refused(acc, &h, at, len + 1));
			free(block);
			/* header fields */
			buf[0] = 2;
			CU_ASSERT(refused(acc, &h, buf, len));
			buf[0] = KBS_FORMAT_VERSION;
			buf[1] = 3;
			CU_ASSERT(refused(acc, &h, buf, len));
			buf[1] = 0;
			CU_ASSERT(refused(acc, &h, buf, len));
			buf[1] = (uint8_t) w;
			buf[2] = 2;
			CU_ASSERT(refused(acc, &h, buf, len));
			buf[2] = (uint8_t) layout;
			put_le(buf + 3, 4, KBS_MAX_MEMBERS + 1u);
			CU_ASSERT(refused(acc, &h, buf, len));
			put_le(buf + 3, 4, 2); /* block 130 has 3 */
			CU_ASSERT(refused(acc, &h, buf, len));
			put_le(buf + 3, 4, 3);
			if (layout == KBS_LAYOUT_DENSE)
			{
				put_le(buf + COV_HDR, 2, 0); /* base 0 */
				CU_ASSERT(refused(acc, &h, buf, len));
				put_le(buf + COV_HDR, 2, KBS_MAX_BLOCK_ID - 59); /* past 32767 */
				CU_ASSERT(refused(acc, &h, buf, len));
				put_le(buf + COV_HDR, 2, 70);
				put_le(buf + COV_HDR + 2, 2, 0); /* span 0 */
				CU_ASSERT(refused(acc, &h, buf, COV_HDR + 4));
				put_le(buf + COV_HDR + 2, 2, 60); /* span and size disagree */
				CU_ASSERT(refused(acc, &h, buf, len));
				put_le(buf + COV_HDR + 2, 2, 61);
			}
			else
			{
				uint8_t *ids = buf + COV_HDR + 2;

				put_le(buf + COV_HDR, 2, 2); /* n and size disagree */
				CU_ASSERT(refused(acc, &h, buf, len));
				put_le(buf + COV_HDR, 2, 4);
				CU_ASSERT(refused(acc, &h, buf, len));
				put_le(buf + COV_HDR, 2, 3);
				put_le(ids, 2, 71); /* duplicate */
				CU_ASSERT(refused(acc, &h, buf, len));
				put_le(ids, 2, 72); /* descending */
				CU_ASSERT(refused(acc, &h, buf, len));
				put_le(ids, 2, 0); /* id 0 */
				CU_ASSERT(refused(acc, &h, buf, len));
				put_le(ids, 2, 70);
				put_le(ids + 4, 2, KBS_MAX_BLOCK_ID + 1); /* past 32767 */
				CU_ASSERT(refused(acc, &h, buf, len));
				put_le(ids + 4, 2, 0xFFFF);
				CU_ASSERT(refused(acc, &h, buf, len));
				put_le(ids + 4, 2, 130);
			}
			/* intact again: accepted */
			CU_ASSERT_FATAL(kbs_accum_add_stored(acc, buf, len));
			CU_ASSERT_FATAL(ref_add_coverage_bytes(&ref_a, buf, len));
			CU_ASSERT(check_against(acc, &ref_a));
		}
	}

	/*
	 * Counts over members at the first, a middle and the last block, for
	 * each width (the last block is the 1-byte check's tail), and sums just
	 * at members: six counts of 255 need 1530 members.
	 */
	for (w = 1; w <= 4; w *= 2)
	{
		int at_block;

		for (at_block = 0; at_block < 3; at_block++)
		{
			uint32_t big = w == 1 ? 255 : w == 2 ? 65535 : 100000;
			int k;

			for (layout = 0; layout < 2; layout++)
			{
				memset(cov1, 0, sizeof(cov1[0]) * 40);
				for (i = 0; i < 40; i++)
				{
					cov1[i].id = (uint16_t) (1000 + 2 * i);
					cov1[i].cnt[i % KBS_NCOUNTS] = 1;
				}
				i = at_block == 0 ? 0 : at_block == 1 ? 17 : 39;
				for (k = 0; k < KBS_NCOUNTS; k++)
					cov1[i].cnt[k] = big;
				encode_cov(cov1, 40, 6 * big - 1, w, layout, buf);
				len = cov_size(cov1, 40, w, layout);
				at = misaligned_copy(buf, len, &block);
				CU_ASSERT(refused(acc, &h, at, len));
				put_le(at + 3, 4, 6 * big);
				CU_ASSERT_FATAL(kbs_accum_add_stored(acc, at, len));
				CU_ASSERT_FATAL(ref_add_coverage_bytes(&ref_a, at, len));
				free(block);
			}
		}
	}
	CU_ASSERT(check_against(acc, &ref_a));

	/* random damage: refused exactly when the plain rules refuse it */
	for (i = 0; i < 4000; i++)
	{
		uint32_t members, maxcount = test_chance(60) ? 40 : 70000;
		int n = random_coverage(cov1, &members, maxcount, test_chance(50), true);
		int damage = (int) test_rnd_between(1, 3), d;

		w = 1u << test_rnd_between(0, 2);
		layout = n > 0 && test_chance(50) ? KBS_LAYOUT_DENSE : KBS_LAYOUT_SPARSE;
		if (n > 0 && cov_size(cov1, n, w, layout) > COV_HDR + 4 + 400 * KBS_NCOUNTS * 4 - 8)
			layout = KBS_LAYOUT_SPARSE;
		if (n > 300)
			n = 300;
		len = cov_size(cov1, n, w, layout);
		encode_cov(cov1, n, members, w, layout, buf);
		for (d = 0; d < damage; d++)
		{
			/* one random number per statement: evaluation order is unspecified */
			uint32_t pos, val;

			switch (test_rnd_between(0, 7))
			{
				case 0: /* a byte of the header */
					pos = test_rnd_between(0, COV_HDR + 3);
					buf[pos] = (uint8_t) test_rnd();
					break;
				case 1: /* a bit anywhere */
					pos = test_rnd_between(0, (uint32_t) len - 1);
					buf[pos] ^= (uint8_t) (1u << test_rnd_between(0, 7));
					break;
				case 2: /* a count raised */
					if (len > COV_HDR + 4)
					{
						pos = test_rnd_between(COV_HDR + 4, (uint32_t) len - 1);
						val = test_rnd_between(1, 255);
						buf[pos] = (uint8_t) (buf[pos] + val);
					}
					break;
				case 3: /* members lowered */
					put_le(buf + 3, 4, get_le(buf + 3, 4) / 2);
					break;
				case 4: /* shorter or longer */
					len = test_chance(50) && len > 0 ? len - test_rnd_between(1, len < 8 ? (uint32_t) len : 8) : len + test_rnd_between(1, 3);
					break;
				default: /* nothing (some damage leaves a valid coverage too) */
					break;
			}
		}
		at = misaligned_copy(buf, len, &block);
		ref_b.members = 0; /* ref_b is scratch: it tells whether the bytes are valid */
		if (!ref_add_coverage_bytes(&ref_b, at, len))
		{
			CU_ASSERT_FATAL(refused(acc, &h, at, len));
			rejected++;
		}
		else if (ref_a.members + get_le(at + 3, 4) > KBS_MAX_MEMBERS)
		{
			/* a damaged member count can be valid but too many */
			uint32_t before = kbs_accum_members(acc);

			CU_ASSERT_FATAL(!kbs_accum_add_stored(acc, at, len));
			CU_ASSERT_EQUAL(kbs_accum_last_error(acc), KBS_ERR_RANGE);
			CU_ASSERT_EQUAL(kbs_accum_members(acc), before);
			rejected++;
		}
		else
		{
			CU_ASSERT_FATAL(kbs_accum_add_stored(acc, at, len));
			CU_ASSERT_FATAL(ref_add_coverage_bytes(&ref_a, at, len));
			accepted++;
		}
		free(block);
		if (i % 500 == 0)
			CU_ASSERT_FATAL(check_against(acc, &ref_a));
	}
	CU_ASSERT(accepted > 300);
	CU_ASSERT(rejected > 2000);
	CU_ASSERT(check_against(acc, &ref_a));
	free(buf);
	kbs_accum_destroy(acc);
	CU_ASSERT_EQUAL(h.live, 0);
}

/* Member overflow, allocation failures, and what comes after add_stored. */
static void
test_add_stored_limits(void)
{
	test_heap h = {0};
	kbs_accum *acc = new_accum(&h);
	uint8_t buf[64];
	size_t len;
	kbs_centry e;
	const uint8_t *pb;
	size_t plen;
	void *pblock;
	long calls;
	int n, i;

	/* reaching KBS_MAX_MEMBERS exactly, then one more overflows */
	memset(&e, 0, sizeof(e));
	e.id = KBS_MAX_BLOCK_ID;
	e.cnt[KBS_CNT_NA] = KBS_MAX_MEMBERS - 1;
	encode_cov(&e, 1, KBS_MAX_MEMBERS - 1, 4, KBS_LAYOUT_SPARSE, buf);
	len = cov_size(&e, 1, 4, KBS_LAYOUT_SPARSE);
	CU_ASSERT_FATAL(kbs_accum_add_stored(acc, buf, len));
	encode_cov(&e, 0, 2, 1, KBS_LAYOUT_SPARSE, buf);
	CU_ASSERT_FALSE(kbs_accum_add_stored(acc, buf, COV_HDR + 2));
	CU_ASSERT_EQUAL(kbs_accum_last_error(acc), KBS_ERR_RANGE);
	CU_ASSERT_EQUAL(kbs_accum_members(acc), KBS_MAX_MEMBERS - 1);
	e.cnt[KBS_CNT_NA] = 1;
	encode_cov(&e, 1, 1, 1, KBS_LAYOUT_DENSE, buf);
	len = cov_size(&e, 1, 1, KBS_LAYOUT_DENSE);
	CU_ASSERT_TRUE(kbs_accum_add_stored(acc, buf, len));
	CU_ASSERT_EQUAL(kbs_accum_members(acc), KBS_MAX_MEMBERS);
	CU_ASSERT_FALSE(kbs_accum_add_stored(acc, buf, len));
	CU_ASSERT_EQUAL(kbs_accum_last_error(acc), KBS_ERR_RANGE);
	encode_cov(&e, 0, 0, 1, KBS_LAYOUT_SPARSE, buf);
	CU_ASSERT_TRUE(kbs_accum_add_stored(acc, buf, COV_HDR + 2)); /* 0 members */
	n = kbs_accum_result(acc, got);
	CU_ASSERT_EQUAL_FATAL(n, 1);
	CU_ASSERT_EQUAL(got[0].id, KBS_MAX_BLOCK_ID);
	CU_ASSERT_EQUAL(got[0].cnt[KBS_CNT_NA], KBS_MAX_MEMBERS);
	CU_ASSERT_EQUAL(kbs_accum_members(acc), KBS_MAX_MEMBERS);
	kbs_accum_destroy(acc);

	/* allocation: the plain counters only, failures change nothing */
	test_rng_state = 0x9B05688C2B3E6C1Full;
	acc = new_accum(&h);
	ref_clear(&ref_a);
	memset(&e, 0, sizeof(e));
	e.id = 500;
	e.cnt[2] = 3;
	encode_cov(&e, 1, 4, 1, KBS_LAYOUT_DENSE, buf);
	len = cov_size(&e, 1, 1, KBS_LAYOUT_DENSE);
	calls = h.calls;
	h.fail_at = h.calls + 1;
	CU_ASSERT_FALSE(kbs_accum_add_stored(acc, buf, len));
	CU_ASSERT_EQUAL(kbs_accum_last_error(acc), KBS_ERR_NOMEM);
	CU_ASSERT(check_against(acc, &ref_a));
	CU_ASSERT_TRUE(kbs_accum_add_stored(acc, buf, len));
	CU_ASSERT_EQUAL(h.calls, calls + 2); /* the failed one and the counters */
	CU_ASSERT_TRUE(ref_add_coverage_bytes(&ref_a, buf, len));
	calls = h.calls;
	for (i = 0; i < 100; i++)
	{
		CU_ASSERT_TRUE(kbs_accum_add_stored(acc, buf, len)); /* inside the range */
		CU_ASSERT_TRUE(ref_add_coverage_bytes(&ref_a, buf, len));
	}
	CU_ASSERT_EQUAL(h.calls, calls);
	CU_ASSERT(check_against(acc, &ref_a));
	/* growth that fails, then works */
	e.id = 20000;
	encode_cov(&e, 1, 4, 1, KBS_LAYOUT_DENSE, buf);
	h.fail_at = h.calls + 1;
	CU_ASSERT_FALSE(kbs_accum_add_stored(acc, buf, len));
	CU_ASSERT_EQUAL(kbs_accum_last_error(acc), KBS_ERR_NOMEM);
	CU_ASSERT(check_against(acc, &ref_a));
	CU_ASSERT_TRUE(kbs_accum_add_stored(acc, buf, len));
	CU_ASSERT_TRUE(ref_add_coverage_bytes(&ref_a, buf, len));
	CU_ASSERT(check_against(acc, &ref_a));
	/* the first dense row after stored coverages needs its slots: failing, then working */
	n = random_run(pbuf, 480, 100, 100);
	pb = stored(pbuf, n, &plen, &pblock, NULL);
	h.fail_at = h.calls + 1;
	CU_ASSERT_FALSE(kbs_accum_add_profile(acc, pb, plen));
	CU_ASSERT_EQUAL(kbs_accum_last_error(acc), KBS_ERR_NOMEM);
	CU_ASSERT(check_against(acc, &ref_a));
	for (i = 0; i < 300; i++) /* past a flush into the plain counters */
	{
		CU_ASSERT_FATAL(kbs_accum_add_profile(acc, pb, plen));
		ref_add_stored(&ref_a, pb, plen);
		if (i % 37 == 0)
		{
			CU_ASSERT_TRUE(kbs_accum_add_stored(acc, buf, len));
			CU_ASSERT_TRUE(ref_add_coverage_bytes(&ref_a, buf, len));
			CU_ASSERT_FATAL(check_against(acc, &ref_a));
		}
	}
	free(pblock);
	CU_ASSERT(check_against(acc, &ref_a));
	/* merging stored-only accumulators both ways */
	{
		kbs_accum *other = new_accum(&h);

		CU_ASSERT_TRUE(kbs_accum_add_stored(other, buf, len));
		CU_ASSERT_TRUE(kbs_accum_merge(other, acc));
		CU_ASSERT_TRUE(kbs_accum_merge(acc, other));
		memcpy(&ref_b, &ref_a, sizeof(ref_b));
		CU_ASSERT_TRUE(ref_add_coverage_bytes(&ref_b, buf, len));
		CU_ASSERT(check_against(other, &ref_b));
		ref_add_ref(&ref_a, &ref_b, 1);
		CU_ASSERT(check_against(acc, &ref_a));
		kbs_accum_destroy(other);
	}
	kbs_accum_destroy(acc);
	CU_ASSERT_EQUAL(h.live, 0);
}

int
kbs_register_accum_tests(void)
{
	static const test_case coverage_accumulator[] = {
		{"dense profiles vs plain counting", test_dense_random},
		{"sparse profiles vs plain counting", test_sparse_random},
		{"ids 1, 32767 and word edges vs plain counting", test_edges_random},
		{"mixed profiles vs plain counting", test_mixed_random},
		{"vs kbs_coverage_add_profile", test_against_add_profile},
		{"every base offset and span class", test_dense_alignment_sweep},
		{"full id range", test_full_range},
		{"flushes: 70,000 rows of one profile", test_flushes},
		{"window use: results between adds", test_window_use},
		{"add_coverage and merge equal adding the rows", test_add_coverage_and_merge},
		{"merge with buffered rows", test_merge_pending_rows},
		{"member overflow", test_member_overflow},
		{"invalid coverages and damaged buffers", test_rejects},
		{"allocation: none inside the range, failures", test_allocation},
		{"empty profiles and NULL members", test_empty_and_null_members},
		{"add_stored equals add_coverage of the loaded coverage", test_add_stored_canonical},
		{"add_stored: every width and layout, canonical or not", test_add_stored_any_encoding},
		{"add_stored: truncated, garbled, over-member buffers", test_add_stored_rejects},
		{"add_stored: member overflow and allocation", test_add_stored_limits},
		{NULL, NULL}
	};

	return test_add_suite("coverage accumulator", coverage_accumulator) ? -1 : 0;
}
