using System.Numerics;
using Lakehouse.Iceberg.Manifests;
using Lakehouse.Iceberg.Scan;
using Lakehouse.Iceberg.Writing;
using Lakehouse.Storage;

namespace Lakehouse.Iceberg.Tests;

/// <summary>
/// Damaged manifests and manifest lists: every failure is an <see cref="IcebergException"/> with a stable code and
/// a one-line message naming the file, never another exception, a hang or a huge allocation.
/// </summary>
public sealed class ManifestDecoderBadInputTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    public static TheoryData<AvroCodec, bool> CodecsAndKinds => new()
    {
        { AvroCodec.Null, false },
        { AvroCodec.Null, true },
        { AvroCodec.Deflate, false },
        { AvroCodec.Deflate, true },
    };

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { (byte)'O', (byte)'b', (byte)'j' })]
    [InlineData(new byte[] { (byte)'O', (byte)'b', (byte)'j', 2, 0, 0, 0, 0 })]
    [InlineData(new byte[] { (byte)'P', (byte)'A', (byte)'R', (byte)'1', 0, 0, 0, 0 })]
    public void WrongMagicIsRejected(byte[] bytes)
    {
        AssertRejected(() => ManifestDecoding.DirectEntries(bytes, "bad.avro"), "bad.avro");
        AssertRejected(() => ManifestDecoding.DirectList(bytes, "bad.avro"), "bad.avro");
    }

    [Fact]
    public void ValidHeaderWithAnotherMagicByteIsRejectedThroughTheReader()
    {
        var (table, manifest) = WrittenManifest(AvroCodec.Null);
        var bytes = File.ReadAllBytes(manifest.Path);
        bytes[3] = 2;
        File.WriteAllBytes(manifest.Path, bytes);
        AssertRejected(() => ManifestReader.ReadManifest(table, manifest), manifest.Path);
    }

    [Theory]
    [MemberData(nameof(CodecsAndKinds))]
    public void TruncationAtEveryLengthFailsCleanlyOrEndsAtABlockBoundary(AvroCodec codec, bool manifestList)
    {
        var whole = SampleFile(codec, manifestList);
        var parts = Container.Parse(whole);
        var doubled = parts.With(parts.Blocks[0], parts.Blocks[0]);
        var full = Decode(doubled, manifestList, "doubled.avro");
        Assert.Equal(2 * Decode(whole, manifestList, "whole.avro").Count, full.Count);

        var boundaries = new HashSet<int> { parts.HeaderLength, parts.HeaderLength + parts.Blocks[0].EncodedLength };
        RunWithin(() =>
        {
            for (var length = 0; length < doubled.Length; length++)
            {
                // Every cut inside the blocks and the header's framing; a sample of those inside the schema text.
                if (length >= 24 && length < parts.HeaderLength - 40 && length % 11 != 0)
                {
                    continue;
                }

                var prefix = doubled[..length];
                if (boundaries.Contains(length))
                {
                    // A file cut right after a block's sync marker is a valid file with fewer blocks.
                    var lines = Decode(prefix, manifestList, "cut.avro");
                    Assert.Equal(full.Take(lines.Count), lines);
                    Assert.True(lines.Count < full.Count);
                    continue;
                }

                AssertRejected(() => Decode(prefix, manifestList, "cut.avro"), "cut.avro");
                AssertRejected(() => Generic(prefix, manifestList, "cut.avro"), "cut.avro");
            }
        });
    }

    [Fact]
    public void TruncatedManifestIsRejectedThroughTheReader()
    {
        var (table, manifest) = WrittenManifest(AvroCodec.Deflate);
        var bytes = File.ReadAllBytes(manifest.Path);
        File.WriteAllBytes(manifest.Path, bytes[..(bytes.Length - 20)]);
        AssertRejected(() => ManifestReader.ReadManifest(table, manifest), manifest.Path);
    }

    [Theory]
    [MemberData(nameof(CodecsAndKinds))]
    public void EveryBitFlipInTheBlocksDecodesOrFailsCleanly(AvroCodec codec, bool manifestList)
    {
        var bytes = SampleFile(codec, manifestList);
        var parts = Container.Parse(bytes);
        var rejected = 0;
        RunWithin(() =>
        {
            for (var position = parts.HeaderLength; position < bytes.Length; position++)
            {
                for (var bit = 0; bit < 8; bit++)
                {
                    var flipped = (byte[])bytes.Clone();
                    flipped[position] ^= (byte)(1 << bit);
                    rejected += DecodesOrFailsCleanly(flipped, manifestList, [IcebergException.InvalidManifest]) ? 0 : 1;
                }
            }
        });

        // Flips in the block header and in the sync marker always break the file.
        Assert.True(rejected >= 8 * 16, $"only {rejected} corrupted files were rejected");
    }

    [Theory]
    [InlineData(AvroCodec.Null, false)]
    [InlineData(AvroCodec.Deflate, true)]
    public void BitFlipsInTheHeaderDecodeOrFailCleanly(AvroCodec codec, bool manifestList)
    {
        var bytes = SampleFile(codec, manifestList);
        var parts = Container.Parse(bytes);
        RunWithin(() =>
        {
            // Every byte of the magic, the metadata framing and the sync marker; a sample of the schema text.
            for (var position = 0; position < parts.HeaderLength; position++)
            {
                if (position >= 24 && position < parts.HeaderLength - 40 && position % 53 != 0)
                {
                    continue;
                }

                for (var bit = 0; bit < 8; bit++)
                {
                    var flipped = (byte[])bytes.Clone();
                    flipped[position] ^= (byte)(1 << bit);
                    DecodesOrFailsCleanly(flipped, manifestList, [IcebergException.InvalidManifest, IcebergException.Unsupported]);
                }
            }
        });
    }

    [Theory]
    [InlineData(AvroCodec.Null, 1L)]
    [InlineData(AvroCodec.Null, 1_000_000L)]
    [InlineData(AvroCodec.Null, long.MaxValue / 2)]
    [InlineData(AvroCodec.Deflate, 1L)]
    [InlineData(AvroCodec.Deflate, 1_000_000_000L)]
    public void BlockCountLargerThanItsDataIsRejected(AvroCodec codec, long extra)
    {
        foreach (var manifestList in new[] { false, true })
        {
            var parts = Container.Parse(SampleFile(codec, manifestList));
            var block = parts.Blocks[0];
            var damaged = parts.With(block with { Count = block.Count + extra });
            AssertRejected(() => Decode(damaged, manifestList, "count.avro"), "count.avro");
            AssertRejected(() => Generic(damaged, manifestList, "count.avro"), "count.avro");
        }
    }

    [Theory]
    [InlineData(AvroCodec.Null)]
    [InlineData(AvroCodec.Deflate)]
    public void NegativeBlockCountIsRejectedAndASmallerOneReadsAPrefix(AvroCodec codec)
    {
        var bytes = SampleFile(codec, manifestList: false);
        var parts = Container.Parse(bytes);
        var block = parts.Blocks[0];
        var negative = parts.With(block with { Count = -block.Count });
        AssertRejected(() => Decode(negative, false, "count.avro"), "count.avro");
        AssertRejected(() => Generic(negative, false, "count.avro"), "count.avro");

        // As in other Avro readers, a block is taken whole and only its declared records are decoded.
        var fewer = parts.With(block with { Count = block.Count - 1 });
        var full = Decode(bytes, false, "full.avro");
        Assert.Equal(full[..^1], ManifestDecoding.AssertEntriesAgree(fewer, "fewer.avro"));
    }

    [Theory]
    [InlineData(AvroCodec.Null, 1L)]
    [InlineData(AvroCodec.Null, 17L)]
    [InlineData(AvroCodec.Null, int.MaxValue - 64L)]
    [InlineData(AvroCodec.Null, int.MaxValue)]
    [InlineData(AvroCodec.Null, int.MaxValue + 1L)]
    [InlineData(AvroCodec.Null, long.MaxValue)]
    [InlineData(AvroCodec.Null, long.MinValue)]
    [InlineData(AvroCodec.Deflate, 1L)]
    [InlineData(AvroCodec.Deflate, 17L)]
    [InlineData(AvroCodec.Deflate, int.MaxValue - 64L)]
    [InlineData(AvroCodec.Deflate, int.MaxValue)]
    [InlineData(AvroCodec.Deflate, int.MaxValue + 1L)]
    [InlineData(AvroCodec.Deflate, long.MaxValue)]
    public void BlockSizeLargerThanTheDataIsRejected(AvroCodec codec, long declaredSize)
    {
        foreach (var manifestList in new[] { false, true })
        {
            var parts = Container.Parse(SampleFile(codec, manifestList));
            var block = parts.Blocks[0];
            var size = declaredSize is 1L or 17L ? block.Data.Length + declaredSize : declaredSize;
            var damaged = parts.WithRawBlock(block.Count, size, block.Data);
            AssertRejected(() => Decode(damaged, manifestList, "size.avro"), "size.avro");
            AssertRejected(() => Generic(damaged, manifestList, "size.avro"), "size.avro");
        }
    }

    [Fact]
    public void MetricsMapClaimingAHugeCountIsRejectedWithoutAllocatingForIt()
    {
        var parts = Container.Parse(SampleFile(AvroCodec.Null, manifestList: false));
        var schema = (AvroRecordSchema)AvroFileReader.Read(SampleFile(AvroCodec.Null, manifestList: false), "sample.avro").Schema;
        Assert.Equal("status", schema.Fields[0].Name);

        // status 1, snapshot 1, no sequence numbers, then a data_file whose content, path, format and all-null
        // partition are followed by record_count, file size and a column_sizes array claiming 2^40 pairs.
        var encoder = new AvroEncoder();
        encoder.WriteLong(1);
        encoder.WriteLong(1);
        encoder.WriteLong(1);
        encoder.WriteLong(0);
        encoder.WriteLong(0);
        encoder.WriteLong(0);
        encoder.WriteString("/d/a.parquet");
        encoder.WriteString("PARQUET");
        for (var i = 0; i < 7; i++)
        {
            encoder.WriteLong(0);
        }

        encoder.WriteLong(10);
        encoder.WriteLong(100);
        encoder.WriteLong(1);
        encoder.WriteLong(1L << 40);
        encoder.WriteLong(1);
        encoder.WriteLong(5);
        var payload = encoder.ToArray();
        var damaged = parts.WithRawBlock(1, payload.Length, payload);
        RunWithin(() =>
        {
            AssertRejected(() => Decode(damaged, false, "huge.avro"), "huge.avro");
            AssertRejected(() => Generic(damaged, false, "huge.avro"), "huge.avro");
        });
    }

    /// <summary>A manifest of the partitioned test table (3 entries with metrics) or a manifest list of 2 manifests.</summary>
    private byte[] SampleFile(AvroCodec codec, bool manifestList)
    {
        var (_, manifest) = WrittenManifest(codec);
        if (!manifestList)
        {
            return File.ReadAllBytes(manifest.Path);
        }

        var listPath = _temp.File($"list-{codec}.avro");
        ManifestWriter.WriteManifestList(LocalFileIO.Instance, listPath, 3, null, 1, [manifest, manifest with { RecordedPath = "/warehouse/t/metadata/other.avro" }], codec);
        return File.ReadAllBytes(listPath);
    }

    private (Metadata.IcebergTable Table, ManifestFile Manifest) WrittenManifest(AvroCodec codec)
    {
        var table = ManifestDecoderTests.PartitionedTable();
        var metadata = table.Metadata;
        DataFile[] files =
        [
            ManifestDecoderTests.DataFileOf("a.parquet", [19_000, new BigInteger(5), "n", true, 1.5, Guid.Empty, 7]) with
            {
                ValueCounts = new Dictionary<int, long> { [1] = 2, [4] = 2 },
                NullValueCounts = new Dictionary<int, long> { [4] = 1 },
                LowerBounds = new Dictionary<int, byte[]> { [1] = BitConverter.GetBytes(1L) },
                UpperBounds = new Dictionary<int, byte[]> { [1] = BitConverter.GetBytes(2L) },
                SplitOffsets = [4L],
            },
            ManifestDecoderTests.DataFileOf("b.parquet", [null, null, null, null, null, null, null]),
        ];
        var path = _temp.File($"manifest-{codec}.avro");
        var manifest = ManifestWriter.WriteDataManifest(LocalFileIO.Instance, path, path, metadata.CurrentSchema, metadata.DefaultSpec, 3, 1, files, codec);
        return (table, manifest);
    }

    private static List<string> Decode(byte[] bytes, bool manifestList, string name) =>
        manifestList ? ManifestDecoding.DirectList(bytes, name) : ManifestDecoding.DirectEntries(bytes, name);

    private static List<string> Generic(byte[] bytes, bool manifestList, string name) =>
        manifestList ? ManifestDecoding.GenericList(bytes, name) : ManifestDecoding.GenericEntries(bytes, name);

    /// <summary>True when the file still decodes (both paths agreeing), false when both reject it cleanly.</summary>
    private static bool DecodesOrFailsCleanly(byte[] bytes, bool manifestList, string[] codes)
    {
        List<string>? direct = null;
        try
        {
            direct = Decode(bytes, manifestList, "flipped.avro");
        }
        catch (IcebergException e)
        {
            AssertCleanFailure(e, "flipped.avro", codes);
        }

        List<string>? generic = null;
        try
        {
            generic = Generic(bytes, manifestList, "flipped.avro");
        }
        catch (IcebergException e)
        {
            AssertCleanFailure(e, "flipped.avro", codes);
        }

        if (direct is not null && generic is not null)
        {
            for (var i = 0; i < Math.Min(direct.Count, generic.Count); i++)
            {
                Assert.True(direct[i] == generic[i], $"entry {i} differs:\n direct  {direct[i]}\n generic {generic[i]}\n schema {AvroFileReader.Read(bytes, "flipped.avro").MetadataString("avro.schema")}");
            }

            Assert.Equal(generic.Count, direct.Count);
        }

        return direct is not null;
    }

    private static void AssertRejected(Func<object> decode, string name)
    {
        var e = Assert.Throws<IcebergException>(decode);
        AssertCleanFailure(e, name, [IcebergException.InvalidManifest]);
    }

    private static void AssertCleanFailure(IcebergException e, string name, string[] codes)
    {
        Assert.Contains(e.Code, codes);
        Assert.Contains(name, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
        Assert.DoesNotContain('\r', e.Message);
    }

    private static void RunWithin(Action action)
    {
        var task = Task.Run(action);
        Assert.True(task.Wait(Limit), $"decoding did not finish within {Limit.TotalSeconds} s");
    }

    /// <summary>An Avro object container file taken apart: header (magic, metadata, sync marker) and blocks.</summary>
    private sealed record Container(byte[] Header, byte[] Sync, IReadOnlyList<Block> Blocks)
    {
        public int HeaderLength => Header.Length;

        public static Container Parse(byte[] bytes)
        {
            var sync = bytes[^16..];
            var headerLength = IndexOf(bytes, sync) + 16;
            var blocks = new List<Block>();
            var position = headerLength;
            while (position < bytes.Length)
            {
                var start = position;
                var count = ReadLong(bytes, ref position);
                var size = (int)ReadLong(bytes, ref position);
                var data = bytes[position..(position + size)];
                position += size;
                Assert.Equal(sync, bytes[position..(position + 16)]);
                position += 16;
                blocks.Add(new Block(count, data, position - start));
            }

            return new Container(bytes[..headerLength], sync, blocks);
        }

        public byte[] With(params Block[] blocks)
        {
            var output = new AvroEncoder();
            output.WriteRaw(Header);
            foreach (var block in blocks)
            {
                output.WriteLong(block.Count);
                output.WriteLong(block.Data.Length);
                output.WriteRaw(block.Data);
                output.WriteRaw(Sync);
            }

            return output.ToArray();
        }

        public byte[] WithRawBlock(long count, long declaredSize, byte[] data)
        {
            var output = new AvroEncoder();
            output.WriteRaw(Header);
            output.WriteLong(count);
            output.WriteLong(declaredSize);
            output.WriteRaw(data);
            output.WriteRaw(Sync);
            return output.ToArray();
        }

        private static int IndexOf(byte[] bytes, byte[] pattern)
        {
            for (var i = 4; i <= bytes.Length - pattern.Length; i++)
            {
                if (bytes.AsSpan(i, pattern.Length).SequenceEqual(pattern))
                {
                    return i;
                }
            }

            throw new InvalidOperationException("sync marker not found");
        }

        private static long ReadLong(byte[] bytes, ref int position)
        {
            ulong value = 0;
            var shift = 0;
            while (true)
            {
                var b = bytes[position++];
                value |= (ulong)(b & 0x7f) << shift;
                if ((b & 0x80) == 0)
                {
                    return (long)(value >> 1) ^ -(long)(value & 1);
                }

                shift += 7;
            }
        }
    }

    private sealed record Block(long Count, byte[] Data, int EncodedLength);
}
