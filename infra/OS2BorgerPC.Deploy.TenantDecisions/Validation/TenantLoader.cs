using System.Collections.Immutable;
using System.Net;
using System.Text.Json.Nodes;
using OS2BorgerPC.Deploy.TenantDecisions.Configuration;
using OS2BorgerPC.Deploy.TenantDecisions.Model;
using OS2BorgerPC.Deploy.TenantDecisions.Municipalities;
using OS2BorgerPC.Deploy.TenantDecisions.Naming;
using OS2BorgerPC.Deploy.TenantDecisions.Fleet;
using static OS2BorgerPC.Deploy.TenantDecisions.Configuration.ConfigKeys;

namespace OS2BorgerPC.Deploy.TenantDecisions.Validation;

/// <summary>A tenant, or every problem that kept it from being one.</summary>
public sealed record TenantLoadResult(Tenant? Tenant, IReadOnlyList<Problem> Problems)
{
    public bool IsValid => Tenant is not null;

    /// <summary>The tenant, or an exception carrying every problem.</summary>
    public Tenant OrThrow() => Tenant ?? throw new InvalidConfigurationException(Problems);
}

/// <summary>
/// Turns one stack's config into a <see cref="Tenant"/>: reads every key, applies the fleet defaults,
/// checks every rule and collects all problems (never only the first).
/// </summary>
public sealed class TenantLoader
{
    public const string DefaultAdminUsername = "admin";
    public const int DefaultEmailPort = 587;
    public const int DefaultBodyLimitMiB = 100;
    public const int DefaultAzureBackupRetentionDays = 14;
    public const string DefaultFleetId = Namespace;

    private readonly StackConfig _config;
    private readonly List<Problem> _problems = [];
    private readonly ConfigNode _fleet;

    private TenantLoader(StackConfig config)
    {
        _config = config;
        var ours = new JsonObject(config.Values
            .Where(pair => pair.Key.StartsWith(Namespace + ":", StringComparison.Ordinal))
            .Select(pair => KeyValuePair.Create(pair.Key[(Namespace.Length + 1)..], pair.Value?.DeepClone())));
        _fleet = new ConfigNode(ours, Namespace, ":", config.FileOf, _problems);
    }

    public static TenantLoadResult Load(StackConfig config) => new TenantLoader(config).Load();

    /// <summary>A stack file as <see cref="ProjectWorkspace"/> read it: the tenant, or why the file could not be read.</summary>
    public static TenantLoadResult Load((StackConfig? Config, Problem? Problem) read) =>
        read.Config is { } config ? Load(config) : new TenantLoadResult(null, [read.Problem!]);

