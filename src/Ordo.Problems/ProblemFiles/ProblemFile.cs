namespace Ordo.Problems.ProblemFiles;

/// <summary>
/// A loaded, validated and compiled problem file (format: docs/problem-files.md; contract:
/// ../shared/spec/problem-files-and-cli.md). <see cref="ProblemFileReader"/> makes one; the subclass says which kind.
/// </summary>
public abstract class ProblemFile
{
    private protected ProblemFile(string file, string? name, IReadOnlyDictionary<string, double> parameters,
        IReadOnlyDictionary<string, IReadOnlyList<double>> data)
    {
        File = file;
        Name = name;
        Parameters = parameters;
        Data = data;
    }

    /// <summary>The <c>kind</c> field: <c>ode</c>, <c>sde</c>, <c>minimize</c>, <c>least-squares</c> or <c>flow</c>.</summary>
    public abstract string Kind { get; }

    /// <summary>The file as the user named it.</summary>
    public string File { get; }

    /// <summary>The <c>name</c> field, or null.</summary>
    public string? Name { get; }

    /// <summary><see cref="Name"/>, or the file name without its extension.</summary>
    public string DisplayName => Name ?? Path.GetFileNameWithoutExtension(File);

    /// <summary>The <c>parameters</c> field (empty when absent).</summary>
    public IReadOnlyDictionary<string, double> Parameters { get; }

    /// <summary>The <c>data</c> field (empty when absent).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<double>> Data { get; }

    /// <summary>Number of unknowns: state components for an ODE or SDE, variables for an optimization problem, the dimension
    /// of a point for a flow.</summary>
    public abstract int Dimension { get; }
}

/// <summary>The values of the <c>kind</c> field (contract, version 1).</summary>
public static class ProblemKinds
{
    /// <summary>Initial value problem y' = f(t, y).</summary>
    public const string Ode = "ode";

    /// <summary>Stochastic differential equation dy = f(t, y) dt + G(t, y) dW, run over many sample paths.</summary>
    public const string Sde = "sde";

    /// <summary>Minimize f(x), optionally with bounds.</summary>
    public const string Minimize = "minimize";

    /// <summary>Minimize the plain sum of squares of residuals.</summary>
    public const string LeastSquares = "least-squares";

    /// <summary>A rectified-flow model (a Gaussian mixture) and data points to invert, reconstruct or edit.</summary>
    public const string Flow = "flow";

    /// <summary>Every kind of the contract.</summary>
    public static IReadOnlyList<string> All { get; } = [Ode, Sde, Minimize, LeastSquares, Flow];

    /// <summary>The kinds <see cref="ProblemFileReader"/> loads now.</summary>
    public static IReadOnlyList<string> Supported { get; } = [Ode, Sde, Minimize, LeastSquares, Flow];
}
