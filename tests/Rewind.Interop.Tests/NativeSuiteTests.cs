using System.Diagnostics;
using System.Text.RegularExpressions;

namespace RewindTests.Interop;

/// <summary>The native GoogleTest suite runs as part of <c>dotnet test</c>, through CTest in the native build tree.</summary>
public sealed partial class NativeSuiteTests
{
    [Fact]
    public async Task NativeGoogleTestSuitePasses()
    {
        var buildDirectory = Repository.NativeBuildDirectory;
        Assert.True(Directory.Exists(buildDirectory), $"no native build tree at {buildDirectory}");

        var start = new ProcessStartInfo("ctest")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--test-dir", buildDirectory, "--output-on-failure" })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        var output = $"ctest --test-dir {buildDirectory} exited with {process.ExitCode}{Environment.NewLine}{await stdout}{await stderr}";
        TestContext.Current.TestOutputHelper?.WriteLine(output);
        Assert.True(process.ExitCode == 0, output);
        Assert.DoesNotContain("No tests were found", output, StringComparison.Ordinal);
        var summary = SummaryPattern().Match(output);
        Assert.True(summary.Success, $"no CTest summary line:{Environment.NewLine}{output}");
        Assert.True(int.Parse(summary.Groups["total"].Value, System.Globalization.CultureInfo.InvariantCulture) > 0, output);
    }

    // "100% tests passed, 0 tests failed out of 42"
    [GeneratedRegex(@"tests passed, (?<failed>\d+) tests? failed out of (?<total>\d+)")]
    private static partial Regex SummaryPattern();
}
