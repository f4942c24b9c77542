using static Ordo.Expressions.Tests.TestSupport;

namespace Ordo.Expressions.Tests;

/// <summary>Every kind of invalid expression gets an <see cref="ExpressionException"/> that says what is wrong and
/// where (1-based column), in the format "unknown name 'q' at column 4; known names: x, v, t, mu".</summary>
public class ErrorMessageTests
{
    /// <summary>The context of the documented example: x, v, t, mu.</summary>
    private static ExpressionContext Ode() => new ExpressionContext().AddVariable("x").AddVariable("v").AddTime("t").AddParameter("mu", 1.5);

    /// <summary>A vector variable y[1..3], a scalar x, parameters n = 3 and odd = 5, data d[1..3], time t.</summary>
    private static ExpressionContext Vectors() => new ExpressionContext()
        .AddVectorVariable("y", 3).AddVariable("x").AddParameter("n", 3).AddParameter("odd", 5).AddData("d", [1.0, 2, 3]).AddTime();

    // ------------------------------------------------------------------------------------------ names

    [Fact]
    public void UnknownName_ListsKnownNames_InTheDocumentedFormat()
    {
        var e = AssertError("mu*q", Ode(), 4, "unknown name 'q'", "known names: x, v, t, mu");
        Assert.StartsWith("unknown name 'q' at column 4; known names: x, v, t, mu", e.Message);
    }

    [Fact]
    public void UnknownName_InsideSum_ListsTheSumIndexToo()
    {
        var e = AssertError("sum(i, 1, n, y[i]*k)", Vectors(), 19, "unknown name 'k'", "known names: y, x, t, n, odd, d, i");
        Assert.StartsWith("unknown name 'k' at column 19; known names", e.Message);
    }

    [Fact]
    public void UnknownFunction_ListsKnownFunctions()
    {
        var e = AssertError("2*foo(x)", Ode(), 3, "unknown function 'foo'", "known functions: sin, cos, tan, asin, acos, atan, atan2, sinh, cosh, tanh, exp, log, log10, sqrt, abs, pow, min, max, sign, if, sum, prod");
        Assert.StartsWith("unknown function 'foo' at column 3; known functions", e.Message);
        AssertError("x + Sin(x)", Ode(), 5, "unknown function 'Sin'");
    }

    [Fact]
    public void NameUsedAsFunction_OrFunctionUsedAsName()
    {
        AssertError("1 + x(2)", Ode(), 5, "'x' is not a function", "x[i]");
        AssertError("sin + 1", Ode(), 1, "'sin' is a function", "sin(…)");
        AssertError("2*sum", Ode(), 3, "'sum' is a function");
        AssertError("if", Ode(), 1, "'if' is a function");
    }

    // ------------------------------------------------------------------------------------------ arity

    [Theory]
    [InlineData("sin(x, v)", 1, "sin takes 1 argument but was given 2")]
    [InlineData("x + sin()", 5, "sin takes 1 argument but was given 0")]
    [InlineData("atan2(x)", 1, "atan2 takes 2 arguments but was given 1")]
    [InlineData("pow(x, 2, 3)", 1, "pow takes 2 arguments but was given 3")]
    [InlineData("max(x)", 1, "max takes at least 2 arguments but was given 1")]
    [InlineData("1 - min(x)", 5, "min takes at least 2 arguments but was given 1")]
    [InlineData("if(x < 1, 2)", 1, "if takes 3 arguments")]
    [InlineData("if(x < 1, 2, 3, 4)", 1, "if takes 3 arguments")]
    [InlineData("sum(i, 1, 2)", 1, "sum takes 4 arguments")]
    [InlineData("x*prod(i, 1, 2, x, x)", 3, "prod takes 4 arguments")]
    public void Function_WrongArity_SaysHowMany(string expression, int column, string fragment) =>
        AssertError(expression, Ode(), column, fragment);

    // ------------------------------------------------------------------------------------------ conditions

