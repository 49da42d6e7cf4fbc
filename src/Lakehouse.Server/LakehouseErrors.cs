using System.Reflection;
using Grpc.Core;

namespace Lakehouse.Server;

/// <summary>An error raised by the server or the command line itself, with a stable code.</summary>
public sealed class LakehouseServerException : Exception
{
    public LakehouseServerException(string code, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Code = code;
    }

    public string Code { get; }
}

/// <summary>A failure reduced to a stable code and a one-line message.</summary>
public readonly record struct ErrorReport(string Code, string Message)
{
    /// <summary>The wire form used in gRPC status details: <c>[CODE] message</c>.</summary>
    public string ToStatusDetail() => $"[{Code}] {Message}";

    public override string ToString() => ToStatusDetail();
}

public static class LakehouseErrors
{
    public const string InternalCode = "INTERNAL_ERROR";
    public const string CancelledCode = "CANCELLED";

    /// <summary>
    /// Every layer's exception type carries a string <c>Code</c> property; reading it by reflection keeps
    /// this translation independent of which layer raised the error. Only runs on the error path.
    /// </summary>
    public static ErrorReport Describe(Exception exception)
    {
        if (exception is AggregateException { InnerExceptions.Count: 1 } aggregate)
        {
            return Describe(aggregate.InnerExceptions[0]);
        }

        if (exception is RpcException rpc)
        {
            return FromStatusDetail(rpc.Status.Detail, rpc.StatusCode);
        }

        if (exception is OperationCanceledException)
        {
            return new ErrorReport(CancelledCode, "query cancelled");
        }

        var codeProperty = exception.GetType().GetProperty("Code", BindingFlags.Public | BindingFlags.Instance);
        if (codeProperty?.PropertyType == typeof(string) && codeProperty.GetValue(exception) is string code && code.Length > 0)
        {
            return new ErrorReport(code, OneLine(exception.Message));
        }

        return new ErrorReport(InternalCode, OneLine($"{exception.GetType().Name}: {exception.Message}"));
    }

    /// <summary>Reads back a <c>[CODE] message</c> status detail; other details keep the gRPC status as code.</summary>
    public static ErrorReport FromStatusDetail(string detail, StatusCode statusCode)
    {
        if (detail.Length > 2 && detail[0] == '[')
        {
            var close = detail.IndexOf("] ", StringComparison.Ordinal);
            if (close > 1)
            {
                return new ErrorReport(detail[1..close], detail[(close + 2)..]);
            }
        }

        var code = statusCode switch
        {
            StatusCode.Unavailable => "SERVER_UNAVAILABLE",
            StatusCode.DeadlineExceeded => "TIMEOUT",
            StatusCode.Cancelled => CancelledCode,
            StatusCode.Unimplemented => "UNSUPPORTED",
            _ => "RPC_" + statusCode.ToString().ToUpperInvariant(),
        };
        return new ErrorReport(code, OneLine(detail.Length == 0 ? statusCode.ToString() : detail));
    }

    /// <summary>Errors in the statement itself are the client's fault; everything else is the server's.</summary>
    public static RpcException ToRpcException(Exception exception)
    {
        if (exception is RpcException rpc)
        {
            return rpc;
        }

        var report = Describe(exception);
        var status = exception switch
        {
            OperationCanceledException => StatusCode.Cancelled,
            _ when report.Code == InternalCode => StatusCode.Internal,
            _ => StatusCode.InvalidArgument,
        };
        return new RpcException(new Status(status, report.ToStatusDetail()));
    }

    public static string OneLine(string message)
    {
        var trimmed = message.Trim();
        return trimmed.Contains('\n') || trimmed.Contains('\r')
            ? trimmed.Replace("\r\n", " ", StringComparison.Ordinal).Replace('\n', ' ').Replace('\r', ' ')
            : trimmed;
    }
}
