using System.Text.Json;
using Ordo.Expressions;
using Ordo.Integration;

namespace Ordo.Problems.ProblemFiles;

public static partial class ProblemFileReader
{
    private static readonly string[] s_sde = ["state", "drift", "noise", "diffusion", "noise_dim", "calculus", "y0", "t0", "t1", "paths", "seed"];
    private static readonly string[] s_sdeNoise = ["diagonal", "additive", "commutative", "general"];

    /// <summary>Most sample paths of an SDE problem file.</summary>
    public const int MaxSdePaths = 100_000_000;

    /// <summary>Most Wiener processes (<c>noise_dim</c>) of an SDE problem file.</summary>
    public const int MaxSdeNoiseDimension = 100_000;

    /// <summary>Largest seed of an SDE problem file: 2⁵³, the largest integer every JSON reader holds exactly.</summary>
    public const double MaxSdeSeed = 9007199254740992;

    private sealed partial class Loader
    {
        private SdeProblemFile LoadSde(Dictionary<string, JsonElement> fields, string? name)
        {
            Require(fields, ProblemKinds.Sde, ["state", "drift", "noise", "diffusion", "y0", "t0", "t1"]);
            (VariableLayout state, string[] drift, double[] y0, double t0, double t1) = ReadInitialValues(fields, "SDE", "drift");
            int n = state.Dimension;
            // t1 < t0 integrates backwards (the contract, as for ode): the same Brownian path read in reverse.
            if (t1 == t0) throw Error("t1", $"is {Format(t1)} but must differ from t0: the interval is empty");

            string noiseText = ReadString(fields["noise"], "noise");
            SdeNoise noise = noiseText switch
            {
                "diagonal" => SdeNoise.Diagonal,
                "additive" => SdeNoise.Additive,
                "commutative" => SdeNoise.Commutative,
                "general" => SdeNoise.General,
                _ => throw Error("noise", $"unknown noise '{Truncate(noiseText)}'; known: {string.Join(", ", s_sdeNoise)}"),
            };
            int? m = null;
            if (fields.TryGetValue("noise_dim", out JsonElement md))
            {
                double v = ReadNumber(md, "noise_dim");
                if (v != Math.Floor(v) || v < 1) throw Error("noise_dim", $"must be a positive integer (the number of Wiener processes), not {Format(v)}");
                if (v > MaxSdeNoiseDimension) throw Error("noise_dim", $"is {Format(v)}; at most {MaxSdeNoiseDimension:N0} Wiener processes are supported");
                m = (int)v;
            }
            if (noise == SdeNoise.Diagonal && m is int mDiagonal && mDiagonal != n)
                throw Error("noise_dim", $"is {mDiagonal} but diagonal noise has one Wiener process per component, so it must be {n} (or be left out)");
            if (noise is SdeNoise.Commutative or SdeNoise.General && m is null)
                throw Error("noise_dim", $"missing; {noiseText} noise needs \"noise_dim\": m, the number of Wiener processes (diffusion is then {n} rows of m expressions)");
            if (m is int mm && (long)n * mm > MaxDimension)
                throw Error("noise_dim", $"is {mm}: the diffusion matrix would have {(long)n * mm:N0} entries; at most {MaxDimension:N0} are supported");
            // Diagonal layout: diagonal noise, and additive noise without noise_dim; a d × m matrix otherwise.
            bool matrix = noise is SdeNoise.Commutative or SdeNoise.General || (noise == SdeNoise.Additive && m is not null);
            (string[] diffusion, Func<int, string> diffusionPath) = ReadDiffusion(fields["diffusion"], n, matrix ? m!.Value : 0, noiseText, state);

            SdeCalculus calculus = SdeCalculus.Ito;
            if (fields.TryGetValue("calculus", out JsonElement ce))
            {
                string c = ReadString(ce, "calculus");
                calculus = c switch
                {
                    "ito" => SdeCalculus.Ito,
                    "stratonovich" => SdeCalculus.Stratonovich,
                    _ => throw Error("calculus", $"unknown calculus '{Truncate(c)}'; known: ito (the default), stratonovich"),
                };
            }
            int paths = 1000;
            if (fields.TryGetValue("paths", out JsonElement pe))
            {
                double v = ReadNumber(pe, "paths");
                if (v != Math.Floor(v) || v < 2) throw Error("paths", $"must be an integer of at least 2 (the number of sample paths; the variance needs two), not {Format(v)}");
                if (v > MaxSdePaths) throw Error("paths", $"is {Format(v)}; at most {MaxSdePaths:N0} paths are supported");
                paths = (int)v;
            }
            // The ensemble keeps every path's final state for the quantiles.
            if ((long)paths * n > int.MaxValue)
                throw Error("paths", $"is {paths:N0}: with {Count(n, "component")} the final states ({(long)paths * n:N0} numbers) would not fit in memory; use fewer paths");
            ulong seed = 0;
            if (fields.TryGetValue("seed", out JsonElement se))
            {
                double v = ReadNumber(se, "seed");
                if (v != Math.Floor(v) || v < 0 || v > MaxSdeSeed)
                    throw Error("seed", $"must be a whole number from 0 to 2^53 = {MaxSdeSeed:0}, not {Format(v)}");
                seed = (ulong)v;
            }
            (Dictionary<string, double> parameters, Dictionary<string, IReadOnlyList<double>> data) = ReadConstants(fields);
            SdeReference? reference = fields.TryGetValue("reference", out JsonElement r) ? ReadSdeReference(r, t1, state) : null;

            ExpressionContext context = Context(state, time: true, parameters, data);
            CompiledVectorFunction f = CompileVector(drift, context, "drift");
            CompiledVectorFunction g;
            try
            {
                g = ExpressionCompiler.CompileVector(diffusion, context);
            }
            catch (ExpressionException e)
            {
                throw Error(e.ElementIndex is int i ? diffusionPath(i) : "diffusion", e.Reason, e.Column);
            }
            if (noise == SdeNoise.Additive) RequireNoState(diffusion, g, diffusionPath, parameters, data);
            if (noise == SdeNoise.Diagonal) RequireOwnComponent(g, diffusionPath, state);

            Lazy<CompiledScalarFunction>? diagonalSum = null;
            if (!matrix)
            {
                // Σᵢ gᵢ: its gradient is the diagonal derivative (see SdeProblemFile). Built from the strings that just
                // compiled, so it compiles too; the limits grow with the number of terms.
                string sum = string.Join(" + ", diffusion.Select(x => $"({x})"));
                var limits = new ExpressionLimits
                {
                    MaxLength = int.MaxValue,
                    MaxNodes = (int)Math.Min(int.MaxValue, (long)ExpressionLimits.Default.MaxNodes * n),
                    MaxDepth = ExpressionLimits.Default.MaxDepth + 1,
                };
                diagonalSum = new Lazy<CompiledScalarFunction>(() => ExpressionCompiler.CompileScalar(sum, context, limits));
            }
            var problem = new SdeProblemFile(file, name, parameters, data, state, f, g, noise, matrix ? m : null, calculus, y0, t0, t1,
                paths, seed, reference, diagonalSum);
            if (noise == SdeNoise.Commutative) RequireCommutingColumns(problem, diffusionPath);
            return problem;
        }

