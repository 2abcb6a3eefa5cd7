/*
 * Gap arithmetic (docs/semantics.md §3): hand-checked cases, then a differential
 * test against a brute-force oracle that counts raw member profiles.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "kbs_core.h"
#include "kbs_gaps.h"

int kbs_register_gaps_tests(void);

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

static kbs_centry cov[KBS_MAX_ENTRIES];
static kbs_centry cov2[KBS_MAX_ENTRIES];
static kbs_rentry req[KBS_MAX_ENTRIES];
static kbs_pentry prof[KBS_MAX_ENTRIES];
static kbs_gap_row rows[KBS_MAX_ENTRIES];
static kbs_person_gap pgaps[KBS_MAX_ENTRIES];

static int
parse_cov(const char *s, kbs_centry *out, uint32_t *m)
{
	kbs_error err;
	int n = kbs_coverage_parse(s, strlen(s), out, m, &err);

	test_parsed("coverage", s, n, &err);
	return n;
}

static int
parse_req(const char *s, kbs_rentry *out)
{
	kbs_error err;
	int n = kbs_requirement_parse(s, strlen(s), out, &err);

	test_parsed("requirement", s, n, &err);
	return n;
}

static int
parse_prof(const char *s, kbs_pentry *out)
{
	kbs_error err;
	int n = kbs_profile_parse(s, strlen(s), out, &err);

	test_parsed("profile", s, n, &err);
	return n;
}

static void
check_row(const kbs_gap_row *row, int id, int64_t needed, int64_t present,
		  int64_t shortfall, int64_t spare, int64_t unassessed, kbs_status status)
{
	CU_ASSERT_EQUAL(row->id, id);
	CU_ASSERT_EQUAL(row->needed, needed);
	CU_ASSERT_EQUAL(row->present, present);
	CU_ASSERT_EQUAL(row->shortfall, shortfall);
	CU_ASSERT_EQUAL(row->spare, spare);
	CU_ASSERT_EQUAL(row->unassessed, unassessed);
	CU_ASSERT_EQUAL(row->status, status);
	if (row->id != id || row->needed != needed || row->present != present ||
		row->shortfall != shortfall || row->spare != spare || row->unassessed != unassessed ||
		row->status != status)
		fprintf(stderr, "\n    block %d: got needed %lld present %lld shortfall %lld spare %lld unassessed %lld %s\n",
				row->id, (long long) row->needed, (long long) row->present,
				(long long) row->shortfall, (long long) row->spare, (long long) row->unassessed,
				kbs_status_name(row->status));
}

/* Coverage of the profiles given as text, built with kbs_coverage_add_profile. */
static int
cov_of(const char *const *profiles, int nprof, kbs_centry *out, uint32_t *m)
{
	int n = 0, i;

	*m = 0;
	for (i = 0; i < nprof; i++)
	{
		kbs_error err;
		int np = parse_prof(profiles[i], prof);
		int n2 = kbs_coverage_add_profile(out, n, *m, prof, np, cov2, m, &err);

		CU_ASSERT_FATAL(n2 >= 0);
		memcpy(out, cov2, (size_t) n2 * sizeof(kbs_centry));
		n = n2;
	}
	return n;
}

/* ------------------------------------------------------------------ */
/* Hand-checked cases                                                  */
/* ------------------------------------------------------------------ */

static void
test_status_names(void)
{
	CU_ASSERT_STRING_EQUAL(kbs_status_name(KBS_STATUS_MET), "met");
	CU_ASSERT_STRING_EQUAL(kbs_status_name(KBS_STATUS_FRAGILE), "fragile");
	CU_ASSERT_STRING_EQUAL(kbs_status_name(KBS_STATUS_GAP), "gap");
	CU_ASSERT_STRING_EQUAL(kbs_status_name(KBS_STATUS_UNKNOWN), "unknown");
	CU_ASSERT_STRING_EQUAL(kbs_status_name((kbs_status) 9), "?");
}

static void
test_empty_team(void)
{
	uint32_t m;
	int nc = parse_cov("(0){}", cov, &m);
	int nr = parse_req("{1:2/all,2:1/3@3}", req);

	kbs_gaps(cov, nc, m, req, nr, rows);
	/* every member of nobody: needed 0, met */
	check_row(&rows[0], 1, 0, 0, 0, 0, 0, KBS_STATUS_MET);
	CU_ASSERT_EQUAL(rows[0].min_level, 2);
	CU_ASSERT_EQUAL(rows[0].min_members, 0);
	CU_ASSERT_EQUAL(rows[0].importance, 2);
	/* a number is needed regardless of the team size */
	check_row(&rows[1], 2, 3, 0, 3, -3, 0, KBS_STATUS_GAP);
	CU_ASSERT_EQUAL(rows[1].min_level, 1);
	CU_ASSERT_EQUAL(rows[1].min_members, 3);
	CU_ASSERT_EQUAL(rows[1].importance, 3);
	CU_ASSERT_EQUAL(kbs_shortfall(cov, nc, m, req, nr), 3);
	CU_ASSERT_DOUBLE_EQUAL(kbs_fulfilment(cov, nc, m, req, nr), 0.0, 0.0);
}

