/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * salua/inquiry.h - standard INQUIRY data (SPC-5 §6.7.2): decode for an
 * initiator (TPGS, device type, identification strings), encode for a
 * target.
 */
#ifndef SALUA_INQUIRY_H
#define SALUA_INQUIRY_H

#include "port.h"
#include "errors.h"
#include "proto.h"
#include "wire.h"

SALUA_BEGIN_DECLS

/* Standard INQUIRY data layout (SPC-5 §6.7.2, Table 148). */
#define SALUA_INQ_STD_LEN 36u /* through PRODUCT REVISION LEVEL */
#define SALUA_INQ_HDR_LEN 5u  /* bytes counted before ADDITIONAL LENGTH */
#define SALUA_INQ_VENDOR_OFF 8u
#define SALUA_INQ_VENDOR_LEN 8u
#define SALUA_INQ_PRODUCT_OFF 16u
#define SALUA_INQ_PRODUCT_LEN 16u
#define SALUA_INQ_REVISION_OFF 32u
#define SALUA_INQ_REVISION_LEN 4u
#define SALUA_INQ_PQ_SHIFT 5
#define SALUA_INQ_PDT_MASK 0x1fu
#define SALUA_INQ_RMB 0x80u      /* byte 1 */
#define SALUA_INQ_LU_CONG 0x40u  /* byte 1 */
#define SALUA_INQ_NORMACA 0x20u  /* byte 3 */
#define SALUA_INQ_HISUP 0x10u    /* byte 3 */
#define SALUA_INQ_RDF_MASK 0x0fu /* byte 3 */
#define SALUA_INQ_RDF_SPC 2u     /* the only defined RESPONSE DATA FORMAT */
#define SALUA_INQ_SCCS 0x80u     /* byte 5 */
#define SALUA_INQ_ACC 0x40u      /* byte 5 */
#define SALUA_INQ_TPGS_SHIFT 4   /* byte 5 bits 5:4 */
#define SALUA_INQ_TPGS_MASK 0x30u
#define SALUA_INQ_3PC 0x08u      /* byte 5 */
#define SALUA_INQ_PROTECT 0x01u  /* byte 5 */
#define SALUA_INQ_ENCSERV 0x40u  /* byte 6 */
#define SALUA_INQ_MULTIP 0x10u   /* byte 6 */
#define SALUA_INQ_CMDQUE 0x02u   /* byte 7 */

/**
 * struct salua_inquiry - standard INQUIRY data.
 * @len: decode: bytes that are meaningful, min(received, 5 + ADDITIONAL
 *	LENGTH) once byte 4 arrived, else received.  Encode: ignored.
 * @truncated: decode: fewer bytes arrived than ADDITIONAL LENGTH announces
 *	(normal when the allocation length was small), or byte 4 is missing.
 * @add_len: ADDITIONAL LENGTH (byte 4); decode: 0 if it did not arrive.
 *	Encode: ignored (31 is written).
 * @pq: PERIPHERAL QUALIFIER (byte 0 bits 7:5).
 * @pdt: PERIPHERAL DEVICE TYPE (byte 0 bits 4:0).
 * @rmb: RMB, removable medium.
 * @lu_cong: LU_CONG, logical unit conglomerate.
 * @version: VERSION (byte 2): 5 SPC-3, 6 SPC-4, 7 SPC-5.
 * @normaca: NORMACA.
 * @hisup: HISUP, hierarchical LUN addressing.
 * @rdf: RESPONSE DATA FORMAT (2).
 * @tpgs: TPGS (byte 5 bits 5:4): SALUA_TPGS_NONE/IMPLICIT/EXPLICIT/BOTH,
 *	or -1 when byte 5 is not among the meaningful bytes.
 * @sccs: SCCS.
 * @acc: ACC.
 * @tpc: 3PC, third-party copy.
 * @protect: PROTECT.
 * @encserv: ENCSERV (byte 6; false when byte 6 did not arrive).
 * @multip: MULTIP, multi-port device (byte 6).
 * @cmdque: CMDQUE (byte 7).
 * @vendor: T10 VENDOR IDENTIFICATION (bytes 8..15): zero-copy view, NULL
 *	when none of it arrived.  Encode: up to 8 bytes, space padded.
 * @vendor_len: bytes of @vendor that are meaningful (8, fewer if cut).
 * @product: PRODUCT IDENTIFICATION (bytes 16..31).
 * @product_len: up to 16.
 * @revision: PRODUCT REVISION LEVEL (bytes 32..35).
 * @revision_len: up to 4.
 * @partial: decode: SALUA_INQ_PARTIAL_* bits of the identification fields
 *	that began to arrive but were cut (their views hold only the bytes
 *	that arrived: never present such a field as the whole value).  A
 *	field of which nothing arrived has a NULL view and no bit.  Encode:
 *	ignored.
 */
