using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Numerics;

namespace Rewind.Cli;

/// <summary>Parsers shared by the commands' options; a rejected value is a parse error (exit code 1).</summary>
internal static class OptionRules
{
    /// <summary>Parses a whole number of at least 1, naming the option when it is not one.</summary>
    public static T ParseAtLeastOne<T>(ArgumentResult result)
        where T : IBinaryInteger<T>
    {
        string text = result.Tokens[^1].Value;
        // Used only as an option's CustomParser: the parent is that option.
        string name = ((OptionResult)result.Parent!).Option.Name;
        if (!T.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out T? value))
        {
            result.AddError($"{name}: '{text}' is not a whole number.");
            return T.Zero;
        }
        if (value < T.One)
        {
            result.AddError($"{name} must be at least 1.");
        }
        return value;
    }

    /// <summary>Accepts only one of <paramref name="names"/> for <paramref name="option"/>, naming the option and the choices otherwise.</summary>
    public static void AcceptOnly(Option<string> option, IReadOnlyList<string> names)
    {
        option.CompletionSources.Add([.. names]);
        option.Validators.Add(result =>
        {
            if (result.Tokens.Count > 0 && !names.Contains(result.Tokens[^1].Value, StringComparer.Ordinal))
            {
                result.AddError($"{option.Name}: '{result.Tokens[^1].Value}' is not one of {string.Join(", ", names)}.");
            }
        });
    }

    /// <summary>Parses a number ('.' as the decimal point) that must be finite and positive.</summary>
    public static double ParsePositive(ArgumentResult result) =>
        ParseNumber(result, value => value > 0 && double.IsFinite(value), "must be positive and finite");

    /// <summary>Parses a number ('.' as the decimal point) that must be finite and not negative.</summary>
    public static double ParseNonNegative(ArgumentResult result) =>
        ParseNumber(result, value => value >= 0 && double.IsFinite(value), "must be finite and not negative");

    /// <summary>Parses any whole number, naming the option when it is not one.</summary>
    public static int ParseInteger(ArgumentResult result)
    {
        string text = result.Tokens[^1].Value;
        string name = ((OptionResult)result.Parent!).Option.Name;
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value))
        {
            result.AddError($"{name}: '{text}' is not a whole number.");
        }
        return value;
    }

    private static double ParseNumber(ArgumentResult result, Func<double, bool> isValid, string rule)
    {
        string text = result.Tokens[^1].Value;
        string name = ((OptionResult)result.Parent!).Option.Name;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
        {
            result.AddError($"{name}: '{text}' is not a number.");
            return double.NaN;
        }
        if (!isValid(value))
        {
            result.AddError($"{name} {rule}; got {text}.");
        }
        return value;
    }
}