static void
test_all_na_every_member(void)
{
	uint32_t m;
	int nc = parse_cov("(4){5:0,0,0,0,0,4}", cov, &m);
	int nr = parse_req("{5:2/all}", req);

	kbs_gaps(cov, nc, m, req, nr, rows);
	check_row(&rows[0], 5, 0, 0, 0, 0, 0, KBS_STATUS_MET);
	CU_ASSERT_EQUAL(kbs_shortfall(cov, nc, m, req, nr), 0);
	CU_ASSERT(kbs_fulfilment(cov, nc, m, req, nr) == 1.0);

	/* three na and one level-1 member: needed 1, present 0 */
	nc = parse_cov("(4){5:0,1,0,0,0,3}", cov, &m);
	kbs_gaps(cov, nc, m, req, nr, rows);
	check_row(&rows[0], 5, 1, 0, 1, -1, 0, KBS_STATUS_GAP);
}

static void
test_member_without_assessment(void)
{
	static const char *const team[] = {"{1:3,2:na}", "{1:2,2:1}", "{}"};
	uint32_t m;
	int nc, nr = parse_req("{1:2/all,2:1/all}", req);

	/* two assessed members: both blocks met */
	nc = cov_of(team, 2, cov, &m);
	CU_ASSERT_EQUAL(m, 2);
	kbs_gaps(cov, nc, m, req, nr, rows);
	check_row(&rows[0], 1, 2, 2, 0, 0, 0, KBS_STATUS_MET);
	check_row(&rows[1], 2, 1, 1, 0, 0, 0, KBS_STATUS_MET);

	/*
	 * The member with nothing assessed counts in n: every-member needed
	 * grows, and the shortfall of 1 is that member: unknown, not a gap.
	 */
	nc = cov_of(team, 3, cov, &m);
	CU_ASSERT_EQUAL(m, 3);
	kbs_gaps(cov, nc, m, req, nr, rows);
	check_row(&rows[0], 1, 3, 2, 1, -1, 1, KBS_STATUS_UNKNOWN);
	check_row(&rows[1], 2, 2, 1, 1, -1, 1, KBS_STATUS_UNKNOWN);
	CU_ASSERT_EQUAL(kbs_shortfall(cov, nc, m, req, nr), 2);
	CU_ASSERT_DOUBLE_EQUAL(kbs_fulfilment(cov, nc, m, req, nr), 3.0 / 5.0, 1e-15);
}

static void
test_fragile(void)
{
	uint32_t m;
	int nc = parse_cov("(3){1:0,0,1,1,0,0}", cov, &m);
	int nr = parse_req("{1:3/1}", req);

	/* exactly one member at level >= 3 for a need of one: fragile (one member is unassessed) */
	kbs_gaps(cov, nc, m, req, nr, rows);
	check_row(&rows[0], 1, 1, 1, 0, 0, 1, KBS_STATUS_FRAGILE);

	nr = parse_req("{1:2/2}", req);
	kbs_gaps(cov, nc, m, req, nr, rows);
	check_row(&rows[0], 1, 2, 2, 0, 0, 1, KBS_STATUS_FRAGILE);

	/* one spare: met */
	nr = parse_req("{1:2/1}", req);
	kbs_gaps(cov, nc, m, req, nr, rows);
	check_row(&rows[0], 1, 1, 2, 0, 1, 1, KBS_STATUS_MET);

	/* one short, and the unassessed member could be the one: unknown, not fragile */
	nr = parse_req("{1:3/2}", req);
	kbs_gaps(cov, nc, m, req, nr, rows);
	check_row(&rows[0], 1, 2, 1, 1, -1, 1, KBS_STATUS_UNKNOWN);

	/* the third member assessed at level 0: a gap */
	nc = parse_cov("(3){1:1,0,1,1,0,0}", cov, &m);
	kbs_gaps(cov, nc, m, req, nr, rows);
	check_row(&rows[0], 1, 2, 1, 1, -1, 0, KBS_STATUS_GAP);
}

static void
test_not_fragile_every_member(void)
{
	uint32_t m;
	int nc = parse_cov("(2){1:0,0,0,2,0,0}", cov, &m);
	int nr = parse_req("{1:3/all}", req);

	/* spare 0 with every member is the floor, not a single point of knowledge */
	kbs_gaps(cov, nc, m, req, nr, rows);
	check_row(&rows[0], 1, 2, 2, 0, 0, 0, KBS_STATUS_MET);

	/* one member: still met, a departure also removes the need */
	nc = parse_cov("(1){1:0,0,0,1,0,0}", cov, &m);
	kbs_gaps(cov, nc, m, req, nr, rows);
	check_row(&rows[0], 1, 1, 1, 0, 0, 0, KBS_STATUS_MET);
}

