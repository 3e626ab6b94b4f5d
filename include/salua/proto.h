/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * salua/proto.h - SCSI protocol constants used by ALUA (SPC-5, SAM-6).
 *
 * Names carry the SALUA_ prefix so this header can sit next to the Linux
 * kernel's scsi_proto.h and sg3_utils' headers without collisions.
 */
#ifndef SALUA_PROTO_H
#define SALUA_PROTO_H

#include "port.h"

SALUA_BEGIN_DECLS

/* Operation codes (SPC-5 §6, Table "Commands for all device types"). */
#define SALUA_OP_TEST_UNIT_READY 0x00u
#define SALUA_OP_REQUEST_SENSE 0x03u
#define SALUA_OP_INQUIRY 0x12u
#define SALUA_OP_MODE_SELECT6 0x15u
#define SALUA_OP_MODE_SENSE6 0x1au
#define SALUA_OP_RECEIVE_DIAGNOSTIC 0x1cu
#define SALUA_OP_SEND_DIAGNOSTIC 0x1du
#define SALUA_OP_WRITE_BUFFER 0x3bu
#define SALUA_OP_READ_BUFFER 0x3cu
#define SALUA_OP_LOG_SELECT 0x4cu
#define SALUA_OP_LOG_SENSE 0x4du
#define SALUA_OP_MODE_SELECT10 0x55u
#define SALUA_OP_MODE_SENSE10 0x5au
#define SALUA_OP_PR_IN 0x5eu
#define SALUA_OP_PR_OUT 0x5fu
#define SALUA_OP_REPORT_LUNS 0xa0u
#define SALUA_OP_MAINTENANCE_IN 0xa3u
#define SALUA_OP_MAINTENANCE_OUT 0xa4u
/* READ/WRITE BUFFER MODE (byte 1 bits 4:0): the echo buffer modes. */
#define SALUA_BUFFER_MODE_MASK 0x1fu
#define SALUA_BUFFER_MODE_ECHO 0x0au
#define SALUA_BUFFER_MODE_ECHO_DESC 0x0bu /* READ BUFFER only */

/* Block commands that carry an LBA (SBC-4 §5). */
#define SALUA_OP_READ6 0x08u
#define SALUA_OP_WRITE6 0x0au
#define SALUA_OP_READ_CAPACITY10 0x25u
#define SALUA_OP_READ10 0x28u
#define SALUA_OP_WRITE10 0x2au
#define SALUA_OP_WRITE_VERIFY10 0x2eu
#define SALUA_OP_VERIFY10 0x2fu
#define SALUA_OP_PRE_FETCH10 0x34u
#define SALUA_OP_SYNC_CACHE10 0x35u
#define SALUA_OP_WRITE_SAME10 0x41u
#define SALUA_OP_READ16 0x88u
#define SALUA_OP_COMPARE_AND_WRITE 0x89u
#define SALUA_OP_WRITE16 0x8au
#define SALUA_OP_ORWRITE16 0x8bu
#define SALUA_OP_WRITE_VERIFY16 0x8eu
#define SALUA_OP_VERIFY16 0x8fu
#define SALUA_OP_PRE_FETCH16 0x90u
#define SALUA_OP_SYNC_CACHE16 0x91u
#define SALUA_OP_WRITE_SAME16 0x93u
#define SALUA_OP_SERVICE_ACTION_IN16 0x9eu
#define SALUA_OP_READ12 0xa8u
#define SALUA_OP_WRITE12 0xaau
#define SALUA_OP_WRITE_VERIFY12 0xaeu
#define SALUA_OP_VERIFY12 0xafu
/* SERVICE ACTION IN(16) service actions (SBC-4). */
#define SALUA_SAI_READ_CAPACITY16 0x10u
#define SALUA_SAI_REPORT_REFERRALS 0x13u

