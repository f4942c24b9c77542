#!/usr/bin/env python3
"""Generate src/Ordo.Integration/RungeKutta/Tableaus.cs from tableaux.json.

tableaux.json is a copy of ../shared/research/ode-data/tableaux.json (exact coefficient strings with their
sources, verified there by check_tableaux.py in exact arithmetic). This script turns every coefficient into the
nearest double exactly once: rationals 'p/q' are written as the C# constant expression p.0 / q (which the compiler
folds with correct rounding), decimals as the correctly rounded double of their full-precision value.

Derived data computed here in exact rational arithmetic (so no rounding happens before the final conversion):
  * DOP853's 7th-order dense output, given by Hairer in nested form
        y(th) = y0 + th(F0 + (1-th)(F1 + th(F2 + (1-th)(F3 + th(F4 + (1-th)(F5 + th F6))))))
    with F0 = y1 - y0, F1 = h k0 - F0, F2 = 2 F0 - h (k12 + k0), F3..F6 = h D k, is expanded into weights
    b_i(th) = sum_k P[i][k] th^(k+1) over the 16 (13 + 3 extra) stages, the form every Ordo interpolant uses.
  * DOP853's 3rd-order error weights b - bhh.

Run with: python3 tools/tableaux/generate.py   (no third-party modules)
"""
import json
import os
from decimal import Decimal, getcontext
from fractions import Fraction

getcontext().prec = 120
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, '..', '..', 'src', 'Ordo.Integration', 'RungeKutta', 'Tableaus.cs')


def frac(s):
    s = s.strip()
    if '/' in s:
        p, q = s.split('/')
        return Fraction(int(p), int(q))
    return Fraction(Decimal(s))


def lit(s):
    """C# literal for one coefficient string."""
    s = s.strip()
    if '/' in s:
        p, q = s.split('/')
        p, q = int(p), int(q)
        if q == 1:
            return f'{p}'
        return f'{p}.0 / {q}'
    return dlit(frac(s))


def dlit(x):
    if x == 0:
        return '0'
    if x.denominator == 1 and abs(x.numerator) < 2**53:
        return f'{x.numerator}'
    return repr(float(x))


def vec(xs, indent):
    return '[' + ', '.join(xs) + ']'


def rows(rs, indent):
    pad = ' ' * indent
    return '[\n' + ',\n'.join(pad + '    ' + vec(r, indent) for r in rs) + ',\n' + pad + ']'


def strict_lower(A, s):
    return [[lit(A[i][j]) for j in range(i)] for i in range(s)]


def hermite_note():
    return None


def dop853_dense(m):
    d = m['dense_output']
    s = m['stages']                     # 13 (stage 12 is the FSAL stage f(t+h, y1))
    b = [frac(x) for x in m['b']]
    D = [[frac(x) for x in row] for row in d['D']]
    ntot = len(d['c_extended'])         # 16
    bb = b + [Fraction(0)] * (ntot - s)
    e = lambda i: [Fraction(1) if j == i else Fraction(0) for j in range(ntot)]
    F0 = bb
    F1 = [e(0)[j] - F0[j] for j in range(ntot)]
    F2 = [2 * F0[j] - e(12)[j] - e(0)[j] for j in range(ntot)]
    F = [F0, F1, F2] + D                # weights (per unit h) of F0..F6 over the 16 stages
    # basis polynomials multiplying F0..F6, as coefficient lists in powers th^0..th^7
    def pmul(p, q):
        r = [Fraction(0)] * (len(p) + len(q) - 1)
        for i, x in enumerate(p):
            for j, y in enumerate(q):
                r[i + j] += x * y
        return r
    th = [Fraction(0), Fraction(1)]
    om = [Fraction(1), Fraction(-1)]
    basis = []
    cur = th
    basis.append(cur)
    for k in range(1, 7):
        cur = pmul(cur, om if k % 2 == 1 else th)
        basis.append(cur)
    P = [[Fraction(0)] * 7 for _ in range(ntot)]
    for mi, poly in enumerate(basis):
        poly = poly + [Fraction(0)] * (8 - len(poly))
        assert poly[0] == 0
        for i in range(ntot):
            for k in range(1, 8):
                P[i][k - 1] += poly[k] * F[mi][i]
    # sanity: at th = 1 the weights reproduce b
    for i in range(ntot):
        assert sum(P[i]) == bb[i], (i, sum(P[i]), bb[i])
    extra_c = [frac(x) for x in d['c_extended'][s:]]
    extra_A = [[frac(x) for x in d['A_extended'][i][:i]] for i in range(s, ntot)]
    return extra_c, extra_A, P


