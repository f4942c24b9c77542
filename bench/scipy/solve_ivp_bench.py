#!/usr/bin/env python3
"""scipy side of `ordo bench`: times scipy.integrate.solve_ivp on the problems named in a JSON request.

Run with Debian's interpreter (/usr/bin/python3, which has scipy); `ordo bench` writes this file and
odeproblems_nonstiff.py to a temporary folder and runs it with the request on stdin.

Request (stdin, JSON):
  {"mode": "run",                       # or "evaluate" (see below)
   "methods": ["RK45", "DOP853"],
   "problems": [{"name": "DETEST_A1", "t0": 0.0, "t1": 20.0, "y0": [1.0],
                 "tolerances": [[1e-4, 1e-7], [1e-6, 1e-9]]}],     # (rtol, atol) pairs
   "rhs_budget": 200000,                # a run that needs more RHS calls is reported as budget_exceeded
   "min_total_s": 0.2, "min_runs": 3, "max_runs": 50}

For every problem x method x (rtol, atol): one warm-up call of
solve_ivp(f, (t0, t1), y0, method=..., rtol=..., atol=..., dense_output=False), then timed calls
(time.perf_counter around solve_ivp) until the timed calls add up to >= min_total_s and there were
>= min_runs of them, at most max_runs; time_s is the minimum. The counters and y_final come from the
warm-up call (solve_ivp is deterministic).

Response (stdout, JSON):
  {"versions": {"python": ..., "scipy": ..., "numpy": ...},
   "results": [{"problem", "method", "rtol", "atol", "status", "message", "nfev", "nsteps",
                "y_final", "time_s", "runs"}]}
status: "success", "failed" (solve_ivp gave up; see message), "budget_exceeded", "error" (an exception;
see message), "unknown_problem". nsteps = len(sol.t) - 1 (accepted steps).

Mode "evaluate": problems carry "points": [[t, [y...]], ...]; the response has
  {"evaluations": [{"problem": name, "values": [[f...], ...]}]}  (values null for an unknown problem),
used to check that these right-hand sides are the same math as the C# ones.

Progress lines "progress DONE TOTAL PROBLEM METHOD RTOL" go to stderr. If scipy cannot be imported the
response is {"error": "scipy_missing", "message": ...} with exit code 3.
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

import odeproblems_nonstiff as P  # noqa: E402


class BudgetExceeded(Exception):
    pass


def counted(f, counter, budget):
    def g(t, y):
        counter[0] += 1
        if counter[0] > budget:
            raise BudgetExceeded()
        return f(t, y)
    return g


def solve_once(f, t0, t1, y0, method, rtol, atol, budget):
    """One solve_ivp call; returns (sol or None, status, message, rhs calls, seconds)."""
    counter = [0]
    g = counted(f, counter, budget)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        start = time.perf_counter()
        try:
            sol = solve_ivp(g, (t0, t1), y0, method=method, rtol=rtol, atol=atol, dense_output=False)
        except BudgetExceeded:
            return None, "budget_exceeded", "more than %d RHS calls" % budget, counter[0], time.perf_counter() - start
        except Exception as exc:  # noqa: BLE001 - any failure is a result, not a crash
            return None, "error", "%s: %s" % (type(exc).__name__, exc), counter[0], time.perf_counter() - start
        elapsed = time.perf_counter() - start
    status = "success" if sol.status == 0 else "failed"
    return sol, status, str(sol.message), counter[0], elapsed


def finite_or_none(x):
    x = float(x)
    return x if math.isfinite(x) else None


def run_point(name, f, t0, t1, y0, method, rtol, atol, req):
    budget = int(req.get("rhs_budget", 200000))
    min_total = float(req.get("min_total_s", 0.2))
    min_runs = int(req.get("min_runs", 3))
    max_runs = int(req.get("max_runs", 50))
    row = dict(problem=name, method=method, rtol=rtol, atol=atol)
    sol, status, message, calls, _ = solve_once(f, t0, t1, y0, method, rtol, atol, budget)  # warm-up
    row.update(status=status, message=message, nfev=calls, nsteps=None, y_final=None, time_s=None, runs=0)
    if sol is None:
        return row
    row.update(nfev=int(sol.nfev), nsteps=int(len(sol.t) - 1),
               y_final=[finite_or_none(v) for v in sol.y[:, -1]])
    best, total, runs = math.inf, 0.0, 0
    while runs < max_runs and (total < min_total or runs < min_runs):
        _, _, _, _, elapsed = solve_once(f, t0, t1, y0, method, rtol, atol, budget)
        best = min(best, elapsed)
        total += elapsed
        runs += 1
    row.update(time_s=best, runs=runs)
    return row


def main():
    req = json.load(sys.stdin)
    mode = req.get("mode", "run")
    out = {"versions": {"python": sys.version.split()[0], "scipy": scipy.__version__, "numpy": np.__version__,
                        "interpreter": sys.executable}}
    problems = req.get("problems", [])
    if mode == "evaluate":
        evaluations = []
        for p in problems:
            f = P.RHS.get(p["name"])
            values = None
            if f is not None:
                values = [[finite_or_none(v) for v in np.atleast_1d(f(float(t), np.array(y, float)))]
                          for t, y in p.get("points", [])]
            evaluations.append({"problem": p["name"], "values": values})
        out["evaluations"] = evaluations
    elif mode == "run":
        methods = req.get("methods", ["RK45", "DOP853"])
        total = sum(len(methods) * len(p.get("tolerances", [])) for p in problems)
        done = 0
        results = []
        for p in problems:
            name = p["name"]
            f = P.RHS.get(name)
            t0, t1 = float(p["t0"]), float(p["t1"])
            y0 = np.array(p["y0"], float)
            for method in methods:
                for rtol, atol in p.get("tolerances", []):
                    if f is None:
                        results.append(dict(problem=name, method=method, rtol=rtol, atol=atol,
                                            status="unknown_problem",
                                            message="no right-hand side named %s in odeproblems_nonstiff.py" % name,
                                            nfev=0, nsteps=None, y_final=None, time_s=None, runs=0))
                    else:
                        results.append(run_point(name, f, t0, t1, y0, method, float(rtol), float(atol), req))
                    done += 1
                    sys.stderr.write("progress %d %d %s %s %g\n" % (done, total, name, method, rtol))
                    sys.stderr.flush()
        out["results"] = results
    else:
        json.dump({"error": "bad_request", "message": "unknown mode %r" % mode}, sys.stdout)
        sys.stdout.write("\n")
        sys.exit(2)
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