        /// <summary>The diffusion expressions, flattened row-major, and the JSON path of flat entry i. Diagonal layout: an
        /// array of d expressions. Matrix layout: d rows of m expressions, or one flat array of d·m expressions.</summary>
        private (string[] Expressions, Func<int, string> Path) ReadDiffusion(JsonElement e, int n, int m, string noise, VariableLayout state)
        {
            if (e.ValueKind != JsonValueKind.Array)
                throw Error("diffusion", $"must be an array of expressions{(m > 0 ? $" or {n} rows of {m}" : "")}, not {Describe(e)}");
            bool rows = e.GetArrayLength() > 0 && e.EnumerateArray().Any(x => x.ValueKind == JsonValueKind.Array);
            if (m == 0)
            {
                if (rows)
                    throw Error("diffusion", noise == "additive"
                        ? "is an array of rows (a matrix); additive noise with a matrix needs \"noise_dim\": m, the number of Wiener processes"
                        : $"is an array of rows (a matrix) but {noise} noise has one expression g_i per component; for a matrix use \"noise\": \"general\" (or \"commutative\") with \"noise_dim\"");
                string[] diagonal = ReadExpressions(e, "diffusion");
                if (diagonal.Length != n)
                    throw Error("diffusion", $"has {Count(diagonal.Length, "expression")} but the state has {Count(n, "component")} ({Names(state)}); {noise} noise has one expression g_i per component");
                return (diagonal, i => $"diffusion[{i}]");
            }
            if (!rows)
            {
                string[] flat = ReadExpressions(e, "diffusion");
                if (flat.Length != n * m)
                    throw Error("diffusion", $"has {Count(flat.Length, "expression")} but {noise} noise with noise_dim {m} needs {n} rows of {m} (an array of {n} arrays, or {n * m} expressions row by row)");
                return (flat, i => $"diffusion[{i}]");
            }
            if (e.GetArrayLength() != n)
                throw Error("diffusion", $"has {Count(e.GetArrayLength(), "row")} but the state has {Count(n, "component")} ({Names(state)}); give one row of {m} expressions per component");
            var all = new string[n * m];
            int k = 0;
            foreach (JsonElement row in e.EnumerateArray())
            {
                string path = $"diffusion[{k}]";
                if (row.ValueKind != JsonValueKind.Array) throw Error(path, $"must be a row (an array of {m} expressions), not {Describe(row)}");
                string[] items = ReadExpressions(row, path);
                if (items.Length != m)
                    throw Error(path, $"has {Count(items.Length, "expression")} but noise_dim is {m}; each row has one expression per Wiener process");
                items.CopyTo(all, k * m);
                k++;
            }
            return (all, i => $"diffusion[{i / m}][{i % m}]");
        }

