// SPDX-License-Identifier: GPL-2.0-only
/*
 * salua_dh_selftest.c - the core's checks, run inside the kernel at load
 * time (module parameter selftest=1): the public decoder vectors
 * (/work/shared/vectors, taken from sg3_utils' test data) with their
 * published expected decodes, encoder round trips, the sense/prep
 * disposition tables, the per-LU engine against a synchronous fake
 * target, and the multipath selector.  Proves the core builds and behaves
 * the same under the kernel's compiler flags, types and string helpers.
 */
#define pr_fmt(fmt) "salua: selftest: " fmt

#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/printk.h>

#define SALUA_STATIC
#include <salua/salua.h>

#include "salua_dh.h"

static struct salua_selftest_result *st_res;

static void st_check(const char *what, long got, long want)
{
	if (got == want) {
		st_res->passed++;
		return;
	}
	st_res->failed++;
	pr_err("FAIL %s: got %ld (0x%lx), want %ld (0x%lx)\n", what, got,
	       (unsigned long)got, want, (unsigned long)want);
}

/* Each argument is evaluated exactly once (some are calls with effects). */
#define ST_EQ(what, got, want) st_check(what, (long)(got), (long)(want))

static void st_str(const char *what, const char *got, const char *want)
{
	bool ok = !strcmp(got, want);

	if (!ok)
		pr_err("FAIL %s: got '%s', want '%s'\n", what, got, want);
	if (ok)
		st_res->passed++;
	else
		st_res->failed++;
}

/* ---- vectors (bytes from vectors.json; the comment names each source) ---- */
/* rtpg_sg3utils_testcode_dummy: doug-gilbert/sg3_utils src/sg_rtpg.c version 1.03 (2005) `dummy_resp[32]` under #ifdef TEST_CODE */
static const u8 v_rtpg_sg3utils_testcode_dummy[] = {
	0x00, 0x00, 0x00, 0x1c, 0x80, 0x03, 0x00, 0x01, 0x00, 0x02, 0x00, 0x02,
	0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02, 0x01, 0x03, 0x00, 0x02,
	0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x03,
};

/* vpd83_seagate_sas_hdd: doug-gilbert/sg3_utils inhex/vpd_dev_id.hex (commit aac31a34, 2022) -- Seagate SAS disk (IEEE OUI 0x000c50); expected decode published in inhex/README */
static const u8 v_vpd83_seagate_sas_hdd[] = {
	0x00, 0x83, 0x00, 0x48, 0x01, 0x03, 0x00, 0x08, 0x50, 0x00, 0xc5, 0x00,
	0x30, 0x11, 0xcb, 0x2b, 0x61, 0x93, 0x00, 0x08, 0x50, 0x00, 0xc5, 0x00,
	0x30, 0x11, 0xcb, 0x29, 0x61, 0x94, 0x00, 0x04, 0x00, 0x00, 0x00, 0x01,
	0x61, 0xa3, 0x00, 0x08, 0x50, 0x00, 0xc5, 0x00, 0x30, 0x11, 0xcb, 0x28,
	0x03, 0x28, 0x00, 0x18, 0x6e, 0x61, 0x61, 0x2e, 0x35, 0x30, 0x30, 0x30,
	0x43, 0x35, 0x30, 0x30, 0x33, 0x30, 0x31, 0x31, 0x43, 0x42, 0x32, 0x38,
	0x00, 0x00, 0x00, 0x00,
};

/* vpd83_scsi_debug: doug-gilbert/sg3_utils inhex/vpd_sdeb.hex (2022) -- `sg_vpd -a -HHHH` on a Linux scsi_debug device */
static const u8 v_vpd83_scsi_debug[] = {
	0x00, 0x83, 0x00, 0x70, 0x02, 0x01, 0x00, 0x1c, 0x4c, 0x69, 0x6e, 0x75,
	0x78, 0x20, 0x20, 0x20, 0x73, 0x63, 0x73, 0x69, 0x5f, 0x64, 0x65, 0x62,
	0x75, 0x67, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x32, 0x30, 0x30, 0x30,
	0x01, 0x03, 0x00, 0x08, 0x33, 0x33, 0x33, 0x30, 0x00, 0x00, 0x07, 0xd0,
	0x61, 0x94, 0x00, 0x04, 0x00, 0x00, 0x00, 0x01, 0x61, 0x93, 0x00, 0x08,
	0x32, 0x22, 0x22, 0x20, 0x00, 0x00, 0x07, 0xce, 0x61, 0x95, 0x00, 0x04,
	0x00, 0x00, 0x01, 0x00, 0x61, 0xa3, 0x00, 0x08, 0x32, 0x22, 0x22, 0x20,
	0x00, 0x00, 0x07, 0xcd, 0x63, 0xa8, 0x00, 0x18, 0x6e, 0x61, 0x61, 0x2e,
	0x33, 0x32, 0x32, 0x32, 0x32, 0x32, 0x32, 0x30, 0x30, 0x30, 0x30, 0x30,
	0x30, 0x37, 0x43, 0x44, 0x00, 0x00, 0x00, 0x00,
};

