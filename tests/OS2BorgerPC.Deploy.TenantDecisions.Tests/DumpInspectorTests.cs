using System.Text;
using OS2BorgerPC.Deploy.Testing;
using OS2BorgerPC.Deploy.TenantDecisions.Import;

namespace OS2BorgerPC.Deploy.TenantDecisions.Tests;

/// <summary>The checks <c>tenant import</c> makes on a dump before anything is uploaded.</summary>
public sealed class DumpInspectorTests
{
    [Theory]
    [InlineData(14, 12)]
    [InlineData(15, 16)]
    [InlineData(16, 17)]
    public void A_custom_archive_is_recognised_with_the_pg_restore_it_needs(byte minor, int major)
    {
        var (kind, refusal) = DumpInspector.Identify(CustomHeader(minor), "db.dump");

        refusal.ShouldBeNull();
        kind.ShouldBe(new DumpKind(DumpFormat.Custom, new Version(1, minor, 0)));
        DumpInspector.MinimumPgRestore(kind!.ArchiveVersion!).ShouldBe(major);
    }

    [Fact]
    public void A_custom_archive_newer_than_the_kits_pg_restore_is_refused() =>
        Refused(CustomHeader(17), "newer than the kit's PostgreSQL 17 pg_restore reads").Fix.ShouldContain("plain SQL dump");

    [Fact]
    public void A_pg_dump_archive_in_another_format_is_refused() =>
        Refused(CustomHeader(14, format: 5), "not in the custom format");

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    public void A_plain_dump_is_recognised_whatever_its_line_ends(string lineEnd)
    {
        var dump = Encoding.UTF8.GetBytes(ImportInputs.PlainDump(ImportInputs.Os2History, lineEnd));

        DumpInspector.Identify(dump, "db.sql").Kind.ShouldBe(new DumpKind(DumpFormat.Plain, null));
        DumpInspector.CheckEnd(dump, "db.sql").ShouldBeNull();
    }

    [Fact]
    public void A_plain_dump_that_breaks_off_is_refused()
    {
        var dump = Encoding.UTF8.GetBytes(ImportInputs.PlainDump(ImportInputs.Os2History));

        var refusal = DumpInspector.CheckEnd(dump.AsSpan(0, dump.Length - 60), "db.sql").ShouldNotBeNull();

        refusal.Reason.ShouldContain("db.sql is incomplete");
    }

    [Fact]
    public void A_gzipped_dump_is_refused_with_how_to_unpack_it() =>
        Refused([0x1f, 0x8b, 0x08, 0x00], "gzip-compressed").Fix.ShouldContain("gunzip db.sql.gz");

    [Fact]
    public void A_tar_archive_is_refused()
    {
        var tar = new byte[512];
        "ustar"u8.CopyTo(tar.AsSpan(257));

        Refused(tar, "is a tar archive");
    }

    [Fact]
    public void A_whole_server_dump_is_refused() =>
        Refused(Encoding.UTF8.GetBytes("--\n-- PostgreSQL database cluster dump\n--\n"), "pg_dumpall").Fix.ShouldContain("pg_dump -U");

    [Theory]
    [InlineData("id;name\n1;Hovedbiblioteket\n")]
    [InlineData("")]
    [InlineData("-- PostgreSQL database dump\n")]
    public void Anything_else_is_not_a_dump(string text) =>
        Refused(Encoding.UTF8.GetBytes(text), "is not a PostgreSQL dump").Fix.ShouldContain("task backup_db");

    [Fact]
    public void The_migrations_are_read_from_their_copy_block_only()
    {
        var rows = DumpInspector.ReadMigrations(new StringReader(ImportInputs.PlainDump(ImportInputs.Os2History, "\r\n")));

        rows.ShouldBe(ImportInputs.Os2History.Select(m => new AppliedMigration(m.App, m.Name)));
    }

    [Fact]
    public void Copy_escapes_and_column_order_are_honoured()
    {
        const string Sql = "COPY django_migrations (\"name\", applied, app, id) FROM stdin;\n0001_a\\tb\t2024-01-01\tsys\\134tem\t1\n\\.\n";

        DumpInspector.ReadMigrations(new StringReader(Sql)).ShouldBe([new AppliedMigration("sys\\tem", "0001_a\tb")]);
    }

