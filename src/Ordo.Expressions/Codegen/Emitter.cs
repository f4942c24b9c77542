using System.Linq.Expressions;
using Ordo.Expressions.Binding;
using Ordo.Expressions.Syntax;

namespace Ordo.Expressions.Codegen;

/// <summary>
/// Turns bound expressions into System.Linq.Expressions code (compiled once to IL by the runtime): the value, and
/// reverse-mode derivatives. Reverse mode is "recompute, don't tape": the forward pass keeps every intermediate value of
/// straight-line code in a local; a <c>sum</c>/<c>prod</c> is a loop whose terms are independent, so its backward
/// pass loops again, recomputes each term and propagates the adjoint into it. No memory is allocated per evaluation.
/// </summary>
internal sealed class Emitter
{
    private readonly NumberModel _m;
    private readonly Expression _x;         // nint: pointer to the variables
    private readonly Expression? _v;        // nint: pointer to the direction (Hessian–vector mode)
    private readonly Expression _t;         // double: time
    private readonly Dictionary<IndexVariable, ParameterExpression> _indices = [];

    private Emitter(NumberModel model, Expression x, Expression? v, Expression t)
    {
        _m = model;
        _x = x;
        _v = v;
        _t = t;
    }

    /// <summary>A declaration scope (the lambda body or a loop body) and the statements of one block in it.</summary>
    private sealed class Frame
    {
        public Frame(List<ParameterExpression> locals, Dictionary<BoundNode, Expression> values, Dictionary<BoundNode, ParameterExpression> which)
        {
            Locals = locals;
            Values = values;
            Which = which;
        }

        public List<ParameterExpression> Locals { get; }
        public List<Expression> Statements { get; } = [];
        public Dictionary<BoundNode, Expression> Values { get; }
        public Dictionary<BoundNode, ParameterExpression> Which { get; }

        public static Frame NewScope() => new([], [], []);

        /// <summary>Same scope (locals and recorded values), separate statement list: a branch of an if.</summary>
        public Frame Branch() => new(Locals, Values, Which);

        public ParameterExpression Local(Type type, string name)
        {
            ParameterExpression local = Expression.Variable(type, name);
            Locals.Add(local);
            return local;
        }

        public Expression Assign(Type type, Expression value, string name = "v")
        {
            if (value is ConstantExpression or ParameterExpression) return value;
            ParameterExpression local = Local(type, name);
            Statements.Add(Expression.Assign(local, value));
            return local;
        }

        public BlockExpression Block(params Expression[] tail) =>
            Expression.Block(typeof(void), Locals, Statements.Concat(tail).DefaultIfEmpty(Expression.Empty()));

        public Expression StatementsBlock() =>
            Statements.Count == 0 ? Expression.Empty() : Expression.Block(typeof(void), Statements);
    }

    // ------------------------------------------------------------------------------------------------ lambdas

    public static Func<double, nint, double> ScalarValue(BoundNode node)
    {
        var (t, x) = (Expression.Parameter(typeof(double), "t"), Expression.Parameter(typeof(nint), "x"));
        var e = new Emitter(NumberModel.Double, x, null, t);
        return Expression.Lambda<Func<double, nint, double>>(e.Value(node), "ordo_value", [t, x]).Compile();
    }

    /// <summary>(t, x, result) writing every output; large systems are split into several compiled methods (see
    /// <see cref="Chunks"/>), because the JIT stops optimising a method with thousands of locals.</summary>
    public static Action<double, nint, nint> VectorValue(IReadOnlyList<BoundNode> nodes)
    {
        var parts = new List<Action<double, nint, nint>>();
        foreach ((int start, int count) in Chunks(nodes, i => true))
        {
            var (t, x, r) = (Expression.Parameter(typeof(double), "t"), Expression.Parameter(typeof(nint), "x"), Expression.Parameter(typeof(nint), "result"));
            var e = new Emitter(NumberModel.Double, x, null, t);
            var statements = new List<Expression>();
            for (int i = start; i < start + count; i++)
                statements.Add(Expression.Call(typeof(Memory), nameof(Memory.Write), null, r, Expression.Constant(i), e.Value(nodes[i])));
            parts.Add(Expression.Lambda<Action<double, nint, nint>>(Expression.Block(typeof(void), statements), "ordo_vector", [t, x, r]).Compile());
        }
        return Combine(parts);
    }

    /// <summary>Splits outputs into consecutive groups of bounded size (about 2,000 syntax nodes each).</summary>
    private static IEnumerable<(int Start, int Count)> Chunks(IReadOnlyList<BoundNode> nodes, Func<int, bool> include)
    {
        const int budget = 2000;
        int start = 0, size = 0;
        for (int i = 0; i < nodes.Count; i++)
        {
            int cost = include(i) ? Size(nodes[i]) : 0;
            if (size > 0 && size + cost > budget)
            {
                yield return (start, i - start);
                start = i;
                size = 0;
            }
            size += cost;
        }
        if (nodes.Count > start) yield return (start, nodes.Count - start);
    }

