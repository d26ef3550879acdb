using System.Buffers.Binary;
using System.Text;

namespace Rewind.Networks;

/// <summary>Reads and writes the format of <see cref="ParameterFileFormat"/>.</summary>
internal sealed class ParameterFile
{
    private const int MaxActivationNameLength = 32;
    private const uint TimeInputFlag = 1;

    private static readonly byte[] MagicBytes = Encoding.ASCII.GetBytes(ParameterFileFormat.Magic);

    private ParameterFile(NetworkArchitecture architecture, double[] values)
    {
        Architecture = architecture;
        Values = values;
    }

    internal NetworkArchitecture Architecture { get; }

    internal double[] Values { get; }

    internal static void Write(Stream stream, NetworkArchitecture architecture, ReadOnlySpan<double> values)
    {
        using var buffer = new MemoryStream();
        Span<byte> word = stackalloc byte[8];
        buffer.Write(MagicBytes);
        WriteUInt32(buffer, ParameterFileFormat.Version, word);
        WriteUInt32(buffer, architecture.TimeInput ? TimeInputFlag : 0, word);
        WriteUInt32(buffer, (uint)architecture.LayerCount, word);
        foreach (int size in architecture.Sizes)
        {
            WriteInt64(buffer, size, word);
        }

        foreach (string activation in architecture.Activations)
        {
            byte[] name = Encoding.ASCII.GetBytes(activation);
            buffer.WriteByte((byte)name.Length);
            buffer.Write(name);
        }

        WriteInt64(buffer, values.Length, word);
        foreach (double value in values)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(word, value);
            buffer.Write(word);
        }

        uint checksum = Crc32.Compute(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
        WriteUInt32(buffer, checksum, word);
        buffer.Position = 0;
        buffer.CopyTo(stream);
        stream.Flush();
    }

    internal static ParameterFile Read(Stream stream)
    {
        byte[] data;
        using (var copy = new MemoryStream())
        {
            stream.CopyTo(copy);
            data = copy.ToArray();
        }

        var reader = new Reader(data);
        ReadOnlySpan<byte> magic = data.AsSpan(0, Math.Min(data.Length, MagicBytes.Length));
        if (!magic.SequenceEqual(MagicBytes.AsSpan(0, magic.Length)))
        {
            throw new InvalidDataException(
                $"Not a Rewind parameter file: it does not start with the magic bytes '{ParameterFileFormat.Magic}'.");
        }

        reader.Skip(MagicBytes.Length, "the magic bytes");
        uint version = reader.UInt32("the version");
        if (version != ParameterFileFormat.Version)
        {
            throw new InvalidDataException(
                $"The parameter file has version {version}; this library reads version {ParameterFileFormat.Version}.");
        }

        uint flags = reader.UInt32("the flags");
        uint layers = reader.UInt32("the layer count");
        reader.Require(8L * (layers + 1L), "the layer sizes");
        var sizes = new long[layers + 1L];
        for (long k = 0; k < sizes.Length; k++)
        {
            sizes[k] = reader.Int64("the layer sizes");
        }

        var activations = new string[layers];
        for (long k = 0; k < layers; k++)
        {
            int length = reader.Byte("the activation names");
            if (length is 0 or > MaxActivationNameLength)
            {
                throw new InvalidDataException($"The parameter file is corrupt: the activation name of layer {k} has {length} bytes.");
            }

            activations[k] = Encoding.ASCII.GetString(reader.Bytes(length, "the activation names"));
        }

        long count = reader.Int64("the parameter count");
        long valuesStart = reader.Position;
        long expected = count >= 0 && count <= (long.MaxValue - valuesStart - 4) / 8 ? valuesStart + (8 * count) + 4 : -1;
        if (expected < 0)
        {
            throw new InvalidDataException($"The parameter file is corrupt: its parameter count is {count}.");
        }

        if (data.Length < expected)
        {
            throw new InvalidDataException(
                $"The parameter file is truncated: it has {data.Length} bytes, but its header describes {expected} " +
                $"({count} parameters).");
        }

        if (data.Length > expected)
        {
            throw new InvalidDataException(
                $"The parameter file is corrupt: it has {data.Length - expected} bytes after its checksum (it should end at byte {expected}).");
        }

        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan((int)(expected - 4)));
        uint computed = Crc32.Compute(data.AsSpan(0, (int)(expected - 4)));
        if (stored != computed)
        {
            throw new InvalidDataException(
                $"The parameter file is corrupt: checksum mismatch (stored 0x{stored:X8}, computed 0x{computed:X8}).");
        }

