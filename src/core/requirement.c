/*
 * requirement.c — kbs.requirement: text, storage and wire.
 */
#include "kbs_internal.h"

#include <stdlib.h>
#include <string.h>


static bool
entry_valid(const kbs_rentry *e)
{
	return e->id >= KBS_MIN_BLOCK_ID && e->id <= KBS_MAX_BLOCK_ID &&
		e->min_level >= 1 && e->min_level <= 4 &&
		e->importance >= 1 && e->importance <= 3 &&
		e->min_members <= KBS_MAX_MEMBERS;
}

/* ------------------------------------------------------------------ */
/* Text                                                                */
/* ------------------------------------------------------------------ */

/* A one-digit token in lo..hi; otherwise an error naming what. */
static int
parse_digit(kbs_lexer *lx, int lo, int hi, const char *what, const char *range, int id)
{
	size_t start, wl = kbs_lex_word(lx, &start);
	const char *w = lx->s + start;
	char tok[32];

	if (wl == 0)
	{
		kbs_lex_fail_expected(lx, "expected %s of block %d", what, id);
		return -1;
	}
	if (wl == 1 && w[0] >= '0' + lo && w[0] <= '0' + hi)
		return w[0] - '0';
	kbs_token_quote(tok, sizeof(tok), w, wl);
	if (kbs_all_digits(w, wl) && (wl == 1 || w[0] != '0'))
		kbs_fail(lx->err, KBS_ERR_SYNTAX, (int) start, "%s %s out of range at position %d", what, tok, (int) start);
	else
		kbs_fail(lx->err, KBS_ERR_SYNTAX, (int) start, "invalid %s %s at position %d", what, tok, (int) start);
	kbs_fail_detail(lx->err, "The %s is one of %s.", what, range);
	return -1;
}

int
kbs_requirement_parse(const char *s, size_t len, kbs_rentry *out, kbs_error *err)
{
	kbs_lexer lx;
	int n = 0;
	bool sorted = true;

	if (!kbs_lex_begin(&lx, s, len, err))
		return -1;
	if (!kbs_lex_expect(&lx, '{', "expected \"{\""))
		return -1;
	if (!kbs_lex_accept(&lx, '}'))
	{
		for (;;)
		{
			int id = kbs_lex_block_id(&lx);
			int level, importance = KBS_DEFAULT_IMPORTANCE;
			uint32_t members;
			size_t start, wl;
			const char *w;
			uint64_t v;

			if (id < 0)
				return -1;
			if (!kbs_lex_expect(&lx, ':', "expected \":\" after block id %d", id))
				return -1;
			level = parse_digit(&lx, 1, 4, "minimum level", "1, 2, 3 or 4", id);
			if (level < 0)
				return -1;
			if (!kbs_lex_expect(&lx, '/', "expected \"/\" after the minimum level of block %d", id))
				return -1;
			wl = kbs_lex_word(&lx, &start);
			w = s + start;
			if (wl == 0)
			{
				kbs_lex_fail_expected(&lx, "expected member count of block %d", id);
				return -1;
			}
			if (wl == 3 && memcmp(w, "all", 3) == 0)
				members = KBS_MIN_MEMBERS_ALL;
			else if (kbs_all_digits(w, wl))
			{
				if (!kbs_token_uint(w, wl, &v) || v < 1 || v > KBS_MAX_MEMBERS)
				{
					char tok[32];

					kbs_token_quote(tok, sizeof(tok), w, wl);
					kbs_fail(err, KBS_ERR_SYNTAX, (int) start, "member count %s out of range at position %d", tok, (int) start);
					kbs_fail_detail(err, "A member count is 1 to %u, or all for every member.", KBS_MAX_MEMBERS);
					return -1;
				}
				members = (uint32_t) v;
			}
			else
			{
				char tok[32];

				kbs_token_quote(tok, sizeof(tok), w, wl);
				kbs_fail(err, KBS_ERR_SYNTAX, (int) start, "invalid member count %s at position %d", tok, (int) start);
				kbs_fail_detail(err, "A member count is 1 to %u, or all for every member.", KBS_MAX_MEMBERS);
				return -1;
			}
			if (kbs_lex_accept(&lx, '@'))
			{
				importance = parse_digit(&lx, 1, 3, "importance", "1, 2 or 3", id);
				if (importance < 0)
					return -1;
			}
			if (n > 0 && out[n - 1].id > id)
				sorted = false;
			out[n].id = (uint16_t) id;
			out[n].min_level = (uint8_t) level;
			out[n].importance = (uint8_t) importance;
			out[n].min_members = members;
			n++;
			if (kbs_lex_accept(&lx, ','))
				continue;
			if (kbs_lex_accept(&lx, '}'))
				break;
			kbs_lex_fail_expected(&lx, "expected \",\" or \"}\" after block %d", id);
			return -1;
		}
	}
	if (!kbs_lex_end(&lx))
		return -1;
	if (!sorted)
		qsort(out, (size_t) n, sizeof(*out), kbs_cmp_entry_id);
	return n;
}