    private static Action<double, nint, nint> Combine(List<Action<double, nint, nint>> parts) =>
        parts.Count == 1 ? parts[0] : (t, x, r) =>
        {
            foreach (Action<double, nint, nint> part in parts) part(t, x, r);
        };

    private static int Size(BoundNode node) => node switch
    {
        BoundNegate n => 1 + Size(n.Operand),
        BoundAdd n => 1 + n.Terms.Sum(Size),
        BoundMultiply n => 1 + n.Factors.Sum(Size),
        BoundPower n => 1 + Size(n.Base) + Size(n.Exponent),
        BoundCall n => 1 + n.Arguments.Sum(Size),
        BoundIf n => 1 + Size(n.WhenTrue) + Size(n.WhenFalse) + 4,
        BoundReduction n => 4 + Size(n.Body),
        _ => 1,
    };

    /// <summary>(t, x, g) ⇒ f, adding ∇f into g (which the caller zeroes).</summary>
    public static Func<double, nint, nint, double> ScalarGradient(BoundNode node)
    {
        var (t, x, g) = (Expression.Parameter(typeof(double), "t"), Expression.Parameter(typeof(nint), "x"), Expression.Parameter(typeof(nint), "g"));
        var e = new Emitter(NumberModel.Double, x, null, t);
        Frame f = Frame.NewScope();
        Expression value = e.Forward(node, f);
        value = f.Assign(typeof(double), value, "f");
        e.Backward(node, Expression.Constant(1.0), f, new Accumulator(g, 0, tangentOnly: false));
        LabelTarget ret = Expression.Label(typeof(double));
        BlockExpression body = Expression.Block(typeof(double), f.Locals,
            f.Statements.Append(Expression.Return(ret, value)).Append(Expression.Label(ret, Expression.Constant(0.0))));
        return Expression.Lambda<Func<double, nint, nint, double>>(body, "ordo_gradient", [t, x, g]).Compile();
    }

    /// <summary>(t, x, J) adding each row's gradient into the row-major m × n matrix J (which the caller zeroes); large
    /// systems are split into several compiled methods.</summary>
    public static Action<double, nint, nint> VectorJacobian(IReadOnlyList<BoundNode> nodes, int n)
    {
        var parts = new List<Action<double, nint, nint>>();
        foreach ((int start, int count) in Chunks(nodes, i => nodes[i].DependsOnVariables))
        {
            var (t, x, j) = (Expression.Parameter(typeof(double), "t"), Expression.Parameter(typeof(nint), "x"), Expression.Parameter(typeof(nint), "jacobian"));
            var e = new Emitter(NumberModel.Double, x, null, t);
            var blocks = new List<Expression>();
            for (int i = start; i < start + count; i++)
            {
                if (!nodes[i].DependsOnVariables) continue;
                Frame f = Frame.NewScope();
                e.Forward(nodes[i], f);
                e.Backward(nodes[i], Expression.Constant(1.0), f, new Accumulator(j, i * n, tangentOnly: false));
                blocks.Add(f.Block());
            }
            if (blocks.Count == 0) continue;
            parts.Add(Expression.Lambda<Action<double, nint, nint>>(Expression.Block(typeof(void), blocks), "ordo_jacobian", [t, x, j]).Compile());
        }
        return parts.Count == 0 ? static (_, _, _) => { } : Combine(parts);
    }

    /// <summary>(t, x, v, hv) adding H·v into hv (which the caller zeroes): the gradient code run on dual numbers.</summary>
    public static Action<double, nint, nint, nint> HessianVectorProduct(BoundNode node)
    {
        var (t, x, v, hv) = (Expression.Parameter(typeof(double), "t"), Expression.Parameter(typeof(nint), "x"),
            Expression.Parameter(typeof(nint), "v"), Expression.Parameter(typeof(nint), "hv"));
        var e = new Emitter(NumberModel.Dual, x, v, t);
        Frame f = Frame.NewScope();
        e.Forward(node, f);
        e.Backward(node, NumberModel.Dual.Constant(1.0), f, new Accumulator(hv, 0, tangentOnly: true));
        return Expression.Lambda<Action<double, nint, nint, nint>>(f.Block(), "ordo_hvp", [t, x, v, hv]).Compile();
    }

    /// <summary>Where adjoints of variables go: <c>target[offset + slot] += adjoint</c> (its tangent in HVP mode).</summary>
    private sealed record Accumulator(Expression Target, int Offset, bool tangentOnly)
    {
        public Expression Add(Expression slot, Expression adjoint) =>
            Expression.Call(typeof(Memory), nameof(Memory.AddTo), null, Target,
                Offset == 0 ? slot : Expression.Add(Expression.Constant(Offset), slot),
                tangentOnly ? Expression.Field(adjoint, nameof(Dual.Tangent)) : adjoint);
    }

