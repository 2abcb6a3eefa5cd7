#include "xlsx_write.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <xlsxwriter.h>

typedef struct formats
{
	lxw_format *title;
	lxw_format *label;
	lxw_format *info;
	lxw_format *head;
	lxw_format *head_name;
	lxw_format *code;
	lxw_format *ref;
	lxw_format *input;			/* unlocked input cells */
	lxw_format *text;
	lxw_format *wrap;
	lxw_format *number;
	lxw_format *date;
	lxw_format *suppressed;
} formats;

#define BORDER_GREY 0xBFBFBF

static lxw_format *
bordered(lxw_workbook *wb)
{
	lxw_format *f = workbook_add_format(wb);

	format_set_border(f, LXW_BORDER_THIN);
	format_set_border_color(f, BORDER_GREY);
	format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
	return f;
}

static void
make_formats(lxw_workbook *wb, formats *f)
{
	f->title = workbook_add_format(wb);
	format_set_bold(f->title);
	format_set_font_size(f->title, 14);
	f->label = workbook_add_format(wb);
	format_set_bold(f->label);
	f->info = workbook_add_format(wb);
	f->head = bordered(wb);
	format_set_bold(f->head);
	format_set_bg_color(f->head, 0xE7E6E6);
	format_set_text_wrap(f->head);
	f->head_name = bordered(wb);
	format_set_bg_color(f->head_name, 0xE7E6E6);
	format_set_text_wrap(f->head_name);
	f->code = bordered(wb);
	format_set_font_color(f->code, 0x595959);
	format_set_font_size(f->code, 9);
	format_set_bg_color(f->code, 0xF2F2F2);
	format_set_text_wrap(f->code);
	f->ref = bordered(wb);
	format_set_bold(f->ref);
	f->input = bordered(wb);
	format_set_unlocked(f->input);
	format_set_bg_color(f->input, 0xFFF9DB);
	format_set_align(f->input, LXW_ALIGN_CENTER);
	f->text = bordered(wb);
	f->wrap = bordered(wb);
	format_set_text_wrap(f->wrap);
	f->number = bordered(wb);
	f->date = bordered(wb);
	format_set_num_format(f->date, "dd-mm-yyyy");
	f->suppressed = bordered(wb);
	format_set_italic(f->suppressed);
	format_set_font_color(f->suppressed, 0x595959);
}

static lxw_format *
format_of(const formats *f, kbs_sheet_kind sheet, int kind, uint32_t col)
{
	switch (kind)
	{
		case KBS_K_TITLE: return f->title;
		case KBS_K_LABEL: return f->label;
		case KBS_K_INFO: return f->info;
		case KBS_K_HEAD: return f->head;
		case KBS_K_HEAD_NAME: return f->head_name;
		case KBS_K_CODE: return f->code;
		case KBS_K_REF: return f->ref;
		case KBS_K_LEVEL:
		case KBS_K_REQ_LEVEL:
		case KBS_K_REQ_MEMBERS:
		case KBS_K_REQ_IMPORTANCE: return f->input;
		case KBS_K_NUMBER: return f->number;
		case KBS_K_DATE: return f->date;
		case KBS_K_SUPPRESSED: return f->suppressed;
		default:
			/* long texts of the scale sheet wrap */
			return sheet == KBS_SHEET_SCALE && col >= 2 ? f->wrap : f->text;
	}
}

/* A whole number written by us ("3"); other text stays text. */
static bool
small_int(const char *s, double *v)
{
	size_t		n = strlen(s);

	if (n == 0 || n > 9 || strspn(s, "0123456789") != n)
		return false;
	*v = (double) strtol(s, NULL, 10);
	return true;
}

static bool
iso_date(const char *s, lxw_datetime *dt)
{
	int			y,
				m,
				d;

	if (!kbs_parse_date(s, &y, &m, &d))
		return false;
	memset(dt, 0, sizeof(*dt));
	dt->year = y;
	dt->month = m;
	dt->day = d;
	return true;
}

static lxw_error
write_cell(lxw_worksheet *ws, const formats *f, kbs_sheet_kind sheet, const kbs_cell *c)
{
	lxw_format *fmt = format_of(f, sheet, c->kind, c->col);
	double		v;
	lxw_datetime dt;

	if (c->value[0] == '\0')
		return worksheet_write_blank(ws, c->row, (lxw_col_t) c->col, fmt);
	switch (c->kind)
	{
		case KBS_K_LEVEL:
		case KBS_K_REQ_LEVEL:
		case KBS_K_REQ_MEMBERS:
		case KBS_K_REQ_IMPORTANCE:
			/* a spreadsheet program stores a picked level as a number too */
			if (small_int(c->value, &v))
				return worksheet_write_number(ws, c->row, (lxw_col_t) c->col, v, fmt);
			break;
		case KBS_K_NUMBER:
			{
				char	   *end;

				v = strtod(c->value, &end);
				if (*end == '\0')
					return worksheet_write_number(ws, c->row, (lxw_col_t) c->col, v, fmt);
				break;
			}
		case KBS_K_DATE:
			if (iso_date(c->value, &dt))
				return worksheet_write_datetime(ws, c->row, (lxw_col_t) c->col, &dt, fmt);
			break;
		default:
			break;
	}
	return worksheet_write_string(ws, c->row, (lxw_col_t) c->col, c->value, fmt);
}

