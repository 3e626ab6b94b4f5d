/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* Big-endian helpers and the bounded cursor (salua/wire.h). */
#include "salua/salua.h"
#include "salua_test.h"
#include "guard.h"

int main(void)
{
	uint8_t b[8];
	struct salua_cursor c;
	struct guard g;
	const uint8_t *p;
	uint8_t u8;
	uint16_t u16;
	uint32_t u32;
	const uint8_t *view;

	T_CASE("put/get round trip");
	salua_put_be64(b, 0x0102030405060708ull);
	CHECK_EQ(b[0], 1);
	CHECK_EQ(b[7], 8);
	CHECK(salua_get_be64(b) == 0x0102030405060708ull);
	CHECK_EQ(salua_get_be32(b + 1), 0x02030405);
	CHECK_EQ(salua_get_be24(b + 1), 0x020304);
	CHECK_EQ(salua_get_be16(b + 6), 0x0708);
	salua_put_be16(b, 0xbeef);
	salua_put_be24(b + 2, 0xc0ffee);
	CHECK_EQ(salua_get_be16(b), 0xbeef);
	CHECK_EQ(salua_get_be24(b + 2), 0xc0ffee);
	salua_put_be32(b + 4, 0xdeadbeefu);
	CHECK(salua_get_be32(b + 4) == 0xdeadbeefu);

	T_CASE("cursor stops at the last received byte");
	p = guard_place(&g, "\x01\x02\x03\x04\x05", 5);
	salua_cursor_init(&c, p, 5);
	CHECK_EQ(salua_cursor_u8(&c, &u8), 0);
	CHECK_EQ(u8, 1);
	CHECK_EQ(salua_cursor_be16(&c, &u16), 0);
	CHECK_EQ(u16, 0x0203);
	CHECK_EQ(salua_cursor_be32(&c, &u32), -SALUA_ETRUNC);
	CHECK_EQ(c.off, 3);
	CHECK_EQ(salua_cursor_view(&c, 3, &view), -SALUA_ETRUNC);
	CHECK_EQ(salua_cursor_view(&c, 2, &view), 0);
	CHECK_EQ(view[1], 5);
	CHECK_EQ(salua_cursor_left(&c), 0);
	CHECK_EQ(salua_cursor_u8(&c, &u8), -SALUA_ETRUNC);
	CHECK_EQ(salua_cursor_skip(&c, 1), -SALUA_ETRUNC);
	CHECK_EQ(salua_cursor_skip(&c, 0), 0);
	guard_free(&g);

	T_CASE("NULL buffer is an empty cursor");
	salua_cursor_init(&c, NULL, 100);
	CHECK_EQ(salua_cursor_left(&c), 0);

	T_CASE("error strings");
	CHECK_STR(salua_strerror(-SALUA_ETRUNC), "truncated input");
	CHECK_STR(salua_errname(-SALUA_EMALFORMED), "emalformed");
	CHECK_STR(salua_state_name(SALUA_STATE_ANO), "active/non-optimized");
	CHECK_STR(salua_state_name(0x80 | SALUA_STATE_TRANSITIONING), "transitioning");
	CHECK_EQ(salua_state_sup_bit(SALUA_STATE_LBA_DEPENDENT), SALUA_SUP_LBD);
	CHECK(!salua_state_valid(5));
	return t_done("wire");
}
