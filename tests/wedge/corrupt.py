#!/usr/bin/env python3
"""Write a copy of a guest ELF with one site record made bad, for
tests/wedge/bad.sh.  usage: corrupt.py IN OUT CASE

cases (the record changed is the second of the first SITES note that has
two or more, so that it has a predecessor):
  kind      its kind becomes 0xee (undefined)
  past      its site moves to the last byte of the executable segment
  outside   its site moves into the first writable (non-executable) segment
  overlap   it names the same site as the record before it
  wrong     its kind becomes another defined kind (the bytes decode to the old one)
Prints the changed record's site address and kind as "ADDR KIND".
"""
import struct
import sys

PT_LOAD, PT_NOTE, PF_X, PF_W = 1, 4, 1, 2


def segments(elf):
    phoff, = struct.unpack_from("<Q", elf, 0x20)
    phentsize, phnum = struct.unpack_from("<HH", elf, 0x36)
    for i in range(phnum):
        yield struct.unpack_from("<IIQQQQQQ", elf, phoff + i * phentsize)


def sites_note(elf):
    """(file offset of the records, their virtual address, count) of the first note with >= 2."""
    for ptype, _f, off, vaddr, _p, filesz, _m, _a in segments(elf):
        if ptype != PT_NOTE:
            continue
        pos = off
        while pos + 12 <= off + filesz:
            namesz, descsz, ntype = struct.unpack_from("<III", elf, pos)
            name = bytes(elf[pos + 12:pos + 12 + namesz]).rstrip(b"\0")
            desc = pos + 12 + ((namesz + 3) & ~3)
            if name == b"Afterburn" and ntype == 2 and descsz >= 16:
                return desc, vaddr + (desc - off), descsz // 8
            pos = desc + ((descsz + 3) & ~3)
    sys.exit("corrupt.py: no SITES note with two records")


def main():
    src, dst, case = sys.argv[1:4]
    elf = bytearray(open(src, "rb").read())
    desc, desc_va, _n = sites_note(elf)
    rec, rec_va = desc + 8, desc_va + 8          # the second record
    rel, length, kind, flags = struct.unpack_from("<iBBH", elf, rec)
    loads = [s for s in segments(elf) if s[0] == PT_LOAD]
    if case == "kind":
        kind = 0xee
    elif case == "wrong":
        kind = 1 if kind != 1 else 2
    elif case == "past":
        text = next(s for s in loads if s[1] & PF_X)
        rel, length = text[3] + text[6] - 1 - rec_va, 200
    elif case == "outside":
        data = next(s for s in loads if not s[1] & PF_X)
        rel = data[3] - rec_va
    elif case == "overlap":
        prel, length, kind, flags = struct.unpack_from("<iBBH", elf, rec - 8)
        rel = prel - 8
    else:
        sys.exit("corrupt.py: unknown case " + case)
    struct.pack_into("<iBBH", elf, rec, rel, length, kind, flags)
    open(dst, "wb").write(elf)
    print("%#x %d" % ((rec_va + rel) & 0xffffffffffffffff, kind))


main()