/* vpd83_emc_symmetrix_legacy_no_desc_header: doug-gilbert/sg3_utils inhex/vpd_di_old_emc_symm.hex -- old EMC Symmetrix (SCSI-2 era) page 0x83; the NAA tail was anonymised by the sg3_utils author */
static const u8 v_vpd83_emc_symmetrix_legacy_no_desc_header[] = {
	0x00, 0x83, 0x00, 0x10, 0x60, 0x06, 0x04, 0x80, 0x00, 0x12, 0x34, 0x56,
	0x78, 0x9a, 0xbc, 0xde, 0xf0, 0x12, 0x34, 0x56,
};

/* vpd83_emc_dmx: doug-gilbert/sg3_utils inhex/vpd_di_old_emc_symm.hex (comment: 'A later model (DMX ?) corrected this') */
static const u8 v_vpd83_emc_dmx[] = {
	0x00, 0x83, 0x00, 0x14, 0x01, 0x03, 0x00, 0x10, 0x60, 0x06, 0x04, 0x80,
	0x00, 0x01, 0x90, 0x10, 0x31, 0x89, 0x53, 0x30, 0x30, 0x34, 0x38, 0x34,
};

/* vpd83_sg3_all_designator_types: doug-gilbert/sg3_utils inhex/vpd_di_all.hex */
static const u8 v_vpd83_sg3_all_designator_types[] = {
	0x00, 0x83, 0x01, 0x04, 0x01, 0x00, 0x00, 0x16, 0x11, 0x22, 0x33, 0x44,
	0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0xed,
	0xcb, 0xa9, 0x87, 0x65, 0x43, 0x21, 0x02, 0x01, 0x00, 0x14, 0x41, 0x42,
	0x43, 0x20, 0x20, 0x20, 0x20, 0x20, 0x58, 0x59, 0x5a, 0x31, 0x32, 0x33,
	0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x01, 0x02, 0x00, 0x08, 0x11, 0x22,
	0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x01, 0x02, 0x00, 0x0c, 0x11, 0x22,
	0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x00, 0x00, 0x01, 0x23, 0x01, 0x02,
	0x00, 0x10, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0x11, 0x22,
	0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x01, 0x03, 0x00, 0x08, 0x51, 0x22,
	0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x01, 0x03, 0x00, 0x10, 0x61, 0x22,
	0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff,
	0xee, 0xdd, 0x01, 0x14, 0x00, 0x04, 0x00, 0x00, 0x00, 0x02, 0x01, 0x15,
	0x00, 0x04, 0x00, 0x00, 0x00, 0x03, 0x01, 0x06, 0x00, 0x04, 0x00, 0x00,
	0x00, 0x04, 0x01, 0x07, 0x00, 0x10, 0xff, 0xee, 0xdd, 0xcc, 0xbb, 0xaa,
	0x99, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11, 0x00, 0x03, 0x28,
	0x00, 0x28, 0x69, 0x71, 0x6e, 0x2e, 0x35, 0x38, 0x38, 0x36, 0x2e, 0x63,
	0x6f, 0x6d, 0x2e, 0x61, 0x63, 0x6d, 0x65, 0x2e, 0x64, 0x69, 0x73, 0x6b,
	0x61, 0x72, 0x72, 0x61, 0x79, 0x73, 0x2d, 0x73, 0x6e, 0x2d, 0x61, 0x38,
	0x36, 0x37, 0x35, 0x33, 0x30, 0x39, 0x91, 0x99, 0x00, 0x04, 0x04, 0x00,
	0x02, 0x00, 0xa1, 0x99, 0x00, 0x08, 0x01, 0x23, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x01, 0x0a, 0x00, 0x12, 0x10, 0x00, 0x11, 0x22, 0x33, 0x44,
	0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xfe, 0xdc,
};

