#include "xlsx_read.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/xmlreader.h>
#include <zip.h>

/* ---- the XML reader, with errors caught instead of printed ---- */

typedef struct xml_in
{
	xmlTextReaderPtr r;
	const char *part;
	char		msg[200];
	int			line;
	bool		failed;
} xml_in;

static void
xml_error(void *arg, xmlErrorPtr e)
{
	xml_in	   *in = arg;

	if (e == NULL || e->level < XML_ERR_ERROR || in->failed)
		return;
	in->failed = true;
	in->line = e->line;
	snprintf(in->msg, sizeof(in->msg), "%s", e->message ? e->message : "?");
	/* libxml2's messages end with a line break */
	in->msg[strcspn(in->msg, "\r\n")] = '\0';
}

static void
xml_silent(void *ctx, const char *msg,...)
{
	(void) ctx;
	(void) msg;
}

static bool
xml_open(xml_in *in, const char *xml, size_t len, const char *part, char *err, size_t errlen)
{
	static bool initialised = false;

	if (!initialised)
	{
		xmlInitParser();
		/* Nothing from libxml2 goes to stderr: errors are reported by us. */
		xmlSetGenericErrorFunc(NULL, xml_silent);
		initialised = true;
	}
	memset(in, 0, sizeof(*in));
	in->part = part;
	if (len > INT_MAX)
	{
		kbs_set_err(err, errlen, "onderdeel %s is te groot", part);
		return false;
	}
	/* No network, no DTD loading, no entity substitution. */
	in->r = xmlReaderForMemory(xml, (int) len, NULL, NULL, XML_PARSE_NONET | XML_PARSE_NOWARNING | XML_PARSE_NOERROR);
	if (in->r == NULL)
	{
		kbs_set_err(err, errlen, "onderdeel %s: kan de XML niet lezen", part);
		return false;
	}
	xmlTextReaderSetStructuredErrorHandler(in->r, xml_error, in);
	return true;
}

/* Next node: 1, 0 at the end, -1 on an error (message in err). */
static int
xml_next(xml_in *in, char *err, size_t errlen)
{
	int			rc = xmlTextReaderRead(in->r);

	if (rc == 1 && xmlTextReaderNodeType(in->r) == XML_READER_TYPE_DOCUMENT_TYPE)
	{
		kbs_set_err(err, errlen, "onderdeel %s bevat een DTD; dat hoort niet in een xlsx-bestand", in->part);
		return -1;
	}
	if (rc < 0 || in->failed)
	{
		if (in->failed)
			kbs_set_err(err, errlen, "onderdeel %s is geen geldige XML (regel %d: %s)", in->part, in->line, in->msg);
		else
			kbs_set_err(err, errlen, "onderdeel %s is geen geldige XML", in->part);
		return -1;
	}
	return rc;
}

static void
xml_close(xml_in *in)
{
	if (in->r)
		xmlFreeTextReader(in->r);
	in->r = NULL;
}

static int
node_type(xml_in *in)
{
	return xmlTextReaderNodeType(in->r);
}

static bool
is_elem(xml_in *in, const char *local)
{
	const xmlChar *n = xmlTextReaderConstLocalName(in->r);

	return n != NULL && strcmp((const char *) n, local) == 0;
}

static bool
is_text(int type)
{
	return type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA ||
		type == XML_READER_TYPE_WHITESPACE || type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE;
}

/* An attribute without namespace, malloc'd, or NULL. */
static char *
attr(xml_in *in, const char *name)
{
	xmlChar    *v = xmlTextReaderGetAttribute(in->r, (const xmlChar *) name);
	char	   *s;

	if (v == NULL)
		return NULL;
	s = strdup((const char *) v);
	xmlFree(v);
	return s;
}

/* The relationship id of a <sheet>: attribute "id" in a relationships namespace. */
static char *
rel_id_attr(xml_in *in)
{
	char	   *found = NULL;

	if (xmlTextReaderMoveToFirstAttribute(in->r) != 1)
		return NULL;
	do
	{
		const xmlChar *ln = xmlTextReaderConstLocalName(in->r);
		const xmlChar *ns = xmlTextReaderConstNamespaceUri(in->r);
		size_t		nl = ns ? strlen((const char *) ns) : 0;

		if (ln && strcmp((const char *) ln, "id") == 0 && nl >= 13 &&
			strcmp((const char *) ns + nl - 13, "relationships") == 0)
		{
			const xmlChar *v = xmlTextReaderConstValue(in->r);

			free(found);
			found = strdup(v ? (const char *) v : "");
		}
	} while (xmlTextReaderMoveToNextAttribute(in->r) == 1);
	xmlTextReaderMoveToElement(in->r);
	return found;
}