size_t
kbs_requirement_text_size(const kbs_rentry *e, int n)
{
	size_t size = 3;
	int i;

	for (i = 0; i < n; i++)
	{
		size += (i > 0) + kbs_udigits(e[i].id) + 3; /* ":" level "/" */
		size += e[i].min_members == KBS_MIN_MEMBERS_ALL ? 3 : kbs_udigits(e[i].min_members);
		if (e[i].importance != KBS_DEFAULT_IMPORTANCE)
			size += 2;
	}
	return size;
}

void
kbs_requirement_print(const kbs_rentry *e, int n, char *buf)
{
	char *p = buf;
	int i;

	*p++ = '{';
	for (i = 0; i < n; i++)
	{
		if (i > 0)
			*p++ = ',';
		p = kbs_put_uint(p, e[i].id);
		*p++ = ':';
		*p++ = (char) ('0' + e[i].min_level);
		*p++ = '/';
		if (e[i].min_members == KBS_MIN_MEMBERS_ALL)
		{
			memcpy(p, "all", 3);
			p += 3;
		}
		else
			p = kbs_put_uint(p, e[i].min_members);
		if (e[i].importance != KBS_DEFAULT_IMPORTANCE)
		{
			*p++ = '@';
			*p++ = (char) ('0' + e[i].importance);
		}
	}
	*p++ = '}';
	*p = '\0';
}

/* ------------------------------------------------------------------ */
/* Storage                                                             */
/* ------------------------------------------------------------------ */

size_t
kbs_requirement_storage_size(const kbs_rentry *e, int n)
{
	(void) e; /* fixed-size entries */
	return KBS_REQUIREMENT_STORE_HDR + KBS_REQUIREMENT_STORE_ENTRY * (size_t) n;
}

void
kbs_requirement_store(const kbs_rentry *e, int n, uint8_t *out)
{
	int i;

	out[0] = KBS_FORMAT_VERSION;
	for (i = 0; i < n; i++)
	{
		uint8_t *p = out + KBS_REQUIREMENT_STORE_HDR + KBS_REQUIREMENT_STORE_ENTRY * (size_t) i;

		kbs_put_u16le(p, e[i].id);
		p[2] = (uint8_t) (e[i].min_level | (e[i].importance << 4));
		kbs_put_u32le(p + 3, e[i].min_members);
	}
}

int
kbs_requirement_load(const uint8_t *buf, size_t len, kbs_rentry *out, kbs_error *err)
{
	size_t cnt, i;
	unsigned prev = 0;

	kbs_error_init(err);
	if (len < KBS_REQUIREMENT_STORE_HDR)
	{
		kbs_fail(err, KBS_ERR_BINARY, -1, "invalid kbs.requirement storage: truncated");
		return -1;
	}
	if (buf[0] != KBS_FORMAT_VERSION)
	{
		kbs_fail(err, KBS_ERR_BINARY, 0, "unsupported kbs.requirement storage format version %u", (unsigned) buf[0]);
		return -1;
	}
	if ((len - KBS_REQUIREMENT_STORE_HDR) % KBS_REQUIREMENT_STORE_ENTRY != 0 || (len - KBS_REQUIREMENT_STORE_HDR) / KBS_REQUIREMENT_STORE_ENTRY > KBS_MAX_ENTRIES)
	{
		kbs_fail(err, KBS_ERR_BINARY, -1, "invalid kbs.requirement storage: bad size %zu", len);
		return -1;
	}
	cnt = (len - KBS_REQUIREMENT_STORE_HDR) / KBS_REQUIREMENT_STORE_ENTRY;
	for (i = 0; i < cnt; i++)
	{
		const uint8_t *p = buf + KBS_REQUIREMENT_STORE_HDR + KBS_REQUIREMENT_STORE_ENTRY * i;
		kbs_rentry r;

		r.id = (uint16_t) kbs_get_u16le(p);
		r.min_level = p[2] & 0x0f;
		r.importance = p[2] >> 4;
		r.min_members = kbs_get_u32le(p + 3);
		if (!entry_valid(&r))
		{
			kbs_fail(err, KBS_ERR_BINARY, (int) (p - buf), "invalid kbs.requirement storage: bad entry");
			return -1;
		}
		if (r.id <= prev)
		{
			kbs_fail(err, KBS_ERR_BINARY, (int) (p - buf), "invalid kbs.requirement storage: block ids not in ascending order");
			return -1;
		}
		prev = r.id;
		out[i] = r;
	}
	return (int) cnt;
}