/* Service actions (SPC-5 §6.36 RTPG, §6.49 STPG). */
#define SALUA_SA_REPORT_TPGS 0x0au
#define SALUA_SA_SET_TPGS 0x0au
#define SALUA_SA_MASK 0x1fu
/* RTPG CDB byte 1 bits 7:5, PARAMETER DATA FORMAT (SPC-5 Table 356). */
#define SALUA_RTPG_PDF_SHIFT 5
#define SALUA_RTPG_PDF_MASK 0xe0u
#define SALUA_RTPG_PDF_CLASSIC 0u  /* length-only header */
#define SALUA_RTPG_PDF_EXTENDED 1u /* extended header */

#define SALUA_CDB6_LEN 6
#define SALUA_CDB10_LEN 10
#define SALUA_CDB12_LEN 12
#define SALUA_CDB16_LEN 16

/* SCSI status (SAM-6 §5.3.1). */
#define SALUA_STATUS_GOOD 0x00u
#define SALUA_STATUS_CHECK_CONDITION 0x02u
#define SALUA_STATUS_CONDITION_MET 0x04u
#define SALUA_STATUS_BUSY 0x08u
#define SALUA_STATUS_RESERVATION_CONFLICT 0x18u
#define SALUA_STATUS_TASK_SET_FULL 0x28u
#define SALUA_STATUS_ACA_ACTIVE 0x30u
#define SALUA_STATUS_TASK_ABORTED 0x40u

/* Sense keys (SPC-5 Table 51). */
#define SALUA_SK_NO_SENSE 0x0u
#define SALUA_SK_RECOVERED_ERROR 0x1u
#define SALUA_SK_NOT_READY 0x2u
#define SALUA_SK_MEDIUM_ERROR 0x3u
#define SALUA_SK_HARDWARE_ERROR 0x4u
#define SALUA_SK_ILLEGAL_REQUEST 0x5u
#define SALUA_SK_UNIT_ATTENTION 0x6u
#define SALUA_SK_DATA_PROTECT 0x7u
#define SALUA_SK_BLANK_CHECK 0x8u
#define SALUA_SK_VENDOR_SPECIFIC 0x9u
#define SALUA_SK_COPY_ABORTED 0xau
#define SALUA_SK_ABORTED_COMMAND 0xbu
#define SALUA_SK_VOLUME_OVERFLOW 0xdu
#define SALUA_SK_MISCOMPARE 0xeu
#define SALUA_SK_COMPLETED 0xfu

/*
 * ASC/ASCQ pairs that matter for ALUA (SPC-5 Annex F), as one 16-bit value
 * ASC << 8 | ASCQ.
 */
#define SALUA_ASCQ(asc, ascq) ((uint16_t)(((asc) << 8) | (ascq)))
#define SALUA_ASC_LU_NOT_READY_CAUSE_NOT_REPORTABLE 0x0400u
#define SALUA_ASC_LU_NOT_ACCESSIBLE_TRANSITION 0x040au
#define SALUA_ASC_LU_NOT_ACCESSIBLE_STANDBY 0x040bu
#define SALUA_ASC_LU_NOT_ACCESSIBLE_UNAVAILABLE 0x040cu
#define SALUA_ASC_LU_NOT_READY_OFFLINE 0x0412u
#define SALUA_ASC_INVALID_OPCODE 0x2000u
#define SALUA_ASC_INVALID_FIELD_IN_CDB 0x2400u
#define SALUA_ASC_LU_NOT_SUPPORTED 0x2500u
#define SALUA_ASC_INVALID_FIELD_IN_PARAM_LIST 0x2600u
#define SALUA_ASC_PARAM_LIST_LENGTH_ERROR 0x1a00u
#define SALUA_ASC_INVALID_RELEASE_OF_PR 0x2604u
#define SALUA_ASC_POWER_ON_RESET 0x2900u
#define SALUA_ASC_DEVICE_INTERNAL_RESET 0x2904u
#define SALUA_ASC_MODE_PARAMETERS_CHANGED 0x2a01u
#define SALUA_ASC_ASYMMETRIC_ACCESS_STATE_CHANGED 0x2a06u
#define SALUA_ASC_IMPLICIT_TRANSITION_FAILED 0x2a07u
#define SALUA_ASC_INQUIRY_DATA_CHANGED 0x3f03u
#define SALUA_ASC_REPORTED_LUNS_CHANGED 0x3f0eu
#define SALUA_ASC_SET_TARGET_PORT_GROUPS_FAILED 0x670au

