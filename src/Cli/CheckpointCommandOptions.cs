using System.CommandLine;
using System.CommandLine.Parsing;
using Rewind.Checkpointing;
using CheckpointPolicies = Rewind.Checkpointing.Checkpointing;

namespace Rewind.Cli;

/// <summary>
/// The options of <c>gradient</c> that choose what the forward solve keeps: store-all without them,
/// <c>--checkpoints c</c> binomial, with <c>--online</c> online-binomial, with <c>--disk D --directory DIR</c>
/// multilevel (c states in RAM, D in files under DIR).
/// </summary>
internal sealed class CheckpointCommandOptions
{
    private readonly Option<int?> _checkpoints = new("--checkpoints", "-c")
    {
        Description = "Keep at most this many states in RAM (binomial checkpointing) and recompute the rest; without it every step is kept.",
        CustomParser = result => OptionRules.ParseAtLeastOne<int>(result),
    };

    private readonly Option<bool> _online = new("--online")
    {
        Description = "With --checkpoints: online-binomial checkpointing, placed without knowing the number of steps.",
    };

    private readonly Option<int?> _disk = new("--disk")
    {
        Description = "With --checkpoints and --directory: also keep this many states in files (multilevel checkpointing).",
        CustomParser = result => OptionRules.ParseAtLeastOne<int>(result),
    };

    private readonly Option<DirectoryInfo> _directory = new("--directory")
    {
        Description = "Existing directory for the --disk checkpoint files; they are removed when the run ends.",
    };

    public CheckpointCommandOptions() => _directory.AcceptExistingOnly();

    public void AddTo(Command command)
    {
        command.Add(_checkpoints);
        command.Add(_online);
        command.Add(_disk);
        command.Add(_directory);
        command.Validators.Add(ValidateCombination);
    }

    public CheckpointPolicy Read(ParseResult parseResult)
    {
        if (parseResult.GetValue(_checkpoints) is not { } checkpoints)
        {
            return CheckpointPolicies.StoreAll;
        }
        if (parseResult.GetValue(_disk) is { } disk)
        {
            // ValidateCombination made sure that --directory comes with --disk.
            return CheckpointPolicies.Multilevel(checkpoints, disk, parseResult.GetRequiredValue(_directory).FullName);
        }
        return parseResult.GetValue(_online)
            ? CheckpointPolicies.OnlineBinomial(checkpoints)
            : CheckpointPolicies.Binomial(checkpoints);
    }

    // Reads only which options were given: their values may be the ones that failed to parse.
    private void ValidateCombination(CommandResult result)
    {
        bool hasCheckpoints = result.GetResult(_checkpoints) is not null;
        bool isOnline = result.GetResult(_online) is not null;
        bool hasDisk = result.GetResult(_disk) is not null;
        bool hasDirectory = result.GetResult(_directory) is not null;
        if (isOnline && !hasCheckpoints)
        {
            result.AddError("--online needs --checkpoints.");
        }
        if (hasDisk && !hasCheckpoints)
        {
            result.AddError("--disk needs --checkpoints (the states kept in RAM).");
        }
        if (hasDisk != hasDirectory)
        {
            result.AddError("--disk and --directory go together.");
        }
        if (hasDisk && isOnline)
        {
            result.AddError("--online and --disk exclude each other: multilevel checkpointing is planned as binomial.");
        }
    }
}
