using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Lakehouse.Storage.Tests;

/// <summary>
/// A real S3-compatible server (the npm package s3rver) on a free loopback port, installed into
/// <c>.tools/s3rver</c> of the repository on first use and stopped when disposed.
/// </summary>
public sealed class S3Server : IAsyncLifetime
{
    public const string AccessKey = "S3RVER";
    public const string SecretKey = "S3RVER";

    private Process? _process;
    private string? _dataDirectory;

    public string Endpoint { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        var root = FindRepositoryRoot();
        var toolDirectory = Path.Combine(root, ".tools", "s3rver");
        var executable = Path.Combine(toolDirectory, "node_modules", ".bin", "s3rver");
        if (!File.Exists(executable))
        {
            Directory.CreateDirectory(toolDirectory);
            await RunAsync("npm", $"install --no-audit --no-fund --prefix \"{toolDirectory}\" s3rver@3", TimeSpan.FromMinutes(5));
        }

        _dataDirectory = Path.Combine(Path.GetTempPath(), "lakehouse-s3rver-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dataDirectory);
        var port = FreePort();
        _process = Process.Start(new ProcessStartInfo(executable, $"-d \"{_dataDirectory}\" -a 127.0.0.1 -p {port} --silent")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("could not start s3rver");
        Endpoint = $"http://127.0.0.1:{port}";

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !_process.HasExited)
            {
                await Task.Delay(100);
            }
        }
    }

    public Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process?.Dispose();
        if (_dataDirectory is not null && Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }

        return Task.CompletedTask;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string FindRepositoryRoot()
    {
        var stamped = typeof(RepositoryMarker).Assembly
            .GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .Cast<System.Reflection.AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "RepositoryRoot")?.Value;
        if (stamped is not null && File.Exists(Path.Combine(stamped, "Lakehouse.sln")))
        {
            return Path.GetFullPath(stamped);
        }

        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Lakehouse.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Lakehouse.sln not found");
    }

    private static async Task RunAsync(string file, string arguments, TimeSpan timeout)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException($"could not start {file}");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cts.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {arguments} failed ({process.ExitCode}): {await stderr}{await stdout}");
        }
    }
}

internal sealed class RepositoryMarker
{
}
