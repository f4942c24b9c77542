#!/usr/bin/env python3
"""Writes the 35 Moré–Garbow–Hillstrom problems as Ordo least-squares problem files.

Source of the problems: J. J. Moré, B. S. Garbow, K. E. Hillstrom, "Testing Unconstrained Optimization Software",
ACM TOMS 7(1):17-41, 1981, at the sizes and with the corrections recorded in src/Ordo.Problems/Data/mgh/mgh.json
(a copy of ../shared/research/opt-data/mgh.json; errata: Gulf uses |y_i - x2|, Powell singular sqrt(10), Osborne 2
y18 = 0.626, extended Powell (x_{4i-2} - 2x_{4i-1})^2, Penalty II y_i in residual i).

Run from the repository root:  python3 tools/mgh/make_mgh_files.py
It rewrites src/Ordo.Problems/Data/mgh/NN-slug.json. The residual expressions are in the problem-file grammar
(docs/problem-files.md), one per residual, with variables x[1..n]; the C# loader compiles them and takes their exact
derivatives. The tests (tests/Ordo.Problems.Tests/MghProblemsTests.cs) check F(x0) and the gradient at x0 against the
complex-step values in mgh.json.
"""
import json
import math
import os
import re

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(ROOT, "src", "Ordo.Problems", "Data", "mgh")


def num(v):
    """A short, exact-enough literal: the shortest repr of v rounded to 15 significant digits."""
    v = float(f"{float(v):.15g}")
    if v == int(v) and abs(v) < 1e15:
        return str(int(v))
    return repr(v)


def full(v):
    """The exact double, as Python prints it (for constants computed with a transcendental function)."""
    return repr(float(v))


