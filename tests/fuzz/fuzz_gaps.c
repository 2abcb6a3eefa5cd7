/*
 * fuzz_gaps.c — differential libFuzzer target for the gap arithmetic
 * (src/core/gaps.c): kbs_gaps, kbs_fulfilment, kbs_shortfall, kbs_gain,
 * kbs_compose and kbs_person_gaps.
 *
 * The input decodes into a coverage (any member count up to 2147483647,
 * counts adding up to at most it), a requirement (min_level 1..4,
 * min_members a number or every member, importance 1..3) and up to 12
 * candidate profiles (NULL, empty, levels, na; optionally the junk codes 0
 * and 7, which count as not assessed). Block ids come from a small pool so
 * the three overlap.
 *
 * The reference below recomputes everything from the definitions in
 * kbs_gaps.h with plain loops over a list of blocks: a census per
 * requirement entry (members, present, na, unassessed), a row from the
 * census, sums of rows, gain as shortfall(C) - shortfall(C + p) with C + p
 * built as a real coverage, and compose as the literal greedy loop. Any
 * difference aborts with "fuzz_gaps: reference mismatch ...".
 *
 * Input layout: byte 0 flags (bit 0: junk codes allowed), then the pool,
 * members, coverage entries, requirement entries, candidates and k; see
 * LLVMFuzzerTestOneInput. Missing bytes read as 0.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "kbs_gaps.h"

#define MAX_POOL 24  /* distinct block ids per input */
#define MAX_CAND 12

/* ------------------------------------------------------------------ */
/* Reference                                                           */
/* ------------------------------------------------------------------ */

/* A coverage as a plain list of blocks; one more member never needs a limit. */
typedef struct
{
	int id;
	int64_t cnt[KBS_NCOUNTS]; /* levels 0..4, na */
} ref_block;

typedef struct
{
	int64_t members;
	int n;
	ref_block b[MAX_POOL];
} ref_cov;

static const ref_block *
ref_find(const ref_cov *c, int id)
{
	int i;

	for (i = 0; i < c->n; i++)
		if (c->b[i].id == id)
			return &c->b[i];
	return NULL;
}

/* One more member with profile p: codes 1..6 count, anything else is not assessed. */
static void
ref_add_member(ref_cov *c, const kbs_pentry *p, int np)
{
	int i;

	c->members++;
	for (i = 0; i < np; i++)
	{
		ref_block *b = NULL;
		int j;

		if (p[i].code < 1 || p[i].code > 6)
			continue;
		for (j = 0; j < c->n; j++)
			if (c->b[j].id == p[i].id)
				b = &c->b[j];
		if (b == NULL)
		{
			if (c->n == MAX_POOL)
				abort(); /* ids come from the pool: cannot happen */
			b = &c->b[c->n++];
			memset(b, 0, sizeof(*b));
			b->id = p[i].id;
		}
		b->cnt[p[i].code - 1]++;
	}
}

/* What a coverage says about one requirement entry. */
typedef struct
{
	int64_t members;
	int64_t present;    /* a level >= min_level */
	int64_t na;
	int64_t unassessed; /* neither a level nor na on the block */
} ref_census;

static ref_census
ref_census_of(const ref_cov *c, const kbs_rentry *re)
{
	const ref_block *b = ref_find(c, re->id);
	ref_census cs;
	int k;

	cs.members = c->members;
	cs.present = 0;
	cs.na = 0;
	cs.unassessed = c->members;
	if (b != NULL)
	{
		for (k = re->min_level; k <= 4; k++)
			cs.present += b->cnt[k];
		cs.na = b->cnt[KBS_CNT_NA];
		for (k = 0; k < KBS_NCOUNTS; k++)
			cs.unassessed -= b->cnt[k];
	}
	return cs;
}

typedef struct
{
	int64_t needed, present, shortfall, spare;
	int64_t unassessed;
	const char *status;
} ref_row;

/*
 * The row of one entry from its census: a shortfall that the members not yet
 * assessed could still fill is "unknown", a larger one a "gap".
 */
