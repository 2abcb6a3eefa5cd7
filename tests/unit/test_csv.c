/*
 * test_csv.c — CUnit tests for the CSV reader (src/core/csv.c).
 *
 * Exposes kbs_register_csv_suite(), which adds the suite "csv" to the
 * current CUnit registry.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <string.h>

#include "helpers.h"
#include "kbs_csv.h"

int			kbs_register_csv_suite(void);

#define CSV_OUT_SIZE 1024
#define CSV_MAXF_ALL 64

/* Result of reading a whole input. */
typedef struct
{
	char		out[CSV_OUT_SIZE];	/* records as "L:<f1><f2> L:<f1>" */
	int			rc;				/* last kbs_csv_next result: 0 or -1 */
	int			nrecords;
	kbs_csv_error err;
	kbs_csv_reader r;
} csv_result;

static void
csv_append(char *out, const char *s, size_t n)
{
	size_t		have = strlen(out);

	if (have + n >= CSV_OUT_SIZE)
		n = CSV_OUT_SIZE - 1 - have;
	memcpy(out + have, s, n);
	out[have + n] = '\0';
}

/*
 * Reads data[0..len-1] to the end or the first error with the given
 * delimiter, buffer capacity and field limit, rendering the records into
 * res->out and checking the buffer layout promised by the header.
 */
static void
csv_read_all(csv_result *res, const char *data, size_t len, char delim,
			 size_t bufcap, int maxfields)
{
	char		buf[256 + 16];
	size_t		off[CSV_MAXF_ALL];
	size_t		flen[CSV_MAXF_ALL];
	int			line = -1;
	int			calls = 0;
	int			n;

	CU_ASSERT_FATAL(bufcap <= 256 && maxfields <= CSV_MAXF_ALL);
	memset(res, 0, sizeof *res);
	memset(buf, 'Z', sizeof buf);
	kbs_csv_init(&res->r, data, len, delim);
	while ((n = kbs_csv_next(&res->r, buf, bufcap, off, flen, maxfields,
							 &line, &res->err)) > 0)
	{
		char		tmp[32];

		CU_ASSERT(n <= maxfields);
		snprintf(tmp, sizeof tmp, "%s%d:", res->nrecords ? " " : "", line);
		csv_append(res->out, tmp, strlen(tmp));
		for (int i = 0; i < n; i++)
		{
			CU_ASSERT(off[i] == (i == 0 ? 0 : off[i - 1] + flen[i - 1] + 1));
			CU_ASSERT(off[i] + flen[i] < bufcap);
			CU_ASSERT(buf[off[i] + flen[i]] == '\0');
			csv_append(res->out, "<", 1);
			csv_append(res->out, buf + off[i], flen[i]);
			csv_append(res->out, ">", 1);
		}
		res->nrecords++;
		CU_ASSERT_FATAL(++calls < 1000);
	}
	res->rc = n;
	/* nothing written past bufcap */
	for (size_t i = bufcap; i < sizeof buf; i++)
		CU_ASSERT(buf[i] == 'Z');
}

/* Reads a NUL-terminated input with a roomy buffer. */
static void
csv_read_str(csv_result *res, const char *s, char delim)
{
	csv_read_all(res, s, strlen(s), delim, 256, 16);
}

/* Reads s with delim, expecting it to parse completely into expect. */
#define CHECK_PARSE(s, delim, expect) \
	do { \
		csv_result res_; \
		csv_read_str(&res_, (s), (delim)); \
		CU_ASSERT_EQUAL(res_.rc, 0); \
		CU_ASSERT_STRING_EQUAL(res_.out, (expect)); \
	} while (0)

/* Reads s (len bytes), expecting records `before` and then an error. */
#define CHECK_ERROR_LEN(s, len, delim, bufcap, maxf, before, e_line, e_col, e_msg) \
	do { \
		csv_result res_; \
		csv_read_all(&res_, (s), (len), (delim), (bufcap), (maxf)); \
		CU_ASSERT_EQUAL(res_.rc, -1); \
		CU_ASSERT_STRING_EQUAL(res_.out, (before)); \
		CU_ASSERT_STRING_EQUAL(res_.err.msg, (e_msg)); \
		CU_ASSERT_EQUAL(res_.err.line, (e_line)); \
		CU_ASSERT_EQUAL(res_.err.column, (e_col)); \
	} while (0)

#define CHECK_ERROR(s, delim, before, e_line, e_col, e_msg) \
	CHECK_ERROR_LEN((s), strlen(s), (delim), 256, 16, (before), (e_line), (e_col), (e_msg))

/* ---- delimiters and detection ---------------------------------------- */

