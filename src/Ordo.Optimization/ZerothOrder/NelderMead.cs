using System.Globalization;

namespace Ordo.Optimization;

/// <summary>
/// The Nelder–Mead simplex method with the dimension-adaptive parameters of Gao and Han: reflection α = 1, expansion
/// β = 1 + 2/n, contraction γ = 0.75 − 1/(2n), shrink δ = 1 − 1/n (for n = 1, where these degenerate to δ = 0,
/// the standard 1, 2, ½, ½ are used). Values only; NaN and ±∞ count as +∞.
/// </summary>
/// <remarks>
/// <para>Sources: J. A. Nelder and R. Mead, "A simplex method for function minimization", Comput. J. 7 (1965) 308–313;
/// F. Gao and L. Han, "Implementing the Nelder–Mead simplex algorithm with adaptive parameters", Comput. Optim. Appl.
/// 51 (2012) 259–277; the order of the tests in one iteration follows J. C. Lagarias, J. A. Reeds, M. H. Wright and
/// P. E. Wright, SIAM J. Optim. 9 (1998) 112–147.</para>
/// <para>Initial simplex: x₀ and x₀ + hᵢeᵢ with hᵢ = 0.05·x₀ᵢ, or 0.00025 where x₀ᵢ = 0 (as in scipy and Gao–Han).</para>
/// <para>Convergence (<see cref="ConvergenceTest.MethodSpecific"/>) needs both: the simplex diameter
/// maxᵢ ‖xᵢ − x_best‖∞ ≤ <see cref="SimplexTolerance"/>·max(1, ‖x_best‖∞), and the value spread
/// maxᵢ fᵢ − f_best ≤ <see cref="ValueTolerance"/>·max(1, |f_best|). When the simplex collapses (diameter test holds)
/// without the spread test, or the best value has not decreased in 10·(n+1) iterations, the method restarts with a
/// fresh simplex around the best point (at most <see cref="MaxRestarts"/> times; then the run is
/// <see cref="OptimizationStatus.Stalled"/>).</para>
/// <para>Bounds are handled by projecting every trial point onto the box: a heuristic with no convergence theory
/// (the simplex can flatten against a bound); prefer <c>lbfgsb</c> when a gradient exists.</para>
/// </remarks>
public sealed class NelderMead : Minimizer<IObjective>
{
    /// <summary>Relative simplex-diameter tolerance. Default 1e-8.</summary>
    public double SimplexTolerance { get; init; } = 1e-8;

    /// <summary>Relative value-spread tolerance. Default 1e-12.</summary>
    public double ValueTolerance { get; init; } = 1e-12;

    /// <summary>Restarts allowed when the simplex collapses without converging. Default 5.</summary>
    public int MaxRestarts { get; init; } = 5;

    /// <summary>Use the Gao–Han parameters (default true); false gives the standard 1, 2, ½, ½.</summary>
    public bool Adaptive { get; init; } = true;

    /// <inheritdoc/>
    public override string Name => "nelder-mead";

    /// <inheritdoc/>
    public override bool SupportsBounds => true;

    /// <summary>20000 iterations (about 1000·n for n up to 20; each iteration costs 1–2 evaluations, n + 2 on a
    /// shrink). Set <see cref="MinimizeOptions.MaxIterations"/> or <see cref="MinimizeOptions.MaxFunctionEvaluations"/>
    /// for a budget.</summary>
    public override int DefaultMaxIterations => 20000;

    /// <inheritdoc/>
    protected override void Validate(IObjective objective, Bounds? bounds)
    {
        Guard.NonNegative(SimplexTolerance, nameof(SimplexTolerance));
        Guard.NonNegative(ValueTolerance, nameof(ValueTolerance));
        if (MaxRestarts < 0) throw new ArgumentOutOfRangeException(nameof(MaxRestarts), MaxRestarts, "MaxRestarts must be ≥ 0.");
    }

    /// <inheritdoc/>
    protected override MinimizerRun CreateRun(ObjectiveEvaluator evaluator, Bounds? bounds, MinimizeOptions options)
        => new Run(evaluator, bounds, this);

    private sealed class Run : MinimizerRun
    {
        private readonly NelderMead _method;
        private readonly int _n;
        private readonly double[] _simplex;   // (n+1)×n, vertex i at [i·n, (i+1)·n)
        private readonly double[] _f;         // values
        private readonly int[] _order;        // vertex indices sorted by value
        private readonly double[] _centroid, _xr, _xe, _xc;
        private readonly double _alpha, _beta, _gamma, _delta;
        private int _restarts;
        private double _verifiedF = double.PositiveInfinity;
        private int _sinceBest;
        private double _bestSeen;

