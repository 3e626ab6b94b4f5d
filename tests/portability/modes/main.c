/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Links the build-mode TUs into one program and runs each one's checks.
 * Prints "modes: N passed, N failed" (one count per TU).
 */
#include <stdio.h>
#include "modes.h"

struct tu {
	const char *name;
	int (*fn)(int *ngroups);
};

int main(void)
{
	static const struct tu tus[] = {
		{ "impl (decl then impl, umbrella x3)", tu_impl },
		{ "decl (default mode)", tu_decl },
		{ "static_a (SALUA_STATIC, umbrella x2)", tu_static_a },
		{ "static_b (SALUA_STATIC)", tu_static_b },
		{ "cxx_decl (C++, default mode)", tu_cxx_decl },
		{ "cxx_static (C++, SALUA_STATIC)", tu_cxx_static },
	};
	unsigned i, pass = 0, fail = 0;

	for (i = 0; i < sizeof(tus) / sizeof(tus[0]); i++) {
		int groups = 0;
		int f = tus[i].fn(&groups);

		printf("%-40s %d check group(s), %d failure(s)\n", tus[i].name,
		       groups, f);
		if (f)
			fail++;
		else
			pass++;
	}
	printf("modes: %u passed, %u failed\n", pass, fail);
	return fail ? 1 : 0;
}
