namespace Rewind.Integrators;

/// <summary>Argument checks whose messages name the argument and the offending component.</summary>
internal static class ArgumentChecks
{
    /// <summary>Throws if an entry is NaN or infinite, e.g. "y0[1] is NaN".</summary>
    /// <param name="values">The values to check.</param>
    /// <param name="label">How the values are named in the message, e.g. <c>y0</c> or <c>outputCotangents[2]</c>.</param>
    /// <param name="paramName">The parameter the values came from.</param>
    internal static void AllFinite(ReadOnlySpan<double> values, string label, string paramName)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i]))
            {
                throw new ArgumentException($"{label}[{i}] is {NonFinite(values[i])}.", paramName);
            }
        }
    }

    /// <summary>Throws if <paramref name="actual"/> differs from <paramref name="expected"/>, e.g.
    /// "outputCotangents[2] has 3 entries; the state has 2".</summary>
    /// <param name="actual">The number of entries given.</param>
    /// <param name="expected">The number needed.</param>
    /// <param name="label">How the values are named in the message.</param>
    /// <param name="expectation">What needs <paramref name="expected"/> entries, with <c>{0}</c> for the number.</param>
    /// <param name="paramName">The parameter the values came from.</param>
    internal static void Length(int actual, int expected, string label, string expectation, string paramName)
    {
        if (actual != expected)
        {
            string needed = string.Format(System.Globalization.CultureInfo.InvariantCulture, expectation, expected);
            throw new ArgumentException($"{label} has {actual} entries; {needed}.", paramName);
        }
    }

    private static string NonFinite(double value) =>
        double.IsNaN(value) ? "NaN" : double.IsPositiveInfinity(value) ? "+Infinity" : "-Infinity";
}
