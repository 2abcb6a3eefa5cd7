/*
 * The forms' parts without libpq: cell references, CSV, the values an .xlsx
 * stores, the layouts of the sheets, reading sheets back (XML and zip), and
 * writing a workbook with libxlsxwriter that the reader gives back unchanged.
 */
#include <CUnit/CUnit.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zip.h>

#include "helpers.h"
#include "forms.h"
#include "xlsx_read.h"
#include "xlsx_write.h"

int			kbs_register_forms_tests(void);

/* ---- helpers ---- */

static char *
grid_csv(kbs_grid *g)
{
	kbs_buf		b;
	char		err[256];
	char	   *s;

	kbs_buf_init(&b);
	CU_ASSERT_TRUE_FATAL(kbs_grid_sort(g, NULL));
	CU_ASSERT_EQUAL_FATAL(kbs_grid_to_csv(g, &b, 1 << 24, err, sizeof(err)), 0);
	s = strdup(b.data ? b.data : "");
	kbs_buf_free(&b);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	return s;
}

static char *
field(const char *s)
{
	kbs_buf		b;
	char	   *r;

	kbs_buf_init(&b);
	CU_ASSERT_TRUE_FATAL(kbs_csv_field(&b, s, strlen(s)));
	r = strdup(b.data ? b.data : "");
	kbs_buf_free(&b);
	return r;
}

/* Parses a sheet part (no styles unless given) and returns its CSV; NULL and err on failure. */
static char *
sheet_csv(const char *xml, const kbs_strings *sst, const kbs_styles *st, bool d1904, char *err, size_t errlen)
{
	kbs_grid	g;
	char	   *s;

	kbs_grid_init(&g);
	if (kbs_xlsx_parse_sheet(xml, strlen(xml), sst, st, d1904, &g, err, errlen) != 0)
	{
		kbs_grid_free(&g);
		return NULL;
	}
	s = grid_csv(&g);
	kbs_grid_free(&g);
	return s;
}

#define SHEET(body) \
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">" \
	"<sheetData>" body "</sheetData></worksheet>"

/* ---- cell references ---- */

static void
test_col_letters(void)
{
	uint32_t	c;
	char		out[4];

	CU_ASSERT_TRUE(kbs_col_from_letters("A", 1, &c) && c == 0);
	CU_ASSERT_TRUE(kbs_col_from_letters("Z", 1, &c) && c == 25);
	CU_ASSERT_TRUE(kbs_col_from_letters("AA", 2, &c) && c == 26);
	CU_ASSERT_TRUE(kbs_col_from_letters("AZ", 2, &c) && c == 51);
	CU_ASSERT_TRUE(kbs_col_from_letters("BA", 2, &c) && c == 52);
	CU_ASSERT_TRUE(kbs_col_from_letters("ZZ", 2, &c) && c == 701);
	CU_ASSERT_TRUE(kbs_col_from_letters("AAA", 3, &c) && c == 702);
	CU_ASSERT_TRUE(kbs_col_from_letters("XFD", 3, &c) && c == 16383);
	CU_ASSERT_FALSE(kbs_col_from_letters("XFE", 3, &c));
	CU_ASSERT_FALSE(kbs_col_from_letters("", 0, &c));
	CU_ASSERT_FALSE(kbs_col_from_letters("a", 1, &c));
	CU_ASSERT_FALSE(kbs_col_from_letters("AAAA", 4, &c));
	CU_ASSERT_FALSE(kbs_col_from_letters("A1", 2, &c));
	/* every column round-trips */
	for (uint32_t i = 0; i < KBS_SHEET_MAX_COLS; i++)
	{
		uint32_t	back = 99999;

		CU_ASSERT_TRUE_FATAL(kbs_col_to_letters(i, out));
		CU_ASSERT_TRUE_FATAL(kbs_col_from_letters(out, strlen(out), &back));
		CU_ASSERT_EQUAL_FATAL(back, i);
	}
	CU_ASSERT_TRUE(kbs_col_to_letters(27, out) && strcmp(out, "AB") == 0);
	CU_ASSERT_FALSE(kbs_col_to_letters(KBS_SHEET_MAX_COLS, out));
}

static void
test_cell_refs(void)
{
	uint32_t	r,
				c;

	CU_ASSERT_TRUE(kbs_cell_ref_parse("A1", &r, &c) && r == 0 && c == 0);
	CU_ASSERT_TRUE(kbs_cell_ref_parse("B12", &r, &c) && r == 11 && c == 1);
	CU_ASSERT_TRUE(kbs_cell_ref_parse("XFD1048576", &r, &c) && r == 1048575 && c == 16383);
	CU_ASSERT_FALSE(kbs_cell_ref_parse("A0", &r, &c));
	CU_ASSERT_FALSE(kbs_cell_ref_parse("A01", &r, &c));
	CU_ASSERT_FALSE(kbs_cell_ref_parse("A1048577", &r, &c));
	CU_ASSERT_FALSE(kbs_cell_ref_parse("A99999999", &r, &c));
	CU_ASSERT_FALSE(kbs_cell_ref_parse("1A", &r, &c));
	CU_ASSERT_FALSE(kbs_cell_ref_parse("A", &r, &c));
	CU_ASSERT_FALSE(kbs_cell_ref_parse("$A$1", &r, &c));
	CU_ASSERT_FALSE(kbs_cell_ref_parse("a1", &r, &c));
	CU_ASSERT_FALSE(kbs_cell_ref_parse("A1 ", &r, &c));
	CU_ASSERT_FALSE(kbs_cell_ref_parse("", &r, &c));
	CU_ASSERT_FALSE(kbs_cell_ref_parse(NULL, &r, &c));
}

/* ---- CSV ---- */

