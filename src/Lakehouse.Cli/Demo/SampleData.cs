using Apache.Arrow;
using Apache.Arrow.Types;
using Lakehouse.Iceberg.Metadata;
using Lakehouse.Iceberg.Transforms;
using Lakehouse.Iceberg.Types;

namespace Lakehouse.Cli.Demo;

/// <summary>Deterministic sample rows for the demo warehouse: web events and orders, one Arrow batch per day.</summary>
internal static class SampleData
{
    public static readonly DateOnly FirstDay = new(2024, 1, 1);

    private static readonly string[] EventTypes = ["view", "click", "add_to_cart", "purchase"];
    private static readonly string[] Countries = ["DE", "FR", "NL", "SE", "US"];

    public static Lakehouse.Iceberg.Types.Schema EventsSchema { get; } = new(0,
    [
        new NestedField(1, "event_id", true, PrimitiveType.Long),
        new NestedField(2, "event_time", true, PrimitiveType.TimestampTz),
        new NestedField(3, "user_id", true, PrimitiveType.Int),
        new NestedField(4, "event_type", true, PrimitiveType.String),
        new NestedField(5, "country", false, PrimitiveType.String),
        new NestedField(6, "amount", false, new DecimalType(10, 2)),
    ]);

    public static Lakehouse.Iceberg.Types.Schema OrdersSchema { get; } = new(0,
    [
        new NestedField(1, "order_id", true, PrimitiveType.Long),
        new NestedField(2, "order_date", true, PrimitiveType.Date),
        new NestedField(3, "customer", true, PrimitiveType.String),
        new NestedField(4, "status", true, PrimitiveType.String),
        new NestedField(5, "total", true, new DecimalType(12, 2)),
    ]);

    public static Lakehouse.Iceberg.Types.Schema CustomersSchema { get; } = new(0,
    [
        new NestedField(1, "customer", true, PrimitiveType.String),
        new NestedField(2, "country", true, PrimitiveType.String),
        new NestedField(3, "segment", true, PrimitiveType.String),
        new NestedField(4, "signup_date", true, PrimitiveType.Date),
    ]);

    /// <summary>events: one partition per day of <c>event_time</c>.</summary>
    public static PartitionSpec EventsSpec { get; } = new(0, [new PartitionField(2, 1000, "event_time_day", Transform.Parse("day"))]);

    /// <summary>orders: one partition per <c>order_date</c> day.</summary>
    public static PartitionSpec OrdersSpec { get; } = new(0, [new PartitionField(2, 1000, "order_date_day", Transform.Parse("day"))]);

    /// <summary>The 50 customers the orders refer to.</summary>
    public static RecordBatch Customers(Apache.Arrow.Schema arrowSchema)
    {
        const int count = 50;
        var random = new Random(9000);
        var names = new StringArray.Builder();
        var countries = new StringArray.Builder();
        var segments = new StringArray.Builder();
        var signups = new Date32Array.Builder();
        for (var i = 1; i <= count; i++)
        {
            names.Append($"customer-{i:D3}");
            countries.Append(Countries[random.Next(Countries.Length)]);
            segments.Append(random.Next(4) == 0 ? "business" : "consumer");
            signups.Append(FirstDay.AddDays(-random.Next(700)).ToDateTime(TimeOnly.MinValue));
        }

        return new RecordBatch(arrowSchema, [names.Build(), countries.Build(), segments.Build(), signups.Build()], count);
    }

    /// <summary>Events of one day (dayIndex 0 = 2024-01-01), 500 to 900 of them.</summary>
    public static RecordBatch Events(int dayIndex, Apache.Arrow.Schema arrowSchema)
    {
        var random = new Random(1000 + dayIndex);
        var count = 500 + random.Next(400);
        var dayStartMicros = (long)(FirstDay.AddDays(dayIndex).DayNumber - DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber) * 86_400_000_000L;

        var ids = new Int64Array.Builder();
        var times = new TimestampArray.Builder((TimestampType)arrowSchema.GetFieldByName("event_time").DataType);
        var users = new Int32Array.Builder();
        var types = new StringArray.Builder();
        var countries = new StringArray.Builder();
        var amounts = new Decimal128Array.Builder((Decimal128Type)arrowSchema.GetFieldByName("amount").DataType);
        for (var i = 0; i < count; i++)
        {
            ids.Append(((long)dayIndex * 1_000_000) + i);
            var micros = dayStartMicros + (long)(random.NextDouble() * 86_400_000_000L);
            times.Append(DateTimeOffset.UnixEpoch.AddTicks(micros * 10));
            users.Append(1 + random.Next(200));
            var type = EventTypes[Math.Min(EventTypes.Length - 1, (int)Math.Floor(Math.Pow(random.NextDouble(), 1.7) * EventTypes.Length))];
            types.Append(type);
            if (random.Next(20) == 0)
            {
                countries.AppendNull();
            }
            else
            {
                countries.Append(Countries[random.Next(Countries.Length)]);
            }

            if (type == "purchase")
            {
                amounts.Append(Math.Round((decimal)(5 + (random.NextDouble() * 195)), 2));
            }
            else
            {
                amounts.AppendNull();
            }
        }

        return new RecordBatch(arrowSchema, [ids.Build(), times.Build(), users.Build(), types.Build(), countries.Build(), amounts.Build()], count);
    }

    /// <summary>Orders of one day, 100 to 200 of them.</summary>
    public static RecordBatch Orders(int dayIndex, Apache.Arrow.Schema arrowSchema)
    {
        var random = new Random(5000 + dayIndex);
        var count = 100 + random.Next(100);
        var date = FirstDay.AddDays(dayIndex);

        var ids = new Int64Array.Builder();
        var dates = new Date32Array.Builder();
        var customers = new StringArray.Builder();
        var statuses = new StringArray.Builder();
        var totals = new Decimal128Array.Builder((Decimal128Type)arrowSchema.GetFieldByName("total").DataType);
        for (var i = 0; i < count; i++)
        {
            ids.Append(((long)dayIndex * 10_000) + i);
            dates.Append(date.ToDateTime(TimeOnly.MinValue));
            customers.Append($"customer-{1 + random.Next(50):D3}");
            statuses.Append(random.Next(10) == 0 ? "returned" : "shipped");
            totals.Append(Math.Round((decimal)(10 + (random.NextDouble() * 990)), 2));
        }

        return new RecordBatch(arrowSchema, [ids.Build(), dates.Build(), customers.Build(), statuses.Build(), totals.Build()], count);
    }
}
