namespace Ordo.Integration;

/// <summary>
/// The workspace of <see cref="AutoSwitchingMethod"/>: both members' steppers, one controller memory per member, the
/// stiffness detector's counters and the buffers of the power iteration. Every call is forwarded to the active member;
/// a switch decided in <see cref="DecideStep"/> takes effect in <see cref="Accept"/> (the step's dense output still
/// comes from the member that took it). Nothing is allocated per step; a switch appends one segment.
/// </summary>
internal sealed class AutoSwitchingStepper : OdeStepper<double>
{
    private const int ExplicitMember = 0;
    private const int StiffMember = 1;
    internal const string StabilityReason = "stiffness detected";
    internal const string PlateauReason = "stiffness detected (long run of moderate h·ρ)";
    internal const string ProbeReason = "stiffness detected (explicit step near its stability limit)";
    internal const string NonStiffReason = "no longer stiff";
    internal const string CheaperReason = "explicit method cheaper";

    private const double ProbeCeiling = 4.0;     // a little above tsit5's real stability boundary (≈ 3.5)

    private readonly AutoSwitchingMethod _method;
    private readonly OdeStepper<double>[] _members;
    private readonly ExplicitRungeKuttaStepper<double>? _detector;
    private readonly IStepSizeController[] _controllers;
    private readonly ControllerMemory[] _memories = [ControllerMemory.Initial, ControllerMemory.Initial];
    private readonly string[] _names;
    private readonly List<OdeMethodSegment> _segments = [];
    private readonly int _n;
    private readonly double[] _f;            // f at the switch point, or at the base point of the power iteration
    private readonly double[] _v;            // power-iteration vector (kept between estimates: a warm start)
    private readonly double[] _yCheck;       // state at which ρ is estimated
    private readonly double[] _yPerturbed;
    private readonly double[] _fPerturbed;

    private int _active;
    private double _explicitHRho = double.NaN;   // h·ρ of the explicit step just attempted
    private int _stiffCount;
    private int _nonStiffCount;
    private int _stepsToCheck;
    private bool _checkPending;
    private double _tCheck;
    private int _switchTo = -1;
    private string _switchReason = "";
    private bool _vReady;
    private int _plateauCount;               // explicit steps in a row with h·ρ > PlateauThreshold
    private int _plateauSteps;               // run length that triggers a switch (doubled after an unconfirmed one)
    private bool _switchByPlateau;
    private bool _enteredByPlateau;
    private int _stiffAccepted;              // accepted steps of the current stiff segment
    private readonly double _explicitEvaluations;   // f evaluations per explicit step
    private double _stiffCost;               // f evaluations per unit time of the stiff member when it last ran (0: not yet)
    private long _rhsAtCheck;
    private double _tAtCheck;
    private long _memberRhsSeen;
    private int _stepsToProbe;               // accepted explicit steps until the next power-iteration estimate of ρ
    private int _probeInterval;              // doubled for the rest of the solve after an unconfirmed switch
    private int _probeCount;                 // estimates in a row with h·ρ ≥ ProbeThreshold
    private bool _probePending;
    private double _lastProbeHRho = double.NaN;

    public AutoSwitchingStepper(AutoSwitchingMethod method, OdeProblem<double> problem, OdeStepper<double> nonStiff, OdeStepper<double> stiff)
        : base(problem.Rhs, problem.Dimension)
    {
        _method = method;
        _members = [nonStiff, stiff];
        _detector = nonStiff as ExplicitRungeKuttaStepper<double>;
        _controllers = [method.NonStiff.DefaultController, method.Stiff.DefaultController];
        _names = [method.NonStiff.Name, method.Stiff.Name];
        _explicitEvaluations = method.NonStiff.Tableau.EvaluationsPerStep;
        _n = problem.Dimension;
        _f = new double[_n];
        _v = new double[_n];
        _yCheck = new double[_n];
        _yPerturbed = new double[_n];
        _fPerturbed = new double[_n];
        _segments.Capacity = 8;
    }

    public override int InterpolantDegree => Math.Max(_members[0].InterpolantDegree, _members[1].InterpolantDegree);

    public override bool ChoosesStepSize => true;

    public override IReadOnlyList<OdeMethodSegment> MethodSegments => _segments;

    public override void Start(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> dydt)
    {
        _active = ExplicitMember;
        _memories[0] = ControllerMemory.Initial;
        _memories[1] = ControllerMemory.Initial;
        _stiffCount = _nonStiffCount = _plateauCount = 0;
        _plateauSteps = _method.PlateauSteps;
        _probeInterval = _stepsToProbe = _method.ProbeInterval;
        _probeCount = 0;
        _stiffCost = 0;
        _switchTo = -1;
        _segments.Clear();
        _segments.Add(new OdeMethodSegment(t, _names[ExplicitMember], "start"));
        _members[ExplicitMember].Start(t, y, dydt);
        Synchronize();
    }

