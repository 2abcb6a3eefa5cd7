/*
 * Random round trips through text, storage and wire for all three types,
 * plus algebraic properties of merge_max, raise, add and add_profile.
 * Deterministic: a fixed-seed xorshift64 generator.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "kbs_core.h"

int kbs_register_roundtrip_tests(void);

#define ROUNDS 1500

static char text[2000000];
static char text2[2000000];
static uint8_t bin[1200000];
static uint8_t codes[KBS_MAX_BLOCK_ID + 1];

/* ------------------------------------------------------------------ */
/* Noisy text helpers                                                  */
/* ------------------------------------------------------------------ */

static char *
put_ws(char *p)
{
	static const char ws[] = " \t\n\r\v\f";
	int k = test_chance(30) ? (int) test_rnd_between(1, 3) : 0;

	while (k-- > 0)
		*p++ = ws[test_rnd() % 6];
	return p;
}

/* Random whitespace, then c. */
static char *
put_sep(char *p, char c)
{
	p = put_ws(p);
	*p++ = c;
	return p;
}

/* a number, sometimes with leading zeros as long as it stays <= 10 chars */
static char *
put_num(char *p, uint32_t v)
{
	int len = sprintf(p, "%u", (unsigned) v);

	if (len <= 8 && test_chance(10))
	{
		memmove(p + 2, p, (size_t) len);
		p[0] = p[1] = '0';
		len += 2;
	}
	return p + len;
}

/* Entry i of a noisy profile or requirement text up to its value: a comma before all but the
 * first, the block id and its colon. */
static char *
put_entry_id(char *p, int i, uint32_t id)
{
	if (i > 0)
		p = put_sep(p, ',');
	p = put_ws(p);
	p = put_num(p, id);
	p = put_sep(p, ':');
	return put_ws(p);
}

static void
shuffle(int *idx, int n)
{
	int i;

	for (i = n - 1; i > 0; i--)
	{
		int j = (int) (test_rnd() % (uint64_t) (i + 1));
		int t = idx[i];

		idx[i] = idx[j];
		idx[j] = t;
	}
}

static int order[KBS_MAX_ENTRIES + 100];

/* ------------------------------------------------------------------ */
/* Profile                                                             */
/* ------------------------------------------------------------------ */

static kbs_pentry pa[KBS_MAX_ENTRIES], pb[KBS_MAX_ENTRIES], pc[KBS_MAX_ENTRIES], pd[KBS_MAX_ENTRIES];

static int
random_profile(kbs_pentry *e)
{
	int n = 0, i, id, mode = (int) (test_rnd() % 5);
	int touched[2000], nt = 0;

	if (mode == 0)
	{
		/* a few anywhere, including the boundary ids */
		int k = (int) test_rnd_between(0, 4);

		for (i = 0; i < k; i++)
			touched[nt++] = test_chance(20) ? (test_chance(50) ? 1 : KBS_MAX_BLOCK_ID) : (int) test_rnd_between(1, KBS_MAX_BLOCK_ID);
	}
	else if (mode == 1 || mode == 2)
	{
		/* a run, filled densely (1) or thinly (2) */
		int span = (int) test_rnd_between(1, 400);
		int base = (int) test_rnd_between(1, KBS_MAX_BLOCK_ID - span + 1);
		unsigned fill = mode == 1 ? 90 : 15;

		for (i = 0; i < span; i++)
			if (test_chance(fill))
				touched[nt++] = base + i;
	}
	else if (mode == 3)
	{
		int k = (int) test_rnd_between(0, 150);

		for (i = 0; i < k; i++)
			touched[nt++] = (int) test_rnd_between(1, KBS_MAX_BLOCK_ID);
	}
	else
	{
		/* shipped-catalogue-like ids below 100 */
		int k = (int) test_rnd_between(0, 60);

		for (i = 0; i < k; i++)
			touched[nt++] = (int) test_rnd_between(1, 99);
	}
	for (i = 0; i < nt; i++)
		codes[touched[i]] = (uint8_t) test_rnd_between(1, 6);
	/* collect in id order without scanning all 32767 ids */
	for (i = 0; i < nt; i++)
		order[i] = touched[i];
	for (i = 1; i < nt; i++)
	{
		int v = order[i], j = i - 1;

		while (j >= 0 && order[j] > v)
		{
			order[j + 1] = order[j];
			j--;
		}
		order[j + 1] = v;
	}
	for (i = 0; i < nt; i++)
	{
		id = order[i];
		if (codes[id] == 0)
			continue; /* duplicate already taken */
		e[n].id = (uint16_t) id;
		e[n].code = codes[id];
		codes[id] = 0;
		n++;
	}
	return n;
}

