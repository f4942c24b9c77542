using System.Globalization;
using BenchmarkDotNet.Attributes;
using Ordo.Expressions;
using Ordo.Integration;
using Ordo.Problems;

namespace Ordo.Benchmarks;

/// <summary>
/// A right-hand side compiled from expression strings (Ordo.Expressions) against the same formulas written by hand in
/// C#, one call each, and against Ordo.Problems' optimized right-hand side where that uses a smarter algorithm
/// (Pleiades there computes each pair once). The target: compiled within 2× of hand-written.
/// </summary>
public class CompiledRhsBenchmarks
{
    private OdeFunction<double> _compiled = null!;
    private OdeFunction<double> _handWritten = null!;
    private OdeFunction<double> _library = null!;
    private double[] _y = [];
    private double[] _dy = [];

    [Params("LotkaVolterra", "Pleiades", "Brusselator1D")]
    public string Problem { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        OdeTestProblem p = OdeTestProblems.Get(Problem);
        (ExpressionContext context, List<string> rhs, OdeFunction<double> hand) = Problem switch
        {
            "LotkaVolterra" => LotkaVolterra(),
            "Pleiades" => Pleiades(),
            _ => Brusselator(),
        };
        CompiledVectorFunction f = ExpressionCompiler.CompileVector(rhs, context);
        _compiled = f.Evaluate;
        _handWritten = hand;
        _library = p.Rhs;
        _y = p.InitialState.ToArray();
        _dy = new double[_y.Length];
        var check = new double[_y.Length];
        _compiled(0.5, _y, _dy);
        _handWritten(0.5, _y, check);
        for (int i = 0; i < check.Length; i++)
        {
            if (Math.Abs(check[i] - _dy[i]) > 1e-12 * (1 + Math.Abs(check[i])))
                throw new InvalidOperationException($"{Problem}: component {i} differs: {_dy[i]} vs {check[i]}");
        }
    }

    [Benchmark(Baseline = true)]
    public double HandWritten()
    {
        _handWritten(0.5, _y, _dy);
        return _dy[0];
    }

    [Benchmark]
    public double Compiled()
    {
        _compiled(0.5, _y, _dy);
        return _dy[0];
    }

    [Benchmark]
    public double OrdoProblemsRhs()
    {
        _library(0.5, _y, _dy);
        return _dy[0];
    }

    private static (ExpressionContext, List<string>, OdeFunction<double>) LotkaVolterra() =>
        (new ExpressionContext().AddVariable("x").AddVariable("y").AddTime()
            .AddParameter("a", 1.5).AddParameter("b", 1).AddParameter("c", 3).AddParameter("d", 1),
         ["a*x - b*x*y", "-c*y + d*x*y"],
         static (t, y, dy) =>
         {
             dy[0] = 1.5 * y[0] - 1 * y[0] * y[1];
             dy[1] = -3 * y[1] + 1 * y[0] * y[1];
         });

    /// <summary>Seven bodies, masses j, state (x₁…x₇, y₁…y₇, x′₁…x′₇, y′₁…y′₇), written the direct way: for each body a sum
    /// over the others of m_j (x_j − x_i)/r_ij³.</summary>
    private static (ExpressionContext, List<string>, OdeFunction<double>) Pleiades()
    {
        var rhs = new List<string>();
        for (int i = 1; i <= 7; i++) rhs.Add(Inv($"y[{14 + i}]"));
        for (int i = 1; i <= 7; i++) rhs.Add(Inv($"y[{21 + i}]"));
        for (int i = 1; i <= 7; i++)
            rhs.Add(Inv($"sum(j, 1, 7, if(j != {i}, j*(y[j] - y[{i}]) / ((y[j] - y[{i}])^2 + (y[7+j] - y[{7 + i}])^2)^1.5, 0))"));
        for (int i = 1; i <= 7; i++)
            rhs.Add(Inv($"sum(j, 1, 7, if(j != {i}, j*(y[7+j] - y[{7 + i}]) / ((y[j] - y[{i}])^2 + (y[7+j] - y[{7 + i}])^2)^1.5, 0))"));
        return (new ExpressionContext().AddVectorVariable("y", 28).AddTime(), rhs, static (t, y, dy) =>
        {
            for (int i = 0; i < 14; i++) dy[i] = y[14 + i];
            for (int i = 0; i < 7; i++)
            {
                double ax = 0, ay = 0;
                for (int j = 0; j < 7; j++)
                {
                    if (j == i) continue;
                    double dx = y[j] - y[i], dyy = y[7 + j] - y[7 + i];
                    double r2 = dx * dx + dyy * dyy;
                    double r3 = r2 * Math.Sqrt(r2);
                    ax += (j + 1) * dx / r3;
                    ay += (j + 1) * dyy / r3;
                }
                dy[14 + i] = ax;
                dy[21 + i] = ay;
            }
        });
    }

    /// <summary>1-D Brusselator, N = 40, α = 1/50, state (u₁, v₁, u₂, v₂, …), boundary u = 1, v = 3; one expression per
    /// component with its neighbours written out (what a problem file would contain).</summary>
    private static (ExpressionContext, List<string>, OdeFunction<double>) Brusselator()
    {
        const int n = 40;
        var rhs = new List<string>();
        string U(int i) => i < 1 || i > n ? "1" : Inv($"y[{2 * i - 1}]");
        string V(int i) => i < 1 || i > n ? "3" : Inv($"y[{2 * i}]");
        for (int i = 1; i <= n; i++)
        {
            rhs.Add($"1 + {U(i)}^2*{V(i)} - 4*{U(i)} + c*({U(i - 1)} - 2*{U(i)} + {U(i + 1)})");
            rhs.Add($"3*{U(i)} - {U(i)}^2*{V(i)} + c*({V(i - 1)} - 2*{V(i)} + {V(i + 1)})");
        }
        double c = 0.02 * (n + 1) * (n + 1);
        return (new ExpressionContext().AddVectorVariable("y", 2 * n).AddTime().AddParameter("c", c), rhs, (t, y, dy) =>
        {
            for (int i = 0; i < n; i++)
            {
                double u = y[2 * i], v = y[2 * i + 1];
                double uL = i == 0 ? 1 : y[2 * i - 2], uR = i == n - 1 ? 1 : y[2 * i + 2];
                double vL = i == 0 ? 3 : y[2 * i - 1], vR = i == n - 1 ? 3 : y[2 * i + 3];
                dy[2 * i] = 1 + u * u * v - 4 * u + c * (uL - 2 * u + uR);
                dy[2 * i + 1] = 3 * u - u * u * v + c * (vL - 2 * v + vR);
            }
        });
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
