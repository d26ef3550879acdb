using System.Buffers.Binary;
using System.Text;
using Rewind.Networks;

namespace RewindTests.Networks;

/// <summary>Save and load: the documented layout, bit-exact round trips, and a clear error for every bad file.</summary>
public sealed class ParameterFileTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("rewind-networks-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void RoundTripIsBitExact()
    {
        var net = new Sequential(timeInput: true, new Linear(2, 5), new Gelu(), new Linear(5, 5), new Linear(5, 2), new Silu());
        net.Initialize(Initializer.PyTorchDefault, seed: 9);
        // Values a decimal format would not round-trip: negative zero, a subnormal, NaN with a payload, infinities.
        var p = net.Parameters.Span;
        p[0] = -0.0;
        p[1] = double.Epsilon * 3;
        p[2] = BitConverter.Int64BitsToDouble(0x7FF8_0000_DEAD_BEEF);
        p[3] = double.PositiveInfinity;
        p[4] = double.NegativeInfinity;
        p[5] = 1.0 / 3;
        string path = Path.Combine(directory, "net" + ParameterFileFormat.Extension);
        net.SaveParameters(path);

        var same = new Sequential(timeInput: true, new Linear(2, 5), new Gelu(), new Linear(5, 5), new Linear(5, 2), new Silu());
        same.LoadParameters(path);
        Assert.Equal(Bits(net.Parameters.Span), Bits(same.Parameters.Span));

        var loaded = Sequential.Load(path);
        Assert.Equal(Bits(net.Parameters.Span), Bits(loaded.Parameters.Span));
        Assert.Equal(net.LayerSizes, loaded.LayerSizes);
        Assert.Equal(net.Activations, loaded.Activations);
        Assert.True(loaded.TimeInput);
        Assert.Equal("Sequential(time input; Linear 2+t→5, Gelu, Linear 5→5, Linear 5→2, Silu)", loaded.ToString());
        Assert.Equal(net.NamedParameters.Select(n => n.Name), loaded.NamedParameters.Select(n => n.Name));
    }

    [Fact]
    public void TheFileHasTheDocumentedLayout()
    {
        var net = new Sequential(new Linear(2, 3), new Tanh(), new Linear(3, 1));
        Enumerable.Range(1, net.ParameterCount).Select(i => i / 4.0).ToArray().CopyTo(net.Parameters.Span);
        byte[] file = Save(net);

        Assert.Equal("RWNNPARM", Encoding.ASCII.GetString(file, 0, 8));
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(8)));
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(12)));  // flags: no time input
        Assert.Equal(2u, BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(16)));  // layers
        Assert.Equal(2L, BinaryPrimitives.ReadInt64LittleEndian(file.AsSpan(20)));
        Assert.Equal(3L, BinaryPrimitives.ReadInt64LittleEndian(file.AsSpan(28)));
        Assert.Equal(1L, BinaryPrimitives.ReadInt64LittleEndian(file.AsSpan(36)));
        int at = 44;
        Assert.Equal(4, file[at]);
        Assert.Equal("tanh", Encoding.ASCII.GetString(file, at + 1, 4));
        at += 5;
        Assert.Equal(8, file[at]);
        Assert.Equal("identity", Encoding.ASCII.GetString(file, at + 1, 8));
        at += 9;
        Assert.Equal(13L, BinaryPrimitives.ReadInt64LittleEndian(file.AsSpan(at)));
        at += 8;
        for (int i = 0; i < 13; i++)
        {
            Assert.Equal((i + 1) / 4.0, BinaryPrimitives.ReadDoubleLittleEndian(file.AsSpan(at + (8 * i))));
        }

        at += 8 * 13;
        Assert.Equal(at + 4, file.Length);
        Assert.Equal(Crc32Of(file.AsSpan(0, at)), BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(at)));

        var timed = new Sequential(timeInput: true, new Linear(1, 1));
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(Save(timed).AsSpan(12)));
    }

    [Fact]
    public void TheChecksumIsZlibsCrc32()
    {
        // The standard check value of CRC-32/ISO-HDLC.
        Assert.Equal(0xCBF43926u, Crc32Of("123456789"u8));
        Assert.Equal(0u, Crc32Of([]));
    }

    [Fact]
    public void BadMagicIsNotAParameterFile()
    {
        byte[] file = Save(SmallNetwork());
        file[0] = (byte)'X';
        var e = Assert.Throws<InvalidDataException>(() => Load(file));
        Assert.Contains("Not a Rewind parameter file", e.Message, StringComparison.Ordinal);
        Assert.Contains("RWNNPARM", e.Message, StringComparison.Ordinal);

        e = Assert.Throws<InvalidDataException>(() => Load("{\"weights\": []}"u8.ToArray()));
        Assert.Contains("Not a Rewind parameter file", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryTruncationIsReportedAsTruncated()
    {
        byte[] file = Save(SmallNetwork());
        for (int length = 0; length < file.Length; length++)
        {
            var e = Assert.Throws<InvalidDataException>(() => Load(file[..length]));
            Assert.Contains("truncated", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void AFlippedBitIsAChecksumMismatch()
    {
        byte[] file = Save(SmallNetwork());
        int valuesStart = file.Length - 4 - (8 * SmallNetwork().ParameterCount);
        foreach (int at in new[] { valuesStart, valuesStart + 13, file.Length - 5, file.Length - 1 })
        {
            byte[] corrupt = (byte[])file.Clone();
            corrupt[at] ^= 0x10;
            var e = Assert.Throws<InvalidDataException>(() => Load(corrupt));
            Assert.Contains("checksum mismatch", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void TrailingBytesAreCorrupt()
    {
        byte[] file = [.. Save(SmallNetwork()), 0];
        var e = Assert.Throws<InvalidDataException>(() => Load(file));
        Assert.Contains("1 bytes after its checksum", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnotherVersionIsRefused()
    {
        byte[] file = Save(SmallNetwork());
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(8), 2);
        var e = Assert.Throws<InvalidDataException>(() => Load(file));
        Assert.Contains("version 2; this library reads version 1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AConsistentButInvalidHeaderIsRefused()
    {
        // Valid checksums over invalid contents: an unknown activation, unknown flags, a count the sizes do not imply.
        byte[] file = Save(SmallNetwork());
        int tanh = file.AsSpan().IndexOf("tanh"u8);
        file[tanh] = (byte)'T';
        var e = Assert.Throws<InvalidDataException>(() => Load(Reseal(file)));
        Assert.Contains("unknown activation 'Tanh'", e.Message, StringComparison.Ordinal);

        file = Save(SmallNetwork());
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(12), 6);
        e = Assert.Throws<InvalidDataException>(() => Load(Reseal(file)));
        Assert.Contains("unknown flags", e.Message, StringComparison.Ordinal);

        file = Save(SmallNetwork());
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(12), 1);  // time input: 2 more parameters than stored
        e = Assert.Throws<InvalidDataException>(() => Load(Reseal(file)));
        Assert.Contains("imply", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("hidden", "dense layer 0 has 4 outputs in the file and 5 in this network")]
    [InlineData("activation", "dense layer 0 is followed by tanh in the file and by relu in this network")]
    [InlineData("time", "the file has no time input and this network has")]
    [InlineData("depth", "the file has 2 dense layers and this network 3")]
    [InlineData("input", "the input size is 2 in the file and 3 in this network")]
    public void AMismatchedArchitectureNamesTheFirstDifference(string change, string difference)
    {
        byte[] file = Save(SmallNetwork());
        Sequential other = change switch
        {
            "hidden" => new Sequential(new Linear(2, 5), new Tanh(), new Linear(5, 2)),
            "activation" => new Sequential(new Linear(2, 4), new Relu(), new Linear(4, 2)),
            "time" => new Sequential(timeInput: true, new Linear(2, 4), new Tanh(), new Linear(4, 2)),
            "depth" => new Sequential(new Linear(2, 4), new Tanh(), new Linear(4, 4), new Linear(4, 2)),
            _ => new Sequential(new Linear(3, 4), new Tanh(), new Linear(4, 2)),
        };
        other.Initialize(Initializer.XavierUniform(), seed: 3);
        var before = Bits(other.Parameters.Span);

        var e = Assert.Throws<InvalidDataException>(() => other.LoadParameters(new MemoryStream(file)));
        Assert.Contains(difference, e.Message, StringComparison.Ordinal);
        Assert.Contains("File: 2 →tanh→ 4 →identity→ 2", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, Bits(other.Parameters.Span));
    }

    [Fact]
    public void AFailedLoadLeavesTheParametersAlone()
    {
        var net = SmallNetwork();
        var before = Bits(net.Parameters.Span);
        byte[] file = Save(new Sequential(new Linear(2, 4), new Tanh(), new Linear(4, 2)));
        file[^10] ^= 1;
        Assert.Throws<InvalidDataException>(() => net.LoadParameters(new MemoryStream(file)));
        Assert.Equal(before, Bits(net.Parameters.Span));
    }

    [Fact]
    public void AMissingFileIsAnIOException()
    {
        Assert.Throws<FileNotFoundException>(() => Sequential.Load(Path.Combine(directory, "missing.rwnn")));
    }

    private static Sequential SmallNetwork()
    {
        var net = new Sequential(new Linear(2, 4), new Tanh(), new Linear(4, 2));
        net.Initialize(Initializer.XavierUniform(bias: BiasInitialization.Uniform), seed: 17);
        return net;
    }

    private static byte[] Save(Sequential net)
    {
        using var stream = new MemoryStream();
        net.SaveParameters(stream);
        return stream.ToArray();
    }

    private static Sequential Load(byte[] file) => Sequential.Load(new MemoryStream(file));

    /// <summary>Recomputes the checksum of an edited file.</summary>
    private static byte[] Reseal(byte[] file)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(file.Length - 4), Crc32Of(file.AsSpan(0, file.Length - 4)));
        return file;
    }

    /// <summary>An independent bitwise CRC-32 (reflected polynomial 0xEDB88320), as the format documents.</summary>
    private static uint Crc32Of(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
            }
        }

        return ~crc;
    }

    private static long[] Bits(ReadOnlySpan<double> values) => values.ToArray().Select(BitConverter.DoubleToInt64Bits).ToArray();
}
