/* Shared fmgr glue: errors, datum access and helpers for the three types. */
#ifndef KBS_PG_H
#define KBS_PG_H

#include "postgres.h"
#include "fmgr.h"

#include "kbs_core.h"

/* Raises err as a PostgreSQL error about type typname; never returns. */
extern void kbs_pg_raise(const kbs_error *err, const char *typname) pg_attribute_noreturn();

/*
 * The internal transition states of the aggregates start with a magic number:
 * a user-defined aggregate that mixes support functions of different
 * aggregates gets this error (42804) instead of reading a foreign state.
 */
#define KBS_STATE_PROFILE_AGG 0x4b425046	/* "KBPF" */
#define KBS_STATE_REQUIREMENT_AGG 0x4b425251	/* "KBRQ" */
extern void kbs_pg_check_state(uint32 found, uint32 want, const char *fn);

/* A block id argument in 1..32767, or an error (22003). */
extern int	kbs_pg_check_block_id(int64 id);

/* Payload of a (possibly toasted or short-header) varlena datum. */
static inline const uint8_t *
kbs_payload(struct varlena *v, size_t *len)
{
	*len = VARSIZE_ANY_EXHDR(v);
	return (const uint8_t *) VARDATA_ANY(v);
}

/* A new varlena with room for a payload of size bytes; returns it and the payload. */
extern struct varlena *kbs_new_varlena(size_t size, uint8_t **payload);

/*
 * Upper bounds on entry counts, so buffers fit any valid or invalid input:
 * text and wire formats spend at least one byte per entry, a dense stored
 * profile 3 bits per block.
 */
static inline int
kbs_bound_entries(size_t input_len)
{
	return input_len + 1 > KBS_MAX_ENTRIES ? KBS_MAX_ENTRIES : (int) input_len + 1;
}

/* A stored coverage spends at least 6 bytes per block (dense, 1-byte counts). */
static inline int
kbs_bound_stored_coverage_entries(size_t len)
{
	return len / 6 + 2 > KBS_MAX_ENTRIES ? KBS_MAX_ENTRIES : (int) (len / 6 + 2);
}

static inline int
kbs_bound_stored_profile_entries(size_t len)
{
	return len > KBS_MAX_ENTRIES / 3 ? KBS_MAX_ENTRIES : (int) (3 * len + 8);
}

/* Decoded values (validated on load, so a damaged datum errors, not crashes). */
typedef struct
{
	int			n;
	kbs_pentry *e;
} kbs_profile_val;

typedef struct
{
	int			n;
	kbs_rentry *e;
} kbs_requirement_val;

typedef struct
{
	int			n;
	uint32_t	members;
	kbs_centry *e;
} kbs_coverage_val;

extern kbs_profile_val kbs_get_profile(struct varlena *v);
extern kbs_requirement_val kbs_get_requirement(struct varlena *v);
extern kbs_coverage_val kbs_get_coverage(struct varlena *v);
extern Datum kbs_profile_datum(const kbs_pentry *e, int n);
extern Datum kbs_requirement_datum(const kbs_rentry *e, int n);
extern Datum kbs_coverage_datum(const kbs_centry *e, int n, uint32_t members);

#define KBS_GETARG_VARLENA(i) ((struct varlena *) PG_DETOAST_DATUM_PACKED(PG_GETARG_DATUM(i)))

#endif
