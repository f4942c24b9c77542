using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Ordo.Integration;

/// <summary>
/// The ODE driver: the integration loop, written once for every method. It owns the limits, step-size control,
/// rejection handling, output (steps, save times, dense output), events, counting, progress and cancellation; the
/// method's <see cref="OdeStepper{T}"/> only takes single steps. Use <see cref="Ode.Solve{T}(OdeProblem{T}, IOdeMethod, OdeOptions?)"/>
/// for a whole solve, or create an integrator and call <see cref="Step"/> to advance one accepted step at a time.
/// </summary>
/// <remarks>
/// A step allocates nothing unless it has to store output (every step, dense output) or record an event.
/// </remarks>
/// <typeparam name="T">Number type of the state.</typeparam>
public sealed class OdeIntegrator<T> where T : IFloatingPointIeee754<T>
{
    private const double NonFiniteShrink = 0.25;
    private const int MaxNonFiniteRetries = 40;

    private readonly IOdeMethod _method;
    private readonly OdeOptions _options;
    private readonly OdeFunction<T> _rhs;
    private readonly OdeStepper<T> _stepper;
    private readonly IStepSizeController _controller;
    private readonly ErrorTolerances _tolerances;
    private readonly bool _fixedStep;
    private readonly int _n;
    private readonly int _direction;
    private readonly double _t0;
    private readonly double _t1;

    private T[] _y;
    private T[] _yNew;
    private readonly T[] _interpolant;     // (degree + 1)·n coefficients of the current step's dense output
    private readonly T[] _yScratch;        // interpolated states (events, save points)
    private double _t;
    private double _h;                     // signed step size to try next
    private long _fixedIndex;              // fixed steps: index of the next step
    private readonly long _fixedCount;     // fixed steps: number of steps to t1
    private ControllerMemory _memory = ControllerMemory.Initial;
    private int _accepted;
    private int _rejected;
    private int _attempts;
    private int _nonFiniteStreak;
    private long _driverEvaluations;
    private bool _interpolantReady;

    // Output.
    private readonly IReadOnlyList<double>? _saveTimes;
    private int _nextSave;
    private double[] _times;
    private T[] _states;
    private int _count;
    private readonly DenseOutput<T>? _dense;
    private readonly bool _saveSteps;
    private readonly bool _storesOutput;       // save times, steps or dense output: SaveOutput has work to do

    // Events.
    private readonly OdeEvent[] _events;
    private readonly int[] _eventSign;     // sign of the last nonzero value of g (0: none yet, or g is at zero)
    private readonly double[] _yDouble;    // the state as double for event functions when T is not double
    private readonly double[] _candidateTheta;
    private readonly int[] _candidateEvent;
    private List<OdeEventOccurrence<T>>? _occurrences;

    // Progress and cancellation.
    private readonly IProgress<OdeProgress>? _progress;
    private ProgressThrottle _throttle = new(TimeSpan.FromMilliseconds(100));
    private readonly CancellationToken _cancellationToken;
    private readonly bool _cancellable;
    private bool _finalReported;

