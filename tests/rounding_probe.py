"""Which stored outputs depend on floating-point rounding? Execute the chapters as other machines would.

A maintainer's tool, not a test (CI never sets these variables). It executes every chapter under
several arithmetic set-ups that change the order and the kernels of floating-point operations,
the cheapest stand-ins for other machines:

- the default (OpenBLAS picks its kernel for this CPU, all cores);
- one BLAS thread (another summation order in every matrix product);
- OpenBLAS's Haswell (AVX2) and Sandybridge (AVX) kernels;
- NumPy's own loops (exp, log, sums) without their AVX-512 variants, as on an AVX2 machine, and
  without AVX at all, with OpenBLAS's Nehalem kernel, as on an old SSE4 machine.

For every code cell whose output is compared by nbval, it prints each output that differs from
the stored one, first as stored text, then after the book's nbval sanitizer (tests/nbval_sanitize.cfg).
A difference that survives the sanitizer is a stored digit that depends on rounding: the
chapter must print it with fewer digits or in the form the sanitizer masks.

    python tests/rounding_probe.py                      # every chapter, every set-up
    python tests/rounding_probe.py 07 --setups threads1
"""

import argparse
import os
import pathlib
import subprocess
import sys
import tempfile

import nbformat

from helpers._book import BOOK
from test_portable_outputs import compared_outputs, sanitize, sanitize_patterns  # the same texts, masked alike


SETUPS = {
    "default": {},
    "threads1": {"OPENBLAS_NUM_THREADS": "1"},
    "haswell": {"OPENBLAS_CORETYPE": "Haswell"},
    "sandybridge": {"OPENBLAS_CORETYPE": "Sandybridge"},
    "numpy-avx2": {"NPY_DISABLE_CPU_FEATURES": "X86_V4 AVX512_ICL AVX512_SPR", "OPENBLAS_CORETYPE": "Haswell"},
    "numpy-sse4": {"NPY_DISABLE_CPU_FEATURES": "X86_V3 X86_V4 AVX512_ICL AVX512_SPR", "OPENBLAS_CORETYPE": "Nehalem"},
}


def execute(path, env, outdir):
    cmd = [sys.executable, "-m", "jupyter", "nbconvert", "--to", "notebook", "--execute",
           "--ExecutePreprocessor.timeout=600", "--output-dir", str(outdir), str(path)]
    subprocess.run(cmd, env=env, check=True, capture_output=True, cwd=path.parent)
    return nbformat.read(outdir / path.name, as_version=4)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("chapters", nargs="*", help="chapter numbers (default: all)")
    ap.add_argument("--setups", nargs="*", default=list(SETUPS), choices=list(SETUPS))
    args = ap.parse_args()
    chapters = [BOOK.chapter(n) for n in args.chapters] if args.chapters else BOOK.chapters
    paths = [c.path() for c in chapters]
    patterns = sanitize_patterns()
    surviving = 0
    for name in args.setups:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENBLAS_", "NPY_DISABLE"))}
        env.update(SETUPS[name])
        for path in paths:
            stored = nbformat.read(path, as_version=4)
            with tempfile.TemporaryDirectory() as tmp:
                fresh = execute(path, env, pathlib.Path(tmp))
            for i, (a, b) in enumerate(zip(stored.cells, fresh.cells)):
                if a.cell_type != "code":
                    continue
                old, new = "".join(compared_outputs(a)), "".join(compared_outputs(b))
                if old == new:
                    continue
                survives = sanitize(old, patterns) != sanitize(new, patterns)
                surviving += survives
                tag = "SURVIVES THE SANITIZER" if survives else "masked"
                print(f"--- {name} {path.stem} cell {i}: {tag}")
                for lo, ln in zip(old.splitlines(), new.splitlines()):
                    if lo != ln:
                        print(f"  stored: {lo}\n  now   : {ln}")
            sys.stdout.flush()
    print(f"{surviving} differences survive the sanitizer")
    return 1 if surviving else 0


if __name__ == "__main__":
    sys.exit(main())
