/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* nsclock - print CLOCK_MONOTONIC in ns (busybox date has no %N). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <time.h>

int main(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	printf("%lld\n", (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec);
	return 0;
}