static size_t
noisy_profile_text(const kbs_pentry *e, int n, char *buf)
{
	char *p = buf;
	int i;

	for (i = 0; i < n; i++)
		order[i] = i;
	shuffle(order, n);
	p = put_sep(p, '{');
	for (i = 0; i < n; i++)
	{
		const kbs_pentry *x = &e[order[i]];

		p = put_entry_id(p, i, x->id);
		if (x->code == KBS_CODE_NA)
			p += sprintf(p, "na");
		else
			*p++ = (char) ('0' + kbs_level_from_code(x->code));
	}
	p = put_sep(p, '}');
	p = put_ws(p);
	return (size_t) (p - buf);
}

static void
test_profile_roundtrips(void)
{
	int round, failures = 0;

	test_rng_state = 0x9e3779b97f4a7c15ull;
	for (round = 0; round < ROUNDS && failures < 5; round++)
	{
		int n = random_profile(pa), m, i;
		size_t tsize, ssize, sparse, dense;
		kbs_error err;

		/* canonical text */
		tsize = kbs_profile_text_size(pa, n);
		kbs_profile_print(pa, n, text);
		CU_ASSERT_EQUAL(strlen(text) + 1, tsize);
		m = kbs_profile_parse(text, strlen(text), pb, &err);
		if (!test_profile_equal(pa, n, pb, m))
		{
			failures++;
			CU_FAIL("profile text round trip");
		}
		/* noisy text parses to the same value */
		tsize = noisy_profile_text(pa, n, text2);
		m = kbs_profile_parse(text2, tsize, pb, &err);
		if (!test_profile_equal(pa, n, pb, m))
		{
			failures++;
			fprintf(stderr, "\n    noisy text '%.*s': %s\n", (int) tsize, text2, err.msg);
			CU_FAIL("profile noisy text");
		}
		/* storage, with the size of the smaller layout */
		ssize = kbs_profile_storage_size(pa, n);
		sparse = 2 + 3 * (size_t) n;
		dense = n > 0 ? 6 + 3 * (((size_t) pa[n - 1].id - pa[0].id + 1 + 7) / 8) : sparse;
		CU_ASSERT_EQUAL(ssize, sparse < dense ? sparse : dense);
		kbs_profile_store(pa, n, bin);
		m = kbs_profile_load(bin, ssize, pb, &err);
		if (!test_profile_equal(pa, n, pb, m))
		{
			failures++;
			fprintf(stderr, "\n    storage load: %s\n", err.msg);
			CU_FAIL("profile storage round trip");
		}
		for (i = 0; i < n; i++)
			CU_ASSERT_EQUAL(kbs_profile_code_of(bin, ssize, pa[i].id), pa[i].code);
		for (i = 0; i < 20; i++)
		{
			int id = (int) test_rnd_between(0, KBS_MAX_BLOCK_ID + 1);

			CU_ASSERT_EQUAL(kbs_profile_code_of(bin, ssize, id), kbs_profile_find(pa, n, id));
		}
		/* a truncated or extended buffer is never accepted */
		CU_ASSERT_EQUAL(kbs_profile_load(bin, ssize - 1, pb, NULL), -1);
		bin[ssize] = 0;
		CU_ASSERT_EQUAL(kbs_profile_load(bin, ssize + 1, pb, NULL), -1);
		/* wire */
		CU_ASSERT_EQUAL(kbs_profile_wire_size(n), 5 + 3 * (size_t) n);
		kbs_profile_wire_encode(pa, n, bin);
		m = kbs_profile_wire_decode(bin, kbs_profile_wire_size(n), pb, &err);
		if (!test_profile_equal(pa, n, pb, m))
		{
			failures++;
			CU_FAIL("profile wire round trip");
		}
		CU_ASSERT_EQUAL(kbs_profile_wire_decode(bin, kbs_profile_wire_size(n) - 1, pb, NULL), -1);
	}
	CU_ASSERT_EQUAL(failures, 0);
}

