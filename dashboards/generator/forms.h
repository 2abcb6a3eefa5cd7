/*
 * Pure parts of the forms: a sparse cell grid and its CSV text, spreadsheet
 * cell references, the values an .xlsx stores (numbers, date serials, escaped
 * strings), and the layout of the assessment form, the requirement sheet, the
 * scale sheet and the training demand sheet. No libpq, no files, no XML.
 * User-visible text is Dutch; codes stay as they are.
 */
#ifndef KBS_FORMS_H
#define KBS_FORMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "render.h"

/* The limits of a worksheet (Excel and LibreOffice alike). */
#define KBS_SHEET_MAX_ROWS 1048576u
#define KBS_SHEET_MAX_COLS 16384u

/* Column letters "A".."XFD" <-> 0-based index. Upper case only. */
bool		kbs_col_from_letters(const char *s, size_t n, uint32_t *col);
bool		kbs_col_to_letters(uint32_t col, char out[4]);

/* "B12" -> row 11, col 1 (0-based). Refuses "$B$12", row 0, and beyond the sheet. */
bool		kbs_cell_ref_parse(const char *s, uint32_t *row, uint32_t *col);

/*
 * One CSV field, RFC 4180: quoted when it holds , ; " CR or LF or starts or
 * ends with a space or tab (the extension's CSV reader keeps unquoted fields
 * as written and skips blank lines); "" inside quotes.
 */
bool		kbs_csv_field(kbs_buf *out, const char *s, size_t n);

/* What a cell of a generated sheet is; the .xlsx writer picks its format by kind. */
typedef enum kbs_cell_kind
{
	KBS_K_PLAIN = 0,			/* read from a file, or plain text */
	KBS_K_TITLE,
	KBS_K_LABEL,				/* "Team", "Peildatum", ... */
	KBS_K_INFO,					/* the value beside a label */
	KBS_K_HEAD,					/* Dutch header (ring, domain, column name) */
	KBS_K_HEAD_NAME,			/* Dutch block name above a level column */
	KBS_K_CODE,					/* the code row the importer reads: ref / block codes, block level ... */
	KBS_K_REF,					/* a member's ref */
	KBS_K_LEVEL,				/* an assessment level cell: unlocked, drop-down 0-4, na */
	KBS_K_REQ_LEVEL,			/* requirement level: unlocked, drop-down 1-4 */
	KBS_K_REQ_MEMBERS,			/* requirement members: unlocked, a number or iedereen */
	KBS_K_REQ_IMPORTANCE,		/* requirement importance: unlocked, drop-down 1-3 */
	KBS_K_TEXT,					/* locked text in a table */
	KBS_K_NUMBER,				/* a number (written as a number) */
	KBS_K_DATE,					/* an ISO date (written as a date) */
	KBS_K_SUPPRESSED			/* "onderdrukt" */
} kbs_cell_kind;

typedef struct kbs_cell
{
	uint32_t	row;			/* 0-based */
	uint32_t	col;
	int			kind;			/* kbs_cell_kind */
	char	   *value;			/* NUL-terminated, never NULL */
} kbs_cell;

/* A sparse grid of cells; added in any order, sorted by kbs_grid_sort. */
typedef struct kbs_grid
{
	kbs_cell   *cells;
	size_t		n;
	size_t		cap;
	bool		failed;			/* an allocation failed */
} kbs_grid;

void		kbs_grid_init(kbs_grid *g);
void		kbs_grid_free(kbs_grid *g);
bool		kbs_grid_add(kbs_grid *g, uint32_t row, uint32_t col, int kind, const char *s, size_t n);
bool		kbs_grid_adds(kbs_grid *g, uint32_t row, uint32_t col, int kind, const char *s);

/* Sorts by row, then column. Returns false if two cells share a position (*dup is one of them). */
bool		kbs_grid_sort(kbs_grid *g, size_t *dup);

/* The value at a position of a sorted grid, or NULL. */
const kbs_cell *kbs_grid_find(const kbs_grid *g, uint32_t row, uint32_t col);

/*
 * The grid as CSV text, comma-separated, LF line ends: every row that holds
 * a non-empty value, in order, each with as many fields as the rightmost
 * non-empty column of the whole grid (a rectangle, as spreadsheet programs
 * write it). Rows without any value are left out. The grid must be sorted.
 * Returns 0, or -1 with a Dutch message (too large: over max_bytes; memory).
 */
int			kbs_grid_to_csv(const kbs_grid *g, kbs_buf *out, size_t max_bytes, char *err, size_t errlen);

/*
 * CSV text (',' or ';', detected as the extension's importer does) into a
 * grid: record i is row i, empty fields are left out. Returns 0, or -1 with
 * a Dutch message naming the line.
 */
int			kbs_grid_from_csv(const char *data, size_t len, kbs_grid *out, char *err, size_t errlen);

/* A stored number as text: integral values without a fraction ("3.0" -> "3"); false if not a number. */
bool		kbs_number_text(const char *v, char *out, size_t outlen);

/*
 * A date serial of a date-formatted cell as ISO text: "2026-06-30", or with
 * the time "2026-06-30 12:30:00". Excel's 1900 system (with its 29 February
 * 1900) or the 1904 system. False outside 0..9999-12-31.
 */
bool		kbs_serial_to_date(double serial, bool date1904, char *out, size_t outlen);

/* Whether a number format shows a date or time: built-in id, or a format code. */
bool		kbs_numfmt_id_is_date(uint32_t id);
bool		kbs_numfmt_code_is_date(const char *code);

