namespace Ordo.Sampling.Onnx.Tests;

/// <summary>The adapter itself: agreement with numpy, batching, input layouts, and the errors it reports.</summary>
public sealed class OnnxVelocityModelTests
{
    // ONNX Runtime computes in float32 (MatMul sums 128 products); numpy's reference is the float64 forward pass of the
    // same float32 weights. Velocities are O(1)-O(5).
    private const double VectorTolerance = 1e-5;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void OutputMatchesNumpyForwardPass(bool conditional)
    {
        using OnnxVelocityModel model = conditional ? OnnxTestData.OpenConditional() : OnnxTestData.OpenUnconditional();
        float[][] x = OnnxTestData.Rows("x"), cond = OnnxTestData.Rows("cond");
        double[] t = OnnxTestData.Column("t");
        double[][] expected = OnnxTestData.RowsDouble(conditional ? "v_cond" : "v_uncond");
        var v = new float[2];
        for (int i = 0; i < x.Length; i++)
        {
            FlowCondition c = conditional ? FlowCondition.Embedding(cond[i]) : FlowCondition.None;
            model.Evaluate(x[i], 1, (float)t[i], c, v);
            for (int j = 0; j < 2; j++)
            {
                double err = Math.Abs(v[j] - expected[i][j]);
                Assert.True(err <= VectorTolerance * (1 + Math.Abs(expected[i][j])),
                    $"row {i} (t = {t[i]}), component {j}: ONNX Runtime {v[j]:R}, numpy {expected[i][j]:R}, difference {err:E2}");
            }
        }
        Assert.Equal(x.Length, model.CallCount);
        Assert.True(model.RunTime > TimeSpan.Zero);
    }

    [Fact]
    public void SignatureIsDiscovered()
    {
        using OnnxVelocityModel u = OnnxTestData.OpenUnconditional();
        Assert.Equal(2, u.Dimension);
        Assert.Equal(FlowTimeConvention.NoiseAtOne, u.TimeConvention);
        Assert.Equal(OnnxTimeLayout.PerPointColumn, u.TimeLayout);
        Assert.Equal(OnnxConditionLayout.None, u.ConditionLayout);
        Assert.Equal(0, u.ConditionLength);
        Assert.Null(u.FixedBatchSize);

        using OnnxVelocityModel c = OnnxTestData.OpenConditional();
        Assert.Equal(OnnxConditionLayout.PerPoint, c.ConditionLayout);
        Assert.Equal(2, c.ConditionLength);
    }

    [Theory]
    [InlineData(false, 0.37f)]
    [InlineData(false, 0.02f)]
    [InlineData(true, 0.6f)]
    public void BatchOf64EqualsSinglePointCalls(bool conditional, float time)
    {
        using OnnxVelocityModel model = conditional ? OnnxTestData.OpenConditional() : OnnxTestData.OpenUnconditional();
        FlowCondition condition = conditional ? FlowCondition.Class(1) : FlowCondition.None;
        const int n = 64;
        float[] x = OnnxTestData.Noise(n, 2, seed: 5);
        var batch = new float[n * 2];
        model.Evaluate(x, n, time, condition, batch);
        var single = new float[2];
        double worst = 0;
        for (int i = 0; i < n; i++)
        {
            model.Evaluate(x.AsSpan(2 * i, 2), 1, time, condition, single);
            for (int j = 0; j < 2; j++) worst = Math.Max(worst, Math.Abs(single[j] - batch[2 * i + j]) / (1 + Math.Abs(batch[2 * i + j])));
        }
        // A batch and a single row take different float32 GEMM kernels (different summation orders), so they agree to
        // float32 rounding (measured: up to 4e-6 relative), not bitwise.
        Assert.True(worst <= VectorTolerance, $"largest relative difference between the batch and single calls: {worst:E2}");

        // The batch again after the batch size changed twice: the rebound buffers give the same numbers.
        var again = new float[n * 2];
        model.Evaluate(x, n, time, condition, again);
        Assert.Equal(batch, again);
        Assert.Equal(n + 2, model.CallCount);
    }

    [Fact]
    public void ClassConditionIsOneHotEmbedding()
    {
        using OnnxVelocityModel model = OnnxTestData.OpenConditional();
        float[] x = OnnxTestData.Noise(8, 2, seed: 2);
        var byClass = new float[16];
        var byVector = new float[16];
        var other = new float[16];
        model.Evaluate(x, 8, 0.4f, FlowCondition.Class(0), byClass);
        model.Evaluate(x, 8, 0.4f, FlowCondition.Embedding(new float[] { 1, 0 }), byVector);
        model.Evaluate(x, 8, 0.4f, FlowCondition.Class(1), other);
        Assert.Equal(byVector, byClass);
        Assert.NotEqual(byClass, other);
    }