        private SdeReference ReadSdeReference(JsonElement r, double t1, VariableLayout state)
        {
            int n = state.Dimension;
            Dictionary<string, JsonElement> rf = Fields(r, "reference", ["t", "mean", "variance"], "an sde reference");
            Require(rf, "reference", ["t", "mean"], "reference.");
            double rt = ReadNumber(rf["t"], "reference.t");
            if (rt != t1)
                throw Error("reference.t", $"is {Format(rt)} but t1 is {Format(t1)}; the reference is compared with the statistics of the final state, so its t must be t1");
            double[] mean = ReadNumbers(rf["mean"], "reference.mean");
            if (mean.Length != n) throw Error("reference.mean", $"has {Count(mean.Length, "number")} but the state has {Count(n, "component")} ({Names(state)})");
            double[]? variance = null;
            if (rf.TryGetValue("variance", out JsonElement ve))
            {
                variance = ReadNumbers(ve, "reference.variance");
                if (variance.Length != n) throw Error("reference.variance", $"has {Count(variance.Length, "number")} but the state has {Count(n, "component")} ({Names(state)})");
                for (int i = 0; i < n; i++)
                    if (variance[i] < 0) throw Error($"reference.variance[{i}]", $"is {Format(variance[i])}; a variance is 0 or more");
            }
            return new SdeReference(rt, mean, variance);
        }

