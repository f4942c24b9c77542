using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Ordo.Expressions.Tests;

/// <summary>
/// Random well-formed expressions (see <see cref="RandomExpression"/>) compile to code that computes what a direct C#
/// evaluation computes, bit for bit, with gradients that match finite differences wherever the function is smooth;
/// random garbage never escapes as anything but an <see cref="ExpressionException"/>. Seeds are fixed (Replay).
/// </summary>
public class PropertyTests(ITestOutputHelper output)
{
    private static readonly double[] s_parameters = [0.5, 1.5, -2, 3];

    private static Arbitrary<int> Seeds => Gen.Choose(0, int.MaxValue).ToArbitrary();

    private static ExpressionContext Context(double p) => new ExpressionContext().AddVariable("x").AddVariable("y").AddParameter("p", p);

    private static double[] Point(Random rng)
    {
        static double Coordinate(Random rng) => rng.Next(8) switch
        {
            0 => 0,
            1 => 1,
            2 => -0.5,
            _ => Math.Round(rng.NextDouble() * 6 - 3, 4),
        };
        return [Coordinate(rng), Coordinate(rng)];
    }

    private static bool SameValue(double a, double b) =>
        (double.IsNaN(a) && double.IsNaN(b)) || BitConverter.DoubleToInt64Bits(a) == BitConverter.DoubleToInt64Bits(b);

    // -------------------------------------------------------------------------------------------- values

    [Property(MaxTest = 300, Replay = "(20250611,1)")]
    public Property RandomExpression_CompiledValue_EqualsReferenceBitwise() =>
        Prop.ForAll(Seeds, seed =>
        {
            var rng = new Random(seed);
            RandomExpression e = RandomExpression.Generate(rng, rng.Next(1, 6));
            double p = s_parameters[rng.Next(s_parameters.Length)];
            string text = e.Print();
            CompiledScalarFunction f = ExpressionCompiler.CompileScalar(text, Context(p));
            var gradient = new double[2];
            for (int k = 0; k < 6; k++)
            {
                double[] x = Point(rng);
                double expected = RandomExpression.Evaluate(e, x[0], x[1], p, out _);
                double actual = f.Evaluate(x);
                if (!SameValue(expected, actual))
                {
                    output.WriteLine($"seed {seed}: {text} at x = {x[0]:R}, y = {x[1]:R}, p = {p}: expected {expected:R}, got {actual:R}");
                    return false;
                }
                // The gradient code computes the same value with the same operations.
                if (k < 2 && !SameValue(expected, f.ValueAndGradient(x, gradient)))
                {
                    output.WriteLine($"seed {seed}: {text}: ValueAndGradient's value differs from Evaluate at ({x[0]:R}, {x[1]:R})");
                    return false;
                }
            }
            return true;
        });

    // -------------------------------------------------------------------------------------------- derivatives

    /// <summary>What one random case checked: gradient components compared, and those skipped (non-finite, or a
    /// piecewise choice changes within the finite-difference stencil).</summary>
    private readonly record struct Coverage(int Checked, int Skipped, bool Passed);

