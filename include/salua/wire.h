/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * salua/wire.h - big-endian field access by byte offset, and a bounded
 * read cursor.
 *
 * SCSI is big-endian on the wire (SPC-5 §4.3.1).  Fields are read and
 * written by shifts so the code is the same on every host byte order and
 * alignment; no wire struct is ever overlaid on a buffer.
 */
#ifndef SALUA_WIRE_H
#define SALUA_WIRE_H

#include "port.h"
#include "errors.h"

SALUA_BEGIN_DECLS

SALUA_INLINE uint16_t salua_get_be16(const uint8_t *p)
{
	return (uint16_t)(((unsigned)p[0] << 8) | (unsigned)p[1]);
}

SALUA_INLINE uint32_t salua_get_be24(const uint8_t *p)
{
	return ((uint32_t)p[0] << 16) | ((uint32_t)p[1] << 8) | (uint32_t)p[2];
}

SALUA_INLINE uint32_t salua_get_be32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
	       ((uint32_t)p[2] << 8) | (uint32_t)p[3];
}

SALUA_INLINE uint64_t salua_get_be64(const uint8_t *p)
{
	return ((uint64_t)salua_get_be32(p) << 32) | salua_get_be32(p + 4);
}

SALUA_INLINE void salua_put_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

SALUA_INLINE void salua_put_be24(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 16);
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)v;
}

SALUA_INLINE void salua_put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

SALUA_INLINE void salua_put_be64(uint8_t *p, uint64_t v)
{
	salua_put_be32(p, (uint32_t)(v >> 32));
	salua_put_be32(p + 4, (uint32_t)v);
}

/**
 * struct salua_cursor - a read position inside a received buffer.
 * @p: first byte of the buffer.
 * @len: number of bytes actually received (never a length field's claim).
 * @off: current offset; always <= @len.
 *
 * Getters fail with -SALUA_ETRUNC instead of reading past @len and leave
 * @off unchanged on failure.
 */
struct salua_cursor {
	const uint8_t *p;
	size_t len;
	size_t off;
};

SALUA_INLINE void salua_cursor_init(struct salua_cursor *c, const void *p,
				    size_t len)
{
	c->p = (const uint8_t *)p;
	c->len = p ? len : 0;
	c->off = 0;
}

/* Bytes left after the current offset. */
SALUA_INLINE size_t salua_cursor_left(const struct salua_cursor *c)
{
	return c->len - c->off;
}

/* True if @n bytes starting at the current offset were received. */
SALUA_INLINE bool salua_cursor_has(const struct salua_cursor *c, size_t n)
{
	return n <= c->len - c->off;
}

SALUA_INLINE int salua_cursor_skip(struct salua_cursor *c, size_t n)
{
	if (!salua_cursor_has(c, n))
		return -SALUA_ETRUNC;
	c->off += n;
	return 0;
}

SALUA_INLINE int salua_cursor_u8(struct salua_cursor *c, uint8_t *v)
{
	if (!salua_cursor_has(c, 1))
		return -SALUA_ETRUNC;
	*v = c->p[c->off++];
	return 0;
}

SALUA_INLINE int salua_cursor_be16(struct salua_cursor *c, uint16_t *v)
{
	if (!salua_cursor_has(c, 2))
		return -SALUA_ETRUNC;
	*v = salua_get_be16(c->p + c->off);
	c->off += 2;
	return 0;
}

SALUA_INLINE int salua_cursor_be32(struct salua_cursor *c, uint32_t *v)
{
	if (!salua_cursor_has(c, 4))
		return -SALUA_ETRUNC;
	*v = salua_get_be32(c->p + c->off);
	c->off += 4;
	return 0;
}

/* Zero-copy view of the next @n bytes; NULL-safe on failure. */
SALUA_INLINE int salua_cursor_view(struct salua_cursor *c, size_t n,
				   const uint8_t **out)
{
	if (!salua_cursor_has(c, n))
		return -SALUA_ETRUNC;
	*out = c->p + c->off;
	c->off += n;
	return 0;
}

SALUA_END_DECLS

#endif /* SALUA_WIRE_H */