static ref_row
ref_row_of(const kbs_rentry *re, const ref_census *cs)
{
	ref_row r;

	r.present = cs->present;
	r.unassessed = cs->unassessed > 0 ? cs->unassessed : 0;
	r.needed = re->min_members == KBS_MIN_MEMBERS_ALL ? cs->members - cs->na : (int64_t) re->min_members;
	r.shortfall = r.needed > r.present ? r.needed - r.present : 0;
	r.spare = r.present - r.needed;
	if (r.shortfall > r.unassessed)
		r.status = "gap";
	else if (r.shortfall > 0)
		r.status = "unknown";
	else if (re->min_members != KBS_MIN_MEMBERS_ALL && r.needed > 0 && r.spare == 0)
		r.status = "fragile";
	else
		r.status = "met";
	return r;
}

static int64_t
ref_shortfall(const ref_cov *c, const kbs_rentry *r, int nr)
{
	int64_t s = 0;
	int j;

	for (j = 0; j < nr; j++)
	{
		ref_census cs = ref_census_of(c, &r[j]);

		s += ref_row_of(&r[j], &cs).shortfall;
	}
	return s;
}

static double
ref_fulfilment(const ref_cov *c, const kbs_rentry *r, int nr)
{
	int64_t met = 0, needed = 0;
	int j;

	for (j = 0; j < nr; j++)
	{
		ref_census cs = ref_census_of(c, &r[j]);
		ref_row row = ref_row_of(&r[j], &cs);

		met += row.present < row.needed ? row.present : row.needed;
		needed += row.needed;
	}
	return needed == 0 ? 1.0 : (double) met / (double) needed;
}

/* shortfall(C) - shortfall(C + p), with C + p built. */
static int64_t
ref_gain(const ref_cov *c, const kbs_rentry *r, int nr, const kbs_pentry *p, int np)
{
	static ref_cov grown;

	grown = *c;
	ref_add_member(&grown, p, np);
	return ref_shortfall(c, r, nr) - ref_shortfall(&grown, r, nr);
}

/* The greedy loop as documented; out gets 1-based indices. */
static int
ref_compose(const ref_cov *c, const kbs_rentry *r, int nr,
			kbs_pentry cand[][MAX_POOL], const int *cand_n, int ncand, int k, int *out)
{
	static ref_cov team;
	bool picked[MAX_CAND] = {false};
	int npicked = 0;

	team = *c;
	while (npicked < k)
	{
		int best = -1, i;
		int64_t best_gain = 0;

		for (i = 0; i < ncand; i++)
		{
			int64_t g;

			if (picked[i])
				continue;
			g = ref_gain(&team, r, nr, cand[i], cand_n[i]);
			if (best < 0 || g > best_gain) /* ties keep the lowest index */
			{
				best = i;
				best_gain = g;
			}
		}
		if (best < 0 || best_gain <= 0)
			break;
		picked[best] = true;
		ref_add_member(&team, cand[best], cand_n[best]);
		out[npicked++] = best + 1;
	}
	return npicked;
}

/* ------------------------------------------------------------------ */
/* Decoding                                                            */
/* ------------------------------------------------------------------ */

static int pool[MAX_POOL], npool;
static bool junk_codes;

/* Pool ids: the first or last ids, next to the previous one, or anywhere. */
static int
dec_pool_id(input *in, int prev)
{
	unsigned b = in_u8(in);
	int id;

	switch (b >> 6)
	{
		case 0:
			id = 1 + (int) (b & 63);
			break;
		case 1:
			id = KBS_MAX_BLOCK_ID - (int) (b & 63);
			break;
		case 2:
			id = prev + 1 + (int) (b & 63);
			break;
		default:
			id = 1 + (int) (((b & 63) << 8 | in_u8(in)) % KBS_MAX_BLOCK_ID);
			break;
	}
	return id > KBS_MAX_BLOCK_ID ? KBS_MAX_BLOCK_ID : id;
}

static int
dec_pool_pick(input *in)
{
	return pool[in_u8(in) % (unsigned) npool];
}

/* Member counts: a team, near the largest, or anything. */
static uint32_t
dec_members(input *in)
{
	unsigned b = in_u8(in);

	if (b < 160)
		return b % 41;
	if (b < 224)
		return KBS_MAX_MEMBERS - (b & 63);
	return in_u32(in) % (KBS_MAX_MEMBERS + 1u);
}

