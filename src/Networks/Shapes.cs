namespace Rewind.Networks;

/// <summary>Length checks with messages that say what the length should be.</summary>
internal static class Shapes
{
    internal static void RequireLength(int actual, long expected, string name, string what)
    {
        if (actual != expected)
        {
            throw new ArgumentException($"{name} has {actual} entries; it needs {what} = {expected}.", name);
        }
    }
}
