using System.Linq.Expressions;
using System.Reflection;
using Ordo.Expressions.Binding;

namespace Ordo.Expressions.Codegen;

/// <summary>
/// How the code generator does arithmetic: on <see cref="double"/> (values and gradients) or on <see cref="Dual"/>
/// (Hessian–vector products by forward-over-reverse). Every operation returns an expression tree.
/// </summary>
internal abstract class NumberModel
{
    public abstract Type Type { get; }
    public abstract Expression Constant(double value);
    public abstract Expression FromDouble(Expression value);
    public abstract Expression Add(Expression a, Expression b);
    public abstract Expression Subtract(Expression a, Expression b);
    public abstract Expression Multiply(Expression a, Expression b);
    public abstract Expression Divide(Expression a, Expression b);
    public abstract Expression Negate(Expression a);

    /// <summary>The double value (primal part), for comparisons.</summary>
    public abstract Expression Primal(Expression a);

    /// <summary>Calls the function of the same name on <see cref="Functions"/> (double) or <see cref="Dual"/>.</summary>
    public abstract Expression Call(string name, params Expression[] arguments);

    public static NumberModel Double { get; } = new DoubleModel();
    public static NumberModel Dual { get; } = new DualModel();

    public static string NameOf(Function f) => f.ToString();

    private sealed class DoubleModel : NumberModel
    {
        public override Type Type => typeof(double);
        public override Expression Constant(double value) => Expression.Constant(value);
        public override Expression FromDouble(Expression value) => value;
        public override Expression Add(Expression a, Expression b) => Expression.Add(a, b);
        public override Expression Subtract(Expression a, Expression b) => Expression.Subtract(a, b);
        public override Expression Multiply(Expression a, Expression b) => Expression.Multiply(a, b);
        public override Expression Divide(Expression a, Expression b) => Expression.Divide(a, b);
        public override Expression Negate(Expression a) => Expression.Negate(a);
        public override Expression Primal(Expression a) => a;
        public override Expression Call(string name, params Expression[] arguments) =>
            Expression.Call(Method(typeof(Functions), name, arguments.Length), arguments);
    }

    private sealed class DualModel : NumberModel
    {
        private static readonly ConstructorInfo s_ctor = typeof(Dual).GetConstructor([typeof(double), typeof(double)])!;

        public override Type Type => typeof(Dual);
        public override Expression Constant(double value) => Expression.New(s_ctor, Expression.Constant(value), Expression.Constant(0.0));
        public override Expression FromDouble(Expression value) => Expression.New(s_ctor, value, Expression.Constant(0.0));
        public override Expression Add(Expression a, Expression b) => Call("Add", a, b);
        public override Expression Subtract(Expression a, Expression b) => Call("Subtract", a, b);
        public override Expression Multiply(Expression a, Expression b) => Call("Multiply", a, b);
        public override Expression Divide(Expression a, Expression b) => Call("Divide", a, b);
        public override Expression Negate(Expression a) => Call("Negate", a);
        public override Expression Primal(Expression a) => Expression.Field(a, nameof(Codegen.Dual.Value));
        public override Expression Call(string name, params Expression[] arguments) =>
            Expression.Call(Method(typeof(Dual), name, arguments.Length), arguments);

        public Expression New(Expression value, Expression tangent) => Expression.New(s_ctor, value, tangent);
    }

    public static Expression DualOf(Expression value, Expression tangent) => ((DualModel)Dual).New(value, tangent);

    private static MethodInfo Method(Type type, string name, int arity) =>
        type.GetMethods(BindingFlags.Public | BindingFlags.Static).Single(m => m.Name == name && m.GetParameters().Length == arity);
}
