using System.Globalization;
using System.Text;
using System.Text.Json;
using Ordo.Expressions;

namespace Ordo.Problems.ProblemFiles;

/// <summary>
/// Reads problem files (docs/problem-files.md; contract ../shared/spec/problem-files-and-cli.md): parses the JSON,
/// validates every field (types, lengths, finite numbers, names that are valid and do not clash), compiles the
/// expressions, and returns an <see cref="OdeProblemFile"/>, <see cref="SdeProblemFile"/>, <see cref="MinimizeProblemFile"/>,
/// <see cref="LeastSquaresProblemFile"/> or <see cref="FlowProblemFile"/>. Anything wrong is a <see cref="ProblemFileException"/> whose one-line message
/// names the file, the JSON field and, for an expression, the column.
/// </summary>
/// <remarks>
/// Beyond the contract, and only adding to it: a field whose name starts with <c>_</c> is ignored anywhere (a comment,
/// e.g. <c>"_source"</c> in a reference); an expression may also be written as a JSON number. Any other field that the
/// kind does not define is an error (it is usually a typo).
/// </remarks>
public static partial class ProblemFileReader
{
    private static readonly string[] s_common = ["kind", "name", "parameters", "data", "reference"];
    private static readonly string[] s_ode = ["state", "rhs", "y0", "t0", "t1"];
    private static readonly string[] s_minimize = ["variables", "objective", "x0", "lower", "upper"];
    private static readonly string[] s_leastSquares = ["variables", "residuals", "x0", "lower", "upper"];

    /// <summary>Largest vector variable <c>{"y": n}</c> accepted.</summary>
    public const int MaxDimension = 100_000_000;