    // ------------------------------------------------------------------------------------------------ values

    /// <summary>The value of <paramref name="node"/> as one expression, with no locals outside loops and the few
    /// helpers that need their argument twice: the form the JIT optimises best (value-only evaluation; double).</summary>
    private Expression Value(BoundNode node) => node switch
    {
        BoundConstant c => Expression.Constant(c.Value),
        BoundVariable v => Expression.Call(typeof(Memory), nameof(Memory.Read), null, _x, Expression.Constant(v.Slot)),
        BoundVectorElement v => Expression.Call(typeof(Memory), nameof(Memory.Read), null, _x, Expression.Add(Expression.Constant(v.Offset - 1), Index(v.Index))),
        BoundDataElement d => Expression.ArrayIndex(Expression.Constant(d.Values), Expression.Subtract(Index(d.Index), Expression.Constant(1))),
        BoundTime => _t,
        BoundIndexValue i => Expression.Convert(Index(i.Index), typeof(double)),
        BoundNegate n => Expression.Negate(Value(n.Operand)),
        BoundAdd n => n.Terms.Skip(1).Select((term, k) => (term, k + 1)).Aggregate(
            n.Subtract[0] ? Expression.Negate(Value(n.Terms[0])) : Value(n.Terms[0]),
            (acc, p) => n.Subtract[p.Item2] ? Expression.Subtract(acc, Value(p.term)) : Expression.Add(acc, Value(p.term))),
        BoundMultiply n => n.Factors.Skip(1).Select((factor, k) => (factor, k + 1)).Aggregate(
            n.Divide[0] ? Expression.Divide(Expression.Constant(1.0), Value(n.Factors[0])) : Value(n.Factors[0]),
            (acc, p) => n.Divide[p.Item2] ? Expression.Divide(acc, Value(p.factor)) : Expression.Multiply(acc, Value(p.factor))),
        BoundPower n => n.Exponent is BoundConstant c && Functions.IsSpecialExponent(c.Value)
            ? c.Value == 1 ? Value(n.Base) : Expression.Call(typeof(Functions), Functions.PowHelper(c.Value), null, Value(n.Base))
            : Expression.Call(typeof(Functions), nameof(Functions.Pow), null, Value(n.Base), Value(n.Exponent)),
        BoundCall n when n.Function is Function.Min or Function.Max => n.Arguments.Skip(1).Aggregate(Value(n.Arguments[0]),
            (acc, a) => Expression.Call(typeof(Functions), n.Function == Function.Min ? nameof(Functions.Min) : nameof(Functions.Max), null, acc, Value(a))),
        BoundCall n => NumberModel.Double.Call(NumberModel.NameOf(n.Function), n.Arguments.Select(Value).ToArray()),
        BoundIf n => Expression.Condition(ConditionValue(n.Condition), Value(n.WhenTrue), Value(n.WhenFalse)),
        BoundReduction n => ReductionValue(n),
        _ => throw new InvalidOperationException($"unknown bound node {node.GetType().Name}. This is a bug in Ordo.Expressions."),
    };

    private Expression ConditionValue(BoundCondition condition) => condition switch
    {
        BoundCompare c => c.Operator switch
        {
            CompareOperator.Less => Expression.LessThan(Value(c.Left), Value(c.Right)),
            CompareOperator.LessEqual => Expression.LessThanOrEqual(Value(c.Left), Value(c.Right)),
            CompareOperator.Greater => Expression.GreaterThan(Value(c.Left), Value(c.Right)),
            CompareOperator.GreaterEqual => Expression.GreaterThanOrEqual(Value(c.Left), Value(c.Right)),
            CompareOperator.Equal => Expression.Equal(Value(c.Left), Value(c.Right)),
            _ => Expression.NotEqual(Value(c.Left), Value(c.Right)),
        },
        BoundLogical l => l.Operands.Skip(1).Aggregate(ConditionValue(l.Operands[0]),
            (acc, o) => l.IsAnd ? Expression.AndAlso(acc, ConditionValue(o)) : Expression.OrElse(acc, ConditionValue(o))),
        _ => throw new InvalidOperationException("unknown condition. This is a bug in Ordo.Expressions."),
    };

    private Expression ReductionValue(BoundReduction n)
    {
        ParameterExpression acc = Expression.Variable(typeof(double), n.IsProduct ? "prod" : "sum");
        Expression loop = Loop(n.Variable, inner =>
        {
            Expression term = Value(n.Body);
            return Expression.Assign(acc, n.IsProduct ? Expression.Multiply(acc, term) : Expression.Add(acc, term));
        });
        return Expression.Block(typeof(double), [acc], Expression.Assign(acc, Expression.Constant(n.IsProduct ? 1.0 : 0.0)), loop, acc);
    }