static int
rank(uint8_t code)
{
	return code == KBS_CODE_NA ? 1 : code == 0 ? 0 : code + 1;
}

static void
test_profile_operation_properties(void)
{
	int round;

	test_rng_state = 0x1234567887654321ull;
	for (round = 0; round < ROUNDS; round++)
	{
		int na = random_profile(pa), nb = random_profile(pb), n1, n2, i, id, level;
		bool ok = true;

		n1 = kbs_profile_merge_max(pa, na, pb, nb, pc);
		n2 = kbs_profile_merge_max(pb, nb, pa, na, pd);
		CU_ASSERT_TRUE(test_profile_equal(pc, n1, pd, n2));
		/* sorted, and each block holds the higher-ranked code */
		for (i = 0; i < n1; i++)
		{
			uint8_t ca = kbs_profile_find(pa, na, pc[i].id), cb = kbs_profile_find(pb, nb, pc[i].id);

			if ((i > 0 && pc[i - 1].id >= pc[i].id) || pc[i].code != (rank(ca) >= rank(cb) ? ca : cb))
				ok = false;
		}
		for (i = 0; i < na; i++)
			if (kbs_profile_find(pc, n1, pa[i].id) == 0)
				ok = false;
		CU_ASSERT_TRUE(ok);
		n2 = kbs_profile_merge_max(pc, n1, pc, n1, pd);
		CU_ASSERT_TRUE(test_profile_equal(pc, n1, pd, n2));

		/* raise: only the one block changes, to at least the level */
		id = test_chance(50) && na > 0 ? pa[test_rnd() % (uint64_t) na].id : (int) test_rnd_between(1, KBS_MAX_BLOCK_ID);
		level = (int) test_rnd_between(0, 4);
		n1 = kbs_profile_raise(pa, na, id, level, pc);
		CU_ASSERT(n1 == na || n1 == na + 1);
		CU_ASSERT(kbs_profile_level(pc, n1, id) >= level);
		CU_ASSERT(kbs_profile_level(pc, n1, id) == (kbs_profile_level(pa, na, id) > level ? kbs_profile_level(pa, na, id) : level));
		for (i = 0; i < n1; i++)
			if (pc[i].id != id && pc[i].code != kbs_profile_find(pa, na, pc[i].id))
				ok = false;
		CU_ASSERT_TRUE(ok);
	}
}

/* ------------------------------------------------------------------ */
/* Requirement                                                         */
/* ------------------------------------------------------------------ */

static kbs_rentry ra[KBS_MAX_ENTRIES], rb[KBS_MAX_ENTRIES];

static int
random_requirement(kbs_rentry *e)
{
	int n = random_profile(pa), i;

	/* reuse the profile id shapes */
	for (i = 0; i < n; i++)
	{
		e[i].id = pa[i].id;
		e[i].min_level = (uint8_t) test_rnd_between(1, 4);
		e[i].importance = (uint8_t) (test_chance(60) ? 2 : test_rnd_between(1, 3));
		if (test_chance(25))
			e[i].min_members = 0;
		else if (test_chance(80))
			e[i].min_members = test_rnd_between(1, 12);
		else
			e[i].min_members = test_rnd_between(1, KBS_MAX_MEMBERS);
	}
	return n;
}