/* vpd83_sg3_ctrl_char_in_strings: doug-gilbert/sg3_utils inhex/vpd_di_bad_all.hex */
static const u8 v_vpd83_sg3_ctrl_char_in_strings[] = {
	0x00, 0x83, 0x01, 0x08, 0x01, 0x00, 0x00, 0x16, 0x11, 0x22, 0x33, 0x44,
	0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0xed,
	0xcb, 0xa9, 0x87, 0x65, 0x43, 0x21, 0x02, 0x01, 0x00, 0x14, 0x41, 0x42,
	0x43, 0x20, 0x20, 0x20, 0x20, 0x0a, 0x58, 0x59, 0x5a, 0x31, 0x32, 0x33,
	0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x01, 0x02, 0x00, 0x08, 0x11, 0x22,
	0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x01, 0x02, 0x00, 0x0c, 0x11, 0x22,
	0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x00, 0x00, 0x01, 0x23, 0x01, 0x02,
	0x00, 0x10, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0x11, 0x22,
	0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x01, 0x03, 0x00, 0x08, 0x51, 0x22,
	0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x01, 0x03, 0x00, 0x10, 0x61, 0x22,
	0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff,
	0xee, 0xdd, 0x01, 0x14, 0x00, 0x04, 0x00, 0x00, 0x00, 0x02, 0x01, 0x15,
	0x00, 0x04, 0x00, 0x00, 0x00, 0x03, 0x01, 0x06, 0x00, 0x04, 0x00, 0x00,
	0x00, 0x04, 0x01, 0x07, 0x00, 0x10, 0xff, 0xee, 0xdd, 0xcc, 0xbb, 0xaa,
	0x99, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11, 0x00, 0x03, 0x28,
	0x00, 0x2c, 0x69, 0x71, 0x6e, 0x2e, 0x35, 0x38, 0x38, 0x36, 0x2e, 0x63,
	0x6f, 0x6d, 0x2e, 0x61, 0x63, 0x6d, 0x65, 0x2e, 0x64, 0x69, 0x73, 0x6b,
	0x61, 0x72, 0x72, 0x61, 0x79, 0x73, 0x2d, 0x73, 0x6e, 0x2d, 0x61, 0x38,
	0x36, 0x37, 0x35, 0x33, 0x30, 0x39, 0x0a, 0x62, 0x6f, 0x6f, 0x91, 0x99,
	0x00, 0x04, 0x04, 0x00, 0x02, 0x00, 0xa1, 0x99, 0x00, 0x08, 0x01, 0x23,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x0a, 0x00, 0x12, 0x10, 0x00,
	0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc,
	0xdd, 0xee, 0xfe, 0xdc,
};

/* vpd83_sg3_name_len_not_mult4: doug-gilbert/sg3_utils inhex/vpd_di_name_inject.hex */
static const u8 v_vpd83_sg3_name_len_not_mult4[] = {
	0x00, 0x83, 0x00, 0x24, 0x03, 0x08, 0x00, 0x1d, 0x69, 0x71, 0x6e, 0x2e,
	0x32, 0x30, 0x32, 0x36, 0x2d, 0x30, 0x35, 0x2e, 0x73, 0x67, 0x33, 0x0a,
	0x58, 0x5f, 0x53, 0x47, 0x33, 0x5f, 0x50, 0x52, 0x4f, 0x42, 0x45, 0x3d,
	0x31, 0x00, 0x00, 0x00,
};

/* inq_emc_symmetrix_trailing_bytes: doug-gilbert/sg3_utils inhex/inq_emc_symm.hex -- EMC Symmetrix standard INQUIRY (first 40 bytes) */
static const u8 v_inq_emc_symmetrix_trailing_bytes[] = {
	0x00, 0x00, 0x05, 0x02, 0x1f, 0x00, 0x00, 0x32, 0x45, 0x4d, 0x43, 0x20,
	0x20, 0x20, 0x20, 0x20, 0x53, 0x59, 0x4d, 0x4d, 0x45, 0x54, 0x52, 0x49,
	0x58, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x35, 0x38, 0x37, 0x36,
	0x20, 0x20, 0x20, 0x20,
};

