using Apache.Arrow;
using Lakehouse.Server.Distributed;
using Xunit;

namespace Lakehouse.Server.Tests;

public sealed class FlightWorkerClientTests : IClassFixture<ScriptedServerFixture>
{
    private readonly ScriptedServerFixture _fixture;

    public FlightWorkerClientTests(ScriptedServerFixture fixture)
    {
        _fixture = fixture;
    }

    [Fact]
    public async Task FragmentIsExecutedByTheRemoteWorker()
    {
        using var worker = new FlightWorkerClient(_fixture.Server.Address);
        Assert.Equal(_fixture.Server.Address, worker.Address);

        var fragment = new byte[300];
        new Random(7).NextBytes(fragment);
        var batches = new List<RecordBatch>();
        await foreach (var batch in worker.ExecuteAsync(fragment, CancellationToken.None))
        {
            batches.Add(batch);
        }

        var single = Assert.Single(batches);
        Assert.Equal(fragment, ((BinaryArray)single.Column("fragment")).GetBytes(0).ToArray());
        Assert.Equal(300, ((Int32Array)single.Column("length")).GetValue(0));
    }

    [Fact]
    public async Task WorkerErrorsKeepTheirCodeAndNameTheWorker()
    {
        using var worker = new FlightWorkerClient(_fixture.Server.Address);
        var error = await Assert.ThrowsAsync<LakehouseServerException>(async () =>
        {
            await foreach (var batch in worker.ExecuteAsync(EchoWorker.FailingFragment, CancellationToken.None))
            {
                batch.Dispose();
            }
        });
        Assert.Equal("EXECUTION_FRAGMENT_INVALID", error.Code);
        Assert.Equal($"worker {_fixture.Server.Address}: fragment is not a serialized plan", error.Message);
    }

    [Fact]
    public async Task UnreachableWorkerIsAnErrorNotAHang()
    {
        using var worker = new FlightWorkerClient("grpc://127.0.0.1:1");
        var error = await Assert.ThrowsAsync<LakehouseServerException>(async () =>
        {
            await foreach (var batch in worker.ExecuteAsync([1, 2, 3], CancellationToken.None))
            {
                batch.Dispose();
            }
        });
        Assert.Equal("SERVER_UNAVAILABLE", error.Code);
    }
}