static void
test_csv_comma(void)
{
	CHECK_PARSE("naam,omschrijving\nwmo,Wet maatschappelijke ondersteuning\n", ',',
				"1:<naam><omschrijving> 2:<wmo><Wet maatschappelijke ondersteuning>");
	/* with an explicit ',' a ';' is ordinary content */
	CHECK_PARSE("a;b,c\n", ',', "1:<a;b><c>");
}

static void
test_csv_semicolon(void)
{
	CHECK_PARSE("naam;omschrijving\nwmo;zorg, welzijn\n", ';',
				"1:<naam><omschrijving> 2:<wmo><zorg, welzijn>");
}

static void
test_csv_detect(void)
{
	csv_result	res;

	/* Dutch Excel */
	csv_read_str(&res, "naam;omschrijving\nwmo;zorg, welzijn\n", 0);
	CU_ASSERT_EQUAL(res.r.delim, ';');
	CU_ASSERT_EQUAL(res.rc, 0);
	CU_ASSERT_STRING_EQUAL(res.out, "1:<naam><omschrijving> 2:<wmo><zorg, welzijn>");

	/* the first of the two outside quotes decides */
	csv_read_str(&res, "a,b;c\n", 0);
	CU_ASSERT_EQUAL(res.r.delim, ',');
	CU_ASSERT_STRING_EQUAL(res.out, "1:<a><b;c>");
	csv_read_str(&res, "a;b,c\n", 0);
	CU_ASSERT_EQUAL(res.r.delim, ';');
	CU_ASSERT_STRING_EQUAL(res.out, "1:<a><b,c>");

	/* delimiters inside quotes do not count */
	csv_read_str(&res, "\"a,b\";c\n", 0);
	CU_ASSERT_EQUAL(res.r.delim, ';');
	CU_ASSERT_STRING_EQUAL(res.out, "1:<a,b><c>");
	csv_read_str(&res, "\"a;\"\"b\",c\n", 0);
	CU_ASSERT_EQUAL(res.r.delim, ',');
	CU_ASSERT_STRING_EQUAL(res.out, "1:<a;\"b><c>");
	/* ... nor do quoted line breaks end the header */
	csv_read_str(&res, "\"x\ny\";z\n", 0);
	CU_ASSERT_EQUAL(res.r.delim, ';');

	/* only the first record (the header) is looked at */
	csv_read_str(&res, "naam\nx;y\n", 0);
	CU_ASSERT_EQUAL(res.r.delim, ',');
	CU_ASSERT_STRING_EQUAL(res.out, "1:<naam> 2:<x;y>");

	/* blank lines before the header are passed over */
	csv_read_str(&res, "\n  \r\n\t a;b\n", 0);
	CU_ASSERT_EQUAL(res.r.delim, ';');
	CU_ASSERT_STRING_EQUAL(res.out, "3:<\t a><b>");

	/* nothing to go by: ',' */
	csv_read_str(&res, "", 0);
	CU_ASSERT_EQUAL(res.r.delim, ',');
	csv_read_str(&res, "\"a;b\"\n", 0);
	CU_ASSERT_EQUAL(res.r.delim, ',');

	/* a delimiter that cannot be one means detect */
	csv_read_str(&res, "a;b\n", '"');
	CU_ASSERT_EQUAL(res.r.delim, ';');
	csv_read_str(&res, "a;b\n", '\n');
	CU_ASSERT_EQUAL(res.r.delim, ';');
}

static void
test_csv_tab_delimiter(void)
{
	/* tab is a delimiter here, not padding: a line of tabs is not blank */
	CHECK_PARSE("a\tb\n\t\t\n", '\t', "1:<a><b> 2:<><><>");
	CHECK_PARSE("\"a\"\tb\n", '\t', "1:<a><b>");
}

static void
test_csv_bom(void)
{
	csv_result	res;

	csv_read_str(&res, "\xEF\xBB\xBFnaam;code\nx;1\n", 0);
	CU_ASSERT_EQUAL(res.r.delim, ';');
	CU_ASSERT_STRING_EQUAL(res.out, "1:<naam><code> 2:<x><1>");

	/* only a BOM: no records */
	csv_read_str(&res, "\xEF\xBB\xBF", 0);
	CU_ASSERT_EQUAL(res.rc, 0);
	CU_ASSERT_EQUAL(res.nrecords, 0);

	/* a BOM later on, or a partial one, is content */
	CHECK_PARSE("a\n\xEF\xBB\xBF" "b\n", ',', "1:<a> 2:<\xEF\xBB\xBF" "b>");
	CHECK_PARSE("\xEF\xBB", ',', "1:<\xEF\xBB>");
	CHECK_PARSE("\xEF\xBBx", ',', "1:<\xEF\xBBx>");
	CHECK_PARSE("\xEF" "ab", ',', "1:<\xEF" "ab>");

	/* columns are counted after the BOM */
	CHECK_ERROR("\xEF\xBB\xBF\"a\"x", ',', "", 1, 4,
				"unexpected character \"x\" after closing quote on line 1");
}

