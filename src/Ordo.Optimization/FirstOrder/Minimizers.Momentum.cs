namespace Ordo.Optimization;

public static partial class Minimizers
{
    static partial void AddMomentumMethods(List<MinimizerInfo> list)
    {
        const ObjectiveCapabilities gradient = ObjectiveCapabilities.Value | ObjectiveCapabilities.Gradient;
        list.Add(new("nesterov", "Nesterov's accelerated gradient with backtracking and adaptive restart", "first-order",
            gradient, false,
            "Nesterov (1983); Beck & Teboulle, SIAM J. Imaging Sci. 2 (2009); O'Donoghue & Candès, Found. Comput. Math. 15 (2015)",
            () => new Nesterov()));
        list.Add(new("polyak-momentum", "Heavy ball with the generalized Polyak step size", "first-order",
            gradient, false,
            "Wang, Johansson & Zhang, Generalized Polyak step size for first order optimization with momentum, ICML 2023",
            () => new PolyakMomentum()));
        list.Add(new("adagrad-norm", "Gradient descent with AdaGrad-Norm step sizes", "first-order",
            gradient, false,
            "Ward, Wu & Bottou, JMLR 21 (2020); Attia & Koren, ICML 2023",
            () => new AdaGradNorm()));
    }
}