    [Theory]
    [InlineData("t_vector", OnnxTimeLayout.PerPoint)]
    [InlineData("t_shared", OnnxTimeLayout.Shared)]
    [InlineData("t_shared_2d", OnnxTimeLayout.Shared)]
    [InlineData("t_scalar", OnnxTimeLayout.Scalar)]
    public void TimeLayouts(string name, OnnxTimeLayout layout)
    {
        using var model = new OnnxVelocityModel(OnnxTestData.Signature(name), FlowTimeConvention.NoiseAtZero);
        Assert.Equal(layout, model.TimeLayout);
        float[] x = [1, 2, 3, 4, 5, 6];
        var v = new float[6];
        model.Evaluate(x, 3, 0.5f, FlowCondition.None, v); // v = x·t
        Assert.Equal([0.5f, 1, 1.5f, 2, 2.5f, 3], v);
        model.Evaluate(x.AsSpan(0, 2), 1, 2f, FlowCondition.None, v.AsSpan(0, 2));
        Assert.Equal([2f, 4], v[..2]);
    }

    [Theory]
    [InlineData("cond_shared")]
    [InlineData("cond_shared_2d")]
    public void SharedConditionLayouts(string name)
    {
        using var model = new OnnxVelocityModel(OnnxTestData.Signature(name), FlowTimeConvention.NoiseAtOne);
        Assert.Equal(OnnxConditionLayout.Shared, model.ConditionLayout);
        Assert.Equal(2, model.ConditionLength);
        float[] x = [1, 2, 3, 4];
        var v = new float[4];
        model.Evaluate(x, 2, 2f, FlowCondition.Embedding(new float[] { 10, 20 }), v); // v = x·t + cond
        Assert.Equal([12f, 24, 16, 28], v);
        model.Evaluate(x, 2, 1f, FlowCondition.Class(1), v);
        Assert.Equal([1f, 3, 3, 5], v);
    }

    [Fact]
    public void FixedBatchSize()
    {
        using var model = new OnnxVelocityModel(OnnxTestData.Signature("fixed_batch"), FlowTimeConvention.NoiseAtOne);
        Assert.Equal(4, model.FixedBatchSize);
        float[] x = [1, 2, 3, 4, 5, 6, 7, 8];
        var v = new float[8];
        model.Evaluate(x, 4, 3f, FlowCondition.None, v);
        Assert.Equal(x.Select(a => 3 * a).ToArray(), v);
        var e = Assert.Throws<ArgumentException>(() => model.Evaluate(x.AsSpan(0, 2), 1, 3f, FlowCondition.None, v.AsSpan(0, 2)));
        Assert.Contains("fixed batch size of 4", e.Message);
    }

    [Fact]
    public void InputAndOutputNamesAreConfigurable()
    {
        var options = new OnnxVelocityModelOptions { PointsInput = "points", TimeInput = "time", VelocityOutput = "velocity" };
        using var model = new OnnxVelocityModel(OnnxTestData.Signature("renamed"), FlowTimeConvention.NoiseAtOne, options);
        var v = new float[2];
        model.Evaluate([3f, -1f], 1, 2f, FlowCondition.None, v);
        Assert.Equal([6f, -2f], v);

        var e = Assert.Throws<InvalidDataException>(() => new OnnxVelocityModel(OnnxTestData.Signature("renamed"), FlowTimeConvention.NoiseAtOne));
        Assert.Contains("inputs 'points', 'time' besides 'x', 't' and 'cond'", e.Message);
    }

    [Fact]
    public void OpensFromBytes()
    {
        using var model = new OnnxVelocityModel(File.ReadAllBytes(OnnxTestData.Unconditional), FlowTimeConvention.NoiseAtOne);
        using OnnxVelocityModel fromFile = OnnxTestData.OpenUnconditional();
        float[] x = [0.3f, -0.7f];
        float[] a = new float[2], b = new float[2];
        model.Evaluate(x, 1, 0.5f, FlowCondition.None, a);
        fromFile.Evaluate(x, 1, 0.5f, FlowCondition.None, b);
        Assert.Equal(b, a);
    }

