/*
 * The dashboard generator's pure parts: escaping of database text for the
 * places it lands in a page, the one-pass template fill, argument parsers.
 */
#include <CUnit/CUnit.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "render.h"

static char *
escaped(bool (*fn)(kbs_buf *, const char *, size_t), const char *s, size_t n)
{
	kbs_buf		b;

	kbs_buf_init(&b);
	CU_ASSERT_TRUE_FATAL(fn(&b, s, n));
	if (b.data == NULL)
	{
		char	   *empty = malloc(1);

		CU_ASSERT_PTR_NOT_NULL_FATAL(empty);
		empty[0] = '\0';
		return empty;
	}
	return b.data;
}

static void
test_html(void)
{
	const char *in = "</script><script>alert(1)</script> & \"x\" 'y'";
	char	   *r = escaped(kbs_escape_html, in, strlen(in));

	CU_ASSERT_STRING_EQUAL(r, "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot; &#39;y&#39;");
	free(r);
	r = escaped(kbs_escape_html, "", 0);
	CU_ASSERT_STRING_EQUAL(r, "");
	free(r);
	r = escaped(kbs_escape_html, "Cliënt — ok", strlen("Cliënt — ok"));
	CU_ASSERT_STRING_EQUAL(r, "Cliënt — ok");
	free(r);
}

static void
test_script_json(void)
{
	const char *in = "{\"name\": \"</script><!-- & \xe2\x80\xa8 \xe2\x80\xa9 \xe2\x80\xa7\"}";
	char	   *r = escaped(kbs_escape_script_json, in, strlen(in));

	CU_ASSERT_STRING_EQUAL(r, "{\"name\": \"\\u003c/script\\u003e\\u003c!-- \\u0026 \\u2028 \\u2029 \xe2\x80\xa7\"}");
	free(r);
	/* A truncated separator at the end is copied, not read past. */
	r = escaped(kbs_escape_script_json, "\xe2\x80", 2);
	CU_ASSERT_STRING_EQUAL(r, "\xe2\x80");
	free(r);
}

/* Random bytes: no < > & survives, and undoing the escapes gives the input back. */
static void
test_script_json_random(void)
{
	unsigned	seed = 12345;

	for (int round = 0; round < 2000; round++)
	{
		char		in[64];
		size_t		n = (size_t) (round % 64);
		kbs_buf		b;
		kbs_buf		back;
		const char *alphabet = "<>&a\"\\/\xe2\x80\xa8\xa9 ";

		for (size_t i = 0; i < n; i++)
		{
			seed = seed * 1103515245u + 12345u;
			in[i] = alphabet[(seed >> 16) % strlen(alphabet)];
		}
		kbs_buf_init(&b);
		CU_ASSERT_TRUE_FATAL(kbs_escape_script_json(&b, in, n));
		CU_ASSERT_PTR_NULL(b.data ? memchr(b.data, '<', b.len) : NULL);
		CU_ASSERT_PTR_NULL(b.data ? memchr(b.data, '>', b.len) : NULL);
		CU_ASSERT_PTR_NULL(b.data ? memchr(b.data, '&', b.len) : NULL);
		kbs_buf_init(&back);
		for (size_t i = 0; i < b.len;)
		{
			static const struct
			{
				const char *esc;
				const char *raw;
			}			map[] = {{"\\u003c", "<"}, {"\\u003e", ">"}, {"\\u0026", "&"},
			{"\\u2028", "\xe2\x80\xa8"}, {"\\u2029", "\xe2\x80\xa9"}};
			size_t		k;

			for (k = 0; k < 5; k++)
				if (b.len - i >= 6 && memcmp(b.data + i, map[k].esc, 6) == 0)
					break;
			if (k < 5)
			{
				kbs_buf_append(&back, map[k].raw, strlen(map[k].raw));
				i += 6;
			}
			else
			{
				kbs_buf_append(&back, b.data + i, 1);
				i++;
			}
		}
		CU_ASSERT_EQUAL(back.len, n);
		CU_ASSERT(n == 0 || memcmp(back.data, in, n) == 0);
		kbs_buf_free(&b);
		kbs_buf_free(&back);
	}
}

static void
test_script_js(void)
{
	const char *in = "a='</script>';b='</SCRIPT';c='<!--';d='<scr';e='</style>'";
	char	   *r = escaped(kbs_escape_script_js, in, strlen(in));

	CU_ASSERT_STRING_EQUAL(r, "a='<\\/script>';b='<\\/SCRIPT';c='<\\!--';d='<scr';e='</style>'");
	free(r);
	CU_ASSERT_TRUE(kbs_css_is_safe("a{b:c}", 6));
	CU_ASSERT_FALSE(kbs_css_is_safe("a{}</STYLE>", 11));
}

static void
test_template_one_pass(void)
{
	const char *tmpl = "<title>@@TITLE@@</title><script>@@DATA@@</script>@@TITLE@@";
	kbs_slot	slots[] = {
		{"TITLE", "@@DATA@@ <b>", 12, KBS_ESC_HTML},
		{"DATA", "{\"a\": \"@@TITLE@@</script>\"}", 27, KBS_ESC_JSON},
	};
	kbs_buf		b;
	char		err[128];

	kbs_buf_init(&b);
	CU_ASSERT_EQUAL(kbs_template_fill(&b, tmpl, strlen(tmpl), slots, 2, err, sizeof(err)), 0);
	CU_ASSERT_STRING_EQUAL(b.data, "<title>@@DATA@@ &lt;b&gt;</title><script>{\"a\": \"@@TITLE@@\\u003c/script\\u003e\"}</script>"
						   "@@DATA@@ &lt;b&gt;");
	kbs_buf_free(&b);
}

