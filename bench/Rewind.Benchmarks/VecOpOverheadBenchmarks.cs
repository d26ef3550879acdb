using System.Diagnostics.CodeAnalysis;
using BenchmarkDotNet.Attributes;
using Rewind.Interop;

namespace Rewind.Benchmarks;

/// <summary>
/// Cost of one vector operation across the C ABI: <c>rwd_vec_axpy</c> called through the internal binding
/// (P/Invoke with two SafeHandles) against the same axpy on managed arrays. On short vectors the difference is the
/// per-call overhead of a vec op; on long ones both are memory bound.
/// </summary>
[SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable",
                 Justification = "BenchmarkDotNet owns the instance; [GlobalCleanup] releases the handles.")]
public class VecOpOverheadBenchmarks
{
    private const double Alpha = 1e-6;

    private ContextHandle _context = null!;
    private VecHandle _x = null!;
    private VecHandle _y = null!;
    private double[] _managedX = null!;
    private double[] _managedY = null!;

    [Params(4, 1024)]
    public int Length { get; set; }

    [GlobalSetup]
    public void CreateVectors()
    {
        Ensure.Success(NativeMethods.ContextCreate(out _context));
        Ensure.Success(NativeMethods.VecCreate(_context, "cpu", Length, out _x), _context);
        Ensure.Success(NativeMethods.VecCreate(_context, "cpu", Length, out _y), _context);
        _managedX = [.. Enumerable.Range(0, Length).Select(i => (double)i)];
        _managedY = new double[Length];
        Ensure.Success(NativeMethods.VecSet(_x, _managedX, Length), _context);
    }

    [GlobalCleanup]
    public void ReleaseVectors()
    {
        _y.Dispose();
        _x.Dispose();
        _context.Dispose();
    }

    [Benchmark(Baseline = true)]
    public double ManagedAxpy()
    {
        double[] x = _managedX, y = _managedY;
        for (int i = 0; i < y.Length; i++)
        {
            y[i] += Alpha * x[i];
        }
        return y[^1];
    }

    [Benchmark]
    public int NativeVecAxpy() => (int)NativeMethods.VecAxpy(_y, Alpha, _x);
}