/* ---- records and lines ------------------------------------------------ */

static void
test_csv_line_endings(void)
{
	CHECK_PARSE("a,b\nc,d\n", ',', "1:<a><b> 2:<c><d>");
	CHECK_PARSE("a,b\r\nc,d\r\n", ',', "1:<a><b> 2:<c><d>");
	CHECK_PARSE("a,b\rc,d\r", ',', "1:<a><b> 2:<c><d>");
	/* mixed; CR LF is one line break, LF CR two */
	CHECK_PARSE("a\r\nb\rc\nd\n\re", ',', "1:<a> 2:<b> 3:<c> 4:<d> 6:<e>");
	CHECK_PARSE("a,\r\nb", ',', "1:<a><> 2:<b>");
}

static void
test_csv_last_line_without_newline(void)
{
	csv_result	res;
	char		buf[16];
	size_t		off[4],
				len[4];
	int			line;
	kbs_csv_error err;

	CHECK_PARSE("a,b\nc,d", ',', "1:<a><b> 2:<c><d>");
	CHECK_PARSE("\"a\"", ',', "1:<a>");
	CHECK_PARSE("x,\"a\"  ", ',', "1:<x><a>");

	/* after the end, every call returns 0 again */
	csv_read_str(&res, "a\n", ',');
	CU_ASSERT_EQUAL(res.rc, 0);
	CU_ASSERT_EQUAL(kbs_csv_next(&res.r, buf, sizeof buf, off, len, 4, &line, &err), 0);
	CU_ASSERT_EQUAL(kbs_csv_next(&res.r, buf, sizeof buf, off, len, 4, &line, &err), 0);
	CU_ASSERT_EQUAL(res.r.pos, 2);
}

static void
test_csv_blank_lines(void)
{
	CHECK_PARSE("\n\na\n   \n\t\r\n\nb\n\n \t", ',', "3:<a> 7:<b>");
	CHECK_PARSE("", ',', "");
	CHECK_PARSE("\r\n\r\n", ',', "");
	/* delimiters make a line a record, spaces in it are content */
	CHECK_PARSE(";;\n", ';', "1:<><><>");
	CHECK_PARSE(" ,\n", ',', "1:< ><>");
	CHECK_PARSE("  \"\"  \n", ',', "1:<>");
}

static void
test_csv_empty_fields(void)
{
	CHECK_PARSE("a,,b", ',', "1:<a><><b>");
	CHECK_PARSE("a,", ',', "1:<a><>");
	CHECK_PARSE("a,\n", ',', "1:<a><>");
	CHECK_PARSE(",", ',', "1:<><>");
	CHECK_PARSE(",a", ',', "1:<><a>");
	CHECK_PARSE("\"\",\"\"", ',', "1:<><>");
}

static void
test_csv_quoted(void)
{
	/* quoted delimiter, escaped quote, quoted line break; the record after
	 * it starts on line 3 */
	CHECK_PARSE("\"a,b\",\"c\"\"d\",\"e\nf\"\ng\n", ',',
				"1:<a,b><c\"d><e\nf> 3:<g>");
	/* a quoted CR LF is kept as is and counts as one line */
	CHECK_PARSE("\"x\r\ny\"\nz", ',', "1:<x\r\ny> 3:<z>");
	/* a quoted lone CR counts as a line too */
	CHECK_PARSE("\"x\ry\"\nz", ',', "1:<x\ry> 3:<z>");
	/* only quotes */
	CHECK_PARSE("\"\"\"\"\n", ',', "1:<\">");
	CHECK_PARSE("\"\"\"\"\"\"\n", ',', "1:<\"\">");
	/* padding around a quoted field is dropped */
	CHECK_PARSE("  \"a\"  ,\t\"b\"\t\n", ',', "1:<a><b>");
	CHECK_PARSE("\"a\" ;b", ';', "1:<a><b>");
	/* the other delimiter is content */
	CHECK_PARSE("\"a;b\";c", ';', "1:<a;b><c>");
}

static void
test_csv_unquoted_as_is(void)
{
	CHECK_PARSE(" a , b \n", ',', "1:< a >< b >");
	CHECK_PARSE("\ta\t\n", ',', "1:<\ta\t>");
}

