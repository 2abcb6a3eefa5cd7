/*
 * fuzz_xlsx.c — libFuzzer target for reading workbooks back
 * (dashboards/generator/xlsx_read.c, forms.c). Built by tests/fuzz/smoke.sh
 * with the extra sources and libraries in tests/fuzz/fuzz_xlsx.flags.
 *
 * The first byte picks the mode:
 *   - even: the rest is a whole .xlsx (a zip archive, read with libzip);
 *     every sheet is read by name, and the first sheet without one;
 *   - odd: the rest is split at NUL bytes into a sheet part, a shared
 *     strings part and a styles part (bit 1: the 1904 date system).
 * Invariants, checked with abort():
 *   - every call returns 0 or -1, and -1 comes with a non-empty message;
 *   - a sheet read is sorted, without two cells at one place, inside the
 *     sheet's limits, with non-empty values without NUL bytes;
 *   - its CSV text, read back with the extension's CSV reader, gives exactly
 *     the same cells (the empty rows closed up).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "forms.h"
#include "xlsx_read.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_grid(const kbs_grid *g)
{
	kbs_buf		csv;
	kbs_grid	back;
	char		err[512];
	uint32_t	outrow = 0;

	CHECK(!g->failed);
	for (size_t i = 0; i < g->n; i++)
	{
		const kbs_cell *c = &g->cells[i];

		CHECK(c->row < KBS_SHEET_MAX_ROWS && c->col < KBS_SHEET_MAX_COLS);
		CHECK(c->value != NULL && c->value[0] != '\0');
		if (i > 0)
			CHECK(c->row > g->cells[i - 1].row || (c->row == g->cells[i - 1].row && c->col > g->cells[i - 1].col));
		CHECK(kbs_grid_find(g, c->row, c->col) == c);
	}
	kbs_buf_init(&csv);
	err[0] = '\0';
	if (kbs_grid_to_csv(g, &csv, 1u << 22, err, sizeof(err)) != 0)
	{
		CHECK(err[0] != '\0');
		kbs_buf_free(&csv);
		return;
	}
	kbs_grid_init(&back);
	CHECK(kbs_grid_from_csv(csv.data ? csv.data : "", csv.len, &back, err, sizeof(err)) == 0);
	CHECK(kbs_grid_sort(&back, NULL));
	CHECK(back.n == g->n);
	for (size_t i = 0; i < g->n; i++)
	{
		if (i > 0 && g->cells[i].row != g->cells[i - 1].row)
			outrow++;
		CHECK(back.cells[i].row == outrow);
		CHECK(back.cells[i].col == g->cells[i].col);
		CHECK(strcmp(back.cells[i].value, g->cells[i].value) == 0);
	}
	kbs_grid_free(&back);
	kbs_buf_free(&csv);
}

static void
whole_workbook(const uint8_t *data, size_t size)
{
	char		err[512];
	kbs_xlsx   *x;
	kbs_grid	g;

	err[0] = '\0';
	x = kbs_xlsx_open_buffer(data, size, err, sizeof(err));
	if (x == NULL)
	{
		CHECK(err[0] != '\0');
		return;
	}
	CHECK(kbs_xlsx_sheet_count(x) >= 1);
	for (size_t i = 0; i <= kbs_xlsx_sheet_count(x); i++)
	{
		const char *name = i < kbs_xlsx_sheet_count(x) ? kbs_xlsx_sheet_name(x, i) : NULL;

		kbs_grid_init(&g);
		err[0] = '\0';
		if (kbs_xlsx_read_sheet(x, name, &g, err, sizeof(err)) == 0)
			check_grid(&g);
		else
			CHECK(err[0] != '\0');
		kbs_grid_free(&g);
	}
	kbs_grid_init(&g);
	CHECK(kbs_xlsx_read_sheet(x, "\x01 no such sheet", &g, err, sizeof(err)) == -1);
	kbs_grid_free(&g);
	kbs_xlsx_close(x);
}

static void
parts(const uint8_t *data, size_t size, bool date1904)
{
	const char *p[3] = {"", "", ""};
	size_t		len[3] = {0, 0, 0};
	size_t		start = 0;
	int			k = 0;
	char	   *copy = malloc(size + 1);
	kbs_strings sst = {0};
	kbs_styles	st = {0};
	kbs_grid	g;
	char		err[512];
	bool		have_sst = false,
				have_st = false;

	CHECK(copy != NULL);
	memcpy(copy, data, size);
	copy[size] = '\0';
	for (size_t i = 0; i <= size && k < 3; i++)
		if (i == size || copy[i] == '\0')
		{
			p[k] = copy + start;
			len[k] = i - start;
			k++;
			start = i + 1;
		}
	err[0] = '\0';
	if (k > 1)
	{
		if (kbs_xlsx_parse_shared_strings(p[1], len[1], &sst, err, sizeof(err)) == 0)
		{
			have_sst = true;
			for (size_t i = 0; i < sst.n; i++)
				CHECK(sst.s[i] != NULL);
		}
		else
			CHECK(err[0] != '\0');
	}
	err[0] = '\0';
	if (k > 2)
	{
		if (kbs_xlsx_parse_styles(p[2], len[2], &st, err, sizeof(err)) == 0)
			have_st = true;
		else
			CHECK(err[0] != '\0');
	}
	kbs_grid_init(&g);
	err[0] = '\0';
	if (kbs_xlsx_parse_sheet(p[0], len[0], have_sst ? &sst : NULL, have_st ? &st : NULL, date1904, &g, err,
							 sizeof(err)) == 0)
		check_grid(&g);
	else
		CHECK(err[0] != '\0');
	kbs_grid_free(&g);
	/* the same text as a workbook part must fail or succeed, never crash */
	{
		kbs_workbook_info wb = {0};

		if (kbs_xlsx_parse_workbook(p[0], len[0], &wb, err, sizeof(err)) == 0)
		{
			CHECK(wb.n >= 1);
			if (k > 1 && kbs_xlsx_parse_rels(p[1], len[1], &wb, err, sizeof(err)) == 0)
				for (size_t i = 0; i < wb.n; i++)
					CHECK(wb.sheets[i].path != NULL);
		}
		kbs_workbook_info_free(&wb);
	}
	kbs_strings_free(&sst);
	kbs_styles_free(&st);
	free(copy);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 200000)
		return 0;
	if ((data[0] & 1) == 0)
		whole_workbook(data + 1, size - 1);
	else
		parts(data + 1, size - 1, (data[0] & 2) != 0);
	return 0;
}
