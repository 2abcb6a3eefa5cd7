/*
 * binary_io.c — integration test of the binary send/recv of kbs.profile,
 * kbs.requirement and kbs.coverage, through libpq against a live server.
 *
 *   a. round trips: text parameter -> binary result -> binary parameter ->
 *      text result, for edge values and >= 2,000 pseudo-random values per
 *      type; the binary bytes are also compared with a wire encoding computed
 *      here, independently of the extension's code (src/core/kbs_core.h,
 *      "Wire" sections, is the specification); binary kbs.<type>[] arrays;
 *      a valid coverage whose text output is longer than 1 MiB must read back
 *      through text input (text COPY and pg_dump depend on it);
 *   b. bad binary parameters raise 22P03 and leave the connection usable;
 *      random garbage is rejected with 22P03 or, when valid, re-encodes to the
 *      very same bytes; the server survives it all;
 *   c. COPY ... (FORMAT binary) in and out, including a stream with one
 *      garbled value (the whole COPY fails, nothing is written);
 *   d. the database is dropped.
 *
 * Connection parameters come from the environment (PGHOST, PGPORT, PGUSER);
 * the test creates and drops the database kbs_binary_io. One line per check,
 * then "binary-io: N passed, M failed"; exit status 1 on any failure.
 * KBS_BINARY_IO_SEED=<number> changes the pseudo-random seed.
 */
#define _POSIX_C_SOURCE 200809L

#include <libpq-fe.h>

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../common/rng.h"

#define DBNAME "kbs_binary_io"
#define MAX_ID 32767
#define MAX_MEMBERS 2147483647u
#define TEXT_LIMIT (4 * 1024 * 1024) /* KBS_MAX_TEXT_LEN: longest accepted text input */
#ifndef N_ROUNDTRIP
#define N_ROUNDTRIP 2000        /* random values per type, besides the edge values */
#endif
#ifndef N_GARBAGE
#define N_GARBAGE 700           /* garbage buffers per type (-DN_GARBAGE=... for a longer run) */
#endif
#define N_COPY 1000             /* values per binary COPY stream (plus one NULL) */
#define MAX_DETAILS 5           /* detail lines per failing check */

enum
{
	PROFILE,
	REQUIREMENT,
	COVERAGE,
	NKINDS
};
static const char *const kind_name[NKINDS] = {"profile", "requirement", "coverage"};
/* wire header size, entry size, offset of the entry count */
static const size_t wire_hdr[NKINDS] = {5, 5, 9};
static const size_t wire_ent[NKINDS] = {3, 8, 26};
static const size_t wire_cnt_off[NKINDS] = {1, 1, 5};

static PGconn *admin; /* connection to the default database */
static PGconn *db;    /* connection to DBNAME */
static Oid kind_oid[NKINDS];
static Oid array_oid[NKINDS]; /* kbs.<type>[] */
static int passed, failed;

/* ------------------------------------------------------------------ */
/* Reporting                                                           */
/* ------------------------------------------------------------------ */

static void
check(bool ok, const char *fmt, ...)
{
	va_list ap;

	fputs(ok ? "ok   " : "FAIL ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	if (ok)
		passed++;
	else
		failed++;
}

/* An indented line under the check that follows (or precedes) it. */
static void
detail(const char *fmt, ...)
{
	va_list ap;

	fputs("       ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

static void
summary_and_exit(void)
{
	printf("binary-io: %d passed, %d failed\n", passed, failed);
	fflush(stdout);
	exit(failed ? 1 : 0);
}

static void
fatal(const char *fmt, ...)
{
	va_list ap;

	fputs("FAIL fatal: ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	failed++;
	if (db)
		PQfinish(db);
	db = NULL;
	if (admin && PQstatus(admin) == CONNECTION_OK)
		PQclear(PQexec(admin, "DROP DATABASE IF EXISTS " DBNAME " WITH (FORCE)"));
	summary_and_exit();
}

static void
die_oom(void)
{
	fputs("binary_io: out of memory\n", stderr);
	exit(2);
}

static double
now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double) ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	nanosleep(&ts, NULL);
}

/* Up to 96 bytes of p in hex, for failure reports (static buffer). */
static const char *
hex(const unsigned char *p, size_t len)
{
	static char bufs[4][96 * 2 + 64];
	static int which;
	char *out = bufs[which = (which + 1) % 4];
	size_t i, show = len < 96 ? len : 96;
	char *o = out;

	for (i = 0; i < show; i++)
		o += sprintf(o, "%02x", p[i]);
	if (show < len)
		sprintf(o, "... (%zu bytes)", len);
	else if (len == 0)
		strcpy(out, "(empty)");
	return out;
}

/* Up to 120 characters of s, for failure reports. */
static const char *
clip(const char *s, size_t len)
{
	static char out[4][160];
	static int which;
	char *o = out[which = (which + 1) % 4];

	if (len <= 120)
		snprintf(o, 160, "%.*s", (int) len, s);
	else
		snprintf(o, 160, "%.120s... (%zu bytes)", s, len);
	return o;
}

/* ------------------------------------------------------------------ */
/* Byte buffers (always NUL-terminated after len)                      */
/* ------------------------------------------------------------------ */

typedef struct
{
	unsigned char *d;
	size_t len, cap;
} buf_t;

static void
buf_reserve(buf_t *b, size_t extra)
{
	if (b->d == NULL || b->len + extra + 1 > b->cap)
	{
		size_t cap = b->cap ? b->cap : 256;
		unsigned char *d;

		while (cap < b->len + extra + 1)
			cap *= 2;
		d = realloc(b->d, cap);
		if (d == NULL)
			die_oom();
		b->d = d;
		b->cap = cap;
	}
}

static void
buf_reset(buf_t *b)
{
	buf_reserve(b, 0);
	b->len = 0;
	b->d[0] = 0;
}

static void
buf_free(buf_t *b)
{
	free(b->d);
	b->d = NULL;
	b->len = b->cap = 0;
}

static void
buf_put(buf_t *b, const void *p, size_t n)
{
	buf_reserve(b, n);
	if (n)
		memcpy(b->d + b->len, p, n);
	b->len += n;
	b->d[b->len] = 0;
}

static void
buf_set(buf_t *b, const void *p, size_t n)
{
	buf_reset(b);
	buf_put(b, p, n);
}

static void
buf_putc(buf_t *b, int c)
{
	unsigned char ch = (unsigned char) c;

	buf_put(b, &ch, 1);
}

static void
buf_puts(buf_t *b, const char *s)
{
	buf_put(b, s, strlen(s));
}

static void
buf_putu(buf_t *b, uint32_t v)
{
	char t[16];
	int n = snprintf(t, sizeof(t), "%u", (unsigned) v);

	buf_put(b, t, (size_t) n);
}

static void
put_be16(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char) (v >> 8);
	p[1] = (unsigned char) v;
}

static void
put_be32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char) (v >> 24);
	p[1] = (unsigned char) (v >> 16);
	p[2] = (unsigned char) (v >> 8);
	p[3] = (unsigned char) v;
}

static uint32_t
get_be16(const unsigned char *p)
{
	return (uint32_t) p[0] << 8 | p[1];
}

static uint32_t
get_be32(const unsigned char *p)
{
	return (uint32_t) p[0] << 24 | (uint32_t) p[1] << 16 | (uint32_t) p[2] << 8 | p[3];
}

static void
buf_be16(buf_t *b, uint32_t v)
{
	unsigned char t[2];

	put_be16(t, v);
	buf_put(b, t, 2);
}

static void
buf_be32(buf_t *b, uint32_t v)
{
	unsigned char t[4];

	put_be32(t, v);
	buf_put(b, t, 4);
}

static bool
buf_eq(const buf_t *b, const void *p, size_t n)
{
	return b->len == n && (n == 0 || memcmp(b->d, p, n) == 0);
}

static const char *
buf_str(buf_t *b)
{
	buf_reserve(b, 0);
	return (const char *) b->d;
}

/* ------------------------------------------------------------------ */
/* Pseudo-random numbers (xorshift64)                                  */
/* ------------------------------------------------------------------ */

static uint64_t rng = 0x2545F4914F6CDD1DULL;

static uint64_t
rnd(void)
{
	return rng_next(&rng);
}

/* 0 .. n-1 */
static uint32_t
rnd_below(uint32_t n)
{
	return n ? (uint32_t) (rnd() % n) : 0;
}

/* lo .. hi inclusive */
static uint32_t
rnd_between(uint32_t lo, uint32_t hi)
{
	return rng_between(&rng, lo, hi);
}

/* ------------------------------------------------------------------ */
/* Values, as the test models them                                     */
/* ------------------------------------------------------------------ */

typedef struct
{
	uint16_t id;
	uint8_t code;         /* profile: 1..5 = level 0..4, 6 = na */
	uint8_t min_level;    /* requirement: 1..4 */
	uint8_t importance;   /* requirement: 1..3 */
	uint32_t min_members; /* requirement: 0 = all */
	uint32_t cnt[6];      /* coverage: levels 0..4, na */
} entry_t;

typedef struct
{
	int kind;
	uint32_t members; /* coverage */
	int n;
	entry_t *e; /* room for MAX_ID entries */
} value_t;

static void
value_init(value_t *v, int kind)
{
	v->kind = kind;
	v->members = 0;
	v->n = 0;
	v->e = calloc(MAX_ID + 1, sizeof(entry_t));
	if (v->e == NULL)
		die_oom();
}

static void
value_free(value_t *v)
{
	free(v->e);
	v->e = NULL;
}

static uint64_t
entry_sum(const entry_t *e)
{
	uint64_t s = 0;
	int k;

	for (k = 0; k < 6; k++)
		s += e->cnt[k];
	return s;
}