static size_t
noisy_requirement_text(const kbs_rentry *e, int n, char *buf)
{
	char *p = buf;
	int i;

	for (i = 0; i < n; i++)
		order[i] = i;
	shuffle(order, n);
	p = put_sep(p, '{');
	for (i = 0; i < n; i++)
	{
		const kbs_rentry *x = &e[order[i]];

		p = put_entry_id(p, i, x->id);
		*p++ = (char) ('0' + x->min_level);
		p = put_sep(p, '/');
		p = put_ws(p);
		if (x->min_members == 0)
			p += sprintf(p, "all");
		else
			p = put_num(p, x->min_members);
		if (x->importance != 2 || test_chance(30))
		{
			p = put_sep(p, '@');
			p = put_ws(p);
			*p++ = (char) ('0' + x->importance);
		}
	}
	p = put_sep(p, '}');
	p = put_ws(p);
	return (size_t) (p - buf);
}

static void
test_requirement_roundtrips(void)
{
	int round, failures = 0;

	test_rng_state = 0xdeadbeefcafef00dull;
	for (round = 0; round < ROUNDS && failures < 5; round++)
	{
		int n = random_requirement(ra), m;
		size_t size;
		kbs_error err;

		size = kbs_requirement_text_size(ra, n);
		kbs_requirement_print(ra, n, text);
		CU_ASSERT_EQUAL(strlen(text) + 1, size);
		m = kbs_requirement_parse(text, strlen(text), rb, &err);
		if (!test_requirement_equal(ra, n, rb, m))
		{
			failures++;
			fprintf(stderr, "\n    text '%s': %s\n", text, err.msg);
			CU_FAIL("requirement text round trip");
		}
		size = noisy_requirement_text(ra, n, text2);
		m = kbs_requirement_parse(text2, size, rb, &err);
		if (!test_requirement_equal(ra, n, rb, m))
		{
			failures++;
			fprintf(stderr, "\n    noisy text '%.*s': %s\n", (int) size, text2, err.msg);
			CU_FAIL("requirement noisy text");
		}
		size = kbs_requirement_storage_size(ra, n);
		CU_ASSERT_EQUAL(size, 1 + 7 * (size_t) n);
		kbs_requirement_store(ra, n, bin);
		m = kbs_requirement_load(bin, size, rb, &err);
		if (!test_requirement_equal(ra, n, rb, m))
		{
			failures++;
			CU_FAIL("requirement storage round trip");
		}
		CU_ASSERT_EQUAL(kbs_requirement_load(bin, size - 1, rb, NULL), -1);
		size = kbs_requirement_wire_size(n);
		kbs_requirement_wire_encode(ra, n, bin);
		m = kbs_requirement_wire_decode(bin, size, rb, &err);
		if (!test_requirement_equal(ra, n, rb, m))
		{
			failures++;
			CU_FAIL("requirement wire round trip");
		}
		bin[size] = 0;
		CU_ASSERT_EQUAL(kbs_requirement_wire_decode(bin, size + 1, rb, NULL), -1);
	}
	CU_ASSERT_EQUAL(failures, 0);
}

/* ------------------------------------------------------------------ */
/* Coverage                                                            */
/* ------------------------------------------------------------------ */

static kbs_centry ca[KBS_MAX_ENTRIES], cb[KBS_MAX_ENTRIES], cc[KBS_MAX_ENTRIES], cd[KBS_MAX_ENTRIES], ce[KBS_MAX_ENTRIES];

static uint32_t
random_members(void)
{
	if (test_chance(70))
		return test_rnd_between(0, 30);
	if (test_chance(60))
		return test_rnd_between(0, 100000);
	return test_rnd_between(0, KBS_MAX_MEMBERS);
}