    /// <summary>Prepares a solve: validates the options, allocates every buffer, evaluates f(t0, y0) and chooses the first step.</summary>
    /// <exception cref="ArgumentException">An option is invalid for this problem, or the method has no error estimate and no fixed step was given.</exception>
    public OdeIntegrator(OdeProblem<T> problem, IOdeMethod method, OdeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(method);
        options ??= OdeOptions.Default;
        options.Validate(problem.Dimension, problem.T0, problem.T1);
        _fixedStep = options.FixedStep is not null;
        if (!_fixedStep && method.ErrorEstimatorOrder is null)
            throw new ArgumentException($"Method '{method.Name}' has no error estimate, so it cannot choose its own steps: set OdeOptions.FixedStep (--dt), or use an adaptive method such as tsit5.", nameof(method));

        _method = method;
        _options = options;
        _rhs = problem.Rhs;
        _n = problem.Dimension;
        _t0 = problem.T0;
        _t1 = problem.T1;
        _direction = problem.Direction;
        _controller = options.Controller ?? method.DefaultController;
        var atol = new double[_n];
        for (int i = 0; i < _n; i++) atol[i] = options.AbsoluteTolerances?[i] ?? options.AbsoluteTolerance;
        _tolerances = new ErrorTolerances(options.RelativeTolerance, atol);

        _stepper = method.CreateStepper(problem);
        _y = problem.InitialState.ToArray();
        _yNew = new T[_n];
        _yScratch = new T[_n];
        _interpolant = new T[(_stepper.InterpolantDegree + 1) * _n];
        _t = _t0;

        _saveTimes = options.Save.Times;
        int capacity = _saveTimes?.Count ?? (options.Save.Steps ? 64 : 0);
        _times = new double[capacity];
        _states = new T[capacity * _n];
        if (options.Save.Dense) _dense = new DenseOutput<T>(_n, _stepper.InterpolantDegree, _t0);
        _saveSteps = options.Save.Steps;
        _storesOutput = _saveTimes is not null || _saveSteps || _dense is not null;

        _events = [.. options.Events];
        _eventSign = new int[_events.Length];
        _yDouble = typeof(T) == typeof(double) ? [] : new double[_n];
        int maxCandidates = 0;
        foreach (OdeEvent e in _events) maxCandidates += e.InteriorSamples + 1;
        _candidateTheta = new double[maxCandidates];
        _candidateEvent = new int[maxCandidates];

        _progress = options.Progress;
        _cancellationToken = options.CancellationToken;
        _cancellable = _cancellationToken.CanBeCanceled;

        // f(t0, y0): the first stage of the first step, and the slope for the initial step size.
        var f0 = new T[_n];
        _rhs(_t0, _y, f0);
        _driverEvaluations++;
        if (!Blas1.AllFinite<T>(f0))
        {
            Status = OdeStatus.NonFiniteRhs;
            return;
        }
        _stepper.Start(_t0, _y, f0);

        if (options.Save.Steps) Store(_t0, _y);
        while (_saveTimes is not null && _nextSave < _saveTimes.Count && _saveTimes[_nextSave] == _t0) Store(_saveTimes[_nextSave++], _y);
        for (int e = 0; e < _events.Length; e++)
        {
            double g = _events[e].Function(_t0, AsDouble(_y));
            _eventSign[e] = double.IsNaN(g) ? 0 : Math.Sign(g);
        }

        double span = Math.Abs(_t1 - _t0);
        if (_fixedStep)
        {
            double hf = options.FixedStep!.Value;
            double steps = Math.Ceiling(span / hf * (1 - 1e-12));
            _fixedCount = (long)Math.Clamp(steps, 1, long.MaxValue / 2);
            _h = _direction * Math.Min(hf, span);
        }
        else if (options.InitialStep is double h0)
        {
            _h = _direction * Math.Min(Math.Min(h0, options.MaxStep), span);
        }
        else
        {
            _h = _direction * InitialStep(f0, span);
        }
    }

    /// <summary>Current time.</summary>
    public double Time => _t;

    /// <summary>Current state.</summary>
    public ReadOnlySpan<T> Y => _y;

    /// <summary>Signed size of the next step to try.</summary>
    public double StepSize => _h;

    /// <summary><see cref="OdeStatus.Running"/> until the solve ends; then why it ended.</summary>
    public OdeStatus Status { get; private set; }

    /// <summary>Work counters so far.</summary>
    public OdeStats Stats => new(_stepper.RhsEvaluations + _driverEvaluations, _accepted, _rejected, _stepper.JacobianEvaluations, _stepper.LuDecompositions);

