namespace Rewind.Networks;

/// <summary>
/// The file format of <see cref="Sequential.SaveParameters(string)"/>, <see cref="Sequential.LoadParameters(string)"/>
/// and <see cref="Sequential.Load(string)"/>: a network's architecture and its parameters, little-endian throughout.
/// </summary>
/// <remarks>
/// <para>Version 1, field by field (L = the number of dense layers, P = the number of parameters):</para>
/// <list type="table">
/// <listheader><term>bytes</term><description>field</description></listheader>
/// <item><term>8</term><description>magic: the ASCII bytes <c>RWNNPARM</c> (<see cref="Magic"/>)</description></item>
/// <item><term>4</term><description>version: uint32, 1 (<see cref="Version"/>)</description></item>
/// <item><term>4</term><description>flags: uint32; bit 0 set = time input (t appended to the first layer's input); the other bits are 0</description></item>
/// <item><term>4</term><description>L: uint32, at least 1</description></item>
/// <item><term>8 (L + 1)</term><description>the layer sizes: int64 each, at least 1; layer k maps sizes[k] inputs to sizes[k + 1] outputs</description></item>
/// <item><term>L × (1 + length)</term><description>the activation after each layer: a uint8 length, then that many ASCII bytes of librewind's name
/// (<c>identity</c>, <c>tanh</c>, <c>relu</c>, <c>softplus</c>, <c>gelu</c>, <c>sigmoid</c>, <c>silu</c>)</description></item>
/// <item><term>8</term><description>P: int64, which must equal the count the sizes imply: Σ_k sizes[k + 1] (sizes[k] + [k = 0 and time input]) + sizes[k + 1]</description></item>
/// <item><term>8 P</term><description>the parameters: IEEE 754 float64 each, in <see cref="Sequential.Parameters"/> layout
/// (for each layer its weights row-major, one row per output, then its biases)</description></item>
/// <item><term>4</term><description>checksum: uint32, the CRC-32 (IEEE 802.3 polynomial, reflected, initial value and final XOR 0xFFFFFFFF, as in zlib and PNG) of every preceding byte</description></item>
/// </list>
/// <para>Nothing follows the checksum. Reading checks, in order: the magic, the version, that the file is as long as
/// its header says (shorter: truncated; longer: trailing bytes), the checksum, then the architecture's values; each
/// failure is an <see cref="InvalidDataException"/> that says which. Loading into an existing network also requires
/// the same architecture and names the first difference.</para>
/// </remarks>
public static class ParameterFileFormat
{
    /// <summary>The eight ASCII bytes every parameter file starts with.</summary>
    public const string Magic = "RWNNPARM";

    /// <summary>The version this library writes (and the only one it reads).</summary>
    public const int Version = 1;

    /// <summary>The customary file name extension.</summary>
    public const string Extension = ".rwnn";
}