/* inq_scsi_debug: doug-gilbert/sg3_utils inhex/inq_standard.hex -- Linux scsi_debug standard INQUIRY */
static const u8 v_inq_scsi_debug[] = {
	0x00, 0x00, 0x07, 0x02, 0x5b, 0x00, 0x10, 0x0a, 0x4c, 0x69, 0x6e, 0x75,
	0x78, 0x20, 0x20, 0x20, 0x73, 0x63, 0x73, 0x69, 0x5f, 0x64, 0x65, 0x62,
	0x75, 0x67, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x30, 0x31, 0x39, 0x31,
	0x32, 0x30, 0x32, 0x31, 0x30, 0x35, 0x32, 0x30, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xc0,
	0x05, 0xc0, 0x06, 0x00, 0x21, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

/* sense_real_fixed_not_ready_tray_open: linux-scsi / linux-fsdevel, Michal Suchanek (SUSE), Oct 2019, '[PATCH v2 7/8] scsi: sr: workaround VMware ESXi cdrom emulation bug' -- sg3_utils 'Raw  */
static const u8 v_sense_real_fixed_not_ready_tray_open[] = {
	0x70, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x0a, 0x00, 0x00, 0x00, 0x00,
	0x3a, 0x02, 0x00, 0x00, 0x00, 0x00,
};

/* sense_sg3_descriptor_many: doug-gilbert/sg3_utils inhex/descriptor_sense.hex */
static const u8 v_sense_sg3_descriptor_many[] = {
	0x72, 0x01, 0x03, 0x02, 0x80, 0x00, 0x00, 0x4c, 0x00, 0x0a, 0x80, 0x00,
	0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0xbb, 0x01, 0x0a, 0x00, 0x00,
	0x33, 0x44, 0x55, 0x66, 0x77, 0xbb, 0xcc, 0xff, 0x02, 0x06, 0x00, 0x00,
	0x80, 0x01, 0x01, 0x00, 0x03, 0x02, 0x00, 0x45, 0x0a, 0x06, 0x02, 0x01,
	0x02, 0x00, 0x32, 0x01, 0x05, 0x02, 0x00, 0x20, 0x0b, 0x1a, 0x01, 0x00,
	0x00, 0x00, 0x00, 0x01, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
	0x01, 0x02, 0x03, 0x04, 0x55, 0x06, 0x07, 0x08, 0x02, 0x00, 0x12, 0x34,
};

static void st_rtpg_vector(void)
{
	struct salua_rtpg_info info;
	struct salua_rtpg_iter it;
	struct salua_tpg_desc d;

	/* Expected: classic, RETURN DATA LENGTH 28, 2 groups (vectors README). */
	ST_EQ("rtpg dummy parse",
	      salua_rtpg_parse(v_rtpg_sg3utils_testcode_dummy,
			       sizeof(v_rtpg_sg3utils_testcode_dummy),
			       SALUA_RTPG_AUTO, &info, &it), 0);
	ST_EQ("rtpg dummy format", info.format, SALUA_RTPG_CLASSIC);
	ST_EQ("rtpg dummy rdl", info.return_data_length, 28);
	ST_EQ("rtpg dummy groups", info.ngroups, 2);
	ST_EQ("rtpg dummy truncated", info.truncated, 0);
	ST_EQ("rtpg dummy g1", salua_rtpg_next(&it, &d), 1);
	ST_EQ("rtpg g1 tpg", d.tpg_id, 1);
	ST_EQ("rtpg g1 state AO", d.state, SALUA_STATE_AO);
	ST_EQ("rtpg g1 pref", d.pref, 1);
	ST_EQ("rtpg g1 supported", d.supported, 0x03);
	ST_EQ("rtpg g1 status", d.status, 0x02);
	ST_EQ("rtpg g1 ports", d.port_count, 2);
	ST_EQ("rtpg g1 port0", salua_tpg_desc_port(&d, 0), 1);
	ST_EQ("rtpg g1 port1", salua_tpg_desc_port(&d, 1), 2);
	ST_EQ("rtpg dummy g2", salua_rtpg_next(&it, &d), 1);
	ST_EQ("rtpg g2 tpg", d.tpg_id, 2);
	ST_EQ("rtpg g2 state ANO", d.state, SALUA_STATE_ANO);
	ST_EQ("rtpg g2 pref", d.pref, 0);
	ST_EQ("rtpg g2 port0", salua_tpg_desc_port(&d, 0), 3);
	ST_EQ("rtpg dummy end", salua_rtpg_next(&it, &d), 0);
	/* Every cut of the buffer: never more groups than fit, never a crash. */
	{
		size_t n;
		bool ok = true;

		for (n = 0; n < sizeof(v_rtpg_sg3utils_testcode_dummy); n++) {
			if (salua_rtpg_parse(v_rtpg_sg3utils_testcode_dummy, n,
					     SALUA_RTPG_AUTO, &info, NULL) == 0 &&
			    (!info.truncated || info.ngroups > 1))
				ok = false;
		}
		ST_EQ("rtpg dummy every cut truncated", ok, 1);
	}
}

struct st_vpd {
	const char *what;
	const u8 *buf;
	size_t len;
	int name_ret;		/* length, or negative error */
	const char *name;
	int port_ret;
	u16 rel_port, tpg;
};

static void st_vpd_vectors(void)
{
	/* Expected values from the vectors README (sg3_utils' decodes). */
	static const struct st_vpd t[] = {
		{ "vpd seagate", v_vpd83_seagate_sas_hdd,
		  sizeof(v_vpd83_seagate_sas_hdd), 20, "naa.5000c5003011cb2b",
		  SALUA_VPD83_FOUND_REL_PORT, 1, 0 },
		{ "vpd scsi_debug", v_vpd83_scsi_debug,
		  sizeof(v_vpd83_scsi_debug), 20, "naa.33333330000007d0",
		  SALUA_VPD83_FOUND_REL_PORT | SALUA_VPD83_FOUND_TPG, 1, 0x100 },
		/* Pre-SPC-2 page: like the kernel, no name and no port. */
		{ "vpd emc legacy", v_vpd83_emc_symmetrix_legacy_no_desc_header,
		  sizeof(v_vpd83_emc_symmetrix_legacy_no_desc_header),
		  -SALUA_ENOENT, "", 0, 0, 0 },
		{ "vpd emc dmx", v_vpd83_emc_dmx, sizeof(v_vpd83_emc_dmx), 36,
		  "naa.60060480000190103189533030343834", 0, 0, 0 },
		{ "vpd all types", v_vpd83_sg3_all_designator_types,
		  sizeof(v_vpd83_sg3_all_designator_types), 36,
		  "naa.6122334455667788aabbccddeeffeedd",
		  SALUA_VPD83_FOUND_REL_PORT | SALUA_VPD83_FOUND_TPG, 2, 3 },
		{ "vpd ctrl chars", v_vpd83_sg3_ctrl_char_in_strings,
		  sizeof(v_vpd83_sg3_ctrl_char_in_strings), 36,
		  "naa.6122334455667788aabbccddeeffeedd",
		  SALUA_VPD83_FOUND_REL_PORT | SALUA_VPD83_FOUND_TPG, 2, 3 },
		{ "vpd name not mult4", v_vpd83_sg3_name_len_not_mult4,
		  sizeof(v_vpd83_sg3_name_len_not_mult4), -SALUA_EMALFORMED, "",
		  -SALUA_EMALFORMED, 0, 0 },
	};
	struct salua_vpd83_port p;
	char name[64];
	size_t i, cut;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		int r = salua_vpd83_lu_name(t[i].buf, t[i].len, name,
					    sizeof(name), NULL);

		ST_EQ(t[i].what, r, t[i].name_ret);
		if (r >= 0)
			st_str(t[i].what, name, t[i].name);
		ST_EQ(t[i].what, salua_vpd83_find_port(t[i].buf, t[i].len, &p),
		      t[i].port_ret);
		if (t[i].port_ret > 0) {
			ST_EQ(t[i].what, p.rel_port, t[i].rel_port);
			ST_EQ(t[i].what, p.tpg, t[i].tpg);
		}
		/* Cuts: a name is never longer than the full one. */
		for (cut = 0; cut < t[i].len; cut++) {
			r = salua_vpd83_lu_name(t[i].buf, cut, name,
						sizeof(name), NULL);
			if (r > 0 && t[i].name_ret > 0 && r > t[i].name_ret)
				ST_EQ(t[i].what, r, t[i].name_ret);
		}
	}
}

