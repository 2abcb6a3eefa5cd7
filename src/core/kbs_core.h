/*
 * kbs_core.h — pure C core of the kennisbouwstenen extension: text, storage
 * and wire encodings of kbs.profile, kbs.requirement and kbs.coverage, plus
 * the arithmetic on their entry arrays. No PostgreSQL headers: the fmgr glue
 * in src/pg/ maps kbs_error to ereport().
 *
 * Conventions
 * - Entry arrays are sorted by block id, ids unique, 1..KBS_MAX_BLOCK_ID.
 * - The caller allocates every output buffer. KBS_MAX_ENTRIES entries always
 *   suffice, because ids are unique.
 * - Functions that can fail return -1 (or false) and fill *err; err may be
 *   NULL when the caller does not want the details.
 * - Storage buffers are the datum payload after the varlena header; wire
 *   buffers are the send/recv payload. Both are canonical: one value has
 *   exactly one accepted byte string, so byte equality is value equality.
 * - Multi-byte integers are written byte by byte (storage little-endian,
 *   wire big-endian), never by casting, so the format is host independent.
 */
#ifndef KBS_CORE_H
#define KBS_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ */
/* Limits and level codes                                              */
/* ------------------------------------------------------------------ */

#define KBS_MIN_BLOCK_ID 1
#define KBS_MAX_BLOCK_ID 32767
#define KBS_MAX_ENTRIES 32767
#define KBS_MAX_MEMBERS 2147483647u   /* also the largest count */
#define KBS_MAX_TEXT_LEN (4 * 1024 * 1024) /* bytes of text input; above the longest output (a full coverage) */
#define KBS_FORMAT_VERSION 1          /* first byte of storage and wire */

/* 3-bit level codes of a profile entry. */
#define KBS_CODE_ABSENT 0  /* not assessed: never stored as an entry */
#define KBS_CODE_LEVEL0 1  /* codes 1..5 are levels 0..4 */
#define KBS_CODE_LEVEL4 5
#define KBS_CODE_NA 6      /* not applicable */
#define KBS_CODE_INVALID 7

/* Index of the na count in kbs_centry.cnt; 0..4 are levels 0..4. */
#define KBS_CNT_NA 5
#define KBS_NCOUNTS 6

/* Requirement defaults and ranges. */
#define KBS_MIN_MEMBERS_ALL 0u /* min_members 0 = every member */
#define KBS_DEFAULT_IMPORTANCE 2

/* Storage layouts (byte after the version where a type has both). */
#define KBS_LAYOUT_SPARSE 0
#define KBS_LAYOUT_DENSE 1

/* level 0..4 -> code 1..5 */
static inline uint8_t kbs_code_from_level(int level)
{
	return (uint8_t) (level + 1);
}

/* code -> level 0..4, or -1 for absent, na and invalid codes */
static inline int kbs_level_from_code(uint8_t code)
{
	return (code >= KBS_CODE_LEVEL0 && code <= KBS_CODE_LEVEL4) ? code - 1 : -1;
}

/* code 1..6 -> index into kbs_centry.cnt; -1 for absent and invalid */
static inline int kbs_cnt_index_from_code(uint8_t code)
{
	if (code == KBS_CODE_NA)
		return KBS_CNT_NA;
	return kbs_level_from_code(code);
}

/* ------------------------------------------------------------------ */
/* Errors                                                              */
/* ------------------------------------------------------------------ */

typedef enum
{
	KBS_OK = 0,
	KBS_ERR_SYNTAX, /* -> 22P02 invalid_text_representation */
	KBS_ERR_VALUE,  /* -> 22023 invalid_parameter_value */
	KBS_ERR_RANGE,  /* -> 22003 numeric_value_out_of_range */
	KBS_ERR_BINARY, /* -> 22P03 invalid_binary_representation */
	KBS_ERR_NOMEM
} kbs_errcode;

typedef struct
{
	kbs_errcode code;
	int position;    /* 0-based byte offset in the input, or -1 */
	char msg[256];   /* PostgreSQL style: lower case, no final period */
	char detail[256]; /* a full sentence, or empty */
} kbs_error;

/* Reset to KBS_OK, position -1, empty texts. */
void kbs_error_init(kbs_error *err);

/* The SQLSTATE the glue should raise for code, e.g. "22P02". */
const char *kbs_errcode_sqlstate(kbs_errcode code);

/* ------------------------------------------------------------------ */
/* kbs.profile: block -> level 0..4 or na                              */
/* ------------------------------------------------------------------ */

typedef struct
{
	uint16_t id;  /* 1..32767 */
	uint8_t code; /* 1..6, see KBS_CODE_* */
} kbs_pentry;

