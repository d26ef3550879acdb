namespace Rewind.Cli.Problems;

/// <summary>y' = A y with a 3×3 matrix A whose entries (row-major) are the parameters.</summary>
internal sealed class LinearSystem : BuiltInProblem
{
    private const int Size = 3;

    public override string Name => "linear";

    public override string Equations => "y' = A y, A 3x3 (parameters a<row><column>)";

    public override IReadOnlyList<string> StateNames { get; } = ["y1", "y2", "y3"];

    public override IReadOnlyList<string> ParameterNames { get; } =
        ["a11", "a12", "a13", "a21", "a22", "a23", "a31", "a32", "a33"];

    public override IReadOnlyList<double> InitialState { get; } = [1.0, 0.0, 1.0];

    // A damped rotation in (y1, y2) and a decay in y3.
    public override IReadOnlyList<double> Parameters { get; } =
        [-0.1, 1.0, 0.0,
         -1.0, -0.1, 0.0,
          0.0, 0.0, -0.5];

    public override IReadOnlyList<double> OutputTimes { get; } = EquallySpaced(0.0, 5.0, 10);

    public override IReadOnlyList<double> Target { get; } = [0.0, 0.0, 0.0];

    public override void Evaluate(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, Span<double> dydt)
    {
        for (int i = 0; i < Size; i++)
        {
            double sum = 0.0;
            for (int j = 0; j < Size; j++)
            {
                sum += p[(i * Size) + j] * y[j];
            }
            dydt[i] = sum;
        }
    }

    public override void Vjp(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, ReadOnlySpan<double> w,
                             Span<double> wDy, Span<double> wDp)
    {
        for (int j = 0; j < Size; j++)
        {
            double sum = 0.0;
            for (int i = 0; i < Size; i++)
            {
                sum += w[i] * p[(i * Size) + j];
            }
            wDy[j] = sum;
        }
        for (int i = 0; i < Size; i++)
        {
            for (int j = 0; j < Size; j++)
            {
                wDp[(i * Size) + j] = w[i] * y[j];
            }
        }
    }

    public override void Jvp(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, ReadOnlySpan<double> v,
                             Span<double> jv)
    {
        ReadOnlySpan<double> stateTangent = v[..Size];
        ReadOnlySpan<double> matrixTangent = v[Size..];
        for (int i = 0; i < Size; i++)
        {
            double sum = 0.0;
            for (int j = 0; j < Size; j++)
            {
                sum += (p[(i * Size) + j] * stateTangent[j]) + (matrixTangent[(i * Size) + j] * y[j]);
            }
            jv[i] = sum;
        }
    }
}
