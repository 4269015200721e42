using OS2BorgerPC.Deploy.TenantDecisions.Backup;
using OS2BorgerPC.Deploy.TenantDecisions.Model;

namespace OS2BorgerPC.Deploy.TenantDecisions.Tests;

public sealed class RecoveryObjectivesTests
{
    [Fact]
    public void A_kubernetes_tenant_loses_at_most_the_archive_timeout_and_one_upload_an_azure_one_what_Microsoft_states()
    {
        // The timeout the kit sets is CloudNativePG's default too (cloudnative-pg v1.30.0 pkg/postgres/configuration.go:
        // CnpgConfigurationSettings "archive_timeout": "5min"); the kit sets it explicitly so the objective does not move with the operator.
        RecoveryObjectives.ArchiveTimeoutValue.ShouldBe("5min");
        foreach (var tier in Enum.GetValues<SizeTier>())
        {
            RecoveryObjectives.For(Hosting.Kubernetes, tier).PointObjective.ShouldBe(TimeSpan.FromMinutes(6));
            // Azure's flexible server: "In general, the delay RPO (recovery point objective) can be up to 5 minutes"
            // (https://learn.microsoft.com/azure/postgresql/backup-restore/concepts-backup-restore, "Backup frequency";
            // MicrosoftDocs/azure-databases-docs articles/postgresql/backup-restore/concepts-backup-restore.md, ms.date 11/28/2024).
            RecoveryObjectives.For(Hosting.Azure, tier).PointObjective.ShouldBe(TimeSpan.FromMinutes(5));
        }
    }

    [Theory]
    [InlineData(SizeTier.Small, 60)]
    [InlineData(SizeTier.Medium, 120)]
    [InlineData(SizeTier.Large, 240)]
    public void A_full_restore_has_a_time_objective_per_tier_whatever_the_hosting(SizeTier tier, int minutes)
    {
        RecoveryObjectives.For(Hosting.Kubernetes, tier).TimeObjective.ShouldBe(TimeSpan.FromMinutes(minutes));
        RecoveryObjectives.For(Hosting.Azure, tier).TimeObjective.ShouldBe(TimeSpan.FromMinutes(minutes));
    }

    [Fact]
    public void The_estimated_restore_loads_the_full_database_volume_and_fetches_the_full_media_volume_plus_the_overhead()
    {
        // Small: 10 GiB database at 10 MiB/s (1024 s) and 10 GiB media at 20 MiB/s (512 s), plus 5 minutes.
        var estimate = RecoveryObjectives.EstimatedRestore(SizeProfile.For(SizeTier.Small), 10 * 1048576.0, 20 * 1048576.0);

        estimate.ShouldBe(TimeSpan.FromSeconds(1024 + 512) + TimeSpan.FromMinutes(5));
        Should.Throw<ArgumentOutOfRangeException>(() => RecoveryObjectives.EstimatedRestore(SizeProfile.For(SizeTier.Small), 0, 1));
    }

    [Fact]
    public void The_point_loss_is_the_timeout_plus_the_measured_copy() =>
        RecoveryObjectives.EstimatedPointLoss(TimeSpan.FromSeconds(2)).ShouldBe(TimeSpan.FromSeconds(302));
}