static bool
text_append(xml_in *in, kbs_buf *b)
{
	const xmlChar *v = xmlTextReaderConstValue(in->r);

	return v == NULL || kbs_buf_append(b, (const char *) v, strlen((const char *) v));
}

static void
buf_reset(kbs_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

/* ---- shared strings ---- */

void
kbs_strings_free(kbs_strings *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->s[i]);
	free(t->s);
	t->s = NULL;
	t->n = t->cap = 0;
}

static bool
strings_push(kbs_strings *t, const char *s, size_t n)
{
	kbs_buf		u;

	if (t->n == t->cap)
	{
		size_t		cap = t->cap ? t->cap * 2 : 64;
		char	  **p = realloc(t->s, cap * sizeof(char *));

		if (p == NULL)
			return false;
		t->s = p;
		t->cap = cap;
	}
	kbs_buf_init(&u);
	if (!kbs_ooxml_unescape(&u, s, n))
	{
		kbs_buf_free(&u);
		return false;
	}
	t->s[t->n++] = u.data;
	return true;
}

int
kbs_xlsx_parse_shared_strings(const char *xml, size_t len, kbs_strings *out, char *err, size_t errlen)
{
	const char *part = "xl/sharedStrings.xml";
	xml_in		in;
	kbs_buf		b;
	bool		in_si = false;
	bool		in_t = false;
	int			skip_depth = -1;	/* inside <rPh> (phonetic text), skipped */
	int			rc;

	kbs_buf_init(&b);
	if (!xml_open(&in, xml, len, part, err, errlen))
		return -1;
	while ((rc = xml_next(&in, err, errlen)) == 1)
	{
		int			t = node_type(&in);
		int			depth = xmlTextReaderDepth(in.r);

		if (t == XML_READER_TYPE_ELEMENT)
		{
			bool		empty = xmlTextReaderIsEmptyElement(in.r) == 1;

			if (is_elem(&in, "si"))
			{
				buf_reset(&b);
				if (empty)
				{
					if (!strings_push(out, "", 0))
						goto oom;
				}
				else
					in_si = true;
			}
			else if (in_si && skip_depth < 0 && is_elem(&in, "rPh") && !empty)
				skip_depth = depth;
			else if (in_si && skip_depth < 0 && is_elem(&in, "t") && !empty)
				in_t = true;
		}
		else if (t == XML_READER_TYPE_END_ELEMENT)
		{
			if (skip_depth >= 0)
			{
				if (depth == skip_depth)
					skip_depth = -1;
			}
			else if (is_elem(&in, "t"))
				in_t = false;
			else if (is_elem(&in, "si") && in_si)
			{
				if (!strings_push(out, b.data ? b.data : "", b.len))
					goto oom;
				in_si = false;
			}
		}
		else if (is_text(t) && in_si && in_t && skip_depth < 0)
		{
			if (!text_append(&in, &b))
				goto oom;
		}
	}
	xml_close(&in);
	kbs_buf_free(&b);
	return rc == 0 ? 0 : -1;
oom:
	xml_close(&in);
	kbs_buf_free(&b);
	kbs_set_err(err, errlen, "onvoldoende geheugen");
	return -1;
}

/* ---- styles: which cell formats are dates ---- */

void
kbs_styles_free(kbs_styles *st)
{
	free(st->is_date);
	st->is_date = NULL;
	st->n = 0;
}

static bool
parse_u32(const char *s, uint32_t *v)
{
	uint64_t	x = 0;

	if (s == NULL || *s == '\0' || strlen(s) > 10)
		return false;
	for (const char *p = s; *p; p++)
	{
		if (*p < '0' || *p > '9')
			return false;
		x = x * 10 + (uint64_t) (*p - '0');
	}
	if (x > UINT32_MAX)
		return false;
	*v = (uint32_t) x;
	return true;
}

