/*
 * gaps.c — gap arithmetic of a kbs.coverage against a kbs.requirement
 * (docs/semantics.md §3). See kbs_gaps.h for the semantics and the ranges.
 *
 * Every function reduces to the per-entry state (n, present, na): needed
 * and shortfall follow from it, and one more member changes it by at most
 * one in each field, which is what kbs_gain and kbs_compose exploit.
 */
#include "kbs_gaps.h"

#include <string.h>

/* ------------------------------------------------------------------ */
/* Per-entry arithmetic                                                */
/* ------------------------------------------------------------------ */

/* needed of an entry with min_members m, for n members of whom na have na. */
static inline int64_t
entry_needed(uint32_t m, int64_t n, int64_t na)
{
	int64_t v;

	if (m != KBS_MIN_MEMBERS_ALL)
		return (int64_t) m;
	v = n - na;
	return v > 0 ? v : 0;   /* only an invalid coverage has na > n */
}

static inline int64_t
shortfall_of(int64_t needed, int64_t present)
{
	return needed > present ? needed - present : 0;
}

/* Members with a level >= min_level in a coverage entry (NULL: none). */
static inline int64_t
entry_present(const kbs_centry *ce, int min_level)
{
	int64_t s = 0;
	int k;

	if (ce == NULL)
		return 0;
	for (k = min_level < 0 ? 0 : min_level; k <= 4; k++)
		s += ce->cnt[k];
	return s;
}

static inline int64_t
entry_na(const kbs_centry *ce)
{
	return ce == NULL ? 0 : (int64_t) ce->cnt[KBS_CNT_NA];
}

/* Members with neither a level nor na in a coverage entry (NULL: all n). */
static inline int64_t
entry_unassessed(const kbs_centry *ce, int64_t n)
{
	int64_t v = n;
	int k;

	if (ce == NULL)
		return n;
	for (k = 0; k < KBS_NCOUNTS; k++)
		v -= ce->cnt[k];
	return v > 0 ? v : 0;   /* only an invalid coverage counts more than n */
}

/* Does a profile code reach min_level? na, absent and invalid never do. */
static inline bool
code_reaches(uint8_t code, int min_level)
{
	int level = kbs_level_from_code(code);

	return level >= 0 && level >= min_level;
}

/*
 * Change of one entry's shortfall when a member with code (0 = not
 * assessed) joins n members of whom present reach the level and na have na:
 * shortfall before minus shortfall after, always -1, 0 or 1.
 */
static inline int64_t
entry_gain(const kbs_rentry *re, int64_t n, int64_t present, int64_t na, uint8_t code)
{
	int64_t before = shortfall_of(entry_needed(re->min_members, n, na), present);
	int64_t na1 = na + (code == KBS_CODE_NA ? 1 : 0);
	int64_t present1 = present + (code_reaches(code, re->min_level) ? 1 : 0);
	int64_t after = shortfall_of(entry_needed(re->min_members, n + 1, na1), present1);

	return before - after;
}

/*
 * Merge walk: for each requirement entry r[j], the coverage entry with the
 * same id or NULL. The cursor *i only moves forward.
 */
static inline const kbs_centry *
coverage_match(const kbs_centry *c, int nc, int *i, int id)
{
	while (*i < nc && c[*i].id < id)
		(*i)++;
	return (*i < nc && c[*i].id == id) ? &c[*i] : NULL;
}

/* Same for a profile: the code of block id, 0 when absent. */
static inline uint8_t
profile_match(const kbs_pentry *p, int np, int *i, int id)
{
	while (*i < np && p[*i].id < id)
		(*i)++;
	return (*i < np && p[*i].id == id) ? p[*i].code : KBS_CODE_ABSENT;
}

/* ------------------------------------------------------------------ */
/* gaps, fulfilment, shortfall, gain                                   */
/* ------------------------------------------------------------------ */

const char *
kbs_status_name(kbs_status s)
{
	switch (s)
	{
		case KBS_STATUS_MET:
			return "met";
		case KBS_STATUS_FRAGILE:
			return "fragile";
		case KBS_STATUS_GAP:
			return "gap";
		case KBS_STATUS_UNKNOWN:
			return "unknown";
	}
	return "?";
}

