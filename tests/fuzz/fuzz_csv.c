/*
 * fuzz_csv.c — libFuzzer target for the CSV reader (src/core/csv.c).
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
 *         -Isrc/core src/core/csv.c tests/fuzz/fuzz_csv.c -o /tmp/fuzz_csv
 *   /tmp/fuzz_csv -max_total_time=30 tests/fuzz/corpus/fuzz_csv
 *
 * Every input is read to its end (or first error) several times, and the
 * invariants of kbs_csv.h are checked with abort():
 *   - the result is -1, 0 or 1..maxfields; fields lie inside buf (which is
 *     allocated with exactly bufcap bytes, so ASan catches any write past
 *     it), are laid out one after another, NUL-terminated and free of NULs;
 *   - each record consumes input (pos grows, never past len), record lines
 *     are >= 1, non-decreasing and within the input's line count, the
 *     reader's line is that of its pos; the loop ends within len + 1
 *     records; end and errors are sticky;
 *   - error messages are non-empty, NUL-terminated and name their line;
 *   - a run with a small buffer and field limit returns a prefix of the
 *     records of a run with room for anything, and differs from it only by
 *     a capacity error;
 *   - re-writing the records with every field quoted and reading them back
 *     gives the same fields;
 *   - an error's kind matches its message (capacity or input);
 *   - reading with small room that grows on capacity errors (restoring the
 *     reader copied before the call, as kbs_sql_csv_records does) gives
 *     exactly the records and the result of the run with room for anything.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "kbs_csv.h"

/* A growable byte string. */
typedef struct
{
	char	   *p;
	size_t		len;
	size_t		cap;
} bytes;

static void
bytes_add(bytes *b, const void *src, size_t n)
{
	if (b->len + n > b->cap)
	{
		size_t		cap = b->cap ? b->cap : 64;

		while (cap < b->len + n)
			cap *= 2;
		b->p = realloc(b->p, cap);
		CHECK(b->p != NULL);
		b->cap = cap;
	}
	if (n)
		memcpy(b->p + b->len, src, n);
	b->len += n;
}

/* The records of one run: each record serialised into rec, ends[i] is
 * where record i ends in rec. */
typedef struct
{
	bytes		rec;
	size_t	   *ends;
	size_t		nrec;
	size_t		maxrec;
	int			rc;				/* 0 or -1 */
	kbs_csv_error err;
	char		delim;
} run_result;

static void
run_free(run_result *res)
{
	free(res->rec.p);
	free(res->ends);
}

/* Serialises a record of n fields into res: [line] n, then (length, bytes) per field. */
static void
record_add(run_result *res, const int *line, int n, const char *buf, const size_t *off, const size_t *flen)
{
	if (line != NULL)
		bytes_add(&res->rec, line, sizeof *line);
	bytes_add(&res->rec, &n, sizeof n);
	for (int i = 0; i < n; i++)
	{
		bytes_add(&res->rec, &flen[i], sizeof flen[i]);
		bytes_add(&res->rec, buf + off[i], flen[i]);
	}
	res->ends[res->nrec++] = res->rec.len;
}

static int
is_capacity_error(const kbs_csv_error *e)
{
	return strstr(e->msg, " is too long") != NULL ||
		strstr(e->msg, " fields") != NULL;
}

/*
 * Reads all of data with the given settings, checking the invariants, and
 * records the records in *res (with their line numbers if with_lines).
 */