    // ------------------------------------------------------------------------------------------------ forward

    private Expression Variable(Expression slot)
    {
        Expression value = Expression.Call(typeof(Memory), nameof(Memory.Read), null, _x, slot);
        return _v is null ? _m.FromDouble(value) : NumberModel.DualOf(value, Expression.Call(typeof(Memory), nameof(Memory.Read), null, _v, slot));
    }

    private Expression Index(BoundIndex index) => index switch
    {
        IndexConstant c => Expression.Constant((int)c.Value),
        IndexVariableReference r => _indices[r.Variable],
        IndexArithmetic a => a.Operator switch
        {
            '+' => Expression.Add(Index(a.Left), Index(a.Right)),
            '-' => Expression.Subtract(Index(a.Left), Index(a.Right)),
            _ => Expression.Multiply(Index(a.Left), Index(a.Right)),
        },
        _ => throw new InvalidOperationException("unknown index node. This is a bug in Ordo.Expressions."),
    };

    /// <summary>Emits the computation of <paramref name="node"/> into <paramref name="f"/>; returns an expression for its
    /// value (a local, a constant or a cheap read) and records it in the frame for the backward pass.</summary>
    private Expression Forward(BoundNode node, Frame f)
    {
        Expression value = node switch
        {
            BoundConstant c => _m.Constant(c.Value),
            // Reads are cheap and side-effect free: no local (a chain of n factors would otherwise hold n more locals).
            BoundVariable v => Variable(Expression.Constant(v.Slot)),
            BoundVectorElement v => Variable(Expression.Add(Expression.Constant(v.Offset - 1), Index(v.Index))),
            BoundDataElement d => _m.FromDouble(Expression.ArrayIndex(Expression.Constant(d.Values), Expression.Subtract(Index(d.Index), Expression.Constant(1)))),
            BoundTime => _m.FromDouble(_t),
            BoundIndexValue i => _m.FromDouble(Expression.Convert(Index(i.Index), typeof(double))),
            BoundNegate n => f.Assign(_m.Type, _m.Negate(Forward(n.Operand, f))),
            BoundAdd n => ForwardAdd(n, f),
            BoundMultiply n => ForwardMultiply(n, f),
            BoundPower n => ForwardPower(n, f),
            BoundCall n => ForwardCall(n, f),
            BoundIf n => ForwardIf(n, f),
            BoundReduction n => ForwardReduction(n, f),
            _ => throw new InvalidOperationException($"unknown bound node {node.GetType().Name}. This is a bug in Ordo.Expressions."),
        };
        f.Values[node] = value;
        return value;
    }

    private Expression ForwardAdd(BoundAdd n, Frame f)
    {
        Expression acc = Forward(n.Terms[0], f);
        if (n.Subtract[0]) acc = _m.Negate(acc);
        for (int i = 1; i < n.Terms.Length; i++)
        {
            Expression term = Forward(n.Terms[i], f);
            acc = n.Subtract[i] ? _m.Subtract(acc, term) : _m.Add(acc, term);
        }
        return f.Assign(_m.Type, acc);
    }

    private Expression ForwardMultiply(BoundMultiply n, Frame f)
    {
        // Left to right, keeping each partial product: the backward pass needs them.
        Expression acc = Forward(n.Factors[0], f);
        if (n.Divide[0]) acc = f.Assign(_m.Type, _m.Divide(_m.Constant(1), acc));
        f.Values[Partial(n, 0)] = acc;
        for (int i = 1; i < n.Factors.Length; i++)
        {
            Expression factor = Forward(n.Factors[i], f);
            acc = f.Assign(_m.Type, n.Divide[i] ? _m.Divide(acc, factor) : _m.Multiply(acc, factor), "p");
            f.Values[Partial(n, i)] = acc;
        }
        return acc;
    }

    /// <summary>Key under which the partial product after factor i of a multiplication chain is recorded.</summary>
    private static BoundNode Partial(BoundMultiply n, int i) => new PartialKey(n, i);

    private sealed class PartialKey(BoundMultiply owner, int index) : BoundNode(owner.Position)
    {
        private readonly BoundMultiply _owner = owner;
        private readonly int _index = index;
        public override bool DependsOnVariables => false;
        public override bool IsConstant => false;
        public override bool Equals(object? obj) => obj is PartialKey k && ReferenceEquals(k._owner, _owner) && k._index == _index;
        public override int GetHashCode() => HashCode.Combine(_owner, _index);
    }