/* Undoes the _xHHHH_ escapes of OOXML strings (ST_Xstring); others are copied. */
bool		kbs_ooxml_unescape(kbs_buf *out, const char *s, size_t n);

/* Counts UTF-8 characters (continuation bytes are not counted). */
size_t		kbs_utf8_chars(const char *s, size_t n);

/* Dutch label of an assessment source (self, supervisor, peer, team); NULL if unknown. */
const char *kbs_source_label(const char *code);

/* Dutch label of an assessment status (draft, final); NULL if unknown. */
const char *kbs_status_label(const char *code);

/* ---- The assessment form ---- */

typedef struct kbs_form_block
{
	const char *code;
	const char *name;			/* Dutch */
	const char *ring;			/* Dutch ring name */
	const char *domain;			/* Dutch domain name, or "" */
	int			depth;			/* 0 block, 1 aspect, ... */
} kbs_form_block;

typedef struct kbs_form_info
{
	const char *team;			/* team name */
	int			team_id;
	const char *municipality;	/* name */
	const char *municipality_code;
	const char *peildatum;		/* YYYY-MM-DD */
	const char *source;			/* code: self, supervisor, peer, team */
} kbs_form_info;

/* Where the parts of a generated sheet are (0-based, inclusive). */
typedef struct kbs_form_geom
{
	uint32_t	header_first_row;	/* first Dutch header row */
	uint32_t	code_row;			/* the row the importer reads */
	uint32_t	first_data_row;
	uint32_t	last_data_row;		/* < first_data_row when there are no data rows */
	uint32_t	first_input_col;
	uint32_t	last_input_col;
	uint32_t	ncols;
} kbs_form_geom;

/*
 * The assessment sheet: title and info rows (team, municipality, peildatum,
 * source, how to fill in), the Dutch header rows (ring, domain, block name),
 * the code row ("ref" and the block codes, in the given order), then one row
 * per member with the ref and an empty level cell per block.
 */
int			kbs_form_assessment(const kbs_form_info *info, const kbs_form_block *blocks, size_t nblocks,
								const char *const *refs, size_t nrefs, kbs_grid *out, kbs_form_geom *geom,
								char *err, size_t errlen);

typedef struct kbs_form_req_row
{
	kbs_form_block block;
	int			level;			/* 1-4, 0 = no requirement */
	int			members;		/* > 0: a number of members */
	bool		every;			/* every member ("iedereen") */
	int			importance;		/* 1-3 */
	bool		retired;		/* a retired block the current requirement still names */
} kbs_form_req_row;

/*
 * The requirement sheet (Benodigd): title and info rows, a Dutch header row,
 * the code row "block, level, members, importance" (then the block's Dutch
 * name, ring and domain, which are not read back), one row per block.
 * basis says where the pre-filled values come from.
 */
int			kbs_form_requirement(const kbs_form_info *info, const char *basis, const kbs_form_req_row *rows,
								 size_t nrows, kbs_grid *out, kbs_form_geom *geom, char *err, size_t errlen);

typedef struct kbs_scale_entry
{
	const char *code;			/* 0-4, na, not_assessed */
	const char *label;
	const char *anchor;
	const char *meaning;
} kbs_scale_entry;

/* The scale sheet (Schaal): one row per scale entry, with what to type for it. */
int			kbs_form_scale(const kbs_scale_entry *scale, size_t n, kbs_grid *out, kbs_form_geom *geom,
						   char *err, size_t errlen);

/*
 * The input message of a level drop-down, at most maxchars characters: the
 * scale's anchors for the levels from min_level up (and na and empty when
 * with_na), shortened step by step (label and anchor, anchor, anchors of the
 * levels only, labels only, cut) until it fits.
 */
bool		kbs_form_input_message(const kbs_scale_entry *scale, size_t n, int min_level, bool with_na,
								   size_t maxchars, kbs_buf *out);

/*
 * From a sheet read back (sorted grid): the requirement as the importer's CSV.
 * The header is the first row whose first cell is "block"; its columns block,
 * level, members and importance (in any order, other columns ignored) are
 * copied for every later row with a value in one of them.
 */
int			kbs_requirement_csv(const kbs_grid *g, kbs_buf *out, char *err, size_t errlen);

/* The row whose first cell is "ref" (the assessment header), or false. */
bool		kbs_find_code_row(const kbs_grid *g, const char *first, uint32_t *row);

/* ---- Training demand ---- */

typedef enum kbs_col_type
{
	KBS_COL_TEXT,
	KBS_COL_NUMBER,
	KBS_COL_DATE,
	KBS_COL_BOOL
} kbs_col_type;

typedef struct kbs_table_col
{
	const char *name;			/* column name in the view */
	const char *comment;		/* Dutch column comment, or NULL */
	kbs_col_type type;
} kbs_table_col;

/* Columns a trainer does not need (sort keys, the municipality shown in the title). */
bool		kbs_training_hidden(const char *name);

/*
 * A short Dutch header: the column comment's first clause when it is short,
 * else a label for a known column name, else the clause cut at a space, else
 * the name.
 */
bool		kbs_training_label(const char *name, const char *comment, kbs_buf *out);

/*
 * The training demand sheet: title, info rows, one header row, then one row
 * per view row (values[r * ncols + c], NULL = SQL NULL). Hidden columns are
 * left out; in a row whose "suppressed" column is true a NULL is shown as
 * "onderdrukt"; booleans as ja/nee.
 */
int			kbs_training_sheet(const char *municipality, const char *municipality_code, const char *made_on,
							   const kbs_table_col *cols, size_t ncols, const char *const *values, size_t nrows,
							   kbs_grid *out, kbs_form_geom *geom, char *err, size_t errlen);

#endif
