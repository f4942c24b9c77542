"""Stiff reference problems for `ordo bench --suite stiff` (the scipy side): right-hand sides f(t, y) and exact
dense Jacobians jac(t, y) of ROBER, VDPOL, HIRES, OREGO, E5, POLLU and RINGMOD.

Definitions: Hairer & Wanner, Solving Ordinary Differential Equations II (2nd ed.), §IV.1 and §IV.10; Mazzia &
Magherini, Test Set for IVP Solvers (University of Bari, release 2.4). The right-hand sides are copied from Ordo's
research module (../shared/research/ode-data/odeproblems.py); the POLLU and RINGMOD Jacobians are written here from
the same definitions as src/Ordo.Problems/Ode/OdeTestProblems.Stiff.cs. `ordo bench` checks f and jac against the
C# ones at a few points before it runs anything. y0, intervals, tolerances and the reference solutions come from
the request that `ordo bench` sends (Ordo's problem data), not from this file.
"""
import math

import numpy as np

def _rober(t, y):
    return np.array([-0.04 * y[0] + 1e4 * y[1] * y[2],
                     0.04 * y[0] - 1e4 * y[1] * y[2] - 3e7 * y[1] ** 2,
                     3e7 * y[1] ** 2])


def _rober_jac(t, y):
    return np.array([[-0.04, 1e4 * y[2], 1e4 * y[1]],
                     [0.04, -1e4 * y[2] - 6e7 * y[1], -1e4 * y[1]],
                     [0.0, 6e7 * y[1], 0.0]])


_rober_eq = ("y1' = -0.04*y1 + 1e4*y2*y3; y2' = 0.04*y1 - 1e4*y2*y3 - 3e7*y2^2; y3' = 3e7*y2^2")

VDP_EPS = 1e-6


def _vdpol(t, y):
    return np.array([y[1], ((1.0 - y[0] ** 2) * y[1] - y[0]) / VDP_EPS])


def _vdpol_jac(t, y):
    return np.array([[0.0, 1.0],
                     [(-2.0 * y[0] * y[1] - 1.0) / VDP_EPS, (1.0 - y[0] ** 2) / VDP_EPS]])



H = dict(k1=1.71, k2=0.43, k3=8.32, k4=0.0007, k5=8.75, k6=10.03, k7=0.035, k8=1.12, k9=1.745, k10=280.0,
         k11=0.69, k12=1.81)


def _hires(t, y):
    return np.array([
        -1.71 * y[0] + 0.43 * y[1] + 8.32 * y[2] + 0.0007,
        1.71 * y[0] - 8.75 * y[1],
        -10.03 * y[2] + 0.43 * y[3] + 0.035 * y[4],
        8.32 * y[1] + 1.71 * y[2] - 1.12 * y[3],
        -1.745 * y[4] + 0.43 * y[5] + 0.43 * y[6],
        -280.0 * y[5] * y[7] + 0.69 * y[3] + 1.71 * y[4] - 0.43 * y[5] + 0.69 * y[6],
        280.0 * y[5] * y[7] - 1.81 * y[6],
        -280.0 * y[5] * y[7] + 1.81 * y[6]])


def _hires_jac(t, y):
    J = np.zeros((8, 8))
    J[0, 0], J[0, 1], J[0, 2] = -1.71, 0.43, 8.32
    J[1, 0], J[1, 1] = 1.71, -8.75
    J[2, 2], J[2, 3], J[2, 4] = -10.03, 0.43, 0.035
    J[3, 1], J[3, 2], J[3, 3] = 8.32, 1.71, -1.12
    J[4, 4], J[4, 5], J[4, 6] = -1.745, 0.43, 0.43
    J[5, 3], J[5, 4], J[5, 5], J[5, 6], J[5, 7] = 0.69, 1.71, -0.43 - 280.0 * y[7], 0.69, -280.0 * y[5]
    J[6, 5], J[6, 6], J[6, 7] = 280.0 * y[7], -1.81, 280.0 * y[5]
    J[7, 5], J[7, 6], J[7, 7] = -280.0 * y[7], 1.81, -280.0 * y[5]
    return J




