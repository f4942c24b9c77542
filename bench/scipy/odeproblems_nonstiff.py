#!/usr/bin/env python3
"""Non-stiff ODE test problems (definitions only) for the scipy side of `ordo bench`.

Copied from the research team's own ../shared/research/ode-data/odeproblems.py (lines 1-297, the
non-stiff part: DETEST A-E, Lotka-Volterra, Arenstorf, Pleiades, Brusselator1D), unchanged except for
this header, the removed stiff section and the RHS table at the end. The C# right-hand sides in
src/Ordo.Problems implement the same math; `ordo bench` checks both at a few points before it compares
(request mode "evaluate" of solve_ivp_bench.py).

Every problem is a dict with
  name, category ('nonstiff'), description, equations (text), params,
  t0, tf, y0 (list), f(t, y) -> ndarray, optional jac(t, y) -> ndarray,
  atol_factor (atol = atol_factor * rtol used by the benchmark runs).

Own implementation of the published problem definitions (DETEST: Hull, Enright, Fellen,
Sedgwick 1972 / Enright & Pryce 1987; Bari 'Test Set for IVP Solvers'; Hairer-Norsett-Wanner).
"""
import math

import numpy as np

PROBLEMS = []


def problem(**kw):
    kw.setdefault("atol_factor", 1e-3)
    kw.setdefault("params", {})
    PROBLEMS.append(kw)
    return kw


# ----------------------------------------------------------------------------- DETEST class A
problem(name="DETEST_A1", category="nonstiff", t0=0.0, tf=20.0, y0=[1.0],
        equations="y' = -y", description="DETEST A1 (decay)",
        f=lambda t, y: -y)
problem(name="DETEST_A2", category="nonstiff", t0=0.0, tf=20.0, y0=[1.0],
        equations="y' = -y^3/2", description="DETEST A2 (special case of Riccati)",
        f=lambda t, y: -0.5 * y ** 3)
problem(name="DETEST_A3", category="nonstiff", t0=0.0, tf=20.0, y0=[1.0],
        equations="y' = y*cos(t)", description="DETEST A3 (oscillatory)",
        f=lambda t, y: y * math.cos(t))
problem(name="DETEST_A4", category="nonstiff", t0=0.0, tf=20.0, y0=[1.0],
        equations="y' = (y/4)*(1 - y/20)", description="DETEST A4 (logistic)",
        f=lambda t, y: 0.25 * y * (1.0 - y / 20.0))
problem(name="DETEST_A5", category="nonstiff", t0=0.0, tf=20.0, y0=[4.0],
        equations="y' = (y - t)/(y + t)", description="DETEST A5 (spiral curve)",
        f=lambda t, y: (y - t) / (y + t))


# ----------------------------------------------------------------------------- DETEST class B
def _b1(t, y):
    return np.array([2.0 * (y[0] - y[0] * y[1]), -(y[1] - y[0] * y[1])])


def _b2(t, y):
    return np.array([-y[0] + y[1], y[0] - 2.0 * y[1] + y[2], y[1] - y[2]])


def _b3(t, y):
    return np.array([-y[0], y[0] - y[1] ** 2, y[1] ** 2])


def _b4(t, y):
    r = math.sqrt(y[0] ** 2 + y[1] ** 2)
    return np.array([-y[1] - y[0] * y[2] / r, y[0] - y[1] * y[2] / r, y[0] / r])


def _b5(t, y):
    return np.array([y[1] * y[2], -y[0] * y[2], -0.51 * y[0] * y[1]])


problem(name="DETEST_B1", category="nonstiff", t0=0.0, tf=20.0, y0=[1.0, 3.0], f=_b1,
        equations="y1' = 2*(y1 - y1*y2); y2' = -(y2 - y1*y2)", description="DETEST B1 (Lotka-Volterra growth)")
problem(name="DETEST_B2", category="nonstiff", t0=0.0, tf=20.0, y0=[2.0, 0.0, 1.0], f=_b2,
        equations="y1' = -y1 + y2; y2' = y1 - 2*y2 + y3; y3' = y2 - y3", description="DETEST B2 (linear chemical reaction)")
problem(name="DETEST_B3", category="nonstiff", t0=0.0, tf=20.0, y0=[1.0, 0.0, 0.0], f=_b3,
        equations="y1' = -y1; y2' = y1 - y2^2; y3' = y2^2", description="DETEST B3 (nonlinear chemical reaction)")
problem(name="DETEST_B4", category="nonstiff", t0=0.0, tf=20.0, y0=[3.0, 0.0, 0.0], f=_b4,
        equations="r = sqrt(y1^2 + y2^2); y1' = -y2 - y1*y3/r; y2' = y1 - y2*y3/r; y3' = y1/r",
        description="DETEST B4 (integral surface of a torus)")
