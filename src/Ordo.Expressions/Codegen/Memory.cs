namespace Ordo.Expressions.Codegen;

/// <summary>
/// Element access through pinned pointers, called from compiled expression trees (which cannot take spans). The
/// binder has proved every index in range at compile time, so no bounds check is needed here.
/// </summary>
internal static unsafe class Memory
{
    public static double Read(nint p, int i) => ((double*)p)[i];

    public static void Write(nint p, int i, double value) => ((double*)p)[i] = value;

    public static void AddTo(nint p, int i, double value) => ((double*)p)[i] += value;
}