typedef struct numfmt
{
	uint32_t	id;
	bool		is_date;
} numfmt;

int
kbs_xlsx_parse_styles(const char *xml, size_t len, kbs_styles *out, char *err, size_t errlen)
{
	const char *part = "xl/styles.xml";
	xml_in		in;
	numfmt	   *fmts = NULL;
	size_t		nfmts = 0,
				capfmts = 0,
				capxf = 0;
	int			xfs_depth = -1;
	int			rc;

	if (!xml_open(&in, xml, len, part, err, errlen))
		return -1;
	while ((rc = xml_next(&in, err, errlen)) == 1)
	{
		int			t = node_type(&in);
		int			depth = xmlTextReaderDepth(in.r);

		if (t == XML_READER_TYPE_ELEMENT)
		{
			if (is_elem(&in, "numFmt"))
			{
				char	   *id = attr(&in, "numFmtId");
				char	   *code = attr(&in, "formatCode");
				uint32_t	v;

				if (parse_u32(id, &v))
				{
					if (nfmts == capfmts)
					{
						size_t		cap = capfmts ? capfmts * 2 : 16;
						numfmt	   *p = realloc(fmts, cap * sizeof(numfmt));

						if (p == NULL)
						{
							free(id);
							free(code);
							goto oom;
						}
						fmts = p;
						capfmts = cap;
					}
					fmts[nfmts].id = v;
					fmts[nfmts].is_date = kbs_numfmt_code_is_date(code);
					nfmts++;
				}
				free(id);
				free(code);
			}
			else if (is_elem(&in, "cellXfs") && xmlTextReaderIsEmptyElement(in.r) != 1)
				xfs_depth = depth;
			else if (xfs_depth >= 0 && depth == xfs_depth + 1 && is_elem(&in, "xf"))
			{
				char	   *id = attr(&in, "numFmtId");
				uint32_t	v = 0;
				bool		date = false;

				if (parse_u32(id, &v))
				{
					bool		custom = false;

					/* a format the workbook defines wins over a built-in id */
					for (size_t i = 0; i < nfmts; i++)
						if (fmts[i].id == v)
						{
							custom = true;
							date = fmts[i].is_date;
						}
					if (!custom)
						date = kbs_numfmt_id_is_date(v);
				}
				free(id);
				if (out->n == capxf)
				{
					size_t		cap = capxf ? capxf * 2 : 16;
					bool	   *p = realloc(out->is_date, cap * sizeof(bool));

					if (p == NULL)
						goto oom;
					out->is_date = p;
					capxf = cap;
				}
				out->is_date[out->n++] = date;
			}
		}
		else if (t == XML_READER_TYPE_END_ELEMENT && xfs_depth >= 0 && depth == xfs_depth)
			xfs_depth = -1;
	}
	xml_close(&in);
	free(fmts);
	return rc == 0 ? 0 : -1;
oom:
	xml_close(&in);
	free(fmts);
	kbs_set_err(err, errlen, "onvoldoende geheugen");
	return -1;
}

/* ---- workbook and relationships ---- */

void
kbs_workbook_info_free(kbs_workbook_info *wb)
{
	for (size_t i = 0; i < wb->n; i++)
	{
		free(wb->sheets[i].name);
		free(wb->sheets[i].rid);
		free(wb->sheets[i].path);
	}
	free(wb->sheets);
	wb->sheets = NULL;
	wb->n = 0;
}

