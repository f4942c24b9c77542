"""scipy side of `ordo bench --suite opt`: scipy.optimize on the 35 Moré–Garbow–Hillstrom problems from x0.

Adapted from the research team's baseline runner (research/opt-data/run_scipy_mgh.py, whose module mgh_problems.py
is copied beside this file unchanged). Every solver runs with scipy's DEFAULT options and exact first derivatives
(gradient of F = sum r_i^2 and the residual Jacobian by complex step; Hessian-vector products by central differences
of that gradient, as the baseline does). Ordo's harness runs this with Debian's /usr/bin/python3 and reads one JSON
object from stdout:
  {"versions": {...}, "runs": [{"id", "method", "success", "message", "f", "nfev", "ngev", "nhev", "nit",
                               "fun_calls", "grad_calls", "time_s", "cost_to": {"1e-3": c, ...}, "f0"}]}
cost_to[tau] = nf + n*ng spent when the best value seen first passed f - f* <= tau (f(x0) - f*) (absent if never);
an Hessian-vector product costs 2 gradients and a dense Hessian 2n (as the baseline counts them).
time_s is the solver's wall time in this process, including the Python objective and its complex-step derivatives.
Usage: /usr/bin/python3 scipy_mgh_bench.py [--methods BFGS,L-BFGS-B,...] [--ids 1,2,...] [--repeat K]
"""
import json
import os
import sys
import time
import warnings

import numpy as np
import scipy
from scipy.optimize import least_squares, minimize

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import mgh_problems as M  # noqa: E402

DEFAULT_METHODS = ["BFGS", "L-BFGS-B", "CG", "Newton-CG", "trust-ncg", "trust-krylov", "trust-exact",
                   "Nelder-Mead", "Powell", "ls-lm", "ls-trf"]
TAUS = ("1e-3", "1e-5", "1e-6", "1e-7")


class Counted:
    def __init__(self, p):
        self.fun = p["fun"]
        self.n = p["n"]
        self.fstar = p["fstar"]
        self.f0 = float(M.objective(self.fun, p["x0"]))
        self.nf = 0
        self.ng = 0
        self.best = np.inf
        self.hit = {}

    def _record(self, v):
        if np.isfinite(v) and v < self.best:
            self.best = v
            for tau in TAUS:
                if tau not in self.hit and v - self.fstar <= float(tau) * (self.f0 - self.fstar):
                    self.hit[tau] = self.nf + self.n * self.ng

    def f(self, x):
        self.nf += 1
        v = M.objective(self.fun, np.asarray(x, dtype=float))
        v = float(v) if np.isfinite(v) else np.inf
        self._record(v)
        return v

    def g(self, x):
        self.ng += 1
        return M.gradient_cs(self.fun, x)

    def hessp(self, x, p):
        self.ng += 2
        return M.hessp_fd(self.fun, x, p)

    def hess(self, x):
        self.ng += 2 * len(x)
        return M.hess_fd(self.fun, x)

    def r(self, x):
        self.nf += 1
        r = self.fun(np.asarray(x, dtype=float))
        v = float(r @ r)
        self._record(v if np.isfinite(v) else np.inf)
        return r

    def jac(self, x):
        self.ng += 1
        return M.jacobian_cs(self.fun, x)


def run_once(p, method):
    c = Counted(p)
    x0 = p["x0"].copy()
    out = dict(nfev=None, ngev=None, nhev=None, nit=None, success=False, message="")
    t0 = time.perf_counter()
    try:
        if method.startswith("ls-"):
            res = least_squares(c.r, x0, jac=c.jac, method=method[3:])
            out.update(success=bool(res.success), message=str(res.message), nfev=int(res.nfev),
                       ngev=int(res.njev) if res.njev is not None else None)
        else:
            kw = {}
            if method not in ("Nelder-Mead", "Powell"):
                kw["jac"] = c.g
            if method in ("Newton-CG", "trust-ncg", "trust-krylov"):
                kw["hessp"] = c.hessp
            if method == "trust-exact":
                kw["hess"] = c.hess
            res = minimize(c.f, x0, method=method, **kw)
            out.update(success=bool(res.success), message=str(res.message),
                       nfev=int(getattr(res, "nfev", 0) or 0), ngev=getattr(res, "njev", None),
                       nhev=getattr(res, "nhev", None), nit=getattr(res, "nit", None))
        x = res.x
    except Exception as exc:  # a crash is a failure, recorded
        x = x0
        out.update(success=False, message="exception: " + repr(exc)[:100])
    dt = time.perf_counter() - t0
    f = M.objective(p["fun"], np.asarray(x, dtype=float))
    f = float(f) if np.isfinite(f) else float("inf")
    # Moré–Wild score the best value seen (scipy returns its last iterate, which can be worse).
    return dict(id=p["no"], method=method, success=out["success"], message=out["message"].replace("\n", " ")[:120],
                f=min(f, c.best), f_returned=f, f0=c.f0, nfev=out["nfev"],
                ngev=int(out["ngev"]) if out["ngev"] is not None else None,
                nhev=int(out["nhev"]) if out["nhev"] is not None else None,
                nit=int(out["nit"]) if out["nit"] is not None else None,
                fun_calls=c.nf, grad_calls=c.ng, time_s=dt, cost_to=dict(c.hit))


def main(argv):
    methods, ids, repeat = DEFAULT_METHODS, None, 1
    i = 0
    while i < len(argv):
        if argv[i] == "--methods":
            methods = [m for m in argv[i + 1].split(",") if m]
            i += 2
        elif argv[i] == "--ids":
            ids = {int(v) for v in argv[i + 1].split(",") if v}
            i += 2
        elif argv[i] == "--repeat":
            repeat = max(1, int(argv[i + 1]))
            i += 2
        else:
            raise SystemExit("unknown argument " + argv[i])
    runs = []
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        for p in M.problems():
            if ids is not None and p["no"] not in ids:
                continue
            for meth in methods:
                r = run_once(p, meth)
                times = [r["time_s"]]
                for _ in range(repeat - 1):
                    times.append(run_once(p, meth)["time_s"])
                r["time_s"] = float(np.median(times))
                r["time_min_s"] = float(np.min(times))
                runs.append(r)
    versions = {"python": sys.version.split()[0], "scipy": scipy.__version__, "numpy": np.__version__,
                "interpreter": sys.executable}
    json.dump({"versions": versions, "runs": runs}, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1:])
