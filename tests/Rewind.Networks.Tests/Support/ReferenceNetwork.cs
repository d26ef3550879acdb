using Rewind.Networks;

namespace RewindTests.Networks;

/// <summary>
/// A plain managed forward pass of a <see cref="Sequential"/>, written from the documented layout (per layer W
/// row-major with the time column last, then b), against which the native kernels are checked.
/// </summary>
internal static class ReferenceNetwork
{
    public static double[] Forward(Sequential net, double t, ReadOnlySpan<double> x, int batch, ReadOnlySpan<double> p)
    {
        var output = new double[batch * net.OutputSize];
        for (int row = 0; row < batch; row++)
        {
            double[] a = x.Slice(row * net.InputSize, net.InputSize).ToArray();
            int offset = 0;
            for (int k = 0; k < net.LayerCount; k++)
            {
                int inputs = net.LayerSizes[k];
                int outputs = net.LayerSizes[k + 1];
                bool time = k == 0 && net.TimeInput;
                int columns = inputs + (time ? 1 : 0);
                var z = new double[outputs];
                for (int i = 0; i < outputs; i++)
                {
                    double sum = p[offset + (outputs * columns) + i];
                    for (int j = 0; j < inputs; j++)
                    {
                        sum += p[offset + (i * columns) + j] * a[j];
                    }

                    if (time)
                    {
                        sum += p[offset + (i * columns) + inputs] * t;
                    }

                    z[i] = Activate(net.Activations[k], sum);
                }

                offset += (outputs * columns) + outputs;
                a = z;
            }

            a.CopyTo(output, row * net.OutputSize);
        }

        return output;
    }

    public static double Activate(string name, double z) => name switch
    {
        "identity" => z,
        "tanh" => Math.Tanh(z),
        "relu" => Math.Max(z, 0.0),
        "softplus" => Math.Max(z, 0.0) + Math.Log(1.0 + Math.Exp(-Math.Abs(z))),
        "gelu" => z * NormalCdf(z),
        "sigmoid" => 1.0 / (1.0 + Math.Exp(-z)),
        "silu" => z / (1.0 + Math.Exp(-z)),
        _ => throw new ArgumentException($"unknown activation {name}", nameof(name)),
    };

    /// <summary>Φ(z) = (1 + erf(z / √2)) / 2, erf from its series of positive terms (no cancellation).</summary>
    private static double NormalCdf(double z)
    {
        double x = Math.Abs(z) / Math.Sqrt(2.0);
        // erf(x) = 2/√π e^{-x²} Σ_n 2^n x^{2n+1} / (1·3·…·(2n+1))
        double term = x;
        double sum = x;
        for (int n = 1; n < 500 && term > 1e-17 * sum; n++)
        {
            term *= 2.0 * x * x / ((2 * n) + 1);
            sum += term;
        }

        double erf = 2.0 / Math.Sqrt(Math.PI) * Math.Exp(-x * x) * sum;
        return z >= 0 ? 0.5 * (1.0 + erf) : 0.5 * (1.0 - erf);
    }
}