static lxw_error
list_validation(lxw_worksheet *ws, const kbs_form_geom *g, uint32_t col, const char *const *items,
				const char *title, const char *message, const char *error_message)
{
	lxw_data_validation dv;
	char	   *list[8];
	size_t		i;

	memset(&dv, 0, sizeof(dv));
	for (i = 0; items[i] != NULL && i < 7; i++)
		list[i] = (char *) items[i];
	list[i] = NULL;
	dv.validate = LXW_VALIDATION_TYPE_LIST;
	dv.value_list = list;
	dv.input_title = (char *) title;
	dv.input_message = (char *) message;
	dv.error_title = (char *) "Ongeldige waarde";
	dv.error_message = (char *) error_message;
	return worksheet_data_validation_range(ws, g->first_data_row, (lxw_col_t) col, g->last_data_row,
										   (lxw_col_t) col, &dv);
}

static lxw_error
assessment_validation(lxw_worksheet *ws, const kbs_sheet_spec *s)
{
	static const char *const levels[] = {"0", "1", "2", "3", "4", "na", NULL};
	const kbs_form_geom *g = s->geom;
	lxw_data_validation dv;
	char	   *list[7];

	if (g->last_data_row < g->first_data_row)
		return LXW_NO_ERROR;
	memset(&dv, 0, sizeof(dv));
	for (int i = 0; i < 7; i++)
		list[i] = (char *) levels[i];
	dv.validate = LXW_VALIDATION_TYPE_LIST;
	dv.value_list = list;
	dv.input_title = (char *) s->input_title;
	dv.input_message = (char *) s->input_message;
	dv.error_title = (char *) "Ongeldig niveau";
	dv.error_message = (char *) "Kies 0, 1, 2, 3, 4 of na (niet van toepassing). Laat de cel leeg als die niet beoordeeld is.";
	return worksheet_data_validation_range(ws, g->first_data_row, (lxw_col_t) g->first_input_col,
										   g->last_data_row, (lxw_col_t) g->last_input_col, &dv);
}

static lxw_error
requirement_validation(lxw_worksheet *ws, const kbs_sheet_spec *s)
{
	static const char *const levels[] = {"1", "2", "3", "4", NULL};
	static const char *const importance[] = {"1", "2", "3", NULL};
	const kbs_form_geom *g = s->geom;
	lxw_data_validation dv;
	char		formula[256];
	char		c[4];
	lxw_error	e;

	if (g->last_data_row < g->first_data_row)
		return LXW_NO_ERROR;
	e = list_validation(ws, g, 1, levels, s->input_title, s->input_message,
						"Kies een niveau 1, 2, 3 of 4, of laat de cel leeg (geen eis).");
	if (e != LXW_NO_ERROR)
		return e;
	e = list_validation(ws, g, 3, importance, "Belang 1–3",
						"1: laag\n2: normaal (ook als de cel leeg is)\n3: hoog",
						"Kies een belang 1, 2 of 3, of laat de cel leeg (2).");
	if (e != LXW_NO_ERROR)
		return e;
	/* members: a whole number of at least 1, or iedereen / all; relative to the first cell */
	kbs_col_to_letters(2, c);
	snprintf(formula, sizeof(formula),
			 "=OR(%s%u=\"iedereen\",%s%u=\"all\",AND(ISNUMBER(%s%u),%s%u>=1,%s%u=INT(%s%u)))",
			 c, g->first_data_row + 1, c, g->first_data_row + 1, c, g->first_data_row + 1,
			 c, g->first_data_row + 1, c, g->first_data_row + 1, c, g->first_data_row + 1);
	memset(&dv, 0, sizeof(dv));
	dv.validate = LXW_VALIDATION_TYPE_CUSTOM_FORMULA;
	dv.value_formula = formula;
	dv.input_title = (char *) "Aantal leden";
	dv.input_message = (char *) "Hoeveel leden minstens het niveau moeten hebben: een getal (1, 2, ...), of iedereen (ieder lid).";
	dv.error_title = (char *) "Ongeldig aantal";
	dv.error_message = (char *) "Vul een geheel getal van minstens 1 in, of iedereen.";
	return worksheet_data_validation_range(ws, g->first_data_row, 2, g->last_data_row, 2, &dv);
}

static void
protect(lxw_worksheet *ws)
{
	lxw_protection p;

	/* Header rows and codes are locked; column widths and row heights may change. */
	memset(&p, 0, sizeof(p));
	p.format_columns = LXW_TRUE;
	p.format_rows = LXW_TRUE;
	worksheet_protect(ws, NULL, &p);
}