static void
test_fulfilment(void)
{
	uint32_t m;
	int nc = parse_cov("(3){1:1,1,1,0,0,0;2:0,0,0,0,0,3}", cov, &m);
	int nr;

	/* no entries: sum needed 0 */
	CU_ASSERT(kbs_fulfilment(cov, nc, m, req, 0) == 1.0);
	CU_ASSERT_EQUAL(kbs_shortfall(cov, nc, m, req, 0), 0);
	/* only every-member entries of an all-na block: sum needed 0 */
	nr = parse_req("{2:4/all}", req);
	CU_ASSERT(kbs_fulfilment(cov, nc, m, req, nr) == 1.0);
	/* empty team, every member only */
	nc = parse_cov("(0){}", cov, &m);
	nr = parse_req("{1:1/all,7:4/all}", req);
	CU_ASSERT(kbs_fulfilment(cov, nc, m, req, nr) == 1.0);

	/* mixed: 1:1/all needed 3 present 2; 1:2/5 needed 5 present 1; 2:1/1 needed 1 present 0 */
	nc = parse_cov("(3){1:1,1,1,0,0,0;2:0,0,0,0,0,3}", cov, &m);
	nr = parse_req("{1:1/all,2:1/1}", req);
	CU_ASSERT_DOUBLE_EQUAL(kbs_fulfilment(cov, nc, m, req, nr), 2.0 / 4.0, 1e-15);
	nr = parse_req("{1:2/5}", req);
	CU_ASSERT_DOUBLE_EQUAL(kbs_fulfilment(cov, nc, m, req, nr), 1.0 / 5.0, 1e-15);
	/* over-fulfilment is capped per entry: 1:1/1 has present 2, counts 1 of 1 */
	nr = parse_req("{1:1/1,2:1/1}", req);
	CU_ASSERT_DOUBLE_EQUAL(kbs_fulfilment(cov, nc, m, req, nr), 1.0 / 2.0, 1e-15);
}

static void
test_blocks_absent_from_coverage(void)
{
	uint32_t m;
	int nc = parse_cov("(5){10:0,0,5,0,0,0;30:0,0,0,0,1,0}", cov, &m);
	int nr = parse_req("{1:1/2,10:2/all,20:1/all,30:4/1,40:3/1@1}", req);

	/* a block the coverage has no entry for: nobody is assessed on it */
	kbs_gaps(cov, nc, m, req, nr, rows);
	check_row(&rows[0], 1, 2, 0, 2, -2, 5, KBS_STATUS_UNKNOWN);
	check_row(&rows[1], 10, 5, 5, 0, 0, 0, KBS_STATUS_MET);
	check_row(&rows[2], 20, 5, 0, 5, -5, 5, KBS_STATUS_UNKNOWN);
	check_row(&rows[3], 30, 1, 1, 0, 0, 4, KBS_STATUS_FRAGILE);
	check_row(&rows[4], 40, 1, 0, 1, -1, 5, KBS_STATUS_UNKNOWN);
	CU_ASSERT_EQUAL(rows[4].importance, 1);
	CU_ASSERT_EQUAL(kbs_shortfall(cov, nc, m, req, nr), 8);
	CU_ASSERT_DOUBLE_EQUAL(kbs_fulfilment(cov, nc, m, req, nr), 6.0 / 14.0, 1e-15);

	/* more needed than members: short even if all five met it */
	nr = parse_req("{20:1/6,40:1/7}", req);
	kbs_gaps(cov, nc, m, req, nr, rows);
	check_row(&rows[0], 20, 6, 0, 6, -6, 5, KBS_STATUS_GAP);
	check_row(&rows[1], 40, 7, 0, 7, -7, 5, KBS_STATUS_GAP);
}

/*
 * The team: eleven members, ten assessed, one new member without
 * any assessment. Hand-counted per entry (n = 11):
 *   11:1/all  ten at level >= 1, one unassessed: needed 11, present 10,
 *             shortfall 1 <= 1 unassessed: unknown (nobody is known short);
 *   21:1/all  nine at >= 1, one at 0, one na, one unassessed: needed 10,
 *             present 8, shortfall 2 > 1: a gap (one is known short);
 *   31:3/2    assessed on it: one at 3, three below; seven have no level
 *             and no na on it: needed 2, present 1, shortfall 1 <= 7: unknown;
 *   32:3/2    one member assessed on it (at 2), ten not: shortfall 2 <= 10:
 *             unknown;
 *   33:3/1    one at 4: fragile whatever the others know (ten unassessed);
 *   34:2/1    two at >= 2, nine unassessed: met.
 */
