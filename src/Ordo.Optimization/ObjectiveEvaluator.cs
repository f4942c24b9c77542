namespace Ordo.Optimization;

/// <summary>
/// What a method sees of the objective during one run: every evaluation goes through here, so the counts, the
/// best point seen, the evaluation budget and cancellation are handled once, not in each method.
/// </summary>
/// <remarks>
/// A value counts as a function evaluation whether or not a gradient came with it; a gradient (or Jacobian) counts once
/// as a gradient evaluation. The best point is updated on every finite value, so a run stopped by its budget in the
/// middle of a line search still returns the best point evaluated (scipy/scipy#6162). Allocation happens in the
/// constructor only.
/// </remarks>
public sealed class ObjectiveEvaluator
{
    private readonly IObjective _objective;
    private readonly IGradientObjective? _gradient;
    private readonly IHessianVectorObjective? _hvp;
    private readonly IHessianObjective? _hessian;
    private readonly ILeastSquaresObjective? _leastSquares;
    private readonly double[] _best;
    private readonly double[] _bestGradient;
    private readonly double[]? _r;
    private readonly double[]? _j;
    private readonly long _maxEvaluations;
    private readonly CancellationToken _cancellation;
    private double _bestF = double.PositiveInfinity;
    private double _bestGradientNorm = double.PositiveInfinity;
    private bool _bestHasGradient;

    internal ObjectiveEvaluator(IObjective objective, long maxEvaluations, CancellationToken cancellation)
    {
        _objective = objective;
        _gradient = objective as IGradientObjective;
        _hvp = objective as IHessianVectorObjective;
        _hessian = objective as IHessianObjective;
        _leastSquares = objective as ILeastSquaresObjective;
        Dimension = objective.Dimension;
        _best = new double[Dimension];
        _bestGradient = new double[Dimension];
        if (_leastSquares is not null)
        {
            _r = new double[_leastSquares.ResidualCount];
            if (_gradient is null) _j = new double[_leastSquares.ResidualCount * Dimension];
        }
        _maxEvaluations = maxEvaluations;
        _cancellation = cancellation;
    }

    /// <summary>n.</summary>
    public int Dimension { get; }

    /// <summary>The objective's capabilities.</summary>
    public ObjectiveCapabilities Capabilities => Optimization.Capabilities.Of(_objective);

    /// <summary>True when gradients are available (a gradient objective, or residuals with a Jacobian).</summary>
    public bool HasGradient => _gradient is not null || _leastSquares is not null;

    /// <summary>The number of residuals m of a least-squares objective; 0 otherwise.</summary>
    public int ResidualCount => _leastSquares?.ResidualCount ?? 0;

    /// <summary>Objective evaluations so far.</summary>
    public long FunctionEvaluations { get; private set; }

    /// <summary>Gradient or Jacobian evaluations so far.</summary>
    public long GradientEvaluations { get; private set; }

    /// <summary>Dense Hessian evaluations so far.</summary>
    public long HessianEvaluations { get; private set; }

    /// <summary>Hessian–vector products so far.</summary>
    public long HessianVectorProducts { get; private set; }

    /// <summary>Non-finite values returned by the objective so far.</summary>
    public long NonFiniteValues { get; private set; }

    /// <summary>The lowest finite value evaluated (+∞ before the first).</summary>
    public double BestF => _bestF;

    /// <summary>The point of <see cref="BestF"/>.</summary>
    public ReadOnlySpan<double> BestX => _best;

    /// <summary>The gradient at <see cref="BestX"/> when it was evaluated there; see <see cref="BestHasGradient"/>.</summary>
    public ReadOnlySpan<double> BestGradient => _bestGradient;

    /// <summary>True when <see cref="BestGradient"/> belongs to <see cref="BestX"/>.</summary>
    public bool BestHasGradient => _bestHasGradient;

    /// <summary>How often the best point changed: a lower value, or an equal value with a smaller gradient (progress
    /// at rounding level, which the driver's stall test must not mistake for a stall).</summary>
    internal long BestUpdates { get; private set; }

    internal EvaluationCounts Counts => new(FunctionEvaluations, GradientEvaluations, HessianEvaluations, HessianVectorProducts);

    private void BeforeEvaluation()
    {
        _cancellation.ThrowIfCancellationRequested();
        if (FunctionEvaluations >= _maxEvaluations) throw new EvaluationBudgetExhaustedException();
    }

    private void Record(ReadOnlySpan<double> x, double f, ReadOnlySpan<double> gradient)
    {
        if (!double.IsFinite(f)) { NonFiniteValues++; return; }
        if (f < _bestF)
        {
            Store(x, f, gradient);
        }
        else if (f == _bestF && !gradient.IsEmpty)
        {
            // At rounding level f no longer decreases while the gradient still does: among equal values keep the point
            // with the smaller gradient, so the returned point is the one the gradient test saw.
            if (!_bestHasGradient || MinimizerRun.InfinityNorm(gradient) < _bestGradientNorm) Store(x, f, gradient);
        }
    }

    private void Store(ReadOnlySpan<double> x, double f, ReadOnlySpan<double> gradient)
    {
        BestUpdates++;
        _bestF = f;
        x.CopyTo(_best);
        _bestHasGradient = !gradient.IsEmpty;
        if (_bestHasGradient)
        {
            gradient.CopyTo(_bestGradient);
            _bestGradientNorm = MinimizerRun.InfinityNorm(gradient);
        }
        else
        {
            _bestGradientNorm = double.PositiveInfinity;
        }
    }

