/*
 * bitslice.h — the bit-sliced kernels of kbs.coverage_agg's accumulator
 * (accum.c): pure operations on 64-bit words, each bit one block of a
 * 64-block word, with no knowledge of the accumulator's state.
 *
 * A "vertical counter" holds 64 small counts, one per block: plane j is a
 * word whose bit b is bit j of block b's count. The six counters d of a word
 * (see accum.c for what each counts) are interleaved: plane j of counter d
 * is v[j * BS_NCODES + d]. Counters are added to with carry-save adders
 * (add7) and read out with 8x8 transposes (vertical_counts).
 *
 * Internal to src/core; included by accum.c only. The small kernels are
 * static inline for the hot loops; the read-out routines are plain static,
 * so that the compiler decides as it did when they were in accum.c (their
 * inlining into the result path measurably slowed GROUP BY).
 */
#ifndef KBS_BITSLICE_H
#define KBS_BITSLICE_H

#include <stddef.h>
#include <stdint.h>

#include "kbs_format.h"

#define BS_PLANES 8 /* bits of a vertical counter */
#define BS_NCODES 6 /* codes 1..6; also the vertical counters per word */

static inline int
popcount64(uint64_t x)
{
	/* SWAR: __builtin_popcountll is a library call without -mpopcnt */
	x = x - ((x >> 1) & UINT64_C(0x5555555555555555));
	x = (x & UINT64_C(0x3333333333333333)) + ((x >> 2) & UINT64_C(0x3333333333333333));
	x = (x + (x >> 4)) & UINT64_C(0x0F0F0F0F0F0F0F0F);
	return (int) ((x * UINT64_C(0x0101010101010101)) >> 56);
}

static inline int
ctz64(uint64_t x) /* x != 0 */
{
#ifdef __GNUC__
	return __builtin_ctzll(x);
#else
	int n = 0;

	while ((x & 1) == 0)
	{
		x >>= 1;
		n++;
	}
	return n;
#endif
}

/* One delta swap of an 8x8 byte-matrix transpose between rows a and b. */
#define SWAP_BLOCK(a, b, sh, mask) \
	do { \
		uint64_t sb_t = (((a) >> (sh)) ^ (b)) & (mask); \
		(b) ^= sb_t; \
		(a) ^= sb_t << (sh); \
	} while (0)

/*
 * p points at eight bit-planes of 64 counters, stride apart (bit b of
 * p[j * stride] is bit j of counter b); planes >= nplanes count as zero.
 * Writes out[q] = the 8x8 byte transpose: byte j of out[q] is byte q of
 * plane j, i.e. plane j of counters 8q..8q+7.
 */
static inline void
transpose_bytes(const uint64_t *p, size_t stride, int nplanes, uint64_t out[8])
{
	uint64_t r0 = nplanes > 0 ? p[0] : 0, r1 = nplanes > 1 ? p[stride] : 0;
	uint64_t r2 = nplanes > 2 ? p[2 * stride] : 0, r3 = nplanes > 3 ? p[3 * stride] : 0;
	uint64_t r4 = nplanes > 4 ? p[4 * stride] : 0, r5 = nplanes > 5 ? p[5 * stride] : 0;
	uint64_t r6 = nplanes > 6 ? p[6 * stride] : 0, r7 = nplanes > 7 ? p[7 * stride] : 0;
	const uint64_t m32 = UINT64_C(0x00000000FFFFFFFF);
	const uint64_t m16 = UINT64_C(0x0000FFFF0000FFFF);
	const uint64_t m8 = UINT64_C(0x00FF00FF00FF00FF);

	SWAP_BLOCK(r0, r4, 32, m32);
	SWAP_BLOCK(r1, r5, 32, m32);
	SWAP_BLOCK(r2, r6, 32, m32);
	SWAP_BLOCK(r3, r7, 32, m32);
	SWAP_BLOCK(r0, r2, 16, m16);
	SWAP_BLOCK(r1, r3, 16, m16);
	SWAP_BLOCK(r4, r6, 16, m16);
	SWAP_BLOCK(r5, r7, 16, m16);
	SWAP_BLOCK(r0, r1, 8, m8);
	SWAP_BLOCK(r2, r3, 8, m8);
	SWAP_BLOCK(r4, r5, 8, m8);
	SWAP_BLOCK(r6, r7, 8, m8);
	out[0] = r0;
	out[1] = r1;
	out[2] = r2;
	out[3] = r3;
	out[4] = r4;
	out[5] = r5;
	out[6] = r6;
	out[7] = r7;
}

/* 8x8 bit transpose: bit k of byte j becomes bit j of byte k. */
static inline uint64_t
transpose_bits(uint64_t x)
{
	uint64_t t;

	t = (x ^ (x >> 7)) & UINT64_C(0x00AA00AA00AA00AA);
	x = x ^ t ^ (t << 7);
	t = (x ^ (x >> 14)) & UINT64_C(0x0000CCCC0000CCCC);
	x = x ^ t ^ (t << 14);
	t = (x ^ (x >> 28)) & UINT64_C(0x00000000F0F0F0F0);
	x = x ^ t ^ (t << 28);
	return x;
}

/* Bit q set when any bit of byte q of x is. */
static inline unsigned
byte_groups(uint64_t x)
{
	unsigned g = 0;
	int q;

	for (q = 0; q < 8; q++)
		if ((x >> (8 * q)) & 0xFF)
			g |= 1u << q;
	return g;
}