static void
test_unknown_hand(void)
{
	static const char *const team[] = {
		"{11:1,21:1,31:3,32:2,33:4,34:2}", "{11:2,21:0,31:2,34:3}", "{11:1,21:na,31:1}",
		"{11:1,21:1}", "{11:3,21:2}", "{11:1,21:1}", "{11:1,21:1}", "{11:4,21:1}",
		"{11:1,21:1,31:0}", "{11:2,21:1}", "{}"};
	uint32_t m;
	int nc = cov_of(team, 11, cov, &m);
	int nr = parse_req("{11:1/all,21:1/all,31:3/2,32:3/2,33:3/1,34:2/1}", req);

	CU_ASSERT_EQUAL(m, 11);
	kbs_gaps(cov, nc, m, req, nr, rows);
	check_row(&rows[0], 11, 11, 10, 1, -1, 1, KBS_STATUS_UNKNOWN);
	check_row(&rows[1], 21, 10, 8, 2, -2, 1, KBS_STATUS_GAP);
	/* 31: levels 3, 2, 1, 0 counted, seven members have no entry at all */
	check_row(&rows[2], 31, 2, 1, 1, -1, 7, KBS_STATUS_UNKNOWN);
	check_row(&rows[3], 32, 2, 0, 2, -2, 10, KBS_STATUS_UNKNOWN);
	check_row(&rows[4], 33, 1, 1, 0, 0, 10, KBS_STATUS_FRAGILE);
	check_row(&rows[5], 34, 1, 2, 0, 1, 9, KBS_STATUS_MET);
	/* shortfall and fulfilment do not depend on the status */
	CU_ASSERT_EQUAL(kbs_shortfall(cov, nc, m, req, nr), 1 + 2 + 1 + 2);
	CU_ASSERT_DOUBLE_EQUAL(kbs_fulfilment(cov, nc, m, req, nr), (10.0 + 8 + 1 + 0 + 1 + 1) / (11.0 + 10 + 2 + 2 + 1 + 1), 1e-15);

	/* the boundary: shortfall = unassessed is unknown, one more is a gap */
	nc = parse_cov("(4){1:2,0,0,0,0,0}", cov, &m);
	nr = parse_req("{1:1/2,2:1/1}", req);
	kbs_gaps(cov, nc, m, req, nr, rows);
	check_row(&rows[0], 1, 2, 0, 2, -2, 2, KBS_STATUS_UNKNOWN);
	check_row(&rows[1], 2, 1, 0, 1, -1, 4, KBS_STATUS_UNKNOWN);
	nr = parse_req("{1:1/3}", req);
	kbs_gaps(cov, nc, m, req, nr, rows);
	check_row(&rows[0], 1, 3, 0, 3, -3, 2, KBS_STATUS_GAP);
	/* na is an answer, not unassessed */
	nc = parse_cov("(4){1:2,0,0,0,0,2}", cov, &m);
	nr = parse_req("{1:1/all}", req);
	kbs_gaps(cov, nc, m, req, nr, rows);
	check_row(&rows[0], 1, 2, 0, 2, -2, 0, KBS_STATUS_GAP);
}

/* Counts adding up to more than the members (never a valid value): unassessed stays 0. */
static void
test_unassessed_clamped(void)
{
	kbs_centry bad[1];
	int nr = parse_req("{7:1/1}", req);

	memset(bad, 0, sizeof(bad));
	bad[0].id = 7;
	bad[0].cnt[0] = 3;
	kbs_gaps(bad, 1, 2, req, nr, rows);
	check_row(&rows[0], 7, 1, 0, 1, -1, 0, KBS_STATUS_GAP);
}

static void
test_gain_hand(void)
{
	uint32_t m;
	int nc = parse_cov("(2){1:0,0,2,0,0,0;2:0,0,0,1,0,0}", cov, &m);
	int nr = parse_req("{1:2/all,2:3/2,3:1/1}", req);
	int np;

	/* shortfall: 1 -> 0, 2 -> 1, 3 -> 1 */
	CU_ASSERT_EQUAL(kbs_shortfall(cov, nc, m, req, nr), 2);
	/* a member with nothing: raises the floor's need -> gain -1 */
	CU_ASSERT_EQUAL(kbs_gain(cov, nc, m, req, nr, prof, 0), -1);
	/* na on the floor block does not raise its need */
	np = parse_prof("{1:na}", prof);
	CU_ASSERT_EQUAL(kbs_gain(cov, nc, m, req, nr, prof, np), 0);
	/* meets the floor, fills 2 and 3 */
	np = parse_prof("{1:2,2:4,3:1}", prof);
	CU_ASSERT_EQUAL(kbs_gain(cov, nc, m, req, nr, prof, np), 2);
	/* fills 2 and 3 but lacks the floor */
	np = parse_prof("{1:1,2:3,3:0,4:4}", prof);
	CU_ASSERT_EQUAL(kbs_gain(cov, nc, m, req, nr, prof, np), 0);
	/* when the floor already has a gap, a member lacking it still adds one */
	nc = parse_cov("(2){1:1,0,1,0,0,0}", cov, &m);
	CU_ASSERT_EQUAL(kbs_gain(cov, nc, m, req, nr, prof, 0), -1);

	/* more members than the type can hold: C + p is never built */
	nc = parse_cov("(2147483647){1:0,0,2147483647,0,0,0}", cov, &m);
	nr = parse_req("{1:2/all,2:1/2147483647,3:1/2147483647}", req);
	CU_ASSERT_EQUAL(kbs_shortfall(cov, nc, m, req, nr), 2 * (int64_t) 2147483647);
	np = parse_prof("{1:3,2:1}", prof);
	CU_ASSERT_EQUAL(kbs_gain(cov, nc, m, req, nr, prof, np), 1);
	CU_ASSERT_EQUAL(kbs_gain(cov, nc, m, req, nr, prof, 0), -1);
	kbs_gaps(cov, nc, m, req, nr, rows);
	check_row(&rows[0], 1, 2147483647, 2147483647, 0, 0, 0, KBS_STATUS_MET);
	check_row(&rows[1], 2, 2147483647, 0, 2147483647, -2147483647, 2147483647, KBS_STATUS_UNKNOWN);
}

