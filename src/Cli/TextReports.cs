using System.Globalization;
using Rewind.Checkpointing;
using Rewind.Cli.Problems;
using Rewind.Integrators;

namespace Rewind.Cli;

/// <summary>The human-readable output: plain, aligned text.</summary>
internal static class TextReports
{
    private const int ColumnWidth = 18;

    public static void WriteSolve(TextWriter output, BuiltInProblem problem, Solver solver, SolveReport report)
    {
        WriteHeader(output, problem, solver);
        WriteStateTable(output, problem, report.Times, report.States);
        output.WriteLine();
        if (report.Mescd is { } mescd)
        {
            output.WriteLine(Invariant(
                $"mescd    {mescd:F2} (mixed-error significant correct digits of y({Format(report.Times[^1])}) against the reference, rtol {solver.RelativeTolerance}, atol {solver.AbsoluteTolerance})"));
        }
        output.WriteLine(DescribeStatistics(report.Statistics));
    }

    public static void WriteGradient(TextWriter output, BuiltInProblem problem, Solver solver, SolveSettings settings,
                                     GradientReport report)
    {
        WriteHeader(output, problem, solver);
        WriteStateTable(output, problem, report.Times, report.States);
        output.WriteLine();
        output.WriteLine($"checkpointing {report.Checkpointing}");
        output.WriteLine($"loss     {DescribeLoss(problem)}");
        output.WriteLine($"L      = {Format(report.Loss)}");
        output.WriteLine();

        var rows = new List<(string Name, double Value, double Derivative)>();
        double[] initialState = settings.InitialStateOf(problem);
        double[] parameters = settings.ParametersOf(problem);
        for (int i = 0; i < problem.StateSize; i++)
        {
            rows.Add(($"y0[{problem.StateNames[i]}]", initialState[i], report.Gradient.InitialState[i]));
        }
        for (int i = 0; i < problem.ParameterSize; i++)
        {
            rows.Add(($"p[{problem.ParameterNames[i]}]", parameters[i], report.Gradient.Parameters[i]));
        }
        int nameWidth = rows.Max(row => row.Name.Length);
        output.WriteLine($"{"input".PadRight(nameWidth)}{"value",ColumnWidth}{"dL/d(input)",ColumnWidth}");
        foreach (var (name, value, derivative) in rows)
        {
            output.WriteLine($"{name.PadRight(nameWidth)}{Format(value),ColumnWidth}{Format(derivative),ColumnWidth}");
        }
        output.WriteLine();
        output.WriteLine(DescribeStatistics(report.Statistics));
    }

    public static void WritePlan(TextWriter output, PlanReport report, CheckpointSchedule schedule)
    {
        output.WriteLine(Invariant($"{report.Policy} for {report.Steps} steps"));
        output.WriteLine(Invariant($"recomputed steps     {report.RecomputedSteps}"));
        output.WriteLine(Invariant($"optimum              {report.OptimalRecomputedSteps} (Griewank-Walther r N - C(c + r, c + 1), repetition number r = {report.Repetitions})"));
        output.WriteLine(Invariant($"ratio to optimum     {report.RatioToOptimum:0.####}"));
        output.WriteLine(Invariant($"peak memory          {report.PeakCheckpoints} {(report.PeakCheckpoints == 1 ? "state" : "states")} + one step's stages"));
        if (report.Actions is not null)
        {
            output.WriteLine();
            output.WriteLine(schedule.ToString().TrimEnd());
        }
    }

    /// <summary>What <c>train</c> is about to do: the data, the model, the solver and gradient mode, the run, the folder.</summary>
    public static void WriteTrainHeader(TextWriter output, TrainRunner runner, TrainSettings settings)
    {
        output.WriteLine($"dataset   {runner.Dataset.Description}");
        output.WriteLine(Invariant($"network   {runner.Network}, {runner.Network.ParameterCount} parameters, Xavier uniform (seed {settings.Seed})"));
        output.WriteLine($"solver    {settings.DescribeSolver()}; exact discrete adjoint, {runner.Checkpointing}");
        output.WriteLine(Invariant(
            $"training  {runner.Iterations} iterations ({runner.Epochs} epochs of {runner.IterationsPerEpoch}), batches of {runner.BatchSize} {runner.SampleNoun}, loss {runner.Model.Loss.Name}, {runner.Model.Optimizer}"));
        output.WriteLine($"output    {runner.OutputDirectory}");
        output.WriteLine();
    }