problem(name="DETEST_B5", category="nonstiff", t0=0.0, tf=20.0, y0=[0.0, 1.0, 1.0], f=_b5,
        equations="y1' = y2*y3; y2' = -y1*y3; y3' = -0.51*y1*y2", description="DETEST B5 (Euler equations of a rigid body without external forces)")


# ----------------------------------------------------------------------------- DETEST class C
def _c1_matrix(n=10):
    A = np.zeros((n, n))
    A[0, 0] = -1.0
    for i in range(1, n - 1):
        A[i, i - 1] = 1.0
        A[i, i] = -1.0
    A[n - 1, n - 2] = 1.0
    return A


def _c2_matrix(n=10):
    A = np.zeros((n, n))
    A[0, 0] = -1.0
    for i in range(1, n - 1):  # 0-based i corresponds to y_{i+1}
        A[i, i - 1] = float(i)
        A[i, i] = -float(i + 1)
    A[n - 1, n - 2] = float(n - 1)
    return A


def _tridiag(n):
    A = np.zeros((n, n))
    for i in range(n):
        A[i, i] = -2.0
        if i > 0:
            A[i, i - 1] = 1.0
        if i < n - 1:
            A[i, i + 1] = 1.0
    return A


C_MATRICES = {"DETEST_C1": _c1_matrix(10), "DETEST_C2": _c2_matrix(10),
              "DETEST_C3": _tridiag(10), "DETEST_C4": _tridiag(51)}


def _linear(A):
    return lambda t, y: A @ y


for _name, _n, _eq, _desc in [
        ("DETEST_C1", 10, "y1' = -y1; yi' = y(i-1) - yi (i=2..9); y10' = y9", "DETEST C1 (radioactive decay chain)"),
        ("DETEST_C2", 10, "y1' = -y1; yi' = (i-1)*y(i-1) - i*yi (i=2..9); y10' = 9*y9", "DETEST C2 (decay chain, distinct rates)"),
        ("DETEST_C3", 10, "y1' = -2*y1 + y2; yi' = y(i-1) - 2*yi + y(i+1) (i=2..9); y10' = y9 - 2*y10", "DETEST C3 (tridiagonal, 10 eq.)"),
        ("DETEST_C4", 51, "y1' = -2*y1 + y2; yi' = y(i-1) - 2*yi + y(i+1) (i=2..50); y51' = y50 - 2*y51", "DETEST C4 (tridiagonal, 51 eq.)")]:
    problem(name=_name, category="nonstiff", t0=0.0, tf=20.0, y0=[1.0] + [0.0] * (_n - 1),
            f=_linear(C_MATRICES[_name]), jac=(lambda A: (lambda t, y: A))(C_MATRICES[_name]),
            equations=_eq, description=_desc)

C5_K2 = 2.95912208286
C5_M0 = 1.00000597682
C5_M = [0.954786104043e-3, 0.285583733151e-3, 0.437273164546e-4, 0.517759138449e-4, 0.277777777778e-5]
C5_Y0 = [3.42947415189, 3.35386959711, 1.35494901715, 6.64145542550, 5.97156957878, 2.18231499728,
         11.2630437207, 14.6952576794, 6.27960525067, -30.1552268759, 1.65699966404, 1.43785752721,
         -21.1238353380, 28.4465098142, 15.3882659679, -0.557160570446, 0.505696783289, 0.230578543901,
         -0.415570776342, 0.365682722812, 0.169143213293, -0.325325669158, 0.189706021964, 0.0877265322780,
         -0.0240476254170, -0.287659532608, -0.117219543175, -0.176860753121, -0.216393453025, -0.0148647893090]


def _c5(t, y):
    p = y[:15].reshape(5, 3)
    v = y[15:]
    r3 = np.sum(p * p, axis=1) ** 1.5
    acc = np.empty((5, 3))
    for i in range(5):
        a = -(C5_M0 + C5_M[i]) * p[i] / r3[i]
        for j in range(5):
            if j != i:
                d = p[j] - p[i]
                a = a + C5_M[j] * (d / (d @ d) ** 1.5 - p[j] / r3[j])
        acc[i] = C5_K2 * a
    return np.concatenate([v, acc.ravel()])


problem(name="DETEST_C5", category="nonstiff", t0=0.0, tf=20.0, y0=C5_Y0, f=_c5,
        params=dict(k2=C5_K2, m0=C5_M0, m=C5_M),
        equations="5 outer planets around the sun: y(1..15) = positions p_i (3 coords each), y(16..30) = velocities; "
                  "p_i'' = k2*( -(m0+m_i)*p_i/|p_i|^3 + sum_{j!=i} m_j*((p_j-p_i)/|p_j-p_i|^3 - p_j/|p_j|^3) )",
        description="DETEST C5 (five body problem, 30 first-order equations)")


