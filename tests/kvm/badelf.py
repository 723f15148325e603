#!/usr/bin/env python3
"""Corrupt copies of an ELF64 kernel for tests/kvm/bad-elf.sh.

usage: badelf.py GOOD.elf OUTDIR
Writes OUTDIR/NAME.elf for every case below, each broken in one way.
"""
import os
import struct
import sys

EHDR = struct.Struct("<16sHHIQQQIHHHHHH")
PHDR = struct.Struct("<IIQQQQQQ")
PT_LOAD, PT_NOTE = 1, 4


def ehdr(b):
    return list(EHDR.unpack_from(b, 0))


def put_ehdr(b, h):
    EHDR.pack_into(b, 0, *h)


def phdrs(b):
    h = ehdr(b)
    phoff, phentsize, phnum = h[5], h[9], h[10]
    return [(phoff + i * phentsize, list(PHDR.unpack_from(b, phoff + i * phentsize)))
            for i in range(phnum)]


def loads(b):
    return [(off, p) for off, p in phdrs(b) if p[0] == PT_LOAD]


def edit_ehdr(field, value):
    def f(b):
        h = ehdr(b)
        h[field] = value
        put_ehdr(b, h)
    return f


def edit_load(index, field, value):
    def f(b):
        off, p = loads(b)[index]
        p[field] = value(p) if callable(value) else value
        PHDR.pack_into(b, off, *p)
    return f


def ident(i, v):
    def f(b):
        b[i] = v
    return f


def xen_note_type(new_type):
    """Change the type of the Xen PVH note (type 18) in the PT_NOTE."""
    def f(b):
        for _, p in phdrs(b):
            if p[0] != PT_NOTE:
                continue
            off, end = p[2], p[2] + p[5]
            while off + 12 <= end:
                namesz, descsz, t = struct.unpack_from("<III", b, off)
                name = bytes(b[off + 12:off + 12 + namesz])
                if name == b"Xen\0" and t == 18:
                    struct.pack_into("<I", b, off + 8, new_type)
                    return
                off += 12 + (namesz + 3) // 4 * 4 + (descsz + 3) // 4 * 4
        raise SystemExit("badelf.py: no Xen note of type 18")
    return f


def truncate(n):
    def f(b):
        del b[n:]
    return f


def overlap(b):
    """The second PT_LOAD onto the first one's physical address."""
    edit_load(1, 4, loads(b)[0][1][4])(b)


def half(b):
    """Cut the file in the middle of its first PT_LOAD."""
    p = loads(b)[0][1]
    del b[p[2] + p[5] // 2:]


# Ehdr fields: 1 type, 2 machine, 4 entry, 5 phoff, 9 phentsize, 10 phnum;
# Phdr fields: 2 offset, 4 paddr, 5 filesz, 6 memsz.
CASES = {
    "truncated-header": truncate(40),
    "class32": ident(4, 1),
    "big-endian": ident(5, 2),
    "machine": edit_ehdr(2, 3),              # EM_386
    "type-dyn": edit_ehdr(1, 3),             # ET_DYN
    "phoff": edit_ehdr(5, 1 << 40),
    "phnum0": edit_ehdr(10, 0),
    "phentsize": edit_ehdr(9, 32),
    "load-offset": edit_load(0, 2, 1 << 32),
    "filesz-memsz": edit_load(0, 6, lambda p: p[5] - 1),
    "load-low": edit_load(1, 4, 0x1000),            # the data segment: the entry
    "load-beyond-ram": edit_load(1, 4, 0x40000000), # stays in the text
    "overlap": overlap,
    "entry": edit_ehdr(4, 0x12345678),
    "half": half,
    "no-pvh-note": xen_note_type(17),
}


def main():
    good, outdir = sys.argv[1], sys.argv[2]
    data = open(good, "rb").read()
    os.makedirs(outdir, exist_ok=True)
    for name, edit in CASES.items():
        b = bytearray(data)
        edit(b)
        with open(os.path.join(outdir, name + ".elf"), "wb") as out:
            out.write(b)


if __name__ == "__main__":
    main()