static void
test_template_errors(void)
{
	kbs_slot	slots[] = {{"A", "x", 1, KBS_ESC_NONE}};
	kbs_buf		b;
	char		err[128];

	kbs_buf_init(&b);
	CU_ASSERT_EQUAL(kbs_template_fill(&b, "x @@B@@ y", 9, slots, 1, err, sizeof(err)), -1);
	CU_ASSERT_STRING_EQUAL(err, "unknown placeholder \"@@B@@\" in the template");
	kbs_buf_free(&b);
	CU_ASSERT_EQUAL(kbs_template_fill(&b, "x @@A y", 7, slots, 1, err, sizeof(err)), -1);
	CU_ASSERT_STRING_EQUAL(err, "unterminated or empty placeholder at byte 2 of the template");
	kbs_buf_free(&b);
	CU_ASSERT_EQUAL(kbs_template_fill(&b, "@@@@", 4, slots, 1, err, sizeof(err)), -1);
	kbs_buf_free(&b);
	/* A lone @ and e-mail addresses are text. */
	CU_ASSERT_EQUAL(kbs_template_fill(&b, "a@b.nl @A@", 10, slots, 1, err, sizeof(err)), 0);
	CU_ASSERT_STRING_EQUAL(b.data, "a@b.nl @A@");
	kbs_buf_free(&b);
	CU_ASSERT_EQUAL(kbs_template_fill(&b, "@@A@@", 5, slots, 1, err, sizeof(err)), 0);
	CU_ASSERT_STRING_EQUAL(b.data, "x");
	kbs_buf_free(&b);
}

static void
test_dates(void)
{
	int			y,
				m,
				d;

	CU_ASSERT_TRUE(kbs_parse_date("2026-06-30", &y, &m, &d));
	CU_ASSERT(y == 2026 && m == 6 && d == 30);
	CU_ASSERT_TRUE(kbs_parse_date("2024-02-29", &y, &m, &d));
	CU_ASSERT_TRUE(kbs_parse_date("2000-02-29", &y, &m, &d));
	CU_ASSERT_FALSE(kbs_parse_date("1900-02-29", &y, &m, &d));
	CU_ASSERT_FALSE(kbs_parse_date("2025-02-29", &y, &m, &d));
	CU_ASSERT_FALSE(kbs_parse_date("2026-06-31", &y, &m, &d));
	CU_ASSERT_FALSE(kbs_parse_date("2026-13-01", &y, &m, &d));
	CU_ASSERT_FALSE(kbs_parse_date("2026-00-10", &y, &m, &d));
	CU_ASSERT_FALSE(kbs_parse_date("2026-6-30", &y, &m, &d));
	CU_ASSERT_FALSE(kbs_parse_date("2026-06-30 ", &y, &m, &d));
	CU_ASSERT_FALSE(kbs_parse_date("30-06-2026", &y, &m, &d));
	CU_ASSERT_FALSE(kbs_parse_date("", &y, &m, &d));
	CU_ASSERT_FALSE(kbs_parse_date(NULL, &y, &m, &d));
	CU_ASSERT_FALSE(kbs_parse_date("1899-12-31", &y, &m, &d));
}

static void
test_ids_and_codes(void)
{
	int			id = 0;

	CU_ASSERT_TRUE(kbs_parse_team_id("1", &id));
	CU_ASSERT_EQUAL(id, 1);
	CU_ASSERT_TRUE(kbs_parse_team_id("2147483647", &id));
	CU_ASSERT_EQUAL(id, 2147483647);
	CU_ASSERT_FALSE(kbs_parse_team_id("2147483648", &id));
	CU_ASSERT_FALSE(kbs_parse_team_id("0", &id));
	CU_ASSERT_FALSE(kbs_parse_team_id("012", &id));
	CU_ASSERT_FALSE(kbs_parse_team_id("-1", &id));
	CU_ASSERT_FALSE(kbs_parse_team_id("+1", &id));
	CU_ASSERT_FALSE(kbs_parse_team_id(" 1", &id));
	CU_ASSERT_FALSE(kbs_parse_team_id("1x", &id));
	CU_ASSERT_FALSE(kbs_parse_team_id("", &id));
	CU_ASSERT_FALSE(kbs_parse_team_id("99999999999", &id));
	CU_ASSERT_TRUE(kbs_valid_municipality_code("GM0363"));
	CU_ASSERT_FALSE(kbs_valid_municipality_code("gm0363"));
	CU_ASSERT_FALSE(kbs_valid_municipality_code("GM363"));
	CU_ASSERT_FALSE(kbs_valid_municipality_code("GM03630"));
	CU_ASSERT_FALSE(kbs_valid_municipality_code("GM03a3"));
	CU_ASSERT_FALSE(kbs_valid_municipality_code(NULL));
}

int
kbs_register_render_tests(void)
{
	static const test_case dashboard_rendering[] = {
		{"HTML text escaping", test_html},
		{"JSON inside a script element", test_script_json},
		{"JSON escaping of random text round-trips", test_script_json_random},
		{"JavaScript inside a script element; CSS check", test_script_js},
		{"template fill is one pass", test_template_one_pass},
		{"template errors", test_template_errors},
		{"dates", test_dates},
		{"team numbers and municipality codes", test_ids_and_codes},
		{NULL, NULL}
	};

	return test_add_suite("dashboard rendering", dashboard_rendering) ? -1 : 0;
}