static void st_inquiry_sense_vectors(void)
{
	struct salua_inquiry q;
	struct salua_sense s;

	ST_EQ("inq emc", salua_inquiry_decode(v_inq_emc_symmetrix_trailing_bytes,
					      sizeof(v_inq_emc_symmetrix_trailing_bytes),
					      &q), 0);
	ST_EQ("inq emc len (36 of 40)", q.len, 36);
	ST_EQ("inq emc add_len", q.add_len, 31);
	ST_EQ("inq emc version", q.version, 5);
	ST_EQ("inq emc tpgs", q.tpgs, 0);
	ST_EQ("inq emc cmdque", q.cmdque, 1);
	ST_EQ("inq emc vendor", q.vendor_len == 8 && !memcmp(q.vendor, "EMC     ", 8), 1);
	ST_EQ("inq scsi_debug", salua_inquiry_decode(v_inq_scsi_debug,
						     sizeof(v_inq_scsi_debug), &q), 0);
	ST_EQ("inq scsi_debug version", q.version, 7);
	ST_EQ("inq scsi_debug multip", q.multip, 1);
	ST_EQ("inq scsi_debug tpgs", q.tpgs, 0);
	ST_EQ("inq scsi_debug rev", q.revision_len == 4 && !memcmp(q.revision, "0191", 4), 1);

	ST_EQ("sense tray", salua_sense_normalize(v_sense_real_fixed_not_ready_tray_open,
						  sizeof(v_sense_real_fixed_not_ready_tray_open),
						  &s), 0);
	ST_EQ("sense tray rc", s.response_code, 0x70);
	ST_EQ("sense tray key", s.key, SALUA_SK_NOT_READY);
	ST_EQ("sense tray asc", salua_sense_asc(&s), 0x3a02);
	ST_EQ("sense desc", salua_sense_normalize(v_sense_sg3_descriptor_many,
						  sizeof(v_sense_sg3_descriptor_many),
						  &s), 0);
	ST_EQ("sense desc rc", s.response_code, 0x72);
	ST_EQ("sense desc key", s.key, 1);
	ST_EQ("sense desc asc", salua_sense_asc(&s), 0x0302);
	ST_EQ("sense desc info", s.has_info && s.information == 0x11223344556677bbULL, 1);
}