static void
test_csv_fields(void)
{
	struct
	{
		const char *in;
		const char *out;
	}			cases[] = {
		{"abc", "abc"}, {"", ""}, {"3", "3"}, {"a,b", "\"a,b\""}, {"a;b", "\"a;b\""},
		{"a\"b", "\"a\"\"b\""}, {"\"", "\"\"\"\""}, {"a\nb", "\"a\nb\""}, {"a\r\nb", "\"a\r\nb\""},
		{" a", "\" a\""}, {"a\t", "\"a\t\""}, {"a b", "a b"}, {"Cliënt — ok", "Cliënt — ok"},
		{"\357\273\277x", "\"\357\273\277x\""},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
	{
		char	   *r = field(cases[i].in);

		CU_ASSERT_STRING_EQUAL(r, cases[i].out);
		free(r);
	}
}

static void
test_grid_csv(void)
{
	kbs_grid	g;
	char	   *s;
	kbs_buf		b;
	char		err[256];
	size_t		dup;

	kbs_grid_init(&g);
	/* added out of order, with a gap, an empty row and a cell holding "" */
	CU_ASSERT_TRUE(kbs_grid_adds(&g, 3, 0, 0, "x"));
	CU_ASSERT_TRUE(kbs_grid_adds(&g, 0, 2, 0, "c"));
	CU_ASSERT_TRUE(kbs_grid_adds(&g, 0, 0, 0, "a"));
	CU_ASSERT_TRUE(kbs_grid_adds(&g, 1, 5, 0, ""));
	CU_ASSERT_TRUE(kbs_grid_adds(&g, 3, 3, 0, "y,z"));
	s = grid_csv(&g);
	CU_ASSERT_STRING_EQUAL(s, "a,,c,\nx,,,\"y,z\"\n");
	free(s);
	CU_ASSERT_PTR_NOT_NULL(kbs_grid_find(&g, 3, 3));
	CU_ASSERT_PTR_NULL(kbs_grid_find(&g, 2, 0));
	/* too large for the limit */
	kbs_buf_init(&b);
	CU_ASSERT_EQUAL(kbs_grid_to_csv(&g, &b, 5, err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "te groot"));
	kbs_buf_free(&b);
	/* two cells at one place */
	CU_ASSERT_TRUE(kbs_grid_adds(&g, 0, 2, 0, "again"));
	CU_ASSERT_FALSE(kbs_grid_sort(&g, &dup));
	kbs_grid_free(&g);
	/* nothing at all */
	kbs_grid_init(&g);
	s = grid_csv(&g);
	CU_ASSERT_STRING_EQUAL(s, "");
	free(s);
	/* a cell at the far corner of many rows is refused before the text is made */
	for (uint32_t r = 0; r < 2000; r++)
		CU_ASSERT_TRUE(kbs_grid_adds(&g, r, r == 0 ? KBS_SHEET_MAX_COLS - 1 : 0, 0, "v"));
	kbs_buf_init(&b);
	CU_ASSERT_TRUE(kbs_grid_sort(&g, NULL));
	CU_ASSERT_EQUAL(kbs_grid_to_csv(&g, &b, 1000000, err, sizeof(err)), -1);
	CU_ASSERT_EQUAL(b.len, 0);
	kbs_buf_free(&b);
	kbs_grid_free(&g);
}

/* Random grids: CSV and back through the extension's CSV reader gives the same cells. */
static void
test_grid_csv_roundtrip(void)
{
	static const char *const values[] = {"0", "na", "a,b", "\"q\"", " lead", "x\ny", "é — ü", "3", "a;b", "tail\t",
	"\357\273\277bom", " ", "x\ry"};
	unsigned	seed = 4242;

	for (int round = 0; round < 300; round++)
	{
		kbs_grid	g,
					back;
		kbs_buf		b;
		char		err[256];
		int			nrows = 1 + round % 9;
		int			ncols = 1 + round % 7;
		uint32_t	outrow = 0;

		kbs_grid_init(&g);
		kbs_grid_init(&back);
		kbs_buf_init(&b);
		for (int r = 0; r < nrows; r++)
			for (int c = 0; c < ncols; c++)
			{
				seed = seed * 1103515245u + 12345u;
				if ((seed >> 16) % 3 == 0)
					CU_ASSERT_TRUE(kbs_grid_adds(&g, (uint32_t) r, (uint32_t) c, 0,
												 values[(seed >> 8) % (sizeof(values) / sizeof(values[0]))]));
			}
		CU_ASSERT_TRUE_FATAL(kbs_grid_sort(&g, NULL));
		CU_ASSERT_EQUAL_FATAL(kbs_grid_to_csv(&g, &b, 1 << 20, err, sizeof(err)), 0);
		CU_ASSERT_EQUAL_FATAL(kbs_grid_from_csv(b.data ? b.data : "", b.len, &back, err, sizeof(err)), 0);
		CU_ASSERT_TRUE_FATAL(kbs_grid_sort(&back, NULL));
		/* the same cells, with the empty rows closed up */
		CU_ASSERT_EQUAL(back.n, g.n);
		for (size_t i = 0; i < g.n && i < back.n; i++)
		{
			if (i > 0 && g.cells[i].row != g.cells[i - 1].row)
				outrow++;
			CU_ASSERT_EQUAL(back.cells[i].row, outrow);
			CU_ASSERT_EQUAL(back.cells[i].col, g.cells[i].col);
			CU_ASSERT_STRING_EQUAL(back.cells[i].value, g.cells[i].value);
		}
		kbs_grid_free(&g);
		kbs_grid_free(&back);
		kbs_buf_free(&b);
	}
}

static void
test_grid_from_csv(void)
{
	kbs_grid	g;
	char		err[256];
	const char *semi = "\357\273\277a;b;c\r\n1;\"x;y\";\r\n";

	kbs_grid_init(&g);
	CU_ASSERT_EQUAL(kbs_grid_from_csv(semi, strlen(semi), &g, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(g.n, 5);
	CU_ASSERT_TRUE(kbs_grid_sort(&g, NULL));
	CU_ASSERT_STRING_EQUAL(kbs_grid_find(&g, 1, 1)->value, "x;y");
	CU_ASSERT_PTR_NULL(kbs_grid_find(&g, 1, 2));
	kbs_grid_free(&g);
	/* a first value that starts with a byte order mark survives the reader's BOM skip */
	kbs_grid_init(&g);
	CU_ASSERT_TRUE(kbs_grid_adds(&g, 0, 0, 0, "\357\273\277bom"));
	{
		char	   *csv = grid_csv(&g);
		kbs_grid	back;

		kbs_grid_init(&back);
		CU_ASSERT_EQUAL(kbs_grid_from_csv(csv, strlen(csv), &back, err, sizeof(err)), 0);
		CU_ASSERT_EQUAL_FATAL(back.n, 1);
		CU_ASSERT_STRING_EQUAL(back.cells[0].value, "\357\273\277bom");
		kbs_grid_free(&back);
		free(csv);
	}
	kbs_grid_free(&g);
	kbs_grid_init(&g);
	CU_ASSERT_EQUAL(kbs_grid_from_csv("a,\"b\nc", 7, &g, err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "ongeldig CSV-bestand"));
	kbs_grid_free(&g);
}

/* ---- stored values ---- */

static void
test_numbers(void)
{
	struct
	{
		const char *in;
		const char *out;		/* NULL: not a number */
	}			cases[] = {
		{"3", "3"}, {"3.0", "3"}, {"3E0", "3"}, {"3e+0", "3"}, {"30E-1", "3"}, {"-0", "0"}, {"-0.0", "0"},
		{"+4", "4"}, {"1.", "1"}, {"2.5", "2.5"}, {".5", ".5"}, {"-1", "-1"}, {"46203", "46203"},
		{"1e20", "1e20"}, {"0.30000000000000004", "0.30000000000000004"},
		{"", NULL}, {"abc", NULL}, {"1e", NULL}, {"--1", NULL}, {"NaN", NULL}, {"INF", NULL},
		{".", NULL}, {"3 ", NULL}, {" 3", NULL}, {"1e400", NULL}, {"0x10", NULL},
	};
	char		out[64];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
	{
		bool		ok = kbs_number_text(cases[i].in, out, sizeof(out));

		CU_ASSERT_EQUAL(ok, cases[i].out != NULL);
		if (ok && cases[i].out != NULL)
			CU_ASSERT_STRING_EQUAL(out, cases[i].out);
	}
}

static void
test_dates(void)
{
	struct
	{
		double		serial;
		bool		d1904;
		const char *out;
	}			cases[] = {
		{1, false, "1900-01-01"}, {59, false, "1900-02-28"}, {60, false, "1900-02-29"},
		{61, false, "1900-03-01"}, {46203, false, "2026-06-30"}, {46203.5, false, "2026-06-30 12:00:00"},
		{45351, false, "2024-02-29"}, {0.25, false, "06:00:00"}, {2958465, false, "9999-12-31"},
		{46203.999999999, false, "2026-07-01"}, {0, true, "1904-01-01"}, {44741, true, "2026-06-30"},
	};
	char		out[64];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
	{
		CU_ASSERT_TRUE(kbs_serial_to_date(cases[i].serial, cases[i].d1904, out, sizeof(out)));
		CU_ASSERT_STRING_EQUAL(out, cases[i].out);
	}
	CU_ASSERT_FALSE(kbs_serial_to_date(-1, false, out, sizeof(out)));
	CU_ASSERT_FALSE(kbs_serial_to_date(2958466, false, out, sizeof(out)));
	CU_ASSERT_FALSE(kbs_serial_to_date(1e300, false, out, sizeof(out)));
	CU_ASSERT_FALSE(kbs_serial_to_date(2957004, true, out, sizeof(out)));
}

static void
test_number_formats(void)
{
	const char *dates[] = {"yyyy-mm-dd", "DD-MM-YYYY", "[h]:mm", "[$-413]d mmmm yyyy", "hh:mm:ss AM/PM",
	"dd/mm/yy;@", "[Red][<0]d-m;General"};
	const char *others[] = {"0.00", "0.00E+00", "[Red]0", "\"day\" 0", "General", "@", "#,##0\\ \"m\"", "_m0",
	"*d0", "[$€-413] #,##0.00", "", "\"unterminated", "[unterminated"};

	for (size_t i = 0; i < sizeof(dates) / sizeof(dates[0]); i++)
		CU_ASSERT_TRUE(kbs_numfmt_code_is_date(dates[i]));
	for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++)
		CU_ASSERT_FALSE(kbs_numfmt_code_is_date(others[i]));
	CU_ASSERT_FALSE(kbs_numfmt_code_is_date(NULL));
	CU_ASSERT_TRUE(kbs_numfmt_id_is_date(14));
	CU_ASSERT_TRUE(kbs_numfmt_id_is_date(22));
	CU_ASSERT_TRUE(kbs_numfmt_id_is_date(47));
	CU_ASSERT_FALSE(kbs_numfmt_id_is_date(0));
	CU_ASSERT_FALSE(kbs_numfmt_id_is_date(2));
	CU_ASSERT_FALSE(kbs_numfmt_id_is_date(49));
}

static void
test_unescape(void)
{
	struct
	{
		const char *in;
		const char *out;
	}			cases[] = {
		{"a_x000D_b", "a\rb"}, {"_x005F_x000D_", "_x000D_"}, {"_xD83D__xDE00_", "\xf0\x9f\x98\x80"},
		{"_xD800_", "_xD800_"}, {"_xDC00_", "_xDC00_"}, {"_x0000_", "_x0000_"}, {"_x12G4_", "_x12G4_"},
		{"_x00", "_x00"}, {"_x00e9_", "\xc3\xa9"}, {"_x20AC__x0041_", "\342\202\254A"}, {"", ""}, {"plain", "plain"},
		{"_xD83D_x", "_xD83D_x"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
	{
		kbs_buf		b;

		kbs_buf_init(&b);
		CU_ASSERT_TRUE_FATAL(kbs_ooxml_unescape(&b, cases[i].in, strlen(cases[i].in)));
		CU_ASSERT_STRING_EQUAL(b.data, cases[i].out);
		kbs_buf_free(&b);
	}
}

static void
test_labels(void)
{
	CU_ASSERT_STRING_EQUAL(kbs_source_label("self"), "zelfbeoordeling");
	CU_ASSERT_STRING_EQUAL(kbs_source_label("supervisor"), "leidinggevende");
	CU_ASSERT_STRING_EQUAL(kbs_source_label("peer"), "collega");
	CU_ASSERT_STRING_EQUAL(kbs_source_label("team"), "teambeoordeling");
	CU_ASSERT_PTR_NULL(kbs_source_label("Self"));
	CU_ASSERT_PTR_NULL(kbs_source_label(NULL));
	CU_ASSERT_STRING_EQUAL(kbs_status_label("draft"), "concept");
	CU_ASSERT_STRING_EQUAL(kbs_status_label("final"), "definitief");
	CU_ASSERT_PTR_NULL(kbs_status_label("done"));
	CU_ASSERT_EQUAL(kbs_utf8_chars("é—a", strlen("é—a")), 3);
}

/* ---- layouts ---- */

static const kbs_form_block test_blocks[] = {
	{"centre", "Aansluiting", "Kern", "", 0},
	{"specific.income", "Specifieke kennis: Inkomen", "Specifieke kennis", "Inkomen", 0},
	{"income.debt", "Schulden, \"acuut\"", "Specifieke kennis", "Inkomen", 1},
};

static const kbs_form_info test_info = {"Wijk, Noord", 12, "Amersfoort", "GM0307", "2026-06-30", "supervisor"};

static const kbs_scale_entry test_scale[] = {
	{"0", "geen", "Geen kennis of ervaring.", "m0"},
	{"1", "signaleren", "Herkent het onderwerp, kan de vraag verhelderen en doorverwijzen.", "m1"},
	{"2", "begeleid toepassen", "Past de kennis toe met begeleiding.", "m2"},
	{"3", "zelfstandig ondersteunen", "Ondersteunt inwoners zelfstandig.", "m3"},
	{"4", "expert / vraagbaak", "Adviseert en schoolt collega's en houdt de kennis actueel.", "m4"},
	{"na", "niet van toepassing", "Valt buiten de rol van deze persoon.", "mna"},
	{"not_assessed", "niet beoordeeld", "Er is geen oordeel vastgelegd.", "mnot"},
};

static void
test_form_assessment(void)
{
	const char *refs[] = {"P-001", "P-002"};
	const char *bad[] = {"P-001", "ref"};
	kbs_grid	g;
	kbs_form_geom geom;
	char		err[256];
	char	   *s;
	kbs_form_info info = test_info;
	const char *expect =
		"Kennisbouwstenen — beoordelingsformulier,,,\n"
		"Team,\"Wijk, Noord\",,\n"
		"Teamnummer,12,,\n"
		"Gemeente,Amersfoort (GM0307),,\n"
		"Peildatum,2026-06-30,,\n"
		"Bron,leidinggevende (supervisor),,\n"
		"Invullen,\"Kies per bouwsteen een niveau uit de lijst: 0 tot en met 4, of na (niet van toepassing). "
		"Laat de cel leeg als die niet beoordeeld is. De schaal staat op het blad Schaal.\",,\n"
		"Laag,Kern,Specifieke kennis,Specifieke kennis\n"
		"Leefgebied,,Inkomen,Inkomen\n"
		"Bouwsteen,Aansluiting,Specifieke kennis: Inkomen,\"Schulden, \"\"acuut\"\"\"\n"
		"ref,centre,specific.income,income.debt\n"
		"P-001,,,\n"
		"P-002,,,\n";

	kbs_grid_init(&g);
	CU_ASSERT_EQUAL_FATAL(kbs_form_assessment(&info, test_blocks, 3, refs, 2, &g, &geom, err, sizeof(err)), 0);
	s = grid_csv(&g);
	CU_ASSERT_STRING_EQUAL(s, expect);
	free(s);
	CU_ASSERT_EQUAL(geom.code_row, 10);
	CU_ASSERT_EQUAL(geom.header_first_row, 7);
	CU_ASSERT_EQUAL(geom.first_data_row, 11);
	CU_ASSERT_EQUAL(geom.last_data_row, 12);
	CU_ASSERT_EQUAL(geom.first_input_col, 1);
	CU_ASSERT_EQUAL(geom.last_input_col, 3);
	CU_ASSERT_EQUAL(geom.ncols, 4);
	/* every level cell is an (empty) input cell, the codes are code cells */
	for (uint32_t r = 11; r <= 12; r++)
		for (uint32_t c = 1; c <= 3; c++)
		{
			const kbs_cell *cell = kbs_grid_find(&g, r, c);

			CU_ASSERT_PTR_NOT_NULL_FATAL(cell);
			CU_ASSERT_EQUAL(cell->kind, KBS_K_LEVEL);
			CU_ASSERT_STRING_EQUAL(cell->value, "");
		}
	CU_ASSERT_EQUAL(kbs_grid_find(&g, 10, 2)->kind, KBS_K_CODE);
	CU_ASSERT_EQUAL(kbs_grid_find(&g, 11, 0)->kind, KBS_K_REF);
	CU_ASSERT_EQUAL(kbs_grid_find(&g, 9, 3)->kind, KBS_K_HEAD_NAME);
	kbs_grid_free(&g);

	/* no members: header only */
	kbs_grid_init(&g);
	CU_ASSERT_EQUAL(kbs_form_assessment(&info, test_blocks, 3, refs, 0, &g, &geom, err, sizeof(err)), 0);
	CU_ASSERT_TRUE(geom.last_data_row < geom.first_data_row);
	kbs_grid_free(&g);
	/* a member called "ref" would be taken for the header */
	kbs_grid_init(&g);
	CU_ASSERT_EQUAL(kbs_form_assessment(&info, test_blocks, 3, bad, 2, &g, &geom, err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "\"ref\""));
	kbs_grid_free(&g);
	/* an unknown source, no blocks */
	info.source = "boss";
	kbs_grid_init(&g);
	CU_ASSERT_EQUAL(kbs_form_assessment(&info, test_blocks, 3, refs, 2, &g, &geom, err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "onbekende bron"));
	info.source = "self";
	CU_ASSERT_EQUAL(kbs_form_assessment(&info, test_blocks, 0, refs, 2, &g, &geom, err, sizeof(err)), -1);
	kbs_grid_free(&g);
}

static void
test_form_requirement(void)
{
	kbs_form_req_row rows[4];
	kbs_grid	g;
	kbs_form_geom geom;
	kbs_buf		b;
	char		err[256];
	char	   *s;
	const char *expect =
		"Kennisbouwstenen — benodigd: wat het team nodig heeft,,,,,,\n"
		"Team,\"Wijk, Noord\",,,,,\n"
		"Teamnummer,12,,,,,\n"
		"Gemeente,Amersfoort (GM0307),,,,,\n"
		"Peildatum,2026-06-30,,,,,\n"
		"Uitgangspunt,sjabloon basis,,,,,\n"
		"Invullen,\"Niveau 1 tot en met 4 (leeg = geen eis). Aantal leden: een getal, of iedereen (ieder lid). "
		"Belang 1 (laag) tot en met 3 (hoog); leeg = 2.\",,,,,\n"
		"Code bouwsteen,Niveau (1–4),Aantal leden (getal of iedereen),Belang (1–3),Bouwsteen,Laag,Leefgebied\n"
		"block,level,members,importance,,,\n"
		"centre,1,iedereen,2,Aansluiting,Kern,\n"
		"specific.income,3,2,3,Specifieke kennis: Inkomen,Specifieke kennis,Inkomen\n"
		"income.debt,,,,\"Schulden, \"\"acuut\"\"\",Specifieke kennis,Inkomen\n"
		"old.block,4,1,2,Oud (vervallen),Kern,\n";

	memset(rows, 0, sizeof(rows));
	rows[0].block = test_blocks[0];
	rows[0].level = 1;
	rows[0].every = true;
	rows[0].importance = 2;
	rows[1].block = test_blocks[1];
	rows[1].level = 3;
	rows[1].members = 2;
	rows[1].importance = 3;
	rows[2].block = test_blocks[2];
	rows[3].block = (kbs_form_block) {"old.block", "Oud", "Kern", "", 0};
	rows[3].level = 4;
	rows[3].members = 1;
	rows[3].importance = 0;		/* out of range: the default 2 */
	rows[3].retired = true;
	kbs_grid_init(&g);
	CU_ASSERT_EQUAL_FATAL(kbs_form_requirement(&test_info, "sjabloon basis", rows, 4, &g, &geom, err, sizeof(err)), 0);
	s = grid_csv(&g);
	CU_ASSERT_STRING_EQUAL(s, expect);
	free(s);
	CU_ASSERT_EQUAL(geom.code_row, 8);
	CU_ASSERT_EQUAL(geom.first_data_row, 9);
	CU_ASSERT_EQUAL(geom.last_data_row, 12);
	CU_ASSERT_EQUAL(kbs_grid_find(&g, 11, 1)->kind, KBS_K_REQ_LEVEL);
	CU_ASSERT_EQUAL(kbs_grid_find(&g, 11, 2)->kind, KBS_K_REQ_MEMBERS);
	CU_ASSERT_EQUAL(kbs_grid_find(&g, 11, 3)->kind, KBS_K_REQ_IMPORTANCE);

	/* what the importer gets: only the four columns, from the code row down */
	kbs_buf_init(&b);
	CU_ASSERT_EQUAL(kbs_requirement_csv(&g, &b, err, sizeof(err)), 0);
	CU_ASSERT_STRING_EQUAL(b.data, "block,level,members,importance\n"
						   "centre,1,iedereen,2\n"
						   "specific.income,3,2,3\n"
						   "income.debt,,,\n"
						   "old.block,4,1,2\n");
	kbs_buf_free(&b);
	kbs_grid_free(&g);
}

static char *
requirement_of(const char *csv, char *err, size_t errlen)
{
	kbs_grid	g;
	kbs_buf		b;
	char	   *r = NULL;

	kbs_grid_init(&g);
	kbs_buf_init(&b);
	CU_ASSERT_EQUAL_FATAL(kbs_grid_from_csv(csv, strlen(csv), &g, err, errlen), 0);
	CU_ASSERT_TRUE_FATAL(kbs_grid_sort(&g, NULL));
	if (kbs_requirement_csv(&g, &b, err, errlen) == 0)
		r = strdup(b.data);
	kbs_grid_free(&g);
	kbs_buf_free(&b);
	return r;
}

static void
test_requirement_extract(void)
{
	char		err[256];
	char	   *r;

	/* columns in another order, an extra column, a blank row, rows above the header */
	r = requirement_of("titel,,,,\nblock,note,importance,members,level\na.b,x,3,iedereen,2\n,,,,\nc.d,,,,\n,y,,,\n",
					   err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	CU_ASSERT_STRING_EQUAL(r, "block,level,members,importance\na.b,2,iedereen,3\nc.d,,,\n");
	free(r);
	/* a value without a block is passed on, for the importer to report */
	r = requirement_of("block,level,members,importance\n,3,1,\n", err, sizeof(err));
	CU_ASSERT_STRING_EQUAL(r, "block,level,members,importance\n,3,1,\n");
	free(r);
	CU_ASSERT_PTR_NULL(requirement_of("code,level,members,importance\nx,1,1,1\n", err, sizeof(err)));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "geen kopregel"));
	CU_ASSERT_PTR_NULL(requirement_of("x\nblock,level,members\n", err, sizeof(err)));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "\"importance\" ontbreekt"));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "rij 2"));
	CU_ASSERT_PTR_NULL(requirement_of("block,level,level,members,importance\n", err, sizeof(err)));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "twee keer"));
}

