using Rewind.Networks;

namespace RewindTests.Networks;

/// <summary>The embedded datasets: documented shapes, reproducible from a seed, correct dynamics, and batches formed
/// as documented (windows on a grid; whole irregular series on the union of their times with a mask).</summary>
public sealed class DatasetTests
{
    [Fact]
    public void SpiralIsTorchdiffeqsDemoData()
    {
        var spiral = Datasets.Spiral();
        Assert.Equal("spiral", spiral.Name);
        Assert.Equal(2, spiral.Dimension);
        Assert.Single(spiral.Observations);
        Trajectory data = spiral.Observations[0];
        Assert.Equal(1000, data.Count);
        Assert.Equal(0.0, data.Times[0]);
        Assert.Equal(25.0, data.Times[^1]);
        Assert.Equal(25.0 / 999, spiral.Spacing, 12);
        Assert.Equal([2.0, 0.0], data.State(0).ToArray());
        Assert.Equal(data.Values.ToArray(), spiral.GroundTruth[0].Values.ToArray());  // no noise by default
        Assert.Equal(10, spiral.WindowLength);
        Assert.Equal(991, spiral.SampleCount);

        // The data solve y' = y³A (row vector): compare with a fine fixed-step RK4 of the same field.
        double[] y = [2.0, 0.0];
        const int substeps = 100;
        double h = spiral.Spacing / substeps;
        for (int k = 1; k <= 200; k++)
        {
            for (int j = 0; j < substeps; j++)
            {
                y = Rk4(Spiral, y, h);
            }

            Assert.True(Math.Abs(y[0] - data.Value(k, 0)) < 1e-7 && Math.Abs(y[1] - data.Value(k, 1)) < 1e-7, $"t = {data.Times[k]}: ({y[0]}, {y[1]}) against ({data.Value(k, 0)}, {data.Value(k, 1)})");
        }

        static double[] Spiral(double[] s)
        {
            double a = s[0] * s[0] * s[0];
            double b = s[1] * s[1] * s[1];
            return [(-0.1 * a) - (2.0 * b), (2.0 * a) - (0.1 * b)];
        }
    }

    [Fact]
    public void NoiseIsSeededAndOnlyOnTheObservations()
    {
        var first = Datasets.Spiral(points: 100, noise: 0.01, seed: 3);
        var again = Datasets.Spiral(points: 100, noise: 0.01, seed: 3);
        var other = Datasets.Spiral(points: 100, noise: 0.01, seed: 4);
        Assert.Equal(first.Observations[0].Values.ToArray(), again.Observations[0].Values.ToArray());
        Assert.NotEqual(first.Observations[0].Values.ToArray(), other.Observations[0].Values.ToArray());
        Assert.Equal(first.GroundTruth[0].Values.ToArray(), other.GroundTruth[0].Values.ToArray());
        double[] residual = [.. first.Observations[0].Values.ToArray().Zip(first.GroundTruth[0].Values.ToArray(), (o, t) => o - t)];
        double sd = Math.Sqrt(residual.Select(r => r * r).Average());
        Assert.InRange(sd, 0.008, 0.012);
    }