void
kbs_gaps(const kbs_centry *c, int nc, uint32_t members,
		 const kbs_rentry *r, int nr, kbs_gap_row *rows)
{
	int i = 0, j;

	for (j = 0; j < nr; j++)
	{
		const kbs_centry *ce = coverage_match(c, nc, &i, r[j].id);
		kbs_gap_row *row = &rows[j];

		row->id = r[j].id;
		row->min_level = r[j].min_level;
		row->importance = r[j].importance;
		row->min_members = r[j].min_members;
		row->present = entry_present(ce, r[j].min_level);
		row->needed = entry_needed(r[j].min_members, members, entry_na(ce));
		row->shortfall = shortfall_of(row->needed, row->present);
		row->spare = row->present - row->needed;
		row->unassessed = entry_unassessed(ce, members);
		/* A shortfall the unassessed members could still fill is not known to be one. */
		if (row->shortfall > row->unassessed)
			row->status = KBS_STATUS_GAP;
		else if (row->shortfall > 0)
			row->status = KBS_STATUS_UNKNOWN;
		else if (r[j].min_members != KBS_MIN_MEMBERS_ALL && row->needed > 0 && row->spare == 0)
			row->status = KBS_STATUS_FRAGILE;
		else
			row->status = KBS_STATUS_MET;
	}
}

double
kbs_fulfilment(const kbs_centry *c, int nc, uint32_t members,
			   const kbs_rentry *r, int nr)
{
	int64_t met = 0, needed = 0;
	int i = 0, j;

	for (j = 0; j < nr; j++)
	{
		const kbs_centry *ce = coverage_match(c, nc, &i, r[j].id);
		int64_t p = entry_present(ce, r[j].min_level);
		int64_t nd = entry_needed(r[j].min_members, members, entry_na(ce));

		met += p < nd ? p : nd;
		needed += nd;
	}
	if (needed == 0)
		return 1.0;
	return (double) met / (double) needed;
}

int64_t
kbs_shortfall(const kbs_centry *c, int nc, uint32_t members,
			  const kbs_rentry *r, int nr)
{
	int64_t s = 0;
	int i = 0, j;

	for (j = 0; j < nr; j++)
	{
		const kbs_centry *ce = coverage_match(c, nc, &i, r[j].id);

		s += shortfall_of(entry_needed(r[j].min_members, members, entry_na(ce)),
						  entry_present(ce, r[j].min_level));
	}
	return s;
}

int64_t
kbs_gain(const kbs_centry *c, int nc, uint32_t members,
		 const kbs_rentry *r, int nr, const kbs_pentry *p, int np)
{
	int64_t g = 0;
	int i = 0, k = 0, j;

	for (j = 0; j < nr; j++)
	{
		const kbs_centry *ce = coverage_match(c, nc, &i, r[j].id);
		uint8_t code = profile_match(p, np, &k, r[j].id);

		g += entry_gain(&r[j], members, entry_present(ce, r[j].min_level), entry_na(ce), code);
	}
	return g;
}

/* ------------------------------------------------------------------ */
/* compose                                                             */
/* ------------------------------------------------------------------ */

/* A candidate's entry on a requirement block: index into r, and its code. */
typedef struct
{
	uint16_t entry; /* nr <= 32767 */
	uint8_t code;
} proj_entry;

/* Offsets of the scratch arrays; total is the size. */
typedef struct
{
	size_t present; /* int64_t[nr] */
	size_t na;      /* int64_t[nr] */
	size_t start;   /* size_t[ncand + 1]: candidate i's proj_entry range */
	size_t proj;    /* proj_entry[sum min(cand_n[i], nr)] */
	size_t absent;  /* int8_t[nr]: entry_gain of a member without entry */
	size_t picked;  /* uint8_t[ncand] */
	size_t total;
} compose_layout;

/* *acc = align(*acc, align) + count * size, saturating at SIZE_MAX. */
static size_t
layout_add(size_t *acc, size_t align, size_t count, size_t size)
{
	size_t at, bytes;

	if (*acc == SIZE_MAX)
		return SIZE_MAX;
	at = (*acc + align - 1) / align * align;
	if (at < *acc || (size != 0 && count > (SIZE_MAX - at) / size))
	{
		*acc = SIZE_MAX;
		return SIZE_MAX;
	}
	bytes = count * size;
	*acc = at + bytes;
	return at;
}

static void
compose_plan(int nr, const int *cand_n, int ncand, compose_layout *l)
{
	size_t acc = 0, nproj = 0;
	size_t unr = nr > 0 ? (size_t) nr : 0;
	size_t ucand = ncand > 0 ? (size_t) ncand : 0;
	int i;

	for (i = 0; i < ncand; i++)
	{
		int n = cand_n[i] < nr ? cand_n[i] : nr;

		if (n > 0)
		{
			if (nproj > SIZE_MAX - (size_t) n)
			{
				l->total = SIZE_MAX;
				return;
			}
			nproj += (size_t) n;
		}
	}
	l->present = layout_add(&acc, sizeof(int64_t), unr, sizeof(int64_t));
	l->na = layout_add(&acc, sizeof(int64_t), unr, sizeof(int64_t));
	l->start = layout_add(&acc, sizeof(size_t), ucand + 1, sizeof(size_t));
	l->proj = layout_add(&acc, sizeof(uint16_t), nproj, sizeof(proj_entry));
	l->absent = layout_add(&acc, 1, unr, 1);
	l->picked = layout_add(&acc, 1, ucand, 1);
	l->total = acc == 0 ? 1 : acc;
}