    /// <summary>f(x). Counts one evaluation and updates the best point.</summary>
    public double Value(ReadOnlySpan<double> x)
    {
        BeforeEvaluation();
        FunctionEvaluations++;
        double f;
        if (_leastSquares is not null && _gradient is null)
        {
            try { _leastSquares.Residuals(x, _r); } catch (Exception e) when (e is not OperationCanceledException) { throw new ObjectiveThrewException(e); }
            f = LeastSquares.SumOfSquares(_r);
        }
        else
        {
            try { f = _objective.Value(x); } catch (Exception e) when (e is not OperationCanceledException) { throw new ObjectiveThrewException(e); }
        }
        Record(x, f, default);
        return f;
    }

    /// <summary>f(x) and ∇f(x). Counts one function and one gradient evaluation.</summary>
    public double ValueAndGradient(ReadOnlySpan<double> x, Span<double> gradient)
    {
        BeforeEvaluation();
        FunctionEvaluations++;
        GradientEvaluations++;
        double f;
        if (_gradient is not null)
        {
            try { f = _gradient.ValueAndGradient(x, gradient); } catch (Exception e) when (e is not OperationCanceledException) { throw new ObjectiveThrewException(e); }
        }
        else if (_leastSquares is not null)
        {
            try { _leastSquares.Residuals(x, _r); _leastSquares.Jacobian(x, _j); }
            catch (Exception e) when (e is not OperationCanceledException) { throw new ObjectiveThrewException(e); }
            LeastSquares.Gradient(_j, _r, Dimension, gradient);
            f = LeastSquares.SumOfSquares(_r);
        }
        else
        {
            throw new InvalidOperationException("The method asked for a gradient but the objective has none.");
        }
        Record(x, f, gradient);
        return f;
    }

    /// <summary>∇²f(x)·v. Counts one Hessian–vector product.</summary>
    public void HessianVectorProduct(ReadOnlySpan<double> x, ReadOnlySpan<double> v, Span<double> result)
    {
        _cancellation.ThrowIfCancellationRequested();
        if (_hvp is null) throw new InvalidOperationException("The method asked for Hessian-vector products but the objective has none.");
        HessianVectorProducts++;
        try { _hvp.HessianVectorProduct(x, v, result); } catch (Exception e) when (e is not OperationCanceledException) { throw new ObjectiveThrewException(e); }
    }

    /// <summary>The dense ∇²f(x), row-major. Counts one Hessian evaluation.</summary>
    public void Hessian(ReadOnlySpan<double> x, Span<double> hessian)
    {
        _cancellation.ThrowIfCancellationRequested();
        if (_hessian is null) throw new InvalidOperationException("The method asked for a dense Hessian but the objective has none.");
        HessianEvaluations++;
        try { _hessian.Hessian(x, hessian); } catch (Exception e) when (e is not OperationCanceledException) { throw new ObjectiveThrewException(e); }
    }

    /// <summary>r(x); returns Σ rᵢ². Counts one function evaluation.</summary>
    public double Residuals(ReadOnlySpan<double> x, Span<double> residuals)
    {
        if (_leastSquares is null) throw new InvalidOperationException("The method asked for residuals but the objective is not a least-squares objective.");
        BeforeEvaluation();
        FunctionEvaluations++;
        try { _leastSquares.Residuals(x, residuals); } catch (Exception e) when (e is not OperationCanceledException) { throw new ObjectiveThrewException(e); }
        double f = LeastSquares.SumOfSquares(residuals);
        Record(x, f, default);
        return f;
    }

    /// <summary>The Jacobian of the residuals at x, row-major m×n. Counts one gradient evaluation. Call it at a point
    /// whose residuals were just evaluated.</summary>
    public void Jacobian(ReadOnlySpan<double> x, Span<double> jacobian)
    {
        if (_leastSquares is null) throw new InvalidOperationException("The method asked for a Jacobian but the objective is not a least-squares objective.");
        _cancellation.ThrowIfCancellationRequested();
        GradientEvaluations++;
        try { _leastSquares.Jacobian(x, jacobian); } catch (Exception e) when (e is not OperationCanceledException) { throw new ObjectiveThrewException(e); }
    }

    /// <summary>Tells the evaluator the gradient at <paramref name="x"/> (e.g. 2Jᵀr formed by a least-squares method),
    /// so the result can report ‖∇f‖ at the best point without another evaluation. Ignored unless x is the best point.</summary>
    public void NoteGradient(ReadOnlySpan<double> x, ReadOnlySpan<double> gradient)
    {
        if (!_bestHasGradient && x.SequenceEqual(_best))
        {
            gradient.CopyTo(_bestGradient);
            _bestGradientNorm = MinimizerRun.InfinityNorm(gradient);
            _bestHasGradient = true;
        }
    }
}

/// <summary>Internal signal: the evaluation budget is spent. The driver turns it into <see cref="OptimizationStatus.MaxEvaluations"/>.</summary>
internal sealed class EvaluationBudgetExhaustedException : Exception
{
    public EvaluationBudgetExhaustedException() : base("The objective-evaluation budget is spent.") { }
}

/// <summary>Internal signal: the user's objective threw. The driver wraps it in <see cref="ObjectiveEvaluationException"/>
/// with the result so far.</summary>
internal sealed class ObjectiveThrewException(Exception inner) : Exception("The objective threw.", inner);
