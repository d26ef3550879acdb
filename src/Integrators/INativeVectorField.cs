using Rewind.Interop;

namespace Rewind.Integrators;

/// <summary>
/// A vector field librewind can evaluate natively (a network, a built-in problem): the solver asks it for an
/// <c>rwd_field</c> in the solve's context and calls that field directly, without managed callbacks. Its
/// <see cref="IVectorField"/> members stay available to managed callers but are not used by the solver.
/// </summary>
internal interface INativeVectorField : IVectorField
{
    /// <summary>
    /// Creates the native field in <paramref name="context"/>, with <see cref="IVectorField.StateSize"/> states and
    /// <see cref="IVectorField.ParameterSize"/> parameters and, if the field is an <see cref="ITangentVectorField"/>,
    /// Jacobian–vector products. The returned handle must keep everything the native field uses alive
    /// (<see cref="RewindHandle.DependOn"/>), the context included; the caller owns it and releases it after every
    /// ts that uses it.
    /// </summary>
    /// <param name="context">The context of the solve: the field must belong to it.</param>
    /// <returns>A handle the caller owns.</returns>
    FieldHandle CreateNativeField(ContextHandle context);
}
