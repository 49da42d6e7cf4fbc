using System.Globalization;

namespace Lakehouse.Planning.Types;

/// <summary>Time zone names: UTC, fixed offsets (+05:30) and IANA names the runtime knows.</summary>
public static class TimeZones
{
    /// <summary>The canonical zone id ("UTC", "+05:30" or an IANA name), or null when unknown.</summary>
    public static string? Normalize(string name)
    {
        var trimmed = name.Trim();
        if (trimmed.Equals("UTC", StringComparison.OrdinalIgnoreCase) || trimmed.Equals("Z", StringComparison.OrdinalIgnoreCase)
            || trimmed.Equals("GMT", StringComparison.OrdinalIgnoreCase) || trimmed is "+00:00" or "-00:00")
        {
            return "UTC";
        }

        if (TryParseOffset(trimmed, out var offset))
        {
            return offset == TimeSpan.Zero ? "UTC" : FormatOffset(offset);
        }

        return TimeZoneInfo.TryFindSystemTimeZoneById(trimmed, out var zone) ? zone.Id : null;
    }

    public static bool TryParseOffset(string text, out TimeSpan offset)
    {
        offset = TimeSpan.Zero;
        if (text.Length < 3 || (text[0] != '+' && text[0] != '-'))
        {
            return false;
        }

        var body = text[1..];
        int hours;
        int minutes = 0;
        int colon = body.IndexOf(':');
        if (colon >= 0)
        {
            if (!int.TryParse(body[..colon], NumberStyles.None, CultureInfo.InvariantCulture, out hours)
                || !int.TryParse(body[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out minutes))
            {
                return false;
            }
        }
        else if (body.Length == 4)
        {
            if (!int.TryParse(body[..2], NumberStyles.None, CultureInfo.InvariantCulture, out hours)
                || !int.TryParse(body[2..], NumberStyles.None, CultureInfo.InvariantCulture, out minutes))
            {
                return false;
            }
        }
        else if (!int.TryParse(body, NumberStyles.None, CultureInfo.InvariantCulture, out hours))
        {
            return false;
        }

        if (hours > 14 || minutes > 59)
        {
            return false;
        }

        offset = new TimeSpan(hours, minutes, 0);
        if (text[0] == '-')
        {
            offset = -offset;
        }

        return true;
    }

    public static string FormatOffset(TimeSpan offset) =>
        (offset < TimeSpan.Zero ? "-" : "+") + offset.Duration().ToString(@"hh\:mm", CultureInfo.InvariantCulture);

    /// <summary>The zone a timestamp type shows its values in, or null for UTC and for timestamps without a zone.</summary>
    public static string? DisplayZone(Apache.Arrow.Types.IArrowType type) =>
        type is Apache.Arrow.Types.TimestampType { Timezone: { Length: > 0 } zone } && zone != "UTC" ? zone : null;

    /// <summary>The rule of a zone id (as <see cref="Normalize"/> returns it), looked up once for a whole column.</summary>
    public static ZoneRule Resolve(string zoneId)
    {
        if (zoneId == "UTC")
        {
            return new ZoneRule(0, null);
        }

        return TryParseOffset(zoneId, out var offset)
            ? new ZoneRule(offset.Ticks / 10, null)
            : new ZoneRule(0, TimeZoneInfo.FindSystemTimeZoneById(zoneId));
    }

    /// <summary>Offset of zone <paramref name="zoneId"/> (as <see cref="Normalize"/> returns it) at an instant, in microseconds.</summary>
    public static long OffsetMicros(string zoneId, long utcMicros) => Resolve(zoneId).OffsetMicros(utcMicros);
}

/// <summary>A zone's offset from UTC: fixed, or from the zone's rules (daylight saving time) at each instant.</summary>
public readonly struct ZoneRule(long fixedMicros, TimeZoneInfo? zone)
{
    public long OffsetMicros(long utcMicros)
    {
        if (zone is null)
        {
            return fixedMicros;
        }

        var instant = DateTime.UnixEpoch.AddTicks(Math.Clamp(utcMicros, -62_135_596_800_000_000L, 253_402_300_799_999_999L) * 10);
        return zone.GetUtcOffset(instant).Ticks / 10;
    }

    /// <summary>The offset in force where the zone's clocks show <paramref name="localMicros"/> (standard time for clock times skipped or repeated by daylight saving).</summary>
    public long OffsetForLocal(long localMicros)
    {
        if (zone is null)
        {
            return fixedMicros;
        }

        var clock = DateTime.SpecifyKind(
            DateTime.UnixEpoch.AddTicks(Math.Clamp(localMicros, -62_135_596_800_000_000L, 253_402_300_799_999_999L) * 10),
            DateTimeKind.Unspecified);
        return zone.GetUtcOffset(clock).Ticks / 10;
    }
}