    /// <summary>How the fit ended, the losses before and after, and the files written.</summary>
    public static void WriteTrainSummary(TextWriter output, TrainReport report)
    {
        output.WriteLine();
        string ending = report.Status switch
        {
            "completed" => "completed",
            "canceled" => "canceled after",
            _ => "diverged after",
        };
        output.WriteLine(Invariant(
            $"{ending} {report.CompletedIterations} of {report.Iterations} iterations in {report.Seconds:0.0} s ({report.IterationsPerSecond:0} iterations/s)"));
        if (report.CompletedIterations > 0)
        {
            output.WriteLine(Invariant($"batch loss      {report.FirstLoss:0.000e+00} (iteration 1) -> {report.FinalLoss:0.000e+00} (iteration {report.CompletedIterations})"));
        }
        output.WriteLine(Invariant(
            $"full-data loss  {report.InitialFullDataLoss:0.000e+00} (untrained) -> {report.FinalFullDataLoss:0.000e+00} (every series from its initial state)"));
        output.WriteLine(Invariant(
            $"last iteration  {report.Statistics.Steps} steps, {report.Statistics.FunctionEvaluations} f evaluations, {report.Statistics.Vjps} VJPs, {report.Statistics.RecomputedSteps} recomputed steps, {report.Statistics.PeakBytesKept} bytes kept at peak"));
        output.WriteLine($"wrote           {report.Outputs.LossCsv}");
        output.WriteLine($"                {report.Outputs.Parameters}");
        output.WriteLine($"                {report.Outputs.Plot}");
    }

    public static void WriteProblems(TextWriter output)
    {
        int nameWidth = ProblemRegistry.Names.Max(name => name.Length) + 2;
        string indent = new(' ', nameWidth);
        foreach (BuiltInProblem problem in ProblemRegistry.All)
        {
            output.WriteLine($"{problem.Name.PadRight(nameWidth)}{problem.Equations}");
            output.WriteLine($"{indent}y0 ({string.Join(", ", problem.StateNames)}) = {FormatVector(problem.InitialState)}");
            output.WriteLine($"{indent}parameters ({string.Join(", ", problem.ParameterNames)}) = {FormatVector(problem.Parameters)}");
            output.WriteLine(Invariant($"{indent}t from {problem.T0} to {problem.OutputTimes[^1]}, {problem.OutputTimes.Count} output times"));
            if (problem.Defaults is { } defaults)
            {
                output.WriteLine(Invariant($"{indent}defaults: method {defaults.Method}, rtol {defaults.RelativeTolerance}, atol {defaults.AbsoluteTolerance}"));
            }
            if (problem.Reference is not null)
            {
                output.WriteLine(Invariant($"{indent}reference y({problem.OutputTimes[^1]}) from the {problem.ReferenceSource}: 'solve' prints its mescd"));
            }
            output.WriteLine($"{indent}gradient loss: {DescribeLoss(problem)}");
            output.WriteLine();
        }
    }

    private static void WriteHeader(TextWriter output, BuiltInProblem problem, Solver solver)
    {
        output.WriteLine($"{problem.Name}: {problem.Equations}");
        string steps = solver.FixedStep > 0
            ? Invariant($"fixed step {solver.FixedStep}")
            : Invariant($"adaptive steps, rtol {solver.RelativeTolerance}, atol {solver.AbsoluteTolerance}");
        output.WriteLine($"method {solver.Method}, {steps}{DescribeImplicit(solver)}");
        output.WriteLine();
    }

    private static string DescribeImplicit(Solver solver)
    {
        if (!solver.IsImplicit)
        {
            return "";
        }
        string theta = solver.Theta is { } value ? Invariant($", theta {value}") : "";
        return Invariant($", newton tolerance {solver.NewtonTolerance}, linear solver {solver.LinearSolver}{theta}");
    }

    private static void WriteStateTable(TextWriter output, BuiltInProblem problem, IReadOnlyList<double> times,
                                        IReadOnlyList<double[]> states)
    {
        output.WriteLine($"{"t",ColumnWidth}{string.Concat(problem.StateNames.Select(name => name.PadLeft(ColumnWidth)))}");
        for (int k = 0; k < times.Count; k++)
        {
            output.WriteLine($"{Format(times[k]),ColumnWidth}{string.Concat(states[k].Select(value => Format(value).PadLeft(ColumnWidth)))}");
        }
    }

    private static string DescribeLoss(BuiltInProblem problem) =>
        Invariant($"L = 0.5 ||y(T) - target||^2 at T = {problem.OutputTimes[^1]}, target = {FormatVector(problem.Target)}");

    private static string DescribeStatistics(SolverStatistics statistics) => Invariant(
        $"statistics: {statistics.Steps} steps ({statistics.RejectedSteps} rejected), {statistics.FunctionEvaluations} f evaluations, {statistics.Vjps} VJPs, {statistics.Jvps} JVPs, {statistics.RecomputedSteps} recomputed steps, {statistics.PeakBytesKept} bytes kept at peak{DescribeDisk(statistics)}{DescribeNewton(statistics)}");

    private static string DescribeNewton(SolverStatistics statistics) =>
        statistics.NewtonIterations > 0 || statistics.JacobianEvaluations > 0
            ? Invariant($"; {statistics.NewtonIterations} Newton iterations ({statistics.NewtonFailures} failed steps), {statistics.JacobianEvaluations} Jacobians, {statistics.Factorizations} LU factorizations, {statistics.LinearIterations} GMRES iterations")
            : "";

    private static string DescribeDisk(SolverStatistics statistics) =>
        statistics.PeakDiskBytesKept > 0 ? Invariant($" (+ {statistics.PeakDiskBytesKept} bytes in checkpoint files)") : "";

    private static string FormatVector(IEnumerable<double> values) => $"({string.Join(", ", values.Select(Format))})";

    private static string Format(double value) => value.ToString("G10", CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);
}