    private Coverage CheckDerivatives(int seed)
    {
        var rng = new Random(seed);
        RandomExpression e = RandomExpression.Generate(rng, rng.Next(1, 5));
        double p = s_parameters[rng.Next(s_parameters.Length)];
        string text = e.Print();
        CompiledScalarFunction f = ExpressionCompiler.CompileScalar(text, Context(p));
        int done = 0, skipped = 0;
        for (int k = 0; k < 3; k++)
        {
            double[] x = Point(rng);
            double f0 = RandomExpression.Evaluate(e, x[0], x[1], p, out List<int> path0);
            var g = new double[2];
            f.ValueAndGradient(x, g);
            var hv = new double[2];
            double[] v = [rng.NextDouble() - 0.5, rng.NextDouble() - 0.5];
            f.HessianVectorProduct(x, v, hv);
            for (int j = 0; j < 2; j++)
            {
                if (!double.IsFinite(f0) || !double.IsFinite(g[j]))
                {
                    skipped++;
                    continue;
                }
                // Central differences with steps h and h/2 on the reference; the stencil must stay on one smooth piece.
                double h = 1e-5 * Math.Max(1, Math.Abs(x[j]));
                double[] values = new double[4];
                bool smooth = true;
                double[] steps = [h, -h, h / 2, -h / 2];
                for (int s = 0; s < 4 && smooth; s++)
                {
                    double[] q = (double[])x.Clone();
                    q[j] += steps[s];
                    values[s] = RandomExpression.Evaluate(e, q[0], q[1], p, out List<int> path);
                    smooth = double.IsFinite(values[s]) && path.SequenceEqual(path0);
                }
                if (!smooth)
                {
                    skipped++;
                    continue;
                }
                double fd1 = (values[0] - values[1]) / (2 * h), fd2 = (values[2] - values[3]) / h;
                double scale = values.Select(Math.Abs).Max();
                // Truncation error shows as the difference of the two estimates; rounding as ε·|f|/h.
                double tolerance = 1e-6 * (1 + Math.Abs(fd2)) + 4 * Math.Abs(fd1 - fd2) + 1e-14 * scale / h;
                if (!(Math.Abs(g[j] - fd2) <= tolerance))
                {
                    output.WriteLine($"seed {seed}: {text} at ({x[0]:R}, {x[1]:R}), p = {p}: ∂/∂x{j} = {g[j]:R}, finite differences {fd2:R} (and {fd1:R} with twice the step)");
                    return new Coverage(done, skipped, false);
                }
                done++;
            }
            // Hessian–vector product against central differences of the exact gradient along v, on the same piece.
            if (double.IsFinite(f0) && g.All(double.IsFinite) && hv.All(double.IsFinite))
            {
                double h = 1e-6;
                double[] plus = [x[0] + h * v[0], x[1] + h * v[1]], minus = [x[0] - h * v[0], x[1] - h * v[1]];
                RandomExpression.Evaluate(e, plus[0], plus[1], p, out List<int> pathPlus);
                RandomExpression.Evaluate(e, minus[0], minus[1], p, out List<int> pathMinus);
                if (!pathPlus.SequenceEqual(path0) || !pathMinus.SequenceEqual(path0)) continue;
                double[] gp = new double[2], gm = new double[2];
                f.ValueAndGradient(plus, gp);
                f.ValueAndGradient(minus, gm);
                if (!gp.Concat(gm).All(double.IsFinite)) continue;
                double[] plus2 = [x[0] + 2 * h * v[0], x[1] + 2 * h * v[1]], minus2 = [x[0] - 2 * h * v[0], x[1] - 2 * h * v[1]];
                RandomExpression.Evaluate(e, plus2[0], plus2[1], p, out List<int> pathPlus2);
                RandomExpression.Evaluate(e, minus2[0], minus2[1], p, out List<int> pathMinus2);
                if (!pathPlus2.SequenceEqual(path0) || !pathMinus2.SequenceEqual(path0)) continue;
                double[] gp2 = new double[2], gm2 = new double[2];
                f.ValueAndGradient(plus2, gp2);
                f.ValueAndGradient(minus2, gm2);
                for (int i = 0; i < 2; i++)
                {
                    double fd = (gp[i] - gm[i]) / (2 * h), fd2h = (gp2[i] - gm2[i]) / (4 * h);
                    double scale = Math.Max(Math.Max(Math.Abs(gp[i]), Math.Abs(gm[i])), Math.Max(Math.Abs(gp2[i]), Math.Abs(gm2[i])));
                    double tolerance = 1e-5 * (1 + Math.Abs(fd)) + 4 * Math.Abs(fd - fd2h) + 1e-13 * scale / h;
                    if (!double.IsFinite(fd) || !double.IsFinite(fd2h)) continue;
                    if (!(Math.Abs(hv[i] - fd) <= tolerance))
                    {
                        output.WriteLine($"seed {seed}: {text} at ({x[0]:R}, {x[1]:R}), p = {p}, v = ({v[0]:R}, {v[1]:R}): (Hv)[{i}] = {hv[i]:R}, finite differences of the gradient {fd:R}");
                        return new Coverage(done, skipped, false);
                    }
                }
            }
        }
        return new Coverage(done, skipped, true);
    }

    [Property(MaxTest = 150, Replay = "(4242424242,12345)")]
    public Property RandomExpression_GradientAndHvp_MatchFiniteDifferencesWhereSmooth() =>
        Prop.ForAll(Seeds, seed => CheckDerivatives(seed).Passed);

    [Fact]
    public void RandomExpression_DerivativeCheck_IsNotVacuous()
    {
        // Over many expressions, most gradient components are actually compared (not skipped as non-smooth).
        int done = 0, skipped = 0;
        for (int seed = 1; seed <= 60; seed++)
        {
            Coverage c = CheckDerivatives(seed * 7919);
            Assert.True(c.Passed, $"seed {seed * 7919}");
            done += c.Checked;
            skipped += c.Skipped;
        }
        output.WriteLine($"{done} gradient components compared, {skipped} skipped");
        Assert.True(done > 3 * skipped, $"{done} compared, {skipped} skipped");
    }

