using System.Runtime.InteropServices;

namespace Ordo.LinearAlgebra;

/// <summary>
/// The system LAPACK (Debian's OpenBLAS or reference LAPACK), reached through P/Invoke: LU factorization
/// <c>dgetrf_</c> and solve <c>dgetrs_</c>. Loaded lazily on first use with <see cref="NativeLibrary.TryLoad(string, out IntPtr)"/>
/// from <c>libopenblas.so.0</c>, then <c>liblapack.so.3</c> (macOS and Windows names after them); when none loads,
/// <see cref="IsAvailable"/> is false and <see cref="DenseSolver"/> uses the managed <see cref="DenseLU"/>.
/// </summary>
/// <remarks>
/// Fortran calling convention: every argument by reference, matrices column-major, a hidden length argument after the
/// character argument of <c>dgetrs_</c> (gfortran passes it as a size_t; passing it is harmless for libraries that do
/// not read it). A row-major n×n array read column-major is Aᵀ, so <see cref="DenseSolver"/> factors Aᵀ = PLU with
/// <c>dgetrf_</c> and solves A·x = (Aᵀ)ᵀ·x = b with <c>dgetrs_</c>, trans = 'T': no transposition is copied.
/// Source: E. Anderson et al., <i>LAPACK Users' Guide</i>, 3rd ed., SIAM 1999 (driver and computational routines
/// xGETRF/xGETRS, §2.4.2). OpenBLAS starts worker threads unless <c>OPENBLAS_NUM_THREADS=1</c>; for the matrix sizes of
/// implicit ODE steppers one thread is the right setting (scripts/test sets it).
/// </remarks>
public static class Lapack
{
    /// <summary>The library names tried in order.</summary>
    public static IReadOnlyList<string> CandidateNames { get; } =
        ["libopenblas.so.0", "liblapack.so.3", "libopenblas.so", "liblapack.so", "libopenblas.dylib", "liblapack.dylib", "libopenblas.dll", "liblapack.dll"];

    private static readonly Lazy<LapackLibrary?> Default = new(() => LapackLibrary.Load(CandidateNames));

    /// <summary>True when a LAPACK library with <c>dgetrf_</c> and <c>dgetrs_</c> was found (loads it on first access).</summary>
    public static bool IsAvailable => Default.Value is not null;

    /// <summary>The name of the loaded library, or null when none was found.</summary>
    public static string? LibraryName => Default.Value?.Name;

    internal static LapackLibrary? Library => Default.Value;
}

/// <summary>One loaded LAPACK library: the two entry points as unmanaged delegates (blittable by-reference arguments, so a
/// call pins the spans and allocates nothing).</summary>
internal sealed class LapackLibrary
{
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate void Dgetrf(ref int m, ref int n, ref double a, ref int lda, ref int ipiv, ref int info);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate void Dgetrs(ref byte trans, ref int n, ref int nrhs, ref double a, ref int lda, ref int ipiv,
        ref double b, ref int ldb, ref int info, nuint transLength);

    private readonly Dgetrf _dgetrf;
    private readonly Dgetrs _dgetrs;

    private LapackLibrary(string name, Dgetrf dgetrf, Dgetrs dgetrs)
    {
        Name = name;
        _dgetrf = dgetrf;
        _dgetrs = dgetrs;
    }

    public string Name { get; }

    /// <summary>The first of <paramref name="names"/> that loads and exports both routines, or null.</summary>
    public static LapackLibrary? Load(IEnumerable<string> names)
    {
        foreach (string name in names)
        {
            if (!NativeLibrary.TryLoad(name, out IntPtr handle)) continue;
            if (NativeLibrary.TryGetExport(handle, "dgetrf_", out IntPtr f) && NativeLibrary.TryGetExport(handle, "dgetrs_", out IntPtr s))
                return new LapackLibrary(name, Marshal.GetDelegateForFunctionPointer<Dgetrf>(f), Marshal.GetDelegateForFunctionPointer<Dgetrs>(s));
            NativeLibrary.Free(handle);
        }
        return null;
    }

    /// <summary>dgetrf_ on the column-major n×n array <paramref name="a"/>; <paramref name="ipiv"/> receives LAPACK's
    /// one-based pivots. Returns LAPACK's info (0: success; k > 0: U[k−1, k−1] is exactly zero).</summary>
    public int Factor(Span<double> a, int n, Span<int> ipiv)
    {
        if (n == 0) return 0;
        int m = n, lda = n, info = 0;
        _dgetrf(ref m, ref n, ref MemoryMarshal.GetReference(a), ref lda, ref MemoryMarshal.GetReference(ipiv), ref info);
        return info;
    }

    /// <summary>dgetrs_ with one right-hand side; <paramref name="transpose"/> selects trans = 'T'.</summary>
    public int Solve(bool transpose, ReadOnlySpan<double> lu, int n, ReadOnlySpan<int> ipiv, Span<double> b)
    {
        if (n == 0) return 0;
        byte trans = transpose ? (byte)'T' : (byte)'N';
        int nrhs = 1, lda = n, ldb = n, info = 0;
        _dgetrs(ref trans, ref n, ref nrhs, ref MemoryMarshal.GetReference(lu), ref lda,
            ref MemoryMarshal.GetReference(ipiv), ref MemoryMarshal.GetReference(b), ref ldb, ref info, 1);
        return info;
    }
}
