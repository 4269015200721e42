using OS2BorgerPC.Deploy.TenantDecisions.Model;

namespace OS2BorgerPC.Deploy.TenantDecisions.Backup;

/// <summary>
/// Whether a restore fits the volumes it writes to, before it writes anything.
/// <para>The database volume: the load writes a second copy of the data beside the renamed schema, in one
/// transaction, and PostgreSQL writes the same again as WAL, which shares the volume (CloudNativePG without
/// walStorage) and stops the database when it fills it. So the load needs the plain SQL's size (an upper bound of
/// the rows it loads) twice, plus headroom for indexes and the WAL of the running app. templates/restore-database.sh
/// applies it to the SQL, against the volume's free bytes the CLI read before the load (<c>df</c> in the primary's pod).</para>
/// <para>The /media volume: the fetch writes the parts of the restore point it restores there (the /media part only
/// with --media, the database dump in any case; templates/restore-fetch.sh sizes them from the snapshot's files), and
/// the load then writes the plain SQL beside them (restore-database.sh measures it before writing it, against
/// <see cref="MediaHeadroomBytes"/> to spare).</para>
/// Each refusal says by how many GiB to grow the volume, and where: <see cref="GrowHint"/>.
/// </summary>
public static class LoadSpace
{
    /// <summary>The data, and as much again as WAL until it is archived and recycled.</summary>
    public const int Factor = 2;

    public const long HeadroomBytes = 1L << 30;

    /// <summary>Left free on /media after the SQL is written: the admin site is stopped while it is there, so only a little.</summary>
    public const long MediaHeadroomBytes = 256L << 20;

    /// <summary>Where CloudNativePG mounts an instance's data volume (PGDATA is its pgdata folder).</summary>
    public const string DataVolumePath = "/var/lib/postgresql/data";

    /// <summary>
    /// Where a tenant's volumes are sized: its stack file's size tier (each tier's database and /media storage), for
    /// the restore steps' refusals, which add by how many GiB.
    /// </summary>
    public static string GrowHint(Tenant tenant) =>
        $"size in stacks/Pulumi.{tenant.Slug}.yaml, now {Name(tenant.Size.Tier)} (" +
        string.Join("; ", Enum.GetValues<SizeTier>().Select(t => $"{Name(t)}: database {SizeProfile.For(t).DatabaseStorageGiB} GiB, /media {SizeProfile.For(t).MediaStorageGiB} GiB")) +
        $"), then 'pulumi up --stack {tenant.Slug}'";

    private static string Name(SizeTier tier) => tier.ToString().ToLowerInvariant();
}