/*
 * Text. Canonical form {id:level,...}: sorted by id, no spaces, levels 0..4
 * or na, {} when empty. Input may hold ASCII whitespace between tokens and
 * entries in any order. Returns the number of entries or -1 (KBS_ERR_SYNTAX).
 */
int kbs_profile_parse(const char *s, size_t len, kbs_pentry *out, kbs_error *err);
/*
 * One level as written in profile text and in rows: "0" to "4", or "na". Returns
 * its code (1..6); 0 when w is a plain number that is no level ("5", "12": a
 * range error reads better); -1 for anything else. Skips no white space.
 */
int kbs_level_token(const char *w, size_t wl);
size_t kbs_profile_text_size(const kbs_pentry *e, int n); /* with the NUL */
void kbs_profile_print(const kbs_pentry *e, int n, char *buf);

/*
 * Storage. byte 0 version 1, byte 1 layout.
 * Sparse (0): n x (id low byte, id high byte, code), ascending.
 * Dense (1): uint16 LE base id, uint16 LE span (last - base + 1), then three
 *   bit-planes of ceil(span/8) bytes each; plane k holds bit k of each
 *   block's code; block base+i is bit i%8 of byte i/8; padding bits zero.
 *   Planes are contiguous so an aggregate can count levels 64 blocks at a
 *   time (load words with memcpy: no alignment is guaranteed).
 * The smaller layout is chosen; a tie goes to sparse. Empty = 2 bytes.
 * kbs_profile_load validates everything, including the layout choice, and
 * returns n or -1 (KBS_ERR_BINARY).
 */
size_t kbs_profile_storage_size(const kbs_pentry *e, int n);
void kbs_profile_store(const kbs_pentry *e, int n, uint8_t *out);
int kbs_profile_load(const uint8_t *buf, size_t len, kbs_pentry *out, kbs_error *err);
/* Code of block id (0 when absent) without decoding; buf must be valid. */
#ifdef KBS_TESTING /* tests only: not in the shared library */
uint8_t kbs_profile_code_of(const uint8_t *buf, size_t len, int id);
#endif

/*
 * Wire (send/recv): byte 0 version 1, uint32 BE n, n x (uint16 BE id,
 * uint8 code 1..6), ids strictly ascending. Decoding is strict.
 */
size_t kbs_profile_wire_size(int n);
void kbs_profile_wire_encode(const kbs_pentry *e, int n, uint8_t *out);
int kbs_profile_wire_decode(const uint8_t *buf, size_t len, kbs_pentry *out, kbs_error *err);

/*
 * Sort e by id and check it (ids 1..32767, codes 1..6, no duplicate), for
 * building a profile from rows. Returns n or -1 (KBS_ERR_VALUE).
 */
int kbs_profile_normalize(kbs_pentry *e, int n, kbs_error *err);

/* Code of block id in e (binary search), 0 when absent. */
uint8_t kbs_profile_find(const kbs_pentry *e, int n, int id);
/* Level 0..4 of block id, -1 when not assessed or na. */
int kbs_profile_level(const kbs_pentry *e, int n, int id);

/*
 * Per-block maximum, ordered level 4 > ... > level 0 > na > absent.
 * out holds up to na + nb entries and must not overlap a or b. Returns n.
 */
int kbs_profile_merge_max(const kbs_pentry *a, int na, const kbs_pentry *b, int nb, kbs_pentry *out);

/*
 * Copy of e with block id raised to at least level (0..4); na and absent
 * become level. out holds n + 1 entries and must not overlap e. Returns the
 * new n, or -1 when id or level is out of range.
 */
int kbs_profile_raise(const kbs_pentry *e, int n, int id, int level, kbs_pentry *out);

/* ------------------------------------------------------------------ */
/* kbs.requirement: block -> (min_level, min_members, importance)      */
/* ------------------------------------------------------------------ */

typedef struct
{
	uint16_t id;
	uint8_t min_level;    /* 1..4 */
	uint8_t importance;   /* 1..3, default 2 */
	uint32_t min_members; /* 0 = every member, else 1..2147483647 */
} kbs_rentry;

/*
 * Text: {11:1/all,31:3/2,32:3/1@3} — id:min_level/min_members, then
 * @importance only when it is not 2. Returns n or -1 (KBS_ERR_SYNTAX).
 */
int kbs_requirement_parse(const char *s, size_t len, kbs_rentry *out, kbs_error *err);
size_t kbs_requirement_text_size(const kbs_rentry *e, int n);
void kbs_requirement_print(const kbs_rentry *e, int n, char *buf);

/*
 * Storage: version 1, then n x (uint16 LE id, min_level | importance << 4,
 * uint32 LE min_members).
 */
size_t kbs_requirement_storage_size(const kbs_rentry *e, int n);
void kbs_requirement_store(const kbs_rentry *e, int n, uint8_t *out);
int kbs_requirement_load(const uint8_t *buf, size_t len, kbs_rentry *out, kbs_error *err);

