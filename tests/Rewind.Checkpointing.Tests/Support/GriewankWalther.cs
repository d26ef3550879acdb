namespace RewindTests.Checkpoints;

/// <summary>
/// The Griewank–Walther optimum, computed here from its definition and independently of librewind: reversing N steps
/// with c states takes r = the smallest integer with C(c + r, c) &gt;= N repetitions and r N - C(c + r, c + 1)
/// recomputed steps. Also linked into Rewind.Integrators.Tests.
/// </summary>
internal static class GriewankWalther
{
    public static long Repetitions(long steps, long checkpoints)
    {
        long r = 0;
        while (Choose(checkpoints + r, checkpoints) < steps)
        {
            r++;
        }

        return r;
    }

    public static long MinimumRecomputedSteps(long steps, long checkpoints)
    {
        var r = Repetitions(steps, checkpoints);
        return (r * steps) - Choose(checkpoints + r, checkpoints + 1);
    }

    /// <summary>C(n, k) by the multiplicative formula; every partial product is itself a binomial coefficient, so the division is exact.</summary>
    public static long Choose(long n, long k)
    {
        if (k < 0 || k > n)
        {
            return 0;
        }

        k = Math.Min(k, n - k);
        long result = 1;
        for (long i = 1; i <= k; i++)
        {
            result = checked(result * (n - k + i)) / i;
        }

        return result;
    }
}