    /// <summary>Reads, validates and compiles the problem file at <paramref name="path"/>.</summary>
    /// <exception cref="ProblemFileException">The file cannot be read or is not a valid problem file.</exception>
    public static ProblemFile Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] bytes;
        try
        {
            if (Directory.Exists(path)) throw new ProblemFileException(path, null, "is a folder, not a problem file");
            bytes = System.IO.File.ReadAllBytes(path);
        }
        catch (FileNotFoundException e)
        {
            throw new ProblemFileException(path, null, "no such file", inner: e);
        }
        catch (DirectoryNotFoundException e)
        {
            throw new ProblemFileException(path, null, "no such file (its folder does not exist)", inner: e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new ProblemFileException(path, null, "cannot read the file: permission denied", inner: e);
        }
        catch (IOException e)
        {
            throw new ProblemFileException(path, null, $"cannot read the file: {e.Message}", inner: e);
        }
        catch (ArgumentException e)
        {
            throw new ProblemFileException(path, null, "is not a valid file name", inner: e);
        }
        return Parse(bytes, path);
    }

    /// <summary>Validates and compiles a problem file given as text; <paramref name="file"/> names it in messages.</summary>
    /// <exception cref="ProblemFileException">The text is not a valid problem file.</exception>
    public static ProblemFile Parse(string json, string file)
    {
        ArgumentNullException.ThrowIfNull(json);
        return Parse(Encoding.UTF8.GetBytes(json), file);
    }

    /// <summary>Validates and compiles a problem file given as UTF-8 bytes; <paramref name="file"/> names it in messages.</summary>
    /// <exception cref="ProblemFileException">The bytes are not a valid problem file.</exception>
    public static ProblemFile Parse(ReadOnlySpan<byte> utf8Json, string file)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (utf8Json.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) utf8Json = utf8Json[3..];
        if (utf8Json.Trim(" \t\r\n"u8).IsEmpty)
            throw new ProblemFileException(file, null, "is empty; a problem file is a JSON object with a \"kind\" field");
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 64 });
            document = JsonDocument.ParseValue(ref reader);
            // ParseValue stops after the first value; anything after it is an error in a file.
            if (reader.Read()) throw new ProblemFileException(file, null, Position(utf8Json, reader.TokenStartIndex) + ": unexpected content after the top-level object");
        }
        catch (JsonException e)
        {
            throw JsonSyntaxError(file, utf8Json, e);
        }
        using (document)
        {
            return new Loader(file).Load(document.RootElement);
        }
    }

    private static ProblemFileException JsonSyntaxError(string file, ReadOnlySpan<byte> utf8, JsonException e)
    {
        string message = e.Message;
        int cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (cut < 0) cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        if (cut >= 0) message = message[..cut];
        message = message.Trim().TrimEnd('.');
        if (message.Length > 0) message = char.ToLowerInvariant(message[0]) + message[1..];
        int line = (int)(e.LineNumber ?? 0) + 1;
        long bytePosition = e.BytePositionInLine ?? 0;
        // Utf8JsonReader counts bytes; turn it into a character column on that line.
        int start = 0;
        for (int l = 1; l < line && start < utf8.Length; start++)
        {
            if (utf8[start] == (byte)'\n') l++;
        }
        int length = (int)Math.Clamp(bytePosition, 0, Math.Max(0, utf8.Length - start));
        int column = Encoding.UTF8.GetCharCount(utf8.Slice(start, length)) + 1;
        return new ProblemFileException(file, null, $"not valid JSON at line {line}, column {column}: {message}", line: line, inner: e);
    }

    private static string Position(ReadOnlySpan<byte> utf8, long index)
    {
        int line = 1, start = 0;
        for (int i = 0; i < index && i < utf8.Length; i++)
        {
            if (utf8[i] != (byte)'\n') continue;
            line++;
            start = i + 1;
        }
        int column = Encoding.UTF8.GetCharCount(utf8[start..(int)Math.Min(index, utf8.Length)]) + 1;
        return $"not valid JSON at line {line}, column {column}";
    }


    /// <summary>Reads one document; holds the file name for messages and the names declared so far.</summary>
    private sealed partial class Loader(string file)
    {
        private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);

        private ProblemFileException Error(string? field, string detail, int column = 0) => new(file, field, detail, column);

        public ProblemFile Load(JsonElement root)
        {
            if (root.ValueKind != JsonValueKind.Object)
                throw Error(null, $"the top level must be a JSON object with a \"kind\" field, not {Describe(root)}");
            if (!root.TryGetProperty("kind", out JsonElement kindElement))
                throw Error("kind", $"missing; a problem file says what it is with \"kind\": one of {string.Join(", ", ProblemKinds.All)}");
            string kind = ReadString(kindElement, "kind");
            string[] own = kind switch
            {
                ProblemKinds.Ode => s_ode,
                ProblemKinds.Minimize => s_minimize,
                ProblemKinds.LeastSquares => s_leastSquares,
                ProblemKinds.Flow => s_flow,
                ProblemKinds.Sde => s_sde,
                _ => throw Error("kind", $"unknown kind '{kind}'; known kinds: {string.Join(", ", ProblemKinds.All)}"),
            };
            // A flow file has no expressions, so none of parameters, data, reference (its exact answers come from the model).
            string[] known = kind == ProblemKinds.Flow ? ["kind", "name", .. own] : [.. s_common, .. own];
            Dictionary<string, JsonElement> fields = Fields(root, null, known, $"a{(kind is ProblemKinds.Ode or ProblemKinds.Sde ? "n" : "")} {kind} problem");
            string? name = fields.TryGetValue("name", out JsonElement n) ? ReadString(n, "name") : null;
            return kind switch
            {
                ProblemKinds.Ode => LoadOde(fields, name),
                ProblemKinds.Sde => LoadSde(fields, name),
                ProblemKinds.Flow => LoadFlow(fields, name),
                _ => LoadOptimization(kind, fields, name),
            };
        }

        // ------------------------------------------------------------------------------------------- kinds

        private OdeProblemFile LoadOde(Dictionary<string, JsonElement> fields, string? name)
        {
            Require(fields, "ode", s_ode);
            (VariableLayout state, string[] rhs, double[] y0, double t0, double t1) = ReadInitialValues(fields, "ODE", "rhs");
            int n = state.Dimension;
            if (t0 == t1) throw Error("t1", $"equals t0 (both {Format(t0)}): the integration interval is empty");
            (Dictionary<string, double> parameters, Dictionary<string, IReadOnlyList<double>> data) = ReadConstants(fields);

            OdeReference? reference = null;
            if (fields.TryGetValue("reference", out JsonElement r))
            {
                Dictionary<string, JsonElement> rf = Fields(r, "reference", ["t", "y"], "an ode reference");
                Require(rf, "reference", ["t", "y"], "reference.");
                double rt = ReadNumber(rf["t"], "reference.t");
                if (rt != t1)
                    throw Error("reference.t", $"is {Format(rt)} but t1 is {Format(t1)}; the reference is compared with the final state, so its t must be t1");
                double[] ry = ReadNumbers(rf["y"], "reference.y");
                if (ry.Length != n) throw Error("reference.y", $"has {Count(ry.Length, "number")} but the state has {Count(n, "component")} ({Names(state)})");
                reference = new OdeReference(rt, ry);
            }

            ExpressionContext context = Context(state, time: true, parameters, data);
            CompiledVectorFunction f = CompileVector(rhs, context, "rhs");
            return new OdeProblemFile(file, name, parameters, data, state, f, y0, t0, t1, reference);
        }

        private OptimizationProblemFile LoadOptimization(string kind, Dictionary<string, JsonElement> fields, string? name)
        {
            bool leastSquares = kind == ProblemKinds.LeastSquares;
            Require(fields, kind, leastSquares ? ["variables", "residuals", "x0"] : ["variables", "objective", "x0"]);
            VariableLayout variables = ReadLayout(fields["variables"], "variables", "variable");
            int n = variables.Dimension;
            string? objective = leastSquares ? null : ReadExpression(fields["objective"], "objective");
            string[]? residuals = leastSquares ? ReadExpressions(fields["residuals"], "residuals") : null;
            double[] x0 = ReadNumbers(fields["x0"], "x0");
            if (x0.Length != n) throw Error("x0", $"has {Count(x0.Length, "number")} but there {(n == 1 ? "is" : "are")} {Count(n, "variable")} ({Names(variables)})");
            double[]? lower = fields.TryGetValue("lower", out JsonElement lo) ? ReadBounds(lo, "lower", n, double.NegativeInfinity, variables) : null;
            double[]? upper = fields.TryGetValue("upper", out JsonElement up) ? ReadBounds(up, "upper", n, double.PositiveInfinity, variables) : null;
            for (int i = 0; i < n; i++)
            {
                double l = lower?[i] ?? double.NegativeInfinity, u = upper?[i] ?? double.PositiveInfinity;
                if (l > u) throw Error($"upper[{i}]", $"is {Format(u)} but lower[{i}] is {Format(l)}: the bounds of {variables.ComponentName(i)} are empty");
                if (x0[i] < l) throw Error($"x0[{i}]", $"is {Format(x0[i])}, below lower[{i}] = {Format(l)}; x0 must lie within the bounds");
                if (x0[i] > u) throw Error($"x0[{i}]", $"is {Format(x0[i])}, above upper[{i}] = {Format(u)}; x0 must lie within the bounds");
            }
            (Dictionary<string, double> parameters, Dictionary<string, IReadOnlyList<double>> data) = ReadConstants(fields);

            OptimizationReference? reference = null;
            if (fields.TryGetValue("reference", out JsonElement r))
            {
                Dictionary<string, JsonElement> rf = Fields(r, "reference", ["f", "x"], $"a {kind} reference");
                Require(rf, "reference", ["f"], "reference.");
                double rfValue = ReadNumber(rf["f"], "reference.f");
                double[]? rx = null;
                if (rf.TryGetValue("x", out JsonElement xe))
                {
                    rx = ReadNumbers(xe, "reference.x");
                    if (rx.Length != n) throw Error("reference.x", $"has {Count(rx.Length, "number")} but there {(n == 1 ? "is" : "are")} {Count(n, "variable")} ({Names(variables)})");
                }
                reference = new OptimizationReference(rfValue, rx);
            }

            ExpressionContext context = Context(variables, time: false, parameters, data);
            if (leastSquares)
            {
                CompiledVectorFunction rfun = CompileVector(residuals!, context, "residuals");
                return new LeastSquaresProblemFile(file, name, parameters, data, variables, rfun, x0, lower, upper, reference);
            }
            CompiledScalarFunction ffun;
            try
            {
                ffun = ExpressionCompiler.CompileScalar(objective!, context);
            }
            catch (ExpressionException e)
            {
                throw Error("objective", e.Reason, e.Column);
            }
            return new MinimizeProblemFile(file, name, parameters, data, variables, ffun, x0, lower, upper, reference);
        }

        // ------------------------------------------------------------------------------------------- pieces

        /// <summary>The fields an ODE and an SDE share: the state (with <c>t</c> claimed as the time), one expression of
        /// <paramref name="field"/> per component, y0 of the same length, t0 and t1.</summary>
        private (VariableLayout State, string[] Expressions, double[] Y0, double T0, double T1) ReadInitialValues(
            Dictionary<string, JsonElement> fields, string what, string field)
        {
            Claim("t", $"the time variable of an {what}", "state");
            VariableLayout state = ReadLayout(fields["state"], "state", "state variable");
            string[] expressions = ReadExpressions(fields[field], field);
            int n = state.Dimension;
            if (expressions.Length != n)
                throw Error(field, $"has {Count(expressions.Length, "expression")} but the state has {Count(n, "component")} ({Names(state)}); give one expression per component, in order");
            double[] y0 = ReadNumbers(fields["y0"], "y0");
            if (y0.Length != n) throw Error("y0", $"has {Count(y0.Length, "number")} but the state has {Count(n, "component")} ({Names(state)})");
            return (state, expressions, y0, ReadNumber(fields["t0"], "t0"), ReadNumber(fields["t1"], "t1"));
        }

        private CompiledVectorFunction CompileVector(string[] expressions, ExpressionContext context, string field)
        {
            try
            {
                return ExpressionCompiler.CompileVector(expressions, context);
            }
            catch (ExpressionException e)
            {
                throw Error(e.ElementIndex is int i ? $"{field}[{i}]" : field, e.Reason, e.Column);
            }
        }

        private static ExpressionContext Context(VariableLayout layout, bool time, Dictionary<string, double> parameters,
            Dictionary<string, IReadOnlyList<double>> data)
        {
            var context = new ExpressionContext();
            layout.AddTo(context);
            if (time) context.AddTime("t");
            foreach ((string name, double value) in parameters) context.AddParameter(name, value);
            foreach ((string name, IReadOnlyList<double> values) in data) context.AddData(name, values);
            return context;
        }

        private (Dictionary<string, double>, Dictionary<string, IReadOnlyList<double>>) ReadConstants(Dictionary<string, JsonElement> fields)
        {
            var parameters = new Dictionary<string, double>(StringComparer.Ordinal);
            if (fields.TryGetValue("parameters", out JsonElement p))
            {
                if (p.ValueKind != JsonValueKind.Object)
                    throw Error("parameters", $"must be an object of name: number pairs, e.g. {{\"g\": 9.81}}, not {Describe(p)}");
                foreach ((string name, JsonElement value) in Fields(p, "parameters", null, null))
                {
                    string path = $"parameters.{name}";
                    double v = ReadNumber(value, path);
                    Claim(name, $"a parameter ({path})", path);
                    parameters[name] = v;
                }
            }
            var data = new Dictionary<string, IReadOnlyList<double>>(StringComparer.Ordinal);
            if (fields.TryGetValue("data", out JsonElement d))
            {
                if (d.ValueKind != JsonValueKind.Object)
                    throw Error("data", $"must be an object of name: array-of-numbers pairs, e.g. {{\"tdata\": [0, 1, 2]}}, not {Describe(d)}");
                foreach ((string name, JsonElement value) in Fields(d, "data", null, null))
                {
                    string path = $"data.{name}";
                    double[] values = ReadNumbers(value, path);
                    if (values.Length == 0) throw Error(path, "is empty; a data array needs at least one number");
                    Claim(name, $"a data array ({path})", path);
                    data[name] = values;
                }
            }
            return (parameters, data);
        }

        private VariableLayout ReadLayout(JsonElement e, string field, string role)
        {
            if (e.ValueKind == JsonValueKind.Array)
            {
                int count = e.GetArrayLength();
                if (count == 0) throw Error(field, $"is empty; give at least one name, e.g. [\"x\", \"v\"], or {{\"y\": 20}} for a vector");
                var names = new string[count];
                int i = 0;
                foreach (JsonElement item in e.EnumerateArray())
                {
                    string path = $"{field}[{i}]";
                    if (item.ValueKind != JsonValueKind.String) throw Error(path, $"must be a name (a string), not {Describe(item)}");
                    names[i] = item.GetString()!;
                    Claim(names[i], $"a {role} ({path})", path);
                    i++;
                }
                return VariableLayout.Scalars(names);
            }
            if (e.ValueKind == JsonValueKind.Object)
            {
                Dictionary<string, JsonElement> entries = Fields(e, field, null, null);
                if (entries.Count != 1)
                    throw Error(field, $"as an object must have exactly one entry, the vector's name and length, e.g. {{\"y\": 20}}; it has {entries.Count}");
                (string name, JsonElement lengthElement) = entries.First();
                string path = $"{field}.{name}";
                double length = ReadNumber(lengthElement, path);
                if (length != Math.Floor(length) || length < 1)
                    throw Error(path, $"must be a positive integer (the number of components), not {Format(length)}");
                if (length > MaxDimension) throw Error(path, $"is {Format(length)}; at most {MaxDimension:N0} components are supported");
                Claim(name, $"the {role} vector ({field})", path);
                return VariableLayout.Vector(name, (int)length);
            }
            throw Error(field, $"must be an array of names, e.g. [\"x\", \"v\"], or {{\"y\": 20}} for one vector, not {Describe(e)}");
        }

        /// <summary>Registers <paramref name="name"/>: it must be a valid name of the expression language, not a
        /// reserved word, and not taken by another variable, parameter or data array.</summary>
        private void Claim(string name, string role, string path)
        {
            if (_names.TryGetValue(name, out string? taken)) throw Error(path, $"the name '{name}' is already {taken}");
            try
            {
                // The expression engine owns the rules for names (letters, digits, '_'; no reserved word).
                new ExpressionContext().AddParameter(name, 0);
            }
            catch (ArgumentException e)
            {
                throw Error(path, CleanArgumentMessage(e));
            }
            _names[name] = role;
        }

        private static string CleanArgumentMessage(ArgumentException e)
        {
            string message = e.Message;
            if (e.ParamName is not null) message = message.Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal);
            return message.Trim().TrimEnd('.');
        }

        private double[] ReadBounds(JsonElement e, string field, int n, double unbounded, VariableLayout variables)
        {
            if (e.ValueKind != JsonValueKind.Array)
                throw Error(field, $"must be an array of numbers (null for no bound), not {Describe(e)}");
            int count = e.GetArrayLength();
            if (count != n) throw Error(field, $"has {Count(count, "entry", "entries")} but there {(n == 1 ? "is" : "are")} {Count(n, "variable")} ({Names(variables)}); use null for no bound");
            var values = new double[n];
            int i = 0;
            foreach (JsonElement item in e.EnumerateArray())
            {
                values[i] = item.ValueKind == JsonValueKind.Null ? unbounded : ReadNumber(item, $"{field}[{i}]", " or null (no bound)");
                i++;
            }
            return values;
        }

        private string[] ReadExpressions(JsonElement e, string field)
        {
            if (e.ValueKind != JsonValueKind.Array)
                throw Error(field, $"must be an array of expressions (strings), not {Describe(e)}");
            if (e.GetArrayLength() == 0) throw Error(field, "is empty; give at least one expression");
            var result = new string[e.GetArrayLength()];
            int i = 0;
            foreach (JsonElement item in e.EnumerateArray())
            {
                result[i] = ReadExpression(item, $"{field}[{i}]");
                i++;
            }
            return result;
        }

        private string ReadExpression(JsonElement e, string path) => e.ValueKind switch
        {
            JsonValueKind.String => e.GetString()!,
            JsonValueKind.Number => e.GetRawText(),
            _ => throw Error(path, $"must be an expression (a string), not {Describe(e)}"),
        };

        private double[] ReadNumbers(JsonElement e, string field)
        {
            if (e.ValueKind != JsonValueKind.Array) throw Error(field, $"must be an array of numbers, not {Describe(e)}");
            var values = new double[e.GetArrayLength()];
            int i = 0;
            foreach (JsonElement item in e.EnumerateArray())
            {
                values[i] = ReadNumber(item, $"{field}[{i}]");
                i++;
            }
            return values;
        }

        private double ReadNumber(JsonElement e, string path, string alternatives = "")
        {
            if (e.ValueKind != JsonValueKind.Number) throw Error(path, $"must be a number{alternatives}, not {Describe(e)}");
            if (!e.TryGetDouble(out double value) || !double.IsFinite(value))
                throw Error(path, $"the number {e.GetRawText()} is outside the range of double precision");
            return value;
        }

        private string ReadString(JsonElement e, string path) =>
            e.ValueKind == JsonValueKind.String ? e.GetString()! : throw Error(path, $"must be a string, not {Describe(e)}");

        /// <summary>The properties of an object: no duplicates; fields starting with '_' are skipped; when
        /// <paramref name="known"/> is given, any other field is an error.</summary>
        private Dictionary<string, JsonElement> Fields(JsonElement e, string? field, string[]? known, string? what)
        {
            if (e.ValueKind != JsonValueKind.Object) throw Error(field, $"must be an object, not {Describe(e)}");
            var result = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (JsonProperty p in e.EnumerateObject())
            {
                string path = field is null ? p.Name : $"{field}.{p.Name}";
                if (known is not null && p.Name.StartsWith('_')) continue;
                if (result.ContainsKey(p.Name)) throw Error(path, "appears twice");
                if (known is not null && !known.Contains(p.Name))
                    throw Error(path, $"unknown field; {what} has {string.Join(", ", known)} (fields starting with '_' are comments)");
                result[p.Name] = p.Value;
            }
            return result;
        }

        private void Require(Dictionary<string, JsonElement> fields, string what, string[] required, string prefix = "")
        {
            foreach (string r in required)
            {
                if (!fields.ContainsKey(r))
                    throw Error(prefix + r, $"missing; {(prefix.Length > 0 ? "a reference" : $"a{(what is "ode" or "sde" ? "n" : "")} {what} problem")} needs {string.Join(", ", required)}");
            }
        }

        private static string Names(VariableLayout layout) =>
            layout.IsVector ? $"{layout.VectorName}[1..{layout.Dimension}]" : string.Join(", ", layout.Names.Take(6)) + (layout.Dimension > 6 ? ", …" : "");
    }

    private static string Count(int n, string singular, string? plural = null) =>
        $"{n} {(n == 1 ? singular : plural ?? singular + "s")}";

    private static string Format(double x) => x.ToString("R", CultureInfo.InvariantCulture);

    private static string Describe(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => $"a string (\"{Truncate(e.GetString()!)}\")",
        JsonValueKind.Number => $"a number ({Truncate(e.GetRawText())})",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Null => "null",
        _ => e.ValueKind.ToString(),
    };

    private static string Truncate(string s) => s.Length <= 40 ? s : s[..37] + "...";
}