int
kbs_xlsx_parse_workbook(const char *xml, size_t len, kbs_workbook_info *out, char *err, size_t errlen)
{
	const char *part = "xl/workbook.xml";
	xml_in		in;
	size_t		cap = 0;
	int			rc;

	if (!xml_open(&in, xml, len, part, err, errlen))
		return -1;
	while ((rc = xml_next(&in, err, errlen)) == 1)
	{
		if (node_type(&in) != XML_READER_TYPE_ELEMENT)
			continue;
		if (is_elem(&in, "workbookPr"))
		{
			char	   *v = attr(&in, "date1904");

			out->date1904 = v != NULL && (strcmp(v, "1") == 0 || strcmp(v, "true") == 0);
			free(v);
		}
		else if (is_elem(&in, "sheet"))
		{
			char	   *name = attr(&in, "name");
			char	   *rid = rel_id_attr(&in);

			if (name == NULL || rid == NULL)
			{
				free(name);
				free(rid);
				xml_close(&in);
				kbs_set_err(err, errlen, "onderdeel %s: een blad zonder naam of verwijzing", part);
				return -1;
			}
			if (out->n == cap)
			{
				size_t		c = cap ? cap * 2 : 8;
				kbs_sheet_ref *p = realloc(out->sheets, c * sizeof(kbs_sheet_ref));

				if (p == NULL)
				{
					free(name);
					free(rid);
					goto oom;
				}
				out->sheets = p;
				cap = c;
			}
			out->sheets[out->n].name = name;
			out->sheets[out->n].rid = rid;
			out->sheets[out->n].path = NULL;
			out->n++;
		}
	}
	xml_close(&in);
	if (rc != 0)
		return -1;
	if (out->n == 0)
	{
		kbs_set_err(err, errlen, "de werkmap heeft geen bladen");
		return -1;
	}
	return 0;
oom:
	xml_close(&in);
	kbs_set_err(err, errlen, "onvoldoende geheugen");
	return -1;
}

/* A relationship target, relative to xl/ unless absolute, with . and .. resolved. */
static char *
resolve_target(const char *target)
{
	size_t		n = strlen(target);
	char	   *joined = malloc(n + 4);
	char	   *out;
	size_t		o = 0;
	const char *p;

	if (joined == NULL)
		return NULL;
	if (target[0] == '/')
		snprintf(joined, n + 4, "%s", target + 1);
	else
		snprintf(joined, n + 4, "xl/%s", target);
	out = malloc(strlen(joined) + 1);
	if (out == NULL)
	{
		free(joined);
		return NULL;
	}
	p = joined;
	while (*p)
	{
		size_t		seg = strcspn(p, "/");

		if (seg == 0 || (seg == 1 && p[0] == '.'))
			;					/* empty or "." segment */
		else if (seg == 2 && p[0] == '.' && p[1] == '.')
		{
			while (o > 0 && out[o - 1] != '/')
				o--;
			if (o > 0)
				o--;			/* the slash before the dropped segment */
		}
		else
		{
			if (o > 0)
				out[o++] = '/';
			memcpy(out + o, p, seg);
			o += seg;
		}
		p += seg;
		if (*p == '/')
			p++;
	}
	out[o] = '\0';
	free(joined);
	return out;
}

int
kbs_xlsx_parse_rels(const char *xml, size_t len, kbs_workbook_info *wb, char *err, size_t errlen)
{
	const char *part = "xl/_rels/workbook.xml.rels";
	xml_in		in;
	int			rc;

	if (!xml_open(&in, xml, len, part, err, errlen))
		return -1;
	while ((rc = xml_next(&in, err, errlen)) == 1)
	{
		char	   *id,
				   *target;

		if (node_type(&in) != XML_READER_TYPE_ELEMENT || !is_elem(&in, "Relationship"))
			continue;
		id = attr(&in, "Id");
		target = attr(&in, "Target");
		for (size_t i = 0; id && target && i < wb->n; i++)
			if (wb->sheets[i].path == NULL && strcmp(wb->sheets[i].rid, id) == 0)
			{
				wb->sheets[i].path = resolve_target(target);
				if (wb->sheets[i].path == NULL)
				{
					free(id);
					free(target);
					xml_close(&in);
					kbs_set_err(err, errlen, "onvoldoende geheugen");
					return -1;
				}
			}
		free(id);
		free(target);
	}
	xml_close(&in);
	if (rc != 0)
		return -1;
	for (size_t i = 0; i < wb->n; i++)
		if (wb->sheets[i].path == NULL)
		{
			kbs_set_err(err, errlen, "blad \"%s\" verwijst naar %s, maar die verwijzing ontbreekt in %s",
					wb->sheets[i].name, wb->sheets[i].rid, part);
			return -1;
		}
	return 0;
}

/* ---- a worksheet ---- */

typedef struct cell_state
{
	uint32_t	row;
	uint32_t	col;
	char	   *type;			/* attribute t, or NULL */
	uint32_t	style;
	bool		has_style;
	kbs_buf		v;				/* text of <v> */
	kbs_buf		is;				/* text of <is><t> */
} cell_state;