static void
test_csv_utf8(void)
{
	CHECK_PARSE("Schuldhulpverlening; \xC3\xA9\xC3\xA9n\n", ';',
				"1:<Schuldhulpverlening>< \xC3\xA9\xC3\xA9n>");
	CHECK_PARSE("\"\xE2\x82\xAC 5,-\";\xF0\x9F\x98\x80", ';',
				"1:<\xE2\x82\xAC 5,-><\xF0\x9F\x98\x80>");
	/* invalid UTF-8 is passed through, not judged */
	CHECK_PARSE("\xFF\xC3,\x80", ',', "1:<\xFF\xC3><\x80>");
}

static void
test_csv_line_out(void)
{
	kbs_csv_reader r;
	kbs_csv_error err;
	const char *in = "h1,h2\n\n\"multi\nline\",x\ny,z\n";
	char		buf[64];
	size_t		off[4],
				len[4];
	int			line = 0;

	kbs_csv_init(&r, in, strlen(in), 0);
	CU_ASSERT_EQUAL(kbs_csv_next(&r, buf, sizeof buf, off, len, 4, &line, &err), 2);
	CU_ASSERT_EQUAL(line, 1);
	CU_ASSERT_EQUAL(kbs_csv_next(&r, buf, sizeof buf, off, len, 4, &line, &err), 2);
	CU_ASSERT_EQUAL(line, 3);
	CU_ASSERT_STRING_EQUAL(buf + off[0], "multi\nline");
	CU_ASSERT_STRING_EQUAL(buf + off[1], "x");
	CU_ASSERT_EQUAL(kbs_csv_next(&r, buf, sizeof buf, off, len, 4, &line, &err), 2);
	CU_ASSERT_EQUAL(line, 5);
	/* line_out and err may be NULL */
	CU_ASSERT_EQUAL(kbs_csv_next(&r, buf, sizeof buf, off, len, 4, NULL, NULL), 0);
}

static void
test_csv_respects_len(void)
{
	/* bytes beyond len are never looked at */
	CHECK_ERROR_LEN("\"abc\"", 4, ',', 256, 16, "", 1, 1,
					"unterminated quoted field starting on line 1");
	{
		csv_result	res;

		csv_read_all(&res, "a,bXYZ", 3, ',', 256, 16);
		CU_ASSERT_STRING_EQUAL(res.out, "1:<a><b>");
		csv_read_all(&res, "a\r\nb", 2, ',', 256, 16);
		CU_ASSERT_STRING_EQUAL(res.out, "1:<a>");
		CU_ASSERT_EQUAL(res.r.pos, 2);
		csv_read_all(&res, NULL, 0, 0, 256, 16);
		CU_ASSERT_EQUAL(res.rc, 0);
		CU_ASSERT_EQUAL(res.nrecords, 0);
	}
}

/* ---- errors ------------------------------------------------------------ */

static void
test_csv_err_unterminated(void)
{
	CHECK_ERROR("a\nb\n\"c,d\n\ne\n", ',', "1:<a> 2:<b>", 3, 1,
				"unterminated quoted field starting on line 3");
	CHECK_ERROR("x,y\nx, \"abc", ',', "1:<x><y>", 2, 4,
				"unterminated quoted field starting on line 2");
	/* an escaped quote at the very end does not close the field */
	CHECK_ERROR("\"abc\"\"", ',', "", 1, 1,
				"unterminated quoted field starting on line 1");
	CHECK_ERROR("\"x\r", ',', "", 1, 1,
				"unterminated quoted field starting on line 1");
}

