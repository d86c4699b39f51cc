using System.Globalization;
using Mizzen.Core.Errors;
using Npgsql;
using NpgsqlTypes;

namespace Mizzen.Persistence.Migration;

/// <summary>
/// Writes a SQLite value into a PostgreSQL column of the type the target schema gave it. SQLite stores text, integers (times
/// are Unix milliseconds) and blobs; the target may hold the same as text, jsonb, bigint, integer, timestamptz or bytea.
/// </summary>
internal static class PostgresColumnValues
{
    public static async Task WriteAsync(
        NpgsqlBinaryImporter importer, object value, string type, string table, string column, CancellationToken cancellationToken)
    {
        if (value is DBNull or null)
        {
            await importer.WriteNullAsync(cancellationToken);
            return;
        }

        try
        {
            switch (type)
            {
                case "text" or "character varying":
                    await importer.WriteAsync(Convert.ToString(value, CultureInfo.InvariantCulture)!, NpgsqlDbType.Text, cancellationToken);
                    break;
                case "jsonb":
                    await importer.WriteAsync((string)value, NpgsqlDbType.Jsonb, cancellationToken);
                    break;
                case "json":
                    await importer.WriteAsync((string)value, NpgsqlDbType.Json, cancellationToken);
                    break;
                case "bigint":
                    await importer.WriteAsync(Convert.ToInt64(value, CultureInfo.InvariantCulture), NpgsqlDbType.Bigint, cancellationToken);
                    break;
                case "integer":
                    await importer.WriteAsync(Convert.ToInt32(value, CultureInfo.InvariantCulture), NpgsqlDbType.Integer, cancellationToken);
                    break;
                case "smallint":
                    await importer.WriteAsync(Convert.ToInt16(value, CultureInfo.InvariantCulture), NpgsqlDbType.Smallint, cancellationToken);
                    break;
                case "boolean":
                    await importer.WriteAsync(Convert.ToInt64(value, CultureInfo.InvariantCulture) != 0, NpgsqlDbType.Boolean, cancellationToken);
                    break;
                case "timestamp with time zone":
                    var instant = DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(value, CultureInfo.InvariantCulture)).UtcDateTime;
                    await importer.WriteAsync(instant, NpgsqlDbType.TimestampTz, cancellationToken);
                    break;
                case "double precision":
                    await importer.WriteAsync(Convert.ToDouble(value, CultureInfo.InvariantCulture), NpgsqlDbType.Double, cancellationToken);
                    break;
                case "bytea":
                    await importer.WriteAsync((byte[])value, NpgsqlDbType.Bytea, cancellationToken);
                    break;
                default:
                    throw new StoreMigrationException($"--to: {table}.{column} has type {type}, which a migration cannot fill from SQLite", ErrorKind.Conflict);
            }
        }
        catch (Exception e) when (e is InvalidCastException or FormatException or OverflowException or ArgumentOutOfRangeException)
        {
            throw new StoreMigrationException(
                $"--from: {table}.{column} holds a value ({value.GetType().Name}) that the target's {type} column cannot take: {e.Message}", ErrorKind.Conflict, e);
        }
    }
}