static void
test_input_message(void)
{
	kbs_buf		b;
	kbs_scale_entry longer[7];

	kbs_buf_init(&b);
	/* the shipped scale: all anchors of 0-4 fit in 255 characters, with na and empty they do not */
	CU_ASSERT_TRUE_FATAL(kbs_form_input_message(test_scale, 7, 0, true, 255, &b));
	CU_ASSERT_STRING_EQUAL(b.data, "0: Geen kennis of ervaring.\n"
						   "1: Herkent het onderwerp, kan de vraag verhelderen en doorverwijzen.\n"
						   "2: Past de kennis toe met begeleiding.\n"
						   "3: Ondersteunt inwoners zelfstandig.\n"
						   "4: Adviseert en schoolt collega's en houdt de kennis actueel.");
	/* with room, label and anchor of every entry */
	CU_ASSERT_TRUE_FATAL(kbs_form_input_message(test_scale, 7, 0, true, 1000, &b));
	CU_ASSERT_PTR_NOT_NULL(strstr(b.data, "0 geen: Geen kennis of ervaring.\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(b.data, "\nna niet van toepassing: Valt buiten de rol van deze persoon.\n"
								  "leeg: niet beoordeeld"));
	/* requirement levels 1-4 */
	CU_ASSERT_TRUE_FATAL(kbs_form_input_message(test_scale, 7, 1, false, 255, &b));
	CU_ASSERT_EQUAL(strncmp(b.data, "1: Herkent", 10), 0);
	CU_ASSERT_PTR_NULL(strstr(b.data, "0:"));
	CU_ASSERT_PTR_NULL(strstr(b.data, "na"));
	/* labels only, then cut with an ellipsis at a character boundary */
	CU_ASSERT_TRUE_FATAL(kbs_form_input_message(test_scale, 7, 0, true, 150, &b));
	CU_ASSERT_STRING_EQUAL(b.data, "0 geen\n1 signaleren\n2 begeleid toepassen\n3 zelfstandig ondersteunen\n"
						   "4 expert / vraagbaak\nna niet van toepassing\nleeg niet beoordeeld");
	memcpy(longer, test_scale, sizeof(longer));
	longer[0].label = "ééééééééééééééééééééééééééééééééééééééééééé";
	CU_ASSERT_TRUE_FATAL(kbs_form_input_message(longer, 7, 0, true, 20, &b));
	CU_ASSERT_EQUAL(kbs_utf8_chars(b.data, b.len), 20);
	CU_ASSERT_STRING_EQUAL(b.data, "0 ééééééééééééééééé…");
	kbs_buf_free(&b);
}