    private TenantLoadResult Load()
    {
        if (!_config.Has(TenantKey))
        {
            _problems.Add(new Problem(_config.StackFile, Qualified(TenantKey), "is missing: this stack file describes no tenant.",
                "Create the stack file with 'tenant new', which writes a complete os2borgerpc:tenant section."));
            return new TenantLoadResult(null, _problems);
        }
        var t = _fleet.Child(TenantKey);
        var fleetId = _fleet.Text(FleetDefaults.FleetId) ?? DefaultFleetId;
        if (!Slug.IsValid(fleetId))
        {
            _fleet.Report(FleetDefaults.FleetId, $"'{fleetId}' is not a valid fleet id.", $"Use {Slug.Rule}; it goes into globally unique Azure names.");
        }

        var slug = t.Text("slug", $"Set slug: {_config.StackName} (the stack name).");
        if (slug is not null && !Slug.IsValid(slug))
        {
            t.Report("slug", $"'{slug}' is not a valid slug.", $"Use {Slug.Rule}.");
        }
        else if (slug is not null && slug != _config.StackName)
        {
            t.Report("slug", $"'{slug}' differs from the stack name '{_config.StackName}'.",
                $"Set slug: {_config.StackName}, or rename the file to Pulumi.{slug}.yaml.");
        }

        var displayName = t.Text("displayName", "Set displayName to the tenant's name, e.g. \"Aarhus Kommune\".");
        if (displayName is not null && (displayName.Length > 100 || displayName.Any(char.IsControl)))
        {
            t.Report("displayName", "must be a single line of at most 100 characters.", "Write the tenant's name only, e.g. \"Aarhus Kommune\".");
        }
        var codes = MunicipalityCodes(t);
        var host = HostName(t, slug);
        var hosting = Choice<Hosting>(t, "hosting", required: true);
        var size = Choice<SizeTier>(t, "size", required: false) ?? SizeTier.Small;
        var ring = Choice<RolloutRing>(t, "ring", required: false) ?? RolloutRing.Broad;
        var release = Release(t.Child("adminSite"));
        var admin = Admin(t.Child("admin"));
        var (ranges, isPublic) = Clients(t);
        var backup = Backup(t.Child("backup"), slug);
        var email = Email(t);
        var timeZone = Pick(t, "timeZone", FleetDefaults.TimeZone);
        if (timeZone.Value is not null && !Rules.IsTimeZone(timeZone.Value))
        {
            timeZone.Report($"'{timeZone.Value}' is not a known IANA time zone.", "Use a zone such as Europe/Copenhagen.");
        }
        var language = Pick(t, "language", FleetDefaults.Language);
        if (language.Value is not null && !Rules.IsLanguageCode(language.Value))
        {
            language.Report($"'{language.Value}' is not a language code.", "Use a lowercase code such as da-dk.");
        }
        var gateway = Gateway(t.Child("gateway"));
        if (t.Has("ingress"))
        {
            t.Report("ingress", "is no longer read: tenants are served through the platform's shared Gateway (Gateway API), not an ingress-nginx Ingress.",
                $"Remove {t.KeyOf("ingress")}; a body limit moves to {t.KeyOf("gateway")}.bodyLimitMiB, the certificate issuer to {t.KeyOf("gateway")}.certificate (platform, http01, staging or dns01).");
        }
        var cluster = Cluster(t.Child("cluster"));
        var azure = Azure(t, hosting);
        var platform = Platform(t.Child("platform"));
        var smokeCheck = t.Flag("smokeCheck") ?? true;
        var retiredBackupsClaim = RetiredBackupsClaim(t.Child("storage"), hosting);
        var status = StatusThresholds.From(_fleet);

        t.ReportUnknownKeys();
        // Fleet defaults are read only where a tenant lacks its own value; all of them are known keys.
        _fleet.MarkKnown(ConfigKeys.All);
        _fleet.ReportUnknownKeys();

        if (_problems.Count > 0 || slug is null || displayName is null || host is null || hosting is null
            || release is null || admin is null || backup is null
            || timeZone.Value is null || language.Value is null || platform is null)
        {
            return new TenantLoadResult(null, _problems);
        }

        return new TenantLoadResult(new Tenant
        {
            Slug = slug,
            DisplayName = displayName,
            MunicipalityCodes = codes,
            Host = host,
            Hosting = hosting.Value,
            Size = SizeProfile.For(size),
            Ring = ring,
            Release = release,
            Admin = admin,
            ClientSourceRanges = ranges,
            Public = isPublic,
            Backup = backup,
            Email = email,
            TimeZone = timeZone.Value,
            Language = language.Value,
            Gateway = gateway,
            Cluster = cluster,
            Azure = azure,
            Platform = platform,
            SmokeCheck = smokeCheck,
            RetiredBackupsClaim = retiredBackupsClaim,
            Names = TenantNames.For(slug, fleetId),
            Status = status,
        }, _problems);
    }

    /// <summary>A value from the tenant, or else from the fleet default, remembering where it came from.</summary>
    private readonly record struct Setting(string? Value, ConfigNode Node, string Key)
    {
        public void Report(string message, string fix) => Node.Report(Key, message, fix);
    }

    private Setting Pick(ConfigNode tenant, string key, string fleetKey)
    {
        var value = tenant.Text(key);
        if (value is not null)
        {
            return new Setting(value, tenant, key);
        }
        value = _fleet.Text(fleetKey);
        if (value is null)
        {
            tenant.Report(key, "is missing, and there is no fleet default.",
                $"Set {tenant.KeyOf(key)} in the stack file, or {_fleet.KeyOf(fleetKey)} in Pulumi.yaml for the whole fleet.");
        }
        return new Setting(value, _fleet, fleetKey);
    }

