#!/usr/bin/env python3
"""Writes libFuzzer seeds for fuzz_session from the golden transcripts in tests/data/transcripts.

Each seed is: an options byte (role, deflate, ...), a piece-size byte, then the transcript's input.
Run from the repository root: python3 tests/fuzz/make_seeds.py
"""
import pathlib

root = pathlib.Path(__file__).resolve().parents[2]
out = root / "tests/data/fuzz_seeds"
out.mkdir(parents=True, exist_ok=True)
count = 0
for path in sorted((root / "tests/data/transcripts").glob("*.txt")):
    cases, current = [], None
    for line in path.read_text().splitlines():
        key, _, value = line.partition(":")
        value = value.strip()
        if key == "case":
            current = {"server": False, "deflate": False, "input": bytearray()}
            cases.append(current)
        elif current is None:
            continue
        elif key == "role":
            current["server"] = value == "server"
        elif key == "option" and value == "deflate":
            current["deflate"] = True
        elif key == "in":
            current["input"] += bytes.fromhex(value)
        elif key == "fill":
            byte, n = value.split()
            current["input"] += bytes([int(byte, 16)]) * min(int(n), 4096)
    for case in cases:
        selector = (1 if case["server"] else 0) | (2 if case["deflate"] else 0)
        for piece in (0, 255):
            (out / f"{path.stem}-{count:03d}").write_bytes(bytes([selector, piece]) + case["input"])
            count += 1
print(f"wrote {count} seeds to {out}")