/* A count of at most rem: small, all of rem, rem minus a little, or any. */
static uint32_t
dec_count(input *in, uint32_t rem)
{
	unsigned b = in_u8(in), small = b & 63;

	switch (b >> 6)
	{
		case 0:
			return small < rem ? small : rem;
		case 1:
			return rem;
		case 2:
			return small < rem ? rem - small : 0;
		default:
			return in_u32(in) % (rem + 1u);
	}
}

/* Profile code: levels 0..4, na, or 0 (no entry); junk 0 and 7 when allowed. */
static int
dec_code(input *in, bool *entry)
{
	static const uint8_t map[7] = {1, 2, 3, 4, 5, KBS_CODE_NA, 0};
	unsigned c = in_u8(in);

	*entry = true;
	if (junk_codes && c >= 0xFE)
		return c == 0xFF ? KBS_CODE_INVALID : KBS_CODE_ABSENT;
	*entry = map[c % 7] != 0;
	return map[c % 7];
}

/* at = index of key among the first n entries' ids, or -1. */
#define FIND_ID(arr, n, key, at) \
	do { \
		int fi_; \
		(at) = -1; \
		for (fi_ = 0; fi_ < (n); fi_++) \
			if ((arr)[fi_].id == (key)) \
			{ \
				(at) = fi_; \
				break; \
			} \
	} while (0)

/* Insertion sort by id: every value type keeps its entries in id order. */
#define SORT_BY_ID(arr, n, type) \
	do { \
		int si_, sj_; \
		for (si_ = 1; si_ < (n); si_++) \
		{ \
			type t_ = (arr)[si_]; \
			for (sj_ = si_; sj_ > 0 && (arr)[sj_ - 1].id > t_.id; sj_--) \
				(arr)[sj_] = (arr)[sj_ - 1]; \
			(arr)[sj_] = t_; \
		} \
	} while (0)

/* ------------------------------------------------------------------ */
/* The target                                                          */
/* ------------------------------------------------------------------ */

static void
check_gaps(const kbs_centry *c, int nc, uint32_t members, const ref_cov *rc,
		   const kbs_rentry *r, int nr)
{
	kbs_gap_row *rows = malloc(sizeof(kbs_gap_row) * (size_t) (nr > 0 ? nr : 1));
	int j;

	if (rows == NULL)
		abort();
	kbs_gaps(c, nc, members, r, nr, rows);
	for (j = 0; j < nr; j++)
	{
		ref_census cs = ref_census_of(rc, &r[j]);
		ref_row want = ref_row_of(&r[j], &cs);
		const kbs_gap_row *got = &rows[j];

		if (got->id != r[j].id || got->min_level != r[j].min_level ||
			got->importance != r[j].importance || got->min_members != r[j].min_members)
			mismatch("gaps row %d: entry fields (block %d, %d/%u@%d), requirement (block %d, %d/%u@%d)",
					 j, got->id, got->min_level, got->min_members, got->importance,
					 r[j].id, r[j].min_level, r[j].min_members, r[j].importance);
		if (got->needed != want.needed || got->present != want.present ||
			got->shortfall != want.shortfall || got->spare != want.spare ||
			got->unassessed != want.unassessed ||
			strcmp(kbs_status_name(got->status), want.status) != 0)
			mismatch("gaps row %d (block %d, min_level %d, min_members %u, %lld members): "
					 "needed %lld present %lld shortfall %lld spare %lld unassessed %lld status %s; "
					 "reference %lld %lld %lld %lld %lld %s",
					 j, r[j].id, r[j].min_level, r[j].min_members, (long long) members,
					 (long long) got->needed, (long long) got->present, (long long) got->shortfall,
					 (long long) got->spare, (long long) got->unassessed, kbs_status_name(got->status),
					 (long long) want.needed, (long long) want.present, (long long) want.shortfall,
					 (long long) want.spare, (long long) want.unassessed, want.status);
	}
	free(rows);
}