    private int? PickInteger(ConfigNode tenant, string key, string fleetKey, int min, int max) =>
        tenant.Has(key) ? tenant.Integer(key, min, max) : _fleet.Integer(fleetKey, min, max);

    private static T? Choice<T>(ConfigNode node, string key, bool required) where T : struct, Enum
    {
        var names = string.Join(", ", Enum.GetNames<T>().Select(n => n.ToLowerInvariant()));
        var text = node.Text(key, required ? $"Set {key} to one of: {names}." : null);
        if (text is null)
        {
            return null;
        }
        // A name only: Enum.TryParse also takes numbers ("7") and lists ("small, large").
        if (Enum.GetNames<T>().FirstOrDefault(n => n == text || n.ToLowerInvariant() == text) is { } name)
        {
            return Enum.Parse<T>(name);
        }
        node.Report(key, $"'{text}' is not a known {key}.", $"Use one of: {names}.");
        return null;
    }

    private static ImmutableArray<int> MunicipalityCodes(ConfigNode t)
    {
        var list = t.List("municipalityCodes");
        if (list is null)
        {
            return [];
        }
        var codes = ImmutableArray.CreateBuilder<int>();
        foreach (var item in list)
        {
            var text = item?.ToJsonString().Trim('"') ?? "";
            if (!int.TryParse(text, out var code) || MunicipalityRegister.Find(code) is null)
            {
                t.Report("municipalityCodes", $"'{text}' is not a Danish municipality code.",
                    "Use the official three-digit code, e.g. 751 for Aarhus (see 'tenant new --help' or infra/OS2BorgerPC.Deploy.TenantDecisions/Municipalities/municipalities.csv).");
            }
            else if (codes.Contains(code))
            {
                t.Report("municipalityCodes", $"{code} is listed twice.", "List each municipality once.");
            }
            else
            {
                codes.Add(code);
            }
        }
        return codes.ToImmutable();
    }

    private string? HostName(ConfigNode t, string? slug)
    {
        var host = t.Text("host");
        if (host is not null)
        {
            if (!Rules.IsHostName(host))
            {
                t.Report("host", $"'{host}' is not a valid host name.",
                    "Use a lowercase DNS name without scheme or path, e.g. aarhus.borgerpc.dk.");
                return null;
            }
            return host;
        }
        var baseDomain = _fleet.Text(FleetDefaults.BaseDomain);
        if (baseDomain is null)
        {
            t.Report("host", "is missing, and there is no base domain to derive it from.",
                $"Set {t.KeyOf("host")}, or {_fleet.KeyOf(FleetDefaults.BaseDomain)} in Pulumi.yaml.");
            return null;
        }
        if (!Rules.IsHostName(baseDomain))
        {
            _fleet.Report(FleetDefaults.BaseDomain, $"'{baseDomain}' is not a valid domain.", "Use a lowercase DNS name, e.g. borgerpc.dk.");
            return null;
        }
        return slug is null ? null : $"{slug}.{baseDomain}";
    }

    private AdminSiteRelease? Release(ConfigNode site)
    {
        var versionText = Pick(site, "version", FleetDefaults.AdminSiteVersion);
        Version? version = null;
        if (versionText.Value is not null)
        {
            if (!Rules.TryParseVersion(versionText.Value, out var parsed))
            {
                versionText.Report($"'{versionText.Value}' is not an exact version X.Y.Z.",
                    $"Pin an exact release of {AdminSiteRelease.ImageRepository}, e.g. {AdminSiteRelease.MinimumVersion.ToString(3)}.");
            }
            else if (parsed < AdminSiteRelease.MinimumVersion)
            {
                versionText.Report($"{versionText.Value} is older than {AdminSiteRelease.MinimumVersion.ToString(3)}; releases before it expose an unauthenticated client API.",
                    $"Pin {AdminSiteRelease.MinimumVersion.ToString(3)} or newer.");
            }
            else
            {
                version = parsed;
            }
        }
        var tag = Pick(site, "coreScriptsTag", FleetDefaults.CoreScriptsTag);
        if (tag.Value is not null && !Rules.IsGitTag(tag.Value))
        {
            tag.Report($"'{tag.Value}' is not a git tag.", "Use the core-scripts release tag, e.g. v1.0.1.");
        }
        var commit = Pick(site, "coreScriptsCommit", FleetDefaults.CoreScriptsCommit);
        if (commit.Value is not null && !Rules.IsCommit(commit.Value))
        {
            commit.Report($"'{commit.Value}' is not a full commit hash (40 lowercase hex characters).",
                "Copy the full commit hash of the core-scripts tag (git rev-list -n 1 <tag>).");
        }
        site.ReportUnknownKeys();
        return version is null || tag.Value is null || commit.Value is null || !Rules.IsGitTag(tag.Value) || !Rules.IsCommit(commit.Value)
            ? null
            : new AdminSiteRelease(version, tag.Value, commit.Value);
    }

