namespace Ordo.Expressions.Tests;

/// <summary>Index ranges when sum indices depend on each other: the binder enumerates the actual index values instead
/// of bounding each sum index by its whole range (which rejected valid convolutions and empty ranges).</summary>
public class DependentIndexTests
{
    private static ExpressionContext Context(int n) => new ExpressionContext().AddVectorVariable("x", n).AddData("a", [1.0, 2, 3, 4]).AddParameter("n", n);

    [Fact]
    public void Convolution_IndexDependsOnTwoSumIndices_IsAcceptedAndCorrect()
    {
        // Σᵢ Σ_{j≤i} a_j x_{i−j+1}: the index i − j + 1 runs over 1 … i, within 1 … n, though i and j alone span 1 … n.
        var f = ExpressionCompiler.CompileScalar("sum(i, 1, n, sum(j, 1, i, a[j]*x[i-j+1]))", Context(4));
        double[] x = [1, 10, 100, 1000];
        double expected = 0;
        double[] a = [1, 2, 3, 4];
        for (int i = 1; i <= 4; i++)
            for (int j = 1; j <= i; j++) expected += a[j - 1] * x[i - j];
        Assert.Equal(expected, f.Evaluate(x));
        var g = new double[4];
        f.ValueAndGradient(x, g);
        // ∂/∂x_k = Σ_{j=1}^{n−k+1} a_j
        Assert.Equal([1 + 2 + 3 + 4, 1 + 2 + 3, 1 + 2, 1], g);
    }

    [Fact]
    public void ShrinkingInnerRange_IsAccepted()
    {
        var f = ExpressionCompiler.CompileScalar("sum(i, 1, n, sum(j, 1, n-i+1, x[i+j-1]))", Context(3));
        // (i, j) pairs: i+j−1 ∈ {1,2,3}, {2,3}, {3}
        Assert.Equal(1 + 2 + 3 + 2 + 3 + 3, f.Evaluate([1.0, 2, 3]));
    }

    [Fact]
    public void EmptyRange_OutOfRangeIndexIsNeverEvaluated_IsAccepted()
    {
        var f = ExpressionCompiler.CompileScalar("sum(i, 0, -1, x[i]) + prod(i, 5, 4, x[i])", Context(3));
        Assert.Equal(0 + 1, f.Evaluate([1.0, 2, 3]));
    }

    [Fact]
    public void DependentIndex_ActuallyOutOfRange_IsRejectedWithItsExactValues()
    {
        var e = Assert.Throws<ExpressionException>(() => ExpressionCompiler.CompileScalar("sum(i, 1, n, sum(j, 1, i, x[i+j]))", Context(3)));
        Assert.Contains("index out of range", e.Message);
        Assert.Contains("takes values 2 … 6", e.Message);
    }

    [Fact]
    public void Sparsity_OfDependentIndices_StaysInsideTheVector()
    {
        var f = ExpressionCompiler.CompileVector(["sum(j, 1, 2, x[3-j])", "sum(i, 1, n, sum(j, 1, i, x[i-j+1]))"], Context(4));
        Assert.Equal([0, 1], f.JacobianSparsity.RowColumns(0).ToArray());
        Assert.Equal([0, 1, 2, 3], f.JacobianSparsity.RowColumns(1).ToArray());
    }
}
