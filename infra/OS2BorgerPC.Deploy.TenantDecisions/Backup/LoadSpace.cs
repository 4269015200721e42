namespace OS2BorgerPC.Deploy.TenantDecisions.Backup;

/// <summary>
/// Whether an in-place restore's load fits the database volume. The load writes a second copy of the data beside
/// the renamed schema, in one transaction, and PostgreSQL writes the same again as WAL, which shares the volume
/// (CloudNativePG without walStorage) and stops the database when it fills it. So the load needs the plain SQL's
/// size (an upper bound of the rows it loads) twice, plus headroom for indexes and the WAL of the running app.
/// templates/restore-database.sh applies it to the SQL it wrote, against the volume's free bytes the CLI read before
/// the restore (<c>df</c> in the primary's pod), and says by how many GiB to grow the volume where it does not fit.
/// </summary>
public static class LoadSpace
{
    /// <summary>The data, and as much again as WAL until it is archived and recycled.</summary>
    public const int Factor = 2;

    public const long HeadroomBytes = 1L << 30;

    /// <summary>Where CloudNativePG mounts an instance's data volume (PGDATA is its pgdata folder).</summary>
    public const string DataVolumePath = "/var/lib/postgresql/data";
}
