namespace Ordo.Integration;

/// <summary>
/// A stochastic Runge–Kutta tableau in diffrax's (W, H) layout for any noise (sde.md §3.5), Stratonovich:
/// <code>
/// z_j     = y + h Σ_{i&lt;j} a_ji f_i + Σ_{i&lt;j} G_i (aW_ji W + aH_ji H)
/// y_{n+1} = y + h Σ_j b_j f_j + Σ_j G_j (bW_j W + bH_j H)
/// error   = h Σ_j e_j f_j + Σ_j G_j (eW_j W + eH_j H)          (when the method has an embedded pair)
/// </code>
/// with <c>f_j = f(t + c_j h, z_j)</c>, <c>G_j = G(t + c_j h, z_j)</c> and <c>G_i v</c> the diffusion–vector product
/// (matrix–vector, or elementwise for the diagonal layout). A stage whose f (or G) no coefficient uses is not evaluated
/// (diffrax's <c>ignore_stage_f</c>/<c>ignore_stage_g</c>, derived here from the zeros). Rows are lower triangular:
/// row j lists the coefficients of stages 0…j−1.
/// </summary>
/// <param name="C">Stage times c_j.</param>
/// <param name="A">Drift coefficients a_ji.</param>
/// <param name="AW">Coefficients of W in the stages.</param>
/// <param name="AH">Coefficients of H in the stages.</param>
/// <param name="B">Drift weights b_j.</param>
/// <param name="BW">Weights of W.</param>
/// <param name="BH">Weights of H.</param>
/// <param name="E">Drift weights of the error estimate, or null when there is no embedded pair.</param>
/// <param name="EW">Weights of W in the error estimate.</param>
/// <param name="EH">Weights of H in the error estimate.</param>
public sealed record StratonovichSrkTableau(double[] C, double[][] A, double[][] AW, double[][] AH, double[] B, double[] BW, double[] BH,
    double[]? E = null, double[]? EW = null, double[]? EH = null)
{
    /// <summary>The number of stages.</summary>
    public int Stages => B.Length;

    /// <summary>Whether stage j's drift is used by a later stage, the update or the error estimate.</summary>
    public bool UsesDrift(int j)
    {
        bool used = B[j] != 0 || (E is not null && E[j] != 0);
        for (int r = j + 1; r < Stages; r++) used |= A[r][j] != 0;
        return used;
    }

    /// <summary>Whether stage j's diffusion is used by a later stage, the update or the error estimate.</summary>
    public bool UsesDiffusion(int j)
    {
        bool used = BW[j] != 0 || BH[j] != 0 || (EW is not null && EW[j] != 0) || (EH is not null && EH[j] != 0);
        for (int r = j + 1; r < Stages; r++) used |= AW[r][j] != 0 || AH[r][j] != 0;
        return used;
    }

    /// <summary>GeneralShARK (Foster, dos Reis &amp; Strange 2023, arXiv 2210.17543, eq. 6.1; diffrax <c>GeneralShARK</c>):
    /// ShARK for any noise, two drift and three diffusion evaluations.</summary>
    public static StratonovichSrkTableau GeneralShArk { get; } = new(
        C: [0, 0, 5.0 / 6],
        A: [[], [0], [0, 5.0 / 6]],
        AW: [[], [0], [0, 5.0 / 6]],
        AH: [[], [1], [1, 0]],
        B: [0, 2.0 / 5, 3.0 / 5],
        BW: [0, 2.0 / 5, 3.0 / 5],
        BH: [0, 6.0 / 5, -6.0 / 5]);

    private static readonly double SparkX1 = (3 - Math.Sqrt(3)) / 6, SparkX2 = Math.Sqrt(3) / 3;

    /// <summary>SPaRK (Foster &amp; Jelinčič 2023, arXiv 2311.14201, Def. 1.6; diffrax <c>SPaRK</c>): three stages with an
    /// embedded Heun-type pair, so it steps adaptively for any noise; with a Brownian tree it converges for
    /// non-commutative noise as well.</summary>
    public static StratonovichSrkTableau Spark { get; } = new(
        C: [0, 0.5, 1],
        A: [[], [0.5], [0, 1]],
        AW: [[], [0.5], [0, 1]],
        AH: [[], [Math.Sqrt(3)], [0, 0]],
        B: [SparkX1, SparkX2, SparkX1],
        BW: [SparkX1, SparkX2, SparkX1],
        BH: [1, 0, -1],
        E: [SparkX1 - 0.5, SparkX2, SparkX1 - 0.5],
        EW: [SparkX1 - 0.5, SparkX2, SparkX1 - 0.5],
        EH: [1, 0, -1]);

    /// <summary>SlowRK (Foster, dos Reis &amp; Strange 2023, arXiv 2210.17543, eq. 6.2; diffrax <c>SlowRK</c>): strong
    /// order 1.5 for commutative noise at the price of five diffusion evaluations (and two drift evaluations) per step.</summary>
    public static StratonovichSrkTableau SlowRk { get; } = new(
        C: [0, 0.5, 0.5, 0.5, 0.5, 0.75, 1],
        A: [[], [0.5], [0.5, 0], [0.5, 0, 0], [0.5, 0, 0, 0], [0.75, 0, 0, 0, 0], [1, 0, 0, 0, 0, 0]],
        AW: [[], [0], [0, 0.5], [0, 0, 0.5], [0, 0, 0, 1], [0, 0, 0, 0.75, 0], [0, 0, 0.5, 0, 0, 0]],
        AH: [[], [0], [0, 0], [0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 1.5, 0], [0, 0, 0, 0, 0, 0]],
        B: [1.0 / 3, 0, 0, 0, 0, 2.0 / 3, 0],
        BW: [0, 1.0 / 6, 1.0 / 3, 1.0 / 3, 1.0 / 6, 0, 0],
        BH: [0, 0, 0, 2, 0, 0, -2]);
}

