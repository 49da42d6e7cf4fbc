using ParquetSharp;

namespace Lakehouse.Iceberg.Reading;

/// <summary>Converts one physical Parquet value to its Arrow representation; implemented by structs so calls inline.</summary>
internal interface IValueConverter<TIn, TOut>
{
    static abstract TOut Convert(TIn value);
}

internal readonly struct Identity<T> : IValueConverter<T, T>
{
    public static T Convert(T value) => value;
}

internal readonly struct IntToLong : IValueConverter<int, long>
{
    public static long Convert(int value) => value;
}

internal readonly struct FloatToDouble : IValueConverter<float, double>
{
    public static double Convert(float value) => value;
}

internal readonly struct IntTimesThousand : IValueConverter<int, long>
{
    public static long Convert(int value) => value * 1000L;
}

internal readonly struct LongTimesThousand : IValueConverter<long, long>
{
    public static long Convert(long value) => value * 1000L;
}

internal readonly struct LongTimesMillion : IValueConverter<long, long>
{
    public static long Convert(long value) => value * 1_000_000L;
}

internal readonly struct LongFloorDivThousand : IValueConverter<long, long>
{
    public static long Convert(long value) => Math.DivRem(value, 1000L) is var (q, r) && r < 0 ? q - 1 : q;
}

internal readonly struct DaysToMicros : IValueConverter<int, long>
{
    public static long Convert(int value) => value * 86_400_000_000L;
}

internal readonly struct DaysToNanos : IValueConverter<int, long>
{
    public static long Convert(int value) => value * 86_400_000_000_000L;
}

/// <summary>Legacy INT96 timestamps: 8 bytes nanoseconds of day, then 4 bytes Julian day.</summary>
internal readonly struct Int96ToMicros : IValueConverter<Int96, long>
{
    public static long Convert(Int96 value) => LongFloorDivThousand.Convert(Int96ToNanos.Convert(value));
}

internal readonly struct Int96ToNanos : IValueConverter<Int96, long>
{
    private const long JulianDayOfEpoch = 2_440_588;

    public static long Convert(Int96 value)
    {
        var nanosOfDay = (long)(((ulong)(uint)value.B << 32) | (uint)value.A);
        return ((value.C - JulianDayOfEpoch) * 86_400_000_000_000L) + nanosOfDay;
    }
}

internal readonly struct IntToDecimal : IValueConverter<int, Int128>
{
    public static Int128 Convert(int value) => value;
}

internal readonly struct LongToDecimal : IValueConverter<long, Int128>
{
    public static Int128 Convert(long value) => value;
}