# ----------------------------------------------------------------------------- DETEST class D
def _kepler(t, y):
    r3 = (y[0] ** 2 + y[1] ** 2) ** 1.5
    return np.array([y[2], y[3], -y[0] / r3, -y[1] / r3])


for _k, _e in enumerate([0.1, 0.3, 0.5, 0.7, 0.9], start=1):
    problem(name="DETEST_D%d" % _k, category="nonstiff", t0=0.0, tf=20.0,
            y0=[1.0 - _e, 0.0, 0.0, math.sqrt((1.0 + _e) / (1.0 - _e))], f=_kepler,
            params=dict(eccentricity=_e),
            equations="y1' = y3; y2' = y4; y3' = -y1/r^3; y4' = -y2/r^3; r = sqrt(y1^2+y2^2); "
                      "y0 = (1-e, 0, 0, sqrt((1+e)/(1-e)))",
            description="DETEST D%d (two-body orbit, eccentricity %.1f)" % (_k, _e))


# ----------------------------------------------------------------------------- DETEST class E
def _e1(t, y):
    return np.array([y[1], -(y[1] / (t + 1.0) + (1.0 - 0.25 / (t + 1.0) ** 2) * y[0])])


def _e2(t, y):
    return np.array([y[1], (1.0 - y[0] ** 2) * y[1] - y[0]])


def _e3(t, y):
    return np.array([y[1], y[0] ** 3 / 6.0 - y[0] + 2.0 * math.sin(2.78535 * t)])


def _e4(t, y):
    return np.array([y[1], 0.032 - 0.4 * y[1] ** 2])


def _e5(t, y):
    return np.array([y[1], math.sqrt(1.0 + y[1] ** 2) / (25.0 - t)])


_SQ2PI = math.sqrt(2.0 / math.pi)
problem(name="DETEST_E1", category="nonstiff", t0=0.0, tf=20.0,
        y0=[_SQ2PI * math.sin(1.0), _SQ2PI * (math.cos(1.0) - 0.5 * math.sin(1.0))], f=_e1,
        equations="y1' = y2; y2' = -( y2/(t+1) + (1 - 0.25/(t+1)^2)*y1 ); exact y1 = sqrt(2/(pi*(t+1)))*sin(t+1)",
        description="DETEST E1 (Bessel equation of order 1/2)")
problem(name="DETEST_E2", category="nonstiff", t0=0.0, tf=20.0, y0=[2.0, 0.0], f=_e2,
        equations="y1' = y2; y2' = (1 - y1^2)*y2 - y1", description="DETEST E2 (van der Pol, mu = 1)")
problem(name="DETEST_E3", category="nonstiff", t0=0.0, tf=20.0, y0=[0.0, 0.0], f=_e3,
        equations="y1' = y2; y2' = y1^3/6 - y1 + 2*sin(2.78535*t)", description="DETEST E3 (Duffing)")
problem(name="DETEST_E4", category="nonstiff", t0=0.0, tf=20.0, y0=[30.0, 0.0], f=_e4,
        equations="y1' = y2; y2' = 0.032 - 0.4*y2^2", description="DETEST E4 (falling body with drag)")
problem(name="DETEST_E5", category="nonstiff", t0=0.0, tf=20.0, y0=[0.0, 0.0], f=_e5,
        equations="y1' = y2; y2' = sqrt(1 + y2^2)/(25 - t)", description="DETEST E5 (pursuit curve)")


# ----------------------------------------------------------------------------- other non-stiff
LV = dict(a=1.5, b=1.0, c=3.0, d=1.0)
problem(name="LotkaVolterra", category="nonstiff", t0=0.0, tf=10.0, y0=[1.0, 1.0], params=LV,
        f=lambda t, y: np.array([LV["a"] * y[0] - LV["b"] * y[0] * y[1], -LV["c"] * y[1] + LV["d"] * y[0] * y[1]]),
        equations="x' = a*x - b*x*y; y' = -c*y + d*x*y; (a,b,c,d) = (1.5,1,3,1)",
        description="Lotka-Volterra predator-prey (SciML DiffEqProblemLibrary parameters, tspan (0,10))")

AR_MU = 0.012277471
AR_T = 17.0652165601579625588917206249
AR_V0 = -2.00158510637908252240537862224


def _arenstorf(t, y):
    mu, mup = AR_MU, 1.0 - AR_MU
    d1 = ((y[0] + mu) ** 2 + y[1] ** 2) ** 1.5
    d2 = ((y[0] - mup) ** 2 + y[1] ** 2) ** 1.5
    return np.array([y[2], y[3],
                     y[0] + 2.0 * y[3] - mup * (y[0] + mu) / d1 - mu * (y[0] - mup) / d2,
                     y[1] - 2.0 * y[2] - mup * y[1] / d1 - mu * y[1] / d2])


