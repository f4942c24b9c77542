using System.Globalization;

namespace Ordo.Expressions.Tests;

/// <summary>
/// Random well-formed expression trees over the scalar variables x and y, the parameter p and the indices of sums and
/// products; printed with full parentheses for the compiler, and evaluated directly in C# as the reference, with the
/// same double operations the language promises (so values can be compared bitwise). The evaluation also records the path it took
/// through every piecewise choice (if, abs, sign, min, max), so that a caller can tell whether a neighbourhood of a
/// point is smooth.
/// </summary>
internal abstract class RandomExpression
{
    public abstract string Print();

    public abstract double Evaluate(Environment env);

    /// <summary>Where the reference is evaluated: the variables, the parameter, the sum indices in scope, and the trace
    /// of piecewise choices.</summary>
    internal sealed class Environment(double x, double y, double p)
    {
        public double X { get; } = x;
        public double Y { get; } = y;
        public double P { get; } = p;
        public Dictionary<string, int> Indices { get; } = [];
        public List<int> Path { get; } = [];
    }

    public static double Evaluate(RandomExpression e, double x, double y, double p, out List<int> path)
    {
        var env = new Environment(x, y, p);
        double value = e.Evaluate(env);
        path = env.Path;
        return value;
    }

    private static string Number(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    // -------------------------------------------------------------------------------------------- nodes

    private sealed class Num(double value) : RandomExpression
    {
        public override string Print() => Number(value);
        public override double Evaluate(Environment env) => value;
    }

    private sealed class Var(string name) : RandomExpression
    {
        public override string Print() => name;
        public override double Evaluate(Environment env) => name switch
        {
            "x" => env.X,
            "y" => env.Y,
            "p" => env.P,
            _ => env.Indices[name],
        };
    }

    private sealed class Neg(RandomExpression a) : RandomExpression
    {
        public override string Print() => $"(-{a.Print()})";
        public override double Evaluate(Environment env) => -a.Evaluate(env);
    }

    private sealed class Bin(char op, RandomExpression a, RandomExpression b) : RandomExpression
    {
        public override string Print() => $"({a.Print()}{op}{b.Print()})";
        public override double Evaluate(Environment env)
        {
            double u = a.Evaluate(env), v = b.Evaluate(env);
            return op switch { '+' => u + v, '-' => u - v, '*' => u * v, _ => u / v };
        }
    }

    /// <summary>a^k with a small integer k.</summary>
    private sealed class Pow(RandomExpression a, int k) : RandomExpression
    {
        public override string Print() => $"({a.Print()}^{k})";
        public override double Evaluate(Environment env) => PowConstant(a.Evaluate(env), k);
    }

    /// <summary>a^b for a constant exponent as docs/problem-files.md specifies it: the exponents 1, 2, 3, 4, ±0.5, ±1.5,
    /// −1, −2 by multiplication and square roots (a·a, a·a·a, (a·a)·(a·a), √a, a·√a, 1/a, 1/(a·a), 1/√a, 1/(a·√a)),
    /// pow otherwise.</summary>
    internal static double PowConstant(double a, double b) => b switch
    {
        1 => a,
        2 => a * a,
        3 => a * a * a,
        4 => a * a * (a * a),
        0.5 => Math.Sqrt(a),
        1.5 => a * Math.Sqrt(a),
        -1 => 1 / a,
        -2 => 1 / (a * a),
        -0.5 => 1 / Math.Sqrt(a),
        -1.5 => 1 / (a * Math.Sqrt(a)),
        _ => Math.Pow(a, b),
    };

    private sealed class Call(string name, RandomExpression[] args) : RandomExpression
    {
        public override string Print() => $"{name}({string.Join(", ", args.Select(a => a.Print()))})";

        public override double Evaluate(Environment env)
        {
            double[] v = args.Select(a => a.Evaluate(env)).ToArray();
            switch (name)
            {
                case "sin": return Math.Sin(v[0]);
                case "cos": return Math.Cos(v[0]);
                case "exp": return Math.Exp(v[0]);
                case "log": return Math.Log(v[0]);
                case "sqrt": return Math.Sqrt(v[0]);
                case "tanh": return Math.Tanh(v[0]);
                case "atan": return Math.Atan(v[0]);
                case "atan2": return Math.Atan2(v[0], v[1]);
                case "pow": return PowConstant(v[0], v[1]);   // the exponent is always a literal here
                case "abs":
                    env.Path.Add(Math.Sign(double.IsNaN(v[0]) ? 0 : v[0]));
                    return Math.Abs(v[0]);
                case "sign":
                {
                    double s = v[0] > 0 ? 1 : v[0] < 0 ? -1 : v[0] == 0 ? 0 : double.NaN;
                    env.Path.Add(double.IsNaN(s) ? 2 : (int)s);
                    return s;
                }
                case "min":
                case "max":
                {
                    // The first argument wins ties; a NaN, once met, wins.
                    int best = 0;
                    for (int i = 1; i < v.Length; i++)
                    {
                        if (double.IsNaN(v[best])) break;
                        if (double.IsNaN(v[i]) || (name == "min" ? v[i] < v[best] : v[i] > v[best])) best = i;
                    }
                    env.Path.Add(best);
                    return v[best];
                }
                default: throw new InvalidOperationException(name);
            }
        }
    }

    private sealed class If(Condition condition, RandomExpression a, RandomExpression b) : RandomExpression
    {
        public override string Print() => $"if({condition.Print()}, {a.Print()}, {b.Print()})";
        public override double Evaluate(Environment env)
        {
            bool c = condition.Evaluate(env);
            env.Path.Add(c ? 1 : 0);
            return c ? a.Evaluate(env) : b.Evaluate(env);
        }
    }

    private sealed class Reduction(bool isProduct, string index, int from, int to, RandomExpression body) : RandomExpression
    {
        public override string Print() => $"{(isProduct ? "prod" : "sum")}({index}, {from}, {to}, {body.Print()})";
        public override double Evaluate(Environment env)
        {
            double acc = isProduct ? 1 : 0;
            for (int i = from; i <= to; i++)
            {
                env.Indices[index] = i;
                double term = body.Evaluate(env);
                acc = isProduct ? acc * term : acc + term;
            }
            env.Indices.Remove(index);
            return acc;
        }
    }

    internal abstract class Condition
    {
        public abstract string Print();
        public abstract bool Evaluate(Environment env);
    }

    private sealed class Compare(string op, RandomExpression a, RandomExpression b) : Condition
    {
        public override string Print() => $"({a.Print()} {op} {b.Print()})";
        public override bool Evaluate(Environment env)
        {
            double u = a.Evaluate(env), v = b.Evaluate(env);
            return op switch { "<" => u < v, "<=" => u <= v, ">" => u > v, ">=" => u >= v, "==" => u == v, _ => u != v };
        }
    }

    private sealed class Logical(bool isAnd, Condition a, Condition b) : Condition
    {
        public override string Print() => $"({a.Print()} {(isAnd ? "and" : "or")} {b.Print()})";
        // Short-circuit, as the language does (the right side's path entries appear only when it is evaluated).
        public override bool Evaluate(Environment env) => isAnd ? a.Evaluate(env) && b.Evaluate(env) : a.Evaluate(env) || b.Evaluate(env);
    }

    // -------------------------------------------------------------------------------------------- generator

    private static readonly string[] s_unary = ["sin", "cos", "exp", "log", "sqrt", "tanh", "atan", "abs", "sign"];
    private static readonly string[] s_compare = ["<", "<=", ">", ">=", "==", "!="];
    private static readonly double[] s_numbers = [0, 1, 2, 0.5, 3, 0.1, 1e-3, 2.5e3, 7.25];

    public static RandomExpression Generate(Random rng, int depth) => Generate(rng, depth, []);

    private static RandomExpression Generate(Random rng, int depth, List<string> indices)
    {
        if (depth <= 0 || rng.NextDouble() < 0.2) return Leaf(rng, indices);
        int d = depth - 1;
        switch (rng.Next(13))
        {
            case 0: return new Neg(Generate(rng, d, indices));
            case 1: case 2: case 3: case 4:
                return new Bin("+-*/"[rng.Next(4)], Generate(rng, d, indices), Generate(rng, d, indices));
            case 5: return new Pow(Generate(rng, d, indices), rng.Next(-2, 4));
            case 6: case 7:
                return new Call(s_unary[rng.Next(s_unary.Length)], [Generate(rng, d, indices)]);
            case 8:
                return rng.Next(3) switch
                {
                    0 => new Call("atan2", [Generate(rng, d, indices), Generate(rng, d, indices)]),
                    1 => new Call("pow", [Generate(rng, d, indices), new Num(rng.Next(0, 4))]),
                    _ => new Call(rng.Next(2) == 0 ? "min" : "max",
                        Enumerable.Range(0, rng.Next(2, 5)).Select(_ => Generate(rng, d, indices)).ToArray()),
                };
            case 9: case 10:
                return new If(GenerateCondition(rng, Math.Min(d, 2), indices), Generate(rng, d, indices), Generate(rng, d, indices));
            default:
            {
                if (indices.Count >= 2) return Generate(rng, d, indices);
                string index = indices.Count == 0 ? "k" : "m";
                int from = rng.Next(-1, 3), to = from + rng.Next(-1, 4);
                indices.Add(index);
                RandomExpression body = Generate(rng, Math.Min(d, 2), indices);
                indices.RemoveAt(indices.Count - 1);
                return new Reduction(rng.Next(3) == 0, index, from, to, body);
            }
        }
    }

    private static Condition GenerateCondition(Random rng, int depth, List<string> indices)
    {
        if (depth > 0 && rng.NextDouble() < 0.3)
            return new Logical(rng.Next(2) == 0, GenerateCondition(rng, depth - 1, indices), GenerateCondition(rng, depth - 1, indices));
        return new Compare(s_compare[rng.Next(s_compare.Length)], Generate(rng, depth, indices), Generate(rng, depth, indices));
    }

    private static RandomExpression Leaf(Random rng, List<string> indices)
    {
        int choice = rng.Next(indices.Count == 0 ? 6 : 8);
        return choice switch
        {
            0 or 1 => new Var("x"),
            2 or 3 => new Var("y"),
            4 => new Var("p"),
            5 => new Num(rng.Next(2) == 0 ? s_numbers[rng.Next(s_numbers.Length)] : Math.Round(rng.NextDouble() * 5, 3)),
            _ => new Var(indices[rng.Next(indices.Count)]),
        };
    }
}