    /// <summary>prod(k, 1, n, A[k]*x + B[k]*y + C[k]) with small integer coefficients at points where terms often
    /// vanish (one, two or more zero terms): gradient and Hessian against the closed forms
    /// ∂f/∂u = Σₖ aₖ Πⱼ≠ₖ tⱼ and ∂²f/∂u∂w = Σₖ≠ₗ aₖ bₗ Πⱼ≠ₖ,ₗ tⱼ (all exact in doubles here).</summary>
    [Property(MaxTest = 200, Replay = "(777,999)")]
    public Property Prod_OfAffineTerms_GradientAndHessianMatchClosedForm() =>
        Prop.ForAll(Seeds, seed =>
        {
            var rng = new Random(seed);
            int n = rng.Next(1, 5);
            double[] a = Enumerable.Range(0, n).Select(_ => (double)rng.Next(-1, 3)).ToArray();
            double[] b = Enumerable.Range(0, n).Select(_ => (double)rng.Next(-1, 3)).ToArray();
            double[] c = Enumerable.Range(0, n).Select(_ => (double)rng.Next(-1, 2)).ToArray();
            var ctx = new ExpressionContext().AddVariable("x").AddVariable("y").AddParameter("n", n).AddData("A", a).AddData("B", b).AddData("C", c);
            CompiledScalarFunction f = ExpressionCompiler.CompileScalar("prod(k, 1, n, A[k]*x + B[k]*y + C[k])", ctx);
            double[] grid = [-1, 0, 0.5, 1];
            double[] point = [grid[rng.Next(4)], grid[rng.Next(4)]];
            double[] t = Enumerable.Range(0, n).Select(k => a[k] * point[0] + b[k] * point[1] + c[k]).ToArray();
            double Others(params int[] skip) => Enumerable.Range(0, n).Where(j => !skip.Contains(j)).Aggregate(1.0, (acc, j) => acc * t[j]);
            double[][] coefficients = [a, b];
            var g = new double[2];
            f.ValueAndGradient(point, g);
            var h = new double[4];
            f.Hessian(point, h);
            for (int u = 0; u < 2; u++)
            {
                double expected = Enumerable.Range(0, n).Sum(k => coefficients[u][k] * Others(k));
                if (g[u] != expected)
                {
                    output.WriteLine($"seed {seed}: a = [{string.Join(", ", a)}], b = [{string.Join(", ", b)}], c = [{string.Join(", ", c)}] at ({point[0]}, {point[1]}): ∂f/∂x{u} = {g[u]}, expected {expected}");
                    return false;
                }
                for (int w = 0; w < 2; w++)
                {
                    double second = 0;
                    for (int k = 0; k < n; k++)
                        for (int l = 0; l < n; l++)
                            if (k != l) second += coefficients[u][k] * coefficients[w][l] * Others(k, l);
                    if (h[u * 2 + w] != second)
                    {
                        output.WriteLine($"seed {seed}: a = [{string.Join(", ", a)}], b = [{string.Join(", ", b)}], c = [{string.Join(", ", c)}] at ({point[0]}, {point[1]}): H[{u},{w}] = {h[u * 2 + w]}, expected {second}");
                        return false;
                    }
                }
            }
            return true;
        });

    [Fact]
    public void RandomExpression_Printer_ProducesWhatTheLanguageParses()
    {
        var rng = new Random(7);
        for (int i = 0; i < 20; i++)
        {
            RandomExpression e = RandomExpression.Generate(rng, 4);
            ExpressionCompiler.CompileScalar(e.Print(), Context(1.5));
        }
    }

    // -------------------------------------------------------------------------------------------- garbage

    private static readonly string[] s_fragments =
    [
        "x", "y", "v", "d", "p", "t", "i", "k", "q", "pi", "0", "1", "2", "1.5", ".5", "1e", "1e-3", "2E+", "9e999",
        "+", "-", "*", "/", "^", "(", ")", "[", "]", ",", "<", "<=", ">", ">=", "==", "!=", "=", "!", " and ", " or ",
        "sin(", "atan2(", "min(", "max(", "pow(", "if(", "sum(", "prod(", "sum(i, 1, 3, ", "prod(k, -1e12, 1e12, ",
        "v[", "d[", "v[i]", " ", "\t", "$", "é", "\0", ";", "{", "\"", "..", "_", "1e308*1e308", "0/0",
    ];

