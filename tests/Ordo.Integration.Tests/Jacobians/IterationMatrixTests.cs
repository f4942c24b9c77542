using Ordo.Integration.Jacobians;
using Ordo.LinearAlgebra;

namespace Ordo.Integration.Tests.Jacobians;

/// <summary>
/// The iteration matrix M = αI − βJ on a method-of-lines problem: the 1-D Brusselator (HNW II §IV.1, α = 1/50, A = 1,
/// B = 3) with N = 500 grid points, interleaved (u₁, v₁, u₂, v₂, …), so J is banded with kl = ku = 2 and n = 1000.
/// </summary>
public class IterationMatrixTests
{
    private const int Grid = 500;
    private const int N = 2 * Grid;
    private const double Diffusion = 1.0 / 50 * (Grid + 1) * (Grid + 1);
    private static readonly Brusselator1D s_problem = new(Grid);

    private static void Brusselator(double t, ReadOnlySpan<double> y, Span<double> dy) => s_problem.Rhs(t, y, dy);

    private static void BrusselatorJacobian(double t, ReadOnlySpan<double> y, Span<double> jac) => s_problem.Jacobian(t, y, jac);

    private static double[] State() => s_problem.State();

    private static OdeProblem<double> Problem(bool exact, bool banded) => s_problem.Problem(exact, banded);

    [Fact]
    public void BandedDifferencesCostFiveEvaluationsAndMatchTheExactJacobian()
    {
        var y = State();
        var fy = new double[N];
        Brusselator(0, y, fy);
        int calls = 0;
        OdeFunction<double> counting = (t, yy, d) => { calls++; Brusselator(t, yy, d); };
        var m = new IterationMatrix(Problem(exact: false, banded: true), counting);
        Assert.True(m.IsBanded);
        Assert.Equal((2, 2), (m.Lower, m.Upper));
        Assert.Equal(5, m.EvaluationsPerJacobian);
        m.EvaluateJacobian(0, y, fy);
        m.EvaluateJacobian(0, y, fy);
        Assert.Equal(10, calls); // kl + ku + 1 = 5 per Jacobian, against n = 1000 without grouping
        Assert.Equal(10, m.RhsEvaluations);
        Assert.Equal(2, m.JacobianEvaluations);

        var exact = new double[N * N];
        BrusselatorJacobian(0, y, exact);
        double scale = 2 * Diffusion + 10;
        for (int i = 0; i < N; i++)
            for (int j = Math.Max(0, i - 4); j <= Math.Min(N - 1, i + 4); j++)
                Assert.True(Math.Abs(m.Jacobian(i, j) - exact[i * N + j]) <= 1e-7 * scale, $"J[{i},{j}] = {m.Jacobian(i, j)}, exact {exact[i * N + j]}");
        Assert.Equal(0, m.Jacobian(0, N - 1));
    }

    [Fact]
    public void BandedSolveMatchesTheDenseSolve()
    {
        var y = State();
        var fy = new double[N];
        Brusselator(0, y, fy);
        const double hGamma = 1e-3; // h·γ of a stiff step: ‖hγJ‖ ≈ 20
        var b = Enumerable.Range(0, N).Select(i => Math.Cos(0.01 * i * i)).ToArray();

        var dense = new IterationMatrix(Problem(exact: true, banded: false));
        Assert.False(dense.IsBanded);
        dense.EvaluateJacobian(0, y, fy);
        Assert.True(dense.Factor(1, hGamma));
        var xDense = (double[])b.Clone();
        dense.Solve(xDense);
        // The dense solution solves (I − hγJ)x = b.
        var jx = new double[N];
        dense.MultiplyJacobian(xDense, jx);
        for (int i = 0; i < N; i++) Assert.True(Math.Abs(xDense[i] - hGamma * jx[i] - b[i]) <= 1e-11);

        var bandedExact = new IterationMatrix(Problem(exact: true, banded: true));
        Assert.True(bandedExact.IsBanded);
        bandedExact.EvaluateJacobian(0, y, fy);
        Assert.True(bandedExact.Factor(1, hGamma));
        var x1 = (double[])b.Clone();
        bandedExact.Solve(x1);

        var bandedFd = new IterationMatrix(Problem(exact: false, banded: true));
        bandedFd.EvaluateJacobian(0, y, fy);
        Assert.True(bandedFd.Factor(1 / hGamma, 1)); // the Rosenbrock form (1/(hγ))I − J: its solution is hγ times the dense one
        var x2 = (double[])b.Clone();
        bandedFd.Solve(x2);

        double xs = xDense.Max(Math.Abs);
        for (int i = 0; i < N; i++)
        {
            Assert.True(Math.Abs(x1[i] - xDense[i]) <= 1e-12 * xs, $"exact banded x[{i}] = {x1[i]}, dense {xDense[i]}");
            Assert.True(Math.Abs(x2[i] / hGamma - xDense[i]) <= 1e-7 * xs, $"FD banded x[{i}] = {x2[i] / hGamma}, dense {xDense[i]}");
        }
        Assert.Equal(1, dense.LuDecompositions);
        Assert.Equal(0, dense.RhsEvaluations);
    }

