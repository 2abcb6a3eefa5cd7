/*
 * kbs_internal.h — helpers shared by the core source files; not part of the
 * public API.
 */
#ifndef KBS_INTERNAL_H
#define KBS_INTERNAL_H

#include "kbs_core.h"
#include "kbs_format.h"

#if defined(__GNUC__) || defined(__clang__)
#define KBS_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define KBS_PRINTF(f, a)
#endif

/* Bitmap over all block ids, for duplicate detection while parsing. */
#define KBS_ID_BITMAP_BYTES ((KBS_MAX_BLOCK_ID + 1 + 7) / 8)

void kbs_fail(kbs_error *err, kbs_errcode code, int position, const char *fmt, ...) KBS_PRINTF(4, 5);
void kbs_fail_detail(kbs_error *err, const char *fmt, ...) KBS_PRINTF(2, 3);

/*
 * The frame every wire format shares: version byte, a header of hdr bytes
 * with a big-endian entry count at count_off, then exactly count entries of
 * entry_size bytes. Returns the count, or -1 with err filled.
 */
int64_t kbs_wire_frame(const uint8_t *buf, size_t len, const char *typname, size_t hdr,
					   size_t count_off, size_t entry_size, kbs_error *err);

/* Text scanner over s[0..len). */
typedef struct
{
	const char *s;
	size_t len;
	size_t pos;
	kbs_error *err;
	uint8_t seen[KBS_ID_BITMAP_BYTES];
} kbs_lexer;

/* Checks length, emptiness and NUL bytes; false (with error) if unusable. */
bool kbs_lex_begin(kbs_lexer *lx, const char *s, size_t len, kbs_error *err);
void kbs_lex_skip_ws(kbs_lexer *lx);
/* Skip whitespace; consume c if it is next. */
bool kbs_lex_accept(kbs_lexer *lx, char c);
/* Skip whitespace; consume c or fail with "<fmt> at position N". */
bool kbs_lex_expect(kbs_lexer *lx, char c, const char *fmt, ...) KBS_PRINTF(3, 4);
/* Fail with "<fmt> at position N" and a detail naming what was found. */
void kbs_lex_fail_expected(kbs_lexer *lx, const char *fmt, ...) KBS_PRINTF(2, 3);
/* Skip whitespace, then read a maximal [A-Za-z0-9] run; returns its length. */
size_t kbs_lex_word(kbs_lexer *lx, size_t *start);
/* Skip whitespace, read a block id, check range and duplicates; -1 on error. */
int kbs_lex_block_id(kbs_lexer *lx);
/* Only whitespace may follow the closing brace. */
bool kbs_lex_end(kbs_lexer *lx);

/* Decimal value of an all-digit token of at most 10 digits, else false. */
bool kbs_token_uint(const char *tok, size_t len, uint64_t *v);
/* True when tok is a non-empty run of decimal digits. */
bool kbs_all_digits(const char *tok, size_t len);
/* Quoted, truncated, printable copy of a token for messages. */
void kbs_token_quote(char *dst, size_t cap, const char *tok, size_t len);

/*
 * Entry arrays (kbs_pentry, kbs_rentry, kbs_centry all start with the block
 * id): qsort order by id; an id outside 1..32767 as a value error with the
 * range in the detail; sorting by id and refusing a duplicate id (returns n,
 * or -1 with err filled).
 */
int kbs_cmp_entry_id(const void *a, const void *b);
bool kbs_check_block_id(unsigned id, kbs_error *err);
int kbs_sort_unique_entries(void *e, int n, size_t size, kbs_error *err);

/* Number of decimal digits of v, and writing them; returns the end. */
size_t kbs_udigits(uint32_t v);
char *kbs_put_uint(char *p, uint32_t v);

#endif /* KBS_INTERNAL_H */