    public override StepOutcome Step(double t, double h, ReadOnlySpan<double> y, Span<double> yNew, ErrorTolerances? tolerances, out double errorNorm)
    {
        StepOutcome outcome = _members[_active].Step(t, h, y, yNew, tolerances, out errorNorm);
        _checkPending = false;
        if (_active == ExplicitMember)
        {
            _explicitHRho = outcome == StepOutcome.Success && _detector is not null ? _detector.StiffnessEstimate(h, yNew) : double.NaN;
            if (outcome == StepOutcome.Success && _probeInterval > 0 && _stepsToProbe <= 1)
            {
                // This step, if accepted, is the one at whose end ρ is estimated by power iteration.
                yNew.CopyTo(_yCheck);
                _tCheck = t + h;
                _probePending = true;
            }
            else
            {
                _probePending = false;
            }
        }
        else if (outcome == StepOutcome.Success && _stepsToCheck <= 1)
        {
            // This step, if accepted, is the one at whose end ρ is estimated.
            yNew.CopyTo(_yCheck);
            _tCheck = t + h;
            _checkPending = true;
        }
        Synchronize();
        return outcome;
    }

    public override StepSizeDecision DecideStep(double stepSize, double errorNorm, ref ControllerMemory memory)
    {
        OdeStepper<double> member = _members[_active];
        ref ControllerMemory own = ref _memories[_active];
        if (memory.LastRejected) own.LastRejected = true;   // the integrator's retry after a non-finite step
        StepSizeDecision decision = member.ChoosesStepSize
            ? member.DecideStep(stepSize, errorNorm, ref own)
            : _controllers[_active].Decide(stepSize, errorNorm, ref own);
        memory = own;
        if (!decision.Accept) return decision;

        double next = decision.NextStepSize;
        if (_active == ExplicitMember)
        {
            double hRho = _explicitHRho;
            if (hRho > _method.StiffnessThreshold)
            {
                _nonStiffCount = 0;
                // Unless the stiff member, when it last ran, cost more f evaluations per unit time than this step does.
                if (++_stiffCount >= _method.StiffSteps && _explicitEvaluations / Math.Abs(stepSize) > _method.CostMargin * _stiffCost)
                    RequestSwitch(StiffMember, StabilityReason, byPlateau: false);
            }
            else if (!double.IsNaN(hRho) && ++_nonStiffCount >= _method.NonStiffResetSteps)
            {
                _stiffCount = 0;
            }
            // A long run of steps with h·ρ well inside the stability region but not small: the explicit step is held down
            // by the stiff components (order reduction), as on ROBER at tight tolerances.
            _plateauCount = hRho > _method.PlateauThreshold ? _plateauCount + 1 : 0;
            if (_switchTo < 0 && _plateauCount >= _plateauSteps) RequestSwitch(StiffMember, PlateauReason, byPlateau: true);
            // Hairer's estimate uses the direction y₁ − z₆, which at tight tolerances lies mostly in the smooth
            // components and underestimates ρ; a periodic power iteration finds the dominant eigenvalue.
            if (_probeInterval > 0 && --_stepsToProbe <= 0)
            {
                _stepsToProbe = _probeInterval;
                if (_probePending && _switchTo < 0)
                {
                    _probePending = false;
                    double rho = SpectralRadius(_tCheck, _yCheck);
                    _lastProbeHRho = Math.Abs(stepSize) * rho;
                    // Above the stability boundary the dominant eigenvalue cannot be a stiff (negative real) one: a
                    // stable explicit step there is accuracy-limited (close encounters of bodies, unstable modes).
                    bool nearLimit = _lastProbeHRho >= _method.ProbeThreshold && _lastProbeHRho <= ProbeCeiling;
                    _probeCount = nearLimit ? _probeCount + 1 : 0;
                    if (_probeCount >= _method.ProbeRuns && _explicitEvaluations / Math.Abs(stepSize) > _method.CostMargin * _stiffCost)
                        RequestSwitch(StiffMember, ProbeReason, byPlateau: true);
                }
            }
        }
        else
        {
            _stepsToCheck--;
            _stiffAccepted++;
            if (_checkPending)
            {
                double rho = SpectralRadius(_tCheck, _yCheck);
                double hRho = Math.Abs(stepSize) * rho;
                // f evaluations per unit time: measured for the stiff member since the last estimate (Jacobians by
                // differences and the power iteration included), predicted for the explicit one at h = min(|h|, 2/ρ).
                double elapsed = Math.Abs(_tCheck - _tAtCheck);
                _stiffCost = elapsed > 0 ? (RhsEvaluations - _rhsAtCheck) / elapsed : 0;
                _rhsAtCheck = RhsEvaluations;
                _tAtCheck = _tCheck;
                double explicitCost = _explicitEvaluations / Math.Min(Math.Abs(stepSize), rho > 0 ? 2.0 / rho : double.PositiveInfinity);
                bool cheaper = _method.CostMargin * explicitCost < _stiffCost;
                if (hRho <= _method.SwitchBackThreshold || cheaper)
                {
                    // A plateau switch the stiff member did not confirm (it went back at its first estimate): ask for a
                    // run twice as long next time.
                    if (_enteredByPlateau && _stiffAccepted <= _method.CheckInterval && _plateauSteps < 1 << 24)
                    {
                        _plateauSteps *= 2;
                        _probeInterval *= 2;
                    }
                    RequestSwitch(ExplicitMember, hRho <= _method.SwitchBackThreshold ? NonStiffReason : CheaperReason);
                    if (rho > 0) next = Math.CopySign(Math.Min(Math.Abs(next), 2.0 / rho), next);
                }
                _stepsToCheck = _method.CheckInterval;
            }
        }
        Synchronize();
        return new StepSizeDecision(true, next);
    }