    [Fact]
    public void ChainedComparison_IsAnError()
    {
        AssertError("if(x < v < 1, 1, 2)", Ode(), 10, "chained comparisons are not allowed", "'and'");
        AssertError("if(x == v != 1, 1, 2)", Ode(), 11, "chained comparisons are not allowed");
        AssertError("if(1 <= x >= 2, 1, 2)", Ode(), 11, "chained comparisons");
    }

    [Fact]
    public void Comparison_UsedAsValue_IsAnError()
    {
        AssertError("x < 1", Ode(), 3, "a comparison can only be the condition of if");
        AssertError("x + (x < 1)", Ode(), 8, "a comparison can only be the condition of if");
        AssertError("sin(x >= 1)", Ode(), 7, "a comparison can only be the condition of if");
        AssertError("if(x < 1, x > 2, 3)", Ode(), 13, "a comparison can only be the condition of if");
        AssertError("x > 1 and v > 2", Ode(), 3, "'and' can only join the conditions of if");
        AssertError("x > 1 or v > 2", Ode(), 3, "'or' can only join the conditions of if");
    }

    [Fact]
    public void IfCondition_NotAComparison_IsAnError()
    {
        AssertError("if(x, 1, 2)", Ode(), 4, "the condition of if(…) must be a comparison");
        AssertError("if(x + 1, 1, 2)", Ode(), 4, "the condition of if(…) must be a comparison");
        AssertError("if(x < 1 and v, 1, 2)", Ode(), 14, "the condition of if(…) must be a comparison");
        AssertError("if(1, 1, 2)", Ode(), 4, "must be a comparison");
    }

    [Fact]
    public void KeywordsOutOfPlace_AreErrors()
    {
        AssertError("and", Ode(), 1, "unexpected 'and'");
        AssertError("x + or", Ode(), 5, "unexpected 'or'");
        AssertError("if(x < 1 and and v < 2, 1, 2)", Ode(), 14, "unexpected 'and'");
    }

    // ------------------------------------------------------------------------------------------ indexing

    [Fact]
    public void VectorOrData_WithoutIndex_IsAnError()
    {
        var e = AssertError("y + 1", Vectors(), 1, "'y' is a vector of 3 components", "y[1] … y[3]");
        Assert.StartsWith("'y' is a vector of 3 components at column 1; index it from 1", e.Message);
        AssertError("2*d", Vectors(), 3, "'d' is a data array of 3 values", "d[1] … d[3]");
    }

    [Fact]
    public void Scalar_Indexed_IsAnError()
    {
        AssertError("1 + x[1]", Vectors(), 5, "'x' is a scalar variable and cannot be indexed");
        AssertError("n[1]", Vectors(), 1, "'n' is a scalar and cannot be indexed");
        AssertError("t[2]", Vectors(), 1, "'t' is a scalar and cannot be indexed");
        AssertError("pi[1]", Vectors(), 1, "'pi' is a scalar and cannot be indexed");
        AssertError("sum(i, 1, 2, i[1])", Vectors(), 14, "'i' is a scalar and cannot be indexed");
        AssertError("q[1]", Vectors(), 1, "unknown name 'q'");
    }

    [Fact]
    public void Index_UsingAVariableOrTime_IsAnError()
    {
        AssertError("y[y[1]]", Vectors(), 3, "the index of 'y' may use only numbers, parameters and sum indices");
        AssertError("y[x]", Vectors(), 3, "the index of 'y' may use only numbers, parameters and sum indices");
        AssertError("d[t]", Vectors(), 3, "the index of 'd' may use only numbers, parameters and sum indices");
        AssertError("sum(i, 1, 2, y[i + y[1]])", Vectors(), 20, "the index of 'y' may use only numbers, parameters and sum indices");
        AssertError("sum(i, 1, x, y[i])", Vectors(), 11, "the upper bound of sum may use only numbers, parameters and sum indices");
        AssertError("prod(i, t, 2, y[i])", Vectors(), 9, "the lower bound of prod may use only numbers, parameters and sum indices");
    }

