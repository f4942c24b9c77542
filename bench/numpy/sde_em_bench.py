"""numpy side of `ordo bench --suite sde`: a vectorized Euler–Maruyama over all paths at once.

One numpy array holds every path; per step  x += f(x) h + g(x) sqrt(h) z  with z from numpy's default_rng
(PCG64, ziggurat normals). The SDEs are the ones Ordo's harness codes in C# (src/Ordo.Benchmarking/Sde/SdeBenchProblems.cs):
  GBM  dX = mu X dt + sigma X dW,  mu = 1.01, sigma = 0.87, X0 = 0.5          (scalar, multiplicative)
  OU   dX = theta (m - X) dt + sigma dW,  theta = 2, m = 1, sigma = 0.8, X0 = 0 (scalar, additive)
  DW8  dX_i = (X_i - X_i^3 + kappa (X_{i-1} - 2 X_i + X_{i+1})) dt + sigma dW_i, i = 0..7 on a ring,
       kappa = 1, sigma = 0.5, X0_i = 0.5 (-1)^i                               (d = 8, additive, nonlinear)
all on [0, 1]. Two codings are timed, and the harness compares Ordo with the faster one:
  plain    the formula as written, one fresh normal array per step (what a user types first);
  inplace  preallocated buffers and out= arguments, no temporaries (what a user tunes it to).
Only the stepping loop is timed (normal generation included); the initial array and the final mean and variance are
not. "cpu_s" is the same loop's thread CPU time (steadier than wall time on a loaded machine). "normals_s" is the thread CPU time of the normal generation alone (standard_normal(out=) for every step; inplace runs only).
Reads options, writes one JSON object on stdout:
  {"versions": {...}, "runs": [{"problem", "variant", "paths", "steps", "d", "times_s": [...], "cpu_s": [...], "normals_s": [...],
                               "mean": [...], "var": [...]}]}
Usage: /usr/bin/python3 sde_em_bench.py --problems GBM,OU,DW8 --paths 100000 --steps 100 --repeat 3 --seed 1
"""
import argparse
import json
import platform
import sys
import time

import numpy as np

T0, T1 = 0.0, 1.0
GBM_MU, GBM_SIGMA, GBM_X0 = 1.01, 0.87, 0.5
OU_THETA, OU_M, OU_SIGMA, OU_X0 = 2.0, 1.0, 0.8, 0.0
DW_D, DW_KAPPA, DW_SIGMA = 8, 1.0, 0.5
DW_X0 = np.array([0.5 * (-1) ** i for i in range(DW_D)])


def initial(problem, paths):
    if problem == "GBM":
        return np.full(paths, GBM_X0)
    if problem == "OU":
        return np.full(paths, OU_X0)
    # DW8: component-major (d, paths), so that a component is one contiguous row.
    return np.repeat(DW_X0[:, None], paths, axis=1)


def run_plain(problem, x, steps, rng):
    h = (T1 - T0) / steps
    sqh = np.sqrt(h)
    if problem == "GBM":
        for _ in range(steps):
            z = rng.standard_normal(x.shape)
            x += GBM_MU * x * h + GBM_SIGMA * x * sqh * z
    elif problem == "OU":
        for _ in range(steps):
            z = rng.standard_normal(x.shape)
            x += OU_THETA * (OU_M - x) * h + OU_SIGMA * sqh * z
    else:
        for _ in range(steps):
            z = rng.standard_normal(x.shape)
            f = x - x ** 3 + DW_KAPPA * (np.roll(x, 1, axis=0) - 2 * x + np.roll(x, -1, axis=0))
            x += f * h + DW_SIGMA * sqh * z
    return x


def run_inplace(problem, x, steps, rng):
    h = (T1 - T0) / steps
    sqh = np.sqrt(h)
    z = np.empty_like(x)
    if problem == "GBM":
        # x <- x (1 + mu h + sigma sqrt(h) z)
        for _ in range(steps):
            rng.standard_normal(out=z)
            z *= GBM_SIGMA * sqh
            z += 1.0 + GBM_MU * h
            x *= z
    elif problem == "OU":
        # x <- x (1 - theta h) + theta m h + sigma sqrt(h) z
        for _ in range(steps):
            rng.standard_normal(out=z)
            z *= OU_SIGMA * sqh
            z += OU_THETA * OU_M * h
            x *= 1.0 - OU_THETA * h
            x += z
    else:
        f = np.empty_like(x)
        for _ in range(steps):
            rng.standard_normal(out=z)
            np.multiply(x, x, out=f)
            f *= x
            np.subtract(x, f, out=f)                     # x - x^3
            f -= (2 * DW_KAPPA) * x
            f[1:] += DW_KAPPA * x[:-1]
            f[0] += DW_KAPPA * x[-1]
            f[:-1] += DW_KAPPA * x[1:]
            f[-1] += DW_KAPPA * x[0]
            f *= h
            z *= DW_SIGMA * sqh
            f += z
            x += f
    return x


def time_normals(shape, steps, rng):
    z = np.empty(shape)
    start = time.thread_time()
    for _ in range(steps):
        rng.standard_normal(out=z)
    return time.thread_time() - start


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--problems", default="GBM,OU,DW8")
    ap.add_argument("--paths", type=int, default=100000)
    ap.add_argument("--steps", type=int, default=100)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    runs = []
    for problem in args.problems.split(","):
        if problem not in ("GBM", "OU", "DW8"):
            raise SystemExit(f"unknown problem {problem}")
        for variant, fn in (("plain", run_plain), ("inplace", run_inplace)):
            # One untimed small run (first touch of the code paths and the allocator).
            fn(problem, initial(problem, 1000), 5, np.random.default_rng(args.seed))
            times, cpu, normals = [], [], []
            x = None
            for r in range(args.repeat):
                rng = np.random.default_rng([args.seed, r])
                x = initial(problem, args.paths)
                start, start_cpu = time.perf_counter(), time.thread_time()
                x = fn(problem, x, args.steps, rng)
                times.append(time.perf_counter() - start)
                cpu.append(time.thread_time() - start_cpu)
                if variant == "inplace":
                    normals.append(time_normals(x.shape, args.steps, np.random.default_rng([args.seed, r, 1])))
            # Statistics of the last repeat's final states (per component; ddof = 1 as Ordo's ensemble).
            xs = x if problem != "DW8" else x.T
            xs = xs.reshape(args.paths, -1)
            runs.append({
                "problem": problem, "variant": variant, "paths": args.paths, "steps": args.steps, "d": xs.shape[1],
                "times_s": times, "cpu_s": cpu, "normals_s": normals,
                "mean": [float(v) for v in xs.mean(axis=0)], "var": [float(v) for v in xs.var(axis=0, ddof=1)],
            })
    versions = {"numpy": np.__version__, "python": platform.python_version(), "interpreter": sys.executable}
    json.dump({"versions": versions, "runs": runs}, sys.stdout)


if __name__ == "__main__":
    main()
