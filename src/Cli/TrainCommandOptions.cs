using System.CommandLine;
using System.CommandLine.Parsing;
using Rewind.Networks;

namespace Rewind.Cli;

/// <summary>The options of <c>train</c>; every one has a default, so <c>rewind train</c> alone trains on the spiral.</summary>
internal sealed class TrainCommandOptions
{
    private readonly Option<string> _dataset = new("--dataset", "-d")
    {
        Description = $"Embedded dataset: {string.Join(", ", Datasets.Names)}. Default: {TrainSettings.DefaultDataset}.",
        DefaultValueFactory = _ => TrainSettings.DefaultDataset,
    };

    private readonly Option<double> _noise = new("--noise")
    {
        Description = "Standard deviation of Gaussian noise added to the observations (not to the ground truth). Default: 0.",
        CustomParser = OptionRules.ParseNonNegative,
    };

    private readonly Option<string> _method = new("--method", "-m")
    {
        Description = $"Integration method, e.g. dopri5, tsit5, rk4, bosh3, kvaerno5 (an unknown name lists them all). Default: {TrainSettings.DefaultMethod}.",
        DefaultValueFactory = _ => TrainSettings.DefaultMethod,
    };

    private readonly Option<double> _relativeTolerance = new("--rtol")
    {
        Description = Invariant($"Relative tolerance of adaptive steps. Default: {TrainSettings.DefaultRelativeTolerance}."),
        CustomParser = OptionRules.ParsePositive,
        DefaultValueFactory = _ => TrainSettings.DefaultRelativeTolerance,
    };

    private readonly Option<double> _absoluteTolerance = new("--atol")
    {
        Description = Invariant($"Absolute tolerance of adaptive steps. Default: {TrainSettings.DefaultAbsoluteTolerance}."),
        CustomParser = OptionRules.ParsePositive,
        DefaultValueFactory = _ => TrainSettings.DefaultAbsoluteTolerance,
    };

    private readonly Option<double> _fixedStep = new("--dt")
    {
        Description = "Fixed step size; without it steps are adaptive. A dt of at least the data's spacing takes one step per observation interval.",
        CustomParser = OptionRules.ParsePositive,
    };

    private readonly Option<double?> _theta = new("--theta")
    {
        Description = "Theta of the 'theta' method, in (0, 1] (default 0.5); only with --method theta.",
        CustomParser = result => OptionRules.ParsePositive(result),
    };

    private readonly Option<string> _adjoint = new("--adjoint", "-a")
    {
        Description = "Gradient mode of the discrete adjoint: store-all (keep every step), solution-only (keep every state, " +
                      "recompute stages), binomial or online-binomial (keep --checkpoints states, recompute the rest). " +
                      "Default: store-all, or binomial when --checkpoints is given. The gradient is the same, bit for bit.",
    };

    private readonly Option<int?> _checkpoints = new("--checkpoints", "-c")
    {
        Description = Invariant($"States kept by --adjoint binomial or online-binomial (default {TrainSettings.DefaultCheckpoints}); alone, it selects binomial."),
        CustomParser = result => OptionRules.ParseAtLeastOne<int>(result),
    };

    private readonly Option<int?> _epochs = new("--epochs", "-e")
    {
        Description = "Epochs. Default: spiral 400, lotka-volterra 200, oscillators 150.",
        CustomParser = result => OptionRules.ParseAtLeastOne<int>(result),
    };

    private readonly Option<int?> _iterationsPerEpoch = new("--iterations-per-epoch")
    {
        Description = "Iterations (batches) per epoch. Default: the dataset's windows or series divided by --batch, rounded up (one pass).",
        CustomParser = result => OptionRules.ParseAtLeastOne<int>(result),
    };

    private readonly Option<int?> _batchSize = new("--batch", "-b")
    {
        Description = "Windows (spiral, lotka-volterra) or series (oscillators) per batch. Default: 20 (oscillators: 5).",
        CustomParser = result => OptionRules.ParseAtLeastOne<int>(result),
    };

    private readonly Option<int> _hidden = new("--hidden")
    {
        Description = Invariant($"Width of the hidden layers. Default: {TrainSettings.DefaultHidden}."),
        CustomParser = OptionRules.ParseAtLeastOne<int>,
        DefaultValueFactory = _ => TrainSettings.DefaultHidden,
    };

    private readonly Option<int> _layers = new("--layers")
    {
        Description = Invariant($"Hidden layers, each followed by the activation. Default: {TrainSettings.DefaultLayers} (dim → hidden → dim)."),
        CustomParser = OptionRules.ParseAtLeastOne<int>,
        DefaultValueFactory = _ => TrainSettings.DefaultLayers,
    };

    private readonly Option<string> _activation = new("--activation")
    {
        Description = $"Activation after each hidden layer: {string.Join(", ", TrainSettings.ActivationNames)}. Default: {TrainSettings.DefaultActivation}.",
        DefaultValueFactory = _ => TrainSettings.DefaultActivation,
    };

