using System.Runtime.InteropServices;

namespace Lakehouse.Cli;

public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        using var interrupted = new CancellationTokenSource();
        void Interrupt(PosixSignalContext context)
        {
            // The first signal cancels the running query or stops the server cleanly.
            context.Cancel = true;
            interrupted.Cancel();
        }

        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Interrupt);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Interrupt);
        return await CliApp.RunAsync(args, Console.Out, Console.Error, Environment.CurrentDirectory, interrupted.Token);
    }
}
