using System.Globalization;
using Rewind.Cli;
using Xunit;

namespace RewindTests.Cli;

/// <summary>One in-process run of the <c>rewind</c> command line with its exit code and captured output.</summary>
internal sealed record CliRun(int ExitCode, string Output, string Error)
{
    public static Task<CliRun> RunAsync(params string[] args) => RunUntilAsync(TestContext.Current.CancellationToken, args);

    /// <summary>A run whose cancellation token is <paramref name="cancellationToken"/> (the test's, or one that fires earlier).</summary>
    public static async Task<CliRun> RunUntilAsync(CancellationToken cancellationToken, params string[] args)
    {
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        using var error = new StringWriter(CultureInfo.InvariantCulture);
        int exitCode = await RewindCommandLine.RunAsync(args, output, error, cancellationToken);
        return new CliRun(exitCode, output.ToString(), error.ToString());
    }

    /// <summary>Asserts the run was refused as invalid input: exit code 1, nothing on stdout, a message on stderr and
    /// no stack trace.</summary>
    public void AssertRejected()
    {
        Assert.Equal(1, ExitCode);
        Assert.Empty(Output);
        Assert.NotEmpty(Error);
        Assert.DoesNotContain("   at ", Error, StringComparison.Ordinal);
    }
}