static void st_round_trips(void)
{
	static const u16 ports_a[] = { 1, 2 };
	static const u16 ports_b[] = { 3 };
	struct salua_tpg_entry g[2];
	struct salua_stpg_desc sd = { SALUA_STATE_AO, 0x0100 }, back[2];
	struct salua_rtpg_info info;
	struct salua_rtpg_iter it;
	struct salua_tpg_desc d;
	struct salua_sense s;
	u8 buf[64];
	size_t n = 2;
	int r;

	memset(g, 0, sizeof(g));
	g[0].tpg_id = 0x100; g[0].state = SALUA_STATE_STANDBY; g[0].pref = true;
	g[0].supported = 0x0f; g[0].nports = 2; g[0].ports = ports_a;
	g[1].tpg_id = 0x180; g[1].state = SALUA_STATE_UNAVAILABLE;
	g[1].supported = 0x08; g[1].nports = 1; g[1].ports = ports_b;
	r = salua_rtpg_encode(buf, sizeof(buf), SALUA_RTPG_EXTENDED, 60, g, 2);
	ST_EQ("rtpg encode ext len", r, 8 + 16 + 12);
	ST_EQ("rtpg ext rdl byte3", buf[3], 32);
	ST_EQ("rtpg ext fmt", buf[4], 0x10);
	ST_EQ("rtpg ext itt", buf[5], 60);
	ST_EQ("rtpg ext parse", salua_rtpg_parse(buf, (size_t)r, SALUA_RTPG_AUTO,
						 &info, &it), 0);
	ST_EQ("rtpg ext groups", info.ngroups, 2);
	ST_EQ("rtpg ext itt decoded", info.implicit_transition_time, 60);
	salua_rtpg_next(&it, &d);
	ST_EQ("rtpg rt g1 byte0", d.byte0, 0x82);
	ST_EQ("rtpg rt g1 port1", salua_tpg_desc_port(&d, 1), 2);
	salua_rtpg_next(&it, &d);
	ST_EQ("rtpg rt g2 tpg", d.tpg_id, 0x180);
	ST_EQ("rtpg rt g2 state", d.state, SALUA_STATE_UNAVAILABLE);
	/* Allocation length 28 cuts inside group 2 (24..36): group 1 only. */
	r = salua_rtpg_encode(buf, 28, SALUA_RTPG_EXTENDED, 60, g, 2);
	ST_EQ("rtpg alloc 28", r, 28);
	salua_rtpg_parse(buf, 28, SALUA_RTPG_AUTO, &info, NULL);
	ST_EQ("rtpg alloc 28 groups", info.ngroups, 1);
	ST_EQ("rtpg alloc 28 truncated", info.truncated, 1);
	ST_EQ("rtpg alloc 28 needed", info.needed, 36);

	ST_EQ("stpg encode", salua_stpg_encode(buf, sizeof(buf), &sd, 1), 8);
	ST_EQ("stpg bytes", buf[4] == 0 && buf[6] == 1 && buf[7] == 0, 1);
	ST_EQ("stpg decode", salua_stpg_decode(buf, 8, 0x0f, back, &n), 0);
	ST_EQ("stpg decode n", n, 1);
	ST_EQ("stpg decode id", back[0].id, 0x100);

	ST_EQ("sense build", salua_sense_build_fixed(buf, sizeof(buf),
						     SALUA_SK_UNIT_ATTENTION,
						     0x2a, 0x06), 18);
	ST_EQ("sense build rt", salua_sense_normalize(buf, 18, &s), 0);
	ST_EQ("sense build rt asc", salua_sense_asc(&s),
	      SALUA_ASC_ASYMMETRIC_ACCESS_STATE_CHANGED);
	ST_EQ("cdb rtpg", salua_cdb_rtpg(buf, sizeof(buf), SALUA_RTPG_PDF_EXTENDED,
					 128), 12);
	ST_EQ("cdb rtpg bytes", buf[0] == 0xa3 && buf[1] == 0x2a && buf[9] == 128, 1);
}