/* The cell's value as text into out; false with a message on a broken reference. */
static bool
cell_value(const cell_state *c, const kbs_strings *sst, const kbs_styles *styles, bool date1904,
		   kbs_buf *out, char *err, size_t errlen)
{
	const char *v = c->v.data ? c->v.data : "";
	const char *t = c->type ? c->type : "n";
	char		ref[4];
	char		num[64];

	kbs_col_to_letters(c->col, ref);
	if (strcmp(t, "s") == 0)
	{
		uint32_t	idx;

		if (!parse_u32(v, &idx))
		{
			kbs_set_err(err, errlen, "cel %s%u: \"%s\" is geen nummer van een gedeelde tekst", ref, c->row + 1, v);
			return false;
		}
		if (sst == NULL || idx >= sst->n)
		{
			kbs_set_err(err, errlen, "cel %s%u verwijst naar gedeelde tekst %u, maar er zijn er %zu",
					ref, c->row + 1, idx, sst ? sst->n : 0);
			return false;
		}
		return kbs_buf_append(out, sst->s[idx], strlen(sst->s[idx]));
	}
	if (strcmp(t, "inlineStr") == 0)
		return kbs_ooxml_unescape(out, c->is.data ? c->is.data : "", c->is.len);
	if (strcmp(t, "str") == 0)
		return kbs_ooxml_unescape(out, v, c->v.len);
	if (strcmp(t, "b") == 0)
	{
		const char *s = strcmp(v, "1") == 0 ? "TRUE" : strcmp(v, "0") == 0 ? "FALSE" : v;

		return kbs_buf_append(out, s, strlen(s));
	}
	if (strcmp(t, "n") == 0 && v[0] != '\0')
	{
		if (c->has_style && styles != NULL && c->style < styles->n && styles->is_date[c->style] &&
			kbs_number_text(v, num, sizeof(num)) &&
			kbs_serial_to_date(strtod(v, NULL), date1904, num, sizeof(num)))
			return kbs_buf_append(out, num, strlen(num));
		if (kbs_number_text(v, num, sizeof(num)))
			return kbs_buf_append(out, num, strlen(num));
	}
	/* errors (t="e"), ISO dates (t="d") and anything else: as stored */
	return kbs_buf_append(out, v, c->v.len);
}