/* counts that add up to at most members, at least one non-zero */
static void
random_counts(kbs_centry *e, uint32_t members)
{
	uint32_t left = members;
	int k;

	for (k = 0; k < KBS_NCOUNTS; k++)
	{
		e->cnt[k] = test_chance(40) ? 0 : test_rnd_between(0, left);
		left -= e->cnt[k];
	}
	if (e->cnt[0] + e->cnt[1] + e->cnt[2] + e->cnt[3] + e->cnt[4] + e->cnt[5] == 0)
		e->cnt[test_rnd() % KBS_NCOUNTS] = 1;
}

static int
random_coverage(kbs_centry *e, uint32_t *members)
{
	int n, i;

	*members = random_members();
	if (*members == 0)
		return 0;
	n = random_profile(pa);
	for (i = 0; i < n; i++)
	{
		e[i].id = pa[i].id;
		random_counts(&e[i], *members);
	}
	return n;
}

static size_t
noisy_coverage_text(const kbs_centry *e, int n, uint32_t members, char *buf)
{
	char *p = buf;
	int i, k, extra = 0;

	/* all-zero entries for unused ids are accepted and dropped */
	for (i = 0; i < n; i++)
		order[i] = i;
	if (test_chance(30))
	{
		for (i = 0; i < 3; i++)
		{
			int id = (int) test_rnd_between(1, KBS_MAX_BLOCK_ID), j;
			bool fresh = kbs_coverage_find(e, n, id) == NULL;

			for (j = 0; j < extra; j++)
				if (order[n + j] == -id)
					fresh = false;
			if (fresh)
				order[n + extra++] = -id;
		}
	}
	shuffle(order, n + extra);
	p = put_sep(p, '(');
	p = put_ws(p);
	p = put_num(p, members);
	p = put_sep(p, ')');
	p = put_sep(p, '{');
	for (i = 0; i < n + extra; i++)
	{
		if (i > 0)
			p = put_sep(p, ';');
		p = put_ws(p);
		if (order[i] < 0)
		{
			p = put_num(p, (uint32_t) -order[i]);
			p += sprintf(p, ":0,0,0,0,0,0");
			continue;
		}
		p = put_num(p, e[order[i]].id);
		p = put_sep(p, ':');
		for (k = 0; k < KBS_NCOUNTS; k++)
		{
			if (k > 0)
				p = put_sep(p, ',');
			p = put_ws(p);
			p = put_num(p, e[order[i]].cnt[k]);
		}
	}
	p = put_sep(p, '}');
	p = put_ws(p);
	return (size_t) (p - buf);
}

