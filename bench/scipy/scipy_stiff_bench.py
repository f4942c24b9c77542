#!/usr/bin/env python3
"""scipy side of `ordo bench --suite stiff`: times scipy.integrate.solve_ivp's implicit methods (Radau, BDF, LSODA)
with exact Jacobians on the stiff problems named in a JSON request.

Run with Debian's interpreter (/usr/bin/python3, which has scipy); `ordo bench` writes this file and
odeproblems_stiff.py to a temporary folder and runs it with the request on stdin.

Request (stdin, JSON):
  {"mode": "run",                        # or "evaluate" (see below)
   "methods": ["Radau", "BDF", "LSODA"],
   "problems": [{"name": "ROBER_40", "t0": 0.0, "t1": 40.0, "y0": [1, 0, 0],
                 "tolerances": [[1e-4, 1e-8], [1e-6, 1e-10]]}],     # (rtol, atol) pairs, loosest first
   "min_total_s": 0.3, "max_runs": 5,    # timing: repeat while the timed calls add up to less than min_total_s
   "max_run_s": 30,                      # a solve that runs longer is aborted (time_exceeded)
   "growth": 3,                          # predicted time factor from one tolerance to the next tighter one
   "max_total_s": 150}                   # the whole sweep's time cap

Order: tolerance by tolerance (loosest first), then problem, then method, so that a time cap cuts the tightest
points. For every point: one solve_ivp(f, (t0, t1), y0, method=..., rtol=..., atol=..., jac=exact) call gives the
counters and y_final (and warms up); if it took less than min_total_s, further calls are timed with
time.perf_counter until they add up to min_total_s (at least 3, at most max_runs), and time_s is their median;
otherwise time_s is that single call's time. A method is skipped at a tolerance (status "skipped", the message
says why) when it failed at a looser one, when its time at the looser one times `growth` exceeds max_run_s, or when
the sweep's time so far plus that prediction exceeds max_total_s.

Response (stdout, JSON):
  {"versions": {"python": ..., "scipy": ..., "numpy": ...},
   "results": [{"problem", "method", "rtol", "atol", "status", "message", "nfev", "njev", "nlu", "nsteps",
                "y_final", "time_s", "runs"}]}
status: "success", "failed" (solve_ivp gave up; see message), "time_exceeded", "skipped", "error" (an exception),
"unknown_problem". nsteps = len(sol.t) - 1 (accepted steps).

Mode "evaluate": problems carry "points": [[t, [y...]], ...]; the response has
  {"evaluations": [{"problem": name, "values": [[f...], ...], "jacobians": [[J row-major...], ...]}]}
(null for an unknown problem), used to check that f and jac are the same math as the C# ones.

Progress lines "progress DONE TOTAL PROBLEM METHOD RTOL" and anything the solvers print (LSODA's Fortran warnings)
go to stderr. If scipy cannot be imported the response is
{"error": "scipy_missing", "message": ...} with exit code 3.
"""
import json
import math
import os
import sys
import time
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

try:
    import numpy as np
    import scipy
    from scipy.integrate import solve_ivp
except ImportError as exc:  # pragma: no cover - depends on the machine
    json.dump({"error": "scipy_missing", "message": "%s (interpreter %s)" % (exc, sys.executable)}, sys.stdout)
    sys.stdout.write("\n")
    sys.exit(3)

import odeproblems_stiff as P  # noqa: E402


class TimeExceeded(Exception):
    pass


def finite_or_none(x):
    x = float(x)
    return x if math.isfinite(x) else None


def solve_once(f, jac, t0, t1, y0, method, rtol, atol, max_s):
    """One solve_ivp call; returns (sol or None, status, message, seconds). Aborted after max_s seconds."""
    start = time.perf_counter()
    calls = [0]

    def g(t, y):
        calls[0] += 1
        if calls[0] % 256 == 0 and time.perf_counter() - start > max_s:
            raise TimeExceeded()
        return f(t, y)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            sol = solve_ivp(g, (t0, t1), y0, method=method, rtol=rtol, atol=atol, jac=jac, dense_output=False)
        except TimeExceeded:
            return None, "time_exceeded", "aborted after %g s" % max_s, time.perf_counter() - start
        except Exception as exc:  # noqa: BLE001 - any failure is a result, not a crash
            return None, "error", "%s: %s" % (type(exc).__name__, exc), time.perf_counter() - start
    elapsed = time.perf_counter() - start
    return sol, ("success" if sol.status == 0 else "failed"), str(sol.message), elapsed


