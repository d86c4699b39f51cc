using Npgsql;

namespace Mizzen.Persistence.Postgres;

/// <summary>Statements with positional parameters (<c>$1</c>, <c>$2</c> ...); null binds SQL NULL.</summary>
internal static class PostgresSql
{
    public static NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, params object?[] values)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var value in values)
        {
            command.Parameters.Add(Parameter(value));
        }

        return command;
    }

    public static NpgsqlBatchCommand Statement(string sql, params object?[] values)
    {
        var statement = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            statement.Parameters.Add(Parameter(value));
        }

        return statement;
    }

    /// <summary>The PostgreSQL error code of a unique-index violation.</summary>
    public static bool IsUniqueViolation(Exception e) => e is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    private static NpgsqlParameter Parameter(object? value) => new() { Value = value ?? DBNull.Value };
}
