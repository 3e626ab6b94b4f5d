/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * salua/identity.h - is a path still the same logical unit?  Compares what
 * a path answered for VPD pages 0x80 (Unit Serial Number) and 0x83 (Device
 * Identification) before and after a reconnect or rescan.
 *
 * A target may map another logical unit behind the same I_T_L nexus while
 * a path is down (LUN remapping, an array restored from another
 * configuration).  A multipath host that keeps using the path then writes
 * one LU's data into another.  NVMe's host does this check on rescan
 * (identifiers changed: the namespace is dropped), multipath-tools on a
 * uevent (check_path_wwid_change), libiscsi on reconnect.
 */
#ifndef SALUA_IDENTITY_H
#define SALUA_IDENTITY_H

#include "port.h"
#include "errors.h"
#include "proto.h"
#include "vpd.h"

SALUA_BEGIN_DECLS

/**
 * struct salua_ident - one path's identity answers (caller's buffers).
 * @vpd80: VPD page 0x80 as received, or NULL when not read / unsupported.
 * @vpd80_len: bytes of @vpd80.
 * @vpd83: VPD page 0x83 as received, or NULL.
 * @vpd83_len: bytes of @vpd83.
 */
struct salua_ident {
	const uint8_t *vpd80;
	size_t vpd80_len;
	const uint8_t *vpd83;
	size_t vpd83_len;
};

/**
 * enum salua_ident_verdict - salua_ident_compare()'s answer.
 * @SALUA_IDENT_SAME: something identifying was compared and all of it
 *	agrees.
 * @SALUA_IDENT_DIFFERENT: an identifier both answers carry differs: it is
 *	another logical unit.
 * @SALUA_IDENT_UNKNOWN: nothing to compare (a page missing, cut or
 *	malformed on one side, or no identifier in common).
 */
enum salua_ident_verdict {
	SALUA_IDENT_SAME = 0,
	SALUA_IDENT_DIFFERENT = 1,
	SALUA_IDENT_UNKNOWN = 2
};

/*
 * salua_ident_compare() @why bits: what was compared (..._CMP_*) and what
 * differed (..._DIFF_*).  NAME: the LU name as the kernel gives it
 * (salua_vpd83_lu_name(), what multipath groups by).  DESIG: LU designators
 * of the same kind (type, and NAA value for NAA) present on both sides.
 * SERIAL: the unit serial numbers, leading and trailing spaces ignored.
 */
#define SALUA_IDENT_CMP_NAME 0x01u
#define SALUA_IDENT_CMP_DESIG 0x02u
#define SALUA_IDENT_CMP_SERIAL 0x04u
#define SALUA_IDENT_DIFF_NAME 0x10u
#define SALUA_IDENT_DIFF_DESIG 0x20u
#define SALUA_IDENT_DIFF_SERIAL 0x40u

/**
 * salua_ident_compare() - do two sets of answers name the same LU?
 * @before: answers from before the reconnect or rescan.
 * @after: answers from after it.
 * @why: out, optional: SALUA_IDENT_CMP_* and SALUA_IDENT_DIFF_* bits.
 *
 * Rules, in order:
 *  1. Both pages 0x83 give a kernel LU name (salua_vpd83_lu_name()) and
 *     the names differ: DIFFERENT.
 *  2. A logical unit designator kind (T10 vendor ID, EUI-64 by length, NAA
 *     by NAA value, SCSI name string, MD5, UUID; association LU, no
 *     SALUA_VPD83_P_* problem) present on both sides whose values share
 *     nothing: DIFFERENT.  A kind present on one side only proves nothing
 *     (firmware may add a designator).
 *  3. Both pages 0x80 arrived whole and the serial numbers differ: DIFFERENT.
 *  4. Something of 1..3 was compared: SAME; otherwise UNKNOWN.
 * A page that is absent, cut or malformed on either side is left out of
 * the comparison.  Nothing is allocated; O(designators^2), at most a few
 * hundred byte compares for real pages.
 *
 * Context: any; pure.
 * Return: an enum salua_ident_verdict; -SALUA_EINVAL for NULL pointers.
 */
SALUA_API int salua_ident_compare(const struct salua_ident *before,
				  const struct salua_ident *after,
				  unsigned *why);

SALUA_END_DECLS

#endif /* SALUA_IDENTITY_H */

#if (defined(SALUA_IMPLEMENTATION) || defined(SALUA_STATIC)) && \
	!defined(SALUA_IDENTITY_IMPL_DONE)
#define SALUA_IDENTITY_IMPL_DONE
SALUA_BEGIN_DECLS

/* The kind a designator identifies by (0: not an LU identifier). */
SALUA_INLINE unsigned salua__ident_kind(const struct salua_vpd83_desig *d)
{
	if (d->assoc != SALUA_ASSOC_LU || d->problems || !d->len)
		return 0;
	switch (d->type) {
	case SALUA_DESIG_T10:
	case SALUA_DESIG_SCSI_NAME:
	case SALUA_DESIG_MD5:
	case SALUA_DESIG_UUID:
		return d->type;
	case SALUA_DESIG_EUI64:
		return 0x100u | d->len;
	case SALUA_DESIG_NAA:
		return 0x200u | d->naa;
	default:
		return 0;
	}
}