struct salua_inquiry {
	size_t len;
	bool truncated;
	uint8_t add_len;
	uint8_t pq;
	uint8_t pdt;
	bool rmb;
	bool lu_cong;
	uint8_t version;
	bool normaca;
	bool hisup;
	uint8_t rdf;
	int tpgs;
	bool sccs;
	bool acc;
	bool tpc;
	bool protect;
	bool encserv;
	bool multip;
	bool cmdque;
	const uint8_t *vendor;
	size_t vendor_len;
	const uint8_t *product;
	size_t product_len;
	const uint8_t *revision;
	size_t revision_len;
	uint8_t partial;
};

/* struct salua_inquiry @partial bits. */
#define SALUA_INQ_PARTIAL_VENDOR 0x1u
#define SALUA_INQ_PARTIAL_PRODUCT 0x2u
#define SALUA_INQ_PARTIAL_REVISION 0x4u

/**
 * salua_inquiry_tpgs() - TPGS of standard INQUIRY data, nothing else.
 * @buf: INQUIRY data as received.
 * @len: bytes received.
 *
 * Byte 5 counts only if it arrived and lies inside 5 + ADDITIONAL LENGTH.
 *
 * Context: any; pure.
 * Return: 0..3 (SALUA_TPGS_*), or -1 when unknown.
 */
SALUA_INLINE int salua_inquiry_tpgs(const uint8_t *buf, size_t len)
{
	if (!buf || len < 6 || buf[4] < 1)
		return -1;
	return (int)((buf[5] & SALUA_INQ_TPGS_MASK) >> SALUA_INQ_TPGS_SHIFT);
}

/**
 * salua_ascii_trim() - strip leading and trailing spaces and NULs.
 * @p: in/out: first byte of a space-padded ASCII field (may be NULL when
 *	@n is 0).
 * @n: in/out: its length.
 *
 * For INQUIRY identification fields and VPD strings, which SPC pads with
 * spaces (SPC-5 ASCII data field rules) and some devices with NULs.
 *
 * Context: any.
 */
SALUA_INLINE void salua_ascii_trim(const uint8_t **p, size_t *n)
{
	while (*n && ((*p)[*n - 1] == ' ' || (*p)[*n - 1] == 0))
		(*n)--;
	while (*n && (**p == ' ' || **p == 0)) {
		(*p)++;
		(*n)--;
	}
}

/**
 * salua_inquiry_decode() - decode standard INQUIRY data (SPC-5 §6.7.2).
 * @buf: INQUIRY data as received.
 * @len: bytes received (not the ADDITIONAL LENGTH claim).
 * @out: result; zeroed first.
 *
 * Bytes past 5 + ADDITIONAL LENGTH are ignored even when received (some
 * devices transfer trailing padding); bytes not received are absent:
 * @out->tpgs is -1 without byte 5, and the identification views are
 * shortened (with their @out->partial bit) or NULL.  A response shorter
 * than 36 bytes is not an error.
 *
 * Context: any; pure.
 * Return: 0, -SALUA_EINVAL (NULL @out, or NULL @buf with @len > 0),
 * -SALUA_ETRUNC (@len == 0).
 */
SALUA_API int salua_inquiry_decode(const uint8_t *buf, size_t len,
				   struct salua_inquiry *out);