def _orego(t, y):
    return np.array([77.27 * (y[1] + y[0] * (1.0 - 8.375e-6 * y[0] - y[1])),
                     (y[2] - (1.0 + y[0]) * y[1]) / 77.27,
                     0.161 * (y[0] - y[2])])


def _orego_jac(t, y):
    return np.array([[77.27 * (1.0 - 2.0 * 8.375e-6 * y[0] - y[1]), 77.27 * (1.0 - y[0]), 0.0],
                     [-y[1] / 77.27, -(1.0 + y[0]) / 77.27, 1.0 / 77.27],
                     [0.161, 0.0, -0.161]])



E5P = dict(A=7.89e-10, B=1.1e7, C=1.13e3, M=1e6)


def _e5s(t, y):
    A, B, C, M = 7.89e-10, 1.1e7, 1.13e3, 1e6
    r1 = A * y[0]
    r2 = B * y[0] * y[2]
    r3 = M * C * y[1] * y[2]
    r4 = C * y[3]
    return np.array([-r1 - r2, r1 - r3, r1 - r2 - r3 + r4, r2 - r4])


def _e5s_jac(t, y):
    A, B, C, M = 7.89e-10, 1.1e7, 1.13e3, 1e6
    return np.array([[-A - B * y[2], 0.0, -B * y[0], 0.0],
                     [A, -M * C * y[2], -M * C * y[1], 0.0],
                     [A - B * y[2], -M * C * y[2], -B * y[0] - M * C * y[1], C],
                     [B * y[2], 0.0, B * y[0], -C]])



POLK = [.35, .266e2, .123e5, .86e-3, .82e-3, .15e5, .13e-3, .24e5, .165e5, .9e4, .22e-1, .12e5, .188e1,
        .163e5, .48e7, .35e-3, .175e-1, .1e9, .444e12, .124e4, .21e1, .578e1, .474e-1, .178e4, .312e1]


def _pollu(t, y):
    k = POLK
    r = [k[0] * y[0], k[1] * y[1] * y[3], k[2] * y[4] * y[1], k[3] * y[6], k[4] * y[6], k[5] * y[6] * y[5],
         k[6] * y[8], k[7] * y[8] * y[5], k[8] * y[10] * y[1], k[9] * y[10] * y[0], k[10] * y[12],
         k[11] * y[9] * y[1], k[12] * y[13], k[13] * y[0] * y[5], k[14] * y[2], k[15] * y[3], k[16] * y[3],
         k[17] * y[15], k[18] * y[15], k[19] * y[16] * y[5], k[20] * y[18], k[21] * y[18],
         k[22] * y[0] * y[3], k[23] * y[18] * y[0], k[24] * y[19]]
    R = [0.0] + r  # 1-based like the reference description
    return np.array([
        -R[1] - R[10] - R[14] - R[23] - R[24] + R[2] + R[3] + R[9] + R[11] + R[12] + R[22] + R[25],
        -R[2] - R[3] - R[9] - R[12] + R[1] + R[21],
        -R[15] + R[1] + R[17] + R[19] + R[22],
        -R[2] - R[16] - R[17] - R[23] + R[15],
        -R[3] + 2.0 * R[4] + R[6] + R[7] + R[13] + R[20],
        -R[6] - R[8] - R[14] - R[20] + R[3] + 2.0 * R[18],
        -R[4] - R[5] - R[6] + R[13],
        R[4] + R[5] + R[6] + R[7],
        -R[7] - R[8],
        -R[12] + R[7] + R[9],
        -R[9] - R[10] + R[8] + R[11],
        R[9],
        -R[11] + R[10],
        -R[13] + R[12],
        R[14],
        -R[18] - R[19] + R[16],
        -R[20],
        R[20],
        -R[21] - R[22] - R[24] + R[23] + R[25],
        -R[25] + R[24]])


_pol_y0 = [0.0] * 20
_pol_y0[1], _pol_y0[3], _pol_y0[6], _pol_y0[7], _pol_y0[8], _pol_y0[16] = 0.2, 0.04, 0.1, 0.3, 0.01, 0.007

RING = dict(c=1.6e-8, cs=2e-12, cp=1e-8, r=25e3, rp=50.0, lh=4.45, ls1=2e-3, ls2=5e-4, ls3=5e-4,
            rg1=36.3, rg2=17.3, rg3=17.3, ri=50.0, rc=600.0, gamma=40.67286402e-9, delta=17.7493332)