/// <summary>
/// A Stratonovich stochastic Runge–Kutta method for any noise, run from a <see cref="StratonovichSrkTableau"/> by one
/// stepper (diffrax's SRK layout, sde.md §3.5): GeneralShARK, SPaRK and SlowRK. Strong orders depend on the noise
/// (sde.md §3.7): ½ for general noise, 1 (SlowRK 1.5) for commutative noise, 1.5 for additive noise. An Itô problem is
/// converted by the drift correction of <see cref="SdeStepper"/>.
/// </summary>
public sealed class StratonovichSrkMethod : SdeMethod
{
    /// <summary>GeneralShARK: strong ½ / 1 / 1.5 (general / commutative / additive); fixed steps.</summary>
    public static StratonovichSrkMethod GeneralShArk { get; } = new("general-shark", StratonovichSrkTableau.GeneralShArk, 0.5, 1.0, 1.5, 1,
        "GeneralShARK (Stratonovich, any noise, uses W and H): strong 0.5 general, 1.0 commutative, 1.5 additive; fixed steps (Foster, dos Reis & Strange 2023)");

    /// <summary>SPaRK: strong ½ / 1 / 1.5; adaptive for any noise.</summary>
    public static StratonovichSrkMethod Spark { get; } = new("spark", StratonovichSrkTableau.Spark, 0.5, 1.0, 1.5, 1,
        "SPaRK (Stratonovich, any noise, uses W and H): strong 0.5 general, 1.0 commutative, 1.5 additive; adaptive (Foster & Jelinčič 2023)");

    /// <summary>SlowRK: strong ½ / 1.5 / 1.5; fixed steps.</summary>
    public static StratonovichSrkMethod SlowRk { get; } = new("slowrk", StratonovichSrkTableau.SlowRk, 0.5, 1.5, 1.5, 1,
        "SlowRK (Stratonovich, any noise, uses W and H): strong 0.5 general, 1.5 commutative and additive; fixed steps (Foster, dos Reis & Strange 2023)");

    private readonly double _general, _commutative, _additive;