    private BootstrapAdmin? Admin(ConfigNode admin)
    {
        var username = admin.Text("username") ?? DefaultAdminUsername;
        if (username.Length > 150 || username.Any(c => !(char.IsAsciiLetterOrDigit(c) || "@.+-_".Contains(c))))
        {
            admin.Report("username", $"'{username}' is not a valid Django user name.", "Use at most 150 letters, digits and @ . + - _.");
        }
        var email = Pick(admin, "email", FleetDefaults.AdminEmail);
        if (email.Value is not null && !Rules.IsEmail(email.Value))
        {
            email.Report($"'{email.Value}' is not an e-mail address.", "Use the address of whoever receives the bootstrap admin account, e.g. it-drift@aarhus.dk.");
        }
        admin.ReportUnknownKeys();
        return email.Value is null || !Rules.IsEmail(email.Value) ? null : new BootstrapAdmin(username, email.Value);
    }

    /// <summary>The whole internet, as a public tenant's allow-list.</summary>
    public static readonly ImmutableArray<IPNetwork> Everyone = [IPNetwork.Parse("0.0.0.0/0"), IPNetwork.Parse("::/0")];

    /// <summary>
    /// The allow-list and whether the tenant is public. An allow-list that admits everyone (empty, or a /0) is
    /// refused unless the stack file says <c>public: true</c>: the admin site's /media is unauthenticated.
    /// </summary>
    private static (ImmutableArray<IPNetwork> Ranges, bool Public) Clients(ConfigNode t)
    {
        const string fix = "List the CIDR ranges of the municipality's BorgerPC networks, e.g. - 10.20.0.0/16 (host bits zero). Only these may reach the admin site.";
        var isPublic = t.Flag("public") ?? false;
        var list = isPublic && !t.Has("clientSourceRanges") ? [] : t.List("clientSourceRanges");
        if (list is null)
        {
            t.Report("clientSourceRanges", "is missing.", fix);
            return ([], isPublic);
        }
        var ranges = Networks(t, "clientSourceRanges", list, fix);
        var everyone = ranges.Where(r => r.PrefixLength == 0).ToList();
        if (isPublic)
        {
            if (ranges.Count > everyone.Count)
            {
                t.Report("clientSourceRanges", "lists networks, but public: true opens the admin site to every address, so the list would have no effect.",
                    $"Remove {t.KeyOf("public")} to admit only the listed networks, or remove the networks.");
            }
            return (Everyone, true);
        }
        if (list.Count == 0)
        {
            t.Report("clientSourceRanges", "is empty, so no BorgerPC could reach the admin site.",
                $"{fix} If the admin site is really meant for the whole internet, set {t.KeyOf("public")}: true instead.");
        }
        foreach (var range in everyone)
        {
            t.Report("clientSourceRanges", $"'{range}' opens the admin site (and its unauthenticated /media) to the whole internet.",
                $"{fix} If that is really meant, remove the ranges and set {t.KeyOf("public")}: true.");
        }
        return ([.. ranges], false);
    }

    /// <summary>Each item of a list of networks in CIDR notation; every item that is not one is a problem.</summary>
    private static List<IPNetwork> Networks(ConfigNode node, string key, JsonArray list, string fix)
    {
        var ranges = new List<IPNetwork>();
        foreach (var item in list)
        {
            var text = item is JsonValue value ? value.ToString() : item?.ToJsonString() ?? "";
            if (Rules.TryParseCidr(text, out var range))
            {
                ranges.Add(range);
            }
            else
            {
                node.Report(key, $"'{text}' is not a network in CIDR notation.", fix);
            }
        }
        return ranges;
    }

