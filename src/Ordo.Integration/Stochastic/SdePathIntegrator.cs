namespace Ordo.Integration;

/// <summary>
/// The one SDE solve loop, written once for every method: fixed steps on the counter-based grid (sde.md §1.2) or
/// adaptive steps on a virtual Brownian tree, where a rejected step is retried as another query of the same path
/// (never a redraw: sde.md §4.2). One instance per thread; <see cref="Run"/> solves one path and allocates nothing
/// once warm (apart from the saved states the caller asked for).
/// </summary>
internal sealed class SdePathIntegrator
{
    private readonly SdeProblem _problem;
    private readonly SdeMethod _method;
    private readonly SdeOptions _options;
    private readonly SdeStepper _stepper;
    private readonly IStepSizeController _controller;
    private readonly double[] _err, _dW, _dH, _atol;
    private double[] _y, _yNew;
    private readonly bool _adaptive;
    private readonly int _fixedSteps;
    private readonly double _fixedH, _minStep;
    private readonly VirtualBrownianTree? _tree;
    private readonly int[] _saveGridIndex = [];
    private BrownianIncrements? _grid;

    private readonly IBrownianPath? _external;

    // +1 forwards, −1 backwards; the Brownian path always lives on [_lo, _lo + span] and is read in reverse backwards.
    private readonly int _direction;
    private readonly double _lo;

    public SdePathIntegrator(SdeProblem problem, SdeMethod method, SdeOptions options, IBrownianPath? path = null)
    {
        if (path is not null)
        {
            if (path.Lanes != problem.NoiseDimension)
                throw new ArgumentException($"The Brownian path has {path.Lanes} lanes but the problem has {problem.NoiseDimension} Wiener processes.", nameof(path));
            if (path.T0 > Math.Min(problem.T0, problem.T1) || path.T1 < Math.Max(problem.T0, problem.T1))
                throw new ArgumentException($"The Brownian path covers [{path.T0}, {path.T1}], which does not contain the solve's interval from {problem.T0} to {problem.T1}.", nameof(path));
            _external = path;
        }
        _problem = problem;
        _method = method;
        _options = options;
        _direction = problem.Direction;
        _lo = Math.Min(problem.T0, problem.T1);
        if (_direction < 0 && method.UnsupportedBackward(problem) is { } why)
            throw new ArgumentException(why, nameof(method));
        _stepper = method.CreateStepper(problem);
        int d = problem.Dimension, m = problem.NoiseDimension;
        _y = new double[d];
        _yNew = new double[d];
        _err = new double[d];
        _dW = new double[m];
        _dH = new double[m];
        _atol = new double[d];
        Array.Fill(_atol, options.AbsoluteTolerance);
        double span = Math.Abs(problem.T1 - problem.T0);
        _adaptive = options.FixedStep is null;
        if (!_adaptive)
        {
            _fixedSteps = (int)Math.Max(1, Math.Ceiling(span / options.FixedStep!.Value * (1 - 1e-12)));
            _fixedH = span / _fixedSteps;
            if (options.SaveTimes is { } times)
            {
                _saveGridIndex = new int[times.Count];
                for (int i = 0; i < times.Count; i++)
                {
                    double x = Math.Abs(times[i] - problem.T0) / _fixedH;
                    if (Math.Abs(x - Math.Round(x)) > 1e-9 * Math.Max(1, x))
                        throw new ArgumentException($"With fixed steps of {_fixedH:g6} the save time {times[i]} is not a grid point t0 + n·h.", nameof(options));
                    _saveGridIndex[i] = (int)Math.Round(x);
                }
            }
            _controller = null!;
        }
        else
        {
            if (!method.HasErrorEstimate)
                throw new ArgumentException($"Method '{method.Name}' has no error estimate: give a fixed step (SdeOptions.FixedStep, --dt).", nameof(method));
            double tol = options.EffectiveBrownianTolerance(problem);
            if (_external is null)
            {
                _tree = new VirtualBrownianTree(_lo, _lo + span, tol, m, options.Seed, options.Stream, allowSubLeafIncrements: true);
                _minStep = options.MinStep ?? _tree.LeafWidth;
            }
            else _minStep = options.MinStep ?? (_external is VirtualBrownianTree vbt ? vbt.LeafWidth : 0);
            _controller = options.Controller ?? method.DefaultController(problem);
        }
    }