    [Fact]
    public void A_dump_without_the_table_has_no_migrations() =>
        DumpInspector.ReadMigrations(new StringReader("--\n-- PostgreSQL database dump\n--\nSET x = 1;\n")).ShouldBeEmpty();

    [Fact]
    public void Os2s_history_is_accepted()
    {
        var check = DumpInspector.CheckHistory(Applied(ImportInputs.Os2History), "db.sql");

        check.Refusal.ShouldBeNull();
        check.Notes.ShouldBe(["migration history: OS2's line, newest system migration 0088_pc_client_key_hash"]);
    }

    [Fact]
    public void The_magenta_forks_history_is_refused_with_what_to_do()
    {
        var refusal = DumpInspector.CheckHistory(Applied(ImportInputs.ForkHistory), "db.sql").Refusal.ShouldNotBeNull();

        refusal.Reason.ShouldContain("Magenta-hosted fork");
        foreach (var name in SystemMigrations.MagentaFork.Values.Concat(SystemMigrations.Os2.Values))
        {
            refusal.Reason.ShouldContain(name);
        }
        refusal.Fix.ShouldContain("Do not edit django_migrations by hand");
        refusal.Fix.ShouldContain("OS2borgerPC community");
    }

    [Fact]
    public void A_fork_name_after_os2s_own_0087_is_os2s_line()
    {
        // Django generates names from the change: OS2 may one day make the fork's 0089 change too.
        var history = ImportInputs.Os2History.Append(("system", SystemMigrations.MagentaFork[89])).ToList();

        var check = DumpInspector.CheckHistory(Applied(history), "db.sql");

        check.Refusal.ShouldBeNull();
        check.Notes.ShouldContain(note => note.Contains("newer than the kit knows: 0089_alter_wakeweekplan_sleep_state"));
    }

    [Fact]
    public void A_history_of_neither_line_is_refused()
    {
        var history = ImportInputs.Os2History.Where(m => m.Name != SystemMigrations.Os2[87]).Append(("system", "0087_alter_site_uid")).ToList();

        DumpInspector.CheckHistory(Applied(history), "db.sql").Refusal.ShouldNotBeNull().Reason.ShouldContain("neither OS2's nor the known fork's: 0087_alter_site_uid");
    }

    [Fact]
    public void A_dump_without_system_migrations_is_not_an_admin_site() =>
        DumpInspector.CheckHistory([new AppliedMigration("auth", "0001_initial")], "db.sql").Refusal.ShouldNotBeNull()
            .Reason.ShouldContain("not an OS2BorgerPC admin-site database");

    [Fact]
    public void The_two_lines_differ_in_every_number_os2_has()
    {
        SystemMigrations.Divergent.ShouldBe([87, 88, 89, 90, 91]);
        SystemMigrations.MagentaFork.Keys.ShouldBe(SystemMigrations.Divergent);
        foreach (var (number, name) in SystemMigrations.Os2)
        {
            SystemMigrations.MagentaFork[number].ShouldNotBe(name);
            SystemMigrations.Number(name).ShouldBe(number);
        }
        SystemMigrations.Number(SystemMigrations.LastShared).ShouldBe(86);
    }

    private static Refusal Refused(byte[] head, string says)
    {
        var (kind, refusal) = DumpInspector.Identify(head, "db.sql.gz");
        kind.ShouldBeNull();
        refusal.ShouldNotBeNull().Reason.ShouldContain(says);
        return refusal;
    }

    /// <summary>pg_dump's custom header: PGDMP, version 1.minor.0, int and offset sizes, format.</summary>
    private static byte[] CustomHeader(byte minor, byte format = 1) => [.. "PGDMP"u8, 1, minor, 0, 4, 8, format, 0, 0, 0];

    private static List<AppliedMigration> Applied(IEnumerable<(string App, string Name)> history) =>
        [.. history.Select(m => new AppliedMigration(m.App, m.Name))];
}
