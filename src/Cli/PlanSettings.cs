namespace Rewind.Cli;

/// <summary>What a plan command was asked to do: the schedule of <see cref="Steps"/> steps and <see cref="Checkpoints"/> checkpoints.</summary>
internal sealed record PlanSettings(long Steps, int Checkpoints, bool Online, bool Actions, bool Json);