    /// <summary>Creates a method from a tableau and its strong orders by noise structure.</summary>
    public StratonovichSrkMethod(string name, StratonovichSrkTableau tableau, double generalOrder, double commutativeOrder, double additiveOrder,
        double weakOrder, string description)
        : base(name, description, SdeCalculus.Stratonovich, hasErrorEstimate: tableau?.E is not null, usesLevyArea: true, weakOrder)
    {
        Tableau = tableau ?? throw new ArgumentNullException(nameof(tableau));
        _general = generalOrder;
        _commutative = commutativeOrder;
        _additive = additiveOrder;
    }

    /// <summary>The coefficients.</summary>
    public StratonovichSrkTableau Tableau { get; }

    /// <inheritdoc/>
    public override double StrongOrder(SdeProblem problem) =>
        problem.Noise == SdeNoise.Additive ? _additive : problem.IsCommutative ? _commutative : _general;

    /// <inheritdoc/>
    protected override SdeStepper CreateStepperCore(SdeProblem problem) => new Stepper(problem, this);

    private sealed class Stepper : SdeStepper
    {
        private readonly StratonovichSrkTableau _tab;
        private readonly double[][] _f, _g;
        private readonly bool[] _useF, _useG;
        private readonly double[] _z, _v;

        public Stepper(SdeProblem problem, StratonovichSrkMethod method) : base(problem, method)
        {
            _tab = method.Tableau;
            int s = _tab.Stages;
            _f = new double[s][];
            _g = new double[s][];
            _useF = new bool[s];
            _useG = new bool[s];
            for (int j = 0; j < s; j++)
            {
                _useF[j] = _tab.UsesDrift(j);
                _useG[j] = _tab.UsesDiffusion(j);
                _f[j] = _useF[j] ? new double[D] : [];
                _g[j] = _useG[j] ? new double[problem.DiffusionLength] : [];
            }
            _z = new double[D];
            _v = new double[M];
        }

        public override void Step(double t, double h, ReadOnlySpan<double> y, ReadOnlySpan<double> dW, ReadOnlySpan<double> dH,
            Span<double> yNew, Span<double> error)
        {
            int s = _tab.Stages;
            for (int j = 0; j < s; j++)
            {
                if (!_useF[j] && !_useG[j]) continue;
                double[] a = _tab.A[j], aw = _tab.AW[j], ah = _tab.AH[j];
                for (int k = 0; k < D; k++)
                {
                    double sa = 0;
                    for (int i = 0; i < j; i++)
                        if (a[i] != 0) sa += a[i] * _f[i][k];
                    _z[k] = y[k] + h * sa;
                }
                for (int i = 0; i < j; i++)
                    if (aw[i] != 0 || ah[i] != 0) AddCombination(_g[i], aw[i], ah[i], dW, dH, _z);
                double tj = t + _tab.C[j] * h;
                if (_useF[j]) Drift(tj, _z, _f[j]);
                if (_useG[j]) Diffusion(tj, _z, _g[j]);
            }
            double[]? e = _tab.E;
            for (int k = 0; k < D; k++)
            {
                double sb = 0, se = 0;
                for (int j = 0; j < s; j++)
                {
                    if (!_useF[j]) continue;
                    sb += _tab.B[j] * _f[j][k];
                    if (e is not null) se += e[j] * _f[j][k];
                }
                yNew[k] = y[k] + h * sb;
                if (e is not null) error[k] = h * se;
            }
            for (int j = 0; j < s; j++)
            {
                if (!_useG[j]) continue;
                if (_tab.BW[j] != 0 || _tab.BH[j] != 0) AddCombination(_g[j], _tab.BW[j], _tab.BH[j], dW, dH, yNew);
                if (e is not null && (_tab.EW![j] != 0 || _tab.EH![j] != 0)) AddCombination(_g[j], _tab.EW[j], _tab.EH![j], dW, dH, error);
            }
        }

        /// <summary><c>target += G (cw W + ch H)</c>.</summary>
        private void AddCombination(ReadOnlySpan<double> g, double cw, double ch, ReadOnlySpan<double> dW, ReadOnlySpan<double> dH, Span<double> target)
        {
            for (int l = 0; l < M; l++) _v[l] = cw * dW[l] + ch * dH[l];
            AddNoise(g, _v, 1.0, target);
        }
    }
}
