/*
 * kbs_gaps.h — gap arithmetic of a coverage against a requirement
 * (docs/semantics.md §3): per-entry gaps, fulfilment, shortfall, the gain of one
 * more member, greedy team composition, and one person's floor gaps.
 * Pure C, no PostgreSQL headers, no allocation: the caller (the fmgr glue,
 * with palloc) provides every buffer.
 *
 * Semantics, for coverage C with n members and requirement R, per entry
 * (block b, level L, min_members m, importance w):
 *   present   = members with a level >= L on b (na and not assessed never
 *               count);
 *   needed    = m when m is a number; when m is every member (0):
 *               n - (members with na on b);
 *   shortfall = max(0, needed - present); spare = present - needed;
 *   unassessed = members with neither a level nor na on b
 *               (n - levels 0..4 - na; members without any assessment too);
 *   status    = gap when shortfall > unassessed (short even if every
 *               unassessed member met it); unknown when
 *               0 < shortfall <= unassessed (it depends on who is not yet
 *               assessed); otherwise fragile when m is a number, needed > 0
 *               and spare = 0; otherwise met.
 * Worst first: gap, unknown, fragile, met.
 * A requirement block the coverage has no entry for has present = 0, no
 * na member and every member unassessed.
 *
 * Preconditions (not checked): entry arrays are valid values — sorted by
 * id, ids unique — and each coverage entry's counts add up to at most the
 * member count, as every loaded or parsed kbs.coverage guarantees. (Should
 * an invalid coverage have more na members than members, needed is clamped
 * to 0 rather than going negative; so is unassessed when the counts add up to
 * more than the members.) Profile codes other than 1..6 count
 * like "not assessed", as in kbs_coverage_add_profile.
 *
 * Ranges. For valid inputs every kbs_gap_row field fits an int32:
 * 0 <= needed, present, unassessed <= 2147483647, 0 <= shortfall <= needed,
 * and |spare| <= 2147483647. Sums do not: kbs_shortfall is at most
 * 32767 x 2147483647 < 2^46 (e.g. two entries of min_members 2^31-1), so
 * the SQL function, which returns integer, raises 22003
 * numeric_value_out_of_range above INT32_MAX. The fulfilment sums stay
 * below 2^53, so the division is exact up to the final rounding. A gain
 * changes each entry's shortfall by -1, 0 or +1, so |gain| <= nr <= 32767
 * always fits an integer.
 *
 * C + p (gain, compose) is never materialised, so it has no member limit:
 * kbs_gain works even when C already has 2147483647 members, where
 * kbs_coverage_add_profile would fail with KBS_ERR_RANGE.
 */
#ifndef KBS_GAPS_H
#define KBS_GAPS_H

#include "kbs_core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Values are stable; the order of severity is gap > unknown > fragile > met. */
typedef enum
{
	KBS_STATUS_MET = 0,
	KBS_STATUS_FRAGILE = 1,
	KBS_STATUS_GAP = 2,
	KBS_STATUS_UNKNOWN = 3
} kbs_status;

/* One row of kbs.gaps(). */
typedef struct
{
	uint16_t id;
	uint8_t min_level;    /* 1..4 */
	uint8_t importance;   /* 1..3 */
	uint32_t min_members; /* 0 = every member */
	int64_t needed;
	int64_t present;
	int64_t shortfall;
	int64_t spare;        /* present - needed; may be negative */
	int64_t unassessed;   /* members with neither a level nor na on the block */
	kbs_status status;
} kbs_gap_row;

/* One row of kbs.person_gaps(): an every-member entry the person misses. */
typedef struct
{
	uint16_t id;
	uint8_t min_level;  /* 1..4 */
	uint8_t importance; /* 1..3 */
	int8_t level;       /* the person's level 0..min_level-1, -1 when not assessed */
} kbs_person_gap;

/* "met", "fragile", "unknown" or "gap" (the status column's text); "?" otherwise. */
const char *kbs_status_name(kbs_status s);

/*
 * rows: one per requirement entry (nr rows), in requirement order, which is
 * ascending block id. Merge walk over both arrays: O(nc + nr).
 */
void kbs_gaps(const kbs_centry *c, int nc, uint32_t members,
			  const kbs_rentry *r, int nr, kbs_gap_row *rows);

/* Sum min(present, needed) / sum needed; 1.0 when sum needed = 0. */
double kbs_fulfilment(const kbs_centry *c, int nc, uint32_t members,
					  const kbs_rentry *r, int nr);

/* Sum of shortfall over all entries, 0 .. 32767 x 2147483647. */
int64_t kbs_shortfall(const kbs_centry *c, int nc, uint32_t members,
					  const kbs_rentry *r, int nr);

/*
 * shortfall(C, R) - shortfall(C + p, R), where C + p has one more member
 * with profile p (np = 0: nothing assessed). A member without a level on an
 * every-member block raises needed there (negative contributions); na on
 * such a block does not. O(nc + nr + np).
 */
int64_t kbs_gain(const kbs_centry *c, int nc, uint32_t members,
				 const kbs_rentry *r, int nr, const kbs_pentry *p, int np);

/*
 * Bytes of scratch kbs_compose needs for nr requirement entries and ncand
 * candidates of cand_n[i] entries: O(nr + ncand + sum min(cand_n[i], nr)).
 * SIZE_MAX if that does not fit a size_t. Never 0.
 */
size_t kbs_compose_scratch_size(int nr, const int *cand_n, int ncand);

/*
 * Greedy team composition: repeatedly pick the not-yet-picked candidate
 * with the largest gain against C plus the members picked so far (ties: the
 * lowest index), add it, stop after k picks or when the best gain <= 0.
 *
 * cand[i], cand_n[i]: candidate i's profile entries (cand[i] may be NULL
 * when cand_n[i] <= 0, which means nothing assessed). A SQL NULL array
 * element can be passed as such an empty profile: its gain is never
 * positive, so it is never picked.
 * scratch: kbs_compose_scratch_size(nr, cand_n, ncand) bytes, aligned for
 * int64_t (palloc and malloc memory is). out: room for min(k, ncand)
 * indices; receives 1-based candidate indices in pick order. Returns the
 * number picked (0 when k <= 0).
 *
 * Cost: one merge walk per candidate, then per pick O(nr + sum over the
 * candidates of their entries on requirement blocks) — incremental
 * per-entry state, no coverage is rebuilt.
 */
int kbs_compose(const kbs_centry *c, int nc, uint32_t members,
				const kbs_rentry *r, int nr,
				const kbs_pentry *const *cand, const int *cand_n, int ncand,
				int k, void *scratch, int *out);

/*
 * The every-member entries (min_members 0) of r that profile p does not
 * meet: level < min_level, or not assessed; na exempts. out holds up to nr
 * rows; they come in block order. Returns the number of rows.
 */
int kbs_person_gaps(const kbs_pentry *p, int np, const kbs_rentry *r, int nr,
					kbs_person_gap *out);

#ifdef __cplusplus
}
#endif

#endif /* KBS_GAPS_H */