    private static readonly string[] s_valid =
    [
        "sum(i, 1, 3, v[i]*d[4-i]) + if(x < y and t > 0, x^2, -y^-1)",
        "max(x, y, v[2]) / prod(k, 1, p, v[k] - k)",
        "atan2(y, x) + log10(abs(x) + 1) * sqrt(v[3]^2) - sign(y)",
        "sum(i, 1, 3, sum(j, 1, i, v[i]*v[j])) - pi*t + 1e-3*.5",
        "if(x <= 0 or y != 1 and v[1] >= 2, min(x, y), cosh(v[p+1]))",
        "pow(x, 3) - exp(-x^2/2) + tanh(sinh(y)) * asin(0.5) / acos(d[2]*0.5)",
    ];

    private const string Replacements = "()[],+-*/^<>=!xyvdpti0123456789. ";

    /// <summary>Near misses and nonsense: a token soup with a few arbitrary characters, or a valid expression (fixed or
    /// random) with one to three random edits (deletions, insertions, duplications, swaps).</summary>
    private static string Garbage(Random rng)
    {
        var sb = new StringBuilder();
        if (rng.Next(3) == 0)
        {
            int n = rng.Next(0, 16);
            for (int i = 0; i < n; i++)
            {
                if (rng.Next(10) == 0) sb.Append((char)rng.Next(0, 128));
                else sb.Append(s_fragments[rng.Next(s_fragments.Length)]);
            }
            return sb.ToString();
        }
        sb.Append(rng.Next(2) == 0 ? s_valid[rng.Next(s_valid.Length)] : RandomExpression.Generate(rng, rng.Next(1, 5)).Print());
        int edits = rng.Next(1, 4);
        for (int e = 0; e < edits; e++)
        {
            int at = rng.Next(sb.Length + 1);
            int length = Math.Min(rng.Next(1, 5), sb.Length - at);
            switch (rng.Next(5))
            {
                case 0:
                    sb.Remove(at, length);
                    break;
                case 1:
                    sb.Insert(at, s_fragments[rng.Next(s_fragments.Length)]);
                    break;
                case 2:
                    sb.Insert(at, sb.ToString(at, length));
                    break;
                case 3:
                    if (at < sb.Length) sb[at] = Replacements[rng.Next(Replacements.Length)];
                    break;
                default:
                    if (at + 1 < sb.Length) (sb[at], sb[at + 1]) = (sb[at + 1], sb[at]);
                    break;
            }
        }
        return sb.ToString();
    }

    private static ExpressionContext GarbageContext() => new ExpressionContext()
        .AddVariable("x").AddVariable("y").AddVectorVariable("v", 3).AddTime().AddParameter("p", 2).AddData("d", [1.0, -1, 0.5]);

    [Property(MaxTest = 2000, Replay = "(987654321,54321)")]
    public Property Garbage_NeverThrowsAnythingButExpressionException() =>
        Prop.ForAll(Seeds, seed =>
        {
            var rng = new Random(seed);
            string text = Garbage(rng);
            ExpressionContext ctx = GarbageContext();
            try
            {
                CompiledScalarFunction f = ExpressionCompiler.CompileScalar(text, ctx, new ExpressionLimits { MaxIterations = 10_000 });
                // When garbage happens to be valid, every entry point runs without throwing.
                double[] x = [0.5, -1, 1, 2, 3];
                f.Evaluate(x, 0.25);
                f.ValueAndGradient(x, new double[5], 0.25);
                f.Hessian(x, new double[25], 0.25);
                CompiledVectorFunction g = ExpressionCompiler.CompileVector([text, "x"], ctx);
                g.Evaluate(0.25, x, new double[2]);
                g.Jacobian(0.25, x, new double[10]);
                _ = g.JacobianSparsity;
                return true;
            }
            catch (ExpressionException e)
            {
                return e.Expression is not null && e.Column >= 0 && e.Column <= text.Length + 1
                    && (e.Column == 0 || e.Message.Contains($"at column {e.Column}"));
            }
            catch (Exception e)
            {
                output.WriteLine($"seed {seed}: {Escape(text)} threw {e.GetType().Name}: {e.Message}");
                return false;
            }
        });

    [Property(MaxTest = 1000, Replay = "(1357911,2468013)")]
    public Property Garbage_OfPlainCharacters_NeverThrowsAnythingButExpressionException() =>
        Prop.ForAll(ArbMap.Default.ArbFor<string>(), text =>
        {
            try
            {
                ExpressionCompiler.CompileScalar(text ?? "", GarbageContext()).Evaluate([0.5, -1, 1, 2, 3]);
                return true;
            }
            catch (ExpressionException)
            {
                return true;
            }
            catch (Exception e)
            {
                output.WriteLine($"{Escape(text ?? "")} threw {e.GetType().Name}: {e.Message}");
                return false;
            }
        });

    private static string Escape(string s) => string.Concat(s.Select(c => c < 32 || c > 126 ? $"\\u{(int)c:x4}" : c.ToString()));
}
