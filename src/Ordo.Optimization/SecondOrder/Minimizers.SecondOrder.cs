namespace Ordo.Optimization;

public static partial class Minimizers
{
    static partial void AddSecondOrderMethods(List<MinimizerInfo> list)
    {
        const ObjectiveCapabilities Hvp = ObjectiveCapabilities.Value | ObjectiveCapabilities.Gradient | ObjectiveCapabilities.HessianVectorProduct;
        const ObjectiveCapabilities Dense = Hvp | ObjectiveCapabilities.Hessian;
        list.Add(new("newton", "Newton's method with modified Cholesky (Hessian + τI) and backtracking", "second-order", Dense, false,
            "Nocedal & Wright, Numerical Optimization, 2nd ed., §3.4, Algorithms 3.2 and 3.3", () => new Newton()));
        list.Add(new("damped-newton", "Affine-invariant cubic Newton (AICN) damped step with backtracking on L", "second-order", Dense, false,
            "Hanzely, Kamzolov, Pasechnyuk, Gasnikov, Richtárik, Takáč, NeurIPS 2022 (AICN); backtracking on L", () => new DampedNewton()));
        list.Add(new("lazy-newton", "Cubic Newton with lazy Hessians (refresh every n steps)", "second-order", Dense, false,
            "Doikov, Chayti, Jaggi, Second-order optimization with lazy Hessians, ICML 2023", () => new LazyNewton()));
        list.Add(new("trust-region", "Trust-region Newton with Steihaug–Toint truncated CG", "second-order", Hvp, false,
            "Nocedal & Wright, 2nd ed., Algorithms 4.1 and 7.2; Steihaug (1983); Toint (1981)", () => new TrustRegionNewtonCG()));
    }
}