static void st_dispositions(void)
{
	static const struct {
		u8 key, asc, ascq;
		int disp;
		u8 actions;
	} t[] = {
		{ SALUA_SK_UNIT_ATTENTION, 0x2a, 0x06, SALUA_DISP_REQUEUE, SALUA_ACT_RESCAN },
		{ SALUA_SK_UNIT_ATTENTION, 0x29, 0x00, SALUA_DISP_REQUEUE, SALUA_ACT_RESCAN },
		{ SALUA_SK_UNIT_ATTENTION, 0x3f, 0x03, SALUA_DISP_REQUEUE, 0 },
		{ SALUA_SK_UNIT_ATTENTION, 0x04, 0x0a, SALUA_DISP_DELAYED_RETRY,
		  SALUA_ACT_TRANSITIONING | SALUA_ACT_PATH_STATE },
		{ SALUA_SK_NOT_READY, 0x04, 0x0a, SALUA_DISP_DELAYED_RETRY,
		  SALUA_ACT_TRANSITIONING | SALUA_ACT_PATH_STATE },
		{ SALUA_SK_NOT_READY, 0x04, 0x0b, SALUA_DISP_FAILOVER,
		  SALUA_ACT_RESCAN | SALUA_ACT_PATH_STATE },
		{ SALUA_SK_NOT_READY, 0x3a, 0x00, SALUA_DISP_NOT_HANDLED, 0 },
		{ SALUA_SK_MEDIUM_ERROR, 0x11, 0x00, SALUA_DISP_NOT_HANDLED, 0 },
	};
	struct salua_sense s;
	struct salua_verdict v;
	u8 sb[18];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		salua_sense_build_fixed(sb, sizeof(sb), t[i].key, t[i].asc, t[i].ascq);
		salua_sense_normalize(sb, sizeof(sb), &s);
		v = salua_io_disposition(SALUA_STATUS_CHECK_CONDITION, &s);
		ST_EQ("disposition", v.disp, t[i].disp);
		ST_EQ("disposition actions", v.actions, t[i].actions);
	}
	ST_EQ("prep AO", salua_prep_decide(SALUA_STATE_AO, NULL, NULL), SALUA_PREP_ALLOW);
	ST_EQ("prep ANO", salua_prep_decide(SALUA_STATE_ANO, NULL, NULL), SALUA_PREP_ALLOW);
	ST_EQ("prep T", salua_prep_decide(SALUA_STATE_TRANSITIONING, NULL, NULL),
	      SALUA_PREP_ALLOW);
	ST_EQ("prep S", salua_prep_decide(SALUA_STATE_STANDBY, NULL, NULL),
	      SALUA_PREP_FAIL_FAST);
	ST_EQ("prep U", salua_prep_decide(SALUA_STATE_UNAVAILABLE, NULL, NULL),
	      SALUA_PREP_FAIL_FAST);
	ST_EQ("prep O", salua_prep_decide(SALUA_STATE_OFFLINE, NULL, NULL),
	      SALUA_PREP_FAIL_FAST);
}

/* ---- engine against a synchronous fake target ---- */

struct st_fake {
	struct salua_engine *e;
	u64 now, deadline;
	unsigned int submits, notifies;
	u8 state;	/* reported for group 0x100 */
};

static int st_submit(void *ctx, unsigned int path,
		     const struct salua_engine_cmd *cmd)
{
	static const u16 port1[] = { 1 };
	struct st_fake *f = ctx;
	struct salua_engine_completion c;
	struct salua_tpg_entry g;
	int r;

	f->submits++;
	memset(&c, 0, sizeof(c));
	c.xfer = SALUA_XFER_OK;
	if (cmd->kind == SALUA_CMD_RTPG) {
		memset(&g, 0, sizeof(g));
		g.tpg_id = 0x100;
		g.state = f->state;
		g.supported = 0x0f;
		g.nports = 1;
		g.ports = port1;
		/* scsi_debug answers classic even when asked for extended. */
		r = salua_rtpg_encode(cmd->din, cmd->din_len, SALUA_RTPG_CLASSIC,
				      0, &g, 1);
		c.data_len = r > 0 ? (u32)r : 0;
	}
	salua_engine_complete(f->e, cmd->tag, &c);	/* from inside submit */
	return 0;
}

static void st_arm(void *ctx, u64 at)
{
	((struct st_fake *)ctx)->deadline = at;
}

static void st_cancel(void *ctx)
{
	((struct st_fake *)ctx)->deadline = 0;
}

static u64 st_now(void *ctx)
{
	return ((struct st_fake *)ctx)->now;
}

static void st_notify(void *ctx, unsigned int path, u8 state, bool pref,
		      u8 supported)
{
	((struct st_fake *)ctx)->notifies++;
}

