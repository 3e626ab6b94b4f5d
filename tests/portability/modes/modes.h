/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* Entry points of the build-mode translation units (C linkage). */
#ifndef MODES_H
#define MODES_H

#ifdef __cplusplus
extern "C" {
#endif

int tu_impl(int *ngroups);
int tu_decl(int *ngroups);
int tu_static_a(int *ngroups);
int tu_static_b(int *ngroups);
int tu_cxx_decl(int *ngroups);
int tu_cxx_static(int *ngroups);

#ifdef __cplusplus
}
#endif

#endif /* MODES_H */
