/*
 * kbs_format.h — the byte layouts of the three types in one place: header
 * sizes of the stored (datum payload) and wire (send/recv) formats, and the
 * explicit byte-order readers and writers every encoder, decoder and the
 * aggregate's fast path use. The layouts themselves are described next to
 * each type's functions in kbs_core.h; what they mean, in docs/semantics.md
 * §2. Internal to src/core.
 */
#ifndef KBS_FORMAT_H
#define KBS_FORMAT_H

#include <stdint.h>
#include <string.h>

#include "kbs_core.h"

/* kbs.profile stored: version, layout; sparse: n x 3 bytes; dense: uint16 base, uint16 span, 3 planes */
#define KBS_PROFILE_SPARSE_HDR 2
#define KBS_PROFILE_DENSE_HDR 6
#define KBS_PROFILE_SPARSE_ENTRY 3
/* kbs.profile wire: version, uint32 n, n x (uint16 id, code) */
#define KBS_PROFILE_WIRE_HDR 5

/* kbs.coverage stored: version, count width, layout, uint32 members, then the layout's header */
#define KBS_COVERAGE_HDR 7
#define KBS_COVERAGE_SPARSE_HDR (KBS_COVERAGE_HDR + 2) /* uint16 n */
#define KBS_COVERAGE_DENSE_HDR (KBS_COVERAGE_HDR + 4)  /* uint16 base, uint16 span */
#define KBS_COVERAGE_MEMBERS_OFF 3
/* kbs.coverage wire: version, uint32 members, uint32 n, n x (uint16 id, 6 x uint32) */
#define KBS_COVERAGE_WIRE_HDR 9
#define KBS_COVERAGE_WIRE_ENTRY (2 + 4 * KBS_NCOUNTS)

/* kbs.requirement stored: version, n x 7 bytes; wire: version, uint32 n, n x 8 bytes */
#define KBS_REQUIREMENT_STORE_HDR 1
#define KBS_REQUIREMENT_STORE_ENTRY 7
#define KBS_REQUIREMENT_WIRE_HDR 5
#define KBS_REQUIREMENT_WIRE_ENTRY 8

/* Explicit byte order: storage is little-endian, wire big-endian. */
static inline void kbs_put_u16le(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t) (v & 0xff);
	p[1] = (uint8_t) ((v >> 8) & 0xff);
}

static inline void kbs_put_u32le(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t) (v & 0xff);
	p[1] = (uint8_t) ((v >> 8) & 0xff);
	p[2] = (uint8_t) ((v >> 16) & 0xff);
	p[3] = (uint8_t) ((v >> 24) & 0xff);
}

static inline uint32_t kbs_get_u16le(const uint8_t *p)
{
	return (uint32_t) p[0] | ((uint32_t) p[1] << 8);
}

static inline uint32_t kbs_get_u32le(const uint8_t *p)
{
	return (uint32_t) p[0] | ((uint32_t) p[1] << 8) | ((uint32_t) p[2] << 16) | ((uint32_t) p[3] << 24);
}

static inline void kbs_put_u16be(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t) ((v >> 8) & 0xff);
	p[1] = (uint8_t) (v & 0xff);
}

static inline void kbs_put_u32be(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t) ((v >> 24) & 0xff);
	p[1] = (uint8_t) ((v >> 16) & 0xff);
	p[2] = (uint8_t) ((v >> 8) & 0xff);
	p[3] = (uint8_t) (v & 0xff);
}

static inline uint32_t kbs_get_u16be(const uint8_t *p)
{
	return ((uint32_t) p[0] << 8) | (uint32_t) p[1];
}

static inline uint32_t kbs_get_u32be(const uint8_t *p)
{
	return ((uint32_t) p[0] << 24) | ((uint32_t) p[1] << 16) | ((uint32_t) p[2] << 8) | (uint32_t) p[3];
}

/* Eight stored bytes at any alignment as one little-endian word (a bit-plane chunk). */
static inline uint64_t kbs_load_le64(const uint8_t *p)
{
#if defined(__BYTE_ORDER__) && defined(__ORDER_LITTLE_ENDIAN__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
#elif defined(__GNUC__) && defined(__BYTE_ORDER__) && defined(__ORDER_BIG_ENDIAN__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return __builtin_bswap64(v);
#else
	uint64_t v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
#endif
}

static inline void kbs_store_le64(uint8_t *p, uint64_t v)
{
#if defined(__BYTE_ORDER__) && defined(__ORDER_LITTLE_ENDIAN__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	memcpy(p, &v, sizeof(v));
#else
	int i;

	for (i = 0; i < 8; i++)
		p[i] = (uint8_t) (v >> (8 * i));
#endif
}

#endif /* KBS_FORMAT_H */
