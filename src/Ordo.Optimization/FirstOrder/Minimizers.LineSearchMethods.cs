namespace Ordo.Optimization;

public static partial class Minimizers
{
    static partial void AddLineSearchMethods(List<MinimizerInfo> list)
    {
        const ObjectiveCapabilities gradient = ObjectiveCapabilities.Value | ObjectiveCapabilities.Gradient;
        list.Add(new("cg", "Nonlinear conjugate gradients (Hager–Zhang CG_DESCENT β and line search)", "first-order", gradient, false,
            "Hager & Zhang, SIAM J. Optim. 16(1):170–192, 2005; ACM TOMS 32(1):113–137, 2006", () => new ConjugateGradient()));
        list.Add(new("bfgs", "BFGS (dense inverse Hessian, Moré–Thuente line search)", "first-order", gradient, false,
            "Nocedal & Wright, Numerical Optimization, 2nd ed., Algorithm 6.1; Moré & Thuente, ACM TOMS 20(3), 1994", () => new Bfgs()));
        list.Add(new("lbfgs", "Limited-memory BFGS (two-loop recursion, m = 10, Moré–Thuente line search)", "first-order", gradient, false,
            "Nocedal, Math. Comp. 35:773–782, 1980; Liu & Nocedal, Math. Prog. 45:503–528, 1989", () => new Lbfgs()));
    }
}