    /// <summary>
    /// Advances by one accepted step (retrying rejected attempts internally).
    /// </summary>
    /// <returns>True while the integration is still running.</returns>
    /// <exception cref="OperationCanceledException">The options' cancellation token was cancelled.</exception>
    public bool Step()
    {
        while (Status == OdeStatus.Running)
        {
            if (_t == _t1)
            {
                Status = OdeStatus.Success;
                break;
            }
            if (_attempts >= _options.MaxSteps)
            {
                Status = OdeStatus.MaxStepsReached;
                break;
            }
            if (_cancellable) _cancellationToken.ThrowIfCancellationRequested();

            double h = _h;
            bool last;
            if (_fixedStep)
            {
                last = _fixedIndex + 1 >= _fixedCount;
                double tEnd = last ? _t1 : _t0 + _direction * (_fixedIndex + 1) * _options.FixedStep!.Value;
                h = tEnd - _t;
            }
            else
            {
                // Land on t1 without leaving a sliver: stretch the step when it would stop within 1% of t1 (Hairer's rule).
                last = _direction * (_t + 1.01 * h - _t1) >= 0;
                if (last) h = _t1 - _t;
                if (Math.Abs(h) < Math.Max(_options.MinStep, 10 * FloatingPoint.Epsilon * Math.Abs(_t)) || _t + h == _t)
                {
                    if (last && Math.Abs(h) <= 10 * FloatingPoint.Epsilon * Math.Abs(_t1))
                    {
                        _t = _t1;   // t1 is within rounding of t: we are there
                        continue;
                    }
                    Status = OdeStatus.StepSizeTooSmall;
                    break;
                }
            }

            _attempts++;
            StepOutcome outcome = _stepper.Step(_t, h, _y, _yNew, _fixedStep ? null : _tolerances, out double error);
            if (outcome != StepOutcome.Success)
            {
                // A NaN or ±∞ from f: reject, and retry with a much smaller step (the RHS may be saying "too far").
                _rejected++;
                _memory.LastRejected = true;
                double hRetry = h * NonFiniteShrink;
                if (_fixedStep || ++_nonFiniteStreak > MaxNonFiniteRetries || Math.Abs(hRetry) <= 10 * FloatingPoint.Epsilon * Math.Abs(_t) || Math.Abs(hRetry) < _options.MinStep)
                {
                    Status = OdeStatus.NonFiniteRhs;
                    break;
                }
                _h = hRetry;
                continue;
            }
            _nonFiniteStreak = 0;

            double hNext = h;
            if (!_fixedStep)
            {
                StepSizeDecision decision = _stepper.ChoosesStepSize
                    ? _stepper.DecideStep(h, error, ref _memory)
                    : _controller.Decide(h, error, ref _memory);
                if (!decision.Accept)
                {
                    _rejected++;
                    _h = decision.NextStepSize;
                    continue;
                }
                hNext = decision.NextStepSize;
            }

            _accepted++;
            _fixedIndex++;
            double tNew = last ? _t1 : _t + h;
            _interpolantReady = false;
            double tStop = _events.Length == 0 ? double.NaN : LocateEvents(_t, h, tNew);
            bool terminated = !double.IsNaN(tStop);
            if (!terminated) tStop = tNew;
            if (_storesOutput) SaveOutput(_t, h, tNew, tStop);

            if (terminated)
            {
                Interpolate(_t, h, tStop, tNew, _yScratch);
                _yScratch.CopyTo(_y, 0);
                _t = tStop;
                Status = OdeStatus.TerminatedByEvent;
                break;
            }

            _stepper.Accept(_t, h, _y, _yNew);
            (_y, _yNew) = (_yNew, _y);
            _t = tNew;
            if (!_fixedStep) _h = _direction * Math.Min(Math.Abs(hNext), _options.MaxStep);
            if (_t == _t1) Status = OdeStatus.Success;
            if (Status != OdeStatus.Running) break;
            if (_progress is not null && _throttle.ShouldReport()) ReportProgress();
            return true;
        }
        if (!_finalReported)
        {
            _finalReported = true;
            if (_progress is not null) ReportProgress();
        }
        return false;
    }

    private void ReportProgress() => _progress!.Report(new OdeProgress(_t, _h, _accepted, (_t - _t0) / (_t1 - _t0)));

    /// <summary>Integrates to the end and returns the solution.</summary>
    public OdeSolution<T> Solve()
    {
        while (Step())
        {
        }
        return Result();
    }

