using Rewind.Integrators;

namespace RewindTests.Integrators;

/// <summary>How the gradient tests run each tableau: fixed steps, or adaptive at a tolerance per method.</summary>
internal static class GradientSettings
{
    public const double FixedStep = 0.05;

    public static TheoryData<string, bool> MethodsAndModes
    {
        get
        {
            var data = new TheoryData<string, bool>();
            foreach (var method in Tableaus.Names)
            {
                data.Add(method, false);
                data.Add(method, true);
            }

            return data;
        }
    }

    /// <summary>Every implicit method, fixed and adaptive steps.</summary>
    public static TheoryData<string, bool> ImplicitMethodsAndModes
    {
        get
        {
            var data = new TheoryData<string, bool>();
            foreach (var method in ImplicitMethodCatalog.Names)
            {
                data.Add(method, false);
                data.Add(method, true);
            }

            return data;
        }
    }

    /// <summary>
    /// Tight adaptive tolerances for the Taylor tests: the discrete adjoint holds the accepted step sizes constant,
    /// while a perturbed adaptive solve picks slightly different ones, which adds O(eps * global error) to the
    /// remainder. At these tolerances that term is orders of magnitude below the eps^2 term being measured.
    /// </summary>
    public static double TightTolerance(string method) => method switch
    {
        // heun's error estimate is first order (embedded Euler): 1e-9 would take about 1e5 steps.
        "euler" or "heun" => 1e-8,
        "midpoint" => 1e-9,
        "ralston3" or "bosh3" => 1e-10,
        // Implicit: the low orders stop where the step count (and a Newton solve per stage) would make the suite slow.
        "beuler" => 1e-8,
        "cn" or "theta" or "trbdf2" => 1e-9,
        "kvaerno3" => 1e-10,
        _ => 1e-11,
    };

    public static Solver Create(string method, bool adaptive, double tolerance) =>
        adaptive ? new Solver(method, rtol: tolerance, atol: tolerance) : new Solver(method, dt: FixedStep);
}
