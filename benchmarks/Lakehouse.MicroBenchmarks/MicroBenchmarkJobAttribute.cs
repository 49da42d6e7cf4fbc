using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Lakehouse.MicroBenchmarks;

/// <summary>
/// The job every micro-benchmark runs under: three warm-up and ten measured iterations,
/// allocations reported, so the whole set stays within minutes on a small machine. Benchmarks run
/// inside this process: the generated out-of-process runner would look for a project file named
/// after the assembly, and skipping its build also saves a minute per run.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class MicroBenchmarkJobAttribute : Attribute, IConfigSource
{
    public MicroBenchmarkJobAttribute()
    {
        var job = Job.Default
            .WithLaunchCount(1)
            .WithWarmupCount(3)
            .WithIterationCount(10)
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithId("Micro");
        Config = ManualConfig.CreateEmpty()
            .AddJob(job)
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddColumn(RowsPerSecondColumn.Instance);
    }

    public IConfig Config { get; }
}