static void
check_compose(const kbs_centry *c, int nc, uint32_t members, const ref_cov *rc,
			  const kbs_rentry *r, int nr, kbs_pentry cand[][MAX_POOL], const int *cand_n,
			  const bool *cand_null, int ncand, int k)
{
	const kbs_pentry *cp[MAX_CAND];
	int want[MAX_CAND + 1], nwant, got_n, i, room = k < ncand ? k : ncand;
	size_t scratch_size;
	void *scratch;
	int *out;

	for (i = 0; i < ncand; i++)
		cp[i] = cand_null[i] ? NULL : cand[i];
	scratch_size = kbs_compose_scratch_size(nr, cand_n, ncand);
	if (scratch_size == 0 || scratch_size == SIZE_MAX)
		mismatch("compose scratch size %zu for %d entries, %d candidates", scratch_size, nr, ncand);
	/* exactly the documented sizes: ASan reports any write past them */
	scratch = malloc(scratch_size);
	out = malloc(sizeof(int) * (size_t) (room > 0 ? room : 1));
	if (scratch == NULL || out == NULL)
		abort();
	got_n = kbs_compose(c, nc, members, r, nr, cp, cand_n, ncand, k, scratch, out);
	nwant = ref_compose(rc, r, nr, cand, cand_n, ncand, k, want);
	if (got_n != nwant)
		mismatch("compose k=%d of %d candidates: %d picks, reference %d (first: %d vs %d)",
				 k, ncand, got_n, nwant, got_n > 0 ? out[0] : 0, nwant > 0 ? want[0] : 0);
	for (i = 0; i < nwant; i++)
		if (out[i] != want[i])
			mismatch("compose k=%d of %d candidates: pick %d is candidate %d, reference %d",
					 k, ncand, i + 1, out[i], want[i]);
	free(scratch);
	free(out);
}