size_t
kbs_compose_scratch_size(int nr, const int *cand_n, int ncand)
{
	compose_layout l;

	compose_plan(nr, cand_n, ncand, &l);
	return l.total;
}

int
kbs_compose(const kbs_centry *c, int nc, uint32_t members,
			const kbs_rentry *r, int nr,
			const kbs_pentry *const *cand, const int *cand_n, int ncand,
			int k, void *scratch, int *out)
{
	compose_layout l;
	uint8_t *base = (uint8_t *) scratch;
	int64_t *present, *na;
	size_t *start;
	proj_entry *proj;
	int8_t *absent;
	uint8_t *picked;
	int64_t n = members;
	int npicked = 0;
	size_t q;
	int i, j;

	if (k <= 0 || ncand <= 0)
		return 0;
	compose_plan(nr, cand_n, ncand, &l);
	present = (int64_t *) (void *) (base + l.present);
	na = (int64_t *) (void *) (base + l.na);
	start = (size_t *) (void *) (base + l.start);
	proj = (proj_entry *) (void *) (base + l.proj);
	absent = (int8_t *) (base + l.absent);
	picked = base + l.picked;

	/* Per-entry state of the coverage: one merge walk. */
	i = 0;
	for (j = 0; j < nr; j++)
	{
		const kbs_centry *ce = coverage_match(c, nc, &i, r[j].id);

		present[j] = entry_present(ce, r[j].min_level);
		na[j] = entry_na(ce);
	}

	/* Each candidate's entries on requirement blocks: one merge walk each. */
	start[0] = 0;
	for (i = 0; i < ncand; i++)
	{
		size_t at = start[i];
		int np = cand_n[i] > 0 ? cand_n[i] : 0;
		int a = 0, b = 0;

		while (a < nr && b < np)
		{
			int rid = r[a].id, pid = cand[i][b].id;

			if (rid < pid)
				a++;
			else if (pid < rid)
				b++;
			else
			{
				proj[at].entry = (uint16_t) a;
				proj[at].code = cand[i][b].code;
				at++;
				a++;
				b++;
			}
		}
		start[i + 1] = at;
		picked[i] = 0;
	}

	while (npicked < k)
	{
		int64_t base_gain = 0, best_gain = 0;
		int best = -1;

		/*
		 * A candidate's gain = the gain of a member with nothing assessed
		 * (base_gain, the same for everyone) corrected on the requirement
		 * blocks the candidate has an entry for.
		 */
		for (j = 0; j < nr; j++)
		{
			absent[j] = (int8_t) entry_gain(&r[j], n, present[j], na[j], KBS_CODE_ABSENT);
			base_gain += absent[j];
		}
		for (i = 0; i < ncand; i++)
		{
			int64_t g = base_gain;

			if (picked[i])
				continue;
			for (q = start[i]; q < start[i + 1]; q++)
			{
				int e = proj[q].entry;

				g += entry_gain(&r[e], n, present[e], na[e], proj[q].code) - absent[e];
			}
			/* strictly larger: ties keep the lowest index; gain <= 0 never wins */
			if (g > best_gain)
			{
				best_gain = g;
				best = i;
			}
		}
		if (best < 0)
			break;

		picked[best] = 1;
		out[npicked++] = best + 1;
		n++;
		for (q = start[best]; q < start[best + 1]; q++)
		{
			int e = proj[q].entry;

			if (proj[q].code == KBS_CODE_NA)
				na[e]++;
			else if (code_reaches(proj[q].code, r[e].min_level))
				present[e]++;
		}
	}
	return npicked;
}

/* ------------------------------------------------------------------ */
/* person_gaps                                                         */
/* ------------------------------------------------------------------ */

int
kbs_person_gaps(const kbs_pentry *p, int np, const kbs_rentry *r, int nr,
				kbs_person_gap *out)
{
	int i = 0, j, n = 0;

	for (j = 0; j < nr; j++)
	{
		uint8_t code;
		int level;

		if (r[j].min_members != KBS_MIN_MEMBERS_ALL)
			continue;
		code = profile_match(p, np, &i, r[j].id);
		if (code == KBS_CODE_NA)
			continue;
		level = kbs_level_from_code(code);
		if (level >= r[j].min_level)
			continue;
		out[n].id = r[j].id;
		out[n].min_level = r[j].min_level;
		out[n].importance = r[j].importance;
		out[n].level = (int8_t) level;
		n++;
	}
	return n;
}