static void
test_csv_err_after_closing_quote(void)
{
	CHECK_ERROR("a\n\"b\"x,c", ',', "1:<a>", 2, 4,
				"unexpected character \"x\" after closing quote on line 2");
	CHECK_ERROR("\"b\" \t x", ',', "", 1, 7,
				"unexpected character \"x\" after closing quote on line 1");
	/* the quoted line break moves the error to line 2 */
	CHECK_ERROR("\"a\nb\"c", ',', "", 2, 3,
				"unexpected character \"c\" after closing quote on line 2");
	/* the other delimiter is not allowed either */
	CHECK_ERROR("\"a\",b;c\n\"d\";e", ',', "1:<a><b;c>", 2, 4,
				"unexpected character \";\" after closing quote on line 2");
	CHECK_ERROR("\"b\"\xC3\xA9", ',', "", 1, 4,
				"unexpected character \"\xC3\xA9\" after closing quote on line 1");
	CHECK_ERROR("\"b\"\x01", ',', "", 1, 4,
				"unexpected byte 0x01 after closing quote on line 1");
	/* a truncated or malformed UTF-8 sequence is shown as a byte */
	CHECK_ERROR("\"b\"\xC3", ',', "", 1, 4,
				"unexpected byte 0xC3 after closing quote on line 1");
	CHECK_ERROR("\"b\"\xED\xA0\x80", ',', "", 1, 4,
				"unexpected byte 0xED after closing quote on line 1");
	CHECK_ERROR("\"a\" \"b\"", ',', "", 1, 5,
				"unexpected quote after closing quote on line 1");
	/* well-formed multibyte characters are shown whole ... */
	CHECK_ERROR("\"b\"\xE2\x82\xAC", ',', "", 1, 4,
				"unexpected character \"\xE2\x82\xAC\" after closing quote on line 1");
	CHECK_ERROR("\"b\"\xE0\xA4\x85", ',', "", 1, 4,
				"unexpected character \"\xE0\xA4\x85\" after closing quote on line 1");
	CHECK_ERROR("\"b\"\xF0\x9F\x98\x80", ',', "", 1, 4,
				"unexpected character \"\xF0\x9F\x98\x80\" after closing quote on line 1");
	CHECK_ERROR("\"b\"\xF4\x8F\xBF\xBF", ',', "", 1, 4,
				"unexpected character \"\xF4\x8F\xBF\xBF\" after closing quote on line 1");
	/* ... ill-formed ones (overlong, above U+10FFFF, bad continuation)
	 * as their first byte */
	CHECK_ERROR("\"b\"\xE0\x80\x80", ',', "", 1, 4,
				"unexpected byte 0xE0 after closing quote on line 1");
	CHECK_ERROR("\"b\"\xF0\x80\x80\x80", ',', "", 1, 4,
				"unexpected byte 0xF0 after closing quote on line 1");
	CHECK_ERROR("\"b\"\xF4\x90\x80\x80", ',', "", 1, 4,
				"unexpected byte 0xF4 after closing quote on line 1");
	CHECK_ERROR("\"b\"\xF1\x80\x80\x80", ',', "", 1, 4,
				"unexpected character \"\xF1\x80\x80\x80\" after closing quote on line 1");
	CHECK_ERROR("\"b\"\xF5\x80\x80\x80", ',', "", 1, 4,
				"unexpected byte 0xF5 after closing quote on line 1");
	CHECK_ERROR("\"b\"\xE2\x82\xC0", ',', "", 1, 4,
				"unexpected byte 0xE2 after closing quote on line 1");
	CHECK_ERROR("\"b\"\xE2\x82(", ',', "", 1, 4,
				"unexpected byte 0xE2 after closing quote on line 1");
	CHECK_ERROR("\"b\"\xF0\x9F\x98", ',', "", 1, 4,
				"unexpected byte 0xF0 after closing quote on line 1");
	CHECK_ERROR("\"b\"\x7F", ',', "", 1, 4,
				"unexpected byte 0x7F after closing quote on line 1");
}

static void
test_csv_err_quote_in_unquoted(void)
{
	CHECK_ERROR("a\nab\"c\"", ',', "1:<a>", 2, 3,
				"unexpected quote in unquoted field on line 2");
	CHECK_ERROR("x, a \"b\"", ',', "", 1, 6,
				"unexpected quote in unquoted field on line 1");
}

static void
test_csv_err_nul(void)
{
	static const char in1[] = "a\n\nb\nc,d\0e";
	static const char in2[] = "\"a\0\"";
	static const char in3[] = "\"a\"\0";
	static const char in4[] = "\0";

	CHECK_ERROR_LEN(in1, sizeof in1 - 1, ',', 256, 16, "1:<a> 3:<b>", 4, 4,
					"NUL byte on line 4");
	CHECK_ERROR_LEN(in2, sizeof in2 - 1, ',', 256, 16, "", 1, 3,
					"NUL byte on line 1");
	CHECK_ERROR_LEN(in3, sizeof in3 - 1, ',', 256, 16, "", 1, 4,
					"NUL byte on line 1");
	CHECK_ERROR_LEN(in4, sizeof in4 - 1, ',', 256, 16, "", 1, 1,
					"NUL byte on line 1");
}