static void
read_all(const char *data, size_t len, char delim, size_t bufcap, int maxf,
		 int with_lines, run_result *res)
{
	kbs_csv_reader r;
	kbs_csv_error err;
	char	   *buf = malloc(bufcap);
	size_t	   *off = malloc(sizeof(size_t) * (size_t) maxf);
	size_t	   *flen = malloc(sizeof(size_t) * (size_t) maxf);
	size_t	   *breaks = malloc(sizeof(size_t) * (len + 1));	/* line breaks before i */
	size_t		nbreaks;
	size_t		prev_pos;
	int			prev_line = 1;
	int			n;

	CHECK(buf && off && flen && breaks);
	breaks[0] = 0;
	for (size_t i = 0; i < len; i++)
		breaks[i + 1] = breaks[i] +
			(data[i] == '\n' || (data[i] == '\r' && !(i + 1 < len && data[i + 1] == '\n')));
	nbreaks = breaks[len];

	memset(res, 0, sizeof *res);
	res->maxrec = len + 1;		/* each record consumes at least one byte */
	res->ends = malloc(sizeof(size_t) * (res->maxrec + 1));
	CHECK(res->ends != NULL);

	kbs_csv_init(&r, data, len, delim);
	CHECK(r.delim != '\0' && r.delim != '"' && r.delim != '\n' && r.delim != '\r');
	if (delim == ',' || delim == ';' || delim == '\t')
		CHECK(r.delim == delim);
	else
		CHECK(r.delim == ',' || r.delim == ';');
	res->delim = r.delim;
	CHECK(r.pos <= len && r.line == 1);
	prev_pos = r.pos;

	for (;;)
	{
		int			line = -7;

		memset(&err, 0x55, sizeof err);
		n = kbs_csv_next(&r, buf, bufcap, off, flen, maxf, &line, &err);
		CHECK(n >= -1 && n <= maxf);
		CHECK(r.pos <= len);
		if (n <= 0)
			break;

		/* progress and termination */
		CHECK(r.pos > prev_pos);
		prev_pos = r.pos;
		CHECK(res->nrec < res->maxrec);

		/* lines: the record starts at or after the line where the previous
		 * call stopped, and r->line is the line of r->pos */
		CHECK(line >= prev_line);
		CHECK((size_t) line <= nbreaks + 1);
		CHECK(r.line >= line);
		CHECK((size_t) r.line == breaks[r.pos] + 1);
		prev_line = r.line;

		/* fields inside buf, consecutive, terminated, without NUL */
		for (int i = 0; i < n; i++)
		{
			CHECK(off[i] == (i == 0 ? 0 : off[i - 1] + flen[i - 1] + 1));
			CHECK(off[i] < bufcap && flen[i] < bufcap - off[i]);
			CHECK(buf[off[i] + flen[i]] == '\0');
			CHECK(memchr(buf + off[i], '\0', flen[i]) == NULL);
		}

		record_add(res, with_lines ? &line : NULL, n, buf, off, flen);
	}

	res->rc = n;
	CHECK((size_t) r.line == breaks[r.pos] + 1 || n == -1);
	if (n == 0)
	{
		/* the end: all consumed, and it stays the end */
		CHECK(r.pos == len);
		CHECK(kbs_csv_next(&r, buf, bufcap, off, flen, maxf, NULL, NULL) == 0);
	}
	else
	{
		kbs_csv_error again;
		const char *nul = memchr(err.msg, '\0', sizeof err.msg);

		CHECK(nul != NULL && nul != err.msg);
		CHECK(strstr(err.msg, "line ") != NULL);
		CHECK(err.kind == KBS_CSV_ERR_INPUT || err.kind == KBS_CSV_ERR_FIELDS ||
			  err.kind == KBS_CSV_ERR_LENGTH);
		CHECK(is_capacity_error(&err) == (err.kind != KBS_CSV_ERR_INPUT));
		CHECK(err.line >= 1 && err.line >= prev_line && err.line <= r.line);
		CHECK(err.column >= 0);
		res->err = err;
		/* errors are sticky */
		memset(&again, 0, sizeof again);
		CHECK(kbs_csv_next(&r, buf, bufcap, off, flen, maxf, NULL, &again) == -1);
		CHECK(again.line == err.line && again.column == err.column);
		CHECK(strcmp(again.msg, err.msg) == 0);
	}
	free(breaks);
	free(buf);
	free(off);
	free(flen);
}

/* Writes the records of res back as CSV with every field quoted. */
static void
requote(const run_result *res, bytes *out)
{
	const char *p = res->rec.p;
	size_t		pos = 0;

	for (size_t k = 0; k < res->nrec; k++)
	{
		int			n;

		memcpy(&n, p + pos, sizeof n);
		pos += sizeof n;
		for (int i = 0; i < n; i++)
		{
			size_t		flen;

			memcpy(&flen, p + pos, sizeof flen);
			pos += sizeof flen;
			if (i > 0)
				bytes_add(out, &res->delim, 1);
			bytes_add(out, "\"", 1);
			for (size_t j = 0; j < flen; j++)
			{
				if (p[pos + j] == '"')
					bytes_add(out, "\"", 1);
				bytes_add(out, p + pos + j, 1);
			}
			bytes_add(out, "\"", 1);
			pos += flen;
		}
		bytes_add(out, "\n", 1);
	}
	CHECK(pos == res->rec.len);
}

/*
 * Reads all of data starting with room for maxf fields and cap bytes; on a
 * capacity error the reader copied before the call is restored and the room
 * doubled (up to big_maxf / big_cap). Records go into *res as in read_all
 * (with lines).
 */
