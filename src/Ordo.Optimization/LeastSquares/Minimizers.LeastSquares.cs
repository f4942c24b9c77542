namespace Ordo.Optimization;

public static partial class Minimizers
{
    static partial void AddLeastSquaresMethods(List<MinimizerInfo> list)
    {
        list.Add(new("lm", "Levenberg–Marquardt (Moré's scaled trust-region form)", "least-squares",
            ObjectiveCapabilities.Value | ObjectiveCapabilities.Residuals, false,
            "J. J. Moré, \"The Levenberg–Marquardt algorithm: implementation and theory\", Numerical Analysis (Dundee 1977), LNM 630, 105–116",
            () => new LevenbergMarquardt()));
        list.Add(new("gauss-newton", "Gauss–Newton with backtracking and a minimum-norm QR step", "least-squares",
            ObjectiveCapabilities.Value | ObjectiveCapabilities.Residuals, false,
            "Nocedal & Wright, Numerical Optimization, 2nd ed., §10.3; Björck, Numerical Methods for Least Squares Problems (1996)",
            () => new GaussNewton()));
    }
}