    /// <summary>The solution as it stands (the final one once <see cref="Status"/> is no longer Running).</summary>
    public OdeSolution<T> Result()
    {
        double[] times = _times.AsSpan(0, _count).ToArray();
        T[] states = _states.AsSpan(0, _count * _n).ToArray();
        return new OdeSolution<T>(_method.Name, Status, _t, [.. _y], times, states, _count,
            _occurrences is null ? [] : _occurrences.ToArray(), Stats, _dense, [.. _stepper.MethodSegments]);
    }

    /// <summary>Hairer's initial step size (HNW I, §II.4, subroutine HINIT): the step for which an explicit Euler step
    /// would make an error of about 0.01 in the weighted norm, corrected by a second-derivative estimate.</summary>
    private double InitialStep(ReadOnlySpan<T> f0, double span)
    {
        ReadOnlySpan<double> atol = _tolerances.Absolute;
        double rtol = _tolerances.Relative;
        double d0 = ErrorNorm.ScaledRms<T>(_y, _y, atol, rtol);
        double d1 = ErrorNorm.ScaledRms(f0, _y, atol, rtol);
        double h0 = d0 < 1e-5 || d1 < 1e-5 ? 1e-6 : 0.01 * d0 / d1;
        double hMax = Math.Min(_options.MaxStep, span);
        h0 = Math.Min(h0, hMax);

        // One explicit Euler step, and the change of f over it: ‖f(t0 + h0, y0 + h0 f0) − f0‖ / h0 ≈ ‖y''‖.
        Span<T> y1 = _yNew, f1 = _yScratch;
        Blas1.LinearCombination(y1, _y, T.CreateTruncating(_direction * h0), f0, _n, [0], [T.One]);
        _rhs(_t0 + _direction * h0, y1, f1);
        _driverEvaluations++;
        if (!Blas1.AllFinite<T>(f1)) return h0;
        for (int i = 0; i < _n; i++) f1[i] -= f0[i];
        double d2 = ErrorNorm.ScaledRms<T>(f1, _y, atol, rtol) / h0;
        double dMax = Math.Max(d1, d2);
        double h1 = dMax <= 1e-15 ? Math.Max(1e-6, h0 * 1e-3) : Math.Pow(0.01 / dMax, 1.0 / _method.Order);   // HINIT: exponent 1/IORD, IORD = order
        return Math.Min(Math.Min(100 * h0, h1), hMax);
    }

    private void EnsureInterpolant(double t, double h)
    {
        if (_interpolantReady) return;
        _stepper.Interpolant(t, h, _y, _yNew, _interpolant);
        _interpolantReady = true;
    }

    /// <summary>The state at time <paramref name="tau"/> inside the step [t, t + h] (exactly yNew at its end).</summary>
    private void Interpolate(double t, double h, double tau, double tNew, Span<T> destination)
    {
        if (tau == tNew)
        {
            _yNew.CopyTo(destination);
            return;
        }
        EnsureInterpolant(t, h);
        Interpolation.EvaluatePolynomial<T>(_interpolant, _n, _stepper.InterpolantDegree, T.CreateTruncating((tau - t) / h), destination);
    }

    private void SaveOutput(double t, double h, double tNew, double tStop)
    {
        if (_saveTimes is not null)
        {
            while (_nextSave < _saveTimes.Count && _direction * (_saveTimes[_nextSave] - tStop) <= 0)
            {
                double ts = _saveTimes[_nextSave++];
                Interpolate(t, h, ts, tNew, _yScratch);
                Store(ts, _yScratch);
            }
        }
        if (_saveSteps)
        {
            Interpolate(t, h, tStop, tNew, _yScratch);
            Store(tStop, _yScratch);
        }
        if (_dense is not null)
        {
            EnsureInterpolant(t, h);
            _interpolant.CopyTo(_dense.Reserve());
            _dense.Commit(t, h, tStop);
        }
    }

    private void Store(double t, ReadOnlySpan<T> y)
    {
        if (_count == _times.Length)
        {
            int capacity = Math.Max(64, 2 * _count);
            Array.Resize(ref _times, capacity);
            Array.Resize(ref _states, capacity * _n);
        }
        _times[_count] = t;
        y.CopyTo(_states.AsSpan(_count * _n, _n));
        _count++;
    }