int
kbs_xlsx_parse_sheet(const char *xml, size_t len, const kbs_strings *sst, const kbs_styles *styles,
					 bool date1904, kbs_grid *out, char *err, size_t errlen)
{
	xml_in		in;
	int			rc;
	bool		in_data = false,
				in_row = false,
				in_cell = false,
				in_v = false,
				in_is = false,
				in_t = false;
	int			skip_depth = -1;
	bool		have_row = false;
	uint32_t	row = 0,
				next_col = 0;
	cell_state	c;
	kbs_buf		val;
	size_t		dup;

	memset(&c, 0, sizeof(c));
	kbs_buf_init(&c.v);
	kbs_buf_init(&c.is);
	kbs_buf_init(&val);
	if (!xml_open(&in, xml, len, "het werkblad", err, errlen))
		return -1;
	while ((rc = xml_next(&in, err, errlen)) == 1)
	{
		int			t = node_type(&in);
		int			depth = xmlTextReaderDepth(in.r);

		if (t == XML_READER_TYPE_ELEMENT)
		{
			bool		empty = xmlTextReaderIsEmptyElement(in.r) == 1;

			if (skip_depth >= 0)
				continue;
			if (!in_data)
			{
				if (is_elem(&in, "sheetData") && !empty)
					in_data = true;
				continue;
			}
			if (!in_row && is_elem(&in, "row"))
			{
				char	   *r = attr(&in, "r");
				uint32_t	v;

				if (r != NULL)
				{
					if (!parse_u32(r, &v) || v < 1 || v > KBS_SHEET_MAX_ROWS)
					{
						kbs_set_err(err, errlen, "ongeldig rijnummer \"%s\" in het werkblad", r);
						free(r);
						goto fail;
					}
					row = v - 1;
				}
				else if (have_row)
				{
					if (row + 1 >= KBS_SHEET_MAX_ROWS)
					{
						kbs_set_err(err, errlen, "te veel rijen in het werkblad");
						goto fail;
					}
					row++;
				}
				free(r);
				have_row = true;
				next_col = 0;
				in_row = !empty;
			}
			else if (in_row && !in_cell && is_elem(&in, "c"))
			{
				char	   *r = attr(&in, "r");
				char	   *s = attr(&in, "s");

				free(c.type);
				c.type = attr(&in, "t");
				buf_reset(&c.v);
				buf_reset(&c.is);
				c.row = row;
				if (r != NULL)
				{
					uint32_t	rr;

					if (!kbs_cell_ref_parse(r, &rr, &c.col) || rr != row)
					{
						kbs_set_err(err, errlen, "ongeldige celverwijzing \"%s\" in rij %u van het werkblad", r, row + 1);
						free(r);
						free(s);
						goto fail;
					}
				}
				else
				{
					if (next_col >= KBS_SHEET_MAX_COLS)
					{
						kbs_set_err(err, errlen, "te veel kolommen in rij %u van het werkblad", row + 1);
						free(s);
						goto fail;
					}
					c.col = next_col;
				}
				next_col = c.col + 1;
				c.has_style = parse_u32(s, &c.style);
				free(r);
				free(s);
				in_cell = !empty;
			}
			else if (in_cell && !in_is && is_elem(&in, "v") && !empty)
				in_v = true;
			else if (in_cell && is_elem(&in, "is") && !empty)
				in_is = true;
			else if (in_is && is_elem(&in, "rPh") && !empty)
				skip_depth = depth;
			else if (in_is && is_elem(&in, "t") && !empty)
				in_t = true;
		}
		else if (t == XML_READER_TYPE_END_ELEMENT)
		{
			if (skip_depth >= 0)
			{
				if (depth == skip_depth)
					skip_depth = -1;
				continue;
			}
			if (in_v && is_elem(&in, "v"))
				in_v = false;
			else if (in_t && is_elem(&in, "t"))
				in_t = false;
			else if (in_is && is_elem(&in, "is"))
				in_is = false;
			else if (in_cell && is_elem(&in, "c"))
			{
				buf_reset(&val);
				if (!kbs_buf_append(&val, "", 0))
					goto oom;
				if (!cell_value(&c, sst, styles, date1904, &val, err, errlen))
				{
					if (val.failed)
						goto oom;
					goto fail;
				}
				if (val.len > 0 && !kbs_grid_add(out, c.row, c.col, KBS_K_PLAIN, val.data, val.len))
					goto oom;
				in_cell = false;
			}
			else if (in_row && is_elem(&in, "row"))
				in_row = false;
			else if (in_data && is_elem(&in, "sheetData"))
				in_data = false;
		}
		else if (is_text(t) && skip_depth < 0)
		{
			if (in_v && !text_append(&in, &c.v))
				goto oom;
			if (in_is && in_t && !text_append(&in, &c.is))
				goto oom;
		}
	}
	if (rc != 0)
		goto fail;
	if (!kbs_grid_sort(out, &dup))
	{
		char		ref[4];

		kbs_col_to_letters(out->cells[dup].col, ref);
		kbs_set_err(err, errlen, "cel %s%u staat twee keer in het werkblad", ref, out->cells[dup].row + 1);
		goto fail;
	}
	xml_close(&in);
	free(c.type);
	kbs_buf_free(&c.v);
	kbs_buf_free(&c.is);
	kbs_buf_free(&val);
	return 0;
oom:
	kbs_set_err(err, errlen, "onvoldoende geheugen");
fail:
	xml_close(&in);
	free(c.type);
	kbs_buf_free(&c.v);
	kbs_buf_free(&c.is);
	kbs_buf_free(&val);
	return -1;
}

/* ---- the zip container ---- */

struct kbs_xlsx
{
	zip_t	   *zip;
	kbs_workbook_info wb;
	kbs_strings sst;
	kbs_styles	styles;
};