def residuals(pid, n, m):
    R = []
    if pid == 1:
        R = ["10*(x[2] - x[1]^2)", "1 - x[1]"]
    elif pid == 2:
        R = ["-13 + x[1] + ((5 - x[2])*x[2] - 2)*x[2]", "-29 + x[1] + ((x[2] + 1)*x[2] - 14)*x[2]"]
    elif pid == 3:
        R = ["1e4*x[1]*x[2] - 1", "exp(-x[1]) + exp(-x[2]) - 1.0001"]
    elif pid == 4:
        R = ["x[1] - 1e6", "x[2] - 2e-6", "x[1]*x[2] - 2"]
    elif pid == 5:
        R = [f"y[{i}] - x[1]*(1 - x[2]^{i})" for i in range(1, 4)]
    elif pid == 6:
        R = [f"{2 + 2 * i} - (exp({i}*x[1]) + exp({i}*x[2]))" for i in range(1, m + 1)]
    elif pid == 7:
        theta = ("if(x[1] > 0, atan(x[2]/x[1])/(2*pi), if(x[1] < 0, atan(x[2]/x[1])/(2*pi) + 0.5, "
                 "if(x[2] >= 0, 0.25, -0.25)))")
        R = [f"10*(x[3] - 10*{theta})", "10*(sqrt(x[1]^2 + x[2]^2) - 1)", "x[3]"]
    elif pid == 8:
        for i in range(1, 16):
            u, v = i, 16 - i
            w = min(u, v)
            R.append(f"y[{i}] - (x[1] + {u}/({v}*x[2] + {w}*x[3]))")
    elif pid == 9:
        R = [f"x[1]*exp(-x[2]*({num((8 - i) / 2)} - x[3])^2/2) - y[{i}]" for i in range(1, 16)]
    elif pid == 10:
        R = [f"x[1]*exp(x[2]/({45 + 5 * i} + x[3])) - y[{i}]" for i in range(1, 17)]
    elif pid == 11:
        for i in range(1, m + 1):
            t = i / 100.0
            y = 25.0 + (-50.0 * math.log(t)) ** (2.0 / 3.0)
            R.append(f"exp(-abs({full(y)} - x[2])^x[3]/x[1]) - {num(t)}")
    elif pid == 12:
        R = [f"exp(-{num(0.1 * i)}*x[1]) - exp(-{num(0.1 * i)}*x[2]) - x[3]*(exp(-{num(0.1 * i)}) - exp(-{i}))"
             for i in range(1, m + 1)]
    elif pid == 13:
        R = ["x[1] + 10*x[2]", "sqrt(5)*(x[3] - x[4])", "(x[2] - 2*x[3])^2", "sqrt(10)*(x[1] - x[4])^2"]
    elif pid == 14:
        R = ["10*(x[2] - x[1]^2)", "1 - x[1]", "sqrt(90)*(x[4] - x[3]^2)", "1 - x[3]",
             "sqrt(10)*(x[2] + x[4] - 2)", "(x[2] - x[4])/sqrt(10)"]
    elif pid == 15:
        R = [f"y[{i}] - x[1]*(u[{i}]^2 + u[{i}]*x[2])/(u[{i}]^2 + u[{i}]*x[3] + x[4])" for i in range(1, 12)]
    elif pid == 16:
        for i in range(1, m + 1):
            t = num(i / 5)
            R.append(f"(x[1] + {t}*x[2] - exp({t}))^2 + (x[3] + x[4]*sin({t}) - cos({t}))^2")
    elif pid == 17:
        R = [f"y[{i}] - (x[1] + x[2]*exp(-{10 * (i - 1)}*x[4]) + x[3]*exp(-{10 * (i - 1)}*x[5]))" for i in range(1, 34)]
    elif pid == 18:
        for i in range(1, m + 1):
            t = num(0.1 * i)
            R.append(f"x[3]*exp(-{t}*x[1]) - x[4]*exp(-{t}*x[2]) + x[6]*exp(-{t}*x[5])"
                     f" - (exp(-{t}) - 5*exp(-{i}) + 3*exp(-{num(0.4 * i)}))")
    elif pid == 19:
        for i in range(1, 66):
            t = num((i - 1) / 10)
            R.append(f"y[{i}] - (x[1]*exp(-{t}*x[5]) + x[2]*exp(-({t} - x[9])^2*x[6])"
                     f" + x[3]*exp(-({t} - x[10])^2*x[7]) + x[4]*exp(-({t} - x[11])^2*x[8]))")
    elif pid == 20:
        for i in range(1, 30):
            t = f"({i}/29)"
            R.append(f"sum(j, 2, {n}, (j - 1)*x[j]*{t}^(j - 2)) - sum(j, 1, {n}, x[j]*{t}^(j - 1))^2 - 1")
        R += ["x[1]", "x[2] - x[1]^2 - 1"]
    elif pid == 21:
        for k in range(1, n // 2 + 1):
            R += [f"10*(x[{2 * k}] - x[{2 * k - 1}]^2)", f"1 - x[{2 * k - 1}]"]
    elif pid == 22:
        for k in range(1, n // 4 + 1):
            a = 4 * k - 3
            R += [f"x[{a}] + 10*x[{a + 1}]", f"sqrt(5)*(x[{a + 2}] - x[{a + 3}])",
                  f"(x[{a + 1}] - 2*x[{a + 2}])^2", f"sqrt(10)*(x[{a}] - x[{a + 3}])^2"]
    elif pid == 23:
        R = [f"sqrt(1e-5)*(x[{i}] - 1)" for i in range(1, n + 1)] + [f"sum(j, 1, {n}, x[j]^2) - 0.25"]
    elif pid == 24:
        R = ["x[1] - 0.2"]
        R += [f"sqrt(1e-5)*(exp(x[{i}]/10) + exp(x[{i - 1}]/10) - (exp({i}/10) + exp({i - 1}/10)))" for i in range(2, n + 1)]
        R += [f"sqrt(1e-5)*(exp(x[{i - n + 1}]/10) - exp(-1/10))" for i in range(n + 1, 2 * n)]
        R += [f"sum(j, 1, {n}, ({n} - j + 1)*x[j]^2) - 1"]
    elif pid == 25:
        R = [f"x[{i}] - 1" for i in range(1, n + 1)] + [f"sum(j, 1, {n}, j*(x[j] - 1))", f"sum(j, 1, {n}, j*(x[j] - 1))^2"]
    elif pid == 26:
        R = [f"{n} - sum(j, 1, {n}, cos(x[j])) + {i}*(1 - cos(x[{i}])) - sin(x[{i}])" for i in range(1, n + 1)]
    elif pid == 27:
        R = [f"x[{i}] + sum(j, 1, {n}, x[j]) - {n + 1}" for i in range(1, n)] + [f"prod(j, 1, {n}, x[j]) - 1"]
    elif pid == 28:
        for i in range(1, n + 1):
            left = f" - x[{i - 1}]" if i > 1 else ""
            right = f" - x[{i + 1}]" if i < n else ""
            R.append(f"2*x[{i}]{left}{right} + h^2*(x[{i}] + {i}*h + 1)^3/2")
    elif pid == 29:
        for i in range(1, n + 1):
            R.append(f"x[{i}] + h*((1 - {i}*h)*sum(j, 1, {i}, j*h*(x[j] + j*h + 1)^3)"
                     f" + {i}*h*sum(j, {i + 1}, {n}, (1 - j*h)*(x[j] + j*h + 1)^3))/2")
    elif pid == 30:
        for i in range(1, n + 1):
            left = f" - x[{i - 1}]" if i > 1 else ""
            right = f" - 2*x[{i + 1}]" if i < n else ""
            R.append(f"(3 - 2*x[{i}])*x[{i}]{left}{right} + 1")
    elif pid == 31:
        for i in range(1, n + 1):
            lo = max(1, i - 5)
            s = f" - sum(j, {lo}, {i - 1}, x[j]*(1 + x[j]))" if i > 1 else ""
            up = f" - x[{i + 1}]*(1 + x[{i + 1}])" if i < n else ""
            R.append(f"x[{i}]*(2 + 5*x[{i}]^2) + 1{s}{up}")
    elif pid == 32:
        R = [f"x[{i}] - 2*sum(j, 1, {n}, x[j])/{m} - 1" for i in range(1, n + 1)]
        R += [f"-2*sum(j, 1, {n}, x[j])/{m} - 1" for _ in range(n + 1, m + 1)]
    elif pid == 33:
        R = [f"{i}*sum(j, 1, {n}, j*x[j]) - 1" for i in range(1, m + 1)]
    elif pid == 34:
        R = ["-1"] + [f"{i - 1}*sum(j, 2, {n - 1}, j*x[j]) - 1" for i in range(2, m)] + ["-1"]
    elif pid == 35:
        # T_i(y) with y = 2x_j - 1, written out (the grammar has no recurrence); I_i = 0 (odd i), -1/(i^2 - 1) (even i).
        T = {1: "y", 2: "2*y^2 - 1", 3: "4*y^3 - 3*y", 4: "8*y^4 - 8*y^2 + 1", 5: "16*y^5 - 20*y^3 + 5*y",
             6: "32*y^6 - 48*y^4 + 18*y^2 - 1", 7: "64*y^7 - 112*y^5 + 56*y^3 - 7*y",
             8: "128*y^8 - 256*y^6 + 160*y^4 - 32*y^2 + 1"}
        for i in range(1, m + 1):
            poly = re.sub(r"\by\b", "(2*x[j] - 1)", T[i])
            integral = "" if i % 2 == 1 else f" + 1/{i * i - 1}"
            R.append(f"sum(j, 1, {n}, {poly})/{n}{integral}")
    assert len(R) == m, (pid, len(R), m)
    return R


def slug(name):
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def dump(obj):
    """JSON with one residual per line and short arrays on one line."""
    lines = ["{"]
    items = list(obj.items())
    for k, (key, value) in enumerate(items):
        comma = "," if k < len(items) - 1 else ""
        if key == "residuals":
            lines.append(f'  "residuals": [')
            for j, r in enumerate(value):
                lines.append(f"    {json.dumps(r)}{',' if j < len(value) - 1 else ''}")
            lines.append(f"  ]{comma}")
        else:
            lines.append(f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}{comma}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main():
    meta = json.load(open(os.path.join(DATA, "mgh.json")))
    for p in meta["problems"]:
        pid, n, m = p["id"], p["n"], p["m"]
        doc = {
            "kind": "least-squares",
            "name": f"MGH {pid}: {p['name']}",
            "_source": "Moré, Garbow, Hillstrom, ACM TOMS 7(1):17-41 (1981), problem %d; f is the plain sum of squares. "
                       "Generated by tools/mgh/make_mgh_files.py from mgh.json." % pid,
            "variables": {"x": n},
        }
        if pid in (28, 29):
            doc["parameters"] = {"h": 1.0 / (n + 1)}
        if "data" in p:
            doc["data"] = p["data"]
        doc["residuals"] = residuals(pid, n, m)
        doc["x0"] = p["x0"]
        ref = {"f": p["f_star"]}
        if p.get("x_star") is not None:
            ref["x"] = p["x_star"]
        doc["reference"] = ref
        path = os.path.join(DATA, f"{pid:02d}-{slug(p['name'])}.json")
        with open(path, "w", encoding="utf-8") as f:
            f.write(dump(doc))
    print(f"wrote {len(meta['problems'])} files to {DATA}")


if __name__ == "__main__":
    main()