static void
test_person_gaps_hand(void)
{
	int nr = parse_req("{1:2/all,2:3/all,3:1/all,4:2/1,5:4/all@3,6:1/all}", req);
	int np = parse_prof("{1:1,2:3,3:na,4:0,5:0,7:4}", prof);
	int n = kbs_person_gaps(prof, np, req, nr, pgaps);

	/* 1: level 1 < 2; 2 met; 3 na exempts; 4 is not every member; 5: 0 < 4; 6 not assessed */
	CU_ASSERT_EQUAL_FATAL(n, 3);
	CU_ASSERT(pgaps[0].id == 1 && pgaps[0].min_level == 2 && pgaps[0].level == 1 && pgaps[0].importance == 2);
	CU_ASSERT(pgaps[1].id == 5 && pgaps[1].min_level == 4 && pgaps[1].level == 0 && pgaps[1].importance == 3);
	CU_ASSERT(pgaps[2].id == 6 && pgaps[2].min_level == 1 && pgaps[2].level == -1 && pgaps[2].importance == 2);
	CU_ASSERT_EQUAL(kbs_person_gaps(prof, 0, req, nr, pgaps), 5);
	CU_ASSERT_EQUAL(kbs_person_gaps(prof, np, req, 0, pgaps), 0);
}

static int
run_compose(const kbs_centry *c, int nc, uint32_t m, const kbs_rentry *r, int nr,
			const kbs_pentry *const *cand, const int *cand_n, int ncand, int k, int *out)
{
	size_t sz = kbs_compose_scratch_size(nr, cand_n, ncand);
	void *scratch = malloc(sz);
	int n;

	CU_ASSERT_FATAL(scratch != NULL);
	n = kbs_compose(c, nc, m, r, nr, cand, cand_n, ncand, k, scratch, out);
	free(scratch);
	return n;
}

static void
test_compose_hand(void)
{
	static kbs_pentry cp[5][8];
	const kbs_pentry *cand[5];
	int cand_n[5], out[8], i, n;
	static const char *const texts[5] = {
		"{1:1}",           /* below the floor */
		"{1:2,2:4}",
		"{1:2,2:4,3:3}",
		"{1:2,2:4,3:3}",   /* the same as candidate 3: a tie */
		"{}",              /* nothing assessed */
	};
	uint32_t m;
	int nc = parse_cov("(1){1:0,0,1,0,0,0}", cov, &m);
	int nr = parse_req("{1:2/all,2:4/2,3:3/1}", req);

	for (i = 0; i < 5; i++)
	{
		cand_n[i] = parse_prof(texts[i], cp[i]);
		cand[i] = cp[i];
	}
	/*
	 * Round 1: gains -1, 1, 2, 2, -1 -> pick 3 (tie with 4: lowest index).
	 * Round 2: block 3 is met; gains -1, 1, 1, -1 -> pick 2 (tie with 4).
	 * Round 3: block 2 is met (2 of 2); gains -1, 0, -1 -> stop.
	 */
	n = run_compose(cov, nc, m, req, nr, cand, cand_n, 5, 10, out);
	CU_ASSERT_EQUAL_FATAL(n, 2);
	CU_ASSERT_EQUAL(out[0], 3);
	CU_ASSERT_EQUAL(out[1], 2);
	/* k bounds the picks */
	n = run_compose(cov, nc, m, req, nr, cand, cand_n, 5, 1, out);
	CU_ASSERT_EQUAL(n, 1);
	CU_ASSERT_EQUAL(out[0], 3);
	CU_ASSERT_EQUAL(run_compose(cov, nc, m, req, nr, cand, cand_n, 5, 0, out), 0);
	CU_ASSERT_EQUAL(run_compose(cov, nc, m, req, nr, cand, cand_n, 5, -3, out), 0);
	CU_ASSERT_EQUAL(run_compose(cov, nc, m, req, nr, cand, cand_n, 0, 3, out), 0);
	CU_ASSERT_EQUAL(run_compose(cov, nc, m, req, 0, cand, cand_n, 5, 3, out), 0);
	/* an empty candidate (a NULL array element) is never picked */
	cand[0] = NULL;
	cand_n[0] = 0;
	n = run_compose(cov, nc, m, req, nr, cand, cand_n, 1, 3, out);
	CU_ASSERT_EQUAL(n, 0);
	/* with 0 entries per candidate the scratch is still non-empty */
	CU_ASSERT(kbs_compose_scratch_size(0, cand_n, 0) > 0);
}

/* ------------------------------------------------------------------ */
/* Differential test against a brute-force oracle                      */
/* ------------------------------------------------------------------ */

#define U 12              /* blocks a profile may hold */
#define MAXM 40           /* team members + picked candidates */
#define MAXCAND 14

static const int uni[U] = {1, 2, 3, 5, 8, 13, 21, 100, 1000, 5000, 20000, 32767};
/* requirement ids: the profile blocks and some that no profile ever holds */
#define RU 15
static const int runi[RU] = {1, 2, 3, 4, 5, 8, 13, 21, 100, 777, 1000, 5000, 20000, 30000, 32767};

static uint64_t rng_state;

static uint32_t
rnd(uint32_t bound)
{
	/* splitmix64 */
	uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	z ^= z >> 31;
	return bound ? (uint32_t) (z % bound) : 0;
}

/* A raw profile: code per uni[] slot (0 absent, 1..5 levels, 6 na). */
typedef struct
{
	uint8_t code[U];
} raw_profile;

