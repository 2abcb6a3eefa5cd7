/*
 * kbs_csv.h — small CSV reader for importing knowledge aspects.
 *
 * Pure C11, no PostgreSQL headers, no allocation: the caller passes the whole
 * input as bytes and a scratch buffer, and gets the records one at a time.
 *
 * Dialect (RFC 4180 plus the variants Excel and LibreOffice write):
 *   - The delimiter is ',' or ';' (Dutch Excel writes ';'), or any byte the
 *     caller chooses; with delim 0 it is detected from the first record.
 *   - A UTF-8 byte order mark at the very start is skipped.
 *   - A record ends at LF, CRLF or a lone CR; the last record needs no line
 *     terminator.
 *   - Blank lines (empty, or only spaces/tabs) are skipped.  A line holding
 *     only delimiters is not blank: ",," is one record of three empty fields.
 *   - A field may be quoted with '"'.  Inside quotes "" stands for one '"',
 *     and delimiters, CR and LF are literal (kept byte for byte, so a CRLF
 *     inside a quoted field stays CRLF).
 *   - Spaces/tabs may stand before an opening quote and between a closing
 *     quote and the delimiter or end of record; they are not part of the
 *     field.  Any other byte after a closing quote is an error.
 *   - A '"' inside an unquoted field is an error.
 *   - Unquoted fields are returned exactly as written, surrounding spaces
 *     included (the caller trims).
 *   - "a,,b" gives three fields, a trailing delimiter gives an empty last
 *     field ("a," gives "a" and "").
 *   - Bytes pass through untouched: the reader does not validate UTF-8
 *     (the caller checks the encoding, e.g. with pg_verifymbstr).  A NUL
 *     byte anywhere in a record is an error.
 *   (Spaces and tabs count as padding/blank only when they are not the
 *   delimiter, so a tab delimiter also works.)
 *
 * The reader never reads data[len] or beyond and never writes buf[bufcap] or
 * beyond, for any input.
 *
 * Typical use:
 *
 *     kbs_csv_reader r;
 *     kbs_csv_error  e;
 *     char   buf[8192];
 *     size_t off[16], len[16];
 *     int    n, line;
 *
 *     kbs_csv_init(&r, data, data_len, 0);
 *     while ((n = kbs_csv_next(&r, buf, sizeof buf, off, len, 16, &line, &e)) > 0)
 *         for (int i = 0; i < n; i++)
 *             use(buf + off[i], len[i]);        (NUL-terminated as well)
 *     if (n < 0)
 *         report(e.msg);                         (e.g. via ereport(ERROR, ...))
 */
#ifndef KBS_CSV_H
#define KBS_CSV_H

#include <stddef.h>

/* Size of kbs_csv_error.msg, terminating NUL included. */
#define KBS_CSV_MSG_SIZE 200

/*
 * What an error is about: the input itself, or the room the caller gave
 * (which a caller may enlarge and read the record again, see kbs_csv_next).
 */
typedef enum
{
	KBS_CSV_ERR_INPUT = 1,		/* malformed input */
	KBS_CSV_ERR_FIELDS,			/* a record has more than maxfields fields */
	KBS_CSV_ERR_LENGTH,			/* a record does not fit in bufcap bytes */
	KBS_CSV_ERR_ARGUMENT		/* an invalid argument to kbs_csv_next */
} kbs_csv_error_kind;

/*
 * An error found in the input.  msg is a NUL-terminated PostgreSQL-style
 * message (lower case, no trailing period) that names the line, e.g.
 *   unterminated quoted field starting on line 4
 *   unexpected character "x" after closing quote on line 2
 *   unexpected byte 0x01 after closing quote on line 2
 *   unexpected quote after closing quote on line 2
 *   unexpected quote in unquoted field on line 3
 *   line 7 has more than 16 fields
 *   field on line 3 is too long
 *   NUL byte on line 5
 * line is the same 1-based physical line as in msg; column is the 1-based
 * byte offset on that line (a BOM is not counted) of: the opening quote for
 * an unterminated field; the start of the offending field for "too long" and
 * "more than N fields" (0 for the latter if that field starts on a later
 * line than the record, after a quoted line break); the offending byte
 * otherwise.  kind is KBS_CSV_ERR_FIELDS for "more than N fields",
 * KBS_CSV_ERR_LENGTH for "too long", KBS_CSV_ERR_ARGUMENT for an invalid
 * argument and KBS_CSV_ERR_INPUT for everything else.
 */