    public SdeStepper Stepper => _stepper;

    /// <summary>The state at the end of the last <see cref="Run"/>.</summary>
    public ReadOnlySpan<double> State => _y;

    /// <summary>Solves path <paramref name="stream"/>; saved states go to <paramref name="save"/> when not null.</summary>
    public (SdeStatus Status, double Time, SdeStats Stats) Run(ulong stream, SdeRecorder? save)
    {
        _stepper.DriftEvaluations = 0;
        _stepper.DiffusionEvaluations = 0;
        _problem.InitialState.CopyTo(_y);
        if (save is { Steps: true }) save.Record(_problem.T0, _y, -1);
        return _adaptive ? RunAdaptive(stream, save) : RunFixed(stream, save);
    }

    private (SdeStatus, double, SdeStats) RunFixed(ulong stream, SdeRecorder? save)
    {
        if (_external is null)
        {
            _grid ??= new BrownianIncrements(_lo, _fixedH, _fixedSteps, _problem.NoiseDimension, _options.Seed, stream);
            _grid.Reset(stream);
        }
        var token = _options.CancellationToken;
        double t = _problem.T0;
        Span<double> dH = _method.UsesLevyArea ? _dH : Span<double>.Empty;
        int n = 0, nextSave = 0;
        SdeStatus status = SdeStatus.Success;
        for (; n < _fixedSteps; n++)
        {
            if (n >= _options.MaxSteps) { status = SdeStatus.MaxStepsReached; break; }
            token.ThrowIfCancellationRequested();
            double tNext = n + 1 == _fixedSteps ? _problem.T1 : _problem.T0 + _direction * (n + 1) * _fixedH;
            if (_external is null)
            {
                // Backwards, step n is grid step N − 1 − n of the same path, read in reverse.
                _grid!.Step(_direction > 0 ? n : _fixedSteps - 1 - n, _dW, _dH);
                if (_direction < 0) Reverse(_dW);
            }
            else Increment(_external, t, tNext, dH);
            _stepper.Step(t, tNext - t, _y, _dW, dH, _yNew, _err);
            if (_stepper.Failed) { status = SdeStatus.NewtonFailure; break; }
            if (!AllFinite(_yNew)) { status = SdeStatus.NonFiniteValue; break; }
            (_y, _yNew) = (_yNew, _y); // swap instead of copying the accepted state
            t = tNext;
            int saveIndex = -1;
            if (nextSave < _saveGridIndex.Length && _saveGridIndex[nextSave] == n + 1) saveIndex = nextSave++;
            if (save is not null && (save.Steps || saveIndex >= 0)) save.Record(t, _y, saveIndex);
        }
        return (status, t, new SdeStats(_stepper.DriftEvaluations, _stepper.DiffusionEvaluations, n, 0));
    }