/* A whole entry into memory (NUL-terminated); *found false when it is missing. */
static char *
zip_part(zip_t *z, const char *name, size_t *len, bool *found, char *err, size_t errlen)
{
	zip_int64_t idx = zip_name_locate(z, name, ZIP_FL_NOCASE);
	zip_stat_t	st;
	zip_file_t *f;
	char	   *data;
	size_t		got = 0;
	size_t		cap;

	*found = idx >= 0;
	if (idx < 0)
		return NULL;
	zip_stat_init(&st);
	if (zip_stat_index(z, (zip_uint64_t) idx, 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE))
	{
		kbs_set_err(err, errlen, "onderdeel %s: %s", name, zip_strerror(z));
		return NULL;
	}
	if (st.size > KBS_XLSX_MAX_PART)
	{
		kbs_set_err(err, errlen, "onderdeel %s is te groot (%llu bytes, hoogstens %u)", name,
				(unsigned long long) st.size, KBS_XLSX_MAX_PART);
		return NULL;
	}
	f = zip_fopen_index(z, (zip_uint64_t) idx, 0);
	if (f == NULL)
	{
		kbs_set_err(err, errlen, "onderdeel %s: %s", name, zip_strerror(z));
		return NULL;
	}
	/* Read one byte more than stated: an entry must not be longer than its header says. */
	cap = (size_t) st.size + 2;
	data = malloc(cap);
	if (data == NULL)
	{
		zip_fclose(f);
		kbs_set_err(err, errlen, "onvoldoende geheugen");
		return NULL;
	}
	for (;;)
	{
		zip_int64_t n = zip_fread(f, data + got, cap - 1 - got);

		if (n < 0)
		{
			kbs_set_err(err, errlen, "onderdeel %s is beschadigd: %s", name, zip_file_strerror(f));
			zip_fclose(f);
			free(data);
			return NULL;
		}
		if (n == 0)
			break;
		got += (size_t) n;
		if (got > st.size)
		{
			kbs_set_err(err, errlen, "onderdeel %s is langer dan het zip-archief opgeeft", name);
			zip_fclose(f);
			free(data);
			return NULL;
		}
	}
	zip_fclose(f);
	data[got] = '\0';
	*len = got;
	return data;
}

static kbs_xlsx *
xlsx_load(zip_t *z, char *err, size_t errlen)
{
	/* The parts read, in this order; without the first two a file is no workbook. */
	static const struct
	{
		enum
		{
			PART_WORKBOOK, PART_RELS, PART_SHARED_STRINGS, PART_STYLES
		}			part;
		const char *name;
		bool		required;
	}			parts[] = {
		{PART_WORKBOOK, "xl/workbook.xml", true},
		{PART_RELS, "xl/_rels/workbook.xml.rels", true},
		{PART_SHARED_STRINGS, "xl/sharedStrings.xml", false},
		{PART_STYLES, "xl/styles.xml", false}
	};
	kbs_xlsx   *x = calloc(1, sizeof(kbs_xlsx));
	char	   *data;
	size_t		len = 0;
	bool		found;
	int			rc;

	if (x == NULL)
	{
		zip_discard(z);
		kbs_set_err(err, errlen, "onvoldoende geheugen");
		return NULL;
	}
	x->zip = z;
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
	{
		data = zip_part(z, parts[i].name, &len, &found, err, errlen);
		if (data == NULL && !found && !parts[i].required)
			continue;
		if (data == NULL)
		{
			if (!found)
				kbs_set_err(err, errlen, "geen Excel-werkmap: %s ontbreekt", parts[i].name);
			goto fail;
		}
		switch (parts[i].part)
		{
			case PART_WORKBOOK:
				rc = kbs_xlsx_parse_workbook(data, len, &x->wb, err, errlen);
				break;
			case PART_RELS:
				rc = kbs_xlsx_parse_rels(data, len, &x->wb, err, errlen);
				break;
			case PART_SHARED_STRINGS:
				rc = kbs_xlsx_parse_shared_strings(data, len, &x->sst, err, errlen);
				break;
			case PART_STYLES:
			default:
				rc = kbs_xlsx_parse_styles(data, len, &x->styles, err, errlen);
				break;
		}
		free(data);
		if (rc != 0)
			goto fail;
	}
	return x;
fail:
	kbs_xlsx_close(x);
	return NULL;
}