static void
test_coverage_roundtrips(void)
{
	int round, failures = 0;

	test_rng_state = 0x0123456789abcdefull;
	for (round = 0; round < ROUNDS && failures < 5; round++)
	{
		uint32_t members, m2 = 0, max = 0;
		int n = random_coverage(ca, &members), m, i, k;
		size_t size, sparse, dense;
		unsigned w;
		kbs_error err;

		size = kbs_coverage_text_size(ca, n, members);
		kbs_coverage_print(ca, n, members, text);
		CU_ASSERT_EQUAL(strlen(text) + 1, size);
		m = kbs_coverage_parse(text, strlen(text), cb, &m2, &err);
		if (!test_coverage_equal(ca, n, cb, m) || m2 != members)
		{
			failures++;
			fprintf(stderr, "\n    text '%.200s': %s\n", text, err.msg);
			CU_FAIL("coverage text round trip");
		}
		size = noisy_coverage_text(ca, n, members, text2);
		m = kbs_coverage_parse(text2, size, cb, &m2, &err);
		if (!test_coverage_equal(ca, n, cb, m) || m2 != members)
		{
			failures++;
			fprintf(stderr, "\n    noisy text '%.*s': %s\n", (int) (size > 300 ? 300 : size), text2, err.msg);
			CU_FAIL("coverage noisy text");
		}

		for (i = 0; i < n; i++)
			for (k = 0; k < KBS_NCOUNTS; k++)
				if (ca[i].cnt[k] > max)
					max = ca[i].cnt[k];
		w = max <= 0xff ? 1 : max <= 0xffff ? 2 : 4;
		sparse = 9 + (size_t) n * (2 + 6 * w);
		dense = n > 0 ? 11 + ((size_t) ca[n - 1].id - ca[0].id + 1) * 6 * w : sparse;
		size = kbs_coverage_storage_size(ca, n, members);
		CU_ASSERT_EQUAL(size, sparse <= dense ? sparse : dense);
		kbs_coverage_store(ca, n, members, bin);
		CU_ASSERT_EQUAL(bin[1], w);
		CU_ASSERT_EQUAL(bin[2], dense < sparse ? KBS_LAYOUT_DENSE : KBS_LAYOUT_SPARSE);
		m = kbs_coverage_load(bin, size, cb, &m2, &err);
		if (!test_coverage_equal(ca, n, cb, m) || m2 != members)
		{
			failures++;
			fprintf(stderr, "\n    storage: %s\n", err.msg);
			CU_FAIL("coverage storage round trip");
		}
		CU_ASSERT_EQUAL(kbs_coverage_stored_members(bin, size), members);
		CU_ASSERT_EQUAL(kbs_coverage_load(bin, size - 1, cb, &m2, NULL), -1);

		size = kbs_coverage_wire_size(n);
		kbs_coverage_wire_encode(ca, n, members, bin);
		m = kbs_coverage_wire_decode(bin, size, cb, &m2, &err);
		if (!test_coverage_equal(ca, n, cb, m) || m2 != members)
		{
			failures++;
			CU_FAIL("coverage wire round trip");
		}
		bin[size] = 0;
		CU_ASSERT_EQUAL(kbs_coverage_wire_decode(bin, size + 1, cb, &m2, NULL), -1);
	}
	CU_ASSERT_EQUAL(failures, 0);
}

/* Coverage of profiles [from, to) of ps, one add_profile at a time. */
static int
coverage_of(kbs_pentry (*ps)[120], const int *np, int from, int to, kbs_centry *out, uint32_t *members)
{
	static kbs_centry tmp[KBS_MAX_ENTRIES];
	uint32_t m = 0;
	int n = 0, i;
	kbs_error err;

	for (i = from; i < to; i++)
	{
		n = kbs_coverage_add_profile(out, n, m, ps[i], np[i], tmp, &m, &err);
		CU_ASSERT_FATAL(n >= 0);
		memcpy(out, tmp, sizeof(*out) * (size_t) n);
	}
	*members = m;
	return n;
}

