/*
 * Reading a worksheet of an .xlsx workbook back as a grid of text values.
 * The zip container is read with libzip, the XML parts with libxml2's
 * streaming reader (no DTDs, no network, no entity expansion). No libpq.
 *
 * Values come back as a spreadsheet program shows them in CSV: shared and
 * inline strings as text (_xHHHH_ escapes undone, phonetic runs left out),
 * numbers without a needless fraction ("3", not "3.0"), date-formatted
 * numbers as ISO dates, booleans as TRUE/FALSE, errors as their code.
 * Empty cells and cells the XML leaves out are empty.
 */
#ifndef KBS_XLSX_READ_H
#define KBS_XLSX_READ_H

#include <stdbool.h>
#include <stddef.h>

#include "forms.h"

/* The largest part of a workbook we read, uncompressed. */
#define KBS_XLSX_MAX_PART (64u * 1024u * 1024u)

typedef struct kbs_strings
{
	char	  **s;
	size_t		n;
	size_t		cap;
} kbs_strings;

void		kbs_strings_free(kbs_strings *t);

/* Per cell format (cellXfs index): whether it shows a date or time. */
typedef struct kbs_styles
{
	bool	   *is_date;
	size_t		n;
} kbs_styles;

void		kbs_styles_free(kbs_styles *st);

typedef struct kbs_sheet_ref
{
	char	   *name;
	char	   *rid;
	char	   *path;			/* zip entry, from the workbook's relationships */
} kbs_sheet_ref;

typedef struct kbs_workbook_info
{
	kbs_sheet_ref *sheets;
	size_t		n;
	bool		date1904;
} kbs_workbook_info;

void		kbs_workbook_info_free(kbs_workbook_info *wb);

/*
 * The part parsers. Each returns 0, or -1 with a Dutch message naming the
 * part (and the line of an XML error).
 */
int			kbs_xlsx_parse_shared_strings(const char *xml, size_t len, kbs_strings *out,
										  char *err, size_t errlen);
int			kbs_xlsx_parse_styles(const char *xml, size_t len, kbs_styles *out, char *err, size_t errlen);
int			kbs_xlsx_parse_workbook(const char *xml, size_t len, kbs_workbook_info *out,
									char *err, size_t errlen);
/* Fills the path of every sheet of wb from xl/_rels/workbook.xml.rels. */
int			kbs_xlsx_parse_rels(const char *xml, size_t len, kbs_workbook_info *wb, char *err, size_t errlen);

/*
 * A worksheet part into out (sorted by row and column; empty cells are left
 * out). sst and styles may be NULL (no shared strings, no date formats).
 */
int			kbs_xlsx_parse_sheet(const char *xml, size_t len, const kbs_strings *sst, const kbs_styles *styles,
								 bool date1904, kbs_grid *out, char *err, size_t errlen);

/* An opened workbook. */
typedef struct kbs_xlsx kbs_xlsx;

kbs_xlsx   *kbs_xlsx_open(const char *path, char *err, size_t errlen);
kbs_xlsx   *kbs_xlsx_open_buffer(const void *data, size_t len, char *err, size_t errlen);
void		kbs_xlsx_close(kbs_xlsx *x);
size_t		kbs_xlsx_sheet_count(const kbs_xlsx *x);
const char *kbs_xlsx_sheet_name(const kbs_xlsx *x, size_t i);

/* Sheet by name (exact, else ignoring ASCII case), or the first sheet when name is NULL. */
int			kbs_xlsx_read_sheet(kbs_xlsx *x, const char *name, kbs_grid *out, char *err, size_t errlen);

#endif