def _ring(t, y):
    p = RING
    uin1 = 0.5 * math.sin(2e3 * math.pi * t)
    uin2 = 2.0 * math.sin(2e4 * math.pi * t)
    ud1 = y[2] - y[4] - y[6] - uin2
    ud2 = -y[3] + y[5] - y[6] - uin2
    ud3 = y[3] + y[4] + y[6] + uin2
    ud4 = -y[2] - y[5] + y[6] + uin2
    g, d = p["gamma"], p["delta"]
    # np.exp (not math.exp): a trial step far off the solution overflows to inf instead of raising,
    # so the solver rejects the step -- the Bari Fortran code returns an error flag in that case.
    with np.errstate(over="ignore", invalid="ignore"):
        q1 = g * (np.exp(d * ud1) - 1.0)
        q2 = g * (np.exp(d * ud2) - 1.0)
        q3 = g * (np.exp(d * ud3) - 1.0)
        q4 = g * (np.exp(d * ud4) - 1.0)
    c, cs, cp, r, rp, lh = p["c"], p["cs"], p["cp"], p["r"], p["rp"], p["lh"]
    ls1, ls2, ls3, rg1, rg2, rg3, ri, rc = p["ls1"], p["ls2"], p["ls3"], p["rg1"], p["rg2"], p["rg3"], p["ri"], p["rc"]
    return np.array([
        (y[7] - 0.5 * y[9] + 0.5 * y[10] + y[13] - y[0] / r) / c,
        (y[8] - 0.5 * y[11] + 0.5 * y[12] + y[14] - y[1] / r) / c,
        (y[9] - q1 + q4) / cs,
        (-y[10] + q2 - q3) / cs,
        (y[11] + q1 - q3) / cs,
        (-y[12] - q2 + q4) / cs,
        (-y[6] / rp + q1 + q2 - q3 - q4) / cp,
        -y[0] / lh,
        -y[1] / lh,
        (0.5 * y[0] - y[2] - rg2 * y[9]) / ls2,
        (-0.5 * y[0] + y[3] - rg3 * y[10]) / ls3,
        (0.5 * y[1] - y[4] - rg2 * y[11]) / ls2,
        (-0.5 * y[1] + y[5] - rg3 * y[12]) / ls3,
        (-y[0] + uin1 - (ri + rg1) * y[13]) / ls1,
        (-y[1] - (rc + rg1) * y[14]) / ls1])





# POLLU's Jacobian from its reaction table: reactants (0-based; -1 = first order) of r1..r25 and each species'
# equation as (1-based reaction, coefficient) pairs, as in the Bari description.
_POL_A = [0, 1, 4, 6, 6, 6, 8, 8, 10, 10, 12, 9, 13, 0, 2, 3, 3, 15, 15, 16, 18, 18, 0, 18, 19]
_POL_B = [-1, 3, 1, -1, -1, 5, -1, 5, 1, 0, -1, 1, -1, 5, -1, -1, -1, -1, -1, 5, -1, -1, 3, 0, -1]
_POL_TERMS = [
    [(1, -1), (10, -1), (14, -1), (23, -1), (24, -1), (2, 1), (3, 1), (9, 1), (11, 1), (12, 1), (22, 1), (25, 1)],
    [(2, -1), (3, -1), (9, -1), (12, -1), (1, 1), (21, 1)],
    [(15, -1), (1, 1), (17, 1), (19, 1), (22, 1)],
    [(2, -1), (16, -1), (17, -1), (23, -1), (15, 1)],
    [(3, -1), (4, 2), (6, 1), (7, 1), (13, 1), (20, 1)],
    [(6, -1), (8, -1), (14, -1), (20, -1), (3, 1), (18, 2)],
    [(4, -1), (5, -1), (6, -1), (13, 1)],
    [(4, 1), (5, 1), (6, 1), (7, 1)],
    [(7, -1), (8, -1)],
    [(12, -1), (7, 1), (9, 1)],
    [(9, -1), (10, -1), (8, 1), (11, 1)],
    [(9, 1)],
    [(11, -1), (10, 1)],
    [(13, -1), (12, 1)],
    [(14, 1)],
    [(18, -1), (19, -1), (16, 1)],
    [(20, -1)],
    [(20, 1)],
    [(21, -1), (22, -1), (24, -1), (23, 1), (25, 1)],
    [(25, -1), (24, 1)],
]


