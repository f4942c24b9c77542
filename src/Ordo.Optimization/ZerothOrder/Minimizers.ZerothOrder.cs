namespace Ordo.Optimization;

public static partial class Minimizers
{
    static partial void AddZerothOrderMethods(List<MinimizerInfo> list)
    {
        list.Add(new("nelder-mead", "Nelder–Mead simplex with Gao–Han adaptive parameters", "zeroth-order",
            ObjectiveCapabilities.Value, true,
            "Nelder & Mead, Comput. J. 7 (1965) 308–313; Gao & Han, Comput. Optim. Appl. 51 (2012) 259–277",
            () => new NelderMead()));
        list.Add(new("brent", "Brent's method (golden section with parabolic interpolation), n = 1", "zeroth-order",
            ObjectiveCapabilities.Value, true,
            "R. P. Brent, Algorithms for Minimization without Derivatives (1973), ch. 5",
            () => new BrentMinimizer()));
        list.Add(new("golden", "Golden-section search, n = 1", "zeroth-order",
            ObjectiveCapabilities.Value, true,
            "J. Kiefer, Proc. AMS 4 (1953) 502–506",
            () => new GoldenSectionMinimizer()));
        list.Add(new("zo-two-point", "Perturbed two-point zeroth-order gradient descent", "zeroth-order",
            ObjectiveCapabilities.Value, false,
            "Ren, Tang & Li, \"Escaping saddle points in zeroth-order optimization: the power of two-point estimators\", ICML 2023 (seed #6)",
            () => new TwoPointZerothOrder()));
    }
}