def run_point(name, f, jac, t0, t1, y0, method, rtol, atol, req):
    min_total = float(req.get("min_total_s", 0.3))
    max_runs = int(req.get("max_runs", 5))
    max_s = float(req.get("max_run_s", 30.0))
    row = dict(problem=name, method=method, rtol=rtol, atol=atol, nfev=0, njev=0, nlu=0, nsteps=None,
               y_final=None, time_s=None, runs=0)
    sol, status, message, first = solve_once(f, jac, t0, t1, y0, method, rtol, atol, max_s)
    row.update(status=status, message="" if status == "success" else message, elapsed=first)
    if sol is None:
        return row
    row.update(nfev=int(sol.nfev), njev=int(sol.njev), nlu=int(sol.nlu), nsteps=int(len(sol.t) - 1),
               y_final=[finite_or_none(v) for v in sol.y[:, -1]])
    if status != "success":
        return row
    times = [first]
    if first < min_total:
        times, total = [], 0.0
        while len(times) < max_runs and (total < min_total or len(times) < 3):
            _, _, _, elapsed = solve_once(f, jac, t0, t1, y0, method, rtol, atol, max_s)
            times.append(elapsed)
            total += elapsed
        row["elapsed"] = first + total
    times.sort()
    k = len(times)
    row.update(time_s=times[k // 2] if k % 2 else 0.5 * (times[k // 2 - 1] + times[k // 2]), runs=k)
    return row


def run(req):
    methods = req.get("methods", ["Radau", "BDF", "LSODA"])
    problems = req.get("problems", [])
    max_s = float(req.get("max_run_s", 30.0))
    growth = float(req.get("growth", 3.0))
    max_total = float(req.get("max_total_s", 150.0))
    levels = max((len(p.get("tolerances", [])) for p in problems), default=0)
    total = sum(len(methods) * len(p.get("tolerances", [])) for p in problems)
    done = 0
    results = []
    last = {}  # (problem, method) -> (status, seconds, rtol, why) at the previous (looser) tolerance
    sweep_start = time.perf_counter()
    for level in range(levels):
        for p in problems:
            tolerances = p.get("tolerances", [])
            if level >= len(tolerances):
                continue
            rtol, atol = float(tolerances[level][0]), float(tolerances[level][1])
            name = p["name"]
            fj = P.PROBLEMS.get(name)
            t0, t1 = float(p["t0"]), float(p["t1"])
            y0 = np.array(p["y0"], float)
            for method in methods:
                base = dict(problem=name, method=method, rtol=rtol, atol=atol, nfev=0, njev=0, nlu=0, nsteps=None,
                            y_final=None, time_s=None, runs=0)
                prev = last.get((name, method))
                predicted = prev[1] * growth if prev is not None else 0.0
                spent = time.perf_counter() - sweep_start
                if fj is None:
                    row = dict(base, status="unknown_problem", message="no problem named %s in odeproblems_stiff.py" % name)
                elif prev is not None and prev[0] != "success":
                    row = dict(base, status="skipped", message=prev[3])
                elif predicted > max_s:
                    why = "predicted > %g s (%.1f s at rtol %g)" % (max_s, prev[1], prev[2])
                    row = dict(base, status="skipped", message=why)
                    last[(name, method)] = ("skipped", prev[1], prev[2], why)
                elif spent + predicted > max_total:
                    row = dict(base, status="skipped", message="scipy's total time cap of %g s reached" % max_total)
                else:
                    row = run_point(name, fj[0], fj[1], t0, t1, y0, method, rtol, atol, req)
                    single = row.pop("elapsed", 0.0) if row["runs"] <= 1 else (row["time_s"] or 0.0)
                    last[(name, method)] = (row["status"], single, rtol, "%s at rtol %g" % (row["status"], rtol))
                row.pop("elapsed", None)
                results.append(row)
                done += 1
                sys.stderr.write("progress %d %d %s %s %g\n" % (done, total, name, method, rtol))
                sys.stderr.flush()
    return results


def evaluate(problems):
    evaluations = []
    for p in problems:
        fj = P.PROBLEMS.get(p["name"])
        values = jacobians = None
        if fj is not None:
            values, jacobians = [], []
            for t, y in p.get("points", []):
                y = np.array(y, float)
                with np.errstate(over="ignore", invalid="ignore"):
                    values.append([finite_or_none(v) for v in np.atleast_1d(fj[0](float(t), y))])
                    jacobians.append([finite_or_none(v) for v in np.asarray(fj[1](float(t), y), float).ravel()])
        evaluations.append({"problem": p["name"], "values": values, "jacobians": jacobians})
    return evaluations


def main():
    # LSODA's Fortran code prints its warnings on file descriptor 1: keep them off the JSON channel by pointing fd 1
    # at stderr and writing the response to a duplicate of the original stdout.
    sys.stdout.flush()
    response = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    req = json.load(sys.stdin)
    mode = req.get("mode", "run")
    out = {"versions": {"python": sys.version.split()[0], "scipy": scipy.__version__, "numpy": np.__version__,
                        "interpreter": sys.executable}}
    if mode == "evaluate":
        out["evaluations"] = evaluate(req.get("problems", []))
    elif mode == "run":
        out["results"] = run(req)
    else:
        json.dump({"error": "bad_request", "message": "unknown mode %r" % mode}, response)
        response.write("\n")
        response.close()
        sys.exit(2)
    json.dump(out, response)
    response.write("\n")
    response.close()


if __name__ == "__main__":
    main()
