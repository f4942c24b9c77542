namespace Ordo.Benchmarking.Optimization;

/// <summary>
/// Dolan–Moré performance profiles and Moré–Wild data profiles (research/optimization.md §5).
/// t_{p,s} is the cost (nf + n·ng) at which solver s first passed the test on problem p, +∞ if never.
/// </summary>
/// <remarks>Sources: E. D. Dolan, J. J. Moré, "Benchmarking optimization software with performance profiles",
/// Math. Program. 91:201–213, 2002; J. J. Moré, S. M. Wild, "Benchmarking derivative-free optimization algorithms",
/// SIAM J. Optim. 20(1):172–191, 2009.</remarks>
public static class Profiles
{
    /// <summary>ρ_s(α) = |{p : t_{p,s} ≤ α·min_{s'} t_{p,s'}}| / |P| for each α.</summary>
    public static double[] Performance(IReadOnlyList<IReadOnlyDictionary<string, double>> costs, string solver, IReadOnlyList<double> alphas)
    {
        var rho = new double[alphas.Count];
        for (int a = 0; a < alphas.Count; a++)
        {
            int count = 0;
            foreach (var problem in costs)
            {
                double best = problem.Values.Min();
                if (double.IsFinite(best) && problem.TryGetValue(solver, out double t) && t <= alphas[a] * best) count++;
            }
            rho[a] = (double)count / costs.Count;
        }
        return rho;
    }

    /// <summary>d_s(κ) = |{p : t_{p,s}/(n_p + 1) ≤ κ}| / |P| for each κ (κ in simplex gradients).</summary>
    public static double[] Data(IReadOnlyList<IReadOnlyDictionary<string, double>> costs, IReadOnlyList<int> dimensions, string solver, IReadOnlyList<double> kappas)
    {
        var d = new double[kappas.Count];
        for (int k = 0; k < kappas.Count; k++)
        {
            int count = 0;
            for (int p = 0; p < costs.Count; p++)
                if (costs[p].TryGetValue(solver, out double t) && t / (dimensions[p] + 1) <= kappas[k]) count++;
            d[k] = (double)count / costs.Count;
        }
        return d;
    }
}