    private BackupPolicy? Backup(ConfigNode backup, string? slug)
    {
        var drillFrom = backup.Text("drillFrom");
        if (drillFrom is not null && !Slug.IsValid(drillFrom))
        {
            backup.Report("drillFrom", $"'{drillFrom}' is not a tenant's slug.", $"Name the tenant whose backups a drill restores into this one ({Slug.Rule}).");
            drillFrom = null;
        }
        else if (drillFrom is not null && drillFrom == slug)
        {
            backup.Report("drillFrom", "names this tenant itself.", "Name another tenant, or remove the key: a tenant always reads its own backups.");
            drillFrom = null;
        }
        var schedule = Pick(backup, "schedule", FleetDefaults.BackupSchedule);
        if (schedule.Value is not null && !Rules.IsCron(schedule.Value))
        {
            schedule.Report($"'{schedule.Value}' is not a five-field cron schedule.", "Write minute hour day month weekday, e.g. \"0 2 * * *\" for 02:00 every night.");
        }
        var retention = PickInteger(backup, "retentionDays", FleetDefaults.BackupRetentionDays, 1, 3650);
        if (retention is null && !backup.Has("retentionDays") && !_config.Has(FleetDefaults.BackupRetentionDays))
        {
            backup.Report("retentionDays", "is missing, and there is no fleet default.", $"Set {backup.KeyOf("retentionDays")}, e.g. 10.");
        }
        var generation = backup.Integer("databaseGeneration", 1, BackupPolicy.MaxDatabaseGeneration);
        backup.ReportUnknownKeys();
        var s3Keys = S3Keys();
        return schedule.Value is null || !Rules.IsCron(schedule.Value) || retention is null || s3Keys is null
            || (generation is null && backup.Has("databaseGeneration"))
            ? null
            : new BackupPolicy(schedule.Value, retention.Value) { HasS3Keys = s3Keys.Value, DrillFrom = drillFrom, DatabaseGeneration = generation ?? 1 };
    }

    /// <summary>The tenant's own S3 key: both halves or neither, each a secure value (whether the platform needs it is <see cref="Platform.PlatformInputs"/>'s to say).</summary>
    private bool? S3Keys()
    {
        var states = new[] { BackupS3AccessKeyId, BackupS3SecretAccessKey }.Select(key => (Key: key, State: _fleet.Secret(key))).ToList();
        foreach (var (key, _) in states.Where(s => s.State == SecretState.PlainText))
        {
            _fleet.Report(key, "is written in plain text, but it is a secret.",
                $"Remove the line and run: pulumi config set --secret {Qualified(key)} --stack {_config.StackName}");
        }
        if (states.Any(s => s.State == SecretState.PlainText))
        {
            return null;
        }
        var set = states.Where(s => s.State == SecretState.Secure).ToList();
        if (set.Count == 1)
        {
            var missing = states.Single(s => s.State == SecretState.Missing).Key;
            _fleet.Report(missing, $"is missing, but {Qualified(set[0].Key)} is set: an S3 key is the id and its secret together.",
                $"Run: pulumi config set --secret {Qualified(missing)} --stack {_config.StackName}");
            return null;
        }
        return set.Count == 2;
    }

    private EmailRelay? Email(ConfigNode t)
    {
        var password = _fleet.Secret(EmailPassword);
        if (password == SecretState.PlainText)
        {
            _fleet.Report(EmailPassword, "is written in plain text, but it is a secret.",
                $"Remove the line and run: pulumi config set --secret {Qualified(EmailPassword)} --stack {_config.StackName}");
        }
        var hasPassword = password != SecretState.Missing;
        if (!t.Has("email"))
        {
            if (hasPassword)
            {
                _fleet.Report(EmailPassword, "is set, but the tenant has no e-mail relay.",
                    $"Add {t.KeyOf("email")} with host and from, or remove the password.");
            }
            return null;
        }
        var email = t.Child("email");
        var host = email.Text("host", "Set the SMTP relay's host name.");
        if (host is not null && !Rules.IsHostName(host))
        {
            email.Report("host", $"'{host}' is not a valid host name.", "Use the relay's DNS name, e.g. smtp.aarhus.dk.");
            host = null;
        }
        var port = email.Integer("port", 1, 65535) ?? DefaultEmailPort;
        var username = email.Text("username");
        var from = email.Text("from", "Set the sender address, e.g. borgerpc@aarhus.dk.");
        if (from is not null && !Rules.IsEmail(from))
        {
            email.Report("from", $"'{from}' is not an e-mail address.", "Use an address such as borgerpc@aarhus.dk.");
            from = null;
        }
        if (username is not null && !hasPassword)
        {
            email.Report("username", "is set, but there is no e-mail password.",
                $"Run: pulumi config set --secret {Qualified(EmailPassword)} --stack {_config.StackName}");
        }
        var relayCidrs = RelayCidrs(email);
        email.ReportUnknownKeys();
        return host is null || from is null || relayCidrs is null ? null : new EmailRelay(host, port, username, from, hasPassword, relayCidrs.Value);
    }