static void
test_form_scale(void)
{
	kbs_grid	g;
	kbs_form_geom geom;
	char		err[256];
	char	   *s;

	kbs_grid_init(&g);
	CU_ASSERT_EQUAL_FATAL(kbs_form_scale(test_scale, 7, &g, &geom, err, sizeof(err)), 0);
	s = grid_csv(&g);
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "Invullen als,Code,Benaming,Anker,Betekenis\n0,0,geen,"));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "\n(leeg laten),not_assessed,niet beoordeeld,"));
	free(s);
	kbs_grid_free(&g);
}

static void
test_training(void)
{
	kbs_table_col cols[] = {
		{"wheel_order", "Volgorde", KBS_COL_NUMBER},
		{"municipality_code", "Gemeente", KBS_COL_TEXT},
		{"block_name", "Naam", KBS_COL_TEXT},
		{"target_level", NULL, KBS_COL_NUMBER},
		{"people_planned", "Aantal personen met een geplande actie; alleen open acties.", KBS_COL_NUMBER},
		{"first_due", "Vroegste streefdatum", KBS_COL_DATE},
		{"suppressed", "Onderdrukt", KBS_COL_BOOL},
	};
	const char *values[] = {
		"1", "GM0307", "Inkomen", "3", "7", "2026-09-30", "f",
		"2", "GM0307", "Veiligheid", "3", NULL, NULL, "t",
		"3", "GM0307", "Schulden", "2", NULL, "2026-12-31", "f",
	};
	kbs_grid	g;
	kbs_form_geom geom;
	kbs_buf		b;
	char		err[256];
	char	   *s;

	CU_ASSERT_TRUE(kbs_training_hidden("wheel_order"));
	CU_ASSERT_TRUE(kbs_training_hidden("domain_position"));
	CU_ASSERT_TRUE(kbs_training_hidden("municipality_name"));
	CU_ASSERT_FALSE(kbs_training_hidden("position"));
	CU_ASSERT_FALSE(kbs_training_hidden("block_code"));
	kbs_buf_init(&b);
	CU_ASSERT_TRUE(kbs_training_label("block_name", "Naam", &b));
	CU_ASSERT_STRING_EQUAL(b.data, "Naam");
	b.len = 0;
	CU_ASSERT_TRUE(kbs_training_label("block_name", NULL, &b));
	CU_ASSERT_STRING_EQUAL(b.data, "Bouwsteen");
	b.len = 0;
	CU_ASSERT_TRUE(kbs_training_label("people", "Aantal personen met een open scholingsactie voor deze bouwsteen en dit niveau", &b));
	CU_ASSERT_STRING_EQUAL(b.data, "Personen");
	b.len = 0;
	CU_ASSERT_TRUE(kbs_training_label("x", "Aantal teams: met open acties", &b));
	CU_ASSERT_STRING_EQUAL(b.data, "Aantal teams");
	b.len = 0;
	CU_ASSERT_TRUE(kbs_training_label("x", "Aantal personen met een open scholingsactie voor deze bouwsteen en dit niveau",
									  &b));
	CU_ASSERT_STRING_EQUAL(b.data, "Aantal personen met een open scholingsactie…");
	b.len = 0;
	CU_ASSERT_TRUE(kbs_training_label("x_y", NULL, &b));
	CU_ASSERT_STRING_EQUAL(b.data, "x_y");
	b.len = 0;
	CU_ASSERT_TRUE(kbs_training_label("x_y", "", &b));
	CU_ASSERT_STRING_EQUAL(b.data, "x_y");
	kbs_buf_free(&b);

	kbs_grid_init(&g);
	CU_ASSERT_EQUAL_FATAL(kbs_training_sheet("Amersfoort", "GM0307", "2026-07-01", cols, 7, values, 3, &g, &geom,
											 err, sizeof(err)), 0);
	s = grid_csv(&g);
	CU_ASSERT_STRING_EQUAL(s,
						   "Scholingsvraag — Amersfoort (GM0307),,,,\n"
						   "Gemaakt op,2026-07-01,,,\n"
						   "Toelichting,\"Per bouwsteen en beoogd niveau: wie een open scholingsactie heeft, naar status en "
						   "kwartaal van de streefdatum, en welke teams. \"\"onderdrukt\"\": te weinig personen om het aantal "
						   "te tonen.\",,,\n"
						   "Naam,Beoogd niveau,Aantal personen met een geplande actie,Vroegste streefdatum,Onderdrukt\n"
						   "Inkomen,3,7,2026-09-30,nee\n"
						   "Veiligheid,3,onderdrukt,onderdrukt,ja\n"
						   "Schulden,2,,2026-12-31,nee\n");
	free(s);
	CU_ASSERT_EQUAL(kbs_grid_find(&g, 4, 2)->kind, KBS_K_NUMBER);
	CU_ASSERT_EQUAL(kbs_grid_find(&g, 4, 3)->kind, KBS_K_DATE);
	CU_ASSERT_EQUAL(kbs_grid_find(&g, 5, 2)->kind, KBS_K_SUPPRESSED);
	CU_ASSERT_EQUAL(geom.ncols, 5);
	CU_ASSERT_EQUAL(geom.last_data_row, 6);
	kbs_grid_free(&g);
	/* no rows: a line that says so */
	kbs_grid_init(&g);
	CU_ASSERT_EQUAL(kbs_training_sheet("A", "GM0001", "2026-07-01", cols, 7, values, 0, &g, &geom, err, sizeof(err)), 0);
	CU_ASSERT_STRING_EQUAL(kbs_grid_find(&g, 4, 0)->value, "Geen open scholingsacties.");
	kbs_grid_free(&g);
	/* only hidden columns */
	kbs_grid_init(&g);
	CU_ASSERT_EQUAL(kbs_training_sheet("A", "GM0001", "2026-07-01", cols, 2, values, 0, &g, &geom, err, sizeof(err)), -1);
	kbs_grid_free(&g);
}