def _pollu_jac(t, y):
    J = np.zeros((20, 20))
    for i, terms in enumerate(_POL_TERMS):
        for reaction, c in terms:
            j = reaction - 1
            a, b = _POL_A[j], _POL_B[j]
            k = c * POLK[j]
            if b < 0:
                J[i, a] += k
            else:
                J[i, a] += k * y[b]
                J[i, b] += k * y[a]
    return J


# RINGMOD: d(ud_m)/dy as (column, sign) triples, and the diode currents' coefficients in rows 3..7 (0-based 2..6).
_RING_VOLT = [[(2, 1), (4, -1), (6, -1)], [(3, -1), (5, 1), (6, -1)], [(3, 1), (4, 1), (6, 1)], [(2, -1), (5, -1), (6, 1)]]
_RING_ROWS = [[-1, 0, 0, 1], [0, 1, -1, 0], [1, 0, -1, 0], [0, -1, 0, 1], [1, 1, -1, -1]]


def _ring_jac(t, y):
    p = RING
    c, cs, cp, r, rp, lh = p["c"], p["cs"], p["cp"], p["r"], p["rp"], p["lh"]
    ls1, ls2, ls3, rg1, rg2, rg3, ri, rc = p["ls1"], p["ls2"], p["ls3"], p["rg1"], p["rg2"], p["rg3"], p["ri"], p["rc"]
    J = np.zeros((15, 15))
    J[0, 0], J[0, 7], J[0, 9], J[0, 10], J[0, 13] = -1 / (r * c), 1 / c, -0.5 / c, 0.5 / c, 1 / c
    J[1, 1], J[1, 8], J[1, 11], J[1, 12], J[1, 14] = -1 / (r * c), 1 / c, -0.5 / c, 0.5 / c, 1 / c
    J[2, 9] = 1 / cs
    J[3, 10] = -1 / cs
    J[4, 11] = 1 / cs
    J[5, 12] = -1 / cs
    J[6, 6] = -1 / (rp * cp)
    uin2 = 2.0 * math.sin(2e4 * math.pi * t)
    ud = [y[2] - y[4] - y[6] - uin2, -y[3] + y[5] - y[6] - uin2, y[3] + y[4] + y[6] + uin2, -y[2] - y[5] + y[6] + uin2]
    with np.errstate(over="ignore", invalid="ignore"):
        for m in range(4):
            dq = p["gamma"] * p["delta"] * np.exp(p["delta"] * ud[m])
            for row in range(2, 7):
                coef = _RING_ROWS[row - 2][m]
                if coef == 0:
                    continue
                scaled = coef * dq / (cp if row == 6 else cs)
                for col, sign in _RING_VOLT[m]:
                    J[row, col] += sign * scaled
    J[7, 0] = -1 / lh
    J[8, 1] = -1 / lh
    J[9, 0], J[9, 2], J[9, 9] = 0.5 / ls2, -1 / ls2, -rg2 / ls2
    J[10, 0], J[10, 3], J[10, 10] = -0.5 / ls3, 1 / ls3, -rg3 / ls3
    J[11, 1], J[11, 4], J[11, 11] = 0.5 / ls2, -1 / ls2, -rg2 / ls2
    J[12, 1], J[12, 5], J[12, 12] = -0.5 / ls3, 1 / ls3, -rg3 / ls3
    J[13, 0], J[13, 13] = -1 / ls1, -(ri + rg1) / ls1
    J[14, 1], J[14, 14] = -1 / ls1, -(rc + rg1) / ls1
    return J


# name -> (f, jac)
PROBLEMS = {
    "ROBER_40": (_rober, _rober_jac),
    "ROBER_1e11": (_rober, _rober_jac),
    "VDPOL": (_vdpol, _vdpol_jac),
    "HIRES": (_hires, _hires_jac),
    "OREGO": (_orego, _orego_jac),
    "E5": (_e5s, _e5s_jac),
    "POLLU": (_pollu, _pollu_jac),
    "RINGMOD": (_ring, _ring_jac),
}
