/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * salua_null.h - the null transport: a path that reaches nothing.  Every
 * command is accepted and completes at once (inside submit) with
 * SALUA_XFER_TRANSPORT.  It is the template for a new transport (copy
 * salua_null.c, keep the ops table's shape, replace each op's body; the
 * comments there say what a real one does) and a test double for hosts:
 * a LU whose every path is null must fail its I/O with a clear error once
 * the no-path bound has passed.
 *
 * User space, C99.
 */
#ifndef SALUA_NULL_H
#define SALUA_NULL_H

#include "salua_transport.h"

#ifdef __cplusplus
extern "C" {
#endif

/* @native of every completion. */
#define SALUA_NULL_NATIVE 1

/**
 * struct salua_null - one null path.
 * @submitted: commands accepted.
 * @closed: close() ran; further submits return -ENOTCONN.
 */
struct salua_null {
	unsigned long submitted;
	bool closed;
};

extern const struct salua_transport_ops salua_null_ops;

/* Set up @n and point @t at it.  Return: 0. */
int salua_null_open(struct salua_null *n, struct salua_transport *t);

#ifdef __cplusplus
}
#endif

#endif /* SALUA_NULL_H */