static const struct salua_engine_ops st_ops = {
	.submit = st_submit,
	.arm = st_arm,
	.cancel = st_cancel,
	.now = st_now,
	.notify = st_notify,
};

static void st_engine(void)
{
	static struct salua_engine e;
	static struct salua_engine_path paths[4];
	static u8 buf[256];
	struct st_fake f;
	u8 state = 0xff;
	bool pref = true;
	int i;

	memset(&f, 0, sizeof(f));
	f.e = &e;
	f.now = 1000;
	f.state = SALUA_STATE_STANDBY;
	ST_EQ("engine init", salua_engine_init(&e, NULL, &st_ops, &f, paths, 4,
					       buf, sizeof(buf)), 0);
	ST_EQ("engine add", salua_engine_add_path(&e, 0, 1, 0x100, true), 0);
	ST_EQ("engine armed", f.deadline != 0, 1);
	for (i = 0; i < 8 && f.deadline; i++) {
		f.now = f.deadline;
		f.deadline = 0;
		salua_engine_timer(&e);
	}
	ST_EQ("engine state known",
	      salua_engine_path_get(&e, 0, &state, &pref, NULL), 1);
	ST_EQ("engine state standby", state, SALUA_STATE_STANDBY);
	ST_EQ("engine pref", pref, 0);
	ST_EQ("engine notified", f.notifies >= 1, 1);
	ST_EQ("engine idle", salua_engine_idle(&e), 1);
	/* Three rescans in a row coalesce into one RTPG. */
	f.submits = 0;
	f.state = SALUA_STATE_AO;
	salua_engine_rescan(&e);
	salua_engine_rescan(&e);
	salua_engine_rescan(&e);
	for (i = 0; i < 8 && f.deadline; i++) {
		f.now = f.deadline;
		f.deadline = 0;
		salua_engine_timer(&e);
	}
	ST_EQ("engine coalesced rtpg", f.submits, 1);
	salua_engine_path_get(&e, 0, &state, NULL, NULL);
	ST_EQ("engine state AO", state, SALUA_STATE_AO);
	ST_EQ("engine remove", salua_engine_remove_path(&e, 0), 0);
}

/* ---- selector ---- */

static void st_selector(void)
{
	static struct salua_sel sel;
	static struct salua_sel_path p[3];
	static struct salua_sel_map map;
	static struct salua_sel_slot slots[3];
	struct salua_sel_cfg cfg;
	struct salua_sel_cursor cur = { 0 };

	memset(&cfg, 0, sizeof(cfg));
	cfg.policy = SALUA_SEL_ROUND_ROBIN;
	cfg.nopath = SALUA_SEL_NOPATH_FAIL;
	ST_EQ("sel init", salua_sel_init(&sel, &cfg, p, 3), 0);
	ST_EQ("sel map init", salua_sel_map_init(&map, slots, 3, NULL, 0), 0);
	salua_sel_set_state(&sel, 0, SALUA_STATE_ANO, false);
	salua_sel_set_state(&sel, 1, SALUA_STATE_AO, false);
	salua_sel_set_state(&sel, 2, SALUA_STATE_STANDBY, false);
	ST_EQ("sel build", salua_sel_build(&sel, &map, 0), 0);
	ST_EQ("sel class AO only", map.n, 1);
	ST_EQ("sel pick AO", salua_sel_pick_rr(&map, &cur), 1);
	ST_EQ("sel pick AO again", salua_sel_pick_rr(&map, &cur), 1);
	salua_sel_set_state(&sel, 1, SALUA_STATE_STANDBY, false);
	salua_sel_build(&sel, &map, 0);
	ST_EQ("sel fallback ANO", salua_sel_pick_rr(&map, &cur), 0);
	salua_sel_set_state(&sel, 0, SALUA_STATE_UNAVAILABLE, false);
	salua_sel_build(&sel, &map, 0);
	ST_EQ("sel no path fails", salua_sel_pick_rr(&map, &cur), SALUA_SEL_FAIL);
	salua_sel_set_state(&sel, 0, SALUA_STATE_AO, true);
	salua_sel_set_state(&sel, 2, SALUA_STATE_AO, false);
	salua_sel_build(&sel, &map, 0);
	ST_EQ("sel two AO", map.n, 2);
	ST_EQ("sel preferred first", map.slot[0].path, 0);
}

void salua_dh_selftest(struct salua_selftest_result *res)
{
	res->passed = 0;
	res->failed = 0;
	st_res = res;
	st_rtpg_vector();
	st_vpd_vectors();
	st_inquiry_sense_vectors();
	st_round_trips();
	st_dispositions();
	st_engine();
	st_selector();
	st_res = NULL;
}
