/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * salua/port.h - the one place that knows the environment.
 *
 * Everything else in the core includes this header and nothing from the
 * OS.  Three environments are recognised:
 *
 *  - SALUA_CONFIG_HEADER defined: firmware names its own header, which must
 *    provide uint8_t..uint64_t, size_t, bool, memcpy, memset and memcmp.
 *  - __KERNEL__: the Linux kernel's own types and string helpers.
 *  - otherwise: hosted or freestanding C99 / C++ (<stdint.h>, <stddef.h>,
 *    <string.h>; a -ffreestanding build only needs mem{cpy,set,cmp}).
 *
 * Build modes (as xxHash and stb do them), chosen before the first include:
 *
 *  - default: larger functions are only declared (SALUA_API = extern);
 *    link against one translation unit built with SALUA_IMPLEMENTATION, or
 *    against the salua library that CMake builds.
 *  - SALUA_IMPLEMENTATION: this translation unit also defines them.
 *  - SALUA_STATIC: every includer gets private static definitions (kernel
 *    modules, firmware, single-file tools).  No symbol is exported.
 *
 * Tiny helpers are always static inline.
 *
 * Each header keeps its definitions after its include guard, in a block
 * opened by
 *   #if (defined(SALUA_IMPLEMENTATION) || defined(SALUA_STATIC)) &&
 *       !defined(SALUA_<NAME>_IMPL_DONE)
 * so a translation unit may include the declarations first and the
 * implementation later.
 */
#ifndef SALUA_PORT_H
#define SALUA_PORT_H

#if defined(SALUA_CONFIG_HEADER)
#include SALUA_CONFIG_HEADER
#elif defined(__KERNEL__)
#include <linux/types.h>
#include <linux/string.h>
#include <linux/bug.h>
#include <linux/build_bug.h>
#else
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#if !defined(__cplusplus)
#include <stdbool.h>
#endif
#endif

#if defined(__GNUC__) || defined(__clang__)
#define SALUA_MAYBE_UNUSED __attribute__((unused))
#else
#define SALUA_MAYBE_UNUSED
#endif

#if defined(SALUA_STATIC)
#define SALUA_API static SALUA_MAYBE_UNUSED
#else
#define SALUA_API extern
#endif

/* Tiny helpers: defined in every includer, unused ones cost nothing. */
#define SALUA_INLINE static inline SALUA_MAYBE_UNUSED

#if defined(__cplusplus)
#define SALUA_BEGIN_DECLS extern "C" {
#define SALUA_END_DECLS }
#else
#define SALUA_BEGIN_DECLS
#define SALUA_END_DECLS
#endif

/* Compile-time assertion usable at file scope in C99 and C++98. */
#define SALUA__CAT2(a, b) a##b
#define SALUA__CAT(a, b) SALUA__CAT2(a, b)
#define SALUA_STATIC_ASSERT(cond, tag)                                         \
	typedef char SALUA__CAT(salua__sa_##tag##_, __LINE__)[(cond) ? 1 : -1]   \
		SALUA_MAYBE_UNUSED

/*
 * SALUA_ASSERT() checks internal invariants in debug builds.  It is off
 * unless SALUA_DEBUG is defined (user space, tests) and maps to WARN_ON_ONCE
 * in the kernel.  Firmware may define its own before including.
 */
#ifndef SALUA_ASSERT
#if defined(__KERNEL__)
#define SALUA_ASSERT(x) WARN_ON_ONCE(!(x))
#elif defined(SALUA_DEBUG) && !defined(SALUA_CONFIG_HEADER)
#include <assert.h>
#define SALUA_ASSERT(x) assert(x)
#else
#define SALUA_ASSERT(x) ((void)0)
#endif
#endif

#define SALUA_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif /* SALUA_PORT_H */