/**
 * salua_inquiry_encode() - encode standard INQUIRY data for a target.
 * @in: the values; @len, @truncated and @add_len are ignored.  Identification
 *	views may be shorter than their field (padded with spaces) or NULL.
 * @buf: output.
 * @alloc_len: ALLOCATION LENGTH of the CDB, or the capacity of @buf if
 *	smaller; nothing is written past it.
 *
 * Builds the 36-byte response (ADDITIONAL LENGTH 31) and transfers its
 * first min(36, @alloc_len) bytes, as SPC-5 wants for a short
 * allocation length.
 *
 * Context: any.
 * Return: bytes written; -SALUA_EINVAL (NULL pointer with @alloc_len > 0,
 * @pq > 7, @pdt > 31, @rdf > 15, @tpgs outside 0..3, or a view longer than
 * its field or NULL with a length).
 */
SALUA_API int salua_inquiry_encode(const struct salua_inquiry *in,
				   uint8_t *buf, size_t alloc_len);

SALUA_END_DECLS

#endif /* SALUA_INQUIRY_H */

#if (defined(SALUA_IMPLEMENTATION) || defined(SALUA_STATIC)) && \
	!defined(SALUA_INQUIRY_IMPL_DONE)
#define SALUA_INQUIRY_IMPL_DONE
SALUA_BEGIN_DECLS

/* A view of field [off, off + n) clipped to the meaningful bytes. */
SALUA_INLINE void salua__inq_view(const uint8_t *buf, size_t mlen, size_t off,
				  size_t n, const uint8_t **v, size_t *vlen)
{
	if (mlen <= off) {
		*v = NULL;
		*vlen = 0;
		return;
	}
	*v = buf + off;
	*vlen = mlen - off < n ? mlen - off : n;
}

SALUA_API int salua_inquiry_decode(const uint8_t *buf, size_t len,
				   struct salua_inquiry *out)
{
	size_t mlen = len;

	if (!out)
		return -SALUA_EINVAL;
	memset(out, 0, sizeof(*out));
	out->tpgs = -1;
	if (!buf && len)
		return -SALUA_EINVAL;
	if (len < 1)
		return -SALUA_ETRUNC;
	if (len > 4) {
		out->add_len = buf[4];
		if ((size_t)buf[4] + SALUA_INQ_HDR_LEN < mlen)
			mlen = (size_t)buf[4] + SALUA_INQ_HDR_LEN;
		out->truncated = len < (size_t)buf[4] + SALUA_INQ_HDR_LEN;
	} else {
		out->truncated = true;
	}
	out->len = mlen;

	out->pq = (uint8_t)(buf[0] >> SALUA_INQ_PQ_SHIFT);
	out->pdt = (uint8_t)(buf[0] & SALUA_INQ_PDT_MASK);
	if (mlen > 1) {
		out->rmb = (buf[1] & SALUA_INQ_RMB) != 0;
		out->lu_cong = (buf[1] & SALUA_INQ_LU_CONG) != 0;
	}
	if (mlen > 2)
		out->version = buf[2];
	if (mlen > 3) {
		out->normaca = (buf[3] & SALUA_INQ_NORMACA) != 0;
		out->hisup = (buf[3] & SALUA_INQ_HISUP) != 0;
		out->rdf = (uint8_t)(buf[3] & SALUA_INQ_RDF_MASK);
	}
	if (mlen > 5) {
		out->sccs = (buf[5] & SALUA_INQ_SCCS) != 0;
		out->acc = (buf[5] & SALUA_INQ_ACC) != 0;
		out->tpgs = (int)((buf[5] & SALUA_INQ_TPGS_MASK) >>
				  SALUA_INQ_TPGS_SHIFT);
		out->tpc = (buf[5] & SALUA_INQ_3PC) != 0;
		out->protect = (buf[5] & SALUA_INQ_PROTECT) != 0;
	}
	if (mlen > 6) {
		out->encserv = (buf[6] & SALUA_INQ_ENCSERV) != 0;
		out->multip = (buf[6] & SALUA_INQ_MULTIP) != 0;
	}
	if (mlen > 7)
		out->cmdque = (buf[7] & SALUA_INQ_CMDQUE) != 0;
	salua__inq_view(buf, mlen, SALUA_INQ_VENDOR_OFF, SALUA_INQ_VENDOR_LEN,
			&out->vendor, &out->vendor_len);
	salua__inq_view(buf, mlen, SALUA_INQ_PRODUCT_OFF, SALUA_INQ_PRODUCT_LEN,
			&out->product, &out->product_len);
	salua__inq_view(buf, mlen, SALUA_INQ_REVISION_OFF,
			SALUA_INQ_REVISION_LEN, &out->revision,
			&out->revision_len);
	if (out->vendor && out->vendor_len < SALUA_INQ_VENDOR_LEN)
		out->partial |= SALUA_INQ_PARTIAL_VENDOR;
	if (out->product && out->product_len < SALUA_INQ_PRODUCT_LEN)
		out->partial |= SALUA_INQ_PARTIAL_PRODUCT;
	if (out->revision && out->revision_len < SALUA_INQ_REVISION_LEN)
		out->partial |= SALUA_INQ_PARTIAL_REVISION;
	return 0;
}

