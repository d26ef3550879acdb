using System.Globalization;

namespace Rewind.Integrators;

/// <summary>An initial value problem: a vector field, its initial state and parameters, and the output times.</summary>
public sealed class OdeProblem
{
    private readonly double[] initialState;
    private readonly double[] parameters;
    private readonly double[] outputTimes;

    /// <summary>Creates the problem, validating and copying every array.</summary>
    /// <param name="field">The vector field.</param>
    /// <param name="y0">The initial state: <see cref="IVectorField.StateSize"/> finite values.</param>
    /// <param name="parameters">The parameters: <see cref="IVectorField.ParameterSize"/> finite values.</param>
    /// <param name="t0">The initial time.</param>
    /// <param name="outputTimes">
    /// The times at which the solution is reported: at least one, finite, the first at or after
    /// <paramref name="t0"/>, strictly increasing after it.
    /// </param>
    /// <exception cref="ArgumentException">An array has the wrong length or a value that breaks the rules above.</exception>
    public OdeProblem(IVectorField field, double[] y0, double[] parameters, double t0, double[] outputTimes)
    {
        ArgumentNullException.ThrowIfNull(field);
        ArgumentNullException.ThrowIfNull(y0);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(outputTimes);
        if (field.StateSize < 1)
        {
            throw new ArgumentException($"The field's StateSize is {field.StateSize}; it must be at least 1.", nameof(field));
        }

        if (field.ParameterSize < 0)
        {
            throw new ArgumentException($"The field's ParameterSize is {field.ParameterSize}; it must not be negative.", nameof(field));
        }

        ArgumentChecks.Length(y0.Length, field.StateSize, nameof(y0), "the field's StateSize is {0}", nameof(y0));
        ArgumentChecks.AllFinite(y0, nameof(y0), nameof(y0));
        ArgumentChecks.Length(
            parameters.Length, field.ParameterSize, nameof(parameters), "the field's ParameterSize is {0}", nameof(parameters));
        ArgumentChecks.AllFinite(parameters, nameof(parameters), nameof(parameters));
        if (!double.IsFinite(t0))
        {
            throw new ArgumentOutOfRangeException(nameof(t0), t0, "t0 must be finite.");
        }

        CheckOutputTimes(outputTimes, t0);
        Field = field;
        T0 = t0;
        initialState = (double[])y0.Clone();
        this.parameters = (double[])parameters.Clone();
        this.outputTimes = (double[])outputTimes.Clone();
        InitialState = Array.AsReadOnly(initialState);
        Parameters = Array.AsReadOnly(this.parameters);
        OutputTimes = Array.AsReadOnly(this.outputTimes);
    }

    /// <summary>The vector field.</summary>
    public IVectorField Field { get; }

    /// <summary>The initial state y0.</summary>
    public IReadOnlyList<double> InitialState { get; }

    /// <summary>The parameters p.</summary>
    public IReadOnlyList<double> Parameters { get; }

    /// <summary>The initial time.</summary>
    public double T0 { get; }

    /// <summary>The times at which the solution is reported.</summary>
    public IReadOnlyList<double> OutputTimes { get; }

    /// <summary>
    /// An optional running cost g(t, y, p), integrated with the solve: <see cref="Solution.RunningCost"/> gives
    /// Q(t_k) = ∫_{t0}^{t_k} g dt at every output time, and <see cref="Solution.Backward"/> adds Q(last output time)
    /// to the loss it differentiates. Null (the default) for none.
    /// </summary>
    public IRunningCost? RunningCost { get; init; }

    internal ReadOnlySpan<double> InitialStateSpan => initialState;

    internal ReadOnlySpan<double> ParameterSpan => parameters;

    internal ReadOnlySpan<double> OutputTimeSpan => outputTimes;

    private static void CheckOutputTimes(double[] outputTimes, double t0)
    {
        if (outputTimes.Length == 0)
        {
            throw new ArgumentException("outputTimes is empty; at least one output time is needed.", nameof(outputTimes));
        }

        ArgumentChecks.AllFinite(outputTimes, nameof(outputTimes), nameof(outputTimes));
        if (outputTimes[0] < t0)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"outputTimes[0] = {outputTimes[0]} is before t0 = {t0}."),
                nameof(outputTimes));
        }

        for (int i = 1; i < outputTimes.Length; i++)
        {
            if (outputTimes[i] <= outputTimes[i - 1])
            {
                throw new ArgumentException(
                    string.Create(
                        CultureInfo.InvariantCulture,
                        $"outputTimes[{i}] = {outputTimes[i]} is not after outputTimes[{i - 1}] = {outputTimes[i - 1]}; output times must increase strictly."),
                    nameof(outputTimes));
            }
        }
    }
}