problem(name="Arenstorf", category="nonstiff", t0=0.0, tf=AR_T, y0=[0.994, 0.0, 0.0, AR_V0], f=_arenstorf,
        params=dict(mu=AR_MU, period="17.0652165601579625588917206249",
                    v0="-2.00158510637908252240537862224"),
        equations="restricted 3-body (rotating frame): y1'' = y1 + 2*y2' - mu'*(y1+mu)/D1 - mu*(y1-mu')/D2; "
                  "y2'' = y2 - 2*y1' - mu'*y2/D1 - mu*y2/D2; D1 = ((y1+mu)^2+y2^2)^(3/2), D2 = ((y1-mu')^2+y2^2)^(3/2), "
                  "mu = 0.012277471, mu' = 1-mu; state (y1, y2, y1', y2')",
        description="Arenstorf orbit (HNW I, Sec. II.0); periodic with period T, so y(T) = y(0)")


def _pleiades(t, y):
    x = y[0:7]
    yy = y[7:14]
    m = np.arange(1.0, 8.0)
    dx = x[None, :] - x[:, None]      # dx[i, j] = x_j - x_i
    dy = yy[None, :] - yy[:, None]
    r3 = (dx * dx + dy * dy) ** 1.5
    np.fill_diagonal(r3, 1.0)
    ax = np.sum(m[None, :] * dx / r3, axis=1)
    ay = np.sum(m[None, :] * dy / r3, axis=1)
    return np.concatenate([y[14:21], y[21:28], ax, ay])


problem(name="Pleiades", category="nonstiff", t0=0.0, tf=3.0,
        y0=[3.0, 3.0, -1.0, -3.0, 2.0, -2.0, 2.0,
            3.0, -3.0, 2.0, 0.0, 0.0, -4.0, 4.0,
            0.0, 0.0, 0.0, 0.0, 0.0, 1.75, -1.5,
            0.0, 0.0, 0.0, -1.25, 1.0, 0.0, 0.0], f=_pleiades,
        equations="7 bodies in the plane, masses m_j = j; state (x1..x7, y1..y7, x1'..x7', y1'..y7'); "
                  "x_i'' = sum_{j!=i} m_j (x_j - x_i)/r_ij^3, y_i'' = sum_{j!=i} m_j (y_j - y_i)/r_ij^3, "
                  "r_ij = sqrt((x_i-x_j)^2 + (y_i-y_j)^2)",
        description="Pleiades (HNW I Sec. II.10; Bari test set PLEI)")

BR_N = 40
BR_ALPHA = 1.0 / 50.0


def _bruss1d(t, y):
    n = BR_N
    u = y[0::2]
    v = y[1::2]
    k = BR_ALPHA * (n + 1) ** 2
    up = np.concatenate([[1.0], u, [1.0]])
    vp = np.concatenate([[3.0], v, [3.0]])
    du = 1.0 + u * u * v - 4.0 * u + k * (up[:-2] - 2.0 * u + up[2:])
    dv = 3.0 * u - u * u * v + k * (vp[:-2] - 2.0 * v + vp[2:])
    out = np.empty(2 * n)
    out[0::2] = du
    out[1::2] = dv
    return out


_xs = [(i + 1) / (BR_N + 1) for i in range(BR_N)]
_br_y0 = []
for _x in _xs:
    _br_y0 += [1.0 + math.sin(2.0 * math.pi * _x), 3.0]
problem(name="Brusselator1D", category="nonstiff", t0=0.0, tf=10.0, y0=_br_y0, f=_bruss1d,
        params=dict(N=BR_N, alpha=BR_ALPHA, A=1.0, B=3.0),
        equations="u_i' = 1 + u_i^2 v_i - 4 u_i + alpha (N+1)^2 (u_{i-1} - 2u_i + u_{i+1}); "
                  "v_i' = 3 u_i - u_i^2 v_i + alpha (N+1)^2 (v_{i-1} - 2v_i + v_{i+1}); i = 1..N, x_i = i/(N+1); "
                  "u_0 = u_{N+1} = 1, v_0 = v_{N+1} = 3; u_i(0) = 1 + sin(2 pi x_i), v_i(0) = 3; "
                  "state interleaved (u1, v1, u2, v2, ...); N = 40, alpha = 1/50",
        description="1-D Brusselator by method of lines (HNW II Sec. IV.1 / HNW I; mildly stiff for N = 40: "
                    "diffusion eigenvalues down to about -134)")


def by_name(name):
    for p in PROBLEMS:
        if p["name"] == name:
            return p
    raise KeyError(name)


# Problem name -> right-hand side f(t, y).
RHS = {p["name"]: p["f"] for p in PROBLEMS}
