/*
 * Writing the forms and the training demand as .xlsx with libxlsxwriter: the
 * grids laid out by forms.c, formatted by cell kind, with drop-downs, input
 * messages and sheet protection. No libpq.
 */
#ifndef KBS_XLSX_WRITE_H
#define KBS_XLSX_WRITE_H

#include <stddef.h>

#include "forms.h"

typedef enum kbs_sheet_kind
{
	KBS_SHEET_ASSESSMENT,		/* level cells: drop-down 0-4, na */
	KBS_SHEET_REQUIREMENT,		/* level 1-4, members, importance 1-3 */
	KBS_SHEET_SCALE,
	KBS_SHEET_TABLE				/* a plain table with a filter (training demand) */
} kbs_sheet_kind;

typedef struct kbs_sheet_spec
{
	const char *name;
	kbs_sheet_kind kind;
	const kbs_grid *grid;
	const kbs_form_geom *geom;
	const char *input_title;	/* level drop-down: title and message (anchors) */
	const char *input_message;
	const char *const *notes;	/* KBS_SHEET_TABLE: a note per header column, or NULL */
} kbs_sheet_spec;

/*
 * Writes the sheets to path (overwriting it). Returns 0, or -1 with a Dutch
 * message in err. The caller writes to a temporary name and renames.
 */
int			kbs_xlsx_write(const char *path, const char *title, const kbs_sheet_spec *sheets, size_t n,
						   char *err, size_t errlen);

#endif