    [Fact]
    public void Index_NotAnInteger_IsAnError()
    {
        AssertError("y[1.5]", Vectors(), 3, "the index of 'y' must be an integer but is 1.5");
        AssertError("2*y[odd/2]", Vectors(), 5, "the index of 'y' must be an integer but is 2.5");
        AssertError("d[pi]", Vectors(), 3, "the index of 'd' must be an integer");
        AssertError("sum(i, 1, odd/2, y[i])", Vectors(), 11, "the upper bound of sum must be an integer but is 2.5");
        AssertError("sum(i, 0.5, 2, y[i])", Vectors(), 8, "the lower bound of sum must be an integer but is 0.5");
        AssertError("sum(i, 1, 2, y[i/2])", Vectors(), 16, "the index of 'y' uses a sum index, so it may use only + - * and integers");
        AssertError("sum(i, 1, 2, y[i^1])", Vectors(), 17, "uses a sum index, so it may use only + - *");
        AssertError("sum(i, 1, 2, y[abs(i)])", Vectors(), 16, "uses a sum index, so it may use only + - *");
        AssertError("sum(i, 1, 2, sum(j, 1, i/2, 1))", Vectors(), 24, "the upper bound of sum uses a sum index");
    }

    [Fact]
    public void Index_OutOfRange_ConstantAndThroughSumRange()
    {
        AssertError("y[4]", Vectors(), 3, "index out of range: 'y' has 3 components, indexed from 1, but the index is 4");
        AssertError("y[0]", Vectors(), 3, "index out of range", "the index is 0");
        AssertError("y[-1]", Vectors(), 3, "index out of range", "the index is -1");
        AssertError("d[n+1]", Vectors(), 3, "index out of range: 'd' has 3 components", "the index is 4");
        AssertError("sum(i, 1, n+1, y[i])", Vectors(), 18, "index out of range", "the index takes values 1 … 4");
        AssertError("sum(i, 0, n, d[i])", Vectors(), 16, "index out of range", "takes values 0 … 3");
        AssertError("sum(i, 1, n, y[2*i-1])", Vectors(), 16, "index out of range", "takes values 1 … 5");
        AssertError("sum(i, 1, n, sum(j, 1, i, y[i+j]))", Vectors(), 29, "index out of range", "takes values 2 … 6");
    }

    // ------------------------------------------------------------------------------------------ sum index names

    [Theory]
    [InlineData("sum(x, 1, 2, 1)", 5, "'x'")]
    [InlineData("sum(y, 1, 2, 1)", 5, "'y'")]
    [InlineData("sum(n, 1, 2, 1)", 5, "'n'")]
    [InlineData("sum(d, 1, 2, 1)", 5, "'d'")]
    [InlineData("sum(t, 1, 2, 1)", 5, "'t'")]
    [InlineData("prod(sin, 1, 2, 1)", 6, "'sin'")]
    [InlineData("sum(pi, 1, 2, 1)", 5, "'pi'")]
    [InlineData("sum(i, 1, 2, sum(i, 1, 2, y[i]))", 18, "'i'")]
    [InlineData("sum(i, 1, 2, sum(j, 1, 2, prod(i, 1, 2, 1)))", 32, "'i'")]
    public void SumIndex_ShadowingAName_IsAnError(string expression, int column, string name) =>
        AssertError(expression, Vectors(), column, $"the index name {name} is already taken");

    [Fact]
    public void SumIndex_NotAName_IsAnError()
    {
        AssertError("sum(1, 1, 2, 1)", Vectors(), 5, "the first argument of sum must be the name of its index");
        AssertError("prod(y[1], 1, 2, 1)", Vectors(), 6, "the first argument of prod must be the name of its index");
    }

    [Fact]
    public void SumIndex_OutsideItsSum_IsUnknown()
    {
        AssertError("sum(i, 1, 2, y[i]) + i", Vectors(), 22, "unknown name 'i'");
        AssertError("sum(i, 1, i, 1)", Vectors(), 11, "unknown name 'i'");
    }

    // ------------------------------------------------------------------------------------------ syntax