    [Fact]
    public void DenseDifferencesWithoutStructureCostOneEvaluationPerColumn()
    {
        // Small dense case: the Brusselator of 8 points through the general constructor, no structure.
        int n = 16, calls = 0;
        void F(double t, ReadOnlySpan<double> y, Span<double> dy)
        {
            calls++;
            for (int i = 0; i < n; i++) dy[i] = Math.Sin(y[i]) * y[(i + 3) % n] - y[(i + 5) % n];
        }
        var m = new IterationMatrix(n, F, backend: DenseSolverBackend.Managed);
        var y = Enumerable.Range(0, n).Select(i => 1 + 0.1 * i).ToArray();
        var fy = new double[n];
        F(0, y, fy);
        calls = 0;
        m.EvaluateJacobian(0, y, fy);
        Assert.Equal(n, calls);
        Assert.False(m.IsBanded);
        Assert.False(m.UsesLapack);
        for (int i = 0; i < n; i++)
        {
            Assert.True(Math.Abs(m.Jacobian(i, i) - Math.Cos(y[i]) * y[(i + 3) % n]) <= 1e-7);
            Assert.True(Math.Abs(m.Jacobian(i, (i + 3) % n) - Math.Sin(y[i])) <= 1e-7);
            Assert.True(Math.Abs(m.Jacobian(i, (i + 5) % n) + 1) <= 1e-7);
        }
    }

    [Fact]
    public void PeriodicPatternIsStoredDenseButDifferencedInThreeGroups()
    {
        // A periodic 1-D stencil fᵢ = yᵢ₋₁ − 2yᵢ + yᵢ₊₁ + yᵢ² (indices mod n): the wrap-around makes the bandwidth n − 1,
        // so M is dense, but every row has three entries and CPR needs only three groups (n divisible by 3).
        const int n = 30;
        int calls = 0;
        void F(double t, ReadOnlySpan<double> y, Span<double> dy)
        {
            calls++;
            for (int i = 0; i < n; i++) dy[i] = y[(i + n - 1) % n] - 2 * y[i] + y[(i + 1) % n] + y[i] * y[i];
        }
        var rows = Enumerable.Range(0, n).Select(i => new[] { (i + n - 1) % n, i, (i + 1) % n }).ToArray();
        var m = new IterationMatrix(n, F, structure: JacobianSparsity.FromRows(rows));
        Assert.False(m.IsBanded);
        Assert.Equal(3, m.EvaluationsPerJacobian);
        var y = Enumerable.Range(0, n).Select(i => 1 + 0.5 * Math.Cos(i)).ToArray();
        var fy = new double[n];
        F(0, y, fy);
        calls = 0;
        m.EvaluateJacobian(0, y, fy);
        Assert.Equal(3, calls);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double exact = j == i ? -2 + 2 * y[i] : j == (i + 1) % n || j == (i + n - 1) % n ? 1 : 0;
                Assert.True(Math.Abs(m.Jacobian(i, j) - exact) <= 1e-7, $"J[{i},{j}] = {m.Jacobian(i, j)}, exact {exact}");
            }
        // M = I − 0.1·J solves against a residual check with the same J.
        Assert.True(m.Factor(1, 0.1));
        var b = Enumerable.Range(0, n).Select(i => Math.Sin(i)).ToArray();
        var x = (double[])b.Clone();
        m.Solve(x);
        var jx = new double[n];
        m.MultiplyJacobian(x, jx);
        for (int i = 0; i < n; i++) Assert.True(Math.Abs(x[i] - 0.1 * jx[i] - b[i]) <= 1e-13);
    }

    [Fact]
    public void SingularOrNonFiniteIterationMatrixIsReportedNotThrown()
    {
        // f = y (J = I): M = I − 1·J = 0 is singular; a NaN in f makes J non-finite.
        var m = new IterationMatrix(4, (t, y, dy) => y.CopyTo(dy), structure: JacobianSparsity.Banded(4, 0, 0));
        var y = new double[] { 1, 2, 3, 4 };
        m.EvaluateJacobian(0, y, y);
        Assert.False(m.Factor(1, 1));
        Assert.Throws<InvalidOperationException>(() => m.Solve(new double[4]));
        Assert.True(m.Factor(2, 1));
        var x = new double[] { 1, 1, 1, 1 };
        m.Solve(x);
        Assert.All(x, v => Assert.Equal(1, v, 15));

        var bad = new IterationMatrix(3, (t, yy, dy) => { dy.Fill(1); if (yy[1] != 2) dy[0] = double.NaN; });
        var y3 = new double[] { 1, 2, 3 };
        bad.EvaluateJacobian(0, y3, new double[] { 1, 1, 1 });
        Assert.False(bad.Factor(1, 1e-3));
        Assert.Equal(1, bad.LuDecompositions);
    }

    [Fact]
    public void EvaluateFactorSolveAllocateNothing()
    {
        var y = State();
        var fy = new double[N];
        Brusselator(0, y, fy);
        var m = new IterationMatrix(Problem(exact: false, banded: true));
        var x = new double[N];
        m.EvaluateJacobian(0, y, fy);
        m.Factor(1, 1e-3);
        m.Solve(x);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int rep = 0; rep < 5; rep++)
        {
            m.EvaluateJacobian(0, y, fy);
            m.Factor(1, 1e-3 * (rep + 1));
            fy.CopyTo(x, 0);
            m.Solve(x);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
