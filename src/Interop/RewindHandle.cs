using System.Runtime.InteropServices;

namespace Rewind.Interop;

/// <summary>
/// Base of the handles to librewind objects. A handle keeps the handles its native object points to alive, so
/// that finalizers, which run in no particular order, still destroy a ts before its field and both before their
/// context. It also owns the <see cref="GCHandle"/> through which the object's callbacks reach managed code, and
/// frees it only after the native object is gone and can no longer call back.
/// </summary>
internal abstract class RewindHandle : SafeHandle
{
    private readonly List<SafeHandle> dependencies = [];
    private GCHandle callbackTarget;

    protected RewindHandle()
        : base(0, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == 0;

    /// <summary>Keeps <paramref name="dependency"/> open until this handle is released.</summary>
    internal void DependOn(SafeHandle dependency)
    {
        bool added = false;
        dependency.DangerousAddRef(ref added);
        if (added)
        {
            dependencies.Add(dependency);
        }
    }

    /// <summary>Takes ownership of the GCHandle passed as <c>user</c> to this object's callbacks.</summary>
    internal void OwnCallbackTarget(GCHandle target)
    {
        if (callbackTarget.IsAllocated)
        {
            throw new InvalidOperationException("This native object already has a callback target.");
        }

        callbackTarget = target;
    }

    protected abstract void Destroy(nint native);

    protected sealed override bool ReleaseHandle()
    {
        Destroy(handle);
        if (callbackTarget.IsAllocated)
        {
            callbackTarget.Free();
        }

        foreach (SafeHandle dependency in dependencies)
        {
            dependency.DangerousRelease();
        }

        return true;
    }
}