static void
random_raw(raw_profile *p)
{
	int b;
	int style = (int) rnd(10);

	memset(p, 0, sizeof(*p));
	if (style == 0)
		return;                 /* nothing assessed */
	for (b = 0; b < U; b++)
	{
		uint32_t x = rnd(100);

		if (x < 35)
			p->code[b] = KBS_CODE_ABSENT;
		else if (x < (style == 1 ? 90u : 45u))
			p->code[b] = KBS_CODE_NA;  /* style 1: mostly na */
		else
			p->code[b] = (uint8_t) (KBS_CODE_LEVEL0 + rnd(5));
	}
}

static int
raw_to_entries(const raw_profile *p, kbs_pentry *out)
{
	int b, n = 0;

	for (b = 0; b < U; b++)
		if (p->code[b] != KBS_CODE_ABSENT)
		{
			out[n].id = (uint16_t) uni[b];
			out[n].code = p->code[b];
			n++;
		}
	return n;
}

static int
random_requirement(kbs_rentry *out)
{
	int i, n = 0;
	int density = 10 + (int) rnd(80);

	for (i = 0; i < RU; i++)
	{
		if ((int) rnd(100) >= density)
			continue;
		out[n].id = (uint16_t) runi[i];
		out[n].min_level = (uint8_t) (1 + rnd(4));
		out[n].importance = (uint8_t) (1 + rnd(3));
		out[n].min_members = rnd(100) < 40 ? 0u : 1 + rnd(rnd(2) ? 4 : 25);
		n++;
	}
	return n;
}

/* Slot of block id in uni[], or -1. */
static int
uni_slot(int id)
{
	int b;

	for (b = 0; b < U; b++)
		if (uni[b] == id)
			return b;
	return -1;
}

typedef struct
{
	int64_t needed, present, shortfall, spare, unassessed;
	kbs_status status;
} oracle_row;

/* Count directly over the members' raw profiles. */
static void
oracle_entry(const raw_profile *team, int nm, const kbs_rentry *re, oracle_row *o)
{
	int slot = uni_slot(re->id);
	int64_t present = 0, na = 0, unassessed = 0;
	int i;

	for (i = 0; i < nm; i++)
	{
		uint8_t code = slot < 0 ? 0 : team[i].code[slot];

		if (code == KBS_CODE_NA)
			na++;
		else if (code >= KBS_CODE_LEVEL0 && code <= KBS_CODE_LEVEL4 && code - 1 >= re->min_level)
			present++;
		else if (code == KBS_CODE_ABSENT)
			unassessed++;
	}
	o->present = present;
	o->needed = re->min_members == 0 ? nm - na : (int64_t) re->min_members;
	o->shortfall = o->needed > present ? o->needed - present : 0;
	o->spare = present - o->needed;
	o->unassessed = unassessed;
	/* short even if every unassessed member met it */
	if (o->shortfall > unassessed)
		o->status = KBS_STATUS_GAP;
	else if (o->shortfall > 0)
		o->status = KBS_STATUS_UNKNOWN;
	else if (re->min_members != 0 && o->needed > 0 && o->spare == 0)
		o->status = KBS_STATUS_FRAGILE;
	else
		o->status = KBS_STATUS_MET;
}

static int64_t
oracle_shortfall(const raw_profile *team, int nm, const kbs_rentry *r, int nr)
{
	int64_t s = 0;
	int j;

	for (j = 0; j < nr; j++)
	{
		oracle_row o;

		oracle_entry(team, nm, &r[j], &o);
		s += o.shortfall;
	}
	return s;
}

static double
oracle_fulfilment(const raw_profile *team, int nm, const kbs_rentry *r, int nr)
{
	int64_t met = 0, needed = 0;
	int j;

	for (j = 0; j < nr; j++)
	{
		oracle_row o;

		oracle_entry(team, nm, &r[j], &o);
		met += o.present < o.needed ? o.present : o.needed;
		needed += o.needed;
	}
	return needed == 0 ? 1.0 : (double) met / (double) needed;
}

/* Naive greedy: gains recomputed from the raw members every round. */
static int
oracle_compose(const raw_profile *team, int nm, const kbs_rentry *r, int nr,
			   const raw_profile *cand, int ncand, int k, int *out)
{
	raw_profile grown[MAXM];
	bool picked[MAXCAND] = {false};
	int n = nm, npicked = 0, i;

	memcpy(grown, team, (size_t) nm * sizeof(raw_profile));
	while (npicked < k)
	{
		int64_t base = oracle_shortfall(grown, n, r, nr), best_gain = 0;
		int best = -1;

		for (i = 0; i < ncand; i++)
		{
			int64_t g;

			if (picked[i])
				continue;
			grown[n] = cand[i];
			g = base - oracle_shortfall(grown, n + 1, r, nr);
			if (best < 0 || g > best_gain)
			{
				best = i;
				best_gain = g;
			}
		}
		if (best < 0 || best_gain <= 0)
			break;
		picked[best] = true;
		grown[n++] = cand[best];
		out[npicked++] = best + 1;
	}
	return npicked;
}

