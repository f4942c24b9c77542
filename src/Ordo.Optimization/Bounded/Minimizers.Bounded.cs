namespace Ordo.Optimization;

public static partial class Minimizers
{
    static partial void AddBoundConstrainedMethods(List<MinimizerInfo> list)
    {
        list.Add(new MinimizerInfo("lbfgsb", "L-BFGS-B (limited-memory BFGS with bounds)", "first-order",
            ObjectiveCapabilities.Value | ObjectiveCapabilities.Gradient, true,
            "Byrd, Lu, Nocedal & Zhu, SIAM J. Sci. Comput. 16(5) (1995) 1190–1208; Zhu, Byrd, Lu & Nocedal, ACM TOMS 23(4) " +
            "(1997) 550–560; Morales & Nocedal, ACM TOMS 38(1) (2011) 7",
            () => new Lbfgsb()));
    }
}
