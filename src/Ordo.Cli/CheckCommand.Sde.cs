using System.Text.Json;
using Ordo.Integration;
using Ordo.Problems.ProblemFiles;

namespace Ordo.Cli;

internal static partial class CheckCommand
{
    /// <summary>
    /// An SDE file at (t, y) (default (t0, y0)): the drift f and its Jacobian ∂fᵢ/∂yⱼ, the diffusion G (d values for the
    /// diagonal layout, else d rows of m) and its exact state derivative: ∂gᵢ/∂yᵢ for the diagonal layout, else
    /// <c>diffusion_derivative[k][j][l] = ∂G_kj/∂y_l</c> — the derivative Milstein and the Itô–Stratonovich conversion use.
    /// </summary>
    private static void CheckSde(CliConsole console, SdeProblemFile sde, double[]? at, double? t, bool json)
    {
        SdeProblem p = sde.Problem;
        int n = p.Dimension, m = p.NoiseDimension;
        bool diagonal = p.DiagonalDiffusion;
        double time = t ?? sde.T0;
        double[] y = at ?? [.. sde.InitialState];
        double[] drift = new double[n];
        p.Drift(time, y, drift);
        double[] g = new double[p.DiffusionLength];
        p.Diffusion(time, y, g);
        double[]? driftJacobian = Jacobian(console, n, n, json, J => sde.Drift.Jacobian(time, y, J));
        double[]? dg = null;
        if (diagonal || (long)n * m * n <= MaxJacobianEntries)
        {
            dg = new double[diagonal ? n : n * m * n];
            p.DiffusionDerivative!(time, y, dg);
        }
        else if (json) console.Error.WriteLine($"ordo: note: the diffusion derivative ({n} × {m} × {n}) is too large to print; \"diffusion_derivative\" is null");
        string noise = SdeProblemFile.NoiseName(sde.Noise);
        if (json)
        {
            JsonOutput.Write(console.Out, w =>
            {
                w.WriteString("kind", "sde");
                if (sde.Name is not null) w.WriteString("name", sde.Name);
                w.WriteNumber("n", n);
                w.WriteNumber("m", m);
                w.WriteString("noise", noise);
                w.WriteString("calculus", SdeProblemFile.CalculusName(sde.Calculus));
                w.WriteNumber("paths", sde.Paths);
                w.WriteNumber("seed", sde.Seed);
                w.Number("t", time);
                w.Numbers("at", y);
                w.Numbers("drift", drift);
                if (driftJacobian is null) w.WriteNull("drift_jacobian");
                else w.Matrix("drift_jacobian", driftJacobian, n, n);
                if (diagonal) w.Numbers("diffusion", g);
                else w.Matrix("diffusion", g, n, m);
                WriteDiffusionDerivative(w, dg, diagonal, n, m);
            });
            return;
        }
        Header(console, sde, $"sde, {SolveCommand.Plural(n, "state")}, {m} Wiener process{(m == 1 ? "" : "es")}, {noise} noise, "
            + $"{(sde.Calculus == SdeCalculus.Ito ? "Itô" : "Stratonovich")}, t = {CliValues.Human(sde.T0)} → {CliValues.Human(sde.T1)}, "
            + $"{CliValues.Count(sde.Paths)} paths, seed {sde.Seed}");
        console.Out.WriteLine($"evaluated at t = {CliValues.Human(time)}");
        if (diagonal)
        {
            console.WriteTable(["component", "at", "drift", "diffusion g_i", "d g_i / d y_i"],
                SolveCommand.Components(n, i => [sde.State.ComponentName(i), CliValues.Human(y[i]), CliValues.Human(drift[i]), CliValues.Human(g[i]), CliValues.Human(dg![i])], 5),
                new HashSet<int> { 1, 2, 3, 4 });
        }
        else
        {
            console.WriteTable(["component", "at", "drift"],
                SolveCommand.Components(n, i => [sde.State.ComponentName(i), CliValues.Human(y[i]), CliValues.Human(drift[i])], 3), new HashSet<int> { 1, 2 });
            HumanMatrix(console, "diffusion G_kj (row k: component, column j: Wiener process)", g, n, m, i => sde.State.ComponentName(i), j => $"W{j + 1}", (long)n * m);
            if (dg is not null && n * m <= MaxShownMatrix)
                HumanMatrix(console, "diffusion derivative d G_kj / d y_l", dg, n * m, n, r => $"G[{r / m + 1},{r % m + 1}]", l => sde.State.ComponentName(l), sde.Diffusion.JacobianSparsity.NonZeros);
            else
                console.Out.WriteLine($"{Environment.NewLine}diffusion derivative d G_kj / d y_l: {n * m} × {n} (--json prints it{(dg is null ? " as null: too large" : "")})");
        }
        HumanMatrix(console, "drift Jacobian d f_i / d y_j", driftJacobian, n, n, i => sde.State.ComponentName(i), j => sde.State.ComponentName(j), sde.Drift.JacobianSparsity.NonZeros);
        Finite(console, ("drift", drift), ("diffusion", g), ("diffusion derivative", dg), ("drift Jacobian", driftJacobian));
    }

    private static void WriteDiffusionDerivative(Utf8JsonWriter w, double[]? dg, bool diagonal, int n, int m)
    {
        if (dg is null)
        {
            w.WriteNull("diffusion_derivative");
            return;
        }
        if (diagonal)
        {
            w.Numbers("diffusion_derivative", dg);
            return;
        }
        w.WriteStartArray("diffusion_derivative");
        for (int k = 0; k < n; k++)
        {
            w.WriteStartArray();
            for (int j = 0; j < m; j++)
            {
                w.WriteStartArray();
                foreach (double v in dg.AsSpan((k * m + j) * n, n))
                {
                    if (double.IsFinite(v)) w.WriteNumberValue(v);
                    else w.WriteNullValue();
                }
                w.WriteEndArray();
            }
            w.WriteEndArray();
        }
        w.WriteEndArray();
    }
}