    [Theory]
    [InlineData("", 1)]
    [InlineData("   ", 4)]
    [InlineData("\t", 2)]
    public void Expression_Empty_IsAnError(string expression, int column) =>
        AssertError(expression, Ode(), column, "the expression is empty");

    [Theory]
    [InlineData("(x + 1", 7, "expected ')' to close the '(' at column 1 but found end of the expression")]
    [InlineData("((x)", 5, "expected ')' to close the '(' at column 1")]
    [InlineData("2*(x + (v)", 11, "expected ')' to close the '(' at column 3")]
    [InlineData("x + 1)", 6, "unexpected ')'", "expected an operator or the end of the expression")]
    [InlineData("x)(", 2, "unexpected ')'")]
    [InlineData("sin(x", 6, "expected ',' or ')' to close the argument list of 'sin'")]
    [InlineData("sin(x v)", 7, "expected ',' or ')' to close the argument list of 'sin' but found name 'v'")]
    [InlineData("()", 2, "unexpected ')'", "expected a number, a name, a function call or '('")]
    [InlineData("x +", 4, "unexpected end of the expression", "expected a number")]
    [InlineData("x y", 3, "unexpected name 'y'", "expected an operator or the end of the expression")]
    [InlineData("2 3", 3, "unexpected number '3'")]
    [InlineData("x * * v", 5, "unexpected '*'")]
    [InlineData("max(x,, v)", 7, "unexpected ','")]
    [InlineData("x^", 3, "unexpected end of the expression")]
    [InlineData("[1]", 1, "unexpected '['")]
    public void Syntax_Unbalanced_OrMissingOperand_IsAnError(string expression, int column, params string[] fragments) =>
        AssertError(expression, Ode(), column, fragments);

    [Fact]
    public void Syntax_UnbalancedBracket_IsAnError()
    {
        AssertError("y[1", Vectors(), 4, "expected ']' to close the index of 'y'");
        AssertError("y[1)", Vectors(), 4, "expected ']' to close the index of 'y' but found ')'");
        AssertError("y[]", Vectors(), 3, "unexpected ']'");
        AssertError("y[1]]", Vectors(), 5, "unexpected ']'");
    }

    [Theory]
    [InlineData("x $ 1", 3, "unexpected character '$'")]
    [InlineData("x # 1", 3, "unexpected character '#'")]
    [InlineData("x; 1", 2, "unexpected character ';'")]
    [InlineData("x & v", 3, "unexpected character '&'")]
    [InlineData("x | v", 3, "unexpected character '|'")]
    [InlineData("x % 2", 3, "unexpected character '%'")]
    [InlineData("x + \"1\"", 5, "unexpected character '\"'")]
    [InlineData("x + é", 5, "unexpected character 'é'")]
    [InlineData("x\u0001", 2, "unexpected character '\\u0001'")]
    [InlineData("{x}", 1, "unexpected character '{'")]
    [InlineData("x.y", 2, "unexpected character '.'")]
    [InlineData("x ** 2", 4, "unexpected '*'")]
    public void Syntax_StrayCharacter_IsAnError(string expression, int column, string fragment) =>
        AssertError(expression, Ode(), column, fragment);

    [Fact]
    public void Syntax_SingleEquals_AsksForDoubleEquals()
    {
        AssertError("if(x = 1, 1, 2)", Ode(), 6, "unexpected '='", "write '==' to compare");
        AssertError("x = 1", Ode(), 3, "write '==' to compare");
        AssertError("if(!x, 1, 2)", Ode(), 4, "unexpected '!'", "write '!=' to compare");
        AssertError("if(x =< 1, 1, 2)", Ode(), 6, "write '==' to compare");
    }

    [Theory]
    [InlineData("1e", 2, "malformed number '1e': an exponent needs digits")]
    [InlineData("2*1e+", 4, "malformed number '1e+'")]
    [InlineData("1E-x", 2, "malformed number")]
    [InlineData("1e400", 1, "number '1e400' is not a finite double")]
    [InlineData("x + 1.5.5", 8, "unexpected number '.5'")]
    public void Number_Malformed_IsAnError(string expression, int column, string fragment) =>
        AssertError(expression, Ode(), column, fragment);

