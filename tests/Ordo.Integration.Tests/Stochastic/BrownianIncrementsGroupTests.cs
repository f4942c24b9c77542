using Ordo.Rng;

namespace Ordo.Integration.Tests.Stochastic;

/// <summary>
/// The group cache of <see cref="BrownianIncrements"/>: every member and every access order gives bitwise the same
/// values, which are the vectorized <see cref="PhiloxBatch"/> normals of the spec's counters (sde.md §1.2) scaled by √h
/// and √(h/12); streams switch cleanly; the bulk <see cref="BrownianIncrements.LaneSteps"/> allocates nothing.
/// </summary>
public class BrownianIncrementsGroupTests
{
    private const int N = 37; // not a multiple of the group size: the last group runs past the grid's end
    private const double Step = 0.125;

    [Fact]
    public void Values_are_the_batch_normals_of_the_spec_counters()
    {
        var grid = new BrownianIncrements(0.0, Step, N, 2, 9, 4);
        PhiloxKey key = new CounterRng(9).StreamKey(4);
        Span<double> w = stackalloc double[2], h = stackalloc double[2];
        double[] z0 = new double[BrownianIncrements.GroupSize], z1 = new double[BrownianIncrements.GroupSize];
        for (int j = 0; j < 2; j++)
            for (long g = 0; g * BrownianIncrements.GroupSize < N; g++)
            {
                PhiloxBatch.Normals(key, (uint)j, BrownianIncrements.GridTag, (ulong)(g * BrownianIncrements.GroupSize), z0, z1);
                for (int i = 0; i < BrownianIncrements.GroupSize && g * BrownianIncrements.GroupSize + i < N; i++)
                {
                    grid.Step(g * BrownianIncrements.GroupSize + i, w, h);
                    Assert.Equal(Math.Sqrt(Step) * z0[i], w[j]);
                    Assert.Equal(Math.Sqrt(Step / 12) * z1[i], h[j]);
                }
            }
    }

    [Fact]
    public void Every_member_and_order_gives_the_same_values()
    {
        double[,] w = new double[N, 3], h = new double[N, 3];
        var sequential = new BrownianIncrements(1.0, Step, N, 3, 5, 2);
        Span<double> a = stackalloc double[3], b = stackalloc double[3];
        for (int n = 0; n < N; n++)
        {
            sequential.Step(n, a, b);
            for (int j = 0; j < 3; j++) { w[n, j] = a[j]; h[n, j] = b[j]; }
        }

        // Backwards, after visiting another stream, one step through Increment.
        var other = new BrownianIncrements(1.0, Step, N, 3, 5, 7);
        for (int n = N - 1; n >= 0; n--)
        {
            other.Reset(2);
            other.Increment(1.0 + n * Step, 1.0 + (n + 1) * Step, a, b);
            for (int j = 0; j < 3; j++) { Assert.Equal(w[n, j], a[j]); Assert.Equal(h[n, j], b[j]); }
            other.Reset(7);
            other.Step(N - 1 - n, a, b);
        }

        // The bulk form, from an unaligned start across two group boundaries.
        var bulk = new BrownianIncrements(1.0, Step, N, 3, 5, 2);
        double[] lw = new double[N], lh = new double[N];
        for (int j = 0; j < 3; j++)
        {
            bulk.LaneSteps(j, 3, N - 3, lw, lh);
            for (int n = 3; n < N; n++) { Assert.Equal(w[n, j], lw[n - 3]); Assert.Equal(h[n, j], lh[n - 3]); }
        }

        // Another stream is another path; Reset back restores the first.
        other.Reset(7);
        other.Step(0, a, b);
        Assert.NotEqual(w[0, 0], a[0]);
    }

    [Fact]
    public void Lane_steps_allocate_nothing_and_check_their_arguments()
    {
        var grid = new BrownianIncrements(0.0, Step, 1000, 2, 1);
        Span<double> w = stackalloc double[40], h = stackalloc double[40];
        grid.LaneSteps(0, 0, 40, w, h);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int n = 0; n + 40 <= 1000; n += 7)
        {
            grid.LaneSteps(0, n, 40, w, h);
            grid.LaneSteps(1, n, 40, w, h);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);

        var d = new double[4];
        Assert.Throws<ArgumentOutOfRangeException>(() => grid.LaneSteps(2, 0, 4, d, d));
        Assert.Throws<ArgumentOutOfRangeException>(() => grid.LaneSteps(-1, 0, 4, d, d));
        Assert.Throws<ArgumentOutOfRangeException>(() => grid.LaneSteps(0, -1, 4, d, d));
        Assert.Throws<ArgumentOutOfRangeException>(() => grid.LaneSteps(0, 997, 4, d, d));
        Assert.Throws<ArgumentOutOfRangeException>(() => grid.LaneSteps(0, 0, -1, d, d));
        Assert.Throws<ArgumentException>(() => grid.LaneSteps(0, 0, 4, d, new double[3]));
        grid.LaneSteps(0, 1000, 0, d, d); // an empty range at the end is fine
    }
}
