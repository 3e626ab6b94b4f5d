/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * salua_dh.h - private declarations shared by the salua device handler's
 * translation units.
 */
#ifndef SALUA_DH_H
#define SALUA_DH_H

/**
 * struct salua_selftest_result - outcome of salua_dh_selftest().
 * @passed: checks that held.
 * @failed: checks that did not (each one is logged).
 */
struct salua_selftest_result {
	unsigned int passed;
	unsigned int failed;
};

/**
 * salua_dh_selftest() - run the core's codec vectors, encoder round trips,
 * disposition/prep tables and selector checks inside the kernel.
 * @res: out: counts.
 *
 * Context: process; no I/O, no allocation beyond the stack.
 */
void salua_dh_selftest(struct salua_selftest_result *res);

#endif /* SALUA_DH_H */