    private ReadOnlySpan<double> AsDouble(ReadOnlySpan<T> y)
    {
        if (typeof(T) == typeof(double))
            return MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<T, double>(ref MemoryMarshal.GetReference(y)), y.Length);
        for (int i = 0; i < y.Length; i++) _yDouble[i] = double.CreateTruncating(y[i]);
        return _yDouble;
    }

    private double EventValue(int e, double t, double h, double theta, double tNew)
    {
        double tau = theta == 1 ? tNew : t + theta * h;
        Interpolate(t, h, tau, tNew, _yScratch);
        return _events[e].Function(tau, AsDouble(_yScratch));
    }

    private struct EventRoot(OdeIntegrator<T> owner, int e, double t, double h, double tNew) : IScalarFunction
    {
        public readonly double Evaluate(double theta) => owner.EventValue(e, t, h, theta, tNew);
    }

    /// <summary>
    /// Finds the sign changes of every event function in the accepted step [t, tNew], records them in time order, and
    /// returns the time of the first terminal one (NaN if none).
    /// </summary>
    private double LocateEvents(double t, double h, double tNew)
    {
        if (_events.Length == 0) return double.NaN;
        int candidates = 0;
        for (int e = 0; e < _events.Length; e++)
        {
            OdeEvent ev = _events[e];
            int samples = ev.InteriorSamples;
            double thetaPrevious = 0, gPrevious = double.NaN;
            for (int j = 1; j <= samples + 1; j++)
            {
                double theta = j == samples + 1 ? 1.0 : (double)j / (samples + 1);
                double g = EventValue(e, t, h, theta, tNew);
                if (double.IsNaN(g)) continue;
                int sign = Math.Sign(g);
                int before = _eventSign[e];
                if (sign == 0)
                {
                    if (before != 0 && Counts(ev, before < 0)) Add(ref candidates, theta, e);
                    _eventSign[e] = 0;
                }
                else if (before != 0 && sign != before)
                {
                    if (Counts(ev, sign > 0))
                    {
                        // g changed sign inside (thetaPrevious, theta): locate the root on the dense output.
                        double ga = double.IsNaN(gPrevious) ? EventValue(e, t, h, thetaPrevious, tNew) : gPrevious;
                        var f = new EventRoot(this, e, t, h, tNew);
                        double root = double.IsNaN(ga) || (ga > 0) == (g > 0)
                            ? theta
                            : RootFinding.Brent(ref f, thetaPrevious, theta, ga, g, 2 * FloatingPoint.Epsilon);
                        Add(ref candidates, root, e);
                    }
                    _eventSign[e] = sign;
                }
                else
                {
                    _eventSign[e] = sign;
                }
                thetaPrevious = theta;
                gPrevious = g;
            }
        }
        if (candidates == 0) return double.NaN;

        // Time order (insertion sort: a handful of entries), then record until the first terminal event.
        for (int i = 1; i < candidates; i++)
        {
            double th = _candidateTheta[i];
            int ev = _candidateEvent[i];
            int j = i - 1;
            for (; j >= 0 && _candidateTheta[j] > th; j--)
            {
                _candidateTheta[j + 1] = _candidateTheta[j];
                _candidateEvent[j + 1] = _candidateEvent[j];
            }
            _candidateTheta[j + 1] = th;
            _candidateEvent[j + 1] = ev;
        }
        _occurrences ??= [];
        for (int i = 0; i < candidates; i++)
        {
            double theta = _candidateTheta[i];
            double tau = theta >= 1 ? tNew : t + theta * h;
            var state = new T[_n];
            Interpolate(t, h, tau, tNew, state);
            int e = _candidateEvent[i];
            _occurrences.Add(new OdeEventOccurrence<T>(e, tau, state));
            if (_events[e].Terminal) return tau;
        }
        return double.NaN;
    }

    private static bool Counts(OdeEvent ev, bool rising) =>
        ev.Direction == EventDirection.Both || (rising ? ev.Direction == EventDirection.Rising : ev.Direction == EventDirection.Falling);

    private void Add(ref int candidates, double theta, int e)
    {
        _candidateTheta[candidates] = theta;
        _candidateEvent[candidates] = e;
        candidates++;
    }
}
