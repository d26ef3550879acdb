using Rewind.Checkpointing;

namespace RewindTests.Checkpoints;

/// <summary>Budgets, planned step counts and directories are checked where the policy is made, naming the argument.</summary>
public sealed class PolicyArgumentTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    public void BudgetsBelowOneAreRejected(int checkpoints)
    {
        AssertOutOfRange("checkpoints", checkpoints, () => Checkpointing.Binomial(checkpoints));
        AssertOutOfRange("checkpoints", checkpoints, () => Checkpointing.Binomial(checkpoints, plannedSteps: 10));
        AssertOutOfRange("checkpoints", checkpoints, () => Checkpointing.OnlineBinomial(checkpoints));
        AssertOutOfRange("disk", checkpoints, () => Checkpointing.Multilevel(1, checkpoints, "/tmp"));
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-5L)]
    public void PlannedStepsBelowOneAreRejected(long plannedSteps) =>
        AssertOutOfRange("plannedSteps", plannedSteps, () => Checkpointing.Binomial(4, plannedSteps));

    [Fact]
    public void NegativeRamIsRejectedButZeroIsAllowed()
    {
        AssertOutOfRange("ram", -1, () => Checkpointing.Multilevel(-1, 2, "/tmp"));
        Assert.Equal(0, Checkpointing.Multilevel(0, 2, "/tmp").Budget);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void EmptyDirectoryIsRejected(string directory)
    {
        var ex = Assert.Throws<ArgumentException>(() => Checkpointing.Multilevel(1, 1, directory));
        Assert.Equal("directory", ex.ParamName);
    }

    [Fact]
    public void NullDirectoryIsRejected()
    {
        var ex = Assert.Throws<ArgumentNullException>(() => Checkpointing.Multilevel(1, 1, null!));
        Assert.Equal("directory", ex.ParamName);
    }

    private static void AssertOutOfRange(string parameter, long value, Func<CheckpointPolicy> make)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(make);
        Assert.Equal(parameter, ex.ParamName);
        Assert.Equal(value, Convert.ToInt64(ex.ActualValue, System.Globalization.CultureInfo.InvariantCulture));
    }
}
