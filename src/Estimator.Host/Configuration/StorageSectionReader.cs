namespace Estimator.Host.Configuration;

/// <summary>Reads <c>storage</c>: Hangfire's job storage, in memory or PostgreSQL with its connection string.</summary>
internal sealed class StorageSectionReader(ConfigNodes nodes)
{
    private static readonly string[] StorageKeys = ["kind", "connection", "connection_env", "invisibility_timeout_seconds"];

    /// <summary>The storage, or null when the section has problems.</summary>
    public HangfireStorageConfig? Read(YamlNode node)
    {
        var map = nodes.Mapping(node, "storage", StorageKeys);
        if (map is null)
        {
            return null;
        }

        var kindNode = ConfigNodes.Get(map, "kind");
        if (kindNode is null)
        {
            nodes.Problem("storage.kind", map.Start, "missing: inmemory or postgres");
            return null;
        }

        var kind = nodes.Choice(kindNode, "storage.kind", "expected inmemory or postgres",
            ("INMEMORY", HangfireStorageKind.InMemory), ("MEMORY", HangfireStorageKind.InMemory),
            ("POSTGRES", HangfireStorageKind.Postgres), ("POSTGRESQL", HangfireStorageKind.Postgres));
        var connection = nodes.Secret(map, "connection", "connection_env", "storage");
        var hasConnection = ConfigNodes.Get(map, "connection") is not null || ConfigNodes.Get(map, "connection_env") is not null;
        if (kind == HangfireStorageKind.Postgres && connection is null && !hasConnection)
        {
            nodes.Problem("storage.connection", map.Start, "missing: postgres storage needs a connection string (connection, or connection_env naming an environment variable)");
        }

        if (kind == HangfireStorageKind.InMemory && hasConnection)
        {
            nodes.Problem("storage.connection", map.Start, "only postgres storage takes a connection string");
        }

        var invisibilityNode = ConfigNodes.Get(map, "invisibility_timeout_seconds");
        var invisibility = invisibilityNode is null ? null : nodes.PositiveInt(invisibilityNode, "storage.invisibility_timeout_seconds");
        if (kind == HangfireStorageKind.InMemory && invisibilityNode is not null)
        {
            nodes.Problem("storage.invisibility_timeout_seconds", map.Start, "only postgres storage takes an invisibility timeout");
        }

        return kind switch
        {
            HangfireStorageKind.InMemory => HangfireStorageConfig.InMemory,
            HangfireStorageKind.Postgres when connection is not null => new HangfireStorageConfig(HangfireStorageKind.Postgres, connection)
            {
                InvisibilityTimeout = invisibility is int s ? TimeSpan.FromSeconds(s) : HangfireStorageConfig.DefaultInvisibilityTimeout,
            },
            _ => null,
        };
    }
}