META = {
    'Euler': ('Euler', 'Forward Euler',
              'Euler (1768); Hairer, Nørsett &amp; Wanner, <i>Solving ODEs I</i> (1993), §II.1.'),
    'Midpoint': ('Midpoint', 'Explicit midpoint 2(1)',
                 'Runge (1895), Math. Ann. 46:167–178; HNW I eq. (II.1.3). Euler embedded for error control, as diffrax.'),
    'Heun': ('Heun', 'Heun 2(1) (explicit trapezoid)',
             'Heun (1900), Z. Math. Phys. 45:23–38; HNW I Table II.1.1. Heun–Euler pair (SUNDIALS ARKODE_HEUN_EULER_2_1_2).'),
    'Ralston': ('Ralston', 'Ralston 2(1)',
                'Ralston (1962), Math. Comp. 16:431–437 (minimum error bound second-order method). Euler embedded.'),
    'RK4': ('RungeKutta4', 'Classical Runge–Kutta 4',
            'Kutta (1901), Z. Math. Phys. 46:435–453; HNW I Table II.1.2.'),
    'RK4_38': ('RungeKutta4ThreeEighths', 'Runge–Kutta 4, 3/8 rule',
               'Kutta (1901), Z. Math. Phys. 46:435–453; HNW I Table II.1.2.'),
    'BS3': ('BogackiShampine32', 'Bogacki–Shampine 3(2)',
            'Bogacki &amp; Shampine (1989), Appl. Math. Lett. 2(4):321–325, doi:10.1016/0893-9659(89)90079-7. Dense output: cubic Hermite through the FSAL stage (scipy RK23).'),
    'DP5': ('DormandPrince54', 'Dormand–Prince 5(4)',
            'Dormand &amp; Prince (1980), J. Comput. Appl. Math. 6:19–26, doi:10.1016/0771-050X(80)90013-3; HNW I Table II.5.2. Dense output: Shampine (1986), Math. Comp. 46:135–150 (4th order).'),
    'Tsit5': ('Tsitouras54', 'Tsitouras 5(4)',
              'Tsitouras (2011), Comput. Math. Appl. 62(2):770–775, doi:10.1016/j.camwa.2011.06.002; digits and 4th-order interpolant as in SciML OrdinaryDiffEq (Tsit5) and diffrax.'),
    'Vern6': ('Verner65', 'Verner 6(5) IIIXb (most efficient)',
              'Verner (2010), Numer. Algorithms 53:383–396, doi:10.1007/s11075-009-9290-3; coefficients of Verner\'s "Refuge for Runge–Kutta pairs" (rkv65e). Dense output: cubic Hermite (Verner\'s own interpolant not transcribed).'),
    'DOP853': ('DormandPrince853', 'Dormand–Prince 8(5,3) (DOP853)',
               'Prince &amp; Dormand (1981), J. Comput. Appl. Math. 7:67–75, doi:10.1016/0771-050X(81)90010-3; Hairer, Nørsett &amp; Wanner, <i>Solving ODEs I</i> (1993), §II.10 and the code dop853.f: error estimator from the 5th- and 3rd-order embedded solutions, 7th-order dense output with 3 extra stages.'),
}


# Verner's 'most efficient' 6(5) pair (IIIXb) is transcribed in tableaux.json but not shipped: its weights
# b6 = -176.5, b7 = 172.4 and entries of A up to 207 amplify the rounding of the stage arguments by ~1e4, which
# shows as an O(h) error floor near 1e-11 (measured with fixed steps on y' = cos(t) y^2 and a Kepler orbit) and
# hides its asymptotic order 6 behind it. A Verner method with a better-conditioned tableau can come later.
SKIP = {'Vern6'}


