using Ordo.Integration;
using Ordo.Integration.Jacobians;

namespace Ordo.Integration.Tests.Jacobians;

/// <summary>
/// The 1-D Brusselator by the method of lines (HNW II §IV.1 (1.6)–(1.7), α = 1/50, A = 1, B = 3, u = 1 and v = 3 at both
/// ends), with the unknowns interleaved (u₁, v₁, u₂, v₂, …) so that ∂f/∂y is banded with kl = ku = 2.
/// Initial state u = 1 + sin(2πx), v = 3 + 0.3·cos(5x).
/// </summary>
internal sealed class Brusselator1D(int grid)
{
    private readonly double _diffusion = 1.0 / 50 * (grid + 1) * (grid + 1);

    /// <summary>Number of interior grid points.</summary>
    public int Grid { get; } = grid;

    /// <summary>n = 2·Grid.</summary>
    public int N => 2 * Grid;

    public void Rhs(double t, ReadOnlySpan<double> y, Span<double> dy)
    {
        int grid = Grid;
        for (int i = 0; i < grid; i++)
        {
            double u = y[2 * i], v = y[2 * i + 1];
            double uL = i > 0 ? y[2 * i - 2] : 1.0, vL = i > 0 ? y[2 * i - 1] : 3.0;
            double uR = i < grid - 1 ? y[2 * i + 2] : 1.0, vR = i < grid - 1 ? y[2 * i + 3] : 3.0;
            double uuv = u * u * v;
            dy[2 * i] = 1.0 + uuv - 4.0 * u + _diffusion * (uL - 2.0 * u + uR);
            dy[2 * i + 1] = 3.0 * u - uuv + _diffusion * (vL - 2.0 * v + vR);
        }
    }

    /// <summary>The exact Jacobian, row-major (written only on the band; the caller's buffer is cleared first).</summary>
    public void Jacobian(double t, ReadOnlySpan<double> y, Span<double> jac)
    {
        int n = N;
        double d = _diffusion;
        for (int i = 0; i < Grid; i++)
        {
            int ru = 2 * i, rv = 2 * i + 1;
            double u = y[ru], v = y[rv];
            jac[ru * n + ru] = 2 * u * v - 4 - 2 * d;
            jac[ru * n + rv] = u * u;
            jac[rv * n + ru] = 3 - 2 * u * v;
            jac[rv * n + rv] = -u * u - 2 * d;
            if (i > 0) { jac[ru * n + ru - 2] = d; jac[rv * n + rv - 2] = d; }
            if (i < Grid - 1) { jac[ru * n + ru + 2] = d; jac[rv * n + rv + 2] = d; }
        }
    }

    public double[] State()
    {
        var y = new double[N];
        for (int i = 0; i < Grid; i++)
        {
            double x = (i + 1.0) / (Grid + 1);
            y[2 * i] = 1 + Math.Sin(2 * Math.PI * x);
            y[2 * i + 1] = 3 + 0.3 * Math.Cos(5 * x);
        }
        return y;
    }

    /// <summary>The problem on [0, 10], with the exact Jacobian or none, banded structure or none.</summary>
    public OdeProblem<double> Problem(bool exact, bool banded) => new(Rhs, State(), 0, 10, $"brusselator-1d-{Grid}")
    {
        Jacobian = exact ? Jacobian : null,
        JacobianStructure = banded ? JacobianSparsity.Banded(N, 2, 2) : null,
        IsAutonomous = true,
    };
}