    private Expression ForwardPower(BoundPower n, Frame f)
    {
        Expression a = Forward(n.Base, f), b = Forward(n.Exponent, f);
        if (n.Exponent is BoundConstant c && Functions.IsSpecialExponent(c.Value))
        {
            // The operations of Functions.PowConstant, so that folded constants agree bit for bit.
            Expression one = _m.Constant(1);
            Expression value = c.Value switch
            {
                1 => a,
                2 => _m.Multiply(a, a),
                3 => _m.Multiply(_m.Multiply(a, a), a),
                4 => _m.Multiply(_m.Multiply(a, a), _m.Multiply(a, a)),
                0.5 => _m.Call("Sqrt", a),
                1.5 => _m.Multiply(a, _m.Call("Sqrt", a)),
                -1 => _m.Divide(one, a),
                -2 => _m.Divide(one, _m.Multiply(a, a)),
                -0.5 => _m.Divide(one, _m.Call("Sqrt", a)),
                _ => _m.Divide(one, _m.Multiply(a, _m.Call("Sqrt", a))),
            };
            return f.Assign(_m.Type, value);
        }
        return f.Assign(_m.Type, _m.Call("Pow", a, b));
    }

    private Expression ForwardCall(BoundCall n, Frame f)
    {
        Expression[] args = n.Arguments.Select(a => Forward(a, f)).ToArray();
        if (n.Function is Function.Min or Function.Max)
        {
            // Keep which argument won (the first on ties): the adjoint flows to it alone.
            ParameterExpression which = f.Local(typeof(int), "which");
            ParameterExpression best = f.Local(_m.Type, "best");   // a fresh local: the arguments' values must stay intact
            f.Statements.Add(Expression.Assign(best, args[0]));
            f.Statements.Add(Expression.Assign(which, Expression.Constant(0)));
            for (int i = 1; i < args.Length; i++)
            {
                Expression better = n.Function == Function.Min
                    ? Expression.LessThan(_m.Primal(args[i]), _m.Primal(best))
                    : Expression.GreaterThan(_m.Primal(args[i]), _m.Primal(best));
                // NaN wins (as Math.Min/Max): once best is NaN it stays; a NaN argument replaces best.
                Expression takeNaN = Expression.Call(typeof(double), nameof(double.IsNaN), null, _m.Primal(args[i]));
                Expression bestIsNaN = Expression.Call(typeof(double), nameof(double.IsNaN), null, _m.Primal(best));
                f.Statements.Add(Expression.IfThen(
                    Expression.AndAlso(Expression.Not(bestIsNaN), Expression.OrElse(takeNaN, better)),
                    Expression.Block(Expression.Assign(best, args[i]), Expression.Assign(which, Expression.Constant(i)))));
            }
            f.Which[n] = which;
            return best;
        }
        return f.Assign(_m.Type, _m.Call(NumberModel.NameOf(n.Function), args));
    }

    private Expression Condition(BoundCondition condition, Frame f) => condition switch
    {
        BoundCompare c => Compare(c, f),
        BoundLogical l => l.IsAnd
            ? l.Operands.Skip(1).Aggregate(ConditionBlock(l.Operands[0], f), (acc, o) => Expression.AndAlso(acc, ConditionBlock(o, f)))
            : l.Operands.Skip(1).Aggregate(ConditionBlock(l.Operands[0], f), (acc, o) => Expression.OrElse(acc, ConditionBlock(o, f))),
        _ => throw new InvalidOperationException("unknown condition. This is a bug in Ordo.Expressions."),
    };

    /// <summary>A condition as a self-contained expression (its own statements inside), so that short-circuiting skips
    /// the evaluation of operands it does not need.</summary>
    private Expression ConditionBlock(BoundCondition condition, Frame f)
    {
        Frame inner = f.Branch();
        Expression test = Condition(condition, inner);
        return inner.Statements.Count == 0 ? test : Expression.Block(typeof(bool), inner.Statements.Append(test));
    }

    private Expression Compare(BoundCompare c, Frame f)
    {
        Expression a = _m.Primal(Forward(c.Left, f)), b = _m.Primal(Forward(c.Right, f));
        return c.Operator switch
        {
            CompareOperator.Less => Expression.LessThan(a, b),
            CompareOperator.LessEqual => Expression.LessThanOrEqual(a, b),
            CompareOperator.Greater => Expression.GreaterThan(a, b),
            CompareOperator.GreaterEqual => Expression.GreaterThanOrEqual(a, b),
            CompareOperator.Equal => Expression.Equal(a, b),
            _ => Expression.NotEqual(a, b),
        };
    }