static lxw_error
lay_out(lxw_worksheet *ws, const kbs_sheet_spec *s)
{
	const kbs_form_geom *g = s->geom;
	lxw_error	e = LXW_NO_ERROR;

	switch (s->kind)
	{
		case KBS_SHEET_ASSESSMENT:
			worksheet_set_column(ws, 0, 0, 24, NULL);
			worksheet_set_column(ws, 1, (lxw_col_t) (g->ncols > 1 ? g->ncols - 1 : 1), 15, NULL);
			worksheet_set_row(ws, g->header_first_row + 2, 96, NULL);
			worksheet_freeze_panes(ws, g->first_data_row, 1);
			e = assessment_validation(ws, s);
			protect(ws);
			break;
		case KBS_SHEET_REQUIREMENT:
			worksheet_set_column(ws, 0, 0, 38, NULL);
			worksheet_set_column(ws, 1, 1, 13, NULL);
			worksheet_set_column(ws, 2, 2, 18, NULL);
			worksheet_set_column(ws, 3, 3, 13, NULL);
			worksheet_set_column(ws, 4, 4, 60, NULL);
			worksheet_set_column(ws, 5, 6, 24, NULL);
			worksheet_set_row(ws, g->header_first_row, 30, NULL);
			worksheet_freeze_panes(ws, g->first_data_row, 1);
			e = requirement_validation(ws, s);
			protect(ws);
			break;
		case KBS_SHEET_SCALE:
			worksheet_set_column(ws, 0, 1, 14, NULL);
			worksheet_set_column(ws, 2, 2, 26, NULL);
			worksheet_set_column(ws, 3, 4, 60, NULL);
			protect(ws);
			break;
		case KBS_SHEET_TABLE:
			worksheet_set_column(ws, 0, (lxw_col_t) (g->ncols > 0 ? g->ncols - 1 : 0), 20, NULL);
			worksheet_set_row(ws, g->header_first_row, 32, NULL);
			worksheet_freeze_panes(ws, g->first_data_row, 0);
			if (g->ncols > 0)
				e = worksheet_autofilter(ws, g->header_first_row, 0, g->last_data_row, (lxw_col_t) (g->ncols - 1));
			break;
	}
	return e;
}

int
kbs_xlsx_write(const char *path, const char *title, const kbs_sheet_spec *sheets, size_t n,
			   char *err, size_t errlen)
{
	lxw_workbook *wb = workbook_new(path);
	lxw_doc_properties props;
	formats		f;
	lxw_error	e;
	const char *sde = getenv("SOURCE_DATE_EPOCH");

	if (wb == NULL)
	{
		kbs_set_err(err, errlen, "kan de werkmap niet aanmaken");
		return -1;
	}
	memset(&props, 0, sizeof(props));
	props.title = (char *) title;
	props.author = (char *) "kennisbouwstenen";
	/* SOURCE_DATE_EPOCH makes workbooks reproducible, as the dashboards' pages. */
	if (sde != NULL && *sde != '\0')
	{
		char	   *end;
		long long	v = strtoll(sde, &end, 10);

		if (*end == '\0' && v > 0)
			props.created = (time_t) v;
	}
	workbook_set_properties(wb, &props);
	make_formats(wb, &f);
	for (size_t i = 0; i < n; i++)
	{
		const kbs_sheet_spec *s = &sheets[i];
		lxw_worksheet *ws = workbook_add_worksheet(wb, s->name);

		if (ws == NULL)
		{
			kbs_set_err(err, errlen, "kan blad \"%s\" niet aanmaken", s->name);
			workbook_close(wb);
			return -1;
		}
		for (size_t k = 0; k < s->grid->n; k++)
		{
			const kbs_cell *c = &s->grid->cells[k];

			e = write_cell(ws, &f, s->kind, c);
			if (e != LXW_NO_ERROR)
			{
				char		col[4];

				kbs_col_to_letters(c->col, col);
				kbs_set_err(err, errlen, "blad \"%s\", cel %s%u: %s", s->name, col, c->row + 1, lxw_strerror(e));
				workbook_close(wb);
				return -1;
			}
			if (s->kind == KBS_SHEET_TABLE && s->notes != NULL && c->kind == KBS_K_HEAD &&
				c->row == s->geom->header_first_row && s->notes[c->col] != NULL && s->notes[c->col][0] != '\0')
			{
				e = worksheet_write_comment(ws, c->row, (lxw_col_t) c->col, s->notes[c->col]);
				if (e != LXW_NO_ERROR)
				{
					kbs_set_err(err, errlen, "blad \"%s\": toelichting bij kolom %u: %s", s->name, c->col + 1,
							lxw_strerror(e));
					workbook_close(wb);
					return -1;
				}
			}
		}
		e = lay_out(ws, s);
		if (e != LXW_NO_ERROR)
		{
			kbs_set_err(err, errlen, "blad \"%s\": keuzelijsten: %s", s->name, lxw_strerror(e));
			workbook_close(wb);
			return -1;
		}
	}
	e = workbook_close(wb);
	if (e != LXW_NO_ERROR)
	{
		kbs_set_err(err, errlen, "kan de werkmap niet schrijven: %s", lxw_strerror(e));
		return -1;
	}
	return 0;
}