/* ---- XML parts ---- */

static void
test_shared_strings(void)
{
	const char *xml =
		"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
		"<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" count=\"7\" uniqueCount=\"7\">"
		"<si><t>plain</t></si>"
		"<si><r><rPr><b/></rPr><t>rich </t></r><r><t xml:space=\"preserve\">text  </t></r></si>"
		"<si><t>漢字</t><rPh sb=\"0\" eb=\"2\"><t>かんじ</t></rPh></si>"
		"<si/>"
		"<si><t>a_x000D_b &amp; &lt;c&gt; &#233;</t></si>"
		"<si><t><![CDATA[<raw>]]></t></si>"
		"<si><t xml:space=\"preserve\">   </t></si>"
		"</sst>";
	kbs_strings t = {0};
	char		err[256];

	CU_ASSERT_EQUAL_FATAL(kbs_xlsx_parse_shared_strings(xml, strlen(xml), &t, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL_FATAL(t.n, 7);
	CU_ASSERT_STRING_EQUAL(t.s[0], "plain");
	CU_ASSERT_STRING_EQUAL(t.s[1], "rich text  ");
	CU_ASSERT_STRING_EQUAL(t.s[2], "漢字");
	CU_ASSERT_STRING_EQUAL(t.s[3], "");
	CU_ASSERT_STRING_EQUAL(t.s[4], "a\rb & <c> é");
	CU_ASSERT_STRING_EQUAL(t.s[5], "<raw>");
	CU_ASSERT_STRING_EQUAL(t.s[6], "   ");
	kbs_strings_free(&t);

	CU_ASSERT_EQUAL(kbs_xlsx_parse_shared_strings("<sst><si><t>x</si></sst>", 24, &t, err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "geen geldige XML"));
	kbs_strings_free(&t);
	/* a DTD (entity tricks) is refused */
	{
		const char *dtd = "<?xml version=\"1.0\"?><!DOCTYPE sst [<!ENTITY a \"aaaa\">]><sst><si><t>&a;</t></si></sst>";

		CU_ASSERT_EQUAL(kbs_xlsx_parse_shared_strings(dtd, strlen(dtd), &t, err, sizeof(err)), -1);
		CU_ASSERT_PTR_NOT_NULL(strstr(err, "DTD"));
		kbs_strings_free(&t);
	}
	CU_ASSERT_EQUAL(kbs_xlsx_parse_shared_strings("", 0, &t, err, sizeof(err)), -1);
	kbs_strings_free(&t);
}

static void
test_sheet_values(void)
{
	char	   *sst_s[] = {"ref", "na", "a,b"};
	kbs_strings sst = {sst_s, 3, 3};
	bool		dates[] = {false, true};
	kbs_styles	st = {dates, 2};
	char		err[256];
	char	   *s;

	/* every kind of cell, a gap (B1), cells and rows without r, a formula's cached value */
	s = sheet_csv(SHEET("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"C1\" t=\"s\"><v>2</v></c></row>"
						"<row r=\"3\"><c t=\"inlineStr\"><is><r><t>in</t></r><r><t>line</t></r></is></c>"
						"<c><v>3</v></c><c t=\"n\"><v>3.0</v></c><c t=\"str\"><f>A1&amp;\"x\"</f><v>refx</v></c>"
						"<c t=\"b\"><v>1</v></c><c t=\"e\"><v>#DIV/0!</v></c></row>"
						"<row><c r=\"A4\" s=\"1\"><v>46203</v></c><c r=\"B4\" s=\"0\"><v>46203</v></c>"
						"<c r=\"C4\" s=\"1\" t=\"s\"><v>1</v></c><c r=\"E4\" s=\"1\"/><c r=\"F4\"><v></v></c>"
						"<c r=\"G4\" t=\"d\"><v>2026-06-30T00:00:00</v></c></row>"),
				  &sst, &st, false, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_STRING_EQUAL(s, "ref,,\"a,b\",,,,\n"
						   "inline,3,3,refx,TRUE,#DIV/0!,\n"
						   "2026-06-30,46203,na,,,,2026-06-30T00:00:00\n");
	free(s);
	/* date system 1904 */
	s = sheet_csv(SHEET("<row r=\"1\"><c r=\"A1\" s=\"1\"><v>44741</v></c></row>"), NULL, &st, true, err, sizeof(err));
	CU_ASSERT_STRING_EQUAL(s, "2026-06-30\n");
	free(s);
	/* a style index beyond the styles is no date */
	s = sheet_csv(SHEET("<row r=\"1\"><c r=\"A1\" s=\"9\"><v>2</v></c></row>"), NULL, &st, false, err, sizeof(err));
	CU_ASSERT_STRING_EQUAL(s, "2\n");
	free(s);
	/* inline strings with phonetic runs and escapes */
	s = sheet_csv(SHEET("<row r=\"2\"><c r=\"B2\" t=\"inlineStr\"><is><t>x_x000A_y</t><rPh><t>no</t></rPh></is></c></row>"),
				  NULL, NULL, false, err, sizeof(err));
	CU_ASSERT_STRING_EQUAL(s, ",\"x\ny\"\n");
	free(s);
	/* nothing outside sheetData counts */
	s = sheet_csv("<worksheet><v>9</v><sheetData/><c><v>1</v></c></worksheet>", NULL, NULL, false, err, sizeof(err));
	CU_ASSERT_STRING_EQUAL(s, "");
	free(s);
}

static void
test_sheet_errors(void)
{
	char	   *sst_s[] = {"only"};
	kbs_strings sst = {sst_s, 1, 1};
	char		err[256];

	CU_ASSERT_PTR_NULL(sheet_csv(SHEET("<row r=\"4\"><c r=\"B4\" t=\"s\"><v>3</v></c></row>"), &sst, NULL, false,
								 err, sizeof(err)));
	CU_ASSERT_STRING_EQUAL(err, "cel B4 verwijst naar gedeelde tekst 3, maar er zijn er 1");
	CU_ASSERT_PTR_NULL(sheet_csv(SHEET("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>x</v></c></row>"), &sst, NULL, false,
								 err, sizeof(err)));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "geen nummer"));
	CU_ASSERT_PTR_NULL(sheet_csv(SHEET("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>"), NULL, NULL, false,
								 err, sizeof(err)));
	CU_ASSERT_PTR_NULL(sheet_csv(SHEET("<row r=\"1\"><c r=\"A0\"><v>1</v></c></row>"), NULL, NULL, false, err, sizeof(err)));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "ongeldige celverwijzing \"A0\""));
	CU_ASSERT_PTR_NULL(sheet_csv(SHEET("<row r=\"1\"><c r=\"A2\"><v>1</v></c></row>"), NULL, NULL, false, err, sizeof(err)));
	CU_ASSERT_PTR_NULL(sheet_csv(SHEET("<row r=\"0\"/>"), NULL, NULL, false, err, sizeof(err)));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "rijnummer"));
	CU_ASSERT_PTR_NULL(sheet_csv(SHEET("<row r=\"1048577\"/>"), NULL, NULL, false, err, sizeof(err)));
	CU_ASSERT_PTR_NULL(sheet_csv(SHEET("<row r=\"1\"><c r=\"A1\"><v>1</v></c><c r=\"A1\"><v>2</v></c></row>"), NULL, NULL,
								 false, err, sizeof(err)));
	CU_ASSERT_STRING_EQUAL(err, "cel A1 staat twee keer in het werkblad");
	CU_ASSERT_PTR_NULL(sheet_csv(SHEET("<row r=\"1\"><c r=\"A1\"><v>1</v></row>"), NULL, NULL, false, err, sizeof(err)));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "geen geldige XML (regel 1"));
	CU_ASSERT_PTR_NULL(sheet_csv("not xml at all", NULL, NULL, false, err, sizeof(err)));
	/* a cell after XFD in a row without references */
	{
		kbs_buf		b;
		char	   *s;

		kbs_buf_init(&b);
		const char *xml = "<worksheet><sheetData><row r=\"1\"><c r=\"XFD1\"><v>1</v></c><c><v>2</v></c></row>"
			"</sheetData></worksheet>";

		kbs_buf_append(&b, xml, strlen(xml));
		s = sheet_csv(b.data, NULL, NULL, false, err, sizeof(err));
		CU_ASSERT_PTR_NULL(s);
		CU_ASSERT_PTR_NOT_NULL(strstr(err, "te veel kolommen"));
		kbs_buf_free(&b);
	}
}

