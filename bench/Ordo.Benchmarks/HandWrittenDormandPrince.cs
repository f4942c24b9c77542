namespace Ordo.Benchmarks;

/// <summary>
/// The baseline for the "is the generic double path slower?" question: Dormand–Prince 5(4) written by hand for
/// <see cref="double"/> only, the way a performance-minded C# programmer would write it without Ordo — stages
/// unrolled with the coefficients as constants, the same error norm, the same PI controller (β₁ = 0.17, β₂ = 0.04,
/// safety 0.9, factors in [0.2, 10]) and the same end-of-interval rule as Ordo's dp5, so both take exactly the same
/// steps (checked by the benchmark before it measures).
/// </summary>
internal sealed class HandWrittenDormandPrince(int n)
{
    private readonly double[] _k1 = new double[n], _k2 = new double[n], _k3 = new double[n], _k4 = new double[n],
        _k5 = new double[n], _k6 = new double[n], _k7 = new double[n], _z = new double[n], _y = new double[n], _yNew = new double[n];

    public int Accepted { get; private set; }
    public int Rejected { get; private set; }

    public double[] Solve(Action<double, double[], double[]> f, double[] y0, double t0, double t1, double h0, double rtol, double atol)
    {
        const double a21 = 1.0 / 5, a31 = 3.0 / 40, a32 = 9.0 / 40, a41 = 44.0 / 45, a42 = -56.0 / 15, a43 = 32.0 / 9,
            a51 = 19372.0 / 6561, a52 = -25360.0 / 2187, a53 = 64448.0 / 6561, a54 = -212.0 / 729,
            a61 = 9017.0 / 3168, a62 = -355.0 / 33, a63 = 46732.0 / 5247, a64 = 49.0 / 176, a65 = -5103.0 / 18656,
            b1 = 35.0 / 384, b3 = 500.0 / 1113, b4 = 125.0 / 192, b5 = -2187.0 / 6784, b6 = 11.0 / 84,
            e1 = 35.0 / 384 - 5179.0 / 57600, e3 = 500.0 / 1113 - 7571.0 / 16695, e4 = 125.0 / 192 - 393.0 / 640,
            e5 = -2187.0 / 6784 + 92097.0 / 339200, e6 = 11.0 / 84 - 187.0 / 2100, e7 = -1.0 / 40,
            c2 = 1.0 / 5, c3 = 3.0 / 10, c4 = 4.0 / 5, c5 = 8.0 / 9;
        double[] y = _y, yNew = _yNew, k1 = _k1, k7 = _k7;
        Array.Copy(y0, y, n);
        double t = t0, h = h0, previousError = 1.0;
        bool rejected = false;
        Accepted = Rejected = 0;
        f(t, y, k1);
        while (t < t1)
        {
            bool last = t + 1.01 * h >= t1;
            if (last) h = t1 - t;
            for (int i = 0; i < n; i++) _z[i] = y[i] + h * a21 * k1[i];
            f(t + c2 * h, _z, _k2);
            for (int i = 0; i < n; i++) _z[i] = y[i] + h * (a31 * k1[i] + a32 * _k2[i]);
            f(t + c3 * h, _z, _k3);
            for (int i = 0; i < n; i++) _z[i] = y[i] + h * (a41 * k1[i] + a42 * _k2[i] + a43 * _k3[i]);
            f(t + c4 * h, _z, _k4);
            for (int i = 0; i < n; i++) _z[i] = y[i] + h * (a51 * k1[i] + a52 * _k2[i] + a53 * _k3[i] + a54 * _k4[i]);
            f(t + c5 * h, _z, _k5);
            for (int i = 0; i < n; i++) _z[i] = y[i] + h * (a61 * k1[i] + a62 * _k2[i] + a63 * _k3[i] + a64 * _k4[i] + a65 * _k5[i]);
            f(t + h, _z, _k6);
            for (int i = 0; i < n; i++) yNew[i] = y[i] + h * (b1 * k1[i] + b3 * _k3[i] + b4 * _k4[i] + b5 * _k5[i] + b6 * _k6[i]);
            f(t + h, yNew, k7);
            double sum = 0;
            for (int i = 0; i < n; i++)
            {
                double e = h * (e1 * k1[i] + e3 * _k3[i] + e4 * _k4[i] + e5 * _k5[i] + e6 * _k6[i] + e7 * k7[i]);
                double sc = atol + rtol * Math.Max(Math.Abs(y[i]), Math.Abs(yNew[i]));
                double r = e / sc;
                sum += r * r;
            }
            double err = Math.Sqrt(sum / n);
            if (err <= 1)
            {
                double factor = err == 0 ? 10 : Math.Clamp(0.9 * Math.Pow(err, -0.17) * Math.Pow(previousError, 0.04), 0.2, 10);
                if (rejected) factor = Math.Min(factor, 1);
                previousError = Math.Max(err, 1e-4);
                rejected = false;
                t = last ? t1 : t + h;
                (y, yNew) = (yNew, y);
                Array.Copy(k7, k1, n);
                h *= factor;
                Accepted++;
            }
            else
            {
                h *= Math.Max(0.2, 0.9 * Math.Pow(err, -0.17));
                rejected = true;
                Rejected++;
            }
        }
        return y;
    }
}
