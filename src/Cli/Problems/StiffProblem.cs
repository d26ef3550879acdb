using Rewind.Integrators;

namespace Rewind.Cli.Problems;

/// <summary>
/// A built-in problem given by f and its two exact Jacobians, ∂f/∂y (<see cref="Jacobian"/>, which also makes it an
/// <see cref="IDenseJacobian"/> for the implicit methods) and ∂f/∂p (<see cref="ParameterJacobian"/>); the
/// vector–Jacobian and Jacobian–vector products are exact products with them. The problems of the stiff test set
/// are small (n ≤ 20, ≤ 25 parameters), so the dense matrices cost next to nothing.
/// </summary>
internal abstract class StiffProblem : BuiltInProblem, IDenseJacobian
{
    /// <summary>Writes ∂f/∂y, row-major n × n (entry [i * n + j] = ∂f_i/∂y_j), overwriting every entry.</summary>
    public abstract void Jacobian(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, Span<double> dfdyRowMajor);

    /// <summary>Writes ∂f/∂p, row-major n × np (entry [i * np + k] = ∂f_i/∂p_k), overwriting every entry.</summary>
    public abstract void ParameterJacobian(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, Span<double> dfdpRowMajor);

    public sealed override void Vjp(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, ReadOnlySpan<double> w,
                                    Span<double> wDy, Span<double> wDp)
    {
        int n = StateSize, np = ParameterSize;
        Span<double> dfdy = stackalloc double[n * n];
        Span<double> dfdp = stackalloc double[n * np];
        Jacobian(t, y, p, dfdy);
        ParameterJacobian(t, y, p, dfdp);
        wDy.Clear();
        wDp.Clear();
        for (int i = 0; i < n; i++)
        {
            double wi = w[i];
            for (int j = 0; j < n; j++)
            {
                wDy[j] += wi * dfdy[(i * n) + j];
            }
            for (int k = 0; k < np; k++)
            {
                wDp[k] += wi * dfdp[(i * np) + k];
            }
        }
    }

    public sealed override void Jvp(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, ReadOnlySpan<double> v,
                                    Span<double> jv)
    {
        int n = StateSize, np = ParameterSize;
        Span<double> dfdy = stackalloc double[n * n];
        Span<double> dfdp = stackalloc double[n * np];
        Jacobian(t, y, p, dfdy);
        ParameterJacobian(t, y, p, dfdp);
        for (int i = 0; i < n; i++)
        {
            double sum = 0.0;
            for (int j = 0; j < n; j++)
            {
                sum += dfdy[(i * n) + j] * v[j];
            }
            for (int k = 0; k < np; k++)
            {
                sum += dfdp[(i * np) + k] * v[n + k];
            }
            jv[i] = sum;
        }
    }
}

/// <summary>
/// A chemical kinetics problem under the law of mass action: reaction j runs at r_j = k_j Π y_(reactants of j)
/// (a species may appear twice, e.g. k y2²), and y_i' = Σ_j S_ij r_j for integer stoichiometric coefficients S.
/// The rate constants k_j are the parameters.
/// </summary>
internal abstract class MassActionProblem : StiffProblem
{
    /// <summary>The reactant indices of each reaction (0-based species), one array per reaction, in parameter order.</summary>
    protected abstract IReadOnlyList<int[]> Reactants { get; }

    /// <summary>The terms (reaction, coefficient) of each species' right-hand side, one array per species.</summary>
    protected abstract IReadOnlyList<(int Reaction, int Coefficient)[]> Terms { get; }

    public sealed override void Evaluate(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, Span<double> dydt)
    {
        Span<double> rates = stackalloc double[ParameterSize];
        for (int j = 0; j < rates.Length; j++)
        {
            rates[j] = p[j] * Product(Reactants[j], y, skip: -1);
        }
        for (int i = 0; i < StateSize; i++)
        {
            double sum = 0.0;
            foreach (var (reaction, coefficient) in Terms[i])
            {
                sum += coefficient * rates[reaction];
            }
            dydt[i] = sum;
        }
    }

    public sealed override void Jacobian(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, Span<double> dfdyRowMajor)
    {
        int n = StateSize;
        // ∂r_j/∂y_m, by the product rule over the reactant positions (so d(k y²)/dy = 2 k y).
        Span<double> rateJacobian = stackalloc double[ParameterSize * n];
        rateJacobian.Clear();
        for (int j = 0; j < ParameterSize; j++)
        {
            int[] reactants = Reactants[j];
            for (int position = 0; position < reactants.Length; position++)
            {
                rateJacobian[(j * n) + reactants[position]] += p[j] * Product(reactants, y, skip: position);
            }
        }
        dfdyRowMajor[..(n * n)].Clear();
        for (int i = 0; i < n; i++)
        {
            foreach (var (reaction, coefficient) in Terms[i])
            {
                for (int m = 0; m < n; m++)
                {
                    dfdyRowMajor[(i * n) + m] += coefficient * rateJacobian[(reaction * n) + m];
                }
            }
        }
    }

    public sealed override void ParameterJacobian(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, Span<double> dfdpRowMajor)
    {
        int np = ParameterSize;
        dfdpRowMajor[..(StateSize * np)].Clear();
        for (int i = 0; i < StateSize; i++)
        {
            foreach (var (reaction, coefficient) in Terms[i])
            {
                // ∂r_j/∂k_j = Π y_(reactants of j)
                dfdpRowMajor[(i * np) + reaction] += coefficient * Product(Reactants[reaction], y, skip: -1);
            }
        }
    }

    /// <summary>Π y_r over the reactants, leaving out the one at <paramref name="skip"/> (−1: none).</summary>
    private static double Product(int[] reactants, ReadOnlySpan<double> y, int skip)
    {
        double product = 1.0;
        for (int position = 0; position < reactants.Length; position++)
        {
            if (position != skip)
            {
                product *= y[reactants[position]];
            }
        }
        return product;
    }
}
