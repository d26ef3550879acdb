namespace RewindTests.Integrators;

/// <summary>Small dense-vector helpers shared by the tests (deterministic random vectors, dot products, norms).</summary>
internal static class Vectors
{
    /// <summary>Entries uniform in [-1, 1) from a seeded generator, so every failure reproduces.</summary>
    public static double[] Random(Random random, int length)
    {
        var v = new double[length];
        for (var i = 0; i < length; i++)
        {
            v[i] = (2.0 * random.NextDouble()) - 1.0;
        }

        return v;
    }

    public static double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        if (x.Length != y.Length)
        {
            throw new ArgumentException($"length {x.Length} != {y.Length}", nameof(y));
        }

        var sum = 0.0;
        for (var i = 0; i < x.Length; i++)
        {
            sum += x[i] * y[i];
        }

        return sum;
    }

    public static double Norm(ReadOnlySpan<double> x) => Math.Sqrt(Dot(x, x));

    public static double MaxAbs(ReadOnlySpan<double> x)
    {
        var m = 0.0;
        foreach (var value in x)
        {
            m = Math.Max(m, Math.Abs(value));
        }

        return m;
    }

    public static double MaxAbsDifference(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        if (x.Length != y.Length)
        {
            throw new ArgumentException($"length {x.Length} != {y.Length}", nameof(y));
        }

        var m = 0.0;
        for (var i = 0; i < x.Length; i++)
        {
            m = Math.Max(m, Math.Abs(x[i] - y[i]));
        }

        return m;
    }

    /// <summary>x + alpha * d as a new array.</summary>
    public static double[] AddScaled(ReadOnlySpan<double> x, double alpha, ReadOnlySpan<double> d)
    {
        var r = new double[x.Length];
        for (var i = 0; i < x.Length; i++)
        {
            r[i] = x[i] + (alpha * d[i]);
        }

        return r;
    }

    /// <summary>Relative difference |a - b| / max(|a|, |b|), 0 when both are 0.</summary>
    public static double RelativeDifference(double a, double b)
    {
        var scale = Math.Max(Math.Abs(a), Math.Abs(b));
        return scale == 0 ? 0 : Math.Abs(a - b) / scale;
    }

    /// <summary>Norm-wise relative difference ||x - y|| / max(||x||, ||y||).</summary>
    public static double RelativeDifference(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        var d = new double[x.Length];
        for (var i = 0; i < x.Length; i++)
        {
            d[i] = x[i] - y[i];
        }

        var scale = Math.Max(Norm(x), Norm(y));
        return scale == 0 ? 0 : Norm(d) / scale;
    }

    /// <summary>Least-squares slope of log(y) against log(x).</summary>
    public static double LogLogSlope(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        var n = x.Count;
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (var i = 0; i < n; i++)
        {
            var lx = Math.Log(x[i]);
            var ly = Math.Log(y[i]);
            sx += lx;
            sy += ly;
            sxx += lx * lx;
            sxy += lx * ly;
        }

        return ((n * sxy) - (sx * sy)) / ((n * sxx) - (sx * sx));
    }
}
