#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
"""Write the seed corpora fuzz/corpus/<target>/seed_* from the public
vectors (../shared/vectors), the test data (tests/data) and a few inputs
built here.  Run once, then minimize with `fuzz/run.sh --merge`.
Existing files are left alone; regression_* files are never touched."""
import os
import sys

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(here)
vectors = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, '..', 'shared', 'vectors')
data = os.path.join(root, 'tests', 'data')


def read_hex(path):
    out = bytearray()
    with open(path) as f:
        for line in f:
            line = line.split('#', 1)[0]
            out += bytes.fromhex(''.join(line.split()))
    return bytes(out)


def put(target, name, blob):
    d = os.path.join(here, 'corpus', target)
    os.makedirs(d, exist_ok=True)
    p = os.path.join(d, 'seed_' + name)
    if not os.path.exists(p):
        with open(p, 'wb') as f:
            f.write(blob)


def hexdir(path):
    if not os.path.isdir(path):
        return []
    return [(os.path.splitext(n)[0], read_hex(os.path.join(path, n)))
            for n in sorted(os.listdir(path)) if n.endswith('.hex')]


kinds = {'inquiry': 'inquiry', 'rtpg': 'rtpg', 'sense': 'sense',
         'vpd83': 'vpd', 'vpd': 'vpd', 'stpg': 'stpg'}
for sub, target in kinds.items():
    for base in (vectors, data):
        for name, blob in hexdir(os.path.join(base, sub)):
            if target == 'stpg':
                put(target, name + '_any', b'\x00' + blob)
                put(target, name + '_all', b'\xdf' + blob)
            else:
                put(target, name, blob)
for name, blob in hexdir(os.path.join(data, 'probe', 'inputs')):
    target = kinds.get(name.split('_', 1)[0])
    if target:
        put(target, name, blob if target != 'stpg' else b'\x00' + blob)

# VPD 0x00 and 0x80 pages, which no capture holds.
put('vpd', 'vpd00', bytes([0, 0, 0, 4, 0x00, 0x80, 0x83, 0x86]))
put('vpd', 'vpd80', bytes([0, 0x80, 0, 8]) + b'  SN1234')

# CDBs: INQUIRY std / EVPD, RTPG classic and extended, STPG, TUR, and
# a few that a target must reject.
cdbs = {
    'inquiry_std': [0x12, 0, 0, 0, 36, 0],
    'inquiry_vpd83': [0x12, 1, 0x83, 0x02, 0x00, 0],
    'rtpg_classic': [0xa3, 0x0a, 0, 0, 0, 0, 0, 0, 0x10, 0, 0, 0],
    'rtpg_ext': [0xa3, 0x2a, 0, 0, 0, 0, 0, 0, 0, 0x80, 0, 0],
    'stpg': [0xa4, 0x0a, 0, 0, 0, 0, 0, 0, 0, 8, 0, 0],
    'tur': [0, 0, 0, 0, 0, 0],
    'bad_naca': [0x12, 0, 0, 0, 36, 4],
    'bad_sa': [0xa3, 0x05, 0, 0, 0, 0, 0, 0, 0x10, 0, 0, 0],
    'bad_pdf': [0xa3, 0x4a, 0, 0, 0, 0, 0, 0, 0x10, 0, 0, 0],
    'padded16': [0xa3, 0x0a, 0, 0, 0, 0, 0, 0, 0x10, 0, 0, 0, 1, 2, 3, 4],
}
for name, b in cdbs.items():
    put('cdb', name, bytes(b))
