using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Ordo;

/// <summary>
/// The vector kernels every solver uses, in one place (BLAS level 1 and the fused linear combinations of
/// Runge–Kutta stages). Generic over the number type: for <see cref="double"/> and <see cref="float"/> they run on
/// SIMD registers (<see cref="Vector{T}"/> or <see cref="TensorPrimitives"/>); for any other
/// <see cref="IFloatingPointIeee754{TSelf}"/> type (dual numbers, for example) the same code runs element by element.
/// </summary>
/// <remarks>
/// Aliasing: unless a method says otherwise, an output span may be the same span as an input of the same length
/// (element <c>i</c> of the output depends only on element <c>i</c> of the inputs), but must not partially overlap it.
/// No method allocates.
/// </remarks>
public static class Blas1
{
    /// <summary>y ← y + alpha·x (BLAS axpy).</summary>
    public static void Axpy<T>(T alpha, ReadOnlySpan<T> x, Span<T> y) where T : IFloatingPointIeee754<T>
    {
        Guard.Length(x.Length, y.Length, nameof(x), "the length of y");
        TensorPrimitives.MultiplyAdd(x, alpha, y, y);
    }

    /// <summary>x ← alpha·x.</summary>
    public static void Scale<T>(T alpha, Span<T> x) where T : IFloatingPointIeee754<T> => TensorPrimitives.Multiply(x, alpha, x);

    /// <summary>Dot product xᵀy.</summary>
    public static T Dot<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y) where T : IFloatingPointIeee754<T> => TensorPrimitives.Dot(x, y);

    /// <summary>Euclidean norm ‖x‖₂.</summary>
    public static T Norm2<T>(ReadOnlySpan<T> x) where T : IFloatingPointIeee754<T> => TensorPrimitives.Norm(x);

    /// <summary>True when no element is NaN or ±∞ (an empty span is finite).</summary>
    public static bool AllFinite<T>(ReadOnlySpan<T> x) where T : IFloatingPointIeee754<T>
    {
        for (int i = 0; i < x.Length; i++)
        {
            if (!T.IsFinite(x[i])) return false;
        }
        return true;
    }

    /// <summary>
    /// The fused stage combination of Runge–Kutta methods, in one pass over memory:
    /// <c>destination[m] = y[m] + h·Σⱼ coefficients[j]·stages[indices[j]·n + m]</c> for <c>m &lt; n</c>,
    /// where <paramref name="stages"/> holds stage vectors of length <paramref name="n"/> back to back.
    /// With an empty <paramref name="y"/> the first term is omitted (used for error estimates and interpolants).
    /// </summary>
    /// <remarks>
    /// The sum over <c>j</c> is always taken in the given order, in the SIMD body and in the scalar tail alike, so the
    /// result does not depend on the SIMD width. <paramref name="destination"/> may be <paramref name="y"/> but must
    /// not overlap any stage vector it reads.
    /// </remarks>
    public static void LinearCombination<T>(Span<T> destination, ReadOnlySpan<T> y, T h, ReadOnlySpan<T> stages, int n,
        ReadOnlySpan<int> indices, ReadOnlySpan<T> coefficients) where T : IFloatingPointIeee754<T>
    {
        if (n < 0 || destination.Length < n || (!y.IsEmpty && y.Length < n) || indices.Length != coefficients.Length)
            Guard.Fail("LinearCombination: inconsistent lengths.", nameof(destination));
        for (int j = 0; j < indices.Length; j++)
        {
            if ((uint)indices[j] * (long)n + n > stages.Length)
                Guard.Fail("LinearCombination: a stage index points outside the stage buffer.", nameof(indices));
        }
        LinearCombinationUnchecked(destination, y, h, stages, n, indices, coefficients);
    }

    /// <summary>
    /// <see cref="LinearCombination{T}"/> without the argument checks, for steppers that validated their coefficient
    /// rows and buffer sizes once when they were built (the checks cost as much as the work for n = 1).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void LinearCombinationUnchecked<T>(Span<T> destination, ReadOnlySpan<T> y, T h, ReadOnlySpan<T> stages, int n,
        ReadOnlySpan<int> indices, ReadOnlySpan<T> coefficients) where T : IFloatingPointIeee754<T>
    {
        int terms = indices.Length;
        ref T s0 = ref MemoryMarshal.GetReference(stages);
        ref T d0 = ref MemoryMarshal.GetReference(destination);
        ref T y0 = ref MemoryMarshal.GetReference(y);
        ref int i0 = ref MemoryMarshal.GetReference(indices);
        ref T c0 = ref MemoryMarshal.GetReference(coefficients);
        bool hasY = !y.IsEmpty;
        int m = 0;

        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported && n >= Vector<T>.Count)
        {
            var vh = new Vector<T>(h);
            for (; m <= n - Vector<T>.Count; m += Vector<T>.Count)
            {
                var acc = Vector<T>.Zero;
                for (int j = 0; j < terms; j++)
                {
                    int k = Unsafe.Add(ref i0, j);
                    acc += new Vector<T>(Unsafe.Add(ref c0, j)) * Vector.LoadUnsafe(ref s0, (nuint)(k * n + m));
                }
                acc *= vh;
                if (hasY) acc += Vector.LoadUnsafe(ref y0, (nuint)m);
                acc.StoreUnsafe(ref d0, (nuint)m);
            }
        }

        for (; m < n; m++)
        {
            T acc = T.Zero;
            for (int j = 0; j < terms; j++)
                acc += Unsafe.Add(ref c0, j) * Unsafe.Add(ref s0, Unsafe.Add(ref i0, j) * n + m);
            acc *= h;
            Unsafe.Add(ref d0, m) = hasY ? Unsafe.Add(ref y0, m) + acc : acc;
        }
    }
}