/* person_gaps: every-member entries whose level the person lacks; na exempts. */
static void
check_person_gaps(const kbs_pentry *p, int np, const kbs_rentry *r, int nr, int cand)
{
	kbs_person_gap *rows = malloc(sizeof(kbs_person_gap) * (size_t) (nr > 0 ? nr : 1));
	int n, j, i, want = 0;

	if (rows == NULL)
		abort();
	n = kbs_person_gaps(p, np, r, nr, rows);
	for (j = 0; j < nr; j++)
	{
		int code = 0, level;

		if (r[j].min_members != KBS_MIN_MEMBERS_ALL)
			continue;
		for (i = 0; i < np; i++)
			if (p[i].id == r[j].id)
				code = p[i].code;
		if (code == KBS_CODE_NA)
			continue;
		level = code >= 1 && code <= 5 ? code - 1 : -1;
		if (level >= r[j].min_level)
			continue;
		if (want >= n || rows[want].id != r[j].id || rows[want].level != level ||
			rows[want].min_level != r[j].min_level || rows[want].importance != r[j].importance)
			mismatch("person_gaps of candidate %d: row %d should be block %d level %d", cand, want,
					 r[j].id, level);
		want++;
	}
	if (n != want)
		mismatch("person_gaps of candidate %d: %d rows, reference %d", cand, n, want);
	free(rows);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static kbs_centry cov[MAX_POOL];
	static kbs_rentry req[MAX_POOL];
	static kbs_pentry cand[MAX_CAND][MAX_POOL];
	static ref_cov rc;
	int cand_n[MAX_CAND];
	bool cand_null[MAX_CAND];
	input in = {data, size, 0};
	uint32_t members;
	int nc = 0, nr = 0, ncand, k, i, j, n, at;
	double f, want_f;
	int64_t s, want_s;

	junk_codes = (in_u8(&in) & 1) != 0;

	/* the pool of block ids */
	npool = 1 + (int) (in_u8(&in) % MAX_POOL);
	for (i = 0; i < npool; i++)
		pool[i] = dec_pool_id(&in, i > 0 ? pool[i - 1] : 0);

	/* the coverage: each entry's counts share out at most the members */
	members = dec_members(&in);
	n = (int) (in_u8(&in) % (unsigned) (npool + 1));
	for (i = 0; i < n; i++)
	{
		kbs_centry e;
		uint32_t rem = members, sum = 0;
		int first = (int) (in_u8(&in) % KBS_NCOUNTS);

		e.id = (uint16_t) dec_pool_pick(&in);
		for (j = 0; j < KBS_NCOUNTS; j++)
		{
			int kk = (first + j) % KBS_NCOUNTS; /* which count gets the first share */

			e.cnt[kk] = dec_count(&in, rem);
			rem -= e.cnt[kk];
			sum += e.cnt[kk];
		}
		FIND_ID(cov, nc, e.id, at);
		if (at < 0 && sum > 0) /* a value has no all-zero entry */
			cov[nc++] = e;
	}
	SORT_BY_ID(cov, nc, kbs_centry);
	rc.members = members;
	rc.n = nc;
	for (i = 0; i < nc; i++)
	{
		rc.b[i].id = cov[i].id;
		for (j = 0; j < KBS_NCOUNTS; j++)
			rc.b[i].cnt[j] = cov[i].cnt[j];
	}

	/* the requirement */
	n = (int) (in_u8(&in) % (unsigned) (npool + 1));
	for (i = 0; i < n; i++)
	{
		kbs_rentry e;
		unsigned b;

		e.id = (uint16_t) dec_pool_pick(&in);
		b = in_u8(&in);
		e.min_level = (uint8_t) (1 + b % 4);
		e.importance = (uint8_t) (1 + (b >> 2) % 3);
		switch (b >> 5)
		{
			case 0:
			case 1:
			case 2:
				e.min_members = KBS_MIN_MEMBERS_ALL;
				break;
			case 3:
			case 4:
				e.min_members = 1 + in_u8(&in) % 8;
				break;
			case 5:
			case 6:
			{
				/* around the member count, where spare crosses 0 */
				int64_t m = (int64_t) members + (int64_t) (in_u8(&in) % 9) - 4;

				e.min_members = (uint32_t) (m < 1 ? 1 : m > KBS_MAX_MEMBERS ? KBS_MAX_MEMBERS : m);
				break;
			}
			default:
				e.min_members = KBS_MAX_MEMBERS - in_u8(&in) % 4;
				break;
		}
		FIND_ID(req, nr, e.id, at);
		if (at < 0)
			req[nr++] = e;
	}
	SORT_BY_ID(req, nr, kbs_rentry);

	/* the candidates */
	ncand = (int) (in_u8(&in) % (MAX_CAND + 1));
	for (i = 0; i < ncand; i++)
	{
		unsigned b = in_u8(&in);

		cand_n[i] = 0;
		cand_null[i] = (b & 3) == 0; /* a SQL NULL array element */
		n = cand_null[i] ? 0 : (int) ((b >> 2) % (unsigned) (npool + 1));
		for (j = 0; j < n; j++)
		{
			kbs_pentry e;
			bool entry;

			e.id = (uint16_t) dec_pool_pick(&in);
			e.code = (uint8_t) dec_code(&in, &entry);
			FIND_ID(cand[i], cand_n[i], e.id, at);
			if (entry && at < 0)
				cand[i][cand_n[i]++] = e;
		}
		SORT_BY_ID(cand[i], cand_n[i], kbs_pentry);
	}
	k = (int) (in_u8(&in) % (unsigned) (ncand + 3)) - 1;

	/* gaps, shortfall, fulfilment */
	check_gaps(cov, nc, members, &rc, req, nr);
	s = kbs_shortfall(cov, nc, members, req, nr);
	want_s = ref_shortfall(&rc, req, nr);
	if (s != want_s)
		mismatch("shortfall %lld, reference %lld", (long long) s, (long long) want_s);
	f = kbs_fulfilment(cov, nc, members, req, nr);
	want_f = ref_fulfilment(&rc, req, nr);
	if (f != want_f)
		mismatch("fulfilment %.17g, reference %.17g", f, want_f);

	/* gain and person_gaps of each candidate */
	for (i = 0; i < ncand; i++)
	{
		int64_t g = kbs_gain(cov, nc, members, req, nr, cand_null[i] ? NULL : cand[i], cand_n[i]);
		int64_t want_g = ref_gain(&rc, req, nr, cand[i], cand_n[i]);

		if (g != want_g)
			mismatch("gain of candidate %d (%d entries): %lld, reference %lld", i + 1, cand_n[i],
					 (long long) g, (long long) want_g);
		check_person_gaps(cand_null[i] ? NULL : cand[i], cand_n[i], req, nr, i + 1);
	}

	/* compose with the input's k, and run to the end */
	check_compose(cov, nc, members, &rc, req, nr, cand, cand_n, cand_null, ncand, k);
	check_compose(cov, nc, members, &rc, req, nr, cand, cand_n, cand_null, ncand, ncand + 1);
	return 0;
}