/*
 * Asymmetric access states (SPC-5 §5.16.2.1, Table 357; RTPG descriptor
 * byte 0 bits 3:0).  Values 5..0xd are reserved.
 */
enum salua_state {
	SALUA_STATE_AO = 0x0,  /* active/optimized */
	SALUA_STATE_ANO = 0x1, /* active/non-optimized */
	SALUA_STATE_STANDBY = 0x2,
	SALUA_STATE_UNAVAILABLE = 0x3,
	SALUA_STATE_LBA_DEPENDENT = 0x4,
	SALUA_STATE_OFFLINE = 0xe,
	SALUA_STATE_TRANSITIONING = 0xf
};
#define SALUA_STATE_MASK 0x0fu
#define SALUA_STATE_PREF 0x80u /* RTPG descriptor byte 0: PREF bit */

/* Supported-state bits, RTPG descriptor byte 1 (SPC-5 Table 358). */
#define SALUA_SUP_AO 0x01u  /* AO_SUP */
#define SALUA_SUP_ANO 0x02u /* AN_SUP */
#define SALUA_SUP_S 0x04u   /* S_SUP */
#define SALUA_SUP_U 0x08u   /* U_SUP */
#define SALUA_SUP_LBD 0x10u /* LBD_SUP */
#define SALUA_SUP_O 0x40u   /* O_SUP */
#define SALUA_SUP_T 0x80u   /* T_SUP */
#define SALUA_SUP_ALL 0xdfu

/* RTPG descriptor byte 5, STATUS CODE (SPC-5 Table 359). */
#define SALUA_TPG_STATUS_NONE 0x00u
#define SALUA_TPG_STATUS_BY_STPG 0x01u
#define SALUA_TPG_STATUS_BY_IMPLICIT 0x02u

/* Standard INQUIRY byte 5 bits 5:4, TPGS (SPC-5 §6.7.2, Table 148). */
#define SALUA_TPGS_NONE 0u
#define SALUA_TPGS_IMPLICIT 1u
#define SALUA_TPGS_EXPLICIT 2u
#define SALUA_TPGS_BOTH 3u

/* VPD page codes (SPC-5 §7.7). */
#define SALUA_VPD_SUPPORTED_PAGES 0x00u
#define SALUA_VPD_UNIT_SERIAL 0x80u
#define SALUA_VPD_DEVICE_ID 0x83u

/* Designator types (SPC-5 Table 591). */
#define SALUA_DESIG_VENDOR 0x0u
#define SALUA_DESIG_T10 0x1u
#define SALUA_DESIG_EUI64 0x2u
#define SALUA_DESIG_NAA 0x3u
#define SALUA_DESIG_REL_PORT 0x4u
#define SALUA_DESIG_TPG 0x5u
#define SALUA_DESIG_LU_GROUP 0x6u
#define SALUA_DESIG_MD5 0x7u
#define SALUA_DESIG_SCSI_NAME 0x8u
#define SALUA_DESIG_PROTO_PORT 0x9u
#define SALUA_DESIG_UUID 0xau

/* Association (SPC-5 Table 590). */
#define SALUA_ASSOC_LU 0x0u
#define SALUA_ASSOC_TARGET_PORT 0x1u
#define SALUA_ASSOC_TARGET_DEVICE 0x2u

/* Code set (SPC-5 Table 589). */
#define SALUA_CODESET_BINARY 0x1u
#define SALUA_CODESET_ASCII 0x2u
#define SALUA_CODESET_UTF8 0x3u

