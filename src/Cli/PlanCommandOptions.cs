using System.CommandLine;

namespace Rewind.Cli;

/// <summary>The options of <c>plan</c>.</summary>
internal sealed class PlanCommandOptions
{
    private readonly Option<long> _steps = new("--steps", "-n")
    {
        Description = "Number of steps N of the run to reverse.",
        Required = true,
        CustomParser = OptionRules.ParseAtLeastOne<long>,
    };

    private readonly Option<int> _checkpoints = new("--checkpoints", "-c")
    {
        Description = "Checkpoints c: states held at once, the initial state included.",
        Required = true,
        CustomParser = OptionRules.ParseAtLeastOne<int>,
    };

    private readonly Option<bool> _online = new("--online")
    {
        Description = "Plan online-binomial checkpointing, which places checkpoints without knowing N (adaptive steps).",
    };

    private readonly Option<bool> _actions = new("--actions")
    {
        Description = "Also print the schedule's actions: forward, store, restore, advance, reverse, free.",
    };

    private readonly Option<bool> _json = new("--json")
    {
        Description = "Print JSON instead of text.",
    };

    public void AddTo(Command command)
    {
        command.Add(_steps);
        command.Add(_checkpoints);
        command.Add(_online);
        command.Add(_actions);
        command.Add(_json);
    }

    public PlanSettings Read(ParseResult parseResult) => new(
        parseResult.GetValue(_steps),
        parseResult.GetValue(_checkpoints),
        parseResult.GetValue(_online),
        parseResult.GetValue(_actions),
        parseResult.GetValue(_json));
}
