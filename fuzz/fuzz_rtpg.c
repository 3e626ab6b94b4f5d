/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * REPORT TARGET PORT GROUPS parameter data (SPC-5 §6.36.2) as received:
 * parse under each requested format, walk every complete descriptor and
 * read every port id (all inside the received bytes and the RETURN DATA
 * LENGTH), then decode -> encode -> decode must give the same groups, and
 * a re-encode of the re-decode the same bytes.
 */
#include "fuzz.h"

#define MAX_GROUPS 4096
#define MAX_PORTS (1u << 16)

static struct salua_tpg_entry groups[MAX_GROUPS];
static uint16_t ports[MAX_PORTS];
static struct salua_tpg_desc descs[MAX_GROUPS];
static uint8_t enc[SALUA_RTPG_HDR_EXTENDED + MAX_PORTS * 4u +
		   MAX_GROUPS * SALUA_RTPG_DESC_LEN];
static uint8_t enc2[sizeof(enc)];

/* Number of complete groups, or -1 when the header itself did not arrive. */
static long walk(const uint8_t *data, size_t size,
		 enum salua_rtpg_format req, struct salua_rtpg_info *info,
		 bool keep)
{
	struct salua_rtpg_iter it;
	struct salua_tpg_desc d;
	size_t n = 0, limit;
	unsigned i;
	int rc;

	memset(&it, 0, sizeof(it));
	rc = salua_rtpg_parse(data, size, req, info, &it);
	if (rc != 0) {
		FUZZ_CHECK(rc == -SALUA_ETRUNC);
		/* Extended header cut by the bytes or by the length. */
		FUZZ_CHECK(size < 4 || (info->format == SALUA_RTPG_EXTENDED &&
					(size < 8 || info->needed < 8)));
		return -1;
	}
	FUZZ_CHECK(info->received == size);
	FUZZ_CHECK(info->hdr_len == (info->format == SALUA_RTPG_EXTENDED ?
					     8u : 4u));
	if (req == SALUA_RTPG_CLASSIC)
		FUZZ_CHECK(info->format == SALUA_RTPG_CLASSIC);
	FUZZ_CHECK(info->return_data_length == salua_get_be32(data));
	FUZZ_CHECK(info->needed ==
		   (info->return_data_length > 0xfffffffbu ?
			    0xffffffffu :
			    info->return_data_length + 4u));
	limit = info->needed < size ? info->needed : size;
	FUZZ_CHECK(info->complete_len <= limit);
	if (info->needed > size)
		FUZZ_CHECK(info->truncated);
	while ((rc = salua_rtpg_next(&it, &d)) == 1) {
		size_t off = (size_t)(d.ports - data);

		FUZZ_CHECK(d.ports >= data + info->hdr_len + 8u);
		FUZZ_CHECK(off + 4u * d.port_count <= info->complete_len);
		FUZZ_CHECK(d.state == (d.byte0 & 0x0fu));
		FUZZ_CHECK(d.pref == ((d.byte0 & 0x80u) != 0));
		FUZZ_CHECK(d.tpg_id == salua_get_be16(d.ports - 6));
		for (i = 0; i < d.port_count; i++)
			FUZZ_CHECK(salua_tpg_desc_port(&d, i) ==
				   salua_get_be16(data + off + 4u * i + 2u));
		FUZZ_CHECK(salua_tpg_desc_port(&d, d.port_count) == 0);
		(void)salua_state_name(d.state);
		if (keep && n < MAX_GROUPS)
			descs[n] = d;
		n++;
	}
	FUZZ_CHECK(rc == 0);
	FUZZ_CHECK(salua_rtpg_next(&it, &d) == 0);
	FUZZ_CHECK(n == info->ngroups);
	return (long)n;
}