typedef struct
{
	kbs_csv_error_kind kind;
	int			line;
	int			column;
	char		msg[KBS_CSV_MSG_SIZE];
} kbs_csv_error;

/*
 * Reader state.  data, len, pos (byte offset of the next unread byte),
 * line (1-based physical line of pos) and delim (the delimiter in use, after
 * detection) may be read by the caller; all fields are set by kbs_csv_init
 * and must not be changed by the caller.
 */
typedef struct
{
	const char *data;
	size_t		len;
	size_t		pos;
	int			line;
	char		delim;
	/* internal */
	size_t		line_start;		/* offset of the first byte of line `line` */
	int			failed;			/* an error was returned; it is sticky */
	kbs_csv_error error;		/* that error */
} kbs_csv_reader;

/*
 * Prepares r to read data[0 .. len-1] (data may be NULL when len is 0; the
 * bytes must stay valid and unchanged while r is used).  Skips a leading
 * UTF-8 BOM (EF BB BF).
 *
 * delim: the delimiter byte, or 0 to detect it from the first record (the
 * header, after skipping blank lines): ';' if that record contains a ';'
 * outside quotes before any ',' outside quotes, else ','.  A delim that
 * cannot be a delimiter ('"', CR, LF) is treated as 0.
 */
void		kbs_csv_init(kbs_csv_reader *r, const char *data, size_t len, char delim);

/*
 * Reads the next record.
 *
 * Returns the number of fields n (1 <= n <= maxfields), 0 at the end of the
 * input (and on every later call), or -1 on error.
 *
 * The fields are written unescaped into buf, one after another, each
 * followed by a NUL: field i is buf[field_off[i] .. field_off[i] +
 * field_len[i] - 1], buf[field_off[i] + field_len[i]] is '\0', field_off[0]
 * is 0 and field_off[i + 1] == field_off[i] + field_len[i] + 1.  So bufcap
 * bounds the whole record: the sum over its fields of (length + 1) must be
 * <= bufcap, else "field on line N is too long".  field_off and field_len
 * must each have room for maxfields entries; a record with more fields is an
 * error.  Since NUL bytes are rejected, the fields contain no NUL.
 *
 * *line_out (if line_out is not NULL) gets the 1-based physical line on
 * which the record starts; it is set when a record is found, also if
 * reading it then fails.
 *
 * On error *err (if err is not NULL) is filled and -1 is returned.  Errors
 * in the input are sticky: after one, every later call returns -1 with the
 * same error (there is no resynchronising after a broken record).  Invalid
 * arguments (r, buf, field_off or field_len NULL, bufcap 0, maxfields < 1)
 * return -1 with "invalid argument to kbs_csv_next" and leave r unchanged.
 *
 * Every call that returns n >= 1 consumes at least one byte (r->pos grows),
 * so a loop until the result is <= 0 terminates.
 *
 * Reading with more room: the reader holds no pointer into buf, field_off or
 * field_len, so a plain copy of *r taken before a call that fails with
 * KBS_CSV_ERR_FIELDS or KBS_CSV_ERR_LENGTH can be copied back and the call
 * repeated with a larger maxfields or bufcap.  It then returns what a reader
 * given that room from the start would return for that record (and goes on
 * from there), so a caller can grow its arrays as records demand.
 */
int			kbs_csv_next(kbs_csv_reader *r, char *buf, size_t bufcap,
						 size_t *field_off, size_t *field_len, int maxfields,
						 int *line_out, kbs_csv_error *err);

#endif							/* KBS_CSV_H */