static void
test_csv_maxfields(void)
{
	/* exactly maxfields is fine, one more is not */
	CHECK_ERROR_LEN("a,b,c\nd,e,f,g\n", 14, ',', 256, 3, "1:<a><b><c>", 2, 7,
					"line 2 has more than 3 fields");
	/* a trailing delimiter adds a field */
	CHECK_ERROR_LEN("a,b,c,", 6, ',', 256, 3, "", 1, 7,
					"line 1 has more than 3 fields");
	{
		csv_result	res;

		csv_read_all(&res, "a,b,c\n", 6, ',', 256, 3);
		CU_ASSERT_EQUAL(res.rc, 0);
		CU_ASSERT_STRING_EQUAL(res.out, "1:<a><b><c>");
		csv_read_all(&res, "a\n", 2, ',', 256, 1);
		CU_ASSERT_EQUAL(res.rc, 0);
		CU_ASSERT_STRING_EQUAL(res.out, "1:<a>");
	}
	/* the record's first line is named; the column is unknown there */
	CHECK_ERROR_LEN("x\n\"a\nb\",c,d", 11, ',', 256, 2, "1:<x>", 2, 0,
					"line 2 has more than 2 fields");
	CHECK_ERROR_LEN("a,b", 3, ',', 256, 1, "", 1, 3,
					"line 1 has more than 1 fields");
}

static void
test_csv_bufcap(void)
{
	csv_result	res;

	/* 7 bytes + NUL fit in 8 */
	csv_read_all(&res, "abcdefg", 7, ',', 8, 16);
	CU_ASSERT_EQUAL(res.rc, 0);
	CU_ASSERT_STRING_EQUAL(res.out, "1:<abcdefg>");
	CHECK_ERROR_LEN("abcdefgh", 8, ',', 8, 16, "", 1, 1,
					"field on line 1 is too long");
	/* the buffer holds the whole record: 4 + 5 > 8 */
	csv_read_all(&res, "abc,def", 7, ',', 8, 16);
	CU_ASSERT_EQUAL(res.rc, 0);
	CU_ASSERT_STRING_EQUAL(res.out, "1:<abc><def>");
	CHECK_ERROR_LEN("abc,defg", 8, ',', 8, 16, "", 1, 5,
					"field on line 1 is too long");
	/* quoted, unescaped length counts: a""b is 3 bytes */
	csv_read_all(&res, "\"a\"\"b\"", 6, ',', 4, 16);
	CU_ASSERT_EQUAL(res.rc, 0);
	CU_ASSERT_STRING_EQUAL(res.out, "1:<a\"b>");
	CHECK_ERROR_LEN("a\nb\n \"0123456789\"", 17, ',', 8, 16, "1:<a> 2:<b>", 3, 1,
					"field on line 3 is too long");
	/* an escaped quote needs room too */
	CHECK_ERROR_LEN("\"a\"\"\"", 6, ',', 2, 16, "", 1, 1,
					"field on line 1 is too long");
	/* capacity 1 holds just one empty field */
	csv_read_all(&res, "\"\"\n\n", 4, ',', 1, 16);
	CU_ASSERT_EQUAL(res.rc, 0);
	CU_ASSERT_STRING_EQUAL(res.out, "1:<>");
	CHECK_ERROR_LEN(",", 1, ',', 1, 16, "", 1, 2,
					"field on line 1 is too long");
	/* a buffer too small for an earlier, shorter record is fine afterwards */
	CHECK_ERROR_LEN("ab\nabcdefghij\n", 14, ',', 8, 16, "1:<ab>", 2, 1,
					"field on line 2 is too long");
}

static void
test_csv_error_is_sticky(void)
{
	kbs_csv_reader r;
	kbs_csv_error err;
	const char *in = "a\n\"b\"x\nc\n";
	char		buf[16];
	size_t		off[4],
				len[4];
	int			line = 0;

	kbs_csv_init(&r, in, strlen(in), ',');
	CU_ASSERT_EQUAL(kbs_csv_next(&r, buf, sizeof buf, off, len, 4, &line, &err), 1);
	CU_ASSERT_EQUAL(kbs_csv_next(&r, buf, sizeof buf, off, len, 4, &line, &err), -1);
	CU_ASSERT_EQUAL(line, 2);
	memset(&err, 0, sizeof err);
	CU_ASSERT_EQUAL(kbs_csv_next(&r, buf, sizeof buf, off, len, 4, &line, &err), -1);
	CU_ASSERT_STRING_EQUAL(err.msg, "unexpected character \"x\" after closing quote on line 2");
	CU_ASSERT_EQUAL(err.line, 2);
	CU_ASSERT_EQUAL(err.column, 4);
	/* err may be NULL */
	CU_ASSERT_EQUAL(kbs_csv_next(&r, buf, sizeof buf, off, len, 4, &line, NULL), -1);
	kbs_csv_init(&r, in, strlen(in), ',');
	CU_ASSERT_EQUAL(kbs_csv_next(&r, buf, sizeof buf, off, len, 4, NULL, NULL), 1);
	CU_ASSERT_EQUAL(kbs_csv_next(&r, buf, sizeof buf, off, len, 4, NULL, NULL), -1);
	CU_ASSERT_EQUAL(kbs_csv_next(&r, buf, sizeof buf, off, len, 4, &line, &err), -1);
	CU_ASSERT_STRING_EQUAL(err.msg, "unexpected character \"x\" after closing quote on line 2");
}

