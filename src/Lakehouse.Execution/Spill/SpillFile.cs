using System.Runtime.CompilerServices;
using Apache.Arrow;
using Apache.Arrow.Ipc;

namespace Lakehouse.Execution.Spill;

/// <summary>Record batches written to a temporary Arrow IPC file and read back once; the file is deleted after.</summary>
public sealed class SpillFile : IAsyncDisposable
{
    private readonly string _path;
    private readonly Schema _schema;
    private FileStream? _stream;
    private ArrowStreamWriter? _writer;

    public SpillFile(string directory, Schema schema)
    {
        Directory.CreateDirectory(directory);
        _path = Path.Combine(directory, $"lakehouse-spill-{Guid.NewGuid():N}.arrow");
        _schema = schema;
    }

    public long Rows { get; private set; }

    public long Bytes => _stream?.Length ?? 0;

    public async Task WriteAsync(RecordBatch batch, CancellationToken cancellationToken)
    {
        if (batch.Length == 0)
        {
            return;
        }

        try
        {
            _stream ??= new FileStream(_path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
            _writer ??= new ArrowStreamWriter(_stream, _schema, leaveOpen: true);
            await _writer.WriteRecordBatchAsync(batch, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            throw new ExecutionException(ExecutionException.SpillFailed, $"cannot spill to {_path}: {e.Message}", e);
        }

        Rows += batch.Length;
    }

    /// <summary>Reads everything written so far, in order.</summary>
    public async IAsyncEnumerable<RecordBatch> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (_stream is null || _writer is null)
        {
            yield break;
        }

        await _writer.WriteEndAsync(cancellationToken).ConfigureAwait(false);
        await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        _stream.Position = 0;
        using var reader = new ArrowStreamReader(_stream, leaveOpen: true);
        while (await reader.ReadNextRecordBatchAsync(cancellationToken).ConfigureAwait(false) is { } batch)
        {
            yield return batch;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _writer?.Dispose();
        if (_stream is not null)
        {
            await _stream.DisposeAsync().ConfigureAwait(false);
        }

        _writer = null;
        _stream = null;
    }
}
