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
}