    private Expression ForwardIf(BoundIf n, Frame f)
    {
        ParameterExpression test = f.Local(typeof(bool), "cond");
        f.Statements.Add(Expression.Assign(test, ConditionBlock(n.Condition, f)));
        ParameterExpression result = f.Local(_m.Type, "ifv");
        Frame whenTrue = f.Branch(), whenFalse = f.Branch();
        whenTrue.Statements.Add(Expression.Assign(result, Forward(n.WhenTrue, whenTrue)));
        whenFalse.Statements.Add(Expression.Assign(result, Forward(n.WhenFalse, whenFalse)));
        f.Statements.Add(Expression.IfThenElse(test, whenTrue.StatementsBlock(), whenFalse.StatementsBlock()));
        f.Which[n] = test;
        return result;
    }

    /// <summary>Emits <c>for (i = from; i ≤ to; i++) body(i)</c>; <paramref name="body"/> receives a fresh scope.</summary>
    private Expression Loop(IndexVariable variable, Func<Frame, Expression?> body)
    {
        ParameterExpression i = Expression.Variable(typeof(int), variable.Name);
        ParameterExpression last = Expression.Variable(typeof(int), variable.Name + "_to");
        _indices[variable] = i;
        Frame inner = Frame.NewScope();
        Expression? tail = body(inner);
        LabelTarget done = Expression.Label("done_" + variable.Name);
        return Expression.Block(typeof(void), [i, last],
            Expression.Assign(i, Index(variable.From)),
            Expression.Assign(last, Index(variable.To)),
            Expression.Loop(
                Expression.IfThenElse(Expression.GreaterThan(i, last),
                    Expression.Break(done),
                    Expression.Block(typeof(void), tail is null ? inner.Block(Expression.PostIncrementAssign(i)) : inner.Block(tail, Expression.PostIncrementAssign(i)))),
                done));
    }

    private Expression ForwardReduction(BoundReduction n, Frame f)
    {
        ParameterExpression acc = f.Local(_m.Type, n.IsProduct ? "prod" : "sum");
        f.Statements.Add(Expression.Assign(acc, _m.Constant(n.IsProduct ? 1 : 0)));
        f.Statements.Add(Loop(n.Variable, inner =>
        {
            Expression term = Forward(n.Body, inner);
            return Expression.Assign(acc, n.IsProduct ? _m.Multiply(acc, term) : _m.Add(acc, term));
        }));
        return acc;
    }

    // ------------------------------------------------------------------------------------------------ backward

    /// <summary>Emits statements that add adjoint × ∂node/∂xᵢ into the accumulator for every variable xᵢ the node uses.
    /// The forward values recorded in <paramref name="f"/> are used; nothing is recomputed outside loops.</summary>
    private void Backward(BoundNode node, Expression adjoint, Frame f, Accumulator sink)
    {
        if (!node.DependsOnVariables) return;
        switch (node)
        {
            case BoundVariable v:
                f.Statements.Add(sink.Add(Expression.Constant(v.Slot), adjoint));
                break;
            case BoundVectorElement v:
                f.Statements.Add(sink.Add(Expression.Add(Expression.Constant(v.Offset - 1), Index(v.Index)), adjoint));
                break;
            case BoundNegate n:
                Backward(n.Operand, f.Assign(_m.Type, _m.Negate(adjoint), "adj"), f, sink);
                break;
            case BoundAdd n:
            {
                Expression adj = f.Assign(_m.Type, adjoint, "adj");
                Expression? negated = null;
                for (int i = 0; i < n.Terms.Length; i++)
                {
                    if (!n.Terms[i].DependsOnVariables) continue;
                    if (n.Subtract[i]) negated ??= f.Assign(_m.Type, _m.Negate(adj), "adj");
                    Backward(n.Terms[i], n.Subtract[i] ? negated! : adj, f, sink);
                }
                break;
            }
            case BoundMultiply n:
                BackwardMultiply(n, adjoint, f, sink);
                break;
            case BoundPower n:
            {
                Expression adj = f.Assign(_m.Type, adjoint, "adj");
                Expression a = f.Values[n.Base], b = f.Values[n.Exponent];
                if (n.Base.DependsOnVariables)
                    Backward(n.Base, f.Assign(_m.Type, _m.Multiply(adj, _m.Call("PowBasePartial", a, b)), "adj"), f, sink);
                if (n.Exponent.DependsOnVariables)
                    Backward(n.Exponent, f.Assign(_m.Type, _m.Multiply(adj, _m.Call("PowExponentPartial", f.Values[n], a)), "adj"), f, sink);
                break;
            }
            case BoundCall n:
                BackwardCall(n, adjoint, f, sink);
                break;
            case BoundIf n:
            {
                Expression adj = f.Assign(_m.Type, adjoint, "adj");
                Frame whenTrue = f.Branch(), whenFalse = f.Branch();
                Backward(n.WhenTrue, adj, whenTrue, sink);
                Backward(n.WhenFalse, adj, whenFalse, sink);
                f.Statements.Add(Expression.IfThenElse(f.Which[n], whenTrue.StatementsBlock(), whenFalse.StatementsBlock()));
                break;
            }
            case BoundReduction n:
                BackwardReduction(n, adjoint, f, sink);
                break;
            default:
                throw new InvalidOperationException($"no derivative for {node.GetType().Name}. This is a bug in Ordo.Expressions.");
        }
    }

