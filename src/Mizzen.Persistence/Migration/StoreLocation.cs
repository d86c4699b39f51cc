using Npgsql;

namespace Mizzen.Persistence.Migration;

/// <summary>Which backend a store lives in.</summary>
public enum StoreBackend
{
    Sqlite,
    Postgres,
}

/// <summary>
/// One end of a store migration, written <c>sqlite:PATH</c> (the data folder, or the <c>mizzen.db</c> file in it) or
/// <c>postgres:CONNECTION</c> (an Npgsql connection string). <see cref="ToString"/> never shows a password, so a location can be
/// printed and logged.
/// </summary>
public sealed record StoreLocation(StoreBackend Backend, string Value)
{
    public const string AcceptedForms = "sqlite:PATH (the data folder or its mizzen.db) or postgres:CONNECTION (e.g. postgres:Host=db;Database=mizzen;Username=mizzen)";

    /// <summary>For SQLite: the data folder that holds <c>mizzen.db</c> and <c>mizzen.lock</c>.</summary>
    public string DataFolder => Backend == StoreBackend.Sqlite
        ? Path.GetFileName(Value) == "mizzen.db" && !Directory.Exists(Value) ? Path.GetDirectoryName(Path.GetFullPath(Value))! : Path.GetFullPath(Value)
        : throw new InvalidOperationException("a PostgreSQL store has no data folder");

    /// <summary>Parses <paramref name="text"/>; <paramref name="argument"/> (e.g. <c>--from</c>) names it in the error.</summary>
    public static StoreLocation Parse(string argument, string? text)
    {
        var value = text?.Trim() ?? "";
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        var scheme = colon > 0 ? value[..colon].ToLowerInvariant() : "";
        var rest = colon > 0 ? value[(colon + 1)..].Trim() : "";
        switch (scheme)
        {
            case "sqlite" when rest.Length > 0:
                return new StoreLocation(StoreBackend.Sqlite, rest);
            case "postgres" or "postgresql" when rest.Length > 0:
                try
                {
                    var builder = new NpgsqlConnectionStringBuilder(rest);
                    if (string.IsNullOrEmpty(builder.Host))
                    {
                        throw new StoreMigrationException($"{argument}: the PostgreSQL connection string names no Host; expected {AcceptedForms}");
                    }
                }
                catch (ArgumentException e)
                {
                    throw new StoreMigrationException($"{argument}: not a PostgreSQL connection string ({e.Message.TrimEnd('.')}); expected {AcceptedForms}");
                }

                return new StoreLocation(StoreBackend.Postgres, rest);
            default:
                throw new StoreMigrationException($"{argument}: '{value}' is not a store; expected {AcceptedForms}");
        }
    }

    /// <summary><c>sqlite:/data/.mizzen</c> or <c>postgres:db:5432/mizzen</c>: no user, no password.</summary>
    public override string ToString()
    {
        if (Backend == StoreBackend.Sqlite)
        {
            return $"sqlite:{Value}";
        }

        var builder = new NpgsqlConnectionStringBuilder(Value);
        return $"postgres:{builder.Host}:{builder.Port}/{builder.Database ?? builder.Username}";
    }
}