static void same_groups(const struct salua_tpg_desc *a, size_t n,
			const uint8_t *buf, size_t len,
			const struct salua_rtpg_info *ia)
{
	struct salua_rtpg_info ib;
	struct salua_rtpg_iter it;
	struct salua_tpg_desc d;
	size_t i;
	unsigned p;

	memset(&it, 0, sizeof(it));
	FUZZ_CHECK(salua_rtpg_parse(buf, len, ia->format, &ib, &it) == 0);
	FUZZ_CHECK(ib.format == ia->format && !ib.truncated);
	FUZZ_CHECK(ib.ngroups == n && ib.complete_len == len);
	FUZZ_CHECK(ib.needed == len);
	if (ia->format == SALUA_RTPG_EXTENDED)
		FUZZ_CHECK(ib.implicit_transition_time ==
			   ia->implicit_transition_time);
	for (i = 0; i < n; i++) {
		FUZZ_CHECK(salua_rtpg_next(&it, &d) == 1);
		FUZZ_CHECK(d.pref == a[i].pref && d.state == a[i].state);
		FUZZ_CHECK(d.supported == a[i].supported);
		FUZZ_CHECK(d.tpg_id == a[i].tpg_id && d.status == a[i].status);
		FUZZ_CHECK(d.vendor == a[i].vendor);
		FUZZ_CHECK(d.port_count == a[i].port_count);
		for (p = 0; p < d.port_count; p++)
			FUZZ_CHECK(salua_tpg_desc_port(&d, p) ==
				   salua_tpg_desc_port(&a[i], p));
	}
	FUZZ_CHECK(salua_rtpg_next(&it, &d) == 0);
}

static void reencode(const struct salua_rtpg_info *info, size_t n,
		     size_t size)
{
	size_t i, np = 0, cut;
	unsigned p;
	int len, w;

	if (n > MAX_GROUPS)
		return;
	for (i = 0; i < n; i++) {
		groups[i].tpg_id = descs[i].tpg_id;
		groups[i].state = descs[i].state;
		groups[i].pref = descs[i].pref;
		groups[i].supported = descs[i].supported;
		groups[i].status = descs[i].status;
		groups[i].vendor = descs[i].vendor;
		groups[i].nports = descs[i].port_count;
		groups[i].ports = ports + np;
		for (p = 0; p < descs[i].port_count; p++) {
			FUZZ_CHECK(np < MAX_PORTS);
			ports[np++] = salua_tpg_desc_port(&descs[i], p);
		}
	}
	len = salua_rtpg_encoded_len(info->format, groups, n);
	FUZZ_CHECK(len == (int)info->complete_len);
	FUZZ_CHECK((size_t)len <= sizeof(enc));
	w = salua_rtpg_encode(enc, sizeof(enc), info->format,
			      info->implicit_transition_time, groups, n);
	FUZZ_CHECK(w == len);
	FUZZ_CHECK(salua_get_be32(enc) == (uint32_t)len - 4u);
	same_groups(descs, n, enc, (size_t)len, info);

	/* Decode of the encoding, encoded again: the same bytes. */
	{
		struct salua_rtpg_info i2;
		long n2 = walk(enc, (size_t)len, info->format, &i2, true);

		FUZZ_CHECK(n2 == (long)n);
		np = 0;
		for (i = 0; i < n; i++) {
			groups[i].ports = ports + np;
			for (p = 0; p < descs[i].port_count; p++)
				ports[np++] =
					salua_tpg_desc_port(&descs[i], p);
		}
		FUZZ_CHECK(salua_rtpg_encode(enc2, sizeof(enc2), i2.format,
					     i2.implicit_transition_time,
					     groups, n) == len);
		FUZZ_CHECK(memcmp(enc, enc2, (size_t)len) == 0);
	}

	/* An allocation length cut anywhere gives a prefix, nothing more. */
	cut = size % ((size_t)len + 1u);
	memset(enc2, 0xc3, (size_t)len + 1u);
	w = salua_rtpg_encode(enc2, cut, info->format,
			      info->implicit_transition_time, groups, n);
	FUZZ_CHECK(w == (int)cut);
	FUZZ_CHECK(memcmp(enc2, enc, cut) == 0 && enc2[cut] == 0xc3);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct salua_rtpg_info info;
	char sup[8];
	long n;

	(void)walk(data, size, SALUA_RTPG_CLASSIC, &info, false);
	(void)walk(data, size, SALUA_RTPG_EXTENDED, &info, false);
	n = walk(data, size, SALUA_RTPG_AUTO, &info, true);
	if (size >= 6)
		FUZZ_CHECK(salua_rtpg_supported_str(data[5], sup,
						    sizeof(sup)) == 7 &&
			   strlen(sup) == 7);
	if (n >= 0)
		reencode(&info, (size_t)n, size);
	return 0;
}