/*
 * Wire: version 1, uint32 BE n, n x (uint16 BE id, uint8 min_level,
 * uint8 importance, uint32 BE min_members), ids strictly ascending.
 */
size_t kbs_requirement_wire_size(int n);
void kbs_requirement_wire_encode(const kbs_rentry *e, int n, uint8_t *out);
int kbs_requirement_wire_decode(const uint8_t *buf, size_t len, kbs_rentry *out, kbs_error *err);

/*
 * Sort e by id and check every field (min_members 0 means every member; the
 * glue rejects a user's 0 before). Returns n or -1 (KBS_ERR_VALUE).
 */
int kbs_requirement_normalize(kbs_rentry *e, int n, kbs_error *err);

/* ------------------------------------------------------------------ */
/* kbs.coverage: members, and per block the count at each level and na */
/* ------------------------------------------------------------------ */

typedef struct
{
	uint16_t id;
	uint32_t cnt[KBS_NCOUNTS]; /* [0..4] levels 0..4, [5] na */
} kbs_centry;

/*
 * Only blocks with a non-zero count are entries; each entry's counts add up
 * to at most the member count (0..2147483647).
 *
 * Text: (15){11:0,1,4,6,2,0;31:0,0,0,3,1,2} — members in parentheses, then
 * id:c0,c1,c2,c3,c4,cna entries separated by ";"; empty: (0){}. All-zero
 * entries are accepted on input and dropped. Returns n or -1 (KBS_ERR_SYNTAX).
 */
int kbs_coverage_parse(const char *s, size_t len, kbs_centry *out, uint32_t *members, kbs_error *err);
size_t kbs_coverage_text_size(const kbs_centry *e, int n, uint32_t members);
void kbs_coverage_print(const kbs_centry *e, int n, uint32_t members, char *buf);

/*
 * Storage: version 1, count width w (1, 2 or 4: the smallest that holds the
 * largest count), layout, uint32 LE members, then
 * sparse (0): uint16 LE n, n ids (uint16 LE), n x 6 counts of w bytes LE;
 * dense (1): uint16 LE base, uint16 LE span, span x 6 counts (blocks without
 *   entry are all zero; the first and last block are not).
 * The smaller layout is chosen; a tie goes to sparse.
 */
size_t kbs_coverage_storage_size(const kbs_centry *e, int n, uint32_t members);
void kbs_coverage_store(const kbs_centry *e, int n, uint32_t members, uint8_t *out);
int kbs_coverage_load(const uint8_t *buf, size_t len, kbs_centry *out, uint32_t *members, kbs_error *err);
/* Member count of a valid stored coverage, without decoding. */
uint32_t kbs_coverage_stored_members(const uint8_t *buf, size_t len);

/*
 * Wire: version 1, uint32 BE members, uint32 BE n, n x (uint16 BE id,
 * 6 x uint32 BE counts), ids strictly ascending, no all-zero entry, each
 * entry's sum at most members.
 */
size_t kbs_coverage_wire_size(int n);
void kbs_coverage_wire_encode(const kbs_centry *e, int n, uint32_t members, uint8_t *out);
int kbs_coverage_wire_decode(const uint8_t *buf, size_t len, kbs_centry *out, uint32_t *members, kbs_error *err);

/*
 * a + b: members and counts added. out holds up to na + nb entries and must
 * not overlap a or b. Returns n, or -1 with KBS_ERR_RANGE when the member
 * count would pass 2147483647.
 */
int kbs_coverage_add(const kbs_centry *a, int na, uint32_t ma,
					 const kbs_centry *b, int nb, uint32_t mb,
					 kbs_centry *out, uint32_t *mout, kbs_error *err);

/*
 * c plus one member with profile p (np entries; np = 0 for a member with
 * nothing assessed). out holds up to nc + np entries, no overlap. Returns n
 * or -1 (KBS_ERR_RANGE).
 */
#ifdef KBS_TESTING /* tests only: not in the shared library */
int kbs_coverage_add_profile(const kbs_centry *c, int nc, uint32_t members,
							 const kbs_pentry *p, int np,
							 kbs_centry *out, uint32_t *mout, kbs_error *err);
#endif

/* Entry of block id, or NULL. */
const kbs_centry *kbs_coverage_find(const kbs_centry *e, int n, int id);
/* Members with a level >= level (0..4) on block id; na never counts. */
uint32_t kbs_coverage_count_at_least(const kbs_centry *e, int n, int id, int level);
/* The six counts of block id (all zero when absent). */
void kbs_coverage_histogram(const kbs_centry *e, int n, int id, uint32_t out[KBS_NCOUNTS]);

#ifdef __cplusplus
}
#endif

#endif /* KBS_CORE_H */