    private void RequestSwitch(int member, string reason, bool byPlateau = false)
    {
        _switchTo = member;
        _switchReason = reason;
        _switchByPlateau = byPlateau;
    }

    public override void Interpolant(double t, double h, ReadOnlySpan<double> y, ReadOnlySpan<double> yNew, Span<double> coefficients)
    {
        OdeStepper<double> member = _members[_active];
        int length = (member.InterpolantDegree + 1) * _n;
        member.Interpolant(t, h, y, yNew, coefficients[..length]);
        coefficients[length..].Clear();
        Synchronize();
    }

    public override void Accept(double t, double h, ReadOnlySpan<double> y, ReadOnlySpan<double> yNew)
    {
        _members[_active].Accept(t, h, y, yNew);
        if (_switchTo >= 0)
        {
            double tNew = t + h;
            Evaluate(tNew, yNew, _f);
            _active = _switchTo;
            _switchTo = -1;
            _members[_active].Start(tNew, yNew, _f);
            _memories[_active] = ControllerMemory.Initial;
            _segments.Add(new OdeMethodSegment(tNew, _names[_active], _switchReason));
            _stiffCount = _nonStiffCount = _plateauCount = _probeCount = 0;
            _stepsToProbe = _probeInterval;
            _stepsToCheck = _method.CheckInterval;
            _stiffAccepted = 0;
            _enteredByPlateau = _switchByPlateau;
            _rhsAtCheck = RhsEvaluations;
            _tAtCheck = tNew;
        }
        Synchronize();
    }

    /// <summary>
    /// Estimates ρ(∂f/∂y) at (t, y) by power iteration on forward-difference products
    /// Jv ≈ (f(y + δv̂) − f(y))/δ, v̂ = v/‖v‖, δ = √ε·(1 + ‖y‖); the vector is kept for the next estimate. Returns the
    /// larger of the last two ratios ‖Jv‖/‖v‖ (a complex dominant pair makes single ratios oscillate), +∞ when f is
    /// not finite.
    /// </summary>
    private double SpectralRadius(double t, ReadOnlySpan<double> y)
    {
        int n = _n;
        Evaluate(t, y, _f);
        if (!_vReady) SeedVector();
        double delta = 1.4901161193847656e-8 * (1 + Blas1.Norm2(y));
        double rho = 0, previous = 0;
        for (int k = 0; k < _method.PowerIterations; k++)
        {
            double vNorm = Blas1.Norm2<double>(_v);
            if (!(vNorm > 0) || !double.IsFinite(vNorm))
            {
                SeedVector();
                vNorm = Blas1.Norm2<double>(_v);
            }
            double scale = delta / vNorm;
            for (int i = 0; i < n; i++) _yPerturbed[i] = y[i] + scale * _v[i];
            Evaluate(t, _yPerturbed, _fPerturbed);
            for (int i = 0; i < n; i++) _v[i] = (_fPerturbed[i] - _f[i]) / scale;
            double ratio = Blas1.Norm2<double>(_v) / vNorm;
            if (!double.IsFinite(ratio))
            {
                _vReady = false;
                return double.PositiveInfinity;
            }
            previous = rho;
            rho = ratio;
        }
        return Math.Max(rho, previous);
    }

    /// <summary>A fixed vector with no structure (components of both signs, all nonzero), so that it is unlikely to be
    /// orthogonal to the dominant eigenvector.</summary>
    private void SeedVector()
    {
        for (int i = 0; i < _n; i++) _v[i] = Math.Sin(1.0 + 12.9898 * (i + 1)) + 0.1 * ((i & 1) == 0 ? 1 : -1);
        _vReady = true;
    }

    /// <summary>Reports the members' counts as this stepper's: f evaluations (added to the switch and power-iteration
    /// evaluations made here), Jacobians and factorizations.</summary>
    private void Synchronize()
    {
        long rhs = _members[0].RhsEvaluations + _members[1].RhsEvaluations;
        CountRhsEvaluations(rhs - _memberRhsSeen);
        _memberRhsSeen = rhs;
        JacobianEvaluations = _members[0].JacobianEvaluations + _members[1].JacobianEvaluations;
        LuDecompositions = _members[0].LuDecompositions + _members[1].LuDecompositions;
    }
}
