using Avro.File;
using Avro.Generic;
using Lakehouse.Iceberg.Manifests;
using Lakehouse.Iceberg.Metadata;
using Lakehouse.Iceberg.Scan;
using Lakehouse.Iceberg.Transforms;
using Lakehouse.Iceberg.Types;
using Lakehouse.Iceberg.Writing;
using Lakehouse.Storage;

namespace Lakehouse.Iceberg.Tests;

/// <summary>Reads files from <see cref="AvroFileWriter"/> and <see cref="ManifestWriter"/> with the Apache Avro library, an independent decoder.</summary>
public sealed class AvroInteropWriterTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(AvroCodec.Null)]
    [InlineData(AvroCodec.Deflate)]
    public void ManifestAndManifestListDecodeWithApacheAvro(AvroCodec codec)
    {
        var schema = new Schema(0,
        [
            new NestedField(1, "id", true, PrimitiveType.Long),
            new NestedField(2, "day", false, PrimitiveType.Date),
            new NestedField(3, "price", false, new DecimalType(9, 2)),
        ]);
        var spec = new PartitionSpec(3,
        [
            new PartitionField(2, 1000, "day", Transform.Identity),
            new PartitionField(3, 1001, "price", Transform.Identity),
        ]);
        var files = Enumerable.Range(0, 1500).Select(i => new DataFile
        {
            Content = FileContent.Data,
            Path = $"/t/data/{i}.parquet",
            RecordedPath = $"/t/data/{i}.parquet",
            Format = FileFormat.Parquet,
            SpecId = 3,
            Partition = [i % 10 == 0 ? null : 19_000 + i, new System.Numerics.BigInteger(-i)],
            RecordCount = i + 1,
            FileSizeInBytes = 1000 + i,
            ValueCounts = new Dictionary<int, long> { [1] = i + 1, [2] = i + 1 },
            LowerBounds = new Dictionary<int, byte[]> { [1] = BitConverter.GetBytes((long)i) },
            SplitOffsets = [4L],
        }).ToList();

        var manifestPath = _temp.File("m0.avro");
        var manifest = ManifestWriter.WriteDataManifest(LocalFileIO.Instance, manifestPath, "/t/metadata/m0.avro", schema, spec, 42, 5, files, codec);
        var listPath = _temp.File("snap.avro");
        ManifestWriter.WriteManifestList(LocalFileIO.Instance, listPath, 42, 41, 5, [manifest], codec);

        using (var reader = DataFileReader<GenericRecord>.OpenReader(manifestPath))
        {
            Assert.Equal("3", reader.GetMetaString("partition-spec-id"));
            Assert.Equal("data", reader.GetMetaString("content"));
            var count = 0;
            foreach (var entry in reader.NextEntries)
            {
                Assert.Equal(1, entry["status"]);
                Assert.Equal(42L, entry["snapshot_id"]);
                Assert.Null(entry["sequence_number"]);
                var dataFile = (GenericRecord)entry["data_file"];
                Assert.Equal($"/t/data/{count}.parquet", dataFile["file_path"]);
                Assert.Equal("PARQUET", dataFile["file_format"]);
                Assert.Equal((long)count + 1, dataFile["record_count"]);
                var partition = (GenericRecord)dataFile["partition"];
                // Apache Avro applies the logical types: date to DateTime, decimal to AvroDecimal.
                Assert.Equal(count % 10 == 0 ? null : DateTime.UnixEpoch.AddDays(19_000 + count), partition["day"]);
                var price = Assert.IsType<Avro.AvroDecimal>(partition["price"]);
                Assert.Equal(new System.Numerics.BigInteger(-count), price.UnscaledValue);
                Assert.Equal(2, price.Scale);
                Assert.Equal(2, ((object[])dataFile["value_counts"]).Length);
                count++;
            }

            Assert.Equal(files.Count, count);
        }

        using (var reader = DataFileReader<GenericRecord>.OpenReader(listPath))
        {
            var entry = Assert.Single(reader.NextEntries);
            Assert.Equal("/t/metadata/m0.avro", entry["manifest_path"]);
            Assert.Equal(new FileInfo(manifestPath).Length, entry["manifest_length"]);
            Assert.Equal(3, entry["partition_spec_id"]);
            Assert.Equal(5L, entry["sequence_number"]);
            Assert.Equal(1500, entry["added_files_count"]);
            Assert.Equal(files.Sum(f => f.RecordCount), entry["added_rows_count"]);
            var partitions = (object[])entry["partitions"];
            Assert.Equal(2, partitions.Length);
            var day = (GenericRecord)partitions[0];
            Assert.Equal(true, day["contains_null"]);
            Assert.Equal(BitConverter.GetBytes(19_001), day["lower_bound"]);
            Assert.Equal(BitConverter.GetBytes(19_000 + 1499), day["upper_bound"]);
        }
    }
}
