namespace Ordo.Integration.Tests.Support;

/// <summary>Empirical order of convergence: fixed steps h = (t1 − t0)/N for doubling N, global error at t1 (or of
/// the dense output), least-squares slope of log(error) against log(h) over the points in the asymptotic range
/// (error below <c>maxError</c>) and above the round-off floor (error above <c>minError</c>).</summary>
public static class ConvergenceOrder
{
    public readonly record struct Fit(double Slope, int Points, string Table);

    /// <summary>Doubles N until the error falls below <paramref name="minError"/> (round-off floor) or N exceeds
    /// <paramref name="maxSteps"/>, then fits the finest <paramref name="points"/> errors between the floor and
    /// <paramref name="maxError"/> (the asymptotic range is reached last).</summary>
    public static Fit Estimate(Func<int, double> errorForSteps, int firstSteps = 4, int maxSteps = 1 << 19,
        double minError = 2e-13, double maxError = 0.5, int points = 3)
    {
        var all = new List<(double LogH, double LogE)>();
        var table = new System.Text.StringBuilder();
        for (int n = firstSteps; n <= maxSteps; n *= 2)
        {
            double e = errorForSteps(n);
            table.Append(System.Globalization.CultureInfo.InvariantCulture, $"N={n}: {e:e3}; ");
            if (e < minError) break;
            if (e > maxError || !double.IsFinite(e)) continue;
            all.Add((-Math.Log(n), Math.Log(e)));
            if (e < 1e-11 && n >= 4096 && all.Count >= points) break;   // low-order methods: deep enough, save time
        }
        var finest = all.Skip(Math.Max(0, all.Count - points)).ToList();
        var logH = finest.Select(p => p.LogH).ToList();
        var logE = finest.Select(p => p.LogE).ToList();
        if (logH.Count < 3) return new Fit(double.NaN, logH.Count, table.ToString());
        double mx = logH.Average(), my = logE.Average();
        double sxy = 0, sxx = 0;
        for (int i = 0; i < logH.Count; i++)
        {
            sxy += (logH[i] - mx) * (logE[i] - my);
            sxx += (logH[i] - mx) * (logH[i] - mx);
        }
        return new Fit(sxy / sxx, logH.Count, table.ToString());
    }

    /// <summary>Global error of a fixed-step solve with N steps: the max-norm error over the step points (at most
    /// 256 of them, evenly spread, for speed; the maximum over the trajectory does not dip where the end-point error
    /// happens to change sign, as the end-point error alone does).</summary>
    public static double GlobalError(IOdeMethod method, ExactProblem p, int steps)
    {
        var options = new OdeOptions { FixedStep = (p.T1 - p.T0) / steps, Save = SaveAt.FinalOnly, MaxSteps = steps + 10 };
        var integrator = new OdeIntegrator<double>(p.ToProblem(), method, options);
        int every = Math.Max(1, steps / 256), k = 0;
        double worst = 0;
        while (integrator.Step())
        {
            if (++k % every == 0) worst = Math.Max(worst, MaxError(integrator.Y, p.Exact(integrator.Time)));
        }
        if (integrator.Status == OdeStatus.NonFiniteRhs) return double.PositiveInfinity;   // a coarse step blew up: outside the asymptotic range
        Assert.Equal(OdeStatus.Success, integrator.Status);
        Assert.Equal(steps, integrator.Stats.AcceptedSteps);
        Assert.Equal(p.T1, integrator.Time);
        return Math.Max(worst, MaxError(integrator.Y, p.Exact(p.T1)));
    }

    private static double MaxError(ReadOnlySpan<double> y, double[] exact)
    {
        double worst = 0;
        for (int i = 0; i < y.Length; i++) worst = Math.Max(worst, Math.Abs(y[i] - exact[i]));
        return worst;
    }

    /// <summary>Local error of the dense output: one step of size h from the exact y(ts), the interpolant at
    /// θ = 0.5 against the exact solution, maximised over four start points ts (a single start point can be special,
    /// e.g. f(t0) = 0, or sit where the error constant happens to vanish). For an interpolant of order q this is
    /// O(h^(q+1)).</summary>
    public static double LocalDenseError(IOdeMethod method, ExactProblem p, int steps)
    {
        double h = (p.T1 - p.T0) / steps, worst = 0;
        foreach (double fraction in (ReadOnlySpan<double>)[0.13, 0.37, 0.61, 0.89])
        {
            double ts = p.T0 + fraction * (p.T1 - p.T0);
            var problem = new OdeProblem<double>(p.Rhs, p.Exact(ts), ts, ts + h, p.Name);
            OdeSolution<double> s = Ode.Solve(problem, method, new OdeOptions { FixedStep = h, Save = SaveAt.DenseOutput });
            Assert.Equal(1, s.Stats.AcceptedSteps);
            double t = ts + 0.5 * h;
            double[] y = s.Dense!.Evaluate(t), exact = p.Exact(t);
            for (int i = 0; i < y.Length; i++) worst = Math.Max(worst, Math.Abs(y[i] - exact[i]));
        }
        return worst;
    }

    /// <summary>Max-norm error of the dense output at off-grid points (θ = 0.3 and 0.7 of at most 256 evenly spread steps).</summary>
    public static double DenseError(IOdeMethod method, ExactProblem p, int steps)
    {
        double h = (p.T1 - p.T0) / steps;
        var options = new OdeOptions { FixedStep = h, Save = SaveAt.DenseOutput, MaxSteps = steps + 10 };
        OdeSolution<double> s = Ode.Solve(p.ToProblem(), method, options);
        if (s.Status == OdeStatus.NonFiniteRhs) return double.PositiveInfinity;
        Assert.Equal(OdeStatus.Success, s.Status);
        var y = new double[p.Y0.Length];
        double worst = 0;
        int every = Math.Max(1, steps / 256);
        for (int k = 0; k < steps; k += every)
        {
            foreach (double theta in (ReadOnlySpan<double>)[0.3, 0.7])
            {
                double t = p.T0 + (k + theta) * h;
                s.Dense!.Evaluate(t, y);
                worst = Math.Max(worst, MaxError(y, p.Exact(t)));
            }
        }
        return worst;
    }
}