static void
test_differential(void)
{
	static raw_profile team[MAXM], cand_raw[MAXCAND];
	static kbs_pentry cand_e[MAXCAND][U];
	const kbs_pentry *cand[MAXCAND];
	int cand_n[MAXCAND];
	int iter, failures = 0, composed = 0, picks_total = 0;
	int seen[4] = {0, 0, 0, 0};

	rng_state = 20240601;
	for (iter = 0; iter < 3000 && failures < 10; iter++)
	{
		int nm = (int) rnd(21), nc = 0, nr, i, j, np, ncand, k, got, want;
		uint32_t m = 0, m2;
		int got_out[MAXCAND], want_out[MAXCAND];
		kbs_error err;
		int64_t s, s2, g;
		raw_profile p;
		bool bad = false;

		/* team, and its coverage member by member */
		for (i = 0; i < nm; i++)
		{
			int n2;

			random_raw(&team[i]);
			np = raw_to_entries(&team[i], prof);
			n2 = kbs_coverage_add_profile(cov, nc, m, prof, np, cov2, &m, &err);
			CU_ASSERT_FATAL(n2 >= 0);
			memcpy(cov, cov2, (size_t) n2 * sizeof(kbs_centry));
			nc = n2;
		}
		CU_ASSERT_EQUAL_FATAL(m, (uint32_t) nm);
		nr = random_requirement(req);

		/* gaps */
		kbs_gaps(cov, nc, m, req, nr, rows);
		for (j = 0; j < nr; j++)
		{
			oracle_row o;

			oracle_entry(team, nm, &req[j], &o);
			if ((unsigned) o.status < 4)
				seen[o.status]++;
			if (rows[j].id != req[j].id || rows[j].min_level != req[j].min_level ||
				rows[j].importance != req[j].importance || rows[j].min_members != req[j].min_members ||
				rows[j].needed != o.needed || rows[j].present != o.present ||
				rows[j].shortfall != o.shortfall || rows[j].spare != o.spare ||
				rows[j].unassessed != o.unassessed || rows[j].status != o.status)
			{
				fprintf(stderr, "\n    iter %d block %d: row differs from the oracle\n", iter, req[j].id);
				bad = true;
			}
		}
		/* fulfilment and shortfall */
		s = kbs_shortfall(cov, nc, m, req, nr);
		if (s != oracle_shortfall(team, nm, req, nr))
		{
			fprintf(stderr, "\n    iter %d: shortfall %lld\n", iter, (long long) s);
			bad = true;
		}
		if (kbs_fulfilment(cov, nc, m, req, nr) != oracle_fulfilment(team, nm, req, nr))
		{
			fprintf(stderr, "\n    iter %d: fulfilment differs\n", iter);
			bad = true;
		}

		/* gain of a random candidate, two ways */
		random_raw(&p);
		np = raw_to_entries(&p, prof);
		g = kbs_gain(cov, nc, m, req, nr, prof, np);
		team[nm] = p;
		if (g != oracle_shortfall(team, nm, req, nr) - oracle_shortfall(team, nm + 1, req, nr))
		{
			fprintf(stderr, "\n    iter %d: gain %lld differs from the oracle\n", iter, (long long) g);
			bad = true;
		}
		{
			int n2 = kbs_coverage_add_profile(cov, nc, m, prof, np, cov2, &m2, &err);

			CU_ASSERT_FATAL(n2 >= 0);
			s2 = kbs_shortfall(cov2, n2, m2, req, nr);
			if (g != s - s2)
			{
				fprintf(stderr, "\n    iter %d: gain %lld, shortfall(C) - shortfall(C+p) = %lld\n",
						iter, (long long) g, (long long) (s - s2));
				bad = true;
			}
		}

		/* person gaps of that candidate */
		{
			int n = kbs_person_gaps(prof, np, req, nr, pgaps), q = 0;
			bool pbad = false;

			for (j = 0; j < nr; j++)
			{
				int slot = uni_slot(req[j].id);
				uint8_t code = slot < 0 ? 0 : p.code[slot];
				int level = (code >= 1 && code <= 5) ? code - 1 : -1;

				if (req[j].min_members != 0 || code == KBS_CODE_NA || level >= req[j].min_level)
					continue;
				if (q >= n || pgaps[q].id != req[j].id || pgaps[q].level != level ||
					pgaps[q].min_level != req[j].min_level || pgaps[q].importance != req[j].importance)
					pbad = true;
				q++;
			}
			if (q != n)
				pbad = true;
			if (pbad)
			{
				fprintf(stderr, "\n    iter %d: person gaps differ\n", iter);
				bad = true;
			}
		}

		/* compose against the naive greedy */
		ncand = (int) rnd(MAXCAND + 1);
		for (i = 0; i < ncand; i++)
		{
			random_raw(&cand_raw[i]);
			/* duplicates make ties */
			if (i > 0 && rnd(5) == 0)
				cand_raw[i] = cand_raw[rnd((uint32_t) i)];
			cand_n[i] = raw_to_entries(&cand_raw[i], cand_e[i]);
			cand[i] = cand_n[i] > 0 ? cand_e[i] : NULL;
		}
		k = (int) rnd((uint32_t) ncand + 3) - 1;
		got = run_compose(cov, nc, m, req, nr, cand, cand_n, ncand, k, got_out);
		want = oracle_compose(team, nm, req, nr, cand_raw, ncand, k, want_out);
		if (got != want || (got > 0 && memcmp(got_out, want_out, (size_t) got * sizeof(int)) != 0))
		{
			fprintf(stderr, "\n    iter %d: compose picked %d, the naive greedy %d\n", iter, got, want);
			bad = true;
		}
		if (got > 0)
			composed++;
		picks_total += got;

		CU_ASSERT(!bad);
		if (bad)
			failures++;
	}
	/* the random cases must actually exercise every status and compose */
	CU_ASSERT(seen[KBS_STATUS_MET] > 100 && seen[KBS_STATUS_FRAGILE] > 100 &&
			  seen[KBS_STATUS_GAP] > 100 && seen[KBS_STATUS_UNKNOWN] > 100);
	CU_ASSERT(composed > 300);
	CU_ASSERT(picks_total > 1000);
}

