using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Lakehouse.Cli;

namespace Lakehouse.Integration.Tests;

/// <summary>`lakehouse serve` run in-process on a free port, stopped as Ctrl+C would stop it.</summary>
public sealed class ServeHost : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly FirstLineWriter _output = new();
    private readonly StringWriter _errors = new();
    private readonly Task<int> _server;

    private ServeHost(string workingDirectory, IReadOnlyList<string> extraArguments)
    {
        Port = FreePort();
        string[] arguments = ["serve", "--port", Port.ToString(CultureInfo.InvariantCulture), .. extraArguments];
        _server = Task.Run(() => CliApp.RunAsync(arguments, _output, _errors, workingDirectory, _stop.Token));
    }

    public int Port { get; }

    public string Address => $"grpc://127.0.0.1:{Port}";

    /// <summary>The line the server printed when it started listening.</summary>
    public string ListeningLine => _output.FirstLine.Task.Result;

    public static async Task<ServeHost> StartAsync(string workingDirectory, params string[] extraArguments)
    {
        var host = new ServeHost(workingDirectory, extraArguments);
        var started = await Task.WhenAny(host._output.FirstLine.Task, host._server, Task.Delay(TimeSpan.FromSeconds(60)));
        Assert.True(started == host._output.FirstLine.Task, "server did not start: " + host._errors);
        return host;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        Assert.Equal(CliApp.Success, await _server.WaitAsync(TimeSpan.FromSeconds(30)));
        _stop.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A writer that reports the first complete line written to it (the server's "listening" line).</summary>
    private sealed class FirstLineWriter : TextWriter
    {
        private readonly StringBuilder _text = new();

        public TaskCompletionSource<string> FirstLine { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value)
        {
            lock (_text)
            {
                _text.Append(value);
                if (value == '\n')
                {
                    FirstLine.TrySetResult(_text.ToString().Trim());
                }
            }
        }
    }
}