    private void BackwardMultiply(BoundMultiply n, Expression adjoint, Frame f, Accumulator sink)
    {
        // p₀ = f₀ (or 1/f₀), pᵢ = pᵢ₋₁ · fᵢ or pᵢ₋₁ / fᵢ. Walking back: adj(fᵢ) = adj(pᵢ)·pᵢ₋₁ or −adj(pᵢ)·pᵢ/fᵢ,
        // adj(pᵢ₋₁) = adj(pᵢ)·fᵢ or adj(pᵢ)/fᵢ.
        Expression adj = f.Assign(_m.Type, adjoint, "adj");
        for (int i = n.Factors.Length - 1; i >= 1; i--)
        {
            Expression factor = f.Values[n.Factors[i]];
            Expression before = f.Values[Partial(n, i - 1)];
            if (n.Factors[i].DependsOnVariables)
            {
                Expression partial = n.Divide[i]
                    ? _m.Negate(_m.Divide(_m.Multiply(adj, f.Values[Partial(n, i)]), factor))
                    : _m.Multiply(adj, before);
                Backward(n.Factors[i], f.Assign(_m.Type, partial, "adj"), f, sink);
            }
            if (!n.Factors.Take(i).Any(x => x.DependsOnVariables)) return;
            adj = f.Assign(_m.Type, n.Divide[i] ? _m.Divide(adj, factor) : _m.Multiply(adj, factor), "adj");
        }
        if (n.Factors[0].DependsOnVariables)
        {
            // p₀ = 1/f₀ ⇒ ∂p₀/∂f₀ = −1/f₀² = −p₀²
            Expression p0 = Prefix0(n, f);
            Backward(n.Factors[0], n.Divide[0] ? f.Assign(_m.Type, _m.Negate(_m.Multiply(adj, _m.Multiply(p0, p0))), "adj") : adj, f, sink);
        }
    }

    /// <summary>The first partial product p₀ (f₀ itself, or 1/f₀).</summary>
    private static Expression Prefix0(BoundMultiply n, Frame f) => f.Values[Partial(n, 0)];

    private void BackwardCall(BoundCall n, Expression adjoint, Frame f, Accumulator sink)
    {
        if (n.Function == Function.Sign) return;   // piecewise constant: zero derivative
        Expression adj = f.Assign(_m.Type, adjoint, "adj");
        Expression value = f.Values[n];
        Expression A(int i) => f.Values[n.Arguments[i]];
        Expression one = _m.Constant(1);
        if (n.Function is Function.Min or Function.Max)
        {
            ParameterExpression which = f.Which[n];
            var cases = new List<SwitchCase>();
            for (int i = 0; i < n.Arguments.Length; i++)
            {
                if (!n.Arguments[i].DependsOnVariables) continue;
                Frame branch = f.Branch();
                Backward(n.Arguments[i], adj, branch, sink);
                cases.Add(Expression.SwitchCase(branch.StatementsBlock(), Expression.Constant(i)));
            }
            if (cases.Count > 0) f.Statements.Add(Expression.Switch(which, Expression.Empty(), [.. cases]));
            return;
        }
        if (n.Function == Function.Atan2)
        {
            // atan2(y, x): ∂/∂y = x/(x² + y²), ∂/∂x = −y/(x² + y²)
            Expression y = A(0), x = A(1);
            Expression r2 = f.Assign(_m.Type, _m.Add(_m.Multiply(x, x), _m.Multiply(y, y)), "r2");
            if (n.Arguments[0].DependsOnVariables) Backward(n.Arguments[0], f.Assign(_m.Type, _m.Divide(_m.Multiply(adj, x), r2), "adj"), f, sink);
            if (n.Arguments[1].DependsOnVariables) Backward(n.Arguments[1], f.Assign(_m.Type, _m.Negate(_m.Divide(_m.Multiply(adj, y), r2)), "adj"), f, sink);
            return;
        }
        Expression a = A(0);
        Expression derivative = n.Function switch
        {
            Function.Sin => _m.Call("Cos", a),
            Function.Cos => _m.Negate(_m.Call("Sin", a)),
            Function.Tan => _m.Add(one, _m.Multiply(value, value)),
            Function.Asin => _m.Divide(one, _m.Call("Sqrt", _m.Subtract(one, _m.Multiply(a, a)))),
            Function.Acos => _m.Negate(_m.Divide(one, _m.Call("Sqrt", _m.Subtract(one, _m.Multiply(a, a))))),
            Function.Atan => _m.Divide(one, _m.Add(one, _m.Multiply(a, a))),
            Function.Sinh => _m.Call("Cosh", a),
            Function.Cosh => _m.Call("Sinh", a),
            Function.Tanh => _m.Subtract(one, _m.Multiply(value, value)),
            Function.Exp => value,
            Function.Log => _m.Divide(one, a),
            Function.Log10 => _m.Divide(one, _m.Multiply(a, _m.Constant(Math.Log(10)))),
            Function.Sqrt => _m.Divide(_m.Constant(0.5), value),
            Function.Abs => _m.Call("Sign", a),
            _ => throw new InvalidOperationException($"no derivative for {n.Function}. This is a bug in Ordo.Expressions."),
        };
        Backward(n.Arguments[0], f.Assign(_m.Type, _m.Multiply(adj, derivative), "adj"), f, sink);
    }