static void
zip_open_error(int code, char *err, size_t errlen)
{
	zip_error_t ze;

	switch (code)
	{
		case ZIP_ER_NOENT:
			kbs_set_err(err, errlen, "het bestand bestaat niet");
			break;
		case ZIP_ER_NOZIP:
			kbs_set_err(err, errlen, "geen xlsx-bestand (geen zip-archief)");
			break;
		case ZIP_ER_OPEN:
		case ZIP_ER_READ:
			kbs_set_err(err, errlen, "het bestand kan niet gelezen worden");
			break;
		default:
			zip_error_init_with_code(&ze, code);
			kbs_set_err(err, errlen, "geen leesbaar xlsx-bestand (%s)", zip_error_strerror(&ze));
			zip_error_fini(&ze);
	}
}

kbs_xlsx *
kbs_xlsx_open(const char *path, char *err, size_t errlen)
{
	int			code = 0;
	zip_t	   *z = zip_open(path, ZIP_RDONLY | ZIP_CHECKCONS, &code);

	if (z == NULL)
	{
		zip_open_error(code, err, errlen);
		return NULL;
	}
	return xlsx_load(z, err, errlen);
}

kbs_xlsx *
kbs_xlsx_open_buffer(const void *data, size_t len, char *err, size_t errlen)
{
	zip_error_t ze;
	zip_source_t *src;
	zip_t	   *z;

	zip_error_init(&ze);
	src = zip_source_buffer_create(data, len, 0, &ze);
	if (src == NULL)
	{
		kbs_set_err(err, errlen, "onvoldoende geheugen");
		zip_error_fini(&ze);
		return NULL;
	}
	z = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze);
	if (z == NULL)
	{
		zip_open_error(zip_error_code_zip(&ze), err, errlen);
		zip_source_free(src);
		zip_error_fini(&ze);
		return NULL;
	}
	zip_error_fini(&ze);
	return xlsx_load(z, err, errlen);
}

void
kbs_xlsx_close(kbs_xlsx *x)
{
	if (x == NULL)
		return;
	if (x->zip)
		zip_discard(x->zip);
	kbs_workbook_info_free(&x->wb);
	kbs_strings_free(&x->sst);
	kbs_styles_free(&x->styles);
	free(x);
}

size_t
kbs_xlsx_sheet_count(const kbs_xlsx *x)
{
	return x->wb.n;
}

const char *
kbs_xlsx_sheet_name(const kbs_xlsx *x, size_t i)
{
	return i < x->wb.n ? x->wb.sheets[i].name : NULL;
}

int
kbs_xlsx_read_sheet(kbs_xlsx *x, const char *name, kbs_grid *out, char *err, size_t errlen)
{
	const kbs_sheet_ref *s = NULL;
	char	   *data;
	size_t		len = 0;
	bool		found;
	int			rc;

	if (name == NULL)
		s = &x->wb.sheets[0];
	for (size_t i = 0; s == NULL && i < x->wb.n; i++)
		if (strcmp(x->wb.sheets[i].name, name) == 0)
			s = &x->wb.sheets[i];
	for (size_t i = 0; s == NULL && i < x->wb.n; i++)
		if (strcasecmp(x->wb.sheets[i].name, name) == 0)
			s = &x->wb.sheets[i];
	if (s == NULL)
	{
		kbs_buf		names;

		kbs_buf_init(&names);
		for (size_t i = 0; i < x->wb.n; i++)
		{
			if (i > 0)
				kbs_buf_append(&names, ", ", 2);
			kbs_buf_append(&names, x->wb.sheets[i].name, strlen(x->wb.sheets[i].name));
		}
		kbs_set_err(err, errlen, "blad \"%s\" ontbreekt; de werkmap heeft: %s", name,
				names.data ? names.data : "");
		kbs_buf_free(&names);
		return -1;
	}
	data = zip_part(x->zip, s->path, &len, &found, err, errlen);
	if (data == NULL)
	{
		if (!found)
			kbs_set_err(err, errlen, "blad \"%s\": onderdeel %s ontbreekt", s->name, s->path);
		return -1;
	}
	rc = kbs_xlsx_parse_sheet(data, len, &x->sst, &x->styles, x->wb.date1904, out, err, errlen);
	free(data);
	if (rc != 0)
	{
		/* name the sheet in the message */
		char		tmp[512];

		snprintf(tmp, sizeof(tmp), "blad \"%s\": %s", s->name, err);
		kbs_set_err(err, errlen, "%s", tmp);
	}
	return rc;
}
