using System.Globalization;
using System.Text;
using System.Xml;
using Rewind.Networks;

namespace Rewind.Cli;

/// <summary>
/// Draws <c>fit.svg</c> by hand (an <see cref="XmlWriter"/>, so the file is well-formed XML): the data against the
/// trained model and the loss curve. Panels, left to right: the phase plane (y1, y2) of up to
/// <see cref="MaxSeries"/> series (2-D and larger data); the components of the first series against time; the batch
/// loss per iteration on a log scale (a band from the lowest to the highest loss of each group of iterations and a
/// line through their geometric mean) with the loss on the full data where it was evaluated. The ground truth is a
/// wide, faint line, the observations dots, the model a thin line in the same colour; a model that leaves the data's
/// range is clipped to its panel.
/// </summary>
internal static class FitPlot
{
    /// <summary>The most series drawn in the phase plane.</summary>
    public const int MaxSeries = 8;

    private const string SvgNamespace = "http://www.w3.org/2000/svg";
    private const double PanelWidth = 380;
    private const double PanelHeight = 340;
    private const double Top = 84;
    private const double Left = 60;
    private const double Gap = 80;
    private const int MaxMarkersPerSeries = 120;
    private const int LossGroups = 400;

    private static readonly string[] Colors = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2"];

    // The components against time get their own colours, so that they are not taken for the series of the phase plane.
    private static readonly string[] ComponentColors = ["#ff7f0e", "#2ca02c", "#9467bd", "#8c564b"];

    /// <summary>What the plot shows.</summary>
    /// <param name="Title">The first line of the title.</param>
    /// <param name="Subtitle">The second line (settings and result).</param>
    /// <param name="Dataset">The data: observations and ground truth.</param>
    /// <param name="Predictions">The model's trajectory per ground-truth series, or null if its solve failed.</param>
    /// <param name="PredictionError">Why there are no predictions, if so.</param>
    /// <param name="History">The fit's iterations.</param>
    public sealed record Content(
        string Title,
        string Subtitle,
        Dataset Dataset,
        IReadOnlyList<Trajectory>? Predictions,
        string? PredictionError,
        IReadOnlyList<TrainingProgress> History);

    /// <summary>Writes the SVG document to <paramref name="path"/>.</summary>
    public static void Write(string path, Content content)
    {
        using var stream = File.Create(path);
        Write(stream, content);
    }

