using Ordo.Expressions;
using Ordo.Integration;

namespace Ordo.Problems.ProblemFiles;

/// <summary>
/// A problem file of kind <c>sde</c>: <c>dy = f(t, y) dt + G(t, y) dW</c>, <c>y(t0) = y0</c> on <c>[t0, t1]</c>, run
/// over <see cref="Paths"/> sample paths from the master seed <see cref="Seed"/>. The drift f and the diffusion G are
/// compiled from the <c>drift</c> and <c>diffusion</c> expressions; the state derivative of G that Milstein and the
/// Itô–Stratonovich conversion need is the exact one (reverse-mode differentiation of the compiled expressions, never
/// finite differences).
/// </summary>
public sealed class SdeProblemFile : ProblemFile
{
    private readonly double[] _y0;

    internal SdeProblemFile(string file, string? name, IReadOnlyDictionary<string, double> parameters,
        IReadOnlyDictionary<string, IReadOnlyList<double>> data, VariableLayout state, CompiledVectorFunction drift,
        CompiledVectorFunction diffusion, SdeNoise noise, int? noiseDimension, SdeCalculus calculus, double[] y0,
        double t0, double t1, int paths, ulong seed, SdeReference? reference, Lazy<CompiledScalarFunction>? diagonalSum)
        : base(file, name, parameters, data)
    {
        State = state;
        Drift = drift;
        Diffusion = diffusion;
        _y0 = y0;
        T0 = t0;
        T1 = t1;
        Paths = paths;
        Seed = seed;
        Reference = reference;
        var derivative = new ExactDiffusionDerivative(diffusion, diagonalSum);
        Problem = new SdeProblem(drift.Evaluate, diffusion.Evaluate, y0, t0, t1, noise, noiseDimension, calculus, DisplayName)
        {
            DiffusionDerivative = derivative.Evaluate,
            DriftJacobian = drift.Jacobian, // exact, for the drift-implicit methods
        };
    }

    /// <inheritdoc/>
    public override string Kind => ProblemKinds.Sde;

    /// <inheritdoc/>
    public override int Dimension => State.Dimension;

    /// <summary>Names of the state components (the <c>state</c> field).</summary>
    public VariableLayout State { get; }

    /// <summary>The compiled drift f(t, y) (d values) with its exact Jacobian.</summary>
    public CompiledVectorFunction Drift { get; }

    /// <summary>The compiled diffusion G(t, y): d values for the diagonal layout (<see cref="SdeProblem.DiagonalDiffusion"/>),
    /// otherwise the d × m matrix row-major; its exact Jacobian is the derivative of the diffusion.</summary>
    public CompiledVectorFunction Diffusion { get; }

    /// <summary>The noise structure (the <c>noise</c> field).</summary>
    public SdeNoise Noise => Problem.Noise;

    /// <summary>m, the number of Wiener processes.</summary>
    public int NoiseDimension => Problem.NoiseDimension;

    /// <summary>Itô or Stratonovich (the <c>calculus</c> field).</summary>
    public SdeCalculus Calculus => Problem.Calculus;

    /// <summary>y0.</summary>
    public IReadOnlyList<double> InitialState => _y0;

    /// <summary>Initial time.</summary>
    public double T0 { get; }

    /// <summary>Final time (greater than <see cref="T0"/>).</summary>
    public double T1 { get; }

    /// <summary>The number of sample paths (the <c>paths</c> field, default 1000).</summary>
    public int Paths { get; }

    /// <summary>The master seed (the <c>seed</c> field, default 0); path k's noise depends only on (seed, k).</summary>
    public ulong Seed { get; }

    /// <summary>The known mean (and variance) at t1, or null.</summary>
    public SdeReference? Reference { get; }

    /// <summary>The problem, ready for <see cref="SdeEnsemble.Solve(SdeProblem, SdeMethod, SdeOptions?, SdeEnsembleOptions?)"/>;
    /// its <see cref="SdeProblem.DiffusionDerivative"/> is the exact derivative.</summary>
    public SdeProblem Problem { get; }

    /// <summary>The name of a noise structure in a problem file: <c>diagonal</c>, <c>additive</c>, <c>commutative</c>, <c>general</c>.</summary>
    public static string NoiseName(SdeNoise noise) => noise switch
    {
        SdeNoise.Diagonal => "diagonal",
        SdeNoise.Additive => "additive",
        SdeNoise.Commutative => "commutative",
        SdeNoise.General => "general",
        _ => throw new ArgumentOutOfRangeException(nameof(noise), noise, null),
    };

    /// <summary>The name of a calculus in a problem file: <c>ito</c> or <c>stratonovich</c>.</summary>
    public static string CalculusName(SdeCalculus calculus) => calculus switch
    {
        SdeCalculus.Ito => "ito",
        SdeCalculus.Stratonovich => "stratonovich",
        _ => throw new ArgumentOutOfRangeException(nameof(calculus), calculus, null),
    };

    /// <summary>
    /// The exact state derivative of the compiled diffusion in the layout of <see cref="SdeDiffusionDerivative"/>. For a
    /// matrix layout that is the compiled Jacobian itself (row <c>k·m + j</c> of the (d·m) × d Jacobian is ∂G_kj/∂y).
    /// For the diagonal layout each gᵢ depends on yᵢ only (the reader checks it from the expressions' structure), so
    /// the gradient of the scalar <c>Σᵢ gᵢ(t, y)</c> is exactly <c>(∂g₁/∂y₁, …, ∂g_d/∂y_d)</c>: one reverse-mode pass,
    /// O(d) time and no d × d buffer. That sum is compiled on first use.
    /// </summary>
    private sealed class ExactDiffusionDerivative(CompiledVectorFunction diffusion, Lazy<CompiledScalarFunction>? diagonalSum)
    {
        public void Evaluate(double t, ReadOnlySpan<double> y, Span<double> dg)
        {
            if (diagonalSum is null) diffusion.Jacobian(t, y, dg);
            else diagonalSum.Value.ValueAndGradient(y, dg, t);
        }
    }
}

/// <summary>The <c>reference</c> of an SDE problem file: the exact mean and (optionally) variance of the state at
/// <see cref="T"/> (= t1).</summary>
/// <param name="T">Time of the reference (the final time t1).</param>
/// <param name="Mean">The exact mean E y(t1), d values.</param>
/// <param name="Variance">The exact variance Var y(t1) per component, d values, or null.</param>
public sealed record SdeReference(double T, IReadOnlyList<double> Mean, IReadOnlyList<double>? Variance);