    [Fact]
    public void WindowBatchesAreDistinctShiftedWindows()
    {
        var spiral = Datasets.Spiral();
        TrainingBatch batch = spiral.SampleBatch(20, new Random(7));
        Assert.Equal(20, batch.Size);
        Assert.Equal(2, batch.Dimension);
        Assert.Equal(10, batch.Count);
        Assert.Equal(0.0, batch.StartTime);
        Assert.Equal(spiral.Observations[0].Times.Take(10), batch.Times);
        Assert.False(batch.HasMask);
        Assert.Equal(20 * 2 * 10, batch.ObservedCount);

        // Each member is a window y(t_j), …, y(t_{j+9}) of the data, starting from y(t_j); the starts are distinct.
        Trajectory data = spiral.Observations[0];
        var starts = new HashSet<int>();
        for (int b = 0; b < 20; b++)
        {
            double[] y0 = batch.InitialStates.Span.Slice(b * 2, 2).ToArray();
            int start = Enumerable.Range(0, data.Count).Single(k => data.State(k).SequenceEqual(y0));
            Assert.True(starts.Add(start));
            Assert.InRange(start, 0, 990);
            for (int k = 0; k < 10; k++)
            {
                Assert.Equal(data.State(start + k).ToArray(), batch.Targets.Span.Slice((k * 40) + (b * 2), 2).ToArray());
            }
        }

        // The same Random state gives the same batch.
        TrainingBatch again = spiral.SampleBatch(20, new Random(7));
        Assert.Equal(batch.InitialStates.ToArray(), again.InitialStates.ToArray());
        Assert.Equal(batch.Targets.ToArray(), again.Targets.ToArray());

        Assert.Throws<ArgumentOutOfRangeException>(() => spiral.SampleBatch(992, new Random(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => spiral.SampleBatch(0, new Random(1)));
        Assert.Equal(991, spiral.SampleBatch(991, new Random(1)).Size);  // every window once
    }

    [Fact]
    public void FullBatchIsEverySeriesWhole()
    {
        var lv = Datasets.LotkaVolterra(series: 3, points: 50);
        TrainingBatch full = lv.FullBatch();
        Assert.Equal(3, full.Size);
        Assert.Equal(50, full.Count);
        Assert.Equal(lv.Observations[0].Times, full.Times);
        for (int s = 0; s < 3; s++)
        {
            Assert.Equal(lv.Observations[s].State(0).ToArray(), full.InitialStates.Span.Slice(s * 2, 2).ToArray());
            Assert.Equal(lv.Observations[s].State(49).ToArray(), full.Targets.Span.Slice((49 * 6) + (s * 2), 2).ToArray());
        }
    }

    [Fact]
    public void LotkaVolterraConservesItsInvariant()
    {
        var lv = Datasets.LotkaVolterra(seed: 11);
        Assert.Equal(8, lv.Observations.Count);
        Assert.Equal(8 * 91, lv.SampleCount);
        Assert.Equal(10.0, lv.Observations[0].Times[^1]);
        var initial = new HashSet<(double, double)>();
        foreach (Trajectory series in lv.GroundTruth)
        {
            Assert.Equal(100, series.Count);
            Assert.InRange(series.Value(0, 0), 1.0, 5.0);
            Assert.InRange(series.Value(0, 1), 0.5, 2.5);
            Assert.True(initial.Add((series.Value(0, 0), series.Value(0, 1))));

            // V = δ x − γ ln x + β y − α ln y is constant along every solution.
            double v0 = Invariant(series.Value(0, 0), series.Value(0, 1));
            for (int k = 0; k < series.Count; k++)
            {
                Assert.True(series.Value(k, 0) > 0 && series.Value(k, 1) > 0);
                Assert.Equal(v0, Invariant(series.Value(k, 0), series.Value(k, 1)), 1e-7);
            }
        }

        Assert.Equal(lv.Observations[3].Values.ToArray(), Datasets.LotkaVolterra(seed: 11).Observations[3].Values.ToArray());
        Assert.NotEqual(lv.Observations[3].Values.ToArray(), Datasets.LotkaVolterra(seed: 12).Observations[3].Values.ToArray());

        static double Invariant(double x, double y) => x - (3.0 * Math.Log(x)) + y - (1.5 * Math.Log(y));
    }

    [Fact]
    public void OscillatorsAreIrregularlySampledDampedOscillators()
    {
        var data = Datasets.DampedOscillators(series: 10, observations: 15, seed: 2);
        Assert.Equal(10, data.SampleCount);
        Assert.Equal(0.0, data.StartTime);
        var allTimes = new HashSet<double>();
        for (int s = 0; s < 10; s++)
        {
            Trajectory series = data.Observations[s];
            Assert.Equal(16, series.Count);
            Assert.Equal(0.0, series.Times[0]);
            Assert.All(series.Times.Skip(1), t => Assert.InRange(t, 1e-12, 10.0));
            Assert.All(series.Times.Skip(1), t => Assert.True(allTimes.Add(t), "two series share an observation time"));

            // The observations lie on the ground truth's solution: x' = v and the amplitude decays as e^{-ζωt}.
            Trajectory truth = data.GroundTruth[s];
            Assert.Equal(201, truth.Count);
            Assert.Equal(series.State(0).ToArray(), truth.State(0).ToArray());
            double h = truth.Times[1] - truth.Times[0];
            for (int k = 1; k < truth.Count - 1; k++)
            {
                double dx = (truth.Value(k + 1, 0) - truth.Value(k - 1, 0)) / (2 * h);
                double dv = (truth.Value(k + 1, 1) - truth.Value(k - 1, 1)) / (2 * h);
                Assert.Equal(truth.Value(k, 1), dx, 5e-3);
                Assert.Equal(-(2.25 * truth.Value(k, 0)) - (0.3 * truth.Value(k, 1)), dv, 5e-3);
            }
        }

        Assert.Equal(data.Observations[7].Times, Datasets.DampedOscillators(series: 10, observations: 15, seed: 2).Observations[7].Times);
    }

    [Fact]
    public void IrregularBatchesUseTheUnionOfTimesWithAMask()
    {
        var data = Datasets.DampedOscillators(series: 12, observations: 6, seed: 5);
        TrainingBatch batch = data.SampleBatch(4, new Random(9));
        Assert.Equal(4, batch.Size);
        Assert.True(batch.HasMask);
        Assert.Equal(1 + (4 * 6), batch.Count);  // t = 0 and every member's own times
        Assert.Equal(0.0, batch.Times[0]);
        Assert.Equal((4 * 2) + (4 * 6 * 2), batch.ObservedCount);

        bool[] mask = batch.Mask.ToArray();
        double[] targets = batch.Targets.ToArray();
        for (int b = 0; b < 4; b++)
        {
            double[] y0 = batch.InitialStates.Span.Slice(b * 2, 2).ToArray();
            Trajectory series = data.Observations.Single(o => o.State(0).SequenceEqual(y0));
            for (int k = 0; k < batch.Count; k++)
            {
                int j = series.Times.ToList().IndexOf(batch.Times[k]);
                for (int i = 0; i < 2; i++)
                {
                    int at = (k * 8) + (b * 2) + i;
                    Assert.Equal(j >= 0, mask[at]);
                    if (j >= 0)
                    {
                        Assert.Equal(series.Value(j, i), targets[at]);
                    }
                }
            }
        }

        TrainingBatch full = data.FullBatch();
        Assert.Equal(12, full.Size);
        Assert.Equal(1 + (12 * 6), full.Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => data.SampleBatch(13, new Random(1)));
    }

    [Fact]
    public void MissingValuesAreMaskedOut()
    {
        var data = Datasets.DampedOscillators(series: 20, observations: 10, missingFraction: 0.3, seed: 8);
        int missing = data.Observations.Sum(o => o.Values.ToArray().Count(double.IsNaN));
        Assert.InRange(missing, 60, 180);  // 20 × 10 × 2 values, 30 % missing
        Assert.All(data.Observations, o => Assert.All(o.State(0).ToArray(), v => Assert.True(double.IsFinite(v))));
        TrainingBatch full = data.FullBatch();
        Assert.Equal((20 * 2) + (20 * 10 * 2) - missing, full.ObservedCount);
    }

    [Fact]
    public void DatasetsByName()
    {
        Assert.Equal(["spiral", "lotka-volterra", "oscillators"], Datasets.Names);
        Assert.IsType<WindowedDataset>(Datasets.Create("spiral"));
        Assert.IsType<WindowedDataset>(Datasets.Create("lotka-volterra", seed: 1));
        Assert.IsType<IrregularDataset>(Datasets.Create("oscillators", seed: 1, noise: 0.1));
        var unknown = Assert.Throws<ArgumentException>(() => Datasets.Create("moons"));
        Assert.Contains("spiral, lotka-volterra, oscillators", unknown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BadSeriesAreRejected()
    {
        var a = new Trajectory([0.0, 1.0, 2.0], [1, 2, 3, 4, 5, 6], 2);
        var b = new Trajectory([0.0, 1.0, 2.5], [1, 2, 3, 4, 5, 6], 2);
        Assert.Throws<ArgumentException>(() => new WindowedDataset("x", [a, b], 2));  // different grids
        Assert.Throws<ArgumentException>(() => new WindowedDataset("x", [b], 2));  // uneven grid
        Assert.Throws<ArgumentOutOfRangeException>(() => new WindowedDataset("x", [a], 4));
        Assert.Throws<ArgumentException>(() => new WindowedDataset("x", [new Trajectory([0.0, 1.0], [1, double.NaN], 1)], 2));
        Assert.Throws<ArgumentException>(() => new IrregularDataset("x", [a, new Trajectory([0.5, 1.0], [1, 2, 3, 4], 2)]));  // different starts
        Assert.Throws<ArgumentException>(() => new IrregularDataset("x", [new Trajectory([0.0, 1.0], [double.NaN, 2], 1)]));  // unobserved start
        Assert.Throws<ArgumentException>(() => new Trajectory([0.0, 0.0], [1, 2], 1));
        Assert.Throws<ArgumentException>(() => new Trajectory([0.0, 1.0], [1, 2, 3], 1));
        Assert.Throws<ArgumentException>(() => new TrainingBatch(0, [1.0], [1.0, 2.0], [double.NaN, 1.0], null, 1));
        Assert.Equal(1, new TrainingBatch(0, [1.0], [1.0, 2.0], [double.NaN, 1.0], [false, true], 1).ObservedCount);
        Assert.Throws<ArgumentException>(() => new TrainingBatch(2, [1.0], [1.0], [1.0], null, 1));  // time before the start
    }

    private static double[] Rk4(Func<double[], double[]> f, double[] y, double h)
    {
        double[] k1 = f(y);
        double[] k2 = f([y[0] + (0.5 * h * k1[0]), y[1] + (0.5 * h * k1[1])]);
        double[] k3 = f([y[0] + (0.5 * h * k2[0]), y[1] + (0.5 * h * k2[1])]);
        double[] k4 = f([y[0] + (h * k3[0]), y[1] + (h * k3[1])]);
        return [y[0] + (h / 6 * (k1[0] + (2 * k2[0]) + (2 * k3[0]) + k4[0])), y[1] + (h / 6 * (k1[1] + (2 * k2[1]) + (2 * k3[1]) + k4[1]))];
    }
}
