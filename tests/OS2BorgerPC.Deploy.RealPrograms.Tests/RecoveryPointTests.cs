using System.Diagnostics;
using System.Globalization;
using OS2BorgerPC.Deploy.RealPrograms.Tests.Support;
using OS2BorgerPC.Deploy.TenantDecisions.Backup;
using OS2BorgerPC.Deploy.TenantDecisions.Model;
using Xunit.Abstractions;

namespace OS2BorgerPC.Deploy.RealPrograms.Tests;

/// <summary>
/// The recovery point objective, measured: a real PostgreSQL archiving its WAL (archive_mode on, an archive_command
/// copying each closed segment to a folder, whole or not at all, as the Barman Cloud plugin uploads it) with a short archive_timeout; the
/// time from a committed write to its segment in the archive is the timeout plus the copy. Scaled to the kit's timeout
/// (RecoveryObjectives.ArchiveTimeout), it must stay within the kit's RPO.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class RecoveryPointTests(ITestOutputHelper log) : IDisposable
{
    private static readonly TimeSpan TestTimeout = TimeSpan.FromSeconds(2);

    private readonly DirectoryInfo archive = RealProgram.OpenToUnprivileged(Directory.CreateTempSubdirectory("os2bpc-wal-archive-"));

    public void Dispose() => archive.Delete(recursive: true);

    [Fact]
    public void A_committed_write_reaches_the_archive_within_the_archive_timeout_and_the_copy()
    {
        // PostgreSQL closes a segment holding any WAL at the latest archive_timeout after the previous switch
        // (PostgreSQL docs runtime-config-wal, archive_timeout), then runs archive_command on it.
        using var server = PostgresServer.WithSettings($"""
            archive_mode = on
            archive_timeout = '{(int)TestTimeout.TotalSeconds}s'
            archive_command = 'cp %p {archive.FullName}/%f.part && mv {archive.FullName}/%f.part {archive.FullName}/%f'
            """);
        var database = server.AsSuperuser();
        // Observed with PostgreSQL 15.18: the checkpointer, started while the server is still starting up, first sleeps
        // the whole checkpoint_timeout without the archive_timeout's cap; a reload wakes it, and from then on it applies
        // the timeout. A server that runs (the tenants') is past that first sleep.
        server.Query(database, "SELECT pg_reload_conf()");
        server.Query(database, "CREATE TABLE drill (id serial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now())");
        // The worst case: a write just after a segment switch waits the whole timeout, then its segment's copy. The clock
        // starts at a switch (pg_walfile_name of a segment's end names that segment: PostgreSQL docs functions-admin).
        var clock = Stopwatch.StartNew();
        var previous = server.Query(database, "SELECT pg_walfile_name(pg_switch_wal())");
        server.Query(database, "INSERT INTO drill DEFAULT VALUES");
        var segment = LastSegment(server, database);
        segment.ShouldNotBe(previous);
        var archived = WaitForArchive(segment, TestTimeout + TimeSpan.FromSeconds(20));
        clock.Stop();

        File.ReadAllBytes(archived).Length.ShouldBe(16 * 1024 * 1024);
        clock.Elapsed.ShouldBeGreaterThanOrEqualTo(TestTimeout - TimeSpan.FromSeconds(1), "the segment was closed by the timeout, not earlier");
        // Everything beyond the test's timeout is the switch's and the copy's own time: it adds to the kit's timeout.
        var copy = clock.Elapsed - TestTimeout > TimeSpan.Zero ? clock.Elapsed - TestTimeout : TimeSpan.Zero;
        var rpo = RecoveryObjectives.EstimatedPointLoss(copy);
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RPO drill: switch, write, archived in {clock.Elapsed.TotalSeconds:F2} s with archive_timeout {TestTimeout.TotalSeconds:F0} s; copy {copy.TotalSeconds:F2} s; with archive_timeout {RecoveryObjectives.ArchiveTimeoutValue}: {rpo.TotalSeconds:F0} s"));
        rpo.ShouldBeLessThanOrEqualTo(RecoveryObjectives.For(Hosting.Kubernetes, SizeTier.Small).PointObjective);
    }

    /// <summary>The segment holding the last WAL byte inserted (the insert position, not the write position, which may lag).</summary>
    private static string LastSegment(PostgresServer server, Connection database) =>
        server.Query(database, "SELECT pg_walfile_name(pg_current_wal_insert_lsn() - 1)");

    private string WaitForArchive(string segment, TimeSpan patience)
    {
        var path = Path.Combine(archive.FullName, segment);
        var deadline = DateTime.UtcNow + patience;
        while (!File.Exists(path) && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(20);
        }
        File.Exists(path).ShouldBeTrue($"WAL segment {segment} was not archived within {patience.TotalSeconds:F0} s");
        return path;
    }
}