    private void BackwardReduction(BoundReduction n, Expression adjoint, Frame f, Accumulator sink)
    {
        Expression adj = f.Assign(_m.Type, adjoint, "adj");
        if (!n.IsProduct)
        {
            // ∂(Σ termᵢ)/∂termᵢ = 1: loop again, recompute each term, push the same adjoint into it.
            f.Statements.Add(Loop(n.Variable, inner =>
            {
                Forward(n.Body, inner);
                Backward(n.Body, adj, inner, sink);
                return null;
            }));
            return;
        }
        // ∂(Π termⱼ)/∂termᵢ = Π_{j≠i} termⱼ: one pass counts zero terms and multiplies the others, a second pushes
        // adj·(P/termᵢ) when no term is zero, adj·(product of the others) into the single zero term, nothing when two
        // or more terms are zero.
        // On dual numbers (Hessian–vector products) a partial whose value is 0 can still have a nonzero tangent: with one
        // zero term z, ∂P/∂termᵢ = z·(P/termᵢ) for the other terms; with two zero terms z₁, z₂, ∂P/∂z₁ = z₂·(product of
        // the others) and vice versa. So the dual model also keeps the zero terms and runs the second pass for two.
        bool dual = _m.Type == typeof(Dual);
        ParameterExpression nonZero = f.Local(_m.Type, "nonzero"), zeros = f.Local(typeof(int), "zeros");
        ParameterExpression? zero1 = dual ? f.Local(_m.Type, "zero1") : null, zero2 = dual ? f.Local(_m.Type, "zero2") : null;
        f.Statements.Add(Expression.Assign(nonZero, _m.Constant(1)));
        f.Statements.Add(Expression.Assign(zeros, Expression.Constant(0)));
        f.Statements.Add(Loop(n.Variable, inner =>
        {
            Expression term = Forward(n.Body, inner);
            // zero1 is the latest zero term, zero2 the one before it.
            Expression onZero = dual
                ? Expression.Block(Expression.Assign(zero2!, zero1!), Expression.Assign(zero1!, term), Expression.PostIncrementAssign(zeros))
                : Expression.PostIncrementAssign(zeros);
            return Expression.IfThenElse(Expression.Equal(_m.Primal(term), Expression.Constant(0.0)),
                onZero,
                Expression.Assign(nonZero, _m.Multiply(nonZero, term)));
        }));
        Expression total = f.Assign(_m.Type, _m.Multiply(adj, nonZero), "adjprod");
        ParameterExpression? seen = dual ? f.Local(typeof(int), "seen") : null;
        if (dual) f.Statements.Add(Expression.Assign(seen!, Expression.Constant(0)));
        f.Statements.Add(Expression.IfThen(Expression.LessThan(zeros, Expression.Constant(dual ? 3 : 2)), Loop(n.Variable, inner =>
        {
            Expression term = Forward(n.Body, inner);
            ParameterExpression termAdj = inner.Local(_m.Type, "adj");
            Expression isZero = Expression.Equal(_m.Primal(term), Expression.Constant(0.0));
            Expression oneZero = dual
                ? Expression.Condition(isZero, total, _m.Multiply(_m.Divide(total, term), zero1!))
                : Expression.Condition(isZero, total, _m.Constant(0));
            Expression adjoint = Expression.Condition(Expression.Equal(zeros, Expression.Constant(0)), _m.Divide(total, term), oneZero);
            if (dual)
            {
                // Two zero terms: the first one met (zero2) gets total·zero1, the second (zero1) total·zero2.
                Expression twoZeros = Expression.Condition(isZero,
                    _m.Multiply(total, Expression.Condition(Expression.Equal(Expression.PostIncrementAssign(seen!), Expression.Constant(0)), zero1!, zero2!)),
                    _m.Constant(0));
                adjoint = Expression.Condition(Expression.Equal(zeros, Expression.Constant(2)), twoZeros, adjoint);
            }
            inner.Statements.Add(Expression.Assign(termAdj, adjoint));
            Backward(n.Body, termAdj, inner, sink);
            return null;
        })));
    }
}
