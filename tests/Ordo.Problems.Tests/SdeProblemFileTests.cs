using Ordo.Integration;
using Ordo.Problems.ProblemFiles;

namespace Ordo.Problems.Tests;

/// <summary>Problem files of kind <c>sde</c>: the fields, the noise layouts, the exact diffusion derivative, and the
/// errors for bad files.</summary>
public sealed class SdeProblemFileTests
{
    private static string Example(string name) => Path.Combine(AppContext.BaseDirectory, "examples", name);

    /// <summary>A 2-d SDE file with the given extra fields; single quotes stand for double quotes.</summary>
    private static string Json(string rest) =>
        ("{'kind': 'sde', 'state': ['x', 'y'], 'drift': ['-x', '-y'], 'y0': [1, 2], 't0': 0, 't1': 1, " + rest + "}").Replace('\'', '"');

    private static SdeProblemFile Parse(string rest) => Assert.IsType<SdeProblemFile>(ProblemFileReader.Parse(Json(rest), "test.json"));

    [Fact]
    public void Gbm_LoadsWithDefaultsAndReference()
    {
        var p = Assert.IsType<SdeProblemFile>(ProblemFileReader.Load(Example("gbm.json")));
        Assert.Equal("sde", p.Kind);
        Assert.Equal(SdeNoise.Diagonal, p.Noise);
        Assert.Equal(SdeCalculus.Ito, p.Calculus);
        Assert.True(p.Problem.DiagonalDiffusion);
        Assert.Equal(1, p.NoiseDimension);
        Assert.Equal(4000, p.Paths);
        Assert.Equal(0UL, p.Seed);
        Assert.Equal((0.0, 1.0), (p.T0, p.T1));
        // The reference is the closed form of the GBM of sde.md §5.1: X0 e^μ and X0² e^{2μ}(e^{σ²} − 1).
        double mu = 1.01, sigma = 0.87, x0 = 0.5;
        Assert.Equal(x0 * Math.Exp(mu), p.Reference!.Mean[0], 1e-14);
        Assert.Equal(x0 * x0 * Math.Exp(2 * mu) * (Math.Exp(sigma * sigma) - 1), p.Reference.Variance![0], 1e-13);
        double[] f = new double[1], g = new double[1], dg = new double[1];
        p.Problem.Drift(0.3, [2.0], f);
        p.Problem.Diffusion(0.3, [2.0], g);
        p.Problem.DiffusionDerivative!(0.3, [2.0], dg);
        Assert.Equal([mu * 2.0], f);
        Assert.Equal([sigma * 2.0], g);
        Assert.Equal([sigma], dg);
    }

    [Fact]
    public void DefaultsAreTheContracts_AndStratonovichIsRead()
    {
        SdeProblemFile p = Parse("'noise': 'diagonal', 'diffusion': ['x', 'y'], 'calculus': 'stratonovich'");
        Assert.Equal(1000, p.Paths);
        Assert.Equal(0UL, p.Seed);
        Assert.Equal(SdeCalculus.Stratonovich, p.Problem.Calculus);
        Assert.Null(p.Reference);
        Assert.Equal(SdeCalculus.Ito, Parse("'noise': 'diagonal', 'diffusion': ['x', 'y'], 'seed': 12, 'paths': 7").Calculus);
        Assert.Equal(12UL, Parse("'noise': 'diagonal', 'diffusion': ['x', 'y'], 'seed': 12").Seed);
    }

    [Fact]
    public void GeneralNoise_RowsAndFlatArrayGiveTheSameRowMajorMatrix()
    {
        SdeProblemFile rows = Parse("'noise': 'general', 'noise_dim': 3, 'diffusion': [['x', '2', 't'], ['y*x', '-1', 'sin(y)']]");
        SdeProblemFile flat = Parse("'noise': 'general', 'noise_dim': 3, 'diffusion': ['x', '2', 't', 'y*x', '-1', 'sin(y)']");
        Assert.False(rows.Problem.DiagonalDiffusion);
        Assert.Equal(3, rows.NoiseDimension);
        double[] a = new double[6], b = new double[6];
        rows.Problem.Diffusion(0.25, [1.5, 0.5], a);
        flat.Problem.Diffusion(0.25, [1.5, 0.5], b);
        Assert.Equal([1.5, 2, 0.25, 0.75, -1, Math.Sin(0.5)], a);
        Assert.Equal(a, b);
    }