static void
read_growing(const char *data, size_t len, char delim, size_t cap, int maxf,
			 size_t big_cap, int big_maxf, run_result *res)
{
	kbs_csv_reader r;
	kbs_csv_error err;
	char	   *buf = malloc(big_cap);
	size_t	   *off = malloc(sizeof(size_t) * (size_t) big_maxf);
	size_t	   *flen = malloc(sizeof(size_t) * (size_t) big_maxf);
	int			n;

	CHECK(buf && off && flen);
	memset(res, 0, sizeof *res);
	res->maxrec = len + 1;
	res->ends = malloc(sizeof(size_t) * (res->maxrec + 1));
	CHECK(res->ends != NULL);
	kbs_csv_init(&r, data, len, delim);
	for (;;)
	{
		kbs_csv_reader before = r;
		int			line = 0;

		n = kbs_csv_next(&r, buf, cap, off, flen, maxf, &line, &err);
		if (n < 0 && err.kind == KBS_CSV_ERR_FIELDS && maxf < big_maxf)
		{
			maxf = maxf > big_maxf / 2 ? big_maxf : maxf * 2;
			r = before;
			continue;
		}
		if (n < 0 && err.kind == KBS_CSV_ERR_LENGTH && cap < big_cap)
		{
			cap = cap > big_cap / 2 ? big_cap : cap * 2;
			r = before;
			continue;
		}
		if (n <= 0)
			break;
		CHECK(res->nrec < res->maxrec);
		record_add(res, &line, n, buf, off, flen);
	}
	res->rc = n;
	if (n < 0)
		res->err = err;
	free(buf);
	free(off);
	free(flen);
}

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char delims[4] = {0, ',', ';', '\t'};
	const char *in = (const char *) data;
	char		delim = size ? delims[data[0] & 3] : 0;
	/* room for anything: every byte a field of its own, plus the NULs */
	size_t		big_cap = 2 * size + 2;
	int			big_maxf = (int) (size + 2 < 1000000 ? size + 2 : 1000000);
	size_t		small_cap = size ? 1 + data[size - 1] % 24 : 1;
	int			small_maxf = size > 1 ? 1 + data[size - 2] % 5 : 1;
	run_result	big,
				small,
				detect;

	if (size > 100000)
		return 0;

	/* 1. room for anything: only input errors possible */
	read_all(in, size, delim, big_cap, big_maxf, 1, &big);
	if (big.rc == -1)
		CHECK(!is_capacity_error(&big.err));

	/* 2. small buffer and field limit: a prefix of 1 */
	read_all(in, size, delim, small_cap, small_maxf, 1, &small);
	CHECK(small.nrec <= big.nrec);
	CHECK(memcmp(small.rec.p ? small.rec.p : "", big.rec.p ? big.rec.p : "",
				 small.rec.len) == 0);
	if (small.nrec > 0)
		CHECK(small.ends[small.nrec - 1] == big.ends[small.nrec - 1]);
	if (small.rc == 0)
		CHECK(big.rc == 0 && big.nrec == small.nrec);
	else if (!is_capacity_error(&small.err))
	{
		CHECK(big.rc == -1 && big.nrec == small.nrec);
		CHECK(strcmp(big.err.msg, small.err.msg) == 0);
		CHECK(big.err.line == small.err.line && big.err.column == small.err.column);
	}
	run_free(&small);

	/* 3. detection never fails where the detected delimiter is given */
	if (delim == 0)
	{
		read_all(in, size, big.delim, big_cap, big_maxf, 1, &detect);
		CHECK(detect.rc == big.rc && detect.rec.len == big.rec.len);
		CHECK(detect.rec.len == 0 || memcmp(detect.rec.p, big.rec.p, big.rec.len) == 0);
		run_free(&detect);
	}

	/* 5. growing room on demand reads what room for anything reads */
	{
		run_result	grown;

		read_growing(in, size, delim, small_cap, small_maxf, big_cap, big_maxf, &grown);
		CHECK(grown.rc == big.rc && grown.nrec == big.nrec && grown.rec.len == big.rec.len);
		CHECK(big.rec.len == 0 || memcmp(grown.rec.p, big.rec.p, big.rec.len) == 0);
		if (big.rc == -1)
			CHECK(strcmp(grown.err.msg, big.err.msg) == 0 && grown.err.line == big.err.line &&
				  grown.err.column == big.err.column && grown.err.kind == big.err.kind);
		run_free(&grown);
	}

	/* 4. re-quoted records read back the same (lines aside) */
	if (big.rc == 0 && (big.delim == ',' || big.delim == ';' || big.delim == '\t'))
	{
		run_result plain,
					again;
		bytes		csv = {0};

		read_all(in, size, big.delim, big_cap, big_maxf, 0, &plain);
		requote(&plain, &csv);
		read_all(csv.p ? csv.p : "", csv.len, big.delim, 2 * csv.len + 2,
				 (int) (csv.len + 2 < 1000000 ? csv.len + 2 : 1000000), 0, &again);
		CHECK(again.rc == 0 && again.nrec == plain.nrec);
		CHECK(again.rec.len == plain.rec.len);
		CHECK(plain.rec.len == 0 || memcmp(again.rec.p, plain.rec.p, plain.rec.len) == 0);
		free(csv.p);
		run_free(&plain);
		run_free(&again);
	}
	run_free(&big);
	return 0;
}
