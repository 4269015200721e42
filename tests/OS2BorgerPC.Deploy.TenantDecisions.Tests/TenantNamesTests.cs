using System.Text.RegularExpressions;
using OS2BorgerPC.Deploy.TenantDecisions.Municipalities;
using OS2BorgerPC.Deploy.TenantDecisions.Naming;

namespace OS2BorgerPC.Deploy.TenantDecisions.Tests;

/// <summary>Derived names must fit every platform's rules, for every municipality, and never collide.</summary>
public sealed partial class TenantNamesTests
{
    private const string FleetId = "os2borgerpc";
    private const string LongestSlug = "a2345678-0123456789-1234567890";

    /// <summary>Every municipality's slug, plus the longest slug the kit allows.</summary>
    public static TheoryData<string> Slugs()
    {
        var data = new TheoryData<string>(MunicipalityRegister.All.Select(m => m.Slug));
        data.Add(LongestSlug);
        return data;
    }

    [Theory]
    [MemberData(nameof(Slugs))]
    public void Every_name_fits_its_platform(string slug)
    {
        var names = TenantNames.For(slug, FleetId);

        names.Namespace.ShouldMatch(Dns1123Label().ToString());
        names.Namespace.Length.ShouldBeLessThanOrEqualTo(63);
        names.ResourceGroup.ShouldMatch(@"^[-\w._()]*[-\w_()]$");
        names.ResourceGroup.Length.ShouldBeLessThanOrEqualTo(90);
        names.PostgresServer.ShouldMatch(Dns1123Label().ToString());
        names.PostgresServer.Length.ShouldBeInRange(3, 63);
        names.StorageAccount.ShouldMatch("^[a-z0-9]{3,24}$");
        foreach (var share in new[] { names.MediaShare, names.BackupShare })
        {
            share.ShouldMatch(Dns1123Label().ToString());
            share.ShouldNotContain("--");
            share.Length.ShouldBeInRange(3, 63);
        }
        names.Labels[TenantNames.TenantLabel].ShouldMatch(Dns1123Label().ToString());
    }

    [Fact]
    public void The_longest_slug_is_a_valid_slug()
    {
        LongestSlug.Length.ShouldBe(Slug.MaxLength);
        Slug.IsValid(LongestSlug).ShouldBeTrue();
        Slug.IsValid(LongestSlug + "1").ShouldBeFalse();
    }

    [Fact]
    public void Names_are_deterministic()
    {
        // Changing how a name is derived renames (that is: replaces) a live database, so the names are pinned.
        var names = TenantNames.For("aarhus", FleetId);

        names.ShouldSatisfyAllConditions(
            () => names.Namespace.ShouldBe("os2borgerpc-aarhus"),
            () => names.ResourceGroup.ShouldBe("rg-os2borgerpc-aarhus"),
            // The first six hex digits of SHA-256("os2borgerpc/aarhus"): the same on every machine and run.
            () => names.PostgresServer.ShouldBe("psql-os2bpc-aarhus-51287a"),
            () => names.StorageAccount.ShouldBe("os2bpcaarhus51287a"),
            () => names.MediaShare.ShouldBe("aarhus-media"),
            () => names.BackupShare.ShouldBe("aarhus-backups"));
        AllNames(TenantNames.For("aarhus", FleetId)).ShouldBe(AllNames(names));
    }

    [Fact]
    public void No_two_municipalities_share_any_name()
    {
        var names = MunicipalityRegister.All.Select(m => AllNames(TenantNames.For(m.Slug, FleetId))).ToList();

        for (var i = 0; i < names[0].Length; i++)
        {
            var column = names.Select(n => n[i]).ToList();
            column.ShouldBeUnique();
        }
    }

    [Fact]
    public void Another_fleet_gets_other_globally_unique_names_only()
    {
        var ours = TenantNames.For("aarhus", FleetId);
        var theirs = TenantNames.For("aarhus", "other-supplier");

        theirs.PostgresServer.ShouldNotBe(ours.PostgresServer);
        theirs.StorageAccount.ShouldNotBe(ours.StorageAccount);
        // Names scoped to a cluster or subscription stay readable and unchanged.
        theirs.Namespace.ShouldBe(ours.Namespace);
        theirs.ResourceGroup.ShouldBe(ours.ResourceGroup);
        theirs.MediaShare.ShouldBe(ours.MediaShare);
    }

    private static string[] AllNames(TenantNames n) =>
        [n.Namespace, n.ResourceGroup, n.PostgresServer, n.StorageAccount, n.MediaShare, n.BackupShare];

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Dns1123Label();
}