    [Fact]
    public void AdditiveNoise_DiagonalOrMatrixLayout()
    {
        SdeProblemFile diagonal = Parse("'noise': 'additive', 'parameters': {'s': 0.5}, 'diffusion': ['s', 's*t']");
        Assert.True(diagonal.Problem.DiagonalDiffusion);
        Assert.Equal(2, diagonal.NoiseDimension);
        SdeProblemFile matrix = Parse("'noise': 'additive', 'noise_dim': 1, 'diffusion': [['1'], ['exp(-t)']]");
        Assert.False(matrix.Problem.DiagonalDiffusion);
        Assert.Equal(1, matrix.NoiseDimension);
        double[] dg = [7, 7, 7, 7];
        matrix.Problem.DiffusionDerivative!(0.3, [1, 2], dg);
        Assert.Equal([0, 0, 0, 0], dg);
    }

    /// <summary>The exact derivative (reverse-mode through the compiled expressions) against a central difference of
    /// the diffusion itself, entry by entry, for nonlinear diagonal and general diffusions.</summary>
    [Theory]
    [InlineData("'noise': 'diagonal', 'diffusion': ['sqrt(1 + x^2)*cos(t)', 'y^3 - exp(y/3)']")]
    [InlineData("'noise': 'general', 'noise_dim': 2, 'diffusion': [['sin(x*y)', 'x^2*exp(t*y)'], ['atan2(y, x)', 'if(x > 0, x*y, -y)']]")]
    [InlineData("'noise': 'general', 'noise_dim': 3, 'diffusion': [['log(1 + x^2 + y^2)', 'tanh(x - 2*y)', '1'], ['x/(1 + y^2)', 'y*t', 'max(x, y)^2']]")]
    public void ExactDiffusionDerivative_MatchesACentralDifference(string rest)
    {
        SdeProblemFile p = Parse(rest);
        SdeProblem problem = p.Problem;
        int d = problem.Dimension, m = problem.NoiseDimension;
        bool diagonal = problem.DiagonalDiffusion;
        double t = 0.7;
        double[] y = [0.8, -0.6];
        double[] exact = new double[diagonal ? d : d * m * d];
        problem.DiffusionDerivative!(t, y, exact);
        int len = problem.DiffusionLength;
        double[] plus = new double[len], minus = new double[len];
        const double h = 1e-5;
        for (int l = 0; l < d; l++)
        {
            double[] yp = [.. y], ym = [.. y];
            yp[l] += h;
            ym[l] -= h;
            problem.Diffusion(t, yp, plus);
            problem.Diffusion(t, ym, minus);
            for (int r = 0; r < len; r++)
            {
                double fd = (plus[r] - minus[r]) / (2 * h);
                if (diagonal)
                {
                    // Diagonal layout: only dg_r/dy_r is reported; the others are zero by the reader's check.
                    if (r == l) Assert.Equal(fd, exact[r], 1e-8);
                    else Assert.Equal(0, fd, 1e-8);
                }
                else Assert.Equal(fd, exact[r * d + l], 1e-8);
            }
        }
    }

    [Fact]
    public void CommutingExample_LoadsAndItsColumnsCommute()
    {
        var p = Assert.IsType<SdeProblemFile>(ProblemFileReader.Load(Example("commuting-linear.json")));
        Assert.Equal(SdeNoise.Commutative, p.Noise);
        Assert.Equal(2, p.NoiseDimension);
        Assert.True(p.Problem.IsCommutative);
        Assert.Equal(2, p.Reference!.Variance!.Count);
    }

    [Fact]
    public void OuExample_IsAdditiveWithTheClosedFormReference()
    {
        var p = Assert.IsType<SdeProblemFile>(ProblemFileReader.Load(Example("ou.json")));
        Assert.Equal(SdeNoise.Additive, p.Noise);
        double theta = 2, mu = 1, s = 0.8;
        Assert.Equal(mu * (1 - Math.Exp(-theta)), p.Reference!.Mean[0], 1e-15);
        Assert.Equal(s * s * (1 - Math.Exp(-2 * theta)) / (2 * theta), p.Reference.Variance![0], 1e-15);
    }