/* Copy a view into a space-padded field; false if it does not fit. */
SALUA_INLINE bool salua__inq_put(uint8_t *b, const uint8_t *v, size_t vlen,
				 size_t n)
{
	if (vlen > n || (!v && vlen))
		return false;
	memset(b, ' ', n);
	if (vlen)
		memcpy(b, v, vlen);
	return true;
}

SALUA_API int salua_inquiry_encode(const struct salua_inquiry *in,
				   uint8_t *buf, size_t alloc_len)
{
	uint8_t r[SALUA_INQ_STD_LEN];
	size_t n;

	if (!in || (!buf && alloc_len))
		return -SALUA_EINVAL;
	if (in->pq > 7u || in->pdt > SALUA_INQ_PDT_MASK ||
	    in->rdf > SALUA_INQ_RDF_MASK || in->tpgs < 0 || in->tpgs > 3)
		return -SALUA_EINVAL;
	memset(r, 0, sizeof(r));
	if (!salua__inq_put(r + SALUA_INQ_VENDOR_OFF, in->vendor,
			    in->vendor_len, SALUA_INQ_VENDOR_LEN) ||
	    !salua__inq_put(r + SALUA_INQ_PRODUCT_OFF, in->product,
			    in->product_len, SALUA_INQ_PRODUCT_LEN) ||
	    !salua__inq_put(r + SALUA_INQ_REVISION_OFF, in->revision,
			    in->revision_len, SALUA_INQ_REVISION_LEN))
		return -SALUA_EINVAL;
	r[0] = (uint8_t)((unsigned)in->pq << SALUA_INQ_PQ_SHIFT | in->pdt);
	r[1] = (uint8_t)((in->rmb ? SALUA_INQ_RMB : 0u) |
			 (in->lu_cong ? SALUA_INQ_LU_CONG : 0u));
	r[2] = in->version;
	r[3] = (uint8_t)((in->normaca ? SALUA_INQ_NORMACA : 0u) |
			 (in->hisup ? SALUA_INQ_HISUP : 0u) | in->rdf);
	r[4] = (uint8_t)(SALUA_INQ_STD_LEN - SALUA_INQ_HDR_LEN);
	r[5] = (uint8_t)((in->sccs ? SALUA_INQ_SCCS : 0u) |
			 (in->acc ? SALUA_INQ_ACC : 0u) |
			 ((unsigned)in->tpgs << SALUA_INQ_TPGS_SHIFT) |
			 (in->tpc ? SALUA_INQ_3PC : 0u) |
			 (in->protect ? SALUA_INQ_PROTECT : 0u));
	r[6] = (uint8_t)((in->encserv ? SALUA_INQ_ENCSERV : 0u) |
			 (in->multip ? SALUA_INQ_MULTIP : 0u));
	r[7] = (uint8_t)(in->cmdque ? SALUA_INQ_CMDQUE : 0u);
	n = alloc_len < sizeof(r) ? alloc_len : sizeof(r);
	if (n)
		memcpy(buf, r, n);
	return (int)n;
}

SALUA_END_DECLS
#endif