        /// <summary>Additive noise: G may depend on t, parameters and data, never on the state. The structure of the
        /// compiled expressions says which entries use the state; recompiling such an entry without the state variables
        /// finds the position of the first use.</summary>
        private void RequireNoState(string[] diffusion, CompiledVectorFunction g, Func<int, string> path,
            Dictionary<string, double> parameters, Dictionary<string, IReadOnlyList<double>> data)
        {
            SparsityPattern uses = g.JacobianSparsity;
            for (int i = 0; i < diffusion.Length; i++)
            {
                if (uses.RowColumns(i).IsEmpty) continue;
                var noState = new ExpressionContext();
                noState.AddTime("t");
                foreach ((string name, double value) in parameters) noState.AddParameter(name, value);
                foreach ((string name, IReadOnlyList<double> values) in data) noState.AddData(name, values);
                try
                {
                    ExpressionCompiler.CompileScalar(diffusion[i], noState);
                }
                catch (ExpressionException e)
                {
                    string used = NameAt(diffusion[i], e.Column);
                    throw Error(path(i), $"additive noise may depend on t, parameters and data only, but this expression uses the state{(used.Length > 0 ? $" ('{used}')" : "")} at column {e.Column}; for state-dependent noise use \"noise\": \"diagonal\" or \"general\"", e.Column);
                }
                // Otherwise the structure was conservative (an index over a range): the expression does not use the state.
            }
        }

        private static string NameAt(string expression, int column)
        {
            int start = column - 1, end = start;
            if (start < 0 || start >= expression.Length) return "";
            while (end < expression.Length && (char.IsLetterOrDigit(expression[end]) || expression[end] == '_')) end++;
            return expression[start..end];
        }

        /// <summary>Diagonal noise: gᵢ is driven by Wᵢ alone and depends on t and its own component yᵢ only (what
        /// Milstein's diagonal form and the commutativity of the noise rely on).</summary>
        private void RequireOwnComponent(CompiledVectorFunction g, Func<int, string> path, VariableLayout state)
        {
            SparsityPattern uses = g.JacobianSparsity;
            for (int i = 0; i < uses.Rows; i++)
            {
                foreach (int j in uses.RowColumns(i))
                {
                    if (j == i) continue;
                    throw Error(path(i), $"uses {state.ComponentName(j)}, but with diagonal noise g_i may depend on t and its own component ({state.ComponentName(i)}) only; for noise that couples components use \"noise\": \"general\" with \"noise_dim\" and a matrix of rows");
                }
            }
        }

        /// <summary>Declared commutative noise: checks <c>Lⁱgⱼ = Lʲgᵢ</c> (<c>Lⁱ = Σₗ G_li ∂/∂y_l</c>) at (t0, y0) with the
        /// exact derivative — a sanity check of the user's claim at one point, not a proof.</summary>
        private void RequireCommutingColumns(SdeProblemFile problem, Func<int, string> path)
        {
            SdeProblem p = problem.Problem;
            int d = p.Dimension, m = p.NoiseDimension;
            if ((long)d * m * d > 4_000_000) return;
            var y = problem.InitialState.ToArray();
            var g = new double[d * m];
            var dg = new double[d * m * d];
            p.Diffusion(p.T0, y, g);
            p.DiffusionDerivative!(p.T0, y, dg);
            for (int i = 0; i < m; i++)
                for (int j = i + 1; j < m; j++)
                    for (int k = 0; k < d; k++)
                    {
                        double a = 0, b = 0, scale = 0;
                        for (int l = 0; l < d; l++)
                        {
                            double u = g[l * m + i] * dg[(k * m + j) * d + l], v = g[l * m + j] * dg[(k * m + i) * d + l];
                            a += u;
                            b += v;
                            scale += Math.Abs(u) + Math.Abs(v);
                        }
                        if (Math.Abs(a - b) > 1e-10 * scale && double.IsFinite(a) && double.IsFinite(b))
                            throw Error("noise", $"is \"commutative\" but the columns of the diffusion do not commute at (t0, y0): component {problem.State.ComponentName(k)} of L^{i + 1} g_{j + 1} is {Format(a)} but of L^{j + 1} g_{i + 1} is {Format(b)} (L^i = sum_l G_li d/dy_l; see {path(k * m + j)}); use \"noise\": \"general\"");
                    }
        }
    }
}
