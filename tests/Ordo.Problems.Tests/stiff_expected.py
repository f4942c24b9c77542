#!/usr/bin/env python3
"""Prints the expected values hard-coded in StiffProblemsTests.cs, from the independent Python transcription of the
stiff problems (../shared/research/ode-data/odeproblems.py) and scipy.

Run:  /usr/bin/python3 tests/Ordo.Problems.Tests/stiff_expected.py /work/shared/research/ode-data
"""
import json
import sys

import numpy as np
from scipy.integrate import solve_ivp

sys.path.insert(0, sys.argv[1])
import odeproblems  # noqa: E402

NAMES = ["ROBER_40", "ROBER_1e11", "VDPOL", "HIRES", "OREGO", "E5", "POLLU", "RINGMOD"]
data = {p["name"]: p for p in json.load(open(sys.argv[1] + "/problems.json"))["problems"]}


def lit(v):
    return "[" + ", ".join(repr(float(x)) for x in v) + "]"


for name in NAMES:
    p = odeproblems.by_name(name)
    ref = data[name]["reference"]["y"]
    print(f'        ["{name}"] = new({p["t0"]!r}, {p["tf"]!r},')
    print(f'            {lit(p["y0"])},')
    print(f'            {lit(ref)},')
    print(f'            {lit(p["f"](p["t0"], np.array(p["y0"], dtype=float)))},')
    print(f'            {lit(p["f"](p["tf"], np.array(ref, dtype=float)))},')
    # f at t = t0 + 0.37 (tf - t0) and the reference state (RINGMOD's inputs uin1, uin2 vanish at t0 and tf)
    print(f'            {lit(p["f"](p["t0"] + 0.37 * (p["tf"] - p["t0"]), np.array(ref, dtype=float)))}),')

# ROBER_40 on [0, 1e-3] with Radau at rtol 1e-13 (the explicit-method sanity check).
p = odeproblems.by_name("ROBER_40")
s = solve_ivp(p["f"], (0.0, 1e-3), p["y0"], method="Radau", jac=p["jac"], rtol=1e-13, atol=1e-20)
print("ROBER_40 y(1e-3) =", lit(s.y[:, -1]))
