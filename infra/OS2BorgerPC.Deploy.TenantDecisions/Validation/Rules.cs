using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Cronos;

namespace OS2BorgerPC.Deploy.TenantDecisions.Validation;

/// <summary>The shape rules of single values. Each returns true when the value is acceptable.</summary>
public static partial class Rules
{
    public static bool IsHostName(string host) => host.Length <= 253 && HostName().IsMatch(host);

    public static bool IsEmail(string email) => Email().IsMatch(email);

    /// <summary>Exactly X.Y.Z, digits only.</summary>
    public static bool TryParseVersion(string text, out Version version)
    {
        version = new Version(0, 0, 0);
        var match = ExactVersion().Match(text);
        if (!match.Success)
        {
            return false;
        }
        version = new Version(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture),
            int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture),
            int.Parse(match.Groups[3].Value, CultureInfo.InvariantCulture));
        return true;
    }

    public static bool IsCommit(string commit) => Commit().IsMatch(commit);

    public static bool IsGitTag(string tag) => GitTag().IsMatch(tag);

    /// <summary>A Kubernetes object name (DNS-1123 subdomain).</summary>
    public static bool IsKubernetesName(string name) => name.Length <= 253 && KubernetesName().IsMatch(name);

    /// <summary>A label key: an optional DNS subdomain prefix and '/', then a name of at most 63 characters.</summary>
    public static bool IsLabelKey(string key) => key.Split('/') switch
    {
        [var name] => IsLabelValue(name) && name.Length > 0,
        [var prefix, var name] => IsKubernetesName(prefix) && IsLabelValue(name) && name.Length > 0,
        _ => false,
    };

    /// <summary>A label value: at most 63 alphanumerics, '-', '_' or '.', beginning and ending alphanumeric.</summary>
    public static bool IsLabelValue(string value) => value.Length <= 63 && LabelValue().IsMatch(value);

    /// <summary>A network in CIDR notation with its host bits zero, e.g. 10.20.0.0/16.</summary>
    public static bool TryParseCidr(string text, out IPNetwork network)
    {
        network = default;
        // IPNetwork.TryParse masks host bits away (10.20.0.1/16 -> 10.20.0.0/16); such a range is a typo, not a network.
        return text.Contains('/') && IPNetwork.TryParse(text, out network)
            && IPAddress.TryParse(text[..text.IndexOf('/')], out var address) && address.Equals(network.BaseAddress);
    }

    /// <summary>Whether two networks share an address (of the same family: an IPv4 and an IPv6 network never do).</summary>
    public static bool Overlaps(IPNetwork a, IPNetwork b) => a.Contains(b.BaseAddress) || b.Contains(a.BaseAddress);

    /// <summary>A single address or a CIDR; a single address becomes a /32 (or /128).</summary>
    public static bool TryParseAddressOrCidr(string text, out IPNetwork network)
    {
        if (TryParseCidr(text, out network))
        {
            return true;
        }
        if (!text.Contains('/') && IPAddress.TryParse(text, out var address))
        {
            network = new IPNetwork(address, address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128);
            return true;
        }
        return false;
    }

    /// <summary>A standard five-field cron expression, as Kubernetes CronJobs take it.</summary>
    public static bool IsCron(string schedule) =>
        CronExpression.TryParse(schedule, CronFormat.Standard, out _) && schedule.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == 5;

    public static bool IsTimeZone(string zone) => zone.Contains('/') && TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _);

    public static bool IsLanguageCode(string code) => LanguageCode().IsMatch(code);

    public static bool IsAzureLocation(string location) => AzureLocation().IsMatch(location);

    public static bool IsSubnetId(string id) => SubnetId().IsMatch(id);

    public static bool IsPostgresPrivateDnsZoneId(string id) => PostgresDnsZoneId().IsMatch(id);

    /// <summary>organization/os2borgerpc-platform/&lt;stack&gt;, as a StackReference names a stack of another project.</summary>
    public static bool IsPlatformStackReference(string name) => PlatformStackReference().IsMatch(name);

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}/os2borgerpc-platform/[A-Za-z0-9_.-]{1,100}$")]
    private static partial Regex PlatformStackReference();

    [GeneratedRegex(@"^([A-Za-z0-9]([A-Za-z0-9_.-]*[A-Za-z0-9])?)?$")]
    private static partial Regex LabelValue();

    [GeneratedRegex(@"^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$")]
    private static partial Regex HostName();

    [GeneratedRegex(@"^[^@\s]+@[a-z0-9-]+(\.[a-z0-9-]+)+$", RegexOptions.IgnoreCase)]
    private static partial Regex Email();

    [GeneratedRegex(@"^(0|[1-9][0-9]{0,3})\.(0|[1-9][0-9]{0,3})\.(0|[1-9][0-9]{0,3})$")]
    private static partial Regex ExactVersion();

    [GeneratedRegex("^[0-9a-f]{40}$")]
    private static partial Regex Commit();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._/-]{0,127}$")]
    private static partial Regex GitTag();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex KubernetesName();

    [GeneratedRegex("^[a-z]{2}(-[a-z]{2})?$")]
    private static partial Regex LanguageCode();

    [GeneratedRegex("^[a-z][a-z0-9]{2,39}$")]
    private static partial Regex AzureLocation();

    [GeneratedRegex("^/subscriptions/[0-9a-fA-F-]{36}/resourceGroups/[^/]+/providers/Microsoft\\.Network/virtualNetworks/[^/]+/subnets/[^/]+$", RegexOptions.IgnoreCase)]
    private static partial Regex SubnetId();

    [GeneratedRegex("^/subscriptions/[0-9a-fA-F-]{36}/resourceGroups/[^/]+/providers/Microsoft\\.Network/privateDnsZones/[^/]+\\.postgres\\.database\\.azure\\.com$", RegexOptions.IgnoreCase)]
    private static partial Regex PostgresDnsZoneId();
}