static void
test_coverage_algebra(void)
{
	/* small profiles over ids 1..120 so that blocks are shared */
	static kbs_pentry ps[12][120];
	int np[12];
	int round;

	test_rng_state = 0xfeedfacefeedfaceull;
	for (round = 0; round < 300; round++)
	{
		int people = (int) test_rnd_between(0, 12), i, id, split = people ? (int) test_rnd_between(0, (uint32_t) people) : 0;
		uint32_t m_all, m1, m2, m3, mx;
		int n_all, n1, n2, n3, nx;
		kbs_error err;
		bool ok = true;

		for (i = 0; i < people; i++)
		{
			np[i] = 0;
			if (test_chance(15))
				continue; /* nobody assessed this member */
			for (id = 1; id <= 120; id++)
				if (test_chance(30))
				{
					ps[i][np[i]].id = (uint16_t) id;
					ps[i][np[i]].code = (uint8_t) test_rnd_between(1, 6);
					np[i]++;
				}
		}
		n_all = coverage_of(ps, np, 0, people, ca, &m_all);
		CU_ASSERT_EQUAL(m_all, (uint32_t) people);

		/* every count equals a direct tally of the profiles */
		for (id = 1; id <= 120; id++)
		{
			uint32_t tally[KBS_NCOUNTS] = {0}, h[KBS_NCOUNTS];
			int k, level;

			for (i = 0; i < people; i++)
			{
				uint8_t c = kbs_profile_find(ps[i], np[i], id);

				if (c)
					tally[kbs_cnt_index_from_code(c)]++;
			}
			kbs_coverage_histogram(ca, n_all, id, h);
			for (k = 0; k < KBS_NCOUNTS; k++)
				if (h[k] != tally[k])
					ok = false;
			for (level = 0; level <= 4; level++)
			{
				uint32_t want = 0;

				for (k = level; k <= 4; k++)
					want += tally[k];
				if (kbs_coverage_count_at_least(ca, n_all, id, level) != want)
					ok = false;
			}
		}
		CU_ASSERT_TRUE(ok);

		/* split, aggregate both halves, add: the same coverage, both ways round */
		n1 = coverage_of(ps, np, 0, split, cb, &m1);
		n2 = coverage_of(ps, np, split, people, cc, &m2);
		nx = kbs_coverage_add(cb, n1, m1, cc, n2, m2, cd, &mx, &err);
		CU_ASSERT_TRUE(test_coverage_equal(ca, n_all, cd, nx) && mx == m_all);
		nx = kbs_coverage_add(cc, n2, m2, cb, n1, m1, cd, &mx, &err);
		CU_ASSERT_TRUE(test_coverage_equal(ca, n_all, cd, nx) && mx == m_all);

		/* associativity over three random coverages */
		n1 = random_coverage(cb, &m1);
		n2 = random_coverage(cc, &m2);
		n3 = random_coverage(cd, &m3);
		if ((uint64_t) m1 + m2 + m3 <= KBS_MAX_MEMBERS)
		{
			static kbs_centry t1[KBS_MAX_ENTRIES], t2[KBS_MAX_ENTRIES];
			uint32_t mt1, mt2, mr1, mr2;
			int nt1, nt2, nr1, nr2;

			nt1 = kbs_coverage_add(cb, n1, m1, cc, n2, m2, t1, &mt1, &err);
			nr1 = kbs_coverage_add(t1, nt1, mt1, cd, n3, m3, ce, &mr1, &err);
			nt2 = kbs_coverage_add(cc, n2, m2, cd, n3, m3, t2, &mt2, &err);
			nr2 = kbs_coverage_add(cb, n1, m1, t2, nt2, mt2, t1, &mr2, &err);
			CU_ASSERT_TRUE(test_coverage_equal(ce, nr1, t1, nr2) && mr1 == mr2);
			/* the sum is itself a valid, storable coverage */
			kbs_coverage_store(ce, nr1, mr1, bin);
			CU_ASSERT_EQUAL(kbs_coverage_load(bin, kbs_coverage_storage_size(ce, nr1, mr1), cb, &mt1, &err), nr1);
		}
		else
		{
			/* one of the two additions must report the overflow */
			int r = kbs_coverage_add(cb, n1, m1, cc, n2, m2, ce, &mx, &err);

			if (r >= 0)
				r = kbs_coverage_add(ce, r, mx, cd, n3, m3, cb, &mx, &err);
			CU_ASSERT_EQUAL(r, -1);
			CU_ASSERT_EQUAL(err.code, KBS_ERR_RANGE);
		}
	}
}

int
kbs_register_roundtrip_tests(void)
{
	static const test_case random_round_trips[] = {
		{"profile text, storage, wire", test_profile_roundtrips},
		{"profile merge_max and raise properties", test_profile_operation_properties},
		{"requirement text, storage, wire", test_requirement_roundtrips},
		{"coverage text, storage, wire", test_coverage_roundtrips},
		{"coverage add, add_profile, accessors", test_coverage_algebra},
		{NULL, NULL}
	};

	return test_add_suite("random round trips", random_round_trips) ? -1 : 0;
}