    private readonly Option<double> _learningRate = new("--lr")
    {
        Description = Invariant($"Adam's initial learning rate; a cosine schedule takes it to a hundredth of it at the last iteration. Default: {TrainSettings.DefaultLearningRate}."),
        CustomParser = OptionRules.ParsePositive,
        DefaultValueFactory = _ => TrainSettings.DefaultLearningRate,
    };

    private readonly Option<string> _loss = new("--loss")
    {
        Description = $"Loss on the observed values: mse or l1 (means). Default: {TrainSettings.DefaultLoss}.",
        DefaultValueFactory = _ => TrainSettings.DefaultLoss,
    };

    private readonly Option<int> _seed = new("--seed", "-s")
    {
        Description = "Seed of the dataset's random draws, the initial parameters and the batches. Default: 0.",
        CustomParser = OptionRules.ParseInteger,
    };

    private readonly Option<string> _output = new("--out", "-o")
    {
        Description = $"Output folder for loss.csv, parameters.rwnn and fit.svg; created if missing, files overwritten. Default: ./{TrainSettings.DefaultOutputDirectory}.",
        DefaultValueFactory = _ => TrainSettings.DefaultOutputDirectory,
    };

    private readonly Option<bool> _noProgress = new("--no-progress")
    {
        Description = "Print plain progress lines instead of a live progress bar (the default when output is not a terminal).",
    };

    private readonly Option<bool> _json = new("--json")
    {
        Description = "Print a JSON summary on stdout (progress lines go to stderr).",
    };

    private readonly Option<bool> _verbose = new("--verbose", "-v")
    {
        Description = "Print the training log (setup, every epoch, evaluations) on stderr.",
    };

    public TrainCommandOptions()
    {
        OptionRules.AcceptOnly(_dataset, Datasets.Names);
        OptionRules.AcceptOnly(_adjoint, TrainSettings.AdjointNames);
        OptionRules.AcceptOnly(_activation, TrainSettings.ActivationNames);
        OptionRules.AcceptOnly(_loss, TrainSettings.LossNames);
    }

    public void AddTo(Command command)
    {
        command.Add(_dataset);
        command.Add(_noise);
        command.Add(_method);
        command.Add(_relativeTolerance);
        command.Add(_absoluteTolerance);
        command.Add(_fixedStep);
        command.Add(_theta);
        command.Add(_adjoint);
        command.Add(_checkpoints);
        command.Add(_epochs);
        command.Add(_iterationsPerEpoch);
        command.Add(_batchSize);
        command.Add(_hidden);
        command.Add(_layers);
        command.Add(_activation);
        command.Add(_learningRate);
        command.Add(_loss);
        command.Add(_seed);
        command.Add(_output);
        command.Add(_noProgress);
        command.Add(_json);
        command.Add(_verbose);
        command.Validators.Add(ValidateCombination);
    }

    public TrainSettings Read(ParseResult parseResult) => new()
    {
        DatasetName = parseResult.GetRequiredValue(_dataset),
        Noise = parseResult.GetValue(_noise),
        Method = parseResult.GetRequiredValue(_method),
        RelativeTolerance = parseResult.GetValue(_relativeTolerance),
        AbsoluteTolerance = parseResult.GetValue(_absoluteTolerance),
        FixedStep = parseResult.GetValue(_fixedStep),
        Theta = parseResult.GetValue(_theta),
        AdjointName = parseResult.GetValue(_adjoint),
        Checkpoints = parseResult.GetValue(_checkpoints),
        Epochs = parseResult.GetValue(_epochs),
        IterationsPerEpoch = parseResult.GetValue(_iterationsPerEpoch),
        BatchSize = parseResult.GetValue(_batchSize),
        Hidden = parseResult.GetValue(_hidden),
        Layers = parseResult.GetValue(_layers),
        ActivationName = parseResult.GetRequiredValue(_activation),
        LearningRate = parseResult.GetValue(_learningRate),
        LossName = parseResult.GetRequiredValue(_loss),
        Seed = parseResult.GetValue(_seed),
        OutputDirectory = parseResult.GetRequiredValue(_output),
        NoProgress = parseResult.GetValue(_noProgress),
        Json = parseResult.GetValue(_json),
        Verbose = parseResult.GetValue(_verbose),
    };

    // Reads which options were given and the adjoint's name (a plain string, so it always parses).
    private void ValidateCombination(CommandResult result)
    {
        if (result.GetResult(_checkpoints) is not null
            && result.GetResult(_adjoint) is { Implicit: false } adjoint
            && adjoint.Tokens.Count > 0
            && adjoint.Tokens[^1].Value is "store-all" or "solution-only")
        {
            result.AddError($"--checkpoints applies to --adjoint binomial and online-binomial; {adjoint.Tokens[^1].Value} keeps every step.");
        }
        if (result.GetResult(_output) is { Implicit: false } output
            && output.Tokens.Count > 0
            && string.IsNullOrWhiteSpace(output.Tokens[^1].Value))
        {
            result.AddError("--out must name a folder.");
        }
    }

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);
}
