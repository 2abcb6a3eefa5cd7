/*
 * Pure parts of the dashboard generator: growable buffer, escaping for the
 * places where database text lands in a page, the one-pass template fill and
 * the command-line value parsers. No libpq, no I/O.
 */
#ifndef KBS_RENDER_H
#define KBS_RENDER_H

#include <stdbool.h>
#include <stddef.h>

typedef struct kbs_buf
{
	char	   *data;
	size_t		len;
	size_t		cap;
	bool		failed;			/* an allocation failed; data is unusable */
} kbs_buf;

void		kbs_buf_init(kbs_buf *b);
void		kbs_buf_free(kbs_buf *b);
bool		kbs_buf_append(kbs_buf *b, const char *s, size_t n);

/* An error message into err (errlen bytes, NULL or 0: none wanted), as snprintf writes it. */
void		kbs_set_err(char *err, size_t errlen, const char *fmt,...) __attribute__((format(printf, 3, 4)));

/* Text inside an HTML element or a double-quoted attribute value. */
bool		kbs_escape_html(kbs_buf *out, const char *s, size_t n);

/*
 * JSON text placed inside <script type="application/json">: < > & and the
 * line separators U+2028/U+2029 become \u escapes, so the text can never end
 * the element; JSON.parse yields the same value. Valid only for JSON text.
 */
bool		kbs_escape_script_json(kbs_buf *out, const char *s, size_t n);

/*
 * JavaScript source placed inside <script>: "</script" and "<!--" (any case)
 * are broken with a backslash, which JavaScript strings, regular expressions
 * and comments read unchanged.
 */
bool		kbs_escape_script_js(kbs_buf *out, const char *s, size_t n);

/* CSS inside <style>: refused (false) when it contains "</style" in any case. */
bool		kbs_css_is_safe(const char *s, size_t n);

typedef enum kbs_escape
{
	KBS_ESC_NONE,				/* trusted text, copied as is */
	KBS_ESC_HTML,
	KBS_ESC_JSON,
	KBS_ESC_JS
} kbs_escape;

typedef struct kbs_slot
{
	const char *name;			/* placeholder @@name@@ */
	const char *value;
	size_t		len;
	kbs_escape	escape;
} kbs_slot;

/*
 * Replaces every @@NAME@@ of the template in one pass: inserted values are
 * never scanned again, so data that looks like a placeholder stays data.
 * Returns 0, or -1 with a message in err (unknown placeholder, unterminated
 * placeholder, out of memory).
 */
int			kbs_template_fill(kbs_buf *out, const char *tmpl, size_t n,
							  const kbs_slot *slots, int nslots, char *err, size_t errlen);

/* Strict YYYY-MM-DD with a real calendar day (years 1900-9999). */
bool		kbs_parse_date(const char *s, int *year, int *month, int *day);

/* A positive decimal team number without sign, spaces or leading zeros' ambiguity; 1..2147483647. */
bool		kbs_parse_team_id(const char *s, int *id);

/* A CBS municipality code: "GM" followed by four digits. */
bool		kbs_valid_municipality_code(const char *s);

#endif