/* 500 candidates x 40 entries x k = 10, checked against kbs_gain rounds. */
static void
test_compose_scale(void)
{
	enum { NCAND = 500, NR = 40, K = 10, NP = 150 };
	static kbs_pentry cp[NCAND][NP];
	const kbs_pentry **cand = malloc(NCAND * sizeof(*cand));
	int *cand_n = malloc(NCAND * sizeof(int));
	bool picked[NCAND] = {false};
	int out[K], want[K], nwant = 0, n, i, j, nc = 0;
	uint32_t m = 0;
	kbs_error err;

	CU_ASSERT_FATAL(cand != NULL && cand_n != NULL);
	rng_state = 77;
	/* requirement on blocks 1..400 step 10, a third every member */
	for (j = 0; j < NR; j++)
	{
		req[j].id = (uint16_t) (1 + 10 * j);
		req[j].min_level = (uint8_t) (1 + rnd(4));
		req[j].importance = 2;
		req[j].min_members = rnd(3) == 0 ? 0u : 1 + rnd(6);
	}
	/* a team of 8 */
	for (i = 0; i < 8; i++)
	{
		int np = 0, b, n2;

		for (b = 1; b <= 400 && np < NP; b += 1 + (int) rnd(4))
		{
			prof[np].id = (uint16_t) b;
			prof[np].code = (uint8_t) (rnd(8) == 0 ? KBS_CODE_NA : KBS_CODE_LEVEL0 + rnd(5));
			np++;
		}
		n2 = kbs_coverage_add_profile(cov, nc, m, prof, np, cov2, &m, &err);
		CU_ASSERT_FATAL(n2 >= 0);
		memcpy(cov, cov2, (size_t) n2 * sizeof(kbs_centry));
		nc = n2;
	}
	for (i = 0; i < NCAND; i++)
	{
		int np = 0, b;

		for (b = 1; b <= 400 && np < NP; b += 1 + (int) rnd(4))
		{
			cp[i][np].id = (uint16_t) b;
			cp[i][np].code = (uint8_t) (rnd(8) == 0 ? KBS_CODE_NA : KBS_CODE_LEVEL0 + rnd(5));
			np++;
		}
		cand[i] = cp[i];
		cand_n[i] = np;
	}

	n = run_compose(cov, nc, m, req, NR, cand, cand_n, NCAND, K, out);

	/* the same greedy with kbs_gain and materialised coverages */
	while (nwant < K)
	{
		int64_t best_gain = 0;
		int best = -1, n2;

		for (i = 0; i < NCAND; i++)
		{
			int64_t g;

			if (picked[i])
				continue;
			g = kbs_gain(cov, nc, m, req, NR, cand[i], cand_n[i]);
			if (g > best_gain)
			{
				best_gain = g;
				best = i;
			}
		}
		if (best < 0)
			break;
		picked[best] = true;
		want[nwant++] = best + 1;
		n2 = kbs_coverage_add_profile(cov, nc, m, cand[best], cand_n[best], cov2, &m, &err);
		CU_ASSERT_FATAL(n2 >= 0);
		memcpy(cov, cov2, (size_t) n2 * sizeof(kbs_centry));
		nc = n2;
	}
	CU_ASSERT_EQUAL(n, nwant);
	CU_ASSERT(n > 0 && memcmp(out, want, (size_t) n * sizeof(int)) == 0);
	/* generous: about a millisecond without sanitizers */
	free(cand);
	free(cand_n);
}

int
kbs_register_gaps_tests(void)
{
	static const test_case gaps_hand_checked[] = {
		{"status names", test_status_names},
		{"empty team", test_empty_team},
		{"all-na block, every member", test_all_na_every_member},
		{"member without assessment", test_member_without_assessment},
		{"fragile at spare 0 with a number", test_fragile},
		{"not fragile with every member", test_not_fragile_every_member},
		{"fulfilment", test_fulfilment},
		{"requirement blocks absent from the coverage", test_blocks_absent_from_coverage},
		{"unknown: short only if the unassessed fall short", test_unknown_hand},
		{"unassessed clamped on an invalid coverage", test_unassessed_clamped},
		{"gain", test_gain_hand},
		{"person gaps", test_person_gaps_hand},
		{"compose", test_compose_hand},
		{NULL, NULL}
	};
	static const test_case gaps_differential[] = {
		{"gaps, fulfilment, shortfall, gain, person gaps, compose vs oracle", test_differential},
		{"compose 500 candidates x 40 entries x k 10", test_compose_scale},
		{NULL, NULL}
	};

	if (test_add_suite("gaps, hand-checked", gaps_hand_checked) != 0 ||
		test_add_suite("gaps, differential", gaps_differential) != 0)
		return -1;
	return 0;
}
