using System.Text;
using Npgsql;

namespace Mizzen.Persistence.Postgres;

/// <summary>
/// Session advisory lock keys of the coordination: a class (node identity or a leader lock) and a stable 32-bit hash of the
/// name (FNV-1a of its UTF-8 bytes; <see cref="string.GetHashCode()"/> differs per process). Advisory locks are per database,
/// so clusters on other databases of the same server never contend.
/// </summary>
internal static class PostgresAdvisoryKeys
{
    public const int Identity = 0x4D5A_0001;
    public const int Leader = 0x4D5A_0002;

    public static int Hash(string name)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(name))
        {
            hash = (hash ^ b) * 16777619u;
        }

        return unchecked((int)hash);
    }

    /// <summary>Takes the lock for this session if it is free (or already this session's); false when another session holds it.</summary>
    public static async Task<bool> TryLockAsync(NpgsqlConnection connection, int kind, string name, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock($1, $2)", connection);
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = kind });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = Hash(name) });
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public static async Task UnlockAsync(NpgsqlConnection connection, int kind, string name, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock($1, $2)", connection);
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = kind });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = Hash(name) });
        await command.ExecuteScalarAsync(cancellationToken);
    }
}