        public Run(ObjectiveEvaluator evaluator, Bounds? bounds, NelderMead method) : base(evaluator, bounds)
        {
            _method = method;
            _n = evaluator.Dimension;
            int n = _n;
            _simplex = new double[(n + 1) * n];
            _f = new double[n + 1];
            _order = new int[n + 1];
            _centroid = new double[n];
            _xr = new double[n];
            _xe = new double[n];
            _xc = new double[n];
            if (method.Adaptive && n >= 2)
            {
                _alpha = 1;
                _beta = 1 + 2.0 / n;
                _gamma = 0.75 - 1 / (2.0 * n);
                _delta = 1 - 1.0 / n;
            }
            else
            {
                (_alpha, _beta, _gamma, _delta) = (1, 2, 0.5, 0.5);
            }
        }

        /// <summary>Restarts done so far.</summary>
        public int Restarts => _restarts;

        private Span<double> Vertex(int i) => _simplex.AsSpan(i * _n, _n);

        private double Evaluate(Span<double> x)
        {
            Bounds?.Project(x);
            double f = Evaluator.Value(x);
            return double.IsNaN(f) || double.IsPositiveInfinity(f) ? double.PositiveInfinity : f;
        }

        public override StepOutcome Start()
        {
            X.CopyTo(Vertex(0));
            _f[0] = Evaluate(Vertex(0));
            F = _f[0];
            if (!double.IsFinite(F)) return StepOutcome.NonFinite;
            BuildSimplexAround(0, 1.0);
            _bestSeen = _f[_order[0]];
            return StepOutcome.Continue;
        }

        /// <summary>Vertices 1..n around vertex <paramref name="center"/> (moved to slot 0), with the 5% / 0.00025 rule
        /// scaled by <paramref name="scale"/>.</summary>
        private void BuildSimplexAround(int center, double scale)
        {
            int n = _n;
            if (center != 0)
            {
                Vertex(center).CopyTo(Vertex(0));
                _f[0] = _f[center];
            }
            var x0 = Vertex(0);
            for (int i = 1; i <= n; i++)
            {
                var v = Vertex(i);
                x0.CopyTo(v);
                int k = i - 1;
                double h = v[k] != 0 ? 0.05 * v[k] : 0.00025;
                v[k] += scale * h;
                if (Bounds is not null && !Bounds.Contains(v)) v[k] = x0[k] - scale * h; // step the other way at a bound
                _f[i] = Evaluate(v);
            }
            Sort();
            UpdateCurrent();
        }

        private void Sort()
        {
            for (int i = 0; i <= _n; i++) _order[i] = i;
            // Insertion sort (n is small; stable, so ties keep the older vertex first as Lagarias et al. require).
            for (int i = 1; i <= _n; i++)
            {
                int v = _order[i];
                int j = i - 1;
                while (j >= 0 && _f[_order[j]] > _f[v]) { _order[j + 1] = _order[j]; j--; }
                _order[j + 1] = v;
            }
        }

        private void UpdateCurrent()
        {
            var best = Vertex(_order[0]);
            StepNorm = 0;
            for (int k = 0; k < _n; k++) StepNorm = Math.Max(StepNorm, Math.Abs(best[k] - X[k]));
            best.CopyTo(X);
            F = _f[_order[0]];
        }

        private void Replace(int vertex, ReadOnlySpan<double> x, double f)
        {
            x.CopyTo(Vertex(vertex));
            _f[vertex] = f;
        }

