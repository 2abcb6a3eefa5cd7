/*
 * kbs_accum.h — transition state of kbs.coverage_agg(kbs.profile): a fast
 * accumulator that takes stored profiles one row at a time and yields the
 * coverage (sorted kbs_centry array of the blocks with a non-zero count, and
 * the member count). Pure C11, no PostgreSQL headers.
 *
 * How it counts (details in accum.c)
 * - The state covers a range of 64-block words aligned to global block ids
 *   (word w holds ids 64w..64w+63). Per word: slots for up to 7 buffered
 *   dense rows, six 8-bit vertical ("bit-sliced") counters, and, once
 *   needed, plain uint32 counters per block and code.
 * - A dense profile is added 64 blocks at a time: its three code bit-planes
 *   (loaded with memcpy, any alignment) are shifted onto the word grid and
 *   buffered. Every 7 rows a carry-save adder tree sums the buffered rows'
 *   masks into 3-bit vertical numbers that are added to the vertical
 *   counters; before those could pass 255 they are flushed (8x64 bit
 *   transposes) into the plain counters.
 * - A sparse profile increments the plain counters directly.
 * - Results decode the vertical counters without flushing them, so asking
 *   for a result costs no state change beyond adding the buffered rows.
 * - Memory grows only when a row touches a block id outside the current
 *   word range (geometrically, towards the side that grew), plus once for
 *   the plain counters (first sparse row, add_coverage, add_stored or merge,
 *   or the 256th dense row since the last flush); other rows never
 *   allocate.
 *   About 550 bytes per word once a dense row came, plus 1.5 kB per word
 *   with plain counters (an accumulator that only adds coverages, sparse
 *   rows or other accumulators has only those).
 *
 * Memory
 * All memory comes from the caller's allocator, so PostgreSQL can pass
 * palloc/pfree bound to the aggregate's memory context. alloc need not zero
 * and may return NULL (reported as KBS_ERR_NOMEM); an alloc that never
 * returns (palloc raising ERROR) is fine too: the state then stays valid.
 * The allocator struct is copied; ctx must outlive the accumulator.
 *
 * Errors
 * Functions returning bool leave the accumulator unchanged when they return
 * false; kbs_accum_last_error then tells why:
 *   KBS_ERR_RANGE   the member count would pass 2147483647 (KBS_MAX_MEMBERS):
 *                   raise "coverage member count overflows";
 *   KBS_ERR_NOMEM   the allocator returned NULL;
 *   KBS_ERR_BINARY  a profile buffer failed the cheap structural checks
 *                   (version, layout, size, id range, sparse order);
 *   KBS_ERR_VALUE   kbs_accum_add_coverage got entries that are not a valid
 *                   coverage (ids 1..32767 strictly ascending, each entry's
 *                   counts adding up to at most members), or
 *                   kbs_accum_add_stored a buffer that is not a stored
 *                   coverage: raise "partial state is damaged".
 * Every per-block count stays at most the member count, so no count wraps.
 *
 * Thread safety: none; one accumulator per aggregate state.
 */
#ifndef KBS_ACCUM_H
#define KBS_ACCUM_H

#include "kbs_core.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct kbs_allocator
{
	void *(*alloc)(void *ctx, size_t size); /* zeroed memory not required */
	void (*free)(void *ctx, void *p);
	void *ctx;
} kbs_allocator;

typedef struct kbs_accum kbs_accum; /* opaque */

/* A new, empty accumulator (0 members); NULL when alloc returns NULL. */
kbs_accum *kbs_accum_create(const kbs_allocator *a);

/* Frees everything the accumulator allocated; NULL is a no-op. */
void kbs_accum_destroy(kbs_accum *acc);

/*
 * Adds one member. buf/len is a stored profile: the datum payload after the
 * varlena header, exactly as kbs_profile_store writes it, at any alignment.
 * buf NULL with len 0 is a member with nothing assessed (as is an empty
 * profile). The contents are trusted (written by kbs_profile_store): only
 * the structure is checked so that a bad buffer cannot touch memory outside
 * buf or the state; codes 0 and 7 are ignored. Returns false on member
 * overflow, allocation failure or a structurally bad buffer.
 */
bool kbs_accum_add_profile(kbs_accum *acc, const uint8_t *buf, size_t len);

/*
 * Adds a whole coverage: members plus the counts of e[0..n) (deserialized
 * partial states, merging coverages). e must be a valid coverage for
 * members (checked: ids 1..32767 strictly ascending, each entry's counts
 * adding up to at most members; all-zero entries are allowed); e may be
 * NULL when n is 0.
 */
#ifdef KBS_TESTING /* tests only: not in the shared library */
bool kbs_accum_add_coverage(kbs_accum *acc, const kbs_centry *e, int n, uint32_t members);
#endif

/*
 * Adds a stored coverage: buf/len is the payload of a kbs.coverage datum
 * (after the varlena header) exactly as kbs_coverage_store writes it, at any
 * alignment; the parallel combine step adds a serialized partial state this
 * way, without decoding it into entries first. Its members and counts go
 * straight into the plain counters.
 * The whole buffer is checked before anything changes, cheaply but fully
 * enough that no buffer can corrupt the state or be read out of bounds:
 * version, count width 1, 2 or 4, layout, members at most KBS_MAX_MEMBERS,
 * the exact size of the layout, the dense range within 1..32767, sparse ids
 * 1..32767 strictly ascending, and each block's six counts adding up to at
 * most members. Canonical form is not required (a non-minimal width, an
 * all-zero block or the larger layout are fine). Returns false, with the
 * accumulator unchanged, for a buffer failing a check (KBS_ERR_VALUE), on
 * member overflow (KBS_ERR_RANGE) or allocation failure (KBS_ERR_NOMEM).
 * Cost: proportional to len, and no allocation when the blocks lie inside
 * the range and the plain counters exist (after the first such call).
 */
bool kbs_accum_add_stored(kbs_accum *acc, const uint8_t *buf, size_t len);

/*
 * into += from (the parallel combine step). from is not modified; into ==
 * from doubles the accumulator.
 */
bool kbs_accum_merge(kbs_accum *into, const kbs_accum *from);

/*
 * The number of entries kbs_accum_result will write (at most
 * KBS_MAX_ENTRIES), and the member count. The accumulator stays usable
 * after both and after kbs_accum_result: window aggregates may ask for the
 * result repeatedly and keep adding rows in between.
 */
int kbs_accum_count_entries(kbs_accum *acc);
uint32_t kbs_accum_members(const kbs_accum *acc);

/*
 * An upper bound on kbs_accum_count_entries in constant time (64 per word of
 * the range, at most KBS_MAX_ENTRIES): when it is small, sizing the output
 * by it saves kbs_accum_count_entries's pass over the counters.
 */
int kbs_accum_entries_bound(const kbs_accum *acc);

/*
 * Writes the coverage entries to out (room for kbs_accum_count_entries or
 * kbs_accum_entries_bound entries), sorted by id, only blocks with a
 * non-zero count; returns n.
 */
int kbs_accum_result(kbs_accum *acc, kbs_centry *out);

/* Why the last failing call returned false (KBS_OK when none failed yet). */
kbs_errcode kbs_accum_last_error(const kbs_accum *acc);

#ifdef __cplusplus
}
#endif

#endif /* KBS_ACCUM_H */
