/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * salua/errors.h - pinned error codes.
 *
 * Every fallible core function returns an int: >= 0 on success (often a
 * length or a count), or one of the negative codes below.  The values are
 * part of the ABI and never change.  A disposition or an access state is a
 * value, never an error.
 */
#ifndef SALUA_ERRORS_H
#define SALUA_ERRORS_H

#include "port.h"

SALUA_BEGIN_DECLS

/**
 * enum salua_err - error codes returned (negated) by the core.
 * @SALUA_OK: success.
 * @SALUA_EINVAL: invalid argument from the caller (NULL pointer, value out
 *	of range for the field it goes into).
 * @SALUA_ETRUNC: the input ended before a structure it announces; the
 *	bytes that did arrive were valid so far.
 * @SALUA_EMALFORMED: the input contradicts itself or the standard (a
 *	length that overruns its container, a reserved value where a defined
 *	one is required).
 * @SALUA_ENOSPC: the caller's output buffer or array is too small; the
 *	function reports the size it needs where it has an out parameter.
 * @SALUA_ENOTSUP: well-formed, but a feature or value the function does
 *	not handle (for example an unknown page code).
 * @SALUA_ENOENT: the item looked for (a designator, a descriptor) is absent.
 * @SALUA_EPAGE: the page or response code is not the one expected.
 * @SALUA_EBUSY: the object is busy (an operation of this kind is already
 *	in progress).
 * @SALUA_ESTATE: the operation is not valid in the object's current state.
 */
enum salua_err {
	SALUA_OK = 0,
	SALUA_EINVAL = 1,
	SALUA_ETRUNC = 2,
	SALUA_EMALFORMED = 3,
	SALUA_ENOSPC = 4,
	SALUA_ENOTSUP = 5,
	SALUA_ENOENT = 6,
	SALUA_EPAGE = 7,
	SALUA_EBUSY = 8,
	SALUA_ESTATE = 9
};

#if !defined(SALUA_NO_STRINGS)
/**
 * salua_strerror() - short English text for an error code.
 * @err: a return value (negative code, 0, or positive count).
 *
 * Compiled out with SALUA_NO_STRINGS for size-constrained firmware.
 *
 * Context: any.
 * Return: a static string; never NULL.
 */
SALUA_INLINE const char *salua_strerror(int err)
{
	switch (err < 0 ? -err : 0) {
	case SALUA_OK: return "success";
	case SALUA_EINVAL: return "invalid argument";
	case SALUA_ETRUNC: return "truncated input";
	case SALUA_EMALFORMED: return "malformed input";
	case SALUA_ENOSPC: return "buffer too small";
	case SALUA_ENOTSUP: return "not supported";
	case SALUA_ENOENT: return "not found";
	case SALUA_EPAGE: return "unexpected page or response code";
	case SALUA_EBUSY: return "busy";
	case SALUA_ESTATE: return "invalid in current state";
	default: return "unknown error";
	}
}

/**
 * salua_errname() - stable identifier for an error code, for JSON output.
 * @err: a return value.
 *
 * Return: "ok", "einval", "etrunc", ... ; never NULL.
 */
SALUA_INLINE const char *salua_errname(int err)
{
	switch (err < 0 ? -err : 0) {
	case SALUA_OK: return "ok";
	case SALUA_EINVAL: return "einval";
	case SALUA_ETRUNC: return "etrunc";
	case SALUA_EMALFORMED: return "emalformed";
	case SALUA_ENOSPC: return "enospc";
	case SALUA_ENOTSUP: return "enotsup";
	case SALUA_ENOENT: return "enoent";
	case SALUA_EPAGE: return "epage";
	case SALUA_EBUSY: return "ebusy";
	case SALUA_ESTATE: return "estate";
	default: return "unknown";
	}
}
#endif

SALUA_END_DECLS

#endif /* SALUA_ERRORS_H */