    /// <summary>The relay's address ranges: the admin site's only SMTP destinations (a NetworkPolicy cannot name a host).</summary>
    private static ImmutableArray<IPNetwork>? RelayCidrs(ConfigNode email)
    {
        const string fix = "List the address ranges the relay's name resolves to, e.g. - 192.0.2.25/32 (host bits zero); the admin site may send SMTP nowhere else.";
        var list = email.List("relayCidrs");
        if (list is null)
        {
            if (!email.Has("relayCidrs"))
            {
                email.Report("relayCidrs", "is missing: without it the admin site may send SMTP nowhere.", fix);
            }
            return null;
        }
        if (list.Count == 0)
        {
            email.Report("relayCidrs", "is empty, so the admin site could send no e-mail.", fix);
            return null;
        }
        var ranges = Networks(email, "relayCidrs", list, fix);
        foreach (var range in ranges.Where(r => r.PrefixLength == 0))
        {
            email.Report("relayCidrs", $"'{range}' lets the admin site send SMTP to any address.", fix);
        }
        return ranges.Count == list.Count && ranges.All(r => r.PrefixLength > 0) ? [.. ranges] : null;
    }

    /// <summary>
    /// Whether a kubernetes tenant deployed before the <c>backups</c> claim was retired keeps it for now. Only such a
    /// tenant ever had it: an azure tenant's backups are a file share, which stays.
    /// </summary>
    private static bool RetiredBackupsClaim(ConfigNode storage, Hosting? hosting)
    {
        const string key = "retiredBackupsClaim";
        var keep = storage.Flag(key) ?? false;
        storage.ReportUnknownKeys();
        if (storage.Has(key) && hosting == Model.Hosting.Azure)
        {
            storage.Report(key, "is set, but hosting is azure: only a kubernetes tenant had the backups claim (an azure tenant's backups file share stays).",
                $"Remove {storage.KeyOf(key)}.");
            return false;
        }
        return keep;
    }

    private static GatewaySettings Gateway(ConfigNode gateway)
    {
        var bodyLimit = gateway.Integer("bodyLimitMiB", 1, 2048) ?? DefaultBodyLimitMiB;
        var certificate = Choice<CertificateChallenge>(gateway, "certificate", required: false) ?? CertificateChallenge.Platform;
        gateway.ReportUnknownKeys();
        return new GatewaySettings(bodyLimit, certificate);
    }

    private static ClusterSettings Cluster(ConfigNode cluster)
    {
        var context = cluster.Text("context");
        var storageClass = KubernetesName(cluster, "storageClass", "the StorageClass for the database and backup volumes");
        var shared = KubernetesName(cluster, "sharedStorageClass", "a ReadWriteMany StorageClass for /media");
        var render = cluster.Text("renderToDirectory");
        if (render is not null && Path.IsPathRooted(render))
        {
            cluster.Report("renderToDirectory", $"'{render}' is an absolute path.", "Use a folder relative to the repository, e.g. rendered/demo.");
            render = null;
        }
        // On AKS with Entra ID, the group's object ID; elsewhere the group name the cluster's authenticator reports.
        var operatorGroup = cluster.Text("operatorGroup");
        cluster.ReportUnknownKeys();
        return new ClusterSettings(context, storageClass, shared, render, operatorGroup);
    }

