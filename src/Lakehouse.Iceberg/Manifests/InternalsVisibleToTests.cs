using System.Runtime.CompilerServices;

// The manifest decoders are internal; their tests drive them directly against the generic Avro decoding.
[assembly: InternalsVisibleTo("Lakehouse.Iceberg.Tests")]