/* ------------------------------------------------------------------ */
/* Wire                                                                */
/* ------------------------------------------------------------------ */

size_t
kbs_requirement_wire_size(int n)
{
	return KBS_REQUIREMENT_WIRE_HDR + KBS_REQUIREMENT_WIRE_ENTRY * (size_t) n;
}

void
kbs_requirement_wire_encode(const kbs_rentry *e, int n, uint8_t *out)
{
	int i;

	out[0] = KBS_FORMAT_VERSION;
	kbs_put_u32be(out + 1, (uint32_t) n);
	for (i = 0; i < n; i++)
	{
		uint8_t *p = out + KBS_REQUIREMENT_WIRE_HDR + KBS_REQUIREMENT_WIRE_ENTRY * (size_t) i;

		kbs_put_u16be(p, e[i].id);
		p[2] = e[i].min_level;
		p[3] = e[i].importance;
		kbs_put_u32be(p + 4, e[i].min_members);
	}
}

int
kbs_requirement_wire_decode(const uint8_t *buf, size_t len, kbs_rentry *out, kbs_error *err)
{
	uint32_t cnt, i;
	unsigned prev = 0;

	int64_t frame;

	kbs_error_init(err);
	frame = kbs_wire_frame(buf, len, "kbs.requirement", KBS_REQUIREMENT_WIRE_HDR, 1, KBS_REQUIREMENT_WIRE_ENTRY, err);
	if (frame < 0)
		return -1;
	cnt = (uint32_t) frame;
	for (i = 0; i < cnt; i++)
	{
		const uint8_t *p = buf + KBS_REQUIREMENT_WIRE_HDR + KBS_REQUIREMENT_WIRE_ENTRY * (size_t) i;
		unsigned id = kbs_get_u16be(p);
		uint32_t m = kbs_get_u32be(p + 4);
		int pos = (int) (p - buf);

		if (id < KBS_MIN_BLOCK_ID || id > KBS_MAX_BLOCK_ID)
		{
			kbs_fail(err, KBS_ERR_BINARY, pos, "block id %u out of range in kbs.requirement binary value", id);
			return -1;
		}
		if (id <= prev)
		{
			kbs_fail(err, KBS_ERR_BINARY, pos, "block ids not in ascending order (%u after %u)", id, prev);
			return -1;
		}
		if (p[2] < 1 || p[2] > 4)
		{
			kbs_fail(err, KBS_ERR_BINARY, pos + 2, "minimum level %u of block %u out of range", (unsigned) p[2], id);
			return -1;
		}
		if (p[3] < 1 || p[3] > 3)
		{
			kbs_fail(err, KBS_ERR_BINARY, pos + 3, "importance %u of block %u out of range", (unsigned) p[3], id);
			return -1;
		}
		if (m > KBS_MAX_MEMBERS)
		{
			kbs_fail(err, KBS_ERR_BINARY, pos + 4, "member count %u of block %u out of range", (unsigned) m, id);
			return -1;
		}
		out[i].id = (uint16_t) id;
		out[i].min_level = p[2];
		out[i].importance = p[3];
		out[i].min_members = m;
		prev = id;
	}
	return (int) cnt;
}

/* ------------------------------------------------------------------ */

int
kbs_requirement_normalize(kbs_rentry *e, int n, kbs_error *err)
{
	int i;

	kbs_error_init(err);
	for (i = 0; i < n; i++)
	{
		if (!kbs_check_block_id(e[i].id, err))
			return -1;
		if (e[i].min_level < 1 || e[i].min_level > 4)
		{
			kbs_fail(err, KBS_ERR_VALUE, -1, "minimum level %u of block %u out of range", (unsigned) e[i].min_level, (unsigned) e[i].id);
			kbs_fail_detail(err, "The minimum level is 1, 2, 3 or 4.");
			return -1;
		}
		if (e[i].importance < 1 || e[i].importance > 3)
		{
			kbs_fail(err, KBS_ERR_VALUE, -1, "importance %u of block %u out of range", (unsigned) e[i].importance, (unsigned) e[i].id);
			kbs_fail_detail(err, "The importance is 1, 2 or 3.");
			return -1;
		}
		if (e[i].min_members > KBS_MAX_MEMBERS)
		{
			kbs_fail(err, KBS_ERR_VALUE, -1, "member count %u of block %u out of range", (unsigned) e[i].min_members, (unsigned) e[i].id);
			return -1;
		}
	}
	return kbs_sort_unique_entries(e, n, sizeof(*e), err);
}