    [Fact]
    public void MissingFileThrowsFileNotFound()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Data", "no_such_model.onnx");
        var e = Assert.Throws<FileNotFoundException>(() => new OnnxVelocityModel(path, FlowTimeConvention.NoiseAtOne));
        Assert.Equal(path, e.FileName);
    }

    [Fact]
    public void GarbageThrowsInvalidData()
    {
        byte[] garbage = "this is not an ONNX model"u8.ToArray();
        var e = Assert.Throws<InvalidDataException>(() => new OnnxVelocityModel(garbage, FlowTimeConvention.NoiseAtOne));
        Assert.Contains("ONNX Runtime could not load the model bytes", e.Message);
        Assert.NotNull(e.InnerException);
    }

    [Theory]
    [InlineData("bad_x_rank", "points input 'x' of rank 3 [?, 2, 1]")]
    [InlineData("bad_x_type", "input 'x' of type Double; it must be a float32 tensor")]
    [InlineData("bad_x_free_dimension", "whose last dimension (d) is not fixed")]
    [InlineData("bad_no_t", "has no input 't' (it has 'x')")]
    [InlineData("bad_t_shape", "has time input 't' [?, 2]")]
    [InlineData("bad_extra_input", "has inputs 'mask' besides")]
    [InlineData("bad_v_dimension", "has velocity output 'v' [?, 3] but points input [?, 2]")]
    [InlineData("bad_no_v", "has no output 'v' (it has 'y')")]
    [InlineData("bad_cond_free_length", "has condition input 'cond' [?, ?]")]
    public void BadSignaturesThrowInvalidData(string name, string message)
    {
        var e = Assert.Throws<InvalidDataException>(() => new OnnxVelocityModel(OnnxTestData.Signature(name), FlowTimeConvention.NoiseAtOne));
        Assert.Contains(message, e.Message);
        Assert.Contains($"{name}.onnx", e.Message);
    }

    [Fact]
    public void ConditionMismatchesThrowArgumentException()
    {
        float[] x = [0.1f, 0.2f];
        var v = new float[2];
        using OnnxVelocityModel u = OnnxTestData.OpenUnconditional();
        var e = Assert.Throws<ArgumentException>(() => u.Evaluate(x, 1, 0.5f, FlowCondition.Class(0), v));
        Assert.Contains("no 'cond' input, so it is unconditional", e.Message);

        using OnnxVelocityModel c = OnnxTestData.OpenConditional();
        e = Assert.Throws<ArgumentException>(() => c.Evaluate(x, 1, 0.5f, FlowCondition.None, v));
        Assert.Contains("needs a condition", e.Message);
        e = Assert.Throws<ArgumentException>(() => c.Evaluate(x, 1, 0.5f, FlowCondition.Embedding(new float[3]), v));
        Assert.Contains("has length 3 but the model's 'cond' input has length 2", e.Message);
        e = Assert.Throws<ArgumentException>(() => c.Evaluate(x, 1, 0.5f, FlowCondition.Class(2), v));
        Assert.Contains("Class 2 has no one-hot vector of length 2", e.Message);
        Assert.Equal(0, c.CallCount);
    }

    [Fact]
    public void WrongLengthsThrowArgumentException()
    {
        using OnnxVelocityModel model = OnnxTestData.OpenUnconditional();
        var v = new float[4];
        var e = Assert.Throws<ArgumentException>(() => model.Evaluate(new float[3], 2, 0.5f, FlowCondition.None, v));
        Assert.Contains("2 points of dimension 2 need 4 values but 3 were given", e.Message);
        e = Assert.Throws<ArgumentException>(() => model.Evaluate(new float[4], 2, 0.5f, FlowCondition.None, new float[6]));
        Assert.Contains("The output has 6 values", e.Message);
    }

    [Fact]
    public void BadOptionsThrow()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new OnnxVelocityModel(OnnxTestData.Unconditional, FlowTimeConvention.NoiseAtOne,
            new OnnxVelocityModelOptions { IntraOpNumThreads = -1 }));
        Assert.Throws<ArgumentException>(() => new OnnxVelocityModel(OnnxTestData.Unconditional, FlowTimeConvention.NoiseAtOne,
            new OnnxVelocityModelOptions { TimeInput = "x" }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new OnnxVelocityModel(OnnxTestData.Unconditional, (FlowTimeConvention)7));
    }

    [Fact]
    public void DisposedModelThrows()
    {
        OnnxVelocityModel model = OnnxTestData.OpenUnconditional();
        var v = new float[2];
        model.Evaluate([0f, 0f], 1, 0.5f, FlowCondition.None, v);
        model.Dispose();
        model.Dispose();
        Assert.Throws<ObjectDisposedException>(() => model.Evaluate([0f, 0f], 1, 0.5f, FlowCondition.None, v));
    }

    [Fact]
    public void ConfigureSessionIsCalled()
    {
        bool called = false;
        var options = new OnnxVelocityModelOptions { IntraOpNumThreads = 2, ConfigureSession = so => called = so.IntraOpNumThreads == 2 };
        using var model = new OnnxVelocityModel(OnnxTestData.Unconditional, FlowTimeConvention.NoiseAtOne, options);
        Assert.True(called);
    }
}