static void
test_csv_invalid_arguments(void)
{
	kbs_csv_reader r;
	kbs_csv_error err;
	char		buf[16];
	size_t		off[4],
				len[4];

	kbs_csv_init(&r, "a,b", 3, ',');
	CU_ASSERT_EQUAL(kbs_csv_next(&r, buf, 0, off, len, 4, NULL, &err), -1);
	CU_ASSERT_STRING_EQUAL(err.msg, "invalid argument to kbs_csv_next");
	CU_ASSERT_EQUAL(kbs_csv_next(&r, NULL, sizeof buf, off, len, 4, NULL, &err), -1);
	CU_ASSERT_EQUAL(kbs_csv_next(&r, buf, sizeof buf, NULL, len, 4, NULL, &err), -1);
	CU_ASSERT_EQUAL(kbs_csv_next(&r, buf, sizeof buf, off, NULL, 4, NULL, &err), -1);
	CU_ASSERT_EQUAL(kbs_csv_next(&r, buf, sizeof buf, off, len, 0, NULL, &err), -1);
	CU_ASSERT_EQUAL(kbs_csv_next(NULL, buf, sizeof buf, off, len, 4, NULL, &err), -1);
	CU_ASSERT_EQUAL(kbs_csv_next(&r, buf, 0, off, len, 4, NULL, NULL), -1);
	/* the reader is left as it was */
	CU_ASSERT_EQUAL(r.pos, 0);
	CU_ASSERT_EQUAL(kbs_csv_next(&r, buf, sizeof buf, off, len, 4, NULL, &err), 2);
	CU_ASSERT_STRING_EQUAL(buf + off[1], "b");
}

static void
test_csv_error_kinds(void)
{
	csv_result	res;
	kbs_csv_reader r;
	kbs_csv_error err;
	char		buf[16];
	size_t		off[4],
				len[4];

	csv_read_all(&res, "a,\"b\"x", 6, ',', 256, 16);
	CU_ASSERT_EQUAL(res.rc, -1);
	CU_ASSERT_EQUAL(res.err.kind, KBS_CSV_ERR_INPUT);
	csv_read_all(&res, "\"abc", 4, ',', 256, 16);
	CU_ASSERT_EQUAL(res.err.kind, KBS_CSV_ERR_INPUT);
	csv_read_all(&res, "a,b,c", 5, ',', 256, 2);
	CU_ASSERT_EQUAL(res.rc, -1);
	CU_ASSERT_EQUAL(res.err.kind, KBS_CSV_ERR_FIELDS);
	csv_read_all(&res, "abcdefgh", 8, ',', 4, 16);
	CU_ASSERT_EQUAL(res.rc, -1);
	CU_ASSERT_EQUAL(res.err.kind, KBS_CSV_ERR_LENGTH);
	kbs_csv_init(&r, "a", 1, ',');
	CU_ASSERT_EQUAL(kbs_csv_next(&r, buf, sizeof buf, off, len, 0, NULL, &err), -1);
	CU_ASSERT_EQUAL(err.kind, KBS_CSV_ERR_ARGUMENT);
	/* a sticky error keeps its kind */
	kbs_csv_init(&r, "a,b,c", 5, ',');
	CU_ASSERT_EQUAL(kbs_csv_next(&r, buf, sizeof buf, off, len, 2, NULL, &err), -1);
	memset(&err, 0, sizeof err);
	CU_ASSERT_EQUAL(kbs_csv_next(&r, buf, sizeof buf, off, len, 4, NULL, &err), -1);
	CU_ASSERT_EQUAL(err.kind, KBS_CSV_ERR_FIELDS);
}

/*
 * Reads data as kbs_sql_csv_records does: start with room for `first`
 * fields and `firstcap` bytes; on a capacity error restore the reader copied
 * before the call, double the room and read the record again. Renders the
 * records like csv_read_all; *rc gets the last result (0 or -1).
 */