/* Whether the page @p walks cleanly (then it is comparable). */
SALUA_INLINE bool salua__ident_clean(const uint8_t *p, size_t len)
{
	struct salua_vpd83_iter it;
	struct salua_vpd83_desig d;
	int rc;

	if (!p || salua_vpd83_iter_init(&it, p, len) < 0)
		return false;
	while ((rc = salua_vpd83_next(&it, &d)) == 1)
		;
	return rc == 0;
}

/*
 * Rule 2 for one kind: does @b hold a designator of @kind, and does any of
 * them equal one of @a's of that kind?  Returns 0 no such kind in @b,
 * 1 a common value, 2 the kind on both sides but no common value.
 */
SALUA_INLINE int salua__ident_kind_cmp(const struct salua_ident *a,
				       const struct salua_ident *b,
				       unsigned kind)
{
	struct salua_vpd83_iter ia, ib;
	struct salua_vpd83_desig da, db;
	bool seen = false;

	salua_vpd83_iter_init(&ib, b->vpd83, b->vpd83_len);
	while (salua_vpd83_next(&ib, &db) == 1) {
		if (salua__ident_kind(&db) != kind)
			continue;
		seen = true;
		salua_vpd83_iter_init(&ia, a->vpd83, a->vpd83_len);
		while (salua_vpd83_next(&ia, &da) == 1)
			if (salua__ident_kind(&da) == kind &&
			    da.len == db.len &&
			    memcmp(da.value, db.value, da.len) == 0)
				return 1;
	}
	return seen ? 2 : 0;
}

/* Unit serial number without the spaces that pad it (SPC-5 §7.7.21). */
SALUA_INLINE bool salua__ident_serial(const uint8_t *p, size_t len,
				      const uint8_t **sn, size_t *n)
{
	if (!p || salua_vpd80_serial(p, len, sn, n) < 0)
		return false;
	while (*n && (*sn)[*n - 1] == ' ')
		(*n)--;
	while (*n && **sn == ' ') {
		(*sn)++;
		(*n)--;
	}
	return true;
}

SALUA_API int salua_ident_compare(const struct salua_ident *before,
				  const struct salua_ident *after,
				  unsigned *why)
{
	struct salua_vpd83_iter it;
	struct salua_vpd83_desig d, na, nb;
	const uint8_t *sa, *sb;
	size_t la, lb;
	unsigned w = 0, kind;
	int ra, rb, rc;

	if (why)
		*why = 0;
	if (!before || !after)
		return -SALUA_EINVAL;
	if (salua__ident_clean(before->vpd83, before->vpd83_len) &&
	    salua__ident_clean(after->vpd83, after->vpd83_len)) {
		ra = salua_vpd83_lu_desig(before->vpd83, before->vpd83_len, 0,
					  &na);
		rb = salua_vpd83_lu_desig(after->vpd83, after->vpd83_len, 0,
					  &nb);
		if (ra > 0 && rb > 0) {
			w |= SALUA_IDENT_CMP_NAME;
			if (na.type != nb.type || na.len != nb.len ||
			    memcmp(na.value, nb.value, na.len) != 0)
				w |= SALUA_IDENT_DIFF_NAME;
		}
		salua_vpd83_iter_init(&it, after->vpd83, after->vpd83_len);
		while (salua_vpd83_next(&it, &d) == 1) {
			kind = salua__ident_kind(&d);
			if (!kind)
				continue;
			rc = salua__ident_kind_cmp(before, after, kind);
			if (rc == 0)
				continue;
			/* present in @after; is it in @before at all? */
			if (salua__ident_kind_cmp(after, before, kind) == 0)
				continue;
			w |= SALUA_IDENT_CMP_DESIG;
			if (rc == 2)
				w |= SALUA_IDENT_DIFF_DESIG;
		}
	}
	if (salua__ident_serial(before->vpd80, before->vpd80_len, &sa, &la) &&
	    salua__ident_serial(after->vpd80, after->vpd80_len, &sb, &lb)) {
		w |= SALUA_IDENT_CMP_SERIAL;
		if (la != lb || memcmp(sa, sb, la) != 0)
			w |= SALUA_IDENT_DIFF_SERIAL;
	}
	if (why)
		*why = w;
	if (w & (SALUA_IDENT_DIFF_NAME | SALUA_IDENT_DIFF_DESIG |
		 SALUA_IDENT_DIFF_SERIAL))
		return SALUA_IDENT_DIFFERENT;
	return w ? SALUA_IDENT_SAME : SALUA_IDENT_UNKNOWN;
}

SALUA_END_DECLS
#endif