    private static string? KubernetesName(ConfigNode node, string key, string what)
    {
        var name = node.Text(key);
        if (name is not null && !Rules.IsKubernetesName(name))
        {
            node.Report(key, $"'{name}' is not a Kubernetes object name.", $"Use the name of {what}, or leave it out for the cluster default.");
            return null;
        }
        return name;
    }

    private AzureSettings? Azure(ConfigNode t, Hosting? hosting)
    {
        if (hosting != Model.Hosting.Azure)
        {
            if (t.Has("azure"))
            {
                t.Report("azure", "is set, but hosting is not azure.", "Remove the azure section, or set hosting: azure.");
            }
            return null;
        }
        var azure = t.Child("azure");
        var location = Pick(azure, "location", FleetDefaults.AzureLocation);
        if (location.Value is not null && !Rules.IsAzureLocation(location.Value))
        {
            location.Report($"'{location.Value}' is not an Azure region name.", "Use a region name such as westeurope or northeurope.");
        }
        var residency = location.Value is null || Security.DataResidency.Allows(location.Value, azure.Text(Security.DataResidency.OverrideKey));
        if (!residency)
        {
            location.Report(Security.DataResidency.Problem(location.Value!), Security.DataResidency.Fix);
        }
        var subnet = azure.Text("delegatedSubnetId");
        var zone = azure.Text("privateDnsZoneId");
        var egress = azure.List("clusterEgressRanges");
        AzureDatabaseNetwork? network = null;
        if (subnet is not null || zone is not null)
        {
            if (egress is not null)
            {
                azure.Report("clusterEgressRanges", "is set together with private access; a private server has no firewall.",
                    "Use either delegatedSubnetId + privateDnsZoneId (private access) or clusterEgressRanges (public access), not both.");
            }
            if (subnet is null || !Rules.IsSubnetId(subnet))
            {
                azure.Report("delegatedSubnetId", subnet is null ? "is missing." : $"'{subnet}' is not a subnet resource ID.",
                    "Use the ID of a subnet delegated to Microsoft.DBforPostgreSQL/flexibleServers: /subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Network/virtualNetworks/<vnet>/subnets/<subnet>.");
            }
            if (zone is null || !Rules.IsPostgresPrivateDnsZoneId(zone))
            {
                azure.Report("privateDnsZoneId", zone is null ? "is missing." : $"'{zone}' is not a private DNS zone ID ending in .postgres.database.azure.com.",
                    "Use the ID of a private DNS zone such as <name>.postgres.database.azure.com linked to the cluster's virtual network.");
            }
            if (subnet is not null && zone is not null && Rules.IsSubnetId(subnet) && Rules.IsPostgresPrivateDnsZoneId(zone))
            {
                network = new AzureDatabaseNetwork.Private(subnet, zone);
            }
        }
        else if (egress is not null)
        {
            network = EgressFirewall(azure, egress);
        }
        // Neither: the platform's delegated subnet and private DNS zone (PlatformInputs.Resolve).
        var retention = azure.Integer("backupRetentionDays", 7, 35) ?? DefaultAzureBackupRetentionDays;
        var geo = azure.Flag("geoRedundantBackup") ?? false;
        var clusterSubnets = ClusterSubnets(azure);
        var issuer = ClusterOidcIssuer(azure);
        azure.ReportUnknownKeys();
        var ownNetworkInvalid = network is null && (subnet is not null || zone is not null || egress is not null);
        return location.Value is null || ownNetworkInvalid || clusterSubnets is null || (azure.Has("clusterOidcIssuerUrl") && issuer is null) || !Rules.IsAzureLocation(location.Value) || !residency
            ? null
            : new AzureSettings(location.Value, network, retention, geo) { ClusterSubnetIds = clusterSubnets.Value, ClusterOidcIssuerUrl = issuer };
    }

