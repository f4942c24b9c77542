using Ordo.Integration;
using Ordo.LinearAlgebra;
using Xunit.Abstractions;

namespace Ordo.Integration.Tests.Jacobians;

/// <summary>
/// A dense stiff linear system large enough (n = 160 ≥ <see cref="DenseSolver.LapackThreshold"/>) for the steppers'
/// iteration matrix to go through the system LAPACK when it is installed (the managed LU otherwise):
/// y' = A y with A = Q D Qᵀ, Q = I − 2vvᵀ/(vᵀv) a Householder reflection (dense, orthogonal, symmetric) and
/// D = −diag(10^(4k/(n−1))), k = 0…n−1 (eigenvalues −1 … −1e4). Exact solution y(t) = Q e^{Dt} Qᵀ y₀.
/// </summary>
public class LargeDenseStiffTests(ITestOutputHelper output)
{
    private const int N = 160;

    private static (double[] Q, double[] D) System()
    {
        var v = new double[N];
        for (int i = 0; i < N; i++) v[i] = Math.Sin(i + 1.0) + 0.5;
        double vv = v.Sum(x => x * x);
        var q = new double[N * N];
        for (int i = 0; i < N; i++)
            for (int j = 0; j < N; j++)
                q[i * N + j] = (i == j ? 1 : 0) - 2 * v[i] * v[j] / vv;
        var d = new double[N];
        for (int k = 0; k < N; k++) d[k] = -Math.Pow(10, 4.0 * k / (N - 1));
        return (q, d);
    }

    [Theory]
    [InlineData("bdf")]
    [InlineData("rodas4")]
    public void DenseStiffLinearSystemMatchesTheClosedForm(string method)
    {
        (double[] q, double[] d) = System();
        var a = new double[N * N];
        for (int i = 0; i < N; i++)
            for (int j = 0; j < N; j++)
            {
                double sum = 0;
                for (int k = 0; k < N; k++) sum += q[i * N + k] * d[k] * q[j * N + k];
                a[i * N + j] = sum;
            }
        var y0 = new double[N];
        for (int i = 0; i < N; i++) y0[i] = 1.0 + 0.01 * i;
        var problem = new OdeProblem<double>((t, y, dy) =>
        {
            for (int i = 0; i < N; i++)
            {
                double sum = 0;
                for (int j = 0; j < N; j++) sum += a[i * N + j] * y[j];
                dy[i] = sum;
            }
        }, y0, 0, 1, "dense-stiff-160")
        {
            Jacobian = (t, y, jac) => a.CopyTo(jac),
            IsAutonomous = true,
        };
        const double rtol = 1e-6, atol = 1e-9;
        var s = Ode.Solve(problem, OdeMethods.Get(method), new OdeOptions { RelativeTolerance = rtol, AbsoluteTolerance = atol, Save = SaveAt.FinalOnly });
        Assert.Equal(OdeStatus.Success, s.Status);

        // Exact: Q e^{D} Qᵀ y0 at t = 1.
        var z = new double[N];
        for (int k = 0; k < N; k++)
        {
            double c = 0;
            for (int j = 0; j < N; j++) c += q[j * N + k] * y0[j];
            z[k] = Math.Exp(d[k]) * c;
        }
        double err = 0;
        for (int i = 0; i < N; i++)
        {
            double exact = 0;
            for (int k = 0; k < N; k++) exact += q[i * N + k] * z[k];
            err = Math.Max(err, Math.Abs(s.Y[i] - exact) / (rtol * Math.Abs(exact) + atol));
        }
        output.WriteLine($"{method}, n = {N}, LAPACK available: {Lapack.IsAvailable}: error/tol {err:G3}, {s.Stats}");
        Assert.True(err <= 100, $"error {err:G3} tolerances");
        Assert.True(s.Stats.LuDecompositions > 0);
    }
}