        NetworkArchitecture architecture = Validate(flags, sizes, activations, count);
        var values = new double[count];
        for (long i = 0; i < count; i++)
        {
            values[i] = BinaryPrimitives.ReadDoubleLittleEndian(data.AsSpan((int)(valuesStart + (8 * i)), 8));
        }

        return new ParameterFile(architecture, values);
    }

    private static NetworkArchitecture Validate(uint flags, long[] sizes, string[] activations, long count)
    {
        if ((flags & ~TimeInputFlag) != 0)
        {
            throw new InvalidDataException($"The parameter file has unknown flags 0x{flags:X8}; only bit 0 (time input) is defined.");
        }

        if (activations.Length == 0)
        {
            throw new InvalidDataException("The parameter file describes a network with no layers.");
        }

        var checkedSizes = new int[sizes.Length];
        for (int k = 0; k < sizes.Length; k++)
        {
            if (sizes[k] < 1 || sizes[k] > int.MaxValue)
            {
                throw new InvalidDataException($"The parameter file's layer size {k} is {sizes[k]}; sizes must be in [1, {int.MaxValue}].");
            }

            checkedSizes[k] = (int)sizes[k];
        }

        for (int k = 0; k < activations.Length; k++)
        {
            if (!NetworkArchitecture.ActivationNames.Contains(activations[k], StringComparer.Ordinal))
            {
                throw new InvalidDataException(
                    $"The parameter file's layer {k} has the unknown activation '{activations[k]}'; the activations are " +
                    $"{string.Join(", ", NetworkArchitecture.ActivationNames)}.");
            }
        }

        bool timeInput = (flags & TimeInputFlag) != 0;
        int? implied = NetworkArchitecture.CountParameters(checkedSizes, timeInput);
        if (implied != count)
        {
            throw new InvalidDataException(
                $"The parameter file holds {count} parameters, but its layer sizes imply {(implied is { } n ? n.ToString(System.Globalization.CultureInfo.InvariantCulture) : "more than " + int.MaxValue)}.");
        }

        return new NetworkArchitecture(checkedSizes, activations, timeInput);
    }

    private static void WriteUInt32(Stream stream, uint value, Span<byte> word)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(word, value);
        stream.Write(word[..4]);
    }

    private static void WriteInt64(Stream stream, long value, Span<byte> word)
    {
        BinaryPrimitives.WriteInt64LittleEndian(word, value);
        stream.Write(word[..8]);
    }

    /// <summary>Reads fields in order; running out of bytes is a truncated file, named by the field being read.</summary>
    private sealed class Reader(byte[] data)
    {
        internal long Position { get; private set; }

        internal void Skip(int length, string field) => Bytes(length, field);

        internal uint UInt32(string field) => BinaryPrimitives.ReadUInt32LittleEndian(Bytes(4, field));

        internal long Int64(string field) => BinaryPrimitives.ReadInt64LittleEndian(Bytes(8, field));

        internal byte Byte(string field) => Bytes(1, field)[0];

        /// <summary>Throws unless <paramref name="length"/> more bytes follow.</summary>
        internal void Require(long length, string field)
        {
            if (Position + length > data.Length)
            {
                throw new InvalidDataException(
                    $"The parameter file is truncated: it ends after {data.Length} bytes, while reading {field}.");
            }
        }

        internal byte[] Bytes(int length, string field)
        {
            Require(length, field);
            byte[] bytes = data.AsSpan((int)Position, length).ToArray();
            Position += length;
            return bytes;
        }
    }
}