/* Protocol identifiers (SPC-5 Table 477). */
#define SALUA_PROTO_FCP 0x0u
#define SALUA_PROTO_SPI 0x1u
#define SALUA_PROTO_SSA 0x2u
#define SALUA_PROTO_SBP 0x3u
#define SALUA_PROTO_SRP 0x4u
#define SALUA_PROTO_ISCSI 0x5u
#define SALUA_PROTO_SAS 0x6u
#define SALUA_PROTO_ADT 0x7u
#define SALUA_PROTO_ATA 0x8u
#define SALUA_PROTO_UAS 0x9u
#define SALUA_PROTO_SOP 0xau
#define SALUA_PROTO_PCIE 0xbu
#define SALUA_PROTO_NONE 0xfu

/**
 * salua_state_valid() - is @s a defined asymmetric access state?
 * @s: state nibble.
 *
 * Return: true for AO, ANO, S, U, LBD, O and T (SPC-5 Table 357).
 */
SALUA_INLINE bool salua_state_valid(unsigned s)
{
	switch (s) {
	case SALUA_STATE_AO:
	case SALUA_STATE_ANO:
	case SALUA_STATE_STANDBY:
	case SALUA_STATE_UNAVAILABLE:
	case SALUA_STATE_LBA_DEPENDENT:
	case SALUA_STATE_OFFLINE:
	case SALUA_STATE_TRANSITIONING:
		return true;
	default:
		return false;
	}
}

/**
 * salua_state_sup_bit() - the supported-states bit that covers state @s.
 * @s: state nibble.
 *
 * Return: one SALUA_SUP_* bit, or 0 for a reserved state.
 */
SALUA_INLINE uint8_t salua_state_sup_bit(unsigned s)
{
	switch (s) {
	case SALUA_STATE_AO: return SALUA_SUP_AO;
	case SALUA_STATE_ANO: return SALUA_SUP_ANO;
	case SALUA_STATE_STANDBY: return SALUA_SUP_S;
	case SALUA_STATE_UNAVAILABLE: return SALUA_SUP_U;
	case SALUA_STATE_LBA_DEPENDENT: return SALUA_SUP_LBD;
	case SALUA_STATE_OFFLINE: return SALUA_SUP_O;
	case SALUA_STATE_TRANSITIONING: return SALUA_SUP_T;
	default: return 0;
	}
}

#if !defined(SALUA_NO_STRINGS)
/**
 * salua_state_name() - the Linux sysfs name of an access state.
 * @s: state nibble (PREF and reserved bits are ignored).
 *
 * Return: "active/optimized", "active/non-optimized", "standby",
 * "unavailable", "lba-dependent", "offline", "transitioning", or "reserved".
 */
SALUA_INLINE const char *salua_state_name(unsigned s)
{
	switch (s & SALUA_STATE_MASK) {
	case SALUA_STATE_AO: return "active/optimized";
	case SALUA_STATE_ANO: return "active/non-optimized";
	case SALUA_STATE_STANDBY: return "standby";
	case SALUA_STATE_UNAVAILABLE: return "unavailable";
	case SALUA_STATE_LBA_DEPENDENT: return "lba-dependent";
	case SALUA_STATE_OFFLINE: return "offline";
	case SALUA_STATE_TRANSITIONING: return "transitioning";
	default: return "reserved";
	}
}

/**
 * salua_state_abbrev() - short token for an access state.
 * @s: state nibble.
 *
 * Return: "ao", "an", "s", "u", "lbd", "o", "t" (sg_stpg's tokens plus
 * lbd and t), or "?" for a reserved value.
 */
SALUA_INLINE const char *salua_state_abbrev(unsigned s)
{
	switch (s & SALUA_STATE_MASK) {
	case SALUA_STATE_AO: return "ao";
	case SALUA_STATE_ANO: return "an";
	case SALUA_STATE_STANDBY: return "s";
	case SALUA_STATE_UNAVAILABLE: return "u";
	case SALUA_STATE_LBA_DEPENDENT: return "lbd";
	case SALUA_STATE_OFFLINE: return "o";
	case SALUA_STATE_TRANSITIONING: return "t";
	default: return "?";
	}
}
#endif

SALUA_END_DECLS

#endif /* SALUA_PROTO_H */