        public override StepOutcome Step()
        {
            int n = _n;
            int best = _order[0], worst = _order[n], second = _order[n - 1];
            // Centroid of all vertices but the worst.
            _centroid.AsSpan().Clear();
            for (int i = 0; i < n; i++) Blas1.Axpy(1.0 / n, Vertex(_order[i]), _centroid);
            var xw = Vertex(worst);
            for (int k = 0; k < n; k++) _xr[k] = _centroid[k] + _alpha * (_centroid[k] - xw[k]);
            double fr = Evaluate(_xr);
            if (fr < _f[best])
            {
                for (int k = 0; k < n; k++) _xe[k] = _centroid[k] + _beta * (_xr[k] - _centroid[k]);
                double fe = Evaluate(_xe);
                if (fe < fr) Replace(worst, _xe, fe); else Replace(worst, _xr, fr);
            }
            else if (fr < _f[second])
            {
                Replace(worst, _xr, fr);
            }
            else
            {
                bool outside = fr < _f[worst];
                if (outside) for (int k = 0; k < n; k++) _xc[k] = _centroid[k] + _gamma * (_xr[k] - _centroid[k]);
                else for (int k = 0; k < n; k++) _xc[k] = _centroid[k] + _gamma * (xw[k] - _centroid[k]);
                double fc = Evaluate(_xc);
                if (outside ? fc <= fr : fc < _f[worst])
                {
                    Replace(worst, _xc, fc);
                }
                else
                {
                    var xb = Vertex(best);
                    for (int i = 0; i <= n; i++)
                    {
                        if (i == best) continue;
                        var v = Vertex(i);
                        for (int k = 0; k < n; k++) v[k] = xb[k] + _delta * (v[k] - xb[k]);
                        _f[i] = Evaluate(v);
                    }
                }
            }
            Sort();
            UpdateCurrent();
            return Test();
        }

        private StepOutcome Test()
        {
            int n = _n;
            var xb = Vertex(_order[0]);
            double fb = _f[_order[0]];
            double diameter = 0, spread = 0;
            for (int i = 1; i <= n; i++)
            {
                var v = Vertex(_order[i]);
                for (int k = 0; k < n; k++) diameter = Math.Max(diameter, Math.Abs(v[k] - xb[k]));
                spread = Math.Max(spread, _f[_order[i]] - fb);
            }
            double xScale = Math.Max(1, InfinityNorm(xb));
            double fScale = Math.Max(1, Math.Abs(fb));
            bool small = diameter <= _method.SimplexTolerance * xScale;
            bool flat = spread <= _method.ValueTolerance * fScale;
            if (small && flat)
            {
                // A collapsed simplex is not proof of a minimizer (it also collapses while creeping along a valley):
                // claim convergence only when a fresh simplex around the same point found nothing better (the restart
                // test of Kelley, "Detection and remediation of stagnation in the Nelder–Mead algorithm", SIAM J.
                // Optim. 10(1), 1999).
                bool confirmed = fb >= _verifiedF - _method.ValueTolerance * fScale;
                if (confirmed)
                {
                    Message = string.Create(CultureInfo.InvariantCulture,
                        $"Simplex diameter {diameter:G4} ≤ SimplexTolerance {_method.SimplexTolerance:G4} × max(1, ‖x‖∞) and value spread {spread:G4} ≤ ValueTolerance {_method.ValueTolerance:G4} × max(1, |f|), confirmed by a restart that found nothing better ({_restarts} restart(s)).");
                    return StepOutcome.Converged;
                }
                if (_restarts >= _method.MaxRestarts)
                {
                    Message = string.Create(CultureInfo.InvariantCulture,
                        $"The simplex collapsed (diameter {diameter:G4}, spread {spread:G4}) but every one of the {_restarts} restart(s) still found lower values: not a confirmed minimizer.");
                    return StepOutcome.Stalled;
                }
                _verifiedF = fb;
                _restarts++;
                _sinceBest = 0;
                BuildSimplexAround(_order[0], 1.0);
                return StepOutcome.Continue;
            }
            if (fb < _bestSeen) { _bestSeen = fb; _sinceBest = 0; }
            else _sinceBest++;
            bool stuck = _sinceBest >= 10 * (n + 1);
            if (stuck && double.IsFinite(_verifiedF) && fb >= _verifiedF - _method.ValueTolerance * fScale)
            {
                // The confirming restart around a collapsed simplex found nothing lower in 10·(n + 1) iterations.
                Message = string.Create(CultureInfo.InvariantCulture,
                    $"Simplex diameter ≤ SimplexTolerance × max(1, ‖x‖∞) and value spread ≤ ValueTolerance × max(1, |f|) held, and a restart around the point found nothing lower in {10 * (n + 1)} iterations ({_restarts} restart(s)).");
                return StepOutcome.Converged;
            }
            if (small || stuck)
            {
                if (_restarts >= _method.MaxRestarts)
                {
                    Message = string.Create(CultureInfo.InvariantCulture,
                        $"The simplex collapsed without convergence after {_restarts} restart(s): diameter {diameter:G4}, value spread {spread:G4} (tolerance {_method.ValueTolerance * fScale:G4}).");
                    return StepOutcome.Stalled;
                }
                _restarts++;
                _sinceBest = 0;
                BuildSimplexAround(_order[0], 1.0);
            }
            return StepOutcome.Continue;
        }
    }
}
