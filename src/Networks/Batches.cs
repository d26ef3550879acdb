using System.Globalization;

namespace Rewind.Networks;

/// <summary>Helpers of the datasets and batches: checks, sampling without replacement, Gaussian noise.</summary>
internal static class Batches
{
    /// <summary>Throws unless every time is finite and after the previous one.</summary>
    internal static void RequireIncreasing(ReadOnlySpan<double> times, string name)
    {
        for (int i = 0; i < times.Length; i++)
        {
            if (!double.IsFinite(times[i]))
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"{name}[{i}] is {times[i]}; times must be finite."), name);
            }

            if (i > 0 && times[i] <= times[i - 1])
            {
                throw new ArgumentException(
                    string.Create(
                        CultureInfo.InvariantCulture,
                        $"{name}[{i}] = {times[i]} is not after {name}[{i - 1}] = {times[i - 1]}; times must increase strictly."),
                    name);
            }
        }
    }

    /// <summary>
    /// <paramref name="count"/> distinct indices from [0, <paramref name="population"/>), uniformly, in the order drawn:
    /// the first <paramref name="count"/> entries of a Fisher–Yates shuffle of 0 … population − 1, one
    /// <c>random.Next</c> per index.
    /// </summary>
    internal static int[] SampleWithoutReplacement(Random random, int population, int count)
    {
        var indices = new int[population];
        for (int i = 0; i < population; i++)
        {
            indices[i] = i;
        }

        for (int i = 0; i < count; i++)
        {
            int j = random.Next(i, population);
            (indices[i], indices[j]) = (indices[j], indices[i]);
        }

        return indices[..count];
    }

    /// <summary>Throws unless 1 ≤ <paramref name="batchSize"/> ≤ <paramref name="available"/>.</summary>
    internal static void RequireBatchSize(int batchSize, int available, string what)
    {
        if (batchSize < 1 || batchSize > available)
        {
            throw new ArgumentOutOfRangeException(
                nameof(batchSize), batchSize, $"The batch size must be between 1 and {available}, the number of {what} (batches draw without replacement).");
        }
    }

    /// <summary>A standard normal deviate (Box–Muller, two uniform draws per deviate).</summary>
    internal static double Gaussian(Random random)
    {
        double u1 = 1.0 - random.NextDouble();  // in (0, 1]
        double u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>Evenly spaced times: start + (end − start) i / (count − 1), i = 0 … count − 1, the last exactly end.</summary>
    internal static double[] Linspace(double start, double end, int count)
    {
        var times = new double[count];
        for (int i = 0; i < count; i++)
        {
            times[i] = start + ((end - start) * i / (count - 1));
        }

        times[^1] = end;
        return times;
    }
}