def main():
    data = json.load(open(os.path.join(HERE, 'tableaux.json')))
    out = []
    w = out.append
    w('// <auto-generated>')
    w('// Generated by tools/tableaux/generate.py from tools/tableaux/tableaux.json. Do not edit by hand:')
    w('// change the data or the generator and run `python3 tools/tableaux/generate.py`.')
    w('// </auto-generated>')
    w('namespace Ordo.Integration;')
    w('')
    w('/// <summary>')
    w('/// Butcher tableaux of the explicit Runge–Kutta methods, as data. Every tableau validates itself when it is built')
    w('/// (row sums, weight sums, interpolant end values); the tests check their order conditions over all rooted trees.')
    w('/// Adding a method means adding an entry here (via tools/tableaux) and a line in <see cref="OdeMethods"/>.')
    w('/// </summary>')
    w('public static partial class Tableaus')
    w('{')
    names = []
    for m in data['methods']:
        if m['name'] in SKIP:
            continue
        cs, title, cite = META[m['name']]
        names.append(cs)
        s = m['stages']
        A = m['A']
        w(f'    /// <summary>{title}: order {m["order"]}' + (f', embedded order {m["embedded_order"]}' if m['embedded_order'] else ', no error estimate (fixed steps only)') + (', FSAL' if m['fsal'] else '') + '.</summary>')
        w(f'    /// <remarks>Source: {cite}</remarks>')
        w(f'    public static ButcherTableau {cs} {{ get; }} = new(')
        w(f'        name: "{title}",')
        w(f'        order: {m["order"]},')
        w(f'        c: {vec([lit(x) for x in m["c"]], 8)},')
        w(f'        a: {rows(strict_lower(A, s), 8)},')
        w(f'        b: {vec([lit(x) for x in m["b"]], 8)},')
        if m['name'] == 'DOP853':
            ee = m['error_estimators']
            b = [frac(x) for x in m['b']]
            bhh = [frac(x) for x in ee['bhh_3rd_order']]
            bhh += [Fraction(0)] * (s - len(bhh))  # bhh weights stages 0..11 only (Hairer's k1, k9, k12)
            w('        errorEstimator: new Dop853ErrorEstimator(')
            w(f'            fifthOrderErrorWeights: {vec([lit(x) for x in ee["E5"]], 12)},')
            w(f'            thirdOrderErrorWeights: {vec([dlit(b[i] - bhh[i]) for i in range(s)], 12)}),')
        elif m['b_embedded']:
            w(f'        errorEstimator: new EmbeddedErrorEstimator(order: {m["embedded_order"]}, embeddedWeights: {vec([lit(x) for x in m["b_embedded"]], 8)}),')
        if m['name'] == 'DOP853':
            ec, eA, P = dop853_dense(m)
            w('        continuousExtension: new ContinuousExtension(')
            w('            order: 7,')
            w(f'            extraNodes: {vec([dlit(x) for x in ec], 12)},')
            w(f'            extraRows: {rows([[dlit(x) for x in r] for r in eA], 12)},')
            w(f'            weights: {rows([[dlit(x) for x in r] for r in P], 12)}),')
        elif 'dense_output' in m:
            d = m['dense_output']
            w('        continuousExtension: new ContinuousExtension(')
            w(f'            order: {d["order"]},')
            w('            extraNodes: [],')
            w('            extraRows: [],')
            w(f'            weights: {rows([[lit(x) for x in r] for r in d["P"]], 12)}),')
        w(f'        source: "{cite.replace(chr(34), chr(39)).replace("&amp;", "&").replace("<i>", "").replace("</i>", "")}");')
        w('')
    w('    /// <summary>Every tableau above, in order of increasing cost; the tests enumerate this list.</summary>')
    w('    public static IReadOnlyList<ButcherTableau> All { get; } =')
    w('    [')
    for n in names:
        w(f'        {n},')
    w('    ];')
    w('}')
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, 'w', encoding='utf-8') as f:
        f.write('\n'.join(out) + '\n')
    print('wrote', os.path.normpath(OUT))


if __name__ == '__main__':
    main()