static int
csv_read_growing(const char *data, size_t len, int first, size_t firstcap, char *out, size_t outsize,
				 int *rc)
{
	kbs_csv_reader r;
	kbs_csv_error err;
	char		buf[1024];
	size_t		off[256],
				flen[256];
	int			maxf = first;
	size_t		cap = firstcap;
	int			retries = 0;
	int			n,
				line;

	out[0] = '\0';
	kbs_csv_init(&r, data, len, 0);
	for (;;)
	{
		kbs_csv_reader before = r;

		n = kbs_csv_next(&r, buf, cap, off, flen, maxf, &line, &err);
		if (n < 0 && err.kind == KBS_CSV_ERR_FIELDS && maxf < 256)
		{
			maxf = maxf * 2 > 256 ? 256 : maxf * 2;
			r = before;
			retries++;
			continue;
		}
		if (n < 0 && err.kind == KBS_CSV_ERR_LENGTH && cap < sizeof buf)
		{
			cap = cap * 2 > sizeof buf ? sizeof buf : cap * 2;
			r = before;
			retries++;
			continue;
		}
		if (n <= 0)
			break;
		snprintf(out + strlen(out), outsize - strlen(out), "%s%d:", out[0] ? " " : "", line);
		for (int i = 0; i < n; i++)
			snprintf(out + strlen(out), outsize - strlen(out), "<%s>", buf + off[i]);
	}
	*rc = n;
	return retries;
}

static void
test_csv_read_again_with_more_room(void)
{
	char		grown[CSV_OUT_SIZE];
	char		wide[200];
	csv_result	res;
	int			retries;
	int			rc;

	/* a wider record, then narrower ones: the same records as with room from the start */
	retries = csv_read_growing("a\nb,c,d,e,f\n\"g\nh\",i\n", 20, 1, 256, grown, sizeof grown, &rc);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_STRING_EQUAL(grown, "1:<a> 2:<b><c><d><e><f> 3:<g\nh><i>");
	CU_ASSERT_EQUAL(retries, 3);		/* 1 -> 2 -> 4 -> 8 fields */
	/* a longer record: the buffer grows the same way */
	retries = csv_read_growing("x;y\n\"0123456789\";abcdefghij\n", 28, 16, 4, grown, sizeof grown, &rc);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_STRING_EQUAL(grown, "1:<x><y> 2:<0123456789><abcdefghij>");
	CU_ASSERT_EQUAL(retries, 3);		/* 4 -> 8 -> 16 -> 32 bytes */
	/* 200 fields read with arrays that start at 1 */
	for (int i = 0; i < 199; i++)
		wide[i] = ',';
	retries = csv_read_growing(wide, 199, 1, 256, grown, sizeof grown, &rc);
	csv_read_all(&res, wide, 199, ',', 256, CSV_MAXF_ALL);
	CU_ASSERT_EQUAL(res.rc, -1);		/* more than 64 */
	CU_ASSERT_EQUAL(res.err.kind, KBS_CSV_ERR_FIELDS);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_EQUAL(retries, 8);		/* 1 -> 256 */
	CU_ASSERT_EQUAL(strncmp(grown, "1:<><><>", 8), 0);
	CU_ASSERT_EQUAL(strlen(grown), 2 + 2 * 200);
	/* an input error is not a matter of room: it stays */
	retries = csv_read_growing("a\nb,\"c\"d\n", 9, 1, 256, grown, sizeof grown, &rc);
	CU_ASSERT_EQUAL(rc, -1);
	CU_ASSERT_STRING_EQUAL(grown, "1:<a>");
}

int
kbs_register_csv_suite(void)
{
	static const test_case csv[] = {
		{"comma", test_csv_comma},
		{"semicolon", test_csv_semicolon},
		{"delimiter detection", test_csv_detect},
		{"tab delimiter", test_csv_tab_delimiter},
		{"byte order mark", test_csv_bom},
		{"LF, CRLF and CR line endings", test_csv_line_endings},
		{"last line without newline", test_csv_last_line_without_newline},
		{"blank lines skipped", test_csv_blank_lines},
		{"empty fields", test_csv_empty_fields},
		{"quoted fields", test_csv_quoted},
		{"unquoted fields as is", test_csv_unquoted_as_is},
		{"UTF-8 passes through", test_csv_utf8},
		{"record start lines", test_csv_line_out},
		{"never reads past len", test_csv_respects_len},
		{"error: unterminated quote", test_csv_err_unterminated},
		{"error: after closing quote", test_csv_err_after_closing_quote},
		{"error: quote in unquoted field", test_csv_err_quote_in_unquoted},
		{"error: NUL byte", test_csv_err_nul},
		{"maxfields limit", test_csv_maxfields},
		{"bufcap limit", test_csv_bufcap},
		{"errors are sticky", test_csv_error_is_sticky},
		{"invalid arguments", test_csv_invalid_arguments},
		{"error kinds", test_csv_error_kinds},
		{"read again with more room", test_csv_read_again_with_more_room},
		{NULL, NULL}
	};

	return test_add_suite("csv", csv) ? -1 : 0;
}
