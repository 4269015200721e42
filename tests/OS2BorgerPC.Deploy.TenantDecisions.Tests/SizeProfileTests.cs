using OS2BorgerPC.Deploy.TenantDecisions.Model;

namespace OS2BorgerPC.Deploy.TenantDecisions.Tests;

public sealed class SizeProfileTests
{
    public static TheoryData<SizeTier> Tiers() => new(Enum.GetValues<SizeTier>());

    [Theory]
    [MemberData(nameof(Tiers))]
    public void No_request_exceeds_its_limit(SizeTier tier)
    {
        var p = SizeProfile.For(tier);
        foreach (var budget in new[] { p.AdminSite, p.MediaServer, p.Database, p.Job })
        {
            budget.CpuRequestMilli.ShouldBeLessThanOrEqualTo(budget.CpuLimitMilli);
            budget.MemoryRequestMiB.ShouldBeLessThanOrEqualTo(budget.MemoryLimitMiB);
        }
    }

    [Theory]
    [InlineData(SizeTier.Small, SizeTier.Medium)]
    [InlineData(SizeTier.Medium, SizeTier.Large)]
    public void A_bigger_tier_gets_more_of_everything(SizeTier smaller, SizeTier bigger)
    {
        var (s, b) = (SizeProfile.For(smaller), SizeProfile.For(bigger));

        var (sq, bq) = (TenantQuota.LongRunning(s, Hosting.Kubernetes).Compute, TenantQuota.LongRunning(b, Hosting.Kubernetes).Compute);
        bq.CpuRequestMilli.ShouldBeGreaterThan(sq.CpuRequestMilli);
        bq.CpuLimitMilli.ShouldBeGreaterThan(sq.CpuLimitMilli);
        bq.MemoryRequestMiB.ShouldBeGreaterThan(sq.MemoryRequestMiB);
        bq.MemoryLimitMiB.ShouldBeGreaterThan(sq.MemoryLimitMiB);
        TenantQuota.Storage(b, Hosting.Kubernetes, false).StorageGiB.ShouldBeGreaterThan(TenantQuota.Storage(s, Hosting.Kubernetes, false).StorageGiB);
        b.DatabaseInstances.ShouldBeGreaterThan(s.DatabaseInstances);
        b.GunicornWorkers.ShouldBeGreaterThan(s.GunicornWorkers);
        b.AzureDatabase.StorageMb.ShouldBeGreaterThan(s.AzureDatabase.StorageMb);
    }

    [Fact]
    public void An_unknown_tier_is_refused() =>
        Should.Throw<ArgumentOutOfRangeException>(() => SizeProfile.For((SizeTier)42));

    [Theory]
    [InlineData(1500, "1500m")]
    [InlineData(250, "250m")]
    [InlineData(1000, "1")]
    [InlineData(2000, "2")]
    public void Cpu_is_whole_cores_or_millicores(int milli, string quantity) => Quantities.Cpu(milli).ShouldBe(quantity);

    [Theory]
    [InlineData(1536, "1536Mi")]
    [InlineData(768, "768Mi")]
    [InlineData(1024, "1Gi")]
    [InlineData(2048, "2Gi")]
    public void Memory_is_whole_gibibytes_or_mebibytes(int mib, string quantity) => Quantities.Memory(mib).ShouldBe(quantity);

    [Fact]
    public void Storage_is_in_gibibytes() => Quantities.Storage(10).ShouldBe("10Gi");
}