static void
test_styles(void)
{
	const char *xml =
		"<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
		"<numFmts count=\"2\"><numFmt numFmtId=\"164\" formatCode=\"YYYY\\-MM\\-DD\"/>"
		"<numFmt numFmtId=\"165\" formatCode=\"0.0\"/><numFmt numFmtId=\"14\" formatCode=\"0\"/></numFmts>"
		"<cellStyleXfs count=\"1\"><xf numFmtId=\"14\"/></cellStyleXfs>"
		"<cellXfs count=\"6\"><xf numFmtId=\"0\"/><xf numFmtId=\"164\"/><xf numFmtId=\"165\"/>"
		"<xf numFmtId=\"22\"><alignment/></xf><xf/><xf numFmtId=\"14\"/></cellXfs>"
		"<cellStyles><cellStyle name=\"Normal\" xfId=\"0\"/></cellStyles></styleSheet>";
	kbs_styles	st = {0};
	char		err[256];

	CU_ASSERT_EQUAL_FATAL(kbs_xlsx_parse_styles(xml, strlen(xml), &st, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL_FATAL(st.n, 6);
	CU_ASSERT_FALSE(st.is_date[0]);
	CU_ASSERT_TRUE(st.is_date[1]);
	CU_ASSERT_FALSE(st.is_date[2]);
	CU_ASSERT_TRUE(st.is_date[3]);
	CU_ASSERT_FALSE(st.is_date[4]);
	/* the workbook redefines id 14 as a plain number */
	CU_ASSERT_FALSE(st.is_date[5]);
	kbs_styles_free(&st);
}

static void
test_workbook_rels(void)
{
	const char *wbxml =
		"<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
		"xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
		"<workbookPr date1904=\"1\"/><sheets><sheet name=\"Beoordeling\" sheetId=\"1\" r:id=\"rId3\"/>"
		"<sheet name=\"Benodigd &amp; meer\" sheetId=\"2\" id=\"wrong\" r:id=\"rId1\"/>"
		"<sheet name=\"Derde\" sheetId=\"3\" r:id=\"rId7\"/></sheets></workbook>";
	const char *rels =
		"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
		"<Relationship Id=\"rId1\" Type=\"x/worksheet\" Target=\"/xl/worksheets/sheet2.xml\"/>"
		"<Relationship Id=\"rId2\" Type=\"x/styles\" Target=\"styles.xml\"/>"
		"<Relationship Id=\"rId3\" Type=\"x/worksheet\" Target=\"./worksheets//sheet1.xml\"/>"
		"<Relationship Id=\"rId7\" Type=\"x/worksheet\" Target=\"../other/../xl/s3.xml\"/></Relationships>";
	kbs_workbook_info wb = {0};
	char		err[256];

	CU_ASSERT_EQUAL_FATAL(kbs_xlsx_parse_workbook(wbxml, strlen(wbxml), &wb, err, sizeof(err)), 0);
	CU_ASSERT_TRUE(wb.date1904);
	CU_ASSERT_EQUAL_FATAL(wb.n, 3);
	CU_ASSERT_STRING_EQUAL(wb.sheets[1].name, "Benodigd & meer");
	CU_ASSERT_STRING_EQUAL(wb.sheets[1].rid, "rId1");
	CU_ASSERT_EQUAL_FATAL(kbs_xlsx_parse_rels(rels, strlen(rels), &wb, err, sizeof(err)), 0);
	CU_ASSERT_STRING_EQUAL(wb.sheets[0].path, "xl/worksheets/sheet1.xml");
	CU_ASSERT_STRING_EQUAL(wb.sheets[1].path, "xl/worksheets/sheet2.xml");
	CU_ASSERT_STRING_EQUAL(wb.sheets[2].path, "xl/s3.xml");
	kbs_workbook_info_free(&wb);

	/* a sheet whose relationship is missing */
	CU_ASSERT_EQUAL_FATAL(kbs_xlsx_parse_workbook(wbxml, strlen(wbxml), &wb, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(kbs_xlsx_parse_rels("<Relationships/>", 16, &wb, err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "rId3"));
	kbs_workbook_info_free(&wb);
	CU_ASSERT_EQUAL(kbs_xlsx_parse_workbook("<workbook><sheets/></workbook>", 30, &wb, err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "geen bladen"));
	kbs_workbook_info_free(&wb);
	CU_ASSERT_EQUAL(kbs_xlsx_parse_workbook("<workbook><sheets><sheet name=\"x\"/></sheets></workbook>", 55, &wb, err,
											sizeof(err)), -1);
	kbs_workbook_info_free(&wb);
}

/* ---- whole workbooks ---- */

typedef struct part
{
	const char *name;
	const char *xml;
} part;

/* A zip file with the given parts; returns its path (a temporary file). */
static char *
make_zip(const part *parts, size_t n)
{
	char		tmpl[] = "/tmp/kbs-unit-XXXXXX";
	int			fd = mkstemp(tmpl);
	int			code;
	zip_t	   *z;

	CU_ASSERT_FATAL(fd >= 0);
	close(fd);
	z = zip_open(tmpl, ZIP_TRUNCATE, &code);
	CU_ASSERT_PTR_NOT_NULL_FATAL(z);
	for (size_t i = 0; i < n; i++)
	{
		zip_source_t *src = zip_source_buffer(z, parts[i].xml, strlen(parts[i].xml), 0);

		CU_ASSERT_PTR_NOT_NULL_FATAL(src);
		CU_ASSERT_FATAL(zip_file_add(z, parts[i].name, src, ZIP_FL_OVERWRITE) >= 0);
	}
	CU_ASSERT_EQUAL_FATAL(zip_close(z), 0);
	return strdup(tmpl);
}

static const char wb_xml[] =
	"<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
	"xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets>"
	"<sheet name=\"Eerste\" sheetId=\"1\" r:id=\"rId1\"/><sheet name=\"Beoordeling\" sheetId=\"2\" r:id=\"rId2\"/>"
	"</sheets></workbook>";
static const char rels_xml[] =
	"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
	"<Relationship Id=\"rId1\" Target=\"worksheets/sheet1.xml\"/>"
	"<Relationship Id=\"rId2\" Target=\"worksheets/sheet2.xml\"/></Relationships>";
static const char sst_xml[] = "<sst><si><t>ref</t></si><si><t>na</t></si></sst>";
static const char sheet1_xml[] = SHEET("<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>");
static const char sheet2_xml[] =
	SHEET("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"inlineStr\"><is><t>a.b</t></is></c></row>"
		  "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>P1</t></is></c><c r=\"C2\"><v>3</v></c></row>"
		  "<row r=\"3\"><c r=\"A3\" t=\"inlineStr\"><is><t>P2</t></is></c><c r=\"B3\" t=\"s\"><v>1</v></c></row>");

static void
test_xlsx_file(void)
{
	part		parts[] = {
		{"xl/workbook.xml", wb_xml}, {"xl/_rels/workbook.xml.rels", rels_xml}, {"xl/sharedStrings.xml", sst_xml},
		{"xl/worksheets/sheet1.xml", sheet1_xml}, {"xl/worksheets/sheet2.xml", sheet2_xml},
	};
	char	   *path = make_zip(parts, 5);
	char		err[512];
	kbs_xlsx   *x = kbs_xlsx_open(path, err, sizeof(err));
	kbs_grid	g;
	char	   *s;
	FILE	   *f;
	char	   *data;
	long		len;

	CU_ASSERT_PTR_NOT_NULL_FATAL(x);
	CU_ASSERT_EQUAL(kbs_xlsx_sheet_count(x), 2);
	CU_ASSERT_STRING_EQUAL(kbs_xlsx_sheet_name(x, 1), "Beoordeling");
	kbs_grid_init(&g);
	CU_ASSERT_EQUAL_FATAL(kbs_xlsx_read_sheet(x, "beoordeling", &g, err, sizeof(err)), 0);
	s = grid_csv(&g);
	CU_ASSERT_STRING_EQUAL(s, "ref,a.b,\nP1,,3\nP2,na,\n");
	free(s);
	kbs_grid_free(&g);
	kbs_grid_init(&g);
	CU_ASSERT_EQUAL_FATAL(kbs_xlsx_read_sheet(x, NULL, &g, err, sizeof(err)), 0);
	s = grid_csv(&g);
	CU_ASSERT_STRING_EQUAL(s, "1\n");
	free(s);
	kbs_grid_free(&g);
	kbs_grid_init(&g);
	CU_ASSERT_EQUAL(kbs_xlsx_read_sheet(x, "Benodigd", &g, err, sizeof(err)), -1);
	CU_ASSERT_STRING_EQUAL(err, "blad \"Benodigd\" ontbreekt; de werkmap heeft: Eerste, Beoordeling");
	kbs_grid_free(&g);
	kbs_xlsx_close(x);

	/* the same bytes from memory */
	f = fopen(path, "rb");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	data = malloc((size_t) len);
	CU_ASSERT_EQUAL_FATAL(fread(data, 1, (size_t) len, f), (size_t) len);
	fclose(f);
	x = kbs_xlsx_open_buffer(data, (size_t) len, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(x);
	kbs_grid_init(&g);
	CU_ASSERT_EQUAL(kbs_xlsx_read_sheet(x, "Beoordeling", &g, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(g.n, 6);
	kbs_grid_free(&g);
	kbs_xlsx_close(x);
	/* cut short: not a zip any more */
	x = kbs_xlsx_open_buffer(data, (size_t) len / 2, err, sizeof(err));
	CU_ASSERT_PTR_NULL(x);
	free(data);
	unlink(path);
	free(path);
}

static void
test_xlsx_file_errors(void)
{
	part		no_wb[] = {{"xl/other.xml", "<x/>"}};
	part		no_rels[] = {{"xl/workbook.xml", wb_xml}};
	part		no_sheet[] = {{"xl/workbook.xml", wb_xml}, {"xl/_rels/workbook.xml.rels", rels_xml}};
	part		bad_sst[] = {{"xl/workbook.xml", wb_xml}, {"xl/_rels/workbook.xml.rels", rels_xml},
	{"xl/sharedStrings.xml", "<sst><si>"}};
	char		err[512];
	char	   *path;
	kbs_xlsx   *x;
	kbs_grid	g;

	CU_ASSERT_PTR_NULL(kbs_xlsx_open("/nonexistent/kbs.xlsx", err, sizeof(err)));
	CU_ASSERT_STRING_EQUAL(err, "het bestand bestaat niet");
	CU_ASSERT_PTR_NULL(kbs_xlsx_open_buffer("not a zip file at all", 21, err, sizeof(err)));
	CU_ASSERT_STRING_EQUAL(err, "geen xlsx-bestand (geen zip-archief)");

	path = make_zip(no_wb, 1);
	CU_ASSERT_PTR_NULL(kbs_xlsx_open(path, err, sizeof(err)));
	CU_ASSERT_STRING_EQUAL(err, "geen Excel-werkmap: xl/workbook.xml ontbreekt");
	unlink(path);
	free(path);
	path = make_zip(no_rels, 1);
	CU_ASSERT_PTR_NULL(kbs_xlsx_open(path, err, sizeof(err)));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "workbook.xml.rels ontbreekt"));
	unlink(path);
	free(path);
	path = make_zip(bad_sst, 3);
	CU_ASSERT_PTR_NULL(kbs_xlsx_open(path, err, sizeof(err)));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "xl/sharedStrings.xml is geen geldige XML"));
	unlink(path);
	free(path);
	path = make_zip(no_sheet, 2);
	x = kbs_xlsx_open(path, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(x);
	kbs_grid_init(&g);
	CU_ASSERT_EQUAL(kbs_xlsx_read_sheet(x, "Beoordeling", &g, err, sizeof(err)), -1);
	CU_ASSERT_STRING_EQUAL(err, "blad \"Beoordeling\": onderdeel xl/worksheets/sheet2.xml ontbreekt");
	kbs_grid_free(&g);
	kbs_xlsx_close(x);
	unlink(path);
	free(path);
}

/* A part of a zip file as text. */
static char *
zip_text(const char *path, const char *name)
{
	int			code;
	zip_t	   *z = zip_open(path, ZIP_RDONLY, &code);
	zip_stat_t	st;
	zip_file_t *f;
	char	   *data;

	CU_ASSERT_PTR_NOT_NULL_FATAL(z);
	CU_ASSERT_EQUAL_FATAL(zip_stat(z, name, 0, &st), 0);
	data = calloc(1, (size_t) st.size + 1);
	f = zip_fopen(z, name, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL_FATAL(zip_fread(f, data, st.size), (zip_int64_t) st.size);
	zip_fclose(f);
	zip_discard(z);
	return data;
}

/* What libxlsxwriter writes, our reader gives back exactly; the drop-downs and protection are there. */
static void
test_write_read_roundtrip(void)
{
	const char *refs[] = {"P-001", "P-002", "=cmd|' /C calc'!A0"};
	kbs_form_req_row rows[3];
	kbs_grid	ga,
				gr,
				gs,
				back;
	kbs_form_geom geoma,
				geomr,
				geoms;
	kbs_buf		msg;
	char		err[512];
	char		tmpl[] = "/tmp/kbs-unit-XXXXXX";
	int			fd = mkstemp(tmpl);
	kbs_sheet_spec sheets[3];
	kbs_xlsx   *x;
	char	   *xml,
			   *want,
			   *got;
	const char *names[3] = {"Beoordeling", "Benodigd", "Schaal"};
	kbs_grid   *grids[3] = {&ga, &gr, &gs};

	CU_ASSERT_FATAL(fd >= 0);
	close(fd);
	memset(rows, 0, sizeof(rows));
	for (int i = 0; i < 3; i++)
		rows[i].block = test_blocks[i];
	rows[1].level = 3;
	rows[1].members = 2;
	rows[1].importance = 2;
	rows[2].level = 1;
	rows[2].every = true;
	rows[2].importance = 1;
	kbs_grid_init(&ga);
	kbs_grid_init(&gr);
	kbs_grid_init(&gs);
	kbs_buf_init(&msg);
	CU_ASSERT_EQUAL_FATAL(kbs_form_assessment(&test_info, test_blocks, 3, refs, 3, &ga, &geoma, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL_FATAL(kbs_form_requirement(&test_info, "basis", rows, 3, &gr, &geomr, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL_FATAL(kbs_form_scale(test_scale, 7, &gs, &geoms, err, sizeof(err)), 0);
	CU_ASSERT_TRUE_FATAL(kbs_form_input_message(test_scale, 7, 0, true, 255, &msg));
	sheets[0] = (kbs_sheet_spec) {"Beoordeling", KBS_SHEET_ASSESSMENT, &ga, &geoma, "Niveau 0–4, na of leeg", msg.data, NULL};
	sheets[1] = (kbs_sheet_spec) {"Benodigd", KBS_SHEET_REQUIREMENT, &gr, &geomr, "Niveau 1–4", msg.data, NULL};
	sheets[2] = (kbs_sheet_spec) {"Schaal", KBS_SHEET_SCALE, &gs, &geoms, NULL, NULL, NULL};
	CU_ASSERT_EQUAL_FATAL(kbs_xlsx_write(tmpl, "test", sheets, 3, err, sizeof(err)), 0);

	x = kbs_xlsx_open(tmpl, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(x);
	for (int i = 0; i < 3; i++)
	{
		kbs_grid_init(&back);
		CU_ASSERT_EQUAL_FATAL(kbs_xlsx_read_sheet(x, names[i], &back, err, sizeof(err)), 0);
		want = grid_csv(grids[i]);
		got = grid_csv(&back);
		CU_ASSERT_STRING_EQUAL(got, want);
		free(want);
		free(got);
		kbs_grid_free(&back);
	}
	kbs_xlsx_close(x);

	/* the level drop-down over exactly the level cells, with the anchors; locked header, unlocked input */
	xml = zip_text(tmpl, "xl/worksheets/sheet1.xml");
	CU_ASSERT_PTR_NOT_NULL(strstr(xml, "<dataValidation type=\"list\" allowBlank=\"1\" showInputMessage=\"1\" "
								  "showErrorMessage=\"1\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(xml, "sqref=\"B12:D14\"><formula1>\"0,1,2,3,4,na\"</formula1>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(xml, "prompt=\"0: Geen kennis of ervaring.&#xA;1: Herkent"));
	CU_ASSERT_PTR_NOT_NULL(strstr(xml, "<sheetProtection sheet=\"1\""));
	/* a ref that looks like a formula stays a string */
	CU_ASSERT_PTR_NULL(strstr(xml, "<f>"));
	free(xml);
	xml = zip_text(tmpl, "xl/worksheets/sheet2.xml");
	CU_ASSERT_PTR_NOT_NULL(strstr(xml, "sqref=\"B10:B12\"><formula1>\"1,2,3,4\"</formula1>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(xml, "sqref=\"D10:D12\"><formula1>\"1,2,3\"</formula1>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(xml, "type=\"custom\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(xml, "<formula1>OR(C10=\"iedereen\",C10=\"all\",AND(ISNUMBER(C10),C10&gt;=1,"
								  "C10=INT(C10)))</formula1>"));
	/* the pre-filled level 3 is a number, as a spreadsheet program stores a picked level */
	CU_ASSERT_PTR_NOT_NULL(strstr(xml, "<c r=\"B11\" s=\"7\"><v>3</v></c>"));
	free(xml);
	xml = zip_text(tmpl, "xl/styles.xml");
	CU_ASSERT_PTR_NOT_NULL(strstr(xml, "<protection locked=\"0\"/>"));
	free(xml);

	/* an unwritable path (libxlsxwriter's own complaint on stderr is silenced) */
	{
		int			saved = dup(2);
		int			devnull = open("/dev/null", O_WRONLY);

		fflush(stderr);
		if (devnull >= 0)
			dup2(devnull, 2);
		CU_ASSERT_EQUAL(kbs_xlsx_write("/nonexistent/dir/x.xlsx", "t", sheets, 3, err, sizeof(err)), -1);
		fflush(stderr);
		if (saved >= 0)
		{
			dup2(saved, 2);
			close(saved);
		}
		if (devnull >= 0)
			close(devnull);
	}
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "kan de werkmap niet schrijven"));
	unlink(tmpl);
	kbs_grid_free(&ga);
	kbs_grid_free(&gr);
	kbs_grid_free(&gs);
	kbs_buf_free(&msg);
}

int
kbs_register_forms_tests(void)
{
	static const test_case forms_layout_csv_and_xlsx[] = {
		{"column letters", test_col_letters},
		{"cell references", test_cell_refs},
		{"CSV field quoting", test_csv_fields},
		{"grid as CSV", test_grid_csv},
		{"grid, CSV and back (random)", test_grid_csv_roundtrip},
		{"CSV into a grid", test_grid_from_csv},
		{"stored numbers", test_numbers},
		{"date serials", test_dates},
		{"date number formats", test_number_formats},
		{"_xHHHH_ escapes", test_unescape},
		{"Dutch labels of codes", test_labels},
		{"assessment form layout", test_form_assessment},
		{"requirement sheet layout", test_form_requirement},
		{"requirement read back", test_requirement_extract},
		{"drop-down input message", test_input_message},
		{"scale sheet", test_form_scale},
		{"training demand sheet", test_training},
		{"shared strings", test_shared_strings},
		{"sheet values", test_sheet_values},
		{"sheet errors", test_sheet_errors},
		{"styles: date formats", test_styles},
		{"workbook and relationships", test_workbook_rels},
		{"xlsx file: sheets by name, from memory", test_xlsx_file},
		{"xlsx file errors", test_xlsx_file_errors},
		{"written workbook reads back the same", test_write_read_roundtrip},
		{NULL, NULL}
	};

	return test_add_suite("forms: layout, CSV and xlsx", forms_layout_csv_and_xlsx) ? -1 : 0;
}