    /// <summary>The cluster's service-account token issuer, which the database's Entra administrator identity trusts.</summary>
    private static string? ClusterOidcIssuer(ConfigNode azure)
    {
        const string fix = "Give the cluster's OIDC issuer URL (AKS: az aks show --query oidcIssuerProfile.issuerUrl), e.g. " +
            "https://westeurope.oic.prod-aks.azure.com/<tenant>/<id>/. The database's administrator identity trusts only this cluster's tokens.";
        // Left out: the platform's issuer (PlatformInputs.Resolve).
        var issuer = azure.Text("clusterOidcIssuerUrl");
        if (issuer is not null && !(Uri.TryCreate(issuer, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps && uri.Query.Length == 0))
        {
            azure.Report("clusterOidcIssuerUrl", $"'{issuer}' is not an https URL.", fix);
            return null;
        }
        return issuer;
    }

    /// <summary>The subnets of the cluster's nodes: the only networks the storage account admits (fails closed when missing).</summary>
    private static ImmutableArray<string>? ClusterSubnets(ConfigNode azure)
    {
        const string fix = "List the subnet IDs of the cluster's node pools (each with the Microsoft.Storage service endpoint), e.g. " +
            "- /subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Network/virtualNetworks/<vnet>/subnets/<nodes>. " +
            "The storage account admits no other network.";
        var list = azure.List("clusterSubnetIds");
        if (list is null)
        {
            // Left out: the platform's cluster subnet (PlatformInputs.Resolve).
            return [];
        }
        if (list.Count == 0)
        {
            azure.Report("clusterSubnetIds", "is empty: the storage account would admit no one.", fix);
            return null;
        }
        var ids = ImmutableArray.CreateBuilder<string>();
        foreach (var item in list)
        {
            var text = item is JsonValue value ? value.ToString() : item?.ToJsonString() ?? "";
            if (Rules.IsSubnetId(text))
            {
                ids.Add(text);
            }
            else
            {
                azure.Report("clusterSubnetIds", $"'{text}' is not a subnet resource ID.", fix);
            }
        }
        return ids.Count == list.Count ? ids.ToImmutable() : null;
    }

    private PlatformReference? Platform(ConfigNode platform)
    {
        var stack = Pick(platform, "stack", FleetDefaults.PlatformStack);
        if (stack.Value is not null && !Rules.IsPlatformStackReference(stack.Value))
        {
            stack.Report($"'{stack.Value}' is not a fully qualified platform stack name.",
                $"Write organization/{PlatformReference.ProjectName}/<platform stack>, e.g. organization/{PlatformReference.ProjectName}/prod (the platform's stack file is stacks/platform/Pulumi.<platform stack>.yaml).");
        }
        var factsFile = platform.Text("factsFile");
        if (factsFile is not null && (Path.IsPathRooted(factsFile) || !factsFile.EndsWith(".json", StringComparison.Ordinal)))
        {
            platform.Report("factsFile", $"'{factsFile}' is not a JSON file relative to the repository.",
                "Name a recorded platform output relative to the repository root, e.g. stacks/platform/demo.facts.json, or leave it out to read the platform stack.");
            factsFile = null;
        }
        platform.ReportUnknownKeys();
        return stack.Value is null || !Rules.IsPlatformStackReference(stack.Value) || (platform.Has("factsFile") && factsFile is null)
            ? null
            : new PlatformReference(stack.Value, factsFile);
    }

    private static AzureDatabaseNetwork.Firewall? EgressFirewall(ConfigNode azure, JsonArray egress)
    {
        const string fix = "List the cluster's outbound addresses, e.g. - 20.50.1.10 or - 20.50.1.0/28. Never the whole internet.";
        if (egress.Count == 0)
        {
            azure.Report("clusterEgressRanges", "is empty: the server would be unreachable.", fix);
            return null;
        }
        var ranges = ImmutableArray.CreateBuilder<IPNetwork>();
        foreach (var item in egress)
        {
            var text = item is JsonValue value ? value.ToString() : item?.ToJsonString() ?? "";
            if (!Rules.TryParseAddressOrCidr(text, out var range) || range.BaseAddress.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
            {
                azure.Report("clusterEgressRanges", $"'{text}' is not an IPv4 address or CIDR range.", fix);
            }
            else if (range.PrefixLength < 16)
            {
                azure.Report("clusterEgressRanges", $"'{text}' opens the server to {(range.PrefixLength == 0 ? "the whole internet" : "a network far larger than a cluster's egress")}.", fix);
            }
            else
            {
                ranges.Add(range);
            }
        }
        return ranges.Count == egress.Count ? new AzureDatabaseNetwork.Firewall(ranges.ToImmutable()) : null;
    }
}