    private (SdeStatus, double, SdeStats) RunAdaptive(ulong stream, SdeRecorder? save)
    {
        IBrownianPath tree = _external ?? _tree!;
        _tree?.Reset(stream);
        var token = _options.CancellationToken;
        double t0 = _problem.T0, t1 = _problem.T1;
        int dir = _direction;
        double t = t0;
        double h = Math.Min(_options.InitialStep ?? 0.01 * Math.Abs(t1 - t0), _options.MaxStep); // a magnitude
        var memory = ControllerMemory.Initial;
        IReadOnlyList<double>? saveTimes = _options.SaveTimes;
        int nextSave = 0;
        long accepted = 0, rejected = 0;
        Span<double> dH = _method.UsesLevyArea ? _dH : Span<double>.Empty;
        SdeStatus status = SdeStatus.Success;
        bool retry = false;
        while (dir * (t1 - t) > 0)
        {
            if (accepted + rejected >= _options.MaxSteps) { status = SdeStatus.MaxStepsReached; break; }
            token.ThrowIfCancellationRequested();
            double stop = saveTimes is not null && nextSave < saveTimes.Count ? saveTimes[nextSave] : t1;
            h = Math.Min(h, _options.MaxStep);
            if (h < _minStep || h <= 10 * FloatingPoint.Epsilon * Math.Abs(t) || t + dir * h == t)
            {
                status = SdeStatus.StepSizeTooSmall;
                break;
            }
            // Land exactly on the stop and never leave a remainder shorter than the minimum step: a step that would
            // end within MinStep of the stop is lengthened to it, except right after a rejection, when the controller
            // asked for less than the step just rejected (lengthening again would retry that same step for ever);
            // then the rest is split in two, or, when even halves would be shorter than MinStep, the solve stops.
            double remaining = dir * (stop - t), tEnd;
            if (h >= remaining || (remaining - h < _minStep && !retry)) tEnd = stop;
            else if (remaining - h >= _minStep) tEnd = t + dir * h;
            else if (remaining >= 2 * _minStep) tEnd = t + dir * 0.5 * remaining;
            else
            {
                status = SdeStatus.StepSizeTooSmall;
                break;
            }
            double hStep = tEnd - t; // signed: negative backwards
            Increment(tree, t, tEnd, dH);
            _stepper.Step(t, hStep, _y, _dW, dH, _yNew, _err);
            double norm = !_stepper.Failed && AllFinite(_yNew) ? ErrorNorm.WeightedRms<double>(_err, _y, _yNew, _atol, _options.RelativeTolerance) : double.PositiveInfinity;
            if (double.IsNaN(norm)) norm = double.PositiveInfinity;
            StepSizeDecision decision = _controller.Decide(Math.Abs(hStep), norm, ref memory);
            retry = !decision.Accept;
            if (decision.Accept)
            {
                accepted++;
                t = tEnd;
                (_y, _yNew) = (_yNew, _y);
                int saveIndex = -1;
                if (saveTimes is not null && nextSave < saveTimes.Count && tEnd == saveTimes[nextSave]) saveIndex = nextSave++;
                if (save is not null && (save.Steps || saveIndex >= 0)) save.Record(t, _y, saveIndex);
            }
            else
            {
                rejected++;
                if (double.IsPositiveInfinity(norm) && decision.NextStepSize < _minStep)
                {
                    status = _stepper.Failed ? SdeStatus.NewtonFailure : SdeStatus.NonFiniteValue;
                    break;
                }
            }
            h = decision.NextStepSize;
        }
        return (status, t, new SdeStats(_stepper.DriftEvaluations, _stepper.DiffusionEvaluations, accepted, rejected));
    }

    /// <summary>The noise of the step from <paramref name="t"/> to <paramref name="tEnd"/> into the buffers: the path's
    /// increment over the interval in increasing time, with W negated when the step goes backwards (H keeps its sign:
    /// the bridge of a reversed path is the bridge read backwards, whose time average is the same).</summary>
    private void Increment(IBrownianPath path, double t, double tEnd, Span<double> dH)
    {
        double lo = Math.Min(t, tEnd), hi = Math.Max(t, tEnd);
        if (dH.IsEmpty) path.Increment(lo, hi, _dW);
        else path.Increment(lo, hi, _dW, dH);
        if (tEnd < t) Reverse(_dW);
    }

    private static void Reverse(Span<double> dW)
    {
        for (int j = 0; j < dW.Length; j++) dW[j] = -dW[j];
    }

    internal static bool AllFinite(ReadOnlySpan<double> v)
    {
        for (int i = 0; i < v.Length; i++)
            if (!double.IsFinite(v[i])) return false;
        return true;
    }
}

/// <summary>Receives the states a solve records: every accepted step when <see cref="Steps"/> is set, and the states at
/// the requested save times (with their index).</summary>
internal abstract class SdeRecorder
{
    /// <summary>True to record every accepted step (and t0).</summary>
    public abstract bool Steps { get; }

    /// <summary>Records the state <paramref name="y"/> at <paramref name="t"/>; <paramref name="saveTimeIndex"/> is the index in
    /// SdeOptions.SaveTimes, or −1 for a plain step.</summary>
    public abstract void Record(double t, ReadOnlySpan<double> y, int saveTimeIndex);
}