static bool
value_has_id(const value_t *v, unsigned id)
{
	int lo = 0, hi = v->n;

	while (lo < hi)
	{
		int mid = lo + (hi - lo) / 2;

		if (v->e[mid].id == id)
			return true;
		if (v->e[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

/* The canonical text form, as documented in kbs_core.h. */
static void
print_canonical(const value_t *v, buf_t *b)
{
	int i, k;

	buf_reset(b);
	if (v->kind == COVERAGE)
	{
		buf_putc(b, '(');
		buf_putu(b, v->members);
		buf_putc(b, ')');
	}
	buf_putc(b, '{');
	for (i = 0; i < v->n; i++)
	{
		const entry_t *e = &v->e[i];

		if (i > 0)
			buf_putc(b, v->kind == COVERAGE ? ';' : ',');
		buf_putu(b, e->id);
		buf_putc(b, ':');
		switch (v->kind)
		{
			case PROFILE:
				if (e->code == 6)
					buf_puts(b, "na");
				else
					buf_putc(b, '0' + e->code - 1);
				break;
			case REQUIREMENT:
				buf_putc(b, '0' + e->min_level);
				buf_putc(b, '/');
				if (e->min_members == 0)
					buf_puts(b, "all");
				else
					buf_putu(b, e->min_members);
				if (e->importance != 2)
				{
					buf_putc(b, '@');
					buf_putc(b, '0' + e->importance);
				}
				break;
			default:
				for (k = 0; k < 6; k++)
				{
					if (k > 0)
						buf_putc(b, ',');
					buf_putu(b, e->cnt[k]);
				}
		}
	}
	buf_putc(b, '}');
}

/* Input text: canonical, or with whitespace, shuffled entries, an explicit
 * default importance, or all-zero coverage entries (dropped by the server). */
typedef struct
{
	buf_t *b;
	bool ws;
} emitter_t;

static void
em_ws(emitter_t *em)
{
	if (em->ws && rnd_below(2))
	{
		int k = 1 + (int) rnd_below(2);

		while (k--)
			buf_putc(em->b, " \t\n\r\v\f"[rnd_below(6)]);
	}
}

static void
em_tok(emitter_t *em, const char *s)
{
	em_ws(em);
	buf_puts(em->b, s);
}

static void
em_u(emitter_t *em, uint32_t v)
{
	em_ws(em);
	buf_putu(em->b, v);
}

static void
em_digit(emitter_t *em, int d)
{
	em_ws(em);
	buf_putc(em->b, '0' + d);
}

typedef struct
{
	int values, ws, shuffled, explicit_importance, zero_entries;
} input_stats_t;

static void
print_input(const value_t *v, buf_t *b, input_stats_t *st)
{
	emitter_t em = {b, false};
	bool shuffle = false, explicit2 = false;
	int nzero = 0, nitems, i, k;
	int *item;
	uint16_t zid[4];
	uint32_t r = rnd_below(8);

	buf_reset(b);
	if (v->n < 5000)
	{
		em.ws = r == 1 || r == 4;
		shuffle = (r == 2 || r == 4) && v->n > 1;
		explicit2 = v->kind == REQUIREMENT && (r == 3 || r == 4);
		if (v->kind == COVERAGE && (r == 3 || r == 4))
		{
			int want = 1 + (int) rnd_below(3);

			while (nzero < want)
			{
				uint16_t id = (uint16_t) rnd_between(1, MAX_ID);
				bool dup = value_has_id(v, id);

				for (i = 0; i < nzero; i++)
					dup = dup || zid[i] == id;
				if (!dup)
					zid[nzero++] = id;
			}
		}
	}
	st->values++;
	st->ws += em.ws;
	st->shuffled += shuffle;
	st->explicit_importance += explicit2;
	st->zero_entries += nzero > 0;

	/* item >= 0: entry index; item < 0: zero entry -item-1 */
	nitems = v->n + nzero;
	item = malloc(sizeof(int) * (size_t) (nitems + 1));
	if (item == NULL)
		die_oom();
	for (i = 0; i < v->n; i++)
		item[i] = i;
	for (i = 0; i < nzero; i++)
		item[v->n + i] = -i - 1;
	if (shuffle || nzero)
		for (i = nitems - 1; i > 0; i--)
		{
			int j = (int) rnd_below((uint32_t) i + 1), t = item[i];

			item[i] = item[j];
			item[j] = t;
		}

	if (v->kind == COVERAGE)
	{
		em_tok(&em, "(");
		em_u(&em, v->members);
		em_tok(&em, ")");
	}
	em_tok(&em, "{");
	for (i = 0; i < nitems; i++)
	{
		const entry_t *e = item[i] >= 0 ? &v->e[item[i]] : NULL;

		if (i > 0)
			em_tok(&em, v->kind == COVERAGE ? ";" : ",");
		em_u(&em, e ? e->id : zid[-item[i] - 1]);
		em_tok(&em, ":");
		switch (v->kind)
		{
			case PROFILE:
				if (e->code == 6)
					em_tok(&em, "na");
				else
					em_digit(&em, e->code - 1);
				break;
			case REQUIREMENT:
				em_digit(&em, e->min_level);
				em_tok(&em, "/");
				if (e->min_members == 0)
					em_tok(&em, "all");
				else
					em_u(&em, e->min_members);
				if (e->importance != 2 || explicit2)
				{
					em_tok(&em, "@");
					em_digit(&em, e->importance);
				}
				break;
			default:
				for (k = 0; k < 6; k++)
				{
					if (k > 0)
						em_tok(&em, ",");
					em_u(&em, e ? e->cnt[k] : 0);
				}
		}
	}
	em_tok(&em, "}");
	em_ws(&em);
	free(item);
}

/* The wire form, written from the specification in kbs_core.h. */
static void
wire_encode(const value_t *v, buf_t *b)
{
	int i, k;

	buf_reset(b);
	buf_putc(b, 1);
	if (v->kind == COVERAGE)
		buf_be32(b, v->members);
	buf_be32(b, (uint32_t) v->n);
	for (i = 0; i < v->n; i++)
	{
		const entry_t *e = &v->e[i];

		buf_be16(b, e->id);
		switch (v->kind)
		{
			case PROFILE:
				buf_putc(b, e->code);
				break;
			case REQUIREMENT:
				buf_putc(b, e->min_level);
				buf_putc(b, e->importance);
				buf_be32(b, e->min_members);
				break;
			default:
				for (k = 0; k < 6; k++)
					buf_be32(b, e->cnt[k]);
		}
	}
}

/* Strict decoder of the wire form: the test's own oracle of validity. */
static bool
wire_decode(int kind, const unsigned char *p, size_t len, value_t *out)
{
	size_t h = wire_hdr[kind], es = wire_ent[kind];
	uint32_t members = 0, n, i;
	unsigned prev = 0;
	int k;

	if (len < h || p[0] != 1)
		return false;
	if (kind == COVERAGE)
	{
		members = get_be32(p + 1);
		if (members > MAX_MEMBERS)
			return false;
	}
	n = get_be32(p + wire_cnt_off[kind]);
	if (n > MAX_ID || len != h + (size_t) n * es)
		return false;
	for (i = 0; i < n; i++)
	{
		const unsigned char *q = p + h + (size_t) i * es;
		unsigned id = get_be16(q);
		entry_t *e = &out->e[i];

		if (id < 1 || id > MAX_ID || id <= prev)
			return false;
		prev = id;
		memset(e, 0, sizeof(*e));
		e->id = (uint16_t) id;
		switch (kind)
		{
			case PROFILE:
				if (q[2] < 1 || q[2] > 6)
					return false;
				e->code = q[2];
				break;
			case REQUIREMENT:
				if (q[2] < 1 || q[2] > 4 || q[3] < 1 || q[3] > 3 || get_be32(q + 4) > MAX_MEMBERS)
					return false;
				e->min_level = q[2];
				e->importance = q[3];
				e->min_members = get_be32(q + 4);
				break;
			default:
				for (k = 0; k < 6; k++)
					e->cnt[k] = get_be32(q + 2 + 4 * k);
				if (entry_sum(e) == 0 || entry_sum(e) > members)
					return false;
		}
	}
	out->kind = kind;
	out->members = members;
	out->n = (int) n;
	return true;
}

/* Strict parser of the canonical text form (anything else is rejected). */
typedef struct
{
	const char *s;
	size_t len, pos;
} rd_t;

static bool
rd_lit(rd_t *r, const char *lit)
{
	size_t n = strlen(lit);

	if (r->len - r->pos < n || memcmp(r->s + r->pos, lit, n) != 0)
		return false;
	r->pos += n;
	return true;
}

static bool
rd_uint(rd_t *r, uint32_t max, uint32_t *out)
{
	size_t start = r->pos;
	uint64_t v = 0;

	while (r->pos < r->len && r->s[r->pos] >= '0' && r->s[r->pos] <= '9')
	{
		v = v * 10 + (uint64_t) (r->s[r->pos] - '0');
		if (v > max)
			return false;
		r->pos++;
	}
	if (r->pos == start || (r->s[start] == '0' && r->pos - start > 1))
		return false;
	*out = (uint32_t) v;
	return true;
}

static bool
parse_canonical(int kind, const char *s, size_t len, value_t *out)
{
	rd_t r = {s, len, 0};
	unsigned prev = 0;

	out->kind = kind;
	out->n = 0;
	out->members = 0;
	if (kind == COVERAGE &&
		(!rd_lit(&r, "(") || !rd_uint(&r, MAX_MEMBERS, &out->members) || !rd_lit(&r, ")")))
		return false;
	if (!rd_lit(&r, "{"))
		return false;
	if (!rd_lit(&r, "}"))
	{
		for (;;)
		{
			entry_t *e;
			uint32_t id, x, y, z;
			int k;

			if (out->n >= MAX_ID)
				return false;
			e = &out->e[out->n];
			memset(e, 0, sizeof(*e));
			if (!rd_uint(&r, MAX_ID, &id) || id < 1 || id <= prev || !rd_lit(&r, ":"))
				return false;
			e->id = (uint16_t) id;
			prev = id;
			switch (kind)
			{
				case PROFILE:
					if (rd_lit(&r, "na"))
						e->code = 6;
					else if (rd_uint(&r, 4, &x))
						e->code = (uint8_t) (x + 1);
					else
						return false;
					break;
				case REQUIREMENT:
					y = 0;
					z = 2;
					if (!rd_uint(&r, 4, &x) || x < 1 || !rd_lit(&r, "/"))
						return false;
					if (!rd_lit(&r, "all") && (!rd_uint(&r, MAX_MEMBERS, &y) || y == 0))
						return false;
					if (rd_lit(&r, "@") && (!rd_uint(&r, 3, &z) || z == 0 || z == 2))
						return false;
					e->min_level = (uint8_t) x;
					e->min_members = y;
					e->importance = (uint8_t) z;
					break;
				default:
					for (k = 0; k < 6; k++)
						if ((k > 0 && !rd_lit(&r, ",")) || !rd_uint(&r, MAX_MEMBERS, &e->cnt[k]))
							return false;
					if (entry_sum(e) == 0 || entry_sum(e) > out->members)
						return false;
			}
			out->n++;
			if (rd_lit(&r, kind == COVERAGE ? ";" : ","))
				continue;
			if (rd_lit(&r, "}"))
				break;
			return false;
		}
	}
	return r.pos == r.len;
}

/* ------------------------------------------------------------------ */
/* Generators                                                          */
/* ------------------------------------------------------------------ */

static unsigned char idset[MAX_ID + 1];

static void
mark_range(uint32_t lo, uint32_t hi, uint32_t percent)
{
	uint32_t id;

	for (id = lo; id <= hi; id++)
		if (rnd_below(100) < percent)
			idset[id] = 1;
	idset[lo] = idset[hi] = 1;
}

/* Sorted distinct ids into v->e[].id and v->n: empty, sparse, dense,
 * clustered, with the extreme ids, or large. */
static void
gen_ids(value_t *v)
{
	uint32_t shape = rnd_below(100), k, id;
	int n = 0;

	memset(idset, 0, sizeof(idset));
	if (shape < 8)
		;						/* empty */
	else if (shape < 40)
	{
		uint32_t top = rnd_below(2) ? 300 : MAX_ID;

		for (k = 1 + rnd_below(12); k > 0; k--)
			idset[rnd_between(1, top)] = 1;
	}
	else if (shape < 60)
	{
		for (k = 1 + rnd_below(100); k > 0; k--)
			idset[rnd_between(1, MAX_ID)] = 1;
	}
	else if (shape < 80)
	{
		uint32_t span = 1 + rnd_below(300), base = rnd_between(1, MAX_ID - span + 1);

		mark_range(base, base + span - 1, 85);
	}
	else if (shape < 90)
	{
		for (k = 2 + rnd_below(4); k > 0; k--)
		{
			uint32_t span = 1 + rnd_below(40), base = rnd_between(1, MAX_ID - span + 1);

			mark_range(base, base + span - 1, 70);
		}
	}
	else if (shape < 97)
	{
		idset[1] = idset[MAX_ID] = 1;
		for (k = rnd_below(20); k > 0; k--)
			idset[rnd_between(1, MAX_ID)] = 1;
	}
	else
	{
		for (k = 1 + rnd_below(3000); k > 0; k--)
			idset[rnd_between(1, MAX_ID)] = 1;
	}
	if (shape >= 8 && rnd_below(10) == 0)
		idset[1] = 1;
	if (shape >= 8 && rnd_below(10) == 0)
		idset[MAX_ID] = 1;
	for (id = 1; id <= MAX_ID; id++)
		if (idset[id])
		{
			memset(&v->e[n], 0, sizeof(entry_t));
			v->e[n++].id = (uint16_t) id;
		}
	v->n = n;
}

static uint32_t
gen_members_limit(void)
{
	uint32_t r = rnd_below(100);

	if (r < 40)
		return rnd_between(1, 10);
	if (r < 60)
		return rnd_between(1, 1000);
	if (r < 80)
		return rnd_between(1, 100000);
	if (r < 95)
		return rnd_between(1, MAX_MEMBERS);
	return MAX_MEMBERS;
}

static void
gen_value(int kind, value_t *v)
{
	int i, j, k;

	v->kind = kind;
	v->members = 0;
	if (kind == COVERAGE)
	{
		uint32_t r = rnd_below(100);

		v->members = r < 5 ? 0 : r < 35 ? rnd_between(1, 20) : gen_members_limit();
		if (v->members == 0)
		{
			v->n = 0;
			return;
		}
	}
	gen_ids(v);
	if (kind == PROFILE)
	{
		uint32_t mode = rnd_below(10), one = rnd_between(1, 6);

		for (i = 0; i < v->n; i++)
			v->e[i].code = (uint8_t) (mode == 0 ? 6 : mode == 1 ? one : rnd_between(1, 6));
	}
	else if (kind == REQUIREMENT)
	{
		uint32_t mode = rnd_below(4);

		for (i = 0; i < v->n; i++)
		{
			entry_t *e = &v->e[i];
			uint32_t r = rnd_below(100);

			e->min_level = (uint8_t) rnd_between(1, 4);
			e->importance = (uint8_t) (rnd_below(2) ? 2 : rnd_between(1, 3));
			if (mode == 0 || r < 25)
				e->min_members = 0;
			else if (r < 97)
				e->min_members = rnd_between(1, gen_members_limit());
			else
				e->min_members = MAX_MEMBERS;
		}
	}
	else
	{
		for (i = 0; i < v->n; i++)
		{
			entry_t *e = &v->e[i];
			uint32_t r = rnd_below(100), s, remaining;
			int perm[6] = {0, 1, 2, 3, 4, 5};

			s = r < 20 ? v->members
				: r < 50 ? rnd_between(1, v->members < 10 ? v->members : 10)
				: rnd_between(1, v->members);
			for (j = 5; j > 0; j--)
			{
				int t, x = (int) rnd_below((uint32_t) j + 1);

				t = perm[j];
				perm[j] = perm[x];
				perm[x] = t;
			}
			memset(e->cnt, 0, sizeof(e->cnt));
			if (rnd_below(10) < 3)
				e->cnt[perm[0]] = s;
			else
			{
				remaining = s;
				for (k = 0; k < 5; k++)
				{
					uint32_t c = rnd_below(3) == 0 ? 0 : rnd_between(0, remaining);

					e->cnt[perm[k]] = c;
					remaining -= c;
				}
				e->cnt[perm[5]] = remaining;
			}
		}
	}
}

/* Edge values: canonical texts, plus every block id (built in C). */
static const char *const edge_texts[NKINDS][10] = {
	{"{}", "{1:0}", "{32767:na}", "{1:4,32767:na}", "{1:0,2:1,3:2,4:3,5:4,6:na}",
	 "{11:3,12:2,201:na}", "{1:na,3:na,5:na,7:na,9:na}", "{100:4,32766:0}", NULL},
	{"{}", "{1:1/all}", "{32767:4/2147483647@3}", "{11:1/all,31:3/2,32:3/1@3}",
	 "{1:1/1@1,2:2/2,3:3/3@3,32767:4/all@1}", "{5:4/all@3,6:4/2147483647@1}", NULL},
	{"(0){}", "(1){}", "(2147483647){}", "(15){11:0,1,4,6,2,0;31:0,0,0,3,1,2}",
	 "(2147483647){1:2147483647,0,0,0,0,0;32767:0,0,0,0,0,2147483647}",
	 "(2147483647){100:357913941,357913941,357913941,357913941,357913941,357913942}",
	 "(1){1:0,0,0,0,1,0}", "(7){2:1,1,1,1,1,1;3:0,0,0,0,0,7}", NULL},
};

/* Every id 1..MAX_ID, for the largest values. */
static void
gen_full(int kind, value_t *v, uint32_t members)
{
	int i;

	v->kind = kind;
	v->n = MAX_ID;
	v->members = kind == COVERAGE ? members : 0;
	for (i = 0; i < MAX_ID; i++)
	{
		entry_t *e = &v->e[i];

		memset(e, 0, sizeof(*e));
		e->id = (uint16_t) (i + 1);
		e->code = (uint8_t) (1 + i % 6);
		e->min_level = (uint8_t) (1 + i % 4);
		e->importance = (uint8_t) (1 + i % 3);
		e->min_members = (uint32_t) (i % 5 == 0 ? 0 : i);
		if (members == 1)
			e->cnt[i % 6] = 1;
		else
		{
			uint32_t k, q = members / 6;

			for (k = 0; k < 6; k++)
				e->cnt[k] = q + (k < members % 6 ? 1 : 0);
		}
	}
}

static int
n_edge_values(int kind)
{
	int n = 0;

	while (edge_texts[kind][n])
		n++;
	return n + 1; /* + the full-range value */
}

/* Value number i of a sequence: the edge values first, then random ones. */
static void
gen_nth(int kind, int i, value_t *v)
{
	int nt = n_edge_values(kind) - 1;

	if (i < nt)
	{
		const char *s = edge_texts[kind][i];

		if (!parse_canonical(kind, s, strlen(s), v))
			fatal("test bug: edge value %s does not parse", s);
	}
	else if (i == nt)
		gen_full(kind, v, 1);
	else
		gen_value(kind, v);
}

/* ------------------------------------------------------------------ */
/* Server access                                                       */
/* ------------------------------------------------------------------ */

static void
quiet_notices(void *arg, const char *message)
{
	(void) arg;
	(void) message;
}

static char stmt_a[NKINDS][32]; /* SELECT $1::T, $1::T::text  (text parameter) */
static char stmt_b[NKINDS][32]; /* SELECT $1                  (binary parameter of type T) */

static void
prepare_all(void)
{
	int k;

	for (k = 0; k < NKINDS; k++)
	{
		char sql[160];
		PGresult *res;
		Oid t = kind_oid[k];

		snprintf(stmt_a[k], sizeof(stmt_a[k]), "a_%s", kind_name[k]);
		snprintf(stmt_b[k], sizeof(stmt_b[k]), "b_%s", kind_name[k]);
		snprintf(sql, sizeof(sql), "SELECT $1::kbs.%s, $1::kbs.%s::text", kind_name[k], kind_name[k]);
		res = PQprepare(db, stmt_a[k], sql, 1, NULL);
		if (PQresultStatus(res) != PGRES_COMMAND_OK)
			fatal("prepare %s: %s", sql, PQerrorMessage(db));
		PQclear(res);
		res = PQprepare(db, stmt_b[k], "SELECT $1", 1, &t);
		if (PQresultStatus(res) != PGRES_COMMAND_OK)
			fatal("prepare SELECT $1: %s", PQerrorMessage(db));
		PQclear(res);
	}
}

static bool
exec_ok(PGconn *c, const char *sql)
{
	PGresult *res = PQexec(c, sql);
	ExecStatusType st = PQresultStatus(res);
	bool ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;

	if (!ok)
		detail("%s: %s", sql, PQresultErrorMessage(res));
	PQclear(res);
	return ok;
}

/* First cell of a query as a string in out (empty on error). */
static bool
query_cell(PGconn *c, const char *sql, char *out, size_t outlen)
{
	PGresult *res = PQexec(c, sql);
	bool ok = PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) >= 1 && PQnfields(res) >= 1;

	out[0] = 0;
	if (ok)
		snprintf(out, outlen, "%s", PQgetvalue(res, 0, 0));
	else
		detail("%s: %s", sql, PQresultErrorMessage(res));
	PQclear(res);
	return ok;
}

static bool
alive(void)
{
	char v[16];

	return PQstatus(db) == CONNECTION_OK && query_cell(db, "SELECT 1", v, sizeof(v)) && strcmp(v, "1") == 0;
}

/* After a lost connection (a crashed backend): wait for the server to take
 * connections again and carry on, so one crash does not hide everything else. */
static void
reconnect(void)
{
	int i;

	for (i = 0; i < 120; i++)
	{
		PQreset(db);
		if (PQstatus(db) == CONNECTION_OK)
		{
			PQsetNoticeProcessor(db, quiet_notices, NULL);
			prepare_all();
			detail("reconnected after %d attempt(s)", i + 1);
			return;
		}
		sleep_ms(500);
	}
	fatal("the server does not accept connections any more");
}

enum
{
	R_REJECTED,	  /* SQLSTATE 22P03 */
	R_ACCEPTED,	  /* text and bin filled */
	R_OTHER_ERROR, /* another SQLSTATE, in msg */
	R_LOST		   /* the connection broke */
};

/* Sends p as a binary parameter of the type; on success fetches the text and
 * the binary form of the received value. */
static int
try_recv(int kind, const unsigned char *p, size_t len, buf_t *text, buf_t *bin, char *msg, size_t msglen)
{
	static const char dummy = 0;
	const char *vals[1] = {len ? (const char *) p : &dummy};
	int lens[1] = {(int) len}, fmts[1] = {1}, round;

	msg[0] = 0;
	for (round = 0; round < 2; round++)
	{
		PGresult *res = PQexecPrepared(db, stmt_b[kind], 1, vals, lens, fmts, round);
		ExecStatusType st = PQresultStatus(res);

		if (st == PGRES_TUPLES_OK && PQntuples(res) == 1)
		{
			buf_set(round == 0 ? text : bin, PQgetvalue(res, 0, 0), (size_t) PQgetlength(res, 0, 0));
			PQclear(res);
			continue;
		}
		if (PQstatus(db) != CONNECTION_OK)
		{
			snprintf(msg, msglen, "connection lost: %s", PQerrorMessage(db));
			PQclear(res);
			return R_LOST;
		}
		{
			const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
			const char *m = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
			bool rejected = round == 0 && state && strcmp(state, "22P03") == 0;

			snprintf(msg, msglen, "SQLSTATE %s: %s%s", state ? state : "?", m ? m : PQresultErrorMessage(res),
					 round == 1 ? " (while re-sending the accepted value)" : "");
			PQclear(res);
			return rejected ? R_REJECTED : R_OTHER_ERROR;
		}
	}
	return R_ACCEPTED;
}

/* ------------------------------------------------------------------ */
/* a. Round trips                                                      */
/* ------------------------------------------------------------------ */

typedef struct
{
	int values, empty, with_id1, with_idmax, max_n;
	int special; /* profile: with na; requirement: with all; coverage: members 2^31-1 */
	int dense;	 /* stored in the dense layout (profile, coverage) */
	int width[5]; /* coverage: stored count width 1, 2 or 4 */
} gen_stats_t;

/* Which storage layout the extension picks (kbs_core.h, "Storage"), only to
 * show that the generated values reach both: 1 dense, 0 sparse. */
static int
storage_dense(const value_t *v, int *width)
{
	size_t span, n = (size_t) v->n;
	uint32_t max = 0;
	int i, k;

	*width = 0;
	if (v->n == 0 || v->kind == REQUIREMENT)
		return 0;
	span = (size_t) v->e[v->n - 1].id - v->e[0].id + 1;
	if (v->kind == PROFILE)
		return 6 + 3 * ((span + 7) / 8) < 2 + 3 * n;
	for (i = 0; i < v->n; i++)
		for (k = 0; k < 6; k++)
			if (v->e[i].cnt[k] > max)
				max = v->e[i].cnt[k];
	*width = max <= 0xff ? 1 : max <= 0xffff ? 2 : 4;
	return 11 + 6 * (size_t) *width * span < 9 + n * (2 + 6 * (size_t) *width);
}

static void
roundtrip_tests(int kind)
{
	const char *tn = kind_name[kind];
	value_t v, parsed;
	buf_t in = {0}, canon = {0}, wire = {0}, enc = {0}, text = {0}, bin = {0};
	input_stats_t ist = {0};
	gen_stats_t gst = {0};
	int total = n_edge_values(kind) + N_ROUNDTRIP, i, j;
	int errors = 0, text_bad = 0, wire_bad = 0, parse_bad = 0, back_text_bad = 0, back_bin_bad = 0;
	double t0 = now_seconds();
	char msg[512];

	value_init(&v, kind);
	value_init(&parsed, kind);
	for (i = 0; i < total; i++)
	{
		const char *vals[1];
		PGresult *res;
		const unsigned char *got_bin;
		const char *got_text;
		size_t got_bin_len, got_text_len;
		int r;

		gen_nth(kind, i, &v);
		gst.values++;
		gst.empty += v.n == 0;
		gst.with_id1 += v.n > 0 && v.e[0].id == 1;
		gst.with_idmax += v.n > 0 && v.e[v.n - 1].id == MAX_ID;
		if (v.n > gst.max_n)
			gst.max_n = v.n;
		{
			int w;

			gst.dense += storage_dense(&v, &w);
			gst.width[w]++;
		}
		if (kind == COVERAGE)
			gst.special += v.members == MAX_MEMBERS;
		else
			for (j = 0; j < v.n; j++)
				if ((kind == PROFILE && v.e[j].code == 6) || (kind == REQUIREMENT && v.e[j].min_members == 0))
				{
					gst.special++;
					break;
				}
		print_input(&v, &in, &ist);
		print_canonical(&v, &canon);
		wire_encode(&v, &wire);

		/* text parameter -> binary and text results */
		vals[0] = buf_str(&in);
		res = PQexecPrepared(db, stmt_a[kind], 1, vals, NULL, NULL, 1);
		if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1)
		{
			if (errors++ < MAX_DETAILS)
				detail("%s: text input %s failed: %s", tn, clip((const char *) in.d, in.len), PQresultErrorMessage(res));
			PQclear(res);
			if (PQstatus(db) != CONNECTION_OK)
				reconnect();
			continue;
		}
		got_bin = (const unsigned char *) PQgetvalue(res, 0, 0);
		got_bin_len = (size_t) PQgetlength(res, 0, 0);
		got_text = PQgetvalue(res, 0, 1);
		got_text_len = (size_t) PQgetlength(res, 0, 1);
		if (!buf_eq(&canon, got_text, got_text_len) && text_bad++ < MAX_DETAILS)
			detail("%s: input %s: server text %s, expected %s", tn, clip((const char *) in.d, in.len),
				   clip(got_text, got_text_len), clip((const char *) canon.d, canon.len));
		if (!buf_eq(&wire, got_bin, got_bin_len) && wire_bad++ < MAX_DETAILS)
		{
			detail("%s: value %s: server binary %s", tn, clip((const char *) canon.d, canon.len), hex(got_bin, got_bin_len));
			detail("%s: expected wire encoding %s", tn, hex(wire.d, wire.len));
		}
		if (!parse_canonical(kind, got_text, got_text_len, &parsed))
		{
			if (parse_bad++ < MAX_DETAILS)
				detail("%s: server text %s is not canonical", tn, clip(got_text, got_text_len));
		}
		else
		{
			wire_encode(&parsed, &enc);
			if (!buf_eq(&enc, got_bin, got_bin_len) && parse_bad++ < MAX_DETAILS)
				detail("%s: encoding of server text %s is %s, server binary %s", tn, clip(got_text, got_text_len),
					   hex(enc.d, enc.len), hex(got_bin, got_bin_len));
		}

		/* the binary result as a binary parameter -> text, and binary again */
		r = try_recv(kind, got_bin, got_bin_len, &text, &bin, msg, sizeof(msg));
		if (r != R_ACCEPTED)
		{
			if (back_text_bad++ < MAX_DETAILS)
				detail("%s: binary parameter %s rejected: %s", tn, hex(got_bin, got_bin_len), msg);
			back_bin_bad++;
			PQclear(res);
			if (r == R_LOST)
				reconnect();
			continue;
		}
		if (!buf_eq(&text, got_text, got_text_len) && back_text_bad++ < MAX_DETAILS)
			detail("%s: binary %s came back as text %s, expected %s", tn, hex(got_bin, got_bin_len),
				   clip((const char *) text.d, text.len), clip(got_text, got_text_len));
		if (!buf_eq(&bin, got_bin, got_bin_len) && back_bin_bad++ < MAX_DETAILS)
			detail("%s: binary %s came back as binary %s", tn, hex(got_bin, got_bin_len), hex(bin.d, bin.len));
		PQclear(res);
	}

	printf("     %s: %d values (%d edge, %d random): %d empty, %d with id 1, %d with id 32767, up to %d entries, %d %s\n",
		   tn, gst.values, n_edge_values(kind), N_ROUNDTRIP, gst.empty, gst.with_id1, gst.with_idmax, gst.max_n,
		   gst.special, kind == PROFILE ? "with na" : kind == REQUIREMENT ? "with all" : "with 2147483647 members");
	if (kind == PROFILE)
		printf("     %s: storage layouts: %d dense, %d sparse\n", tn, gst.dense, gst.values - gst.dense);
	else if (kind == COVERAGE)
		printf("     %s: storage layouts: %d dense, %d sparse; count widths: %d x 1, %d x 2, %d x 4 bytes\n", tn,
			   gst.dense, gst.values - gst.dense, gst.width[1], gst.width[2], gst.width[4]);
	printf("     %s: text inputs: %d with whitespace, %d shuffled, %d with explicit @2, %d with all-zero entries\n",
		   tn, ist.ws, ist.shuffled, ist.explicit_importance, ist.zero_entries);
	check(errors == 0, "%s: all %d values accepted as TEXT parameters (%d failed)", tn, total, errors);
	check(text_bad == 0, "%s: server canonical text equals the C canonical text (%d mismatches)", tn, text_bad);
	check(wire_bad == 0, "%s: binary result equals the C wire encoding of the value (%d mismatches)", tn, wire_bad);
	check(parse_bad == 0, "%s: C parse + wire encoding of the server text equals the binary result (%d mismatches)", tn, parse_bad);
	check(back_text_bad == 0, "%s: binary result sent as BINARY parameter reads back as the canonical text (%d mismatches)", tn, back_text_bad);
	check(back_bin_bad == 0, "%s: binary parameter re-sent as binary is byte-identical (%d mismatches)", tn, back_bin_bad);
	printf("     %s: round trips took %.2f s\n", tn, now_seconds() - t0);

	value_free(&v);
	value_free(&parsed);
	buf_free(&in);
	buf_free(&canon);
	buf_free(&wire);
	buf_free(&enc);
	buf_free(&text);
	buf_free(&bin);
}

/*
 * Arrays: kbs.<type>[] in binary goes through array_recv/array_send, which
 * call the type's recv/send on each element with its own buffer.
 */
#define N_ARRAY 300
#define ARRAY_NULL 7
#define ARRAY_GARBLED 150

static void
array_binary(int kind, buf_t *b, buf_t *wire, int garble)
{
	int i;

	buf_reset(b);
	buf_be32(b, 1);				/* ndim */
	buf_be32(b, 1);				/* has nulls */
	buf_be32(b, kind_oid[kind]); /* element type */
	buf_be32(b, N_ARRAY);		/* dimension */
	buf_be32(b, 1);				/* lower bound */
	for (i = 0; i < N_ARRAY; i++)
	{
		if (i == ARRAY_NULL)
		{
			buf_be32(b, 0xFFFFFFFFu);
			continue;
		}
		buf_be32(b, (uint32_t) wire[i].len);
		buf_put(b, wire[i].d, wire[i].len);
		if (i == garble)
			b->d[b->len - wire[i].len] = 2; /* version byte */
	}
}

static void
array_tests(int kind)
{
	const char *tn = kind_name[kind];
	buf_t *canon = calloc(N_ARRAY, sizeof(buf_t)), *wire = calloc(N_ARRAY, sizeof(buf_t));
	buf_t arr = {0};
	value_t v;
	char sql[256];
	const char *vals[1];
	int lens[1], fmts[1] = {1}, i, mismatches = 0;
	Oid at = array_oid[kind];
	PGresult *res;
	bool ok;

	if (canon == NULL || wire == NULL)
		die_oom();
	value_init(&v, kind);
	for (i = 0; i < N_ARRAY; i++)
	{
		if (i == ARRAY_NULL)
			continue;
		gen_nth(kind, i < ARRAY_NULL ? i : i - 1, &v);
		print_canonical(&v, &canon[i]);
		wire_encode(&v, &wire[i]);
	}

	/* binary array parameter -> elements as text */
	array_binary(kind, &arr, wire, -1);
	vals[0] = (const char *) arr.d;
	lens[0] = (int) arr.len;
	snprintf(sql, sizeof(sql), "SELECT u.i, u.v::text FROM unnest($1::kbs.%s[]) WITH ORDINALITY AS u(v, i) ORDER BY u.i", tn);
	res = PQexecParams(db, sql, 1, &at, vals, lens, fmts, 0);
	ok = PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == N_ARRAY;
	if (!ok)
		detail("%d rows: %s", PQntuples(res), PQresultErrorMessage(res));
	for (i = 0; ok && i < N_ARRAY; i++)
	{
		bool row_ok = atoi(PQgetvalue(res, i, 0)) == i + 1 &&
			(i == ARRAY_NULL ? PQgetisnull(res, i, 1)
			 : !PQgetisnull(res, i, 1) && buf_eq(&canon[i], PQgetvalue(res, i, 1), (size_t) PQgetlength(res, i, 1)));

		if (!row_ok && mismatches++ < MAX_DETAILS)
			detail("element %d: %s, expected %s", i + 1, clip(PQgetvalue(res, i, 1), (size_t) PQgetlength(res, i, 1)),
				   i == ARRAY_NULL ? "NULL" : clip((const char *) canon[i].d, canon[i].len));
	}
	PQclear(res);
	check(ok && mismatches == 0, "%s: BINARY kbs.%s[] parameter of %d elements (one NULL) unnests to the canonical texts (%d mismatches)",
		  tn, tn, N_ARRAY, mismatches);

	/* ... and comes back as a binary array whose elements are the C encodings */
	snprintf(sql, sizeof(sql), "SELECT $1::kbs.%s[]", tn);
	res = PQexecParams(db, sql, 1, &at, vals, lens, fmts, 1);
	ok = PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1;
	mismatches = 0;
	if (!ok)
		detail("%s", PQresultErrorMessage(res));
	else
	{
		const unsigned char *p = (const unsigned char *) PQgetvalue(res, 0, 0);
		size_t len = (size_t) PQgetlength(res, 0, 0), pos = 20;

		ok = len >= 20 && get_be32(p) == 1 && get_be32(p + 8) == kind_oid[kind] &&
			get_be32(p + 12) == N_ARRAY && get_be32(p + 16) == 1;
		for (i = 0; ok && i < N_ARRAY; i++)
		{
			uint32_t elen;

			if (pos + 4 > len)
			{
				ok = false;
				break;
			}
			elen = get_be32(p + pos);
			pos += 4;
			if (elen == 0xFFFFFFFFu)
			{
				if (i != ARRAY_NULL && mismatches++ < MAX_DETAILS)
					detail("element %d: NULL", i + 1);
				continue;
			}
			if (pos + elen > len)
			{
				ok = false;
				break;
			}
			if ((i == ARRAY_NULL || !buf_eq(&wire[i], p + pos, elen)) && mismatches++ < MAX_DETAILS)
				detail("element %d: %s, expected %s", i + 1, hex(p + pos, elen),
					   i == ARRAY_NULL ? "NULL" : hex(wire[i].d, wire[i].len));
			pos += elen;
		}
		ok = ok && pos == len;
	}
	PQclear(res);
	check(ok && mismatches == 0, "%s: ... and as a binary result its elements equal the C wire encodings (%d mismatches)", tn, mismatches);

	/* one garbled element: the whole parameter is rejected */
	array_binary(kind, &arr, wire, ARRAY_GARBLED);
	vals[0] = (const char *) arr.d;
	lens[0] = (int) arr.len;
	res = PQexecParams(db, sql, 1, &at, vals, lens, fmts, 1);
	{
		const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);

		ok = PQresultStatus(res) == PGRES_FATAL_ERROR && state && strcmp(state, "22P03") == 0;
		if (!ok)
			detail("%s", PQresultStatus(res) == PGRES_TUPLES_OK ? "accepted" : PQresultErrorMessage(res));
	}
	PQclear(res);
	if (PQstatus(db) != CONNECTION_OK)
		reconnect();
	check(ok && alive(), "%s: binary array with element %d garbled (version byte 2) -> 22P03, connection still works",
		  tn, ARRAY_GARBLED + 1);

	for (i = 0; i < N_ARRAY; i++)
	{
		buf_free(&canon[i]);
		buf_free(&wire[i]);
	}
	free(canon);
	free(wire);
	buf_free(&arr);
	value_free(&v);
}

/*
 * A valid coverage whose text form is longer than the text input accepts
 * (1 MiB): 100,000 members and all 32,767 blocks assessed. recv accepts it;
 * its text output must read back through text input too (pg_dump writes text).
 */
static void
long_text_test(void)
{
	value_t v;
	buf_t wire = {0}, text = {0}, bin = {0};
	char msg[512];
	int r;

	value_init(&v, COVERAGE);
	gen_full(COVERAGE, &v, 100000);
	wire_encode(&v, &wire);
	r = try_recv(COVERAGE, wire.d, wire.len, &text, &bin, msg, sizeof(msg));
	check(r == R_ACCEPTED && buf_eq(&bin, wire.d, wire.len),
		  "coverage: binary value with 100000 members and all 32767 blocks (%zu bytes) accepted, text output %zu bytes",
		  wire.len, text.len);
	if (r != R_ACCEPTED)
		detail("%s", msg);
	if (r == R_LOST)
		reconnect();
	if (r == R_ACCEPTED)
	{
		const char *vals[1] = {buf_str(&text)};
		PGresult *res = PQexecPrepared(db, stmt_a[COVERAGE], 1, vals, NULL, NULL, 1);
		bool ok = PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1 &&
			buf_eq(&wire, PQgetvalue(res, 0, 0), (size_t) PQgetlength(res, 0, 0));

		check(ok, "coverage: its %zu-byte text output is accepted by text input and gives the same value", text.len);
		if (!ok)
		{
			const char *m = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
			const char *s = PQresultErrorField(res, PG_DIAG_SQLSTATE);

			detail("SQLSTATE %s: %s", s ? s : "?", m ? m : "(no error)");
			if (text.len > TEXT_LIMIT)
				detail("the text output (%zu bytes) is longer than the text input accepts (%d bytes), so text COPY and pg_dump/restore of this value fail",
					   text.len, TEXT_LIMIT);
		}
		PQclear(res);
		if (PQstatus(db) != CONNECTION_OK)
			reconnect();
	}
	value_free(&v);
	buf_free(&wire);
	buf_free(&text);
	buf_free(&bin);
}

/* ------------------------------------------------------------------ */
/* b. Bad binary parameters                                            */
/* ------------------------------------------------------------------ */

static const char *const bad_base[NKINDS] = {
	"{11:3,12:2,201:na}",
	"{11:1/all,31:3/2,32:3/1@3}",
	"(15){11:0,1,4,6,2,0;31:0,0,0,3,1,2}",
};

/* Expects p to be rejected with 22P03 and the connection to work after. */
static bool
expect_bad(int kind, const unsigned char *p, size_t len, const char *label, bool report)
{
	buf_t text = {0}, bin = {0};
	char msg[512];
	int r = try_recv(kind, p, len, &text, &bin, msg, sizeof(msg));
	bool ok = r == R_REJECTED;

	if (r == R_LOST)
	{
		if (report)
			detail("%s: %s: CONNECTION LOST (server crash?) for bytes %s: %s", kind_name[kind], label, hex(p, len), msg);
		reconnect();
	}
	else if (r == R_ACCEPTED && report)
		detail("%s: %s: ACCEPTED bytes %s as %s", kind_name[kind], label, hex(p, len), clip((const char *) text.d, text.len));
	else if (r == R_OTHER_ERROR && report)
		detail("%s: %s: bytes %s gave %s", kind_name[kind], label, hex(p, len), msg);
	if (!alive())
	{
		if (report)
			detail("%s: %s: SELECT 1 failed afterwards", kind_name[kind], label);
		ok = false;
		if (PQstatus(db) != CONNECTION_OK)
			reconnect();
	}
	buf_free(&text);
	buf_free(&bin);
	return ok;
}

static void
bad_case(int kind, const buf_t *b, const char *fmt, ...)
{
	char label[160];
	va_list ap;
	value_t tmp;
	bool oracle_ok;

	va_start(ap, fmt);
	vsnprintf(label, sizeof(label), fmt, ap);
	va_end(ap);
	value_init(&tmp, kind);
	oracle_ok = wire_decode(kind, b->d, b->len, &tmp);
	value_free(&tmp);
	if (oracle_ok)
		fatal("test bug: bad case \"%s\" is valid by the test's own decoder", label);
	check(expect_bad(kind, b->d, b->len, label, true), "%s: %s -> 22P03, connection still works", kind_name[kind], label);
}

/* Copy of base with a 1-, 2- or 4-byte big-endian field at off set to val. */
static void
patched(buf_t *out, const buf_t *base, size_t off, int width, uint32_t val)
{
	buf_set(out, base->d, base->len);
	if (width == 1)
		out->d[off] = (unsigned char) val;
	else if (width == 2)
		put_be16(out->d + off, val);
	else
		put_be32(out->d + off, val);
}

static void
bad_tests(int kind)
{
	const char *tn = kind_name[kind];
	size_t H = wire_hdr[kind], E = wire_ent[kind], C = wire_cnt_off[kind], L, i;
	value_t v;
	buf_t base = {0}, b = {0}, text = {0}, bin = {0};
	char msg[512];
	int n, bad_prefixes = 0, reports = 0, k;
	static const unsigned versions[] = {0, 2, 255};

	value_init(&v, kind);
	if (!parse_canonical(kind, bad_base[kind], strlen(bad_base[kind]), &v))
		fatal("test bug: %s does not parse", bad_base[kind]);
	wire_encode(&v, &base);
	L = base.len;
	n = v.n;

	k = try_recv(kind, base.d, base.len, &text, &bin, msg, sizeof(msg));
	check(k == R_ACCEPTED && buf_eq(&bin, base.d, base.len), "%s: base value %s (%s) accepted as binary",
		  tn, bad_base[kind], hex(base.d, base.len));
	if (k == R_LOST)
		reconnect();

	buf_reset(&b);
	bad_case(kind, &b, "empty buffer");
	for (i = 0; i < sizeof(versions) / sizeof(versions[0]); i++)
	{
		patched(&b, &base, 0, 1, versions[i]);
		bad_case(kind, &b, "version byte %u", versions[i]);
	}

	/* every proper prefix, the empty one included */
	for (i = 0; i < L; i++)
		if (!expect_bad(kind, base.d, i, "truncated", reports < MAX_DETAILS))
		{
			bad_prefixes++;
			reports++;
		}
	check(bad_prefixes == 0, "%s: all %zu truncations (prefixes of 0..%zu bytes) -> 22P03 (%d wrong)", tn, L, L - 1, bad_prefixes);

	buf_set(&b, base.d, base.len);
	buf_putc(&b, 0);
	bad_case(kind, &b, "trailing extra byte 0x00");
	buf_set(&b, base.d, base.len);
	buf_put(&b, base.d + H, E);
	bad_case(kind, &b, "trailing copy of the first entry, count unchanged");
	patched(&b, &base, C, 4, (uint32_t) n + 1);
	bad_case(kind, &b, "count %d, one more than the payload holds", n + 1);
	patched(&b, &base, C, 4, MAX_ID);
	bad_case(kind, &b, "count 32767 with a %d-entry payload", n);
	patched(&b, &base, C, 4, MAX_ID + 1);
	bad_case(kind, &b, "count 32768 (more than there are ids)");
	patched(&b, &base, C, 4, 0xFFFFFFFFu);
	bad_case(kind, &b, "count 4294967295");
	patched(&b, &base, C, 4, 0x80000000u);
	bad_case(kind, &b, "count 2147483648 (negative as int32)");
	patched(&b, &base, C, 4, (uint32_t) n - 1);
	bad_case(kind, &b, "count %d, one less than the payload holds", n - 1);
	patched(&b, &base, C, 4, 0);
	bad_case(kind, &b, "count 0 with entries following");

	/* ids */
	buf_set(&b, base.d, base.len);
	memcpy(b.d + H, base.d + H + E, E);
	memcpy(b.d + H + E, base.d + H, E);
	bad_case(kind, &b, "ids out of order (entries 0 and 1 swapped)");
	patched(&b, &base, H + E, 2, get_be16(base.d + H));
	bad_case(kind, &b, "duplicate id (entry 1 repeats id %u)", (unsigned) get_be16(base.d + H));
	patched(&b, &base, H, 2, 0);
	bad_case(kind, &b, "id 0 in the first entry");
	patched(&b, &base, H + (size_t) (n - 1) * E, 2, MAX_ID + 1);
	bad_case(kind, &b, "id 32768 in the last entry");
	patched(&b, &base, H + (size_t) (n - 1) * E, 2, 0xFFFF);
	bad_case(kind, &b, "id 65535 (-1 as int16) in the last entry");
	buf_reset(&b);
	buf_putc(&b, 1);
	if (kind == COVERAGE)
		buf_be32(&b, 15);
	buf_be32(&b, 1);
	buf_put(&b, base.d + H, E);
	put_be16(b.d + H, 0);
	bad_case(kind, &b, "single entry with id 0");

	if (kind == PROFILE)
	{
		patched(&b, &base, H + E + 2, 1, 0);
		bad_case(kind, &b, "level code 0 (absent) in entry 1");
		patched(&b, &base, H + E + 2, 1, 7);
		bad_case(kind, &b, "level code 7 in entry 1");
		patched(&b, &base, H + E + 2, 1, 255);
		bad_case(kind, &b, "level code 255 in entry 1");
	}
	else if (kind == REQUIREMENT)
	{
		patched(&b, &base, H + E + 2, 1, 0);
		bad_case(kind, &b, "min_level 0 in entry 1");
		patched(&b, &base, H + E + 2, 1, 5);
		bad_case(kind, &b, "min_level 5 in entry 1");
		patched(&b, &base, H + E + 3, 1, 0);
		bad_case(kind, &b, "importance 0 in entry 1");
		patched(&b, &base, H + E + 3, 1, 4);
		bad_case(kind, &b, "importance 4 in entry 1");
		patched(&b, &base, H + E + 4, 4, 2147483648u);
		bad_case(kind, &b, "min_members 2147483648 in entry 1");
		patched(&b, &base, H + E + 4, 4, 0xFFFFFFFFu);
		bad_case(kind, &b, "min_members 4294967295 in entry 1");
	}
	else
	{
		/* base: 15 members; block 11 counts 0,1,4,6,2,0 (sum 13), block 31 0,0,0,3,1,2 (sum 6) */
		patched(&b, &base, 1, 4, 2147483648u);
		bad_case(kind, &b, "members 2147483648");
		patched(&b, &base, 1, 4, 0xFFFFFFFFu);
		bad_case(kind, &b, "members 4294967295");
		patched(&b, &base, 1, 4, 12);
		bad_case(kind, &b, "members 12 while block 11's counts add up to 13");
		patched(&b, &base, 1, 4, 0);
		bad_case(kind, &b, "members 0 with entries");
		patched(&b, &base, H + E + 2 + 4 * 5, 4, 16);
		bad_case(kind, &b, "one count (16) larger than the 15 members");
		buf_set(&b, base.d, base.len);
		memset(b.d + H + E + 2, 0, 24);
		bad_case(kind, &b, "all-zero entry (block 31)");
		buf_set(&b, base.d, base.len);
		memset(b.d + H + 2, 0, 24);
		put_be32(b.d + H + 2, 0xFFFFFFFFu);
		put_be32(b.d + H + 6, 2);
		bad_case(kind, &b, "counts 4294967295 + 2 (the sum wraps to 1 in 32 bits)");
		buf_set(&b, base.d, base.len);
		put_be32(b.d + 1, MAX_MEMBERS);
		memset(b.d + H + 2, 0, 24);
		put_be32(b.d + H + 2, MAX_MEMBERS);
		put_be32(b.d + H + 6, MAX_MEMBERS);
		put_be32(b.d + H + 10, 3);
		bad_case(kind, &b, "counts 2147483647 + 2147483647 + 3 with 2147483647 members (each count fits, the sum wraps to 1 in 32 bits)");
	}

	value_free(&v);
	buf_free(&base);
	buf_free(&b);
	buf_free(&text);
	buf_free(&bin);
}

/* Random bytes, random bytes after version 1, random-but-structured
 * values, or a valid value with a few bytes changed. */
static void
gen_garbage(int kind, buf_t *b, value_t *scratch)
{
	uint32_t how = rnd_below(4), i, n;
	int k;

	buf_reset(b);
	if (how == 0 || how == 1)
	{
		uint32_t len = rnd_below(48);

		if (how == 1)
			buf_putc(b, 1);
		for (i = 0; i < len; i++)
			buf_putc(b, (int) rnd_below(256));
	}
	else if (how == 2)
	{
		static const uint32_t ids[] = {0, 1, 2, 3, 11, 12, 32766, 32767, 32768, 65535};
		static const uint32_t big[] = {0, 1, 2, 15, MAX_MEMBERS, MAX_MEMBERS + 1u, 0xFFFFFFFFu};
		uint32_t members = rnd_below(2) ? big[rnd_below(7)] : rnd_below(20), prev = 0;

		n = rnd_below(5);
		buf_putc(b, 1);
		if (kind == COVERAGE)
			buf_be32(b, members);
		buf_be32(b, rnd_below(8) ? n : n + 1 - 2 * rnd_below(2));
		for (i = 0; i < n; i++)
		{
			uint32_t id = rnd_below(3) ? prev + 1 + rnd_below(30) : ids[rnd_below(10)];

			prev = id;
			buf_be16(b, id);
			if (kind == PROFILE)
				buf_putc(b, (int) rnd_below(8));
			else if (kind == REQUIREMENT)
			{
				buf_putc(b, (int) rnd_below(6));
				buf_putc(b, (int) rnd_below(5));
				buf_be32(b, rnd_below(2) ? rnd_below(100) : big[rnd_below(7)]);
			}
			else
				for (k = 0; k < 6; k++)
					buf_be32(b, rnd_below(2) ? 0 : rnd_below(2) ? rnd_below(8) : big[rnd_below(7)]);
		}
		if (rnd_below(10) == 0)
			buf_putc(b, (int) rnd_below(256));
	}
	else
	{
		uint32_t changes = 1 + rnd_below(3);

		do
			gen_value(kind, scratch);
		while (scratch->n > 40);
		wire_encode(scratch, b);
		for (i = 0; i < changes; i++)
		{
			size_t at = rnd_below((uint32_t) b->len);

			switch (rnd_below(4))
			{
				case 0:
					b->d[at] ^= (unsigned char) (1u << rnd_below(8));
					break;
				case 1:
					b->d[at] = (unsigned char) rnd_below(256);
					break;
				case 2:
					b->d[at] = 0;
					break;
				default:
					b->d[at] = 0xff;
			}
		}
		if (rnd_below(5) == 0)
		{
			if (rnd_below(2) && b->len > 0)
				b->len--;
			else
				buf_putc(b, (int) rnd_below(256));
		}
	}
}

static void
garbage_tests(int kind)
{
	const char *tn = kind_name[kind];
	value_t scratch, dec, parsed;
	buf_t g = {0}, text = {0}, bin = {0}, enc = {0};
	char msg[512];
	int i, rejected = 0, accepted = 0, problems = 0, crashes = 0;

	value_init(&scratch, kind);
	value_init(&dec, kind);
	value_init(&parsed, kind);
	for (i = 0; i < N_GARBAGE; i++)
	{
		bool valid, bad = false;
		int r;

		gen_garbage(kind, &g, &scratch);
		valid = wire_decode(kind, g.d, g.len, &dec);
		r = try_recv(kind, g.d, g.len, &text, &bin, msg, sizeof(msg));
		if (r == R_REJECTED)
		{
			rejected++;
			if (valid)
			{
				bad = true;
				if (problems < MAX_DETAILS)
					detail("%s: valid bytes %s rejected: %s", tn, hex(g.d, g.len), msg);
			}
		}
		else if (r == R_ACCEPTED)
		{
			accepted++;
			if (!valid)
			{
				bad = true;
				if (problems < MAX_DETAILS)
					detail("%s: invalid bytes %s ACCEPTED as %s", tn, hex(g.d, g.len), clip((const char *) text.d, text.len));
			}
			if (!buf_eq(&bin, g.d, g.len))
			{
				bad = true;
				if (problems < MAX_DETAILS)
					detail("%s: bytes %s accepted but re-encoded as %s", tn, hex(g.d, g.len), hex(bin.d, bin.len));
			}
			if (!parse_canonical(kind, (const char *) text.d, text.len, &parsed))
			{
				bad = true;
				if (problems < MAX_DETAILS)
					detail("%s: bytes %s accepted, text %s not canonical", tn, hex(g.d, g.len), clip((const char *) text.d, text.len));
			}
			else
			{
				wire_encode(&parsed, &enc);
				if (!buf_eq(&enc, g.d, g.len))
				{
					bad = true;
					if (problems < MAX_DETAILS)
						detail("%s: bytes %s accepted as text %s, which encodes to %s", tn, hex(g.d, g.len),
							   clip((const char *) text.d, text.len), hex(enc.d, enc.len));
				}
			}
		}
		else
		{
			bad = true;
			if (problems < MAX_DETAILS)
				detail("%s: bytes %s: %s", tn, hex(g.d, g.len), msg);
			if (r == R_LOST)
			{
				crashes++;
				reconnect();
			}
		}
		problems += bad;
	}
	check(problems == 0,
		  "%s: %d garbage buffers: %d rejected with 22P03, %d valid and re-encoded byte-identically; "
		  "server agrees with the C decoder on every one (%d problems, %d lost connections)",
		  tn, N_GARBAGE, rejected, accepted, problems, crashes);
	value_free(&scratch);
	value_free(&dec);
	value_free(&parsed);
	buf_free(&g);
	buf_free(&text);
	buf_free(&bin);
	buf_free(&enc);
}

static void
server_alive_check(void)
{
	char v[32];
	PGconn *fresh;
	bool ok = PQstatus(db) == CONNECTION_OK &&
		query_cell(db, "SELECT count(*) FROM pg_stat_activity", v, sizeof(v)) && atoi(v) >= 1;

	fresh = PQconnectdb("dbname=" DBNAME);
	ok = ok && PQstatus(fresh) == CONNECTION_OK;
	PQfinish(fresh);
	check(ok, "server alive after the bad and garbage parameters: pg_stat_activity shows %s backends, new connections work", v);
}

/* ------------------------------------------------------------------ */
/* c. COPY (FORMAT binary)                                             */
/* ------------------------------------------------------------------ */

static void
copy_header(buf_t *b)
{
	buf_put(b, "PGCOPY\n\377\r\n\0", 11);
	buf_be32(b, 0); /* flags */
	buf_be32(b, 0); /* header extension length */
}

static void
copy_tuple(buf_t *b, uint32_t i, const unsigned char *p, size_t len, bool null)
{
	buf_be16(b, 2);
	buf_be32(b, 4);
	buf_be32(b, i);
	if (null)
		buf_be32(b, 0xFFFFFFFFu);
	else
	{
		buf_be32(b, (uint32_t) len);
		buf_put(b, p, len);
	}
}

/* Sends data to a COPY ... FROM STDIN; *rows from the command tag. On failure
 * sqlstate and msg hold the error. */
static bool
copy_in(const char *sql, const buf_t *data, long *rows, char *sqlstate, char *msg, size_t msglen)
{
	PGresult *res = PQexec(db, sql);
	size_t off = 0;
	bool ok = false;

	*rows = -1;
	sqlstate[0] = 0;
	msg[0] = 0;
	if (PQresultStatus(res) != PGRES_COPY_IN)
	{
		snprintf(msg, msglen, "%.300s: %s", sql, PQresultErrorMessage(res));
		PQclear(res);
		return false;
	}
	PQclear(res);
	while (off < data->len)
	{
		size_t chunk = data->len - off < 65536 ? data->len - off : 65536;

		if (PQputCopyData(db, (const char *) data->d + off, (int) chunk) != 1)
			break;
		off += chunk;
	}
	PQputCopyEnd(db, NULL);
	while ((res = PQgetResult(db)) != NULL)
	{
		if (PQresultStatus(res) == PGRES_COMMAND_OK)
		{
			ok = true;
			*rows = atol(PQcmdTuples(res));
		}
		else
		{
			const char *s = PQresultErrorField(res, PG_DIAG_SQLSTATE);

			ok = false;
			snprintf(sqlstate, 6, "%s", s ? s : "");
			snprintf(msg, msglen, "%s", PQresultErrorMessage(res));
		}
		PQclear(res);
	}
	if (PQstatus(db) != CONNECTION_OK)
	{
		snprintf(msg, msglen, "connection lost during COPY");
		reconnect();
		return false;
	}
	return ok;
}

static bool
copy_out(const char *sql, buf_t *out, char *msg, size_t msglen)
{
	PGresult *res = PQexec(db, sql);
	char *row;
	int n;
	bool ok;

	buf_reset(out);
	msg[0] = 0;
	if (PQresultStatus(res) != PGRES_COPY_OUT)
	{
		snprintf(msg, msglen, "%.300s: %s", sql, PQresultErrorMessage(res));
		PQclear(res);
		return false;
	}
	PQclear(res);
	while ((n = PQgetCopyData(db, &row, 0)) > 0)
	{
		buf_put(out, row, (size_t) n);
		PQfreemem(row);
	}
	ok = n == -1;
	while ((res = PQgetResult(db)) != NULL)
	{
		if (PQresultStatus(res) != PGRES_COMMAND_OK)
		{
			ok = false;
			snprintf(msg, msglen, "%s", PQresultErrorMessage(res));
		}
		PQclear(res);
	}
	return ok;
}

#define NROWS (N_COPY + 1)
#define NULL_ROW 333
#define GARBLED_ROW 500
#define GARBLE_OFFSET 1000000u

static void
copy_tests(int kind)
{
	const char *tn = kind_name[kind];
	buf_t *canon = calloc(NROWS, sizeof(buf_t)), *wire = calloc(NROWS, sizeof(buf_t));
	buf_t stream = {0}, out = {0}, field = {0};
	value_t v;
	char sql[2048], msg[1024], state[6], cell[64];
	long rows;
	int i, g, mismatches = 0;
	bool ok;
	PGresult *res;

	if (canon == NULL || wire == NULL)
		die_oom();
	value_init(&v, kind);
	for (i = 0; i < NROWS; i++)
	{
		if (i == NULL_ROW)
			continue;
		gen_nth(kind, i < NULL_ROW ? i : i - 1, &v);
		print_canonical(&v, &canon[i]);
		wire_encode(&v, &wire[i]);
	}
	snprintf(sql, sizeof(sql), "CREATE TABLE copy_%s (i int4, v kbs.%s); CREATE TABLE copy_%s_back (i int4, v kbs.%s)",
			 tn, tn, tn, tn);
	if (!exec_ok(db, sql))
		fatal("cannot create the COPY tables for %s", tn);

	/* a valid stream */
	copy_header(&stream);
	for (i = 0; i < NROWS; i++)
		copy_tuple(&stream, (uint32_t) i, wire[i].d, wire[i].len, i == NULL_ROW);
	buf_be16(&stream, 0xFFFF);
	snprintf(sql, sizeof(sql), "COPY copy_%s (i, v) FROM STDIN (FORMAT binary)", tn);
	ok = copy_in(sql, &stream, &rows, state, msg, sizeof(msg));
	check(ok && rows == NROWS, "%s: COPY FROM STDIN (FORMAT binary) of a %zu-byte stream with %d values and one NULL -> COPY %ld",
		  tn, stream.len, N_COPY, rows);
	if (!ok)
		detail("%s", msg);

	snprintf(sql, sizeof(sql), "SELECT i, v::text FROM copy_%s ORDER BY i", tn);
	res = PQexec(db, sql);
	ok = PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == NROWS;
	if (!ok)
		detail("%d rows: %s", PQntuples(res), PQresultErrorMessage(res));
	for (i = 0; ok && i < NROWS; i++)
	{
		bool row_ok = atoi(PQgetvalue(res, i, 0)) == i &&
			(i == NULL_ROW ? PQgetisnull(res, i, 1)
			 : !PQgetisnull(res, i, 1) && buf_eq(&canon[i], PQgetvalue(res, i, 1), (size_t) PQgetlength(res, i, 1)));

		if (!row_ok && mismatches++ < MAX_DETAILS)
			detail("row %d: %s, expected %s", i, clip(PQgetvalue(res, i, 1), (size_t) PQgetlength(res, i, 1)),
				   i == NULL_ROW ? "NULL" : clip((const char *) canon[i].d, canon[i].len));
	}
	check(ok && mismatches == 0, "%s: the %d rows read back with the expected canonical text, NULL kept (%d mismatches)",
		  tn, NROWS, mismatches);
	PQclear(res);

	/* streams with one garbled value in the middle: the whole COPY fails */
	for (g = 0; g < 3; g++)
	{
		static const char *const what[3] = {
			"version byte 2", "value truncated by one byte", "one extra byte after the value"};
		char counts[64];

		buf_reset(&stream);
		copy_header(&stream);
		for (i = 0; i < NROWS; i++)
		{
			if (i != GARBLED_ROW)
			{
				copy_tuple(&stream, GARBLE_OFFSET + (uint32_t) i, wire[i].d, wire[i].len, i == NULL_ROW);
				continue;
			}
			buf_set(&field, wire[i].d, wire[i].len);
			if (g == 0)
				field.d[0] = 2;
			else if (g == 1)
				field.len--;
			else
				buf_putc(&field, 0);
			copy_tuple(&stream, GARBLE_OFFSET + (uint32_t) i, field.d, field.len, false);
		}
		buf_be16(&stream, 0xFFFF);
		snprintf(sql, sizeof(sql), "COPY copy_%s (i, v) FROM STDIN (FORMAT binary)", tn);
		ok = copy_in(sql, &stream, &rows, state, msg, sizeof(msg));
		check(!ok && strcmp(state, "22P03") == 0, "%s: COPY stream with row %d garbled (%s) fails with 22P03 (got %s)",
			  tn, GARBLED_ROW, what[g], ok ? "success" : state);
		if (ok || strcmp(state, "22P03") != 0)
			detail("%s", ok ? "the COPY succeeded" : msg);
		snprintf(sql, sizeof(sql), "SELECT count(*) FILTER (WHERE i >= %u) || ' ' || count(*) FROM copy_%s", GARBLE_OFFSET, tn);
		query_cell(db, sql, counts, sizeof(counts));
		snprintf(cell, sizeof(cell), "0 %d", NROWS);
		check(strcmp(counts, cell) == 0, "%s: ... and leaves no row of that COPY (garbled rows, total: %s; expected %s)", tn, counts, cell);
	}

	/* COPY TO STDOUT: a well-formed stream whose fields are the C encodings */
	snprintf(sql, sizeof(sql), "COPY copy_%s (i, v) TO STDOUT (FORMAT binary)", tn);
	ok = copy_out(sql, &out, msg, sizeof(msg));
	if (!ok)
		detail("%s", msg);
	{
		const unsigned char *p = out.d;
		size_t len = out.len, pos = 0;
		int seen = 0;
		bool well_formed = ok && len >= 19 && memcmp(p, "PGCOPY\n\377\r\n\0", 11) == 0;

		mismatches = 0;
		if (well_formed)
		{
			uint32_t ext = get_be32(p + 15);

			pos = 19 + (size_t) ext;
			well_formed = pos <= len;
		}
		while (well_formed)
		{
			uint32_t fc, flen, idx;

			if (pos + 2 > len)
			{
				well_formed = false;
				break;
			}
			fc = get_be16(p + pos);
			pos += 2;
			if (fc == 0xFFFF)
			{
				well_formed = pos == len;
				break;
			}
			if (fc != 2 || pos + 8 > len || get_be32(p + pos) != 4)
			{
				well_formed = false;
				break;
			}
			idx = get_be32(p + pos + 4);
			pos += 8;
			if (pos + 4 > len || idx >= NROWS)
			{
				well_formed = false;
				break;
			}
			flen = get_be32(p + pos);
			pos += 4;
			seen++;
			if (flen == 0xFFFFFFFFu)
			{
				if (idx != NULL_ROW && mismatches++ < MAX_DETAILS)
					detail("row %u: NULL in the COPY output", idx);
				continue;
			}
			if (pos + flen > len)
			{
				well_formed = false;
				break;
			}
			if ((idx == NULL_ROW || !buf_eq(&wire[idx], p + pos, flen)) && mismatches++ < MAX_DETAILS)
				detail("row %u: COPY output field %s, expected %s", idx, hex(p + pos, flen),
					   idx == NULL_ROW ? "NULL" : hex(wire[idx].d, wire[idx].len));
			pos += flen;
		}
		check(well_formed && seen == NROWS && mismatches == 0,
			  "%s: COPY TO STDOUT (FORMAT binary): %zu-byte stream, %d tuples, each field equals the C wire encoding (%d mismatches)",
			  tn, len, seen, mismatches);
	}

	/* ... and that output loads into a second table: identical rows */
	snprintf(sql, sizeof(sql), "COPY copy_%s_back (i, v) FROM STDIN (FORMAT binary)", tn);
	ok = copy_in(sql, &out, &rows, state, msg, sizeof(msg));
	check(ok && rows == NROWS, "%s: the COPY TO output loads with COPY FROM STDIN (FORMAT binary) -> COPY %ld", tn, rows);
	if (!ok)
		detail("%s", msg);
	snprintf(sql, sizeof(sql),
			 "WITH a AS (SELECT i, v FROM copy_%s), b AS (SELECT i, v FROM copy_%s_back),"
			 " ga AS (SELECT v::text AS t, count(*) AS c FROM a GROUP BY 1),"
			 " gb AS (SELECT v::text AS t, count(*) AS c FROM b GROUP BY 1)"
			 " SELECT concat_ws(' ',"
			 " (SELECT count(*) FROM (SELECT * FROM a EXCEPT SELECT * FROM b) x),"
			 " (SELECT count(*) FROM (SELECT * FROM b EXCEPT SELECT * FROM a) x),"
			 " (SELECT count(*) FROM b),"
			 " (SELECT count(*) FROM a JOIN b USING (i) WHERE a.v OPERATOR(kbs.=) b.v),"
			 " (SELECT count(*) FROM ((SELECT * FROM ga EXCEPT SELECT * FROM gb) UNION ALL"
			 " (SELECT * FROM gb EXCEPT SELECT * FROM ga)) x))",
			 tn, tn);
	query_cell(db, sql, msg, sizeof(msg));
	snprintf(cell, sizeof(cell), "0 0 %d %d 0", NROWS, N_COPY);
	check(strcmp(msg, cell) == 0,
		  "%s: second table identical: rows EXCEPT both ways, row count, rows equal by kbs.=, text groups EXCEPT both ways (%s; expected %s)", tn, msg, cell);

	for (i = 0; i < NROWS; i++)
	{
		buf_free(&canon[i]);
		buf_free(&wire[i]);
	}
	free(canon);
	free(wire);
	buf_free(&stream);
	buf_free(&out);
	buf_free(&field);
	value_free(&v);
}

/* ------------------------------------------------------------------ */

int
main(void)
{
	const char *seed = getenv("KBS_BINARY_IO_SEED");
	char sql[256], v[32];
	double t0 = now_seconds();
	int k;
	bool ok;

	if (seed && *seed)
		rng = strtoull(seed, NULL, 0) | 1;
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("     binary-io: seed 0x%llx\n", (unsigned long long) rng);

	admin = PQconnectdb("");
	if (PQstatus(admin) != CONNECTION_OK)
		fatal("cannot connect (PGHOST/PGPORT/PGUSER): %s", PQerrorMessage(admin));
	PQsetNoticeProcessor(admin, quiet_notices, NULL);
	ok = exec_ok(admin, "DROP DATABASE IF EXISTS " DBNAME " WITH (FORCE)") &&
		exec_ok(admin, "CREATE DATABASE " DBNAME);
	if (!ok)
		fatal("cannot create database " DBNAME);
	db = PQconnectdb("dbname=" DBNAME);
	if (PQstatus(db) != CONNECTION_OK)
		fatal("cannot connect to " DBNAME ": %s", PQerrorMessage(db));
	PQsetNoticeProcessor(db, quiet_notices, NULL);
	if (!exec_ok(db, "CREATE EXTENSION kennisbouwstenen"))
		fatal("CREATE EXTENSION kennisbouwstenen failed");
	for (k = 0; k < NKINDS; k++)
	{
		unsigned t = 0, a = 0;

		snprintf(sql, sizeof(sql),
				 "SELECT t.oid || ' ' || t.typarray FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
				 "WHERE n.nspname = 'kbs' AND t.typname = '%s'", kind_name[k]);
		if (!query_cell(db, sql, v, sizeof(v)) || sscanf(v, "%u %u", &t, &a) != 2 || t == 0 || a == 0)
			fatal("no type kbs.%s in pg_type", kind_name[k]);
		kind_oid[k] = t;
		array_oid[k] = a;
	}
	prepare_all();
	check(true, "setup: database " DBNAME " with the extension; type OIDs profile %u, requirement %u, coverage %u "
		  "(arrays %u, %u, %u)", kind_oid[PROFILE], kind_oid[REQUIREMENT], kind_oid[COVERAGE],
		  array_oid[PROFILE], array_oid[REQUIREMENT], array_oid[COVERAGE]);

	printf("== a. round trips: text -> binary -> text ==\n");
	for (k = 0; k < NKINDS; k++)
		roundtrip_tests(k);
	for (k = 0; k < NKINDS; k++)
		array_tests(k);
	long_text_test();

	printf("== b. bad binary parameters ==\n");
	for (k = 0; k < NKINDS; k++)
		bad_tests(k);
	for (k = 0; k < NKINDS; k++)
		garbage_tests(k);
	server_alive_check();

	printf("== c. COPY (FORMAT binary) ==\n");
	for (k = 0; k < NKINDS; k++)
		copy_tests(k);

	printf("== d. clean up ==\n");
	PQfinish(db);
	db = NULL;
	check(exec_ok(admin, "DROP DATABASE " DBNAME), "drop database " DBNAME);
	PQfinish(admin);
	printf("     binary-io: %.1f s\n", now_seconds() - t0);
	summary_and_exit();
	return 0;
}