/*
 * The vertical counters v (planes < nplanes) as byte counts per code:
 * t[c][b] = count of code c + 1 on block b, for the blocks of the 8-block
 * groups set in groups (bit q: blocks 8q..8q+7); other bytes are undefined.
 * Per counter an 8x8 byte transpose across its planes, then per group of 8
 * blocks an 8x8 bit transpose of each counter and the derived -> code
 * subtraction, eight bytes at a time (no byte borrows: every result is a
 * count >= 0).
 */
static void
vertical_counts(const uint64_t *v, int nplanes, unsigned groups, uint8_t t[BS_NCODES][64])
{
	uint64_t r[BS_NCODES][8];
	int d, q;

	for (d = 0; d < BS_NCODES; d++)
		transpose_bytes(v + d, BS_NCODES, nplanes, r[d]);
	for (q = 0; q < 8; q++)
	{
		uint64_t d0, d1, d2, d3, d4, d5;

		if (!(groups & (1u << q)))
			continue;
		d0 = transpose_bits(r[0][q]);
		d1 = transpose_bits(r[1][q]);
		d2 = transpose_bits(r[2][q]);
		d3 = transpose_bits(r[3][q]);
		d4 = transpose_bits(r[4][q]);
		d5 = transpose_bits(r[5][q]);
		kbs_store_le64(t[0] + 8 * q, d0 - d3 - d4); /* code 1: level 0 */
		kbs_store_le64(t[1] + 8 * q, d1 - d3 - d5); /* code 2: level 1 */
		kbs_store_le64(t[2] + 8 * q, d3);           /* code 3: level 2 */
		kbs_store_le64(t[3] + 8 * q, d2 - d4 - d5); /* code 4: level 3 */
		kbs_store_le64(t[4] + 8 * q, d4);           /* code 5: level 4 */
		kbs_store_le64(t[5] + 8 * q, d5);           /* code 6: na */
	}
}

/* dst[c * 64 + b] += count of code c + 1 on block b in the vertical counters. */
static void
add_vertical(const uint64_t *v, int nplanes, uint32_t *dst)
{
	uint8_t t[BS_NCODES][64];
	int c, b;

	if (nplanes == 0)
		return;
	vertical_counts(v, nplanes, 0xFF, t);
	for (c = 0; c < BS_NCODES; c++, dst += 64)
		for (b = 0; b < 64; b++)
			dst[b] += t[c][b];
}

/*
 * Bit b set when one of block b's six counts in cw (laid out as cnt) is
 * non-zero. Loops the compiler vectorizes: the OR of the six rows, a 0/1
 * byte per block, then eight flags at a time gathered into a byte by one
 * multiply (flag j lands on bit 56 + j; lower partial products stay below
 * bit 56 and never carry).
 */
static uint64_t
counts_nonzero(const uint32_t *cw)
{
	uint32_t any[64];
	uint8_t flag[64];
	uint64_t nz = 0;
	int b, q;

	for (b = 0; b < 64; b++)
		any[b] = cw[b] | cw[64 + b] | cw[128 + b] | cw[192 + b] | cw[256 + b] | cw[320 + b];
	for (b = 0; b < 64; b++)
		flag[b] = any[b] != 0;
	for (q = 0; q < 8; q++)
		nz |= ((kbs_load_le64(flag + 8 * q) * UINT64_C(0x0102040810204080)) >> 56) << (8 * q);
	return nz;
}

/* (s, c) = sum and carry of x + y + z; the outputs may alias the inputs */
#define FULL_ADD(s, c, x, y, z) \
	do { \
		uint64_t fa_x = (x), fa_y = (y), fa_z = (z); \
		uint64_t fa_u = fa_x ^ fa_y; \
		(c) = (fa_x & fa_y) | (fa_u & fa_z); \
		(s) = fa_u ^ fa_z; \
	} while (0)

/*
 * Adds seven masks to the vertical counter whose plane 0 is v[0] (plane j
 * at v[j * BS_NCODES]): a carry-save tree makes a 3-bit number of them, which
 * a ripple-carry adder adds to the counter. top (3..BS_PLANES) is the number
 * of planes the counter can need afterwards: the bit length of the rows it
 * will hold (pending + nslots <= PENDING_CAP), so no carry is lost.
 */
static inline void
add7(uint64_t *v, int top, uint64_t m0, uint64_t m1, uint64_t m2, uint64_t m3,
	 uint64_t m4, uint64_t m5, uint64_t m6)
{
	uint64_t s1, c1, s2, c2, c3, o1, o2, o4, carry, t;
	int j;

	FULL_ADD(s1, c1, m0, m1, m2);
	FULL_ADD(s2, c2, m3, m4, m5);
	FULL_ADD(o1, c3, s1, s2, m6);
	FULL_ADD(o2, o4, c1, c2, c3);
	carry = v[0] & o1;
	v[0] ^= o1;
	t = v[BS_NCODES];
	FULL_ADD(v[BS_NCODES], carry, t, o2, carry);
	t = v[2 * BS_NCODES];
	FULL_ADD(v[2 * BS_NCODES], carry, t, o4, carry);
	/* no branch on the carry: it is hard to predict, top is not */
	for (j = 3; j < top; j++)
	{
		t = v[j * BS_NCODES] & carry;
		v[j * BS_NCODES] ^= carry;
		carry = t;
	}
}

#endif /* KBS_BITSLICE_H */
