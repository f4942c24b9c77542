using BenchmarkDotNet.Attributes;
using Ordo.Integration;
using Ordo.Problems;

namespace Ordo.Benchmarks;

/// <summary>
/// Does the generic number type cost anything on the double path? Ordo's dp5 (generic stepper over
/// <c>T = double</c>, tableau as data, fused SIMD stage kernel) against <see cref="HandWrittenDormandPrince"/>, on
/// problems of dimension 1 (DETEST A1), 4 (Arenstorf), 28 (Pleiades) and 80 (Brusselator1D), with the same first step,
/// so both take exactly the same steps.
/// </summary>
[MemoryDiagnoser]
public class GenericVsHandWrittenBenchmarks
{
    private OdeTestProblem _problem = null!;
    private OdeProblem<double> _odeProblem = null!;
    private OdeOptions _options = null!;
    private HandWrittenDormandPrince _handWritten = null!;
    private Action<double, double[], double[]> _rhsArrays = null!;
    private double _h0;

    [Params("DETEST_A1", "Arenstorf", "Pleiades", "Brusselator1D")]
    public string Problem { get; set; } = "";

    private const double Rtol = 1e-8;

    [GlobalSetup]
    public void Setup()
    {
        _problem = OdeTestProblems.Get(Problem);
        _odeProblem = _problem.ToProblem();
        double atol = _problem.SuggestedAtolFactor * Rtol;
        _h0 = new OdeIntegrator<double>(_odeProblem, OdeMethods.DormandPrince54, new OdeOptions { RelativeTolerance = Rtol, AbsoluteTolerance = atol }).StepSize;
        _options = new OdeOptions { RelativeTolerance = Rtol, AbsoluteTolerance = atol, InitialStep = _h0, Save = SaveAt.FinalOnly, MaxSteps = 10_000_000 };
        _handWritten = new HandWrittenDormandPrince(_problem.Dimension);
        OdeFunction<double> rhs = _problem.Rhs;
        _rhsArrays = (t, y, dy) => rhs(t, y, dy);

        OdeSolution<double> ordo = Ode.Solve(_odeProblem, OdeMethods.DormandPrince54, _options);
        double[] hand = _handWritten.Solve(_rhsArrays, _problem.InitialState.ToArray(), _problem.T0, _problem.T1, _h0, Rtol, atol);
        if (ordo.Stats.AcceptedSteps != _handWritten.Accepted || ordo.Stats.RejectedSteps != _handWritten.Rejected)
            throw new InvalidOperationException($"not the same steps: Ordo {ordo.Stats.AcceptedSteps}/{ordo.Stats.RejectedSteps}, hand-written {_handWritten.Accepted}/{_handWritten.Rejected}");
        for (int i = 0; i < hand.Length; i++)
        {
            if (Math.Abs(hand[i] - ordo.Y[i]) > 1e-9 * (1 + Math.Abs(hand[i])))
                throw new InvalidOperationException($"results differ in component {i}: {hand[i]} vs {ordo.Y[i]}");
        }
    }

    [Benchmark(Baseline = true)]
    public double HandWrittenDoubleOnly() =>
        _handWritten.Solve(_rhsArrays, _problem.InitialState.ToArray(), _problem.T0, _problem.T1, _h0, Rtol, _problem.SuggestedAtolFactor * Rtol)[0];

    [Benchmark]
    public double OrdoGenericDp5() => Ode.Solve(_odeProblem, OdeMethods.DormandPrince54, _options).Y[0];
}
