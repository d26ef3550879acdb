using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Rewind.Cli;

/// <summary>The argument and options shared by <c>solve</c> and <c>gradient</c>; one instance per command.</summary>
internal sealed class SolveCommandOptions
{
    public const string DefaultMethod = "dopri5";
    public const double DefaultRelativeTolerance = 1e-8;
    public const double DefaultAbsoluteTolerance = 1e-10;

    private readonly Argument<string> _problem = new("problem")
    {
        Description = "Built-in problem (see 'rewind problems').",
    };

    // Method and tolerances default to the problem's own (the stiff problems name theirs), else to the constants above.
    private readonly Option<string> _method = new("--method", "-m")
    {
        Description = "Integration method, e.g. dopri5, tsit5, rk4, kvaerno5, trbdf2, beuler (an unknown name lists them all). " +
                      $"Default: the problem's (see 'rewind problems'), else {DefaultMethod}.",
    };

    private readonly Option<double?> _relativeTolerance = new("--rtol")
    {
        Description = $"Relative tolerance of adaptive steps. Default: the problem's, else {DefaultRelativeTolerance}.",
        CustomParser = ParseOptionalNumber,
    };

    private readonly Option<double?> _absoluteTolerance = new("--atol")
    {
        Description = $"Absolute tolerance of adaptive steps. Default: the problem's, else {DefaultAbsoluteTolerance}.",
        CustomParser = ParseOptionalNumber,
    };

    private readonly Option<string> _linearSolver = new("--linear-solver")
    {
        Description = "Linear solver of implicit methods: auto (dense up to 256 states, else gmres), dense or gmres.",
        DefaultValueFactory = _ => "auto",
    };

    private readonly Option<double?> _newtonTolerance = new("--newton-tolerance")
    {
        Description = "Newton tolerance of implicit methods, in units of the step tolerances (default 0.01).",
        CustomParser = ParseOptionalNumber,
    };

    private readonly Option<double?> _theta = new("--theta")
    {
        Description = "Theta of the 'theta' method, in (0, 1] (default 0.5); only with --method theta.",
        CustomParser = ParseOptionalNumber,
    };

    private readonly Option<double> _fixedStep = new("--dt")
    {
        Description = "Fixed step size; without it steps are adaptive.",
        CustomParser = ParseNumber,
    };

    private readonly Option<double[]> _initialState = new("--y0")
    {
        Description = "Initial state replacing the problem's default, e.g. --y0 1 1 or --y0 1,1.",
        AllowMultipleArgumentsPerToken = true,
        CustomParser = ParseNumbers,
    };

    private readonly Option<double[]> _parameters = new("--parameters", "-p")
    {
        Description = "Parameters replacing the problem's defaults, e.g. -p 1.5 1 3 1.",
        AllowMultipleArgumentsPerToken = true,
        CustomParser = ParseNumbers,
    };

    private readonly Option<bool> _json = new("--json")
    {
        Description = "Print JSON instead of a table.",
    };

    private readonly Option<bool> _verbose = new("--verbose", "-v")
    {
        Description = "Print the solver's log messages on stderr.",
    };

    public void AddTo(Command command)
    {
        command.Add(_problem);
        command.Add(_method);
        command.Add(_relativeTolerance);
        command.Add(_absoluteTolerance);
        command.Add(_fixedStep);
        command.Add(_linearSolver);
        command.Add(_newtonTolerance);
        command.Add(_theta);
        command.Add(_initialState);
        command.Add(_parameters);
        command.Add(_json);
        command.Add(_verbose);
    }

    public SolveSettings Read(ParseResult parseResult) => new(
        parseResult.GetRequiredValue(_problem),
        parseResult.GetValue(_method),
        parseResult.GetValue(_relativeTolerance),
        parseResult.GetValue(_absoluteTolerance),
        parseResult.GetValue(_fixedStep),
        NullWhenEmpty(parseResult.GetValue(_initialState)),
        NullWhenEmpty(parseResult.GetValue(_parameters)),
        parseResult.GetValue(_json),
        parseResult.GetValue(_verbose))
    {
        LinearSolver = parseResult.GetRequiredValue(_linearSolver),
        NewtonTolerance = parseResult.GetValue(_newtonTolerance),
        Theta = parseResult.GetValue(_theta),
    };

    // An absent list option reads as an empty array; the problem's defaults apply then.
    private static double[]? NullWhenEmpty(double[]? values) => values is { Length: > 0 } ? values : null;

    // Numbers on the command line use '.' as the decimal point whatever the machine's culture is.
    private static double ParseNumber(ArgumentResult result) => ParseToken(result, result.Tokens[^1].Value);

    private static double? ParseOptionalNumber(ArgumentResult result) => ParseNumber(result);

    private static double[] ParseNumbers(ArgumentResult result) =>
        [.. result.Tokens
            .SelectMany(token => token.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(text => ParseToken(result, text))];

    private static double ParseToken(ArgumentResult result, string text)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
        {
            return value;
        }
        // Used as the CustomParser of options only: name the option, which may be one of several numbers.
        string option = result.Parent is OptionResult parent ? $"{parent.Option.Name}: " : "";
        result.AddError($"{option}'{text}' is not a number.");
        return double.NaN;
    }
}
