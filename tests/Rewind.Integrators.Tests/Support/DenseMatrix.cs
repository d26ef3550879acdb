namespace RewindTests.Integrators;

/// <summary>A small square matrix (row-major) with the operations the analytic-gradient tests need, including expm.</summary>
internal sealed class DenseMatrix
{
    private readonly double[] a;

    public DenseMatrix(int size)
    {
        Size = size;
        a = new double[size * size];
    }

    public DenseMatrix(int size, double[] rowMajor)
        : this(size)
    {
        if (rowMajor.Length != size * size)
        {
            throw new ArgumentException($"expected {size * size} entries, got {rowMajor.Length}", nameof(rowMajor));
        }

        rowMajor.CopyTo(a, 0);
    }

    public int Size { get; }

    public double this[int i, int j]
    {
        get => a[(i * Size) + j];
        set => a[(i * Size) + j] = value;
    }

    public static DenseMatrix Identity(int size)
    {
        var m = new DenseMatrix(size);
        for (var i = 0; i < size; i++)
        {
            m[i, i] = 1;
        }

        return m;
    }

    public static DenseMatrix operator *(DenseMatrix x, DenseMatrix y)
    {
        var n = x.Size;
        var r = new DenseMatrix(n);
        for (var i = 0; i < n; i++)
        {
            for (var k = 0; k < n; k++)
            {
                var xik = x[i, k];
                for (var j = 0; j < n; j++)
                {
                    r.a[(i * n) + j] += xik * y.a[(k * n) + j];
                }
            }
        }

        return r;
    }

    public static DenseMatrix Multiply(DenseMatrix x, DenseMatrix y) => x * y;

    public DenseMatrix Scaled(double alpha)
    {
        var r = new DenseMatrix(Size);
        for (var i = 0; i < a.Length; i++)
        {
            r.a[i] = alpha * a[i];
        }

        return r;
    }

    /// <summary>this += alpha * other.</summary>
    public void AddScaled(double alpha, DenseMatrix other)
    {
        for (var i = 0; i < a.Length; i++)
        {
            a[i] += alpha * other.a[i];
        }
    }

    /// <summary>y += alpha * this * x.</summary>
    public void MultiplyAdd(double alpha, ReadOnlySpan<double> x, Span<double> y)
    {
        for (var i = 0; i < Size; i++)
        {
            var s = 0.0;
            for (var j = 0; j < Size; j++)
            {
                s += a[(i * Size) + j] * x[j];
            }

            y[i] += alpha * s;
        }
    }

    /// <summary>y += alpha * this^T * x.</summary>
    public void TransposeMultiplyAdd(double alpha, ReadOnlySpan<double> x, Span<double> y)
    {
        for (var i = 0; i < Size; i++)
        {
            for (var j = 0; j < Size; j++)
            {
                y[j] += alpha * a[(i * Size) + j] * x[i];
            }
        }
    }

    public double[] Multiply(ReadOnlySpan<double> x)
    {
        var y = new double[Size];
        MultiplyAdd(1, x, y);
        return y;
    }

    public double[] TransposeMultiply(ReadOnlySpan<double> x)
    {
        var y = new double[Size];
        TransposeMultiplyAdd(1, x, y);
        return y;
    }

    /// <summary>w^T this y.</summary>
    public double Bilinear(ReadOnlySpan<double> w, ReadOnlySpan<double> y)
    {
        var s = 0.0;
        for (var i = 0; i < Size; i++)
        {
            for (var j = 0; j < Size; j++)
            {
                s += w[i] * a[(i * Size) + j] * y[j];
            }
        }

        return s;
    }

    public double OneNorm()
    {
        var m = 0.0;
        for (var j = 0; j < Size; j++)
        {
            var s = 0.0;
            for (var i = 0; i < Size; i++)
            {
                s += Math.Abs(this[i, j]);
            }

            m = Math.Max(m, s);
        }

        return m;
    }

    /// <summary>
    /// Matrix exponential by scaling and squaring with a Taylor series: X / 2^s has 1-norm at most 1/4, where 30
    /// Taylor terms are far below double round-off, then the result is squared s times.
    /// </summary>
    public DenseMatrix Exp()
    {
        var norm = OneNorm();
        var s = norm > 0.25 ? (int)Math.Ceiling(Math.Log2(norm / 0.25)) : 0;
        var x = Scaled(Math.ScaleB(1.0, -s));
        var sum = Identity(Size);
        var term = Identity(Size);
        for (var k = 1; k <= 30; k++)
        {
            term = (term * x).Scaled(1.0 / k);
            sum.AddScaled(1, term);
            if (term.OneNorm() <= 1e-20 * sum.OneNorm())
            {
                break;
            }
        }

        for (var i = 0; i < s; i++)
        {
            sum *= sum;
        }

        return sum;
    }

    /// <summary>
    /// Fréchet derivative of expm at this matrix in direction e: the upper-right block of expm([[X, E], [0, X]]).
    /// </summary>
    public DenseMatrix ExpFrechet(DenseMatrix e)
    {
        var n = Size;
        var block = new DenseMatrix(2 * n);
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                block[i, j] = this[i, j];
                block[n + i, n + j] = this[i, j];
                block[i, n + j] = e[i, j];
            }
        }

        var exp = block.Exp();
        var r = new DenseMatrix(n);
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                r[i, j] = exp[i, n + j];
            }
        }

        return r;
    }
}
