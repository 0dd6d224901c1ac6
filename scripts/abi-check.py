#!/usr/bin/env python3
"""The ABI check: every constant, ioctl number, struct size and field offset our uapi headers
define (include/uapi/{linux,asm}/{kvm,kvm_para}.h, linux/psp-sev.h) against upstream 6.12's installed uapi
headers.  Generates one C program that prints each fact, builds it once against our headers
and once against upstream's, and compares the two outputs line by line.

    scripts/abi-check.py UPSTREAM_INCLUDE_DIR [BUILD_DIR]

TAP on stdout; exit 0 only if every fact agrees and upstream knows every name we define.
"""
import os
import re
import subprocess
import sys

HEADERS = ["linux/kvm.h", "asm/kvm.h", "linux/kvm_para.h", "asm/kvm_para.h",
           "linux/psp-sev.h"]
# What upstream has only after 6.12 (TDX's uapi came in 6.16, SNP certificate requests in 7.0):
# checked against ours only.
LATER = re.compile(r"^(kvm_tdx_\w+|KVM_TDX_\w+|KVM_X86_TDX_VM|TDX_\w+|kvm_exit_snp_req_certs|"
                   r"KVM_EXIT_SNP_REQ_CERTS|KVM_X86_SEV_SNP_REQ_CERTS|snp_req_certs)$")
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    return re.sub(r"//[^\n]*", " ", text)


def defines(text):
    """Object-like macros with a value, guards and helpers aside."""
    names = []
    for m in re.finditer(r"^#\s*define\s+([A-Za-z_][A-Za-z0-9_]*)(\s+|\()(.*)$", text, re.M):
        name, sep, value = m.group(1), m.group(2), m.group(3).strip()
        if sep == "(" or not value or name.startswith("_"):
            continue
        names.append(("s:" if value.startswith('"') else "") + name)
    return names


def structs(text):
    """{struct name: [member designators]} for every top-level struct, nested named members
    as dotted paths; bitfields and flexible arrays (no offsetof) are left out."""
    out = {}
    for m in re.finditer(r"^struct\s+(\w+)\s*\{", text, re.M):
        name, i, depth, body_start = m.group(1), m.end(), 1, m.end()
        while depth:
            depth += {"{": 1, "}": -1}.get(text[i], 0)
            i += 1
        out[name] = members(text[body_start:i - 1])
    return out


def members(body, prefix=""):
    """Member designators of a struct or union body: a nested block's members under its name
    (an anonymous one's as they are), the block itself too if named."""
    fields, i = [], 0
    while i < len(body):
        brace, semi = body.find("{", i), body.find(";", i)
        if semi < 0:
            break
        if 0 <= brace < semi:
            depth, j = 1, brace + 1
            while depth:
                depth += {"{": 1, "}": -1}.get(body[j], 0)
                j += 1
            end = body.index(";", j)
            m = re.match(r"\s*(\w*)\s*(\[)?", body[j:end])
            name = m.group(1) if m else ""
            # an array of blocks: its members through element 0
            inner = prefix + name + ("[0]." if m.group(2) else ".") if name else prefix
            if name:
                fields.append(prefix + name)
            fields += members(body[brace + 1:j - 1], inner)
            i = end + 1
            continue
        decl = body[i:semi].strip()
        i = semi + 1
        if ":" in decl or decl.startswith("#") or not decl or "FLEX_ARRAY" in decl:
            continue
        for part in decl.split(","):
            fm = re.search(r"(\w+)\s*(\[[^\]]*\])?\s*$", part.strip())
            if fm and fm.group(2) != "[]":
                fields.append(prefix + fm.group(1))
    return fields


def program(names, layouts):
    lines = ["#include <errno.h>", "#include <stdio.h>", "#include <stddef.h>",
             "#include <linux/types.h>"]
    lines += ["#include <%s>" % h for h in HEADERS]
    lines.append("int main(void)\n{")
    for n in names:
        string, n = n.startswith("s:"), n[2:] if n.startswith("s:") else n
        lines.append("#ifdef %s" % n)
        if string:	# a string's bytes, up to its last NUL
            lines.append('\tfor (size_t i = 0; i < sizeof(%s); i++) printf("%%02x", %s[i]);'
                         % (n, n))
            lines.append('\tprintf(" define %s\\n");' % n)
        else:
            lines.append('\tprintf("define %s %%llu\\n", (unsigned long long)(%s));'
                         % (n, n))
        lines.append("#else")
        lines.append('\tprintf("define %s missing\\n");' % n)
        lines.append("#endif")
    for s, fields in layouts.items():
        lines.append('\tprintf("sizeof %s %%zu\\n", sizeof(struct %s));' % (s, s))
        for f in fields:
            lines.append('\tprintf("offsetof %s.%s %%zu\\n", offsetof(struct %s, %s));'
                         % (s, f, s, f))
    lines.append("\treturn 0;\n}")
    return "\n".join(lines) + "\n"


def run(src, include, out):
    exe = out + ".bin"
    cc = ["cc", "-w", "-x", "c", "-", "-o", exe] + include
    r = subprocess.run(cc, input=src, text=True, capture_output=True)
    if r.returncode:
        return None, r.stderr
    return subprocess.run([exe], capture_output=True, text=True, check=True).stdout, ""


def main():
    upstream = sys.argv[1]
    build = sys.argv[2] if len(sys.argv) > 2 else os.path.join(ROOT, "build")
    names, layouts = [], {}
    for h in HEADERS:
        text = strip_comments(open(os.path.join(ROOT, "include/uapi", h)).read())
        names += [n for n in defines(text) if n not in names]
        layouts.update(structs(text))
    later = [n for n in names if LATER.match(n)] + [t for t in layouts if LATER.match(t)]
    names = [n for n in names if n not in later]
    layouts = {t: [f for f in fs if not LATER.match(f.split(".")[0])]
               for t, fs in layouts.items() if t not in later}
    src = program(names, layouts)
    os.makedirs(build, exist_ok=True)
    ours, err = run(src, ["-I" + os.path.join(ROOT, "include/uapi")],
                    os.path.join(build, "abi-ours"))
    if ours is None:
        print("not ok 1 our headers do not build")
        sys.stderr.write(err)
        return 1
    theirs, err = run(src, ["-isystem", upstream], os.path.join(build, "abi-upstream"))
    if theirs is None:
        print("not ok 1 upstream 6.12 lacks what ours define:")
        sys.stderr.write("\n".join(l for l in err.splitlines() if "error" in l) + "\n")
        return 1
    bad = [(a, b) for a, b in zip(ours.splitlines(), theirs.splitlines()) if a != b]
    facts = len(ours.splitlines())
    print("TAP version 13\n1..1")
    for a, b in bad:
        print("# ours: %-60s upstream: %s" % (a, b.split()[-1]))
    print("%s 1 %d facts agree with 6.12: %d defines, %d structs, %d fields"
          " (%d names are later than 6.12: TDX, SNP certificate requests)" %
          ("not ok" if bad else "ok", facts, len(names), len(layouts),
           sum(len(f) for f in layouts.values()), len(later)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