    // ------------------------------------------------------------------------------------------ vectors of expressions

    [Fact]
    public void CompileVector_Error_NamesTheElement()
    {
        var e = Assert.Throws<ExpressionException>(() => ExpressionCompiler.CompileVector(["v", "mu*(1 - x^2)*v - q", "x"], Ode()));
        Assert.StartsWith("expression 1: unknown name 'q' at column 18; known names: x, v, t, mu", e.Message);
        Assert.Equal("mu*(1 - x^2)*v - q", e.Expression);
        Assert.Equal(18, e.Column);

        e = Assert.Throws<ExpressionException>(() => ExpressionCompiler.CompileVector(["v", "x", "(x"], Ode()));
        Assert.StartsWith("expression 2: expected ')'", e.Message);
        Assert.Equal(3, e.Column);

        e = Assert.Throws<ExpressionException>(() => ExpressionCompiler.CompileVector(["", "x"], Ode()));
        Assert.StartsWith("expression 0: the expression is empty", e.Message);
    }

    // ------------------------------------------------------------------------------------------ context names

    [Theory]
    [InlineData("")]
    [InlineData("1x")]
    [InlineData("x-y")]
    [InlineData("x y")]
    [InlineData(" x")]
    [InlineData("é")]
    [InlineData("x[1]")]
    [InlineData("sin")]
    [InlineData("if")]
    [InlineData("sum")]
    [InlineData("prod")]
    [InlineData("and")]
    [InlineData("or")]
    [InlineData("pi")]
    [InlineData("log10")]
    public void Context_InvalidName_ThrowsArgumentException(string name)
    {
        Assert.Throws<ArgumentException>(() => new ExpressionContext().AddVariable(name));
        Assert.Throws<ArgumentException>(() => new ExpressionContext().AddVectorVariable(name, 2));
        Assert.Throws<ArgumentException>(() => new ExpressionContext().AddParameter(name, 1));
        Assert.Throws<ArgumentException>(() => new ExpressionContext().AddData(name, [1.0]));
        Assert.Throws<ArgumentException>(() => new ExpressionContext().AddTime(name));
    }

    [Fact]
    public void Context_ValidNames_AreAccepted()
    {
        var ctx = new ExpressionContext().AddVariable("_x").AddVariable("x1").AddVariable("X").AddParameter("Sin", 2).AddData("sum_2", [1.0]);
        Assert.Equal(3, ctx.Dimension);
        Assert.Equal(1 + 2 + 3 + 2 + 1, ExpressionCompiler.CompileScalar("_x + x1 + X + Sin + sum_2[1]", ctx).Evaluate([1.0, 2, 3]));
    }

    [Fact]
    public void Context_DuplicateOrBadValues_ThrowArgumentException()
    {
        Assert.Throws<ArgumentException>(() => new ExpressionContext().AddVariable("x").AddVariable("x"));
        Assert.Throws<ArgumentException>(() => new ExpressionContext().AddVariable("x").AddParameter("x", 1));
        Assert.Throws<ArgumentException>(() => new ExpressionContext().AddParameter("a", 1).AddData("a", [1.0]));
        Assert.Throws<ArgumentException>(() => new ExpressionContext().AddVariable("t").AddTime());
        Assert.Throws<ArgumentException>(() => new ExpressionContext().AddTime().AddTime("s"));
        Assert.Throws<ArgumentException>(() => new ExpressionContext().AddParameter("a", double.NaN));
        Assert.Throws<ArgumentException>(() => new ExpressionContext().AddParameter("a", double.PositiveInfinity));
        Assert.Throws<ArgumentException>(() => new ExpressionContext().AddData("a", []));
        Assert.Throws<ArgumentException>(() => new ExpressionContext().AddData("a", [1.0, double.NaN]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExpressionContext().AddVectorVariable("a", 0));
        Assert.Throws<ArgumentNullException>(() => new ExpressionContext().AddVariable(null!));
        Assert.Throws<ArgumentNullException>(() => new ExpressionContext().AddData("a", null!));
    }
}