    /// <summary>Writes the SVG document to <paramref name="stream"/> (UTF-8).</summary>
    public static void Write(Stream stream, Content content)
    {
        bool phasePlane = content.Dataset.Dimension >= 2;
        int panels = phasePlane ? 3 : 2;
        double width = Left + (panels * PanelWidth) + ((panels - 1) * Gap) + 30;
        double height = Top + PanelHeight + 90;
        var settings = new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false) };
        using var xml = XmlWriter.Create(stream, settings);
        xml.WriteStartDocument();
        xml.WriteStartElement("svg", SvgNamespace);
        Attributes(xml, ("width", N(width)), ("height", N(height)), ("viewBox", $"0 0 {N(width)} {N(height)}"),
                   ("font-family", "DejaVu Sans, Helvetica, Arial, sans-serif"), ("font-size", "12"));
        Element(xml, "rect", ("x", "0"), ("y", "0"), ("width", N(width)), ("height", N(height)), ("fill", "white"));
        Text(xml, Left, 26, content.Title, ("font-size", "16"), ("font-weight", "bold"));
        Text(xml, Left, 48, content.Subtitle, ("fill", "#444"));

        double x = Left;
        if (phasePlane)
        {
            PhasePanel(xml, new Frame(x, Top, PanelWidth, PanelHeight, "phase"), content);
            x += PanelWidth + Gap;
        }
        TimePanel(xml, new Frame(x, Top, PanelWidth, PanelHeight, "time"), content);
        x += PanelWidth + Gap;
        LossPanel(xml, new Frame(x, Top, PanelWidth, PanelHeight, "loss"), content.History);
        Legend(xml, Left, Top + PanelHeight + 62, content);
        xml.WriteEndElement();
        xml.WriteEndDocument();
    }

    private static void PhasePanel(XmlWriter xml, Frame frame, Content content)
    {
        int count = Math.Min(MaxSeries, content.Dataset.GroundTruth.Count);
        IEnumerable<(double X, double Y)> data = Enumerable.Range(0, count).SelectMany(s =>
            Points(content.Dataset.GroundTruth[s], 0, 1).Concat(Points(content.Dataset.Observations[s], 0, 1)));
        Axes axes = Axes.Fit(data);
        string shown = content.Dataset.GroundTruth.Count > count
            ? string.Create(CultureInfo.InvariantCulture, $" (first {count} of {content.Dataset.GroundTruth.Count} series)")
            : "";
        DrawFrame(xml, frame, axes, $"phase plane{shown}", "y1", "y2", logY: false);
        xml.WriteStartElement("g", SvgNamespace);
        xml.WriteAttributeString("clip-path", $"url(#{frame.Id}-clip)");
        for (int s = 0; s < count; s++)
        {
            string color = Colors[s % Colors.Length];
            Polyline(xml, frame, axes, Points(content.Dataset.GroundTruth[s], 0, 1), color, 5, 0.25);
            Markers(xml, frame, axes, Thin(Points(content.Dataset.Observations[s], 0, 1).ToList(), MaxMarkersPerSeries), color);
            if (content.Predictions is { } predictions)
            {
                Polyline(xml, frame, axes, Points(predictions[s], 0, 1), color, 1.5, 1);
            }
        }
        xml.WriteEndElement();
        NoModelNote(xml, frame, content);
    }

    private static void TimePanel(XmlWriter xml, Frame frame, Content content)
    {
        Trajectory truth = content.Dataset.GroundTruth[0];
        Trajectory observed = content.Dataset.Observations[0];
        int components = Math.Min(truth.Dimension, ComponentColors.Length);
        IEnumerable<(double X, double Y)> data = Enumerable.Range(0, components).SelectMany(c =>
            TimePoints(truth, c).Concat(TimePoints(observed, c)));
        Axes axes = Axes.Fit(data);
        string title = content.Dataset.GroundTruth.Count > 1 ? "components of series 1 against time" : "components against time";
        DrawFrame(xml, frame, axes, title, "t", "y", logY: false);
        xml.WriteStartElement("g", SvgNamespace);
        xml.WriteAttributeString("clip-path", $"url(#{frame.Id}-clip)");
        for (int c = 0; c < components; c++)
        {
            string color = ComponentColors[c];
            Polyline(xml, frame, axes, TimePoints(truth, c), color, 5, 0.25);
            Markers(xml, frame, axes, Thin(TimePoints(observed, c).ToList(), MaxMarkersPerSeries), color);
            if (content.Predictions is { } predictions)
            {
                Polyline(xml, frame, axes, TimePoints(predictions[0], c), color, 1.5, 1);
            }
        }
        xml.WriteEndElement();
        for (int c = 0; c < components; c++)
        {
            string color = ComponentColors[c];
            double y = frame.Y + 16 + (c * 16);
            Element(xml, "line", ("x1", N(frame.X + frame.Width - 46)), ("y1", N(y - 4)), ("x2", N(frame.X + frame.Width - 30)),
                    ("y2", N(y - 4)), ("stroke", color), ("stroke-width", "2"));
            Text(xml, frame.X + frame.Width - 26, y, string.Create(CultureInfo.InvariantCulture, $"y{c + 1}"));
        }
        NoModelNote(xml, frame, content);
    }

    private static void LossPanel(XmlWriter xml, Frame frame, IReadOnlyList<TrainingProgress> history)
    {
        var losses = history.Where(p => p.Loss > 0 && double.IsFinite(p.Loss)).Select(p => (X: (double)p.Iteration, Y: Math.Log10(p.Loss))).ToList();
        var evaluations = history.Where(p => p.EvaluationLoss is > 0 and < double.PositiveInfinity)
                                 .Select(p => (X: (double)p.Iteration, Y: Math.Log10(p.EvaluationLoss!.Value))).ToList();
        Axes axes = Axes.Fit(losses.Concat(evaluations).Append((1.0, double.NaN)).Append((Math.Max(2, history.Count), double.NaN)), logY: true);
        DrawFrame(xml, frame, axes, "loss (log scale)", "iteration", "", logY: true);
        xml.WriteStartElement("g", SvgNamespace);
        xml.WriteAttributeString("clip-path", $"url(#{frame.Id}-clip)");
        if (losses.Count > 0)
        {
            int size = Math.Max(1, (int)Math.Ceiling(losses.Count / (double)LossGroups));
            var groups = losses.Chunk(size).Select(g => (X: g.Average(p => p.X), Low: g.Min(p => p.Y), High: g.Max(p => p.Y), Mean: g.Average(p => p.Y))).ToList();
            if (size > 1)
            {
                IEnumerable<(double X, double Y)> band = groups.Select(g => (g.X, g.High)).Concat(groups.AsEnumerable().Reverse().Select(g => (g.X, g.Low)));
                Element(xml, "polygon", ("points", PointList(frame, axes, band)), ("fill", Colors[0]), ("fill-opacity", "0.2"), ("stroke", "none"));
            }
            Polyline(xml, frame, axes, groups.Select(g => (g.X, g.Mean)), Colors[0], 1.5, 1);
        }
        if (evaluations.Count > 0)
        {
            Polyline(xml, frame, axes, evaluations, Colors[1], 1.5, 1);
            foreach ((double x, double y) in evaluations)
            {
                Element(xml, "circle", ("cx", N(frame.PixelX(axes, x))), ("cy", N(frame.PixelY(axes, y))), ("r", "3"), ("fill", Colors[1]));
            }
        }
        xml.WriteEndElement();
        double legendY = frame.Y + 16;
        Element(xml, "line", ("x1", N(frame.X + frame.Width - 150)), ("y1", N(legendY - 4)), ("x2", N(frame.X + frame.Width - 134)),
                ("y2", N(legendY - 4)), ("stroke", Colors[0]), ("stroke-width", "2"));
        Text(xml, frame.X + frame.Width - 130, legendY, "batch loss");
        if (evaluations.Count > 0)
        {
            Element(xml, "line", ("x1", N(frame.X + frame.Width - 150)), ("y1", N(legendY + 12)), ("x2", N(frame.X + frame.Width - 134)),
                    ("y2", N(legendY + 12)), ("stroke", Colors[1]), ("stroke-width", "2"));
            Text(xml, frame.X + frame.Width - 130, legendY + 16, "full-data loss");
        }
    }

    private static void Legend(XmlWriter xml, double x, double y, Content content)
    {
        Element(xml, "line", ("x1", N(x)), ("y1", N(y - 4)), ("x2", N(x + 24)), ("y2", N(y - 4)), ("stroke", "#555"), ("stroke-width", "5"), ("stroke-opacity", "0.25"));
        Text(xml, x + 30, y, "ground truth");
        Element(xml, "circle", ("cx", N(x + 130)), ("cy", N(y - 4)), ("r", "2.2"), ("fill", "#555"));
        Text(xml, x + 140, y, "observations (training data)");
        Element(xml, "line", ("x1", N(x + 330)), ("y1", N(y - 4)), ("x2", N(x + 354)), ("y2", N(y - 4)), ("stroke", "#555"), ("stroke-width", "1.5"));
        Text(xml, x + 360, y, content.Predictions is null ? "model (not available)" : "trained model, from each series' initial state");
    }

    private static void NoModelNote(XmlWriter xml, Frame frame, Content content)
    {
        if (content.Predictions is null)
        {
            Text(xml, frame.X + 8, frame.Y + frame.Height - 10, $"model: {content.PredictionError}", ("fill", "#b00"));
        }
    }

    private static void DrawFrame(XmlWriter xml, Frame frame, Axes axes, string title, string xLabel, string yLabel, bool logY)
    {
        xml.WriteStartElement("clipPath", SvgNamespace);
        xml.WriteAttributeString("id", $"{frame.Id}-clip");
        Element(xml, "rect", ("x", N(frame.X)), ("y", N(frame.Y)), ("width", N(frame.Width)), ("height", N(frame.Height)));
        xml.WriteEndElement();
        Text(xml, frame.X, frame.Y - 8, title, ("font-weight", "bold"));
        foreach (double tick in Ticks(axes.XMin, axes.XMax))
        {
            double px = frame.PixelX(axes, tick);
            Element(xml, "line", ("x1", N(px)), ("y1", N(frame.Y)), ("x2", N(px)), ("y2", N(frame.Y + frame.Height)), ("stroke", "#e5e5e5"));
            Text(xml, px, frame.Y + frame.Height + 16, Label(tick), ("text-anchor", "middle"));
        }
        foreach (double tick in logY ? LogTicks(axes.YMin, axes.YMax) : Ticks(axes.YMin, axes.YMax))
        {
            double py = frame.PixelY(axes, tick);
            Element(xml, "line", ("x1", N(frame.X)), ("y1", N(py)), ("x2", N(frame.X + frame.Width)), ("y2", N(py)), ("stroke", "#e5e5e5"));
            string label = logY ? string.Create(CultureInfo.InvariantCulture, $"1e{tick:0}") : Label(tick);
            Text(xml, frame.X - 6, py + 4, label, ("text-anchor", "end"));
        }
        Element(xml, "rect", ("x", N(frame.X)), ("y", N(frame.Y)), ("width", N(frame.Width)), ("height", N(frame.Height)),
                ("fill", "none"), ("stroke", "#333"));
        Text(xml, frame.X + (frame.Width / 2), frame.Y + frame.Height + 34, xLabel, ("text-anchor", "middle"));
        if (yLabel.Length > 0)
        {
            double ly = frame.Y + (frame.Height / 2);
            Text(xml, frame.X - 44, ly, yLabel, ("text-anchor", "middle"), ("transform", $"rotate(-90 {N(frame.X - 44)} {N(ly)})"));
        }
    }

    private static void Polyline(XmlWriter xml, Frame frame, Axes axes, IEnumerable<(double X, double Y)> points, string color, double width, double opacity)
    {
        // A non-finite value breaks the line: one polyline per finite run.
        var run = new List<(double X, double Y)>();
        foreach ((double x, double y) in points.Append((double.NaN, double.NaN)))
        {
            if (double.IsFinite(x) && double.IsFinite(y))
            {
                run.Add((x, y));
                continue;
            }
            if (run.Count > 1)
            {
                Element(xml, "polyline", ("points", PointList(frame, axes, run)), ("fill", "none"), ("stroke", color),
                        ("stroke-width", N(width)), ("stroke-opacity", N(opacity)), ("stroke-linejoin", "round"), ("stroke-linecap", "round"));
            }
            run.Clear();
        }
    }

    private static void Markers(XmlWriter xml, Frame frame, Axes axes, IEnumerable<(double X, double Y)> points, string color)
    {
        foreach ((double x, double y) in points.Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)))
        {
            Element(xml, "circle", ("cx", N(frame.PixelX(axes, x))), ("cy", N(frame.PixelY(axes, y))), ("r", "2.2"), ("fill", color));
        }
    }

    private static string PointList(Frame frame, Axes axes, IEnumerable<(double X, double Y)> points) =>
        string.Join(" ", points.Select(p => $"{N(frame.PixelX(axes, p.X))},{N(frame.PixelY(axes, p.Y))}"));

    private static IEnumerable<(double X, double Y)> Points(Trajectory trajectory, int first, int second) =>
        Enumerable.Range(0, trajectory.Count).Select(k => (trajectory.Value(k, first), trajectory.Value(k, second)));

    private static IEnumerable<(double X, double Y)> TimePoints(Trajectory trajectory, int component) =>
        Enumerable.Range(0, trajectory.Count).Select(k => (trajectory.Times[k], trajectory.Value(k, component)));

    private static IEnumerable<T> Thin<T>(List<T> items, int most)
    {
        int stride = Math.Max(1, (int)Math.Ceiling(items.Count / (double)most));
        return items.Where((_, index) => index % stride == 0);
    }

    /// <summary>About five ticks at 1, 2 or 5 × 10^k inside [min, max].</summary>
    private static IEnumerable<double> Ticks(double min, double max)
    {
        double step = NiceStep((max - min) / 5);
        for (double tick = Math.Ceiling(min / step) * step; tick <= max + (step * 1e-9); tick += step)
        {
            yield return Math.Abs(tick) < step * 1e-9 ? 0 : tick;
        }
    }

    /// <summary>Whole decades inside [min, max] (log10 values), every second or more when there are many.</summary>
    private static IEnumerable<double> LogTicks(double min, double max)
    {
        int every = Math.Max(1, (int)Math.Ceiling((max - min) / 8));
        for (double decade = Math.Ceiling(min); decade <= max; decade += every)
        {
            yield return decade;
        }
    }

    private static double NiceStep(double rough)
    {
        double magnitude = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        double fraction = rough / magnitude;
        return (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * magnitude;
    }

    private static string Label(double value) =>
        value == 0 || (Math.Abs(value) >= 1e-3 && Math.Abs(value) < 1e7)
            ? value.ToString("0.####", CultureInfo.InvariantCulture)
            : value.ToString("0.###e0", CultureInfo.InvariantCulture);

    private static string N(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static void Text(XmlWriter xml, double x, double y, string text, params (string Name, string Value)[] attributes)
    {
        xml.WriteStartElement("text", SvgNamespace);
        Attributes(xml, ("x", N(x)), ("y", N(y)));
        Attributes(xml, attributes);
        xml.WriteString(text);
        xml.WriteEndElement();
    }

    private static void Element(XmlWriter xml, string name, params (string Name, string Value)[] attributes)
    {
        xml.WriteStartElement(name, SvgNamespace);
        Attributes(xml, attributes);
        xml.WriteEndElement();
    }

    private static void Attributes(XmlWriter xml, params (string Name, string Value)[] attributes)
    {
        foreach ((string name, string value) in attributes)
        {
            xml.WriteAttributeString(name, value);
        }
    }

    /// <summary>A panel's place on the page, in pixels.</summary>
    private sealed record Frame(double X, double Y, double Width, double Height, string Id)
    {
        // Far-off points (a model that blew up) are pinned a little outside the panel, where the clip hides them.
        public double PixelX(Axes axes, double x) =>
            Math.Clamp(X + ((x - axes.XMin) / (axes.XMax - axes.XMin) * Width), X - Width, X + (2 * Width));

        public double PixelY(Axes axes, double y) =>
            Math.Clamp(Y + Height - ((y - axes.YMin) / (axes.YMax - axes.YMin) * Height), Y - Height, Y + (2 * Height));
    }

    /// <summary>The data ranges of a panel.</summary>
    private sealed record Axes(double XMin, double XMax, double YMin, double YMax)
    {
        /// <summary>The ranges of the finite points, widened by 5% (y on a log scale: to whole decades), never empty.</summary>
        public static Axes Fit(IEnumerable<(double X, double Y)> points, bool logY = false)
        {
            double xMin = double.PositiveInfinity, xMax = double.NegativeInfinity;
            double yMin = double.PositiveInfinity, yMax = double.NegativeInfinity;
            foreach ((double x, double y) in points)
            {
                if (double.IsFinite(x))
                {
                    xMin = Math.Min(xMin, x);
                    xMax = Math.Max(xMax, x);
                }
                if (double.IsFinite(y))
                {
                    yMin = Math.Min(yMin, y);
                    yMax = Math.Max(yMax, y);
                }
            }
            (xMin, xMax) = Widen(xMin, xMax, 0.05);
            if (logY)
            {
                (yMin, yMax) = double.IsFinite(yMin) ? (Math.Floor(yMin), Math.Max(Math.Ceiling(yMax), Math.Floor(yMin) + 1)) : (-1, 1);
            }
            else
            {
                (yMin, yMax) = Widen(yMin, yMax, 0.05);
            }
            return new Axes(xMin, xMax, yMin, yMax);
        }

        private static (double Min, double Max) Widen(double min, double max, double fraction)
        {
            if (!double.IsFinite(min))
            {
                return (0, 1);
            }
            double span = max - min;
            if (span <= 0)
            {
                double half = Math.Max(Math.Abs(min) * 0.1, 0.5);
                return (min - half, max + half);
            }
            return (min - (fraction * span), max + (fraction * span));
        }
    }
}