    [Theory]
    [InlineData("'noise': 'pink', 'diffusion': ['x', 'y']", "noise", "unknown noise 'pink'; known: diagonal, additive, commutative, general")]
    [InlineData("'diffusion': ['x', 'y']", "noise", "missing; an sde problem needs state, drift, noise, diffusion, y0, t0, t1")]
    [InlineData("'noise': 'general', 'diffusion': [['x'], ['y']]", "noise_dim", "missing; general noise needs \"noise_dim\"")]
    [InlineData("'noise': 'commutative', 'diffusion': [['x'], ['y']]", "noise_dim", "missing; commutative noise needs \"noise_dim\"")]
    [InlineData("'noise': 'general', 'noise_dim': 0, 'diffusion': [['x'], ['y']]", "noise_dim", "must be a positive integer")]
    [InlineData("'noise': 'diagonal', 'noise_dim': 3, 'diffusion': ['x', 'y']", "noise_dim", "is 3 but diagonal noise has one Wiener process per component, so it must be 2")]
    [InlineData("'noise': 'diagonal', 'diffusion': ['x']", "diffusion", "has 1 expression but the state has 2 components (x, y)")]
    [InlineData("'noise': 'diagonal', 'diffusion': [['x'], ['y']]", "diffusion", "is an array of rows (a matrix) but diagonal noise has one expression g_i per component")]
    [InlineData("'noise': 'additive', 'diffusion': [['1'], ['2']]", "diffusion", "additive noise with a matrix needs \"noise_dim\"")]
    [InlineData("'noise': 'general', 'noise_dim': 2, 'diffusion': [['x', '1'], ['y']]", "diffusion[1]", "has 1 expression but noise_dim is 2")]
    [InlineData("'noise': 'general', 'noise_dim': 2, 'diffusion': [['x', '1']]", "diffusion", "has 1 row but the state has 2 components")]
    [InlineData("'noise': 'general', 'noise_dim': 2, 'diffusion': ['x', '1', 'y']", "diffusion", "has 3 expressions but general noise with noise_dim 2 needs 2 rows of 2")]
    [InlineData("'noise': 'general', 'noise_dim': 2, 'diffusion': [['x', '1'], 'y']", "diffusion[1]", "must be a row (an array of 2 expressions), not a string")]
    [InlineData("'noise': 'general', 'noise_dim': 2, 'diffusion': [['x', '1'], ['q', 'y']]", "diffusion[1][0]", "unknown name 'q' at column 1")]
    [InlineData("'noise': 'diagonal', 'diffusion': ['x', 'y +']", "diffusion[1]", "at column")]
    [InlineData("'noise': 'additive', 'parameters': {'s': 2}, 'diffusion': ['s', 's*(1 + y)']", "diffusion[1]", "additive noise may depend on t, parameters and data only, but this expression uses the state ('y') at column 8")]
    [InlineData("'noise': 'diagonal', 'diffusion': ['x*y', 'y']", "diffusion[0]", "uses y, but with diagonal noise g_i may depend on t and its own component (x) only")]
    [InlineData("'noise': 'commutative', 'noise_dim': 2, 'diffusion': [['y', '0'], ['0', 'x']]", "noise", "is \"commutative\" but the columns of the diffusion do not commute at (t0, y0)")]
    [InlineData("'noise': 'diagonal', 'diffusion': ['x', 'y'], 'calculus': 'ito-ish'", "calculus", "unknown calculus 'ito-ish'; known: ito (the default), stratonovich")]
    [InlineData("'noise': 'diagonal', 'diffusion': ['x', 'y'], 'paths': 1", "paths", "must be an integer of at least 2")]
    [InlineData("'noise': 'diagonal', 'diffusion': ['x', 'y'], 'paths': 10.5", "paths", "must be an integer of at least 2")]
    [InlineData("'noise': 'diagonal', 'diffusion': ['x', 'y'], 'seed': -1", "seed", "must be a whole number from 0 to 2^53")]
    [InlineData("'noise': 'diagonal', 'diffusion': ['x', 'y'], 'rhs': ['x']", "rhs", "unknown field; an sde problem has kind, name,")]
    [InlineData("'noise': 'diagonal', 'diffusion': ['x', 'y'], 'reference': {'t': 2, 'mean': [1, 2]}", "reference.t", "is 2 but t1 is 1")]
    [InlineData("'noise': 'diagonal', 'diffusion': ['x', 'y'], 'reference': {'t': 1, 'mean': [1]}", "reference.mean", "has 1 number but the state has 2 components")]
    [InlineData("'noise': 'diagonal', 'diffusion': ['x', 'y'], 'reference': {'t': 1, 'mean': [1, 2], 'variance': [1, -1]}", "reference.variance[1]", "is -1; a variance is 0 or more")]
    [InlineData("'noise': 'diagonal', 'diffusion': ['x', 'y'], 'reference': {'t': 1, 'variance': [1, 1]}", "reference.mean", "missing")]
    public void BadSdeFile_NamesTheFieldInOneLine(string rest, string field, string expected)
    {
        ProblemFileException e = Assert.Throws<ProblemFileException>(() => ProblemFileReader.Parse(Json(rest), "test.json"));
        Assert.Equal(field, e.Field);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.StartsWith($"test.json: {field}: ", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void AdditiveNoiseUsingTheState_CarriesTheColumn()
    {
        ProblemFileException e = Assert.Throws<ProblemFileException>(() => ProblemFileReader.Parse(Json("'noise': 'additive', 'diffusion': ['1', '0.5 + x']"), "test.json"));
        Assert.Equal(7, e.Column);
    }

    [Theory]
    [InlineData("{'kind': 'sde', 'state': ['x'], 'drift': ['x'], 'noise': 'diagonal', 'diffusion': ['x'], 'y0': [1], 't0': 1, 't1': 1}", "t1", "must differ from t0")]
    [InlineData("{'kind': 'sde', 'state': ['x'], 'drift': ['x', '1'], 'noise': 'diagonal', 'diffusion': ['x'], 'y0': [1], 't0': 0, 't1': 1}", "drift", "has 2 expressions but the state has 1 component")]
    [InlineData("{'kind': 'sde', 'state': ['x'], 'drift': ['x'], 'noise': 'diagonal', 'diffusion': ['x'], 'y0': [1, 2], 't0': 0, 't1': 1}", "y0", "has 2 numbers but the state has 1 component")]
    [InlineData("{'kind': 'sde', 'state': ['t'], 'drift': ['1'], 'noise': 'diagonal', 'diffusion': ['1'], 'y0': [1], 't0': 0, 't1': 1}", "state[0]", "the name 't' is already the time variable of an SDE")]
    public void BadSdeFile_CommonFields(string json, string field, string expected)
    {
        ProblemFileException e = Assert.Throws<ProblemFileException>(() => ProblemFileReader.Parse(json.Replace('\'', '"'), "test.json"));
        Assert.Equal(field, e.Field);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void VectorState_DiagonalNoiseChecksOwnComponentByIndex()
    {
        string ok = "{'kind': 'sde', 'state': {'u': 3}, 'drift': ['-u[1]', '-u[2]', '-u[3]'], 'noise': 'diagonal', 'diffusion': ['u[1]^2', '2*u[2]', 'cos(u[3])'], 'y0': [1, 2, 3], 't0': 0, 't1': 1}";
        var p = Assert.IsType<SdeProblemFile>(ProblemFileReader.Parse(ok.Replace('\'', '"'), "test.json"));
        double[] dg = new double[3];
        p.Problem.DiffusionDerivative!(0, [1, 2, 3], dg);
        Assert.Equal([2, 2, -Math.Sin(3)], dg);
        string bad = ok.Replace("'cos(u[3])'", "'cos(u[1])'");
        ProblemFileException e = Assert.Throws<ProblemFileException>(() => ProblemFileReader.Parse(bad.Replace('\'', '"'), "test.json"));
        Assert.Equal("diffusion[2]", e.Field);
        Assert.Contains("uses u[1], but with diagonal noise g_i may depend on t and its own component (u[3]) only", e.Message, StringComparison.Ordinal);
    }
    /// <summary>The drift, diffusion and exact derivative are called per step by every path: after a warm-up call (JIT,
    /// the lazily compiled derivative) they allocate nothing.</summary>
    [Theory]
    [InlineData("gbm.json")]
    [InlineData("ou.json")]
    [InlineData("commuting-linear.json")]
    public void CompiledDelegates_AllocateNothingPerCall(string file)
    {
        SdeProblem p = Assert.IsType<SdeProblemFile>(ProblemFileReader.Load(Example(file))).Problem;
        int d = p.Dimension;
        double[] y = [.. p.InitialState], f = new double[d], g = new double[p.DiffusionLength];
        double[] dg = new double[p.DiagonalDiffusion ? d : p.DiffusionLength * d];
        void Call(double t)
        {
            p.Drift(t, y, f);
            p.Diffusion(t, y, g);
            p.DiffusionDerivative!(t, y, dg);
        }
        Call(0);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int k = 0; k < 1000; k++) Call(k * 1e-3);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
