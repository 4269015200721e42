using OS2BorgerPC.Deploy.PlatformDecisions.Model;

namespace OS2BorgerPC.Deploy.PlatformDecisions.Decisions;

/// <summary>
/// When AKS may upgrade the cluster (the auto-upgrade channel) and the nodes' OS image (the node OS channel): weekly,
/// at night, apart from each other, so a failed pass of one never runs into the other and both are over by morning.
/// </summary>
public static class AksMaintenance
{
    public const string Frequency = "Weekly";

    public const int Interval = 1;

    /// <summary>
    /// Danish standard time. AKS takes a fixed offset, not a time zone (azurerm v4.80.0 kubernetes_cluster_resource.go
    /// <c>utc_offset</c>), so under summer time a window starts an hour later by the clock (01:00 becomes 02:00).
    /// </summary>
    public const string UtcOffset = "+01:00";

    /// <summary>azurerm v4.80.0 kubernetes_cluster_resource.go: <c>duration</c> is IntBetween(4, 24) hours in both blocks.</summary>
    public const int MinHours = 4;

    public const int MaxHours = 24;

    public static readonly MaintenanceWindow DefaultAutoUpgrade = new(DayOfWeek.Sunday, new TimeOnly(1, 0), MinHours);

    public static readonly MaintenanceWindow DefaultNodeOs = new(DayOfWeek.Saturday, new TimeOnly(1, 0), MinHours);

    /// <summary>HH:mm, as the provider's <c>start_time</c> takes it.</summary>
    public static string StartTime(MaintenanceWindow window) => window.Start.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture);
}
