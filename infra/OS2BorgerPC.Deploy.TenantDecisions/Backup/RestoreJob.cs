using System.Text.Json.Nodes;
using OS2BorgerPC.Deploy.TenantDecisions.Configuration;
using OS2BorgerPC.Deploy.TenantDecisions.Model;
using OS2BorgerPC.Deploy.TenantDecisions.Naming;
using OS2BorgerPC.Deploy.TenantDecisions.Security;
using OS2BorgerPC.Deploy.TenantDecisions.Templates;

namespace OS2BorgerPC.Deploy.TenantDecisions.Backup;

/// <summary>What one restore Job restores, and where.</summary>
/// <param name="Stamp">The restore's time stamp (yyyyMMdd't'HHmmss'z', lowercase): it names the Job, the ConfigMap and what is kept.</param>
/// <param name="Point">The restore point to fetch (its name as 'tenant backups' lists it).</param>
/// <param name="Source">Another tenant's repository, for a restore into a tenant not in use (a drill or a copy); null for the tenant's own.</param>
/// <param name="RecoveredHost">A point-in-time restore: the database comes from this host (<see cref="RecoveryCluster"/>), /media from the restore point.</param>
/// <param name="WithMedia">/media is restored too (--media); without (--no-media), the database only and /media stays as it is.</param>
/// <param name="DatabaseFreeBytes">The database volume's free bytes, when read (CloudNativePG): the load is refused where it does not fit (<see cref="LoadSpace"/>).</param>
/// <param name="GrowHint">Where the operator grows a volume a step finds too small (<see cref="LoadSpace.GrowHint"/>), for the steps' refusals.</param>
/// <param name="RecoveredSharesTenantCa">The recovered server's certificate chains to the tenant's own database roots (an azure
/// point in time, <see cref="AzurePointInTime"/>: Azure's roots), so the dump verifies it with the CronJob's root certificate;
/// else it is CloudNativePG's recovery cluster, whose CA is its own.</param>
public sealed record RestoreRun(string Stamp, string? Point, RestoreSource? Source, string? RecoveredHost = null, bool WithMedia = true, long? DatabaseFreeBytes = null,
    string? GrowHint = null, bool RecoveredSharesTenantCa = false)
{
    public bool IntoFresh => Source is not null;

    /// <summary>The load Job: it runs while the admin site is stopped.</summary>
    public string JobName => $"{RestoreJob.Prefix}{Stamp}";

    /// <summary>The fetch Job: it runs before, while the admin site still serves.</summary>
    public string FetchJobName => $"{RestoreJob.Prefix}fetch-{Stamp}";

    public string JobNameOf(RestorePhase phase) => phase == RestorePhase.Fetch ? FetchJobName : JobName;

    public string ScriptConfigMap => $"{RestoreJob.Prefix}script-{Stamp}";

    /// <summary>The Secret with the source's repository access, in the target's namespace (<see cref="RestoreJob.SourceSecret"/>).</summary>
    public string SourceSecret => $"{RestoreJob.Prefix}source-{Stamp}";

    /// <summary>The schema the current data is renamed to, and the suffix of the folder its /media moves into.</summary>
    public string KeepAs => $"before_restore_{Stamp}";

    /// <summary>The folder beside /media, on its volume, the backup is fetched into.</summary>
    public string SideFolder => $"{RestoreJob.MediaPath}/.restore-{Stamp}";

    /// <summary>Where the replaced /media is kept (restore-media.sh's name for it).</summary>
    public string KeptMediaFolder => $"{RestoreJob.MediaPath}/.before-restore-{KeepAs}";

    public static string StampOf(DateTimeOffset now) => now.UtcDateTime.ToString("yyyyMMdd't'HHmmss'z'", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// A restore runs as two Jobs, each with its own deadline: <see cref="Fetch"/> gets the data beside the tenant's
/// (off-site fetch, or the dump of a recovered cluster) while the admin site still serves, since it writes only to a
/// side folder; only after it succeeded is the admin site stopped and <see cref="Load"/> run (the database, then /media).
/// </summary>
public enum RestorePhase
{
    Fetch,
    Load,
}

/// <summary>One key of the restore's source Secret (<see cref="RestoreJob.SourceSecret"/>): <paramref name="Key"/> of the source's Secret <paramref name="Secret"/>.</summary>
public sealed record SecretCopy(string TargetKey, string Secret, string Key);

/// <summary>Another tenant's backups: its repository (RESTIC_REPOSITORY) as its backup CronJob names it.</summary>
public sealed record RestoreSource(string Slug, string Repository);

/// <summary>
/// The restore of one tenant as a Kubernetes Job, made from the tenant's backup CronJob so that it runs with exactly
/// the backup's access (ServiceAccount, workload identity or S3 keys, repository and password, network labels) and
/// the app's database login, as <see cref="BackupQuery"/> does for listing. Two Jobs (<see cref="RestorePhase"/>), their
/// steps each only after the one before succeeded: the fetch Job's <c>fetch</c> (restic image, templates/restore-fetch.sh)
/// into a folder beside /media on its volume, while the admin site serves; then the load Job's <c>database</c> (postgres
/// image, templates/restore-database.sh), which loads the dump in one transaction, keeping the current data as a schema,
/// and <c>media</c> (templates/restore-media.sh), which moves the fetched files in place, keeping the current ones.
/// Every step runs as the app's user, so the restored uploads stay the app's.
/// </summary>
public static class RestoreJob
{
    public const string Prefix = "restore-";
    public const string Component = "restore";
    public const string MediaPath = MediaServerConfig.MediaPath;
    public const string ScriptPath = "/restore";
    public const string FetchStep = "fetch";
    public const string DatabaseStep = "database";
    public const string MediaStep = "media";

    public const string DumpStep = "dump";

    /// <summary>
    /// The off-site fetch may take hours (the longest step, and it changes nothing): its own deadline. The load runs
    /// while the admin site is stopped, and has its own.
    /// </summary>
    public const int FetchDeadlineSeconds = JobLimits.DeadlineSeconds;

    public const int LoadDeadlineSeconds = 2 * 3600;

    public static int DeadlineOf(RestorePhase phase) => phase == RestorePhase.Fetch ? FetchDeadlineSeconds : LoadDeadlineSeconds;

    /// <summary>The steps of a restore in the order they run, with the script each runs.</summary>
    /// A point in time without /media fetches nothing (the database comes from the recovered cluster).
    public static IReadOnlyList<(string Step, string Script)> StepsOf(RestoreRun run) =>
    [
        .. StepsOf(run, RestorePhase.Fetch),
        .. StepsOf(run, RestorePhase.Load),
    ];

    /// <summary>The steps of one of the restore's two Jobs.</summary>
    public static IReadOnlyList<(string Step, string Script)> StepsOf(RestoreRun run, RestorePhase phase) => phase == RestorePhase.Fetch
        ?
        [
            .. run.RecoveredHost is null || run.WithMedia ? new[] { (FetchStep, "restore-fetch.sh") } : [],
            .. run.RecoveredHost is null ? [] : new[] { (DumpStep, "backup-dump.sh") },
        ]
        :
        [
            (DatabaseStep, "restore-database.sh"),
            .. run.WithMedia ? new[] { (MediaStep, "restore-media.sh") } : [],
        ];

    /// <summary>The CronJob's names for its two containers (the tenant program's BackupJob).</summary>
    public const string DumpContainer = "dump";
    public const string UploadContainer = "upload";

    private const string MediaVolume = "media";
    private const string ScriptVolume = "script";
    private const string ScratchVolume = "tmp";
    private const string RecoveredCaVolume = "recovered-database-ca";
    private const string RecoveredCaPath = "/etc/os2borgerpc/recovered-database-ca";

    /// <summary>The scripts, as a ConfigMap manifest (JSON) in the tenant's namespace.</summary>
    public static string ScriptConfigMap(RestoreRun run, string @namespace)
    {
        var data = new JsonObject();
        foreach (var (_, script) in StepsOf(run))
        {
            data[script] = TemplateRenderer.Source(script);
        }
        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject { ["name"] = run.ScriptConfigMap, ["namespace"] = @namespace, ["labels"] = new JsonObject { [TenantObjects.ComponentLabel] = Component } },
            ["data"] = data,
        }.ToJsonString();
    }

    /// <summary>The manifest (JSON, for kubectl apply) of the Job of one <paramref name="phase"/>, from <c>kubectl get cronjob backup -o json</c>.</summary>
    public static string Job(string cronJobJson, RestoreRun run, RestorePhase phase)
    {
        var cronJob = JsonNode.Parse(cronJobJson) ?? throw new InvalidOperationException("kubectl printed no CronJob.");
        var template = cronJob["spec"]?["jobTemplate"]?.DeepClone().AsObject()
            ?? throw new InvalidOperationException($"The CronJob {TenantObjects.Backup} has no job template.");
        var spec = template["spec"]!.AsObject();
        var podTemplate = spec["template"]!.AsObject();
        var pod = podTemplate["spec"]!.AsObject();
        var dump = Container(pod, "initContainers", DumpContainer);
        var upload = Container(pod, "containers", UploadContainer);

        var database = DatabaseClient(Step(dump, DatabaseStep, run, keep: name => name.StartsWith("PG", StringComparison.Ordinal)), DatabaseTls.Volume, DatabaseTls.MountPath);
        if (run.DatabaseFreeBytes is { } free)
        {
            Set(database, "DATABASE_FREE_BYTES", free.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Set(database, "LOAD_NEED_FACTOR", LoadSpace.Factor.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Set(database, "LOAD_HEADROOM_BYTES", LoadSpace.HeadroomBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        if (run.GrowHint is { } hint)
        {
            Set(database, "RESTORE_GROW_HINT", hint);
        }
        Set(database, "MEDIA_HEADROOM_BYTES", LoadSpace.MediaHeadroomBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
        // The steps in order: all but the last as init containers (each only after the one before succeeded).
        var steps = StepsOf(run, phase).Select(s => s.Step switch
        {
            FetchStep => Fetch(upload, run),
            DumpStep => Recovered(dump, run, run.RecoveredHost!),
            DatabaseStep => database,
            _ => Step(dump, MediaStep, run, keep: _ => false),
        }).ToList();
        pod["initContainers"] = new JsonArray([.. steps.SkipLast(1)]);
        pod["containers"] = new JsonArray(steps[^1]);

        // As the app's user and group: what is restored is the app's, as what it replaces was.
        var security = PodSecurity.RunAs(AdminSitePorts.AppUid);
        var podSecurity = pod["securityContext"]?.AsObject() ?? [];
        podSecurity["runAsUser"] = security.Uid;
        podSecurity["runAsGroup"] = security.Gid;
        podSecurity["fsGroup"] = security.FsGroup;
        pod["securityContext"] = podSecurity;
        pod["volumes"] = Volumes(pod, run);
        pod["serviceAccountName"] = ServiceAccountOf(run);
        pod["activeDeadlineSeconds"] = DeadlineOf(phase);

        // Never retried: a rerun after a failure starts from the beginning with a new stamp.
        spec["backoffLimit"] = 0;
        spec["activeDeadlineSeconds"] = DeadlineOf(phase);
        spec["ttlSecondsAfterFinished"] = JobLimits.KeepFinishedSeconds;
        var podLabels = podTemplate["metadata"]?["labels"]?.AsObject();
        podLabels?[TenantObjects.ComponentLabel] = Component;
        template.Remove("spec");
        var metadata = template["metadata"]?.DeepClone().AsObject() ?? [];
        metadata["name"] = run.JobNameOf(phase);
        metadata["namespace"] = cronJob["metadata"]?["namespace"]?.DeepClone();
        var labels = metadata["labels"]?.AsObject() ?? [];
        labels[TenantObjects.ComponentLabel] = Component;
        metadata["labels"] = labels;
        return new JsonObject
        {
            ["apiVersion"] = "batch/v1",
            ["kind"] = "Job",
            ["metadata"] = metadata,
            ["spec"] = spec,
        }.ToJsonString();
    }

    /// <summary>
    /// The ServiceAccount a restore's Jobs run as: a restore from another tenant's Azure Blob repository (a drill, which
    /// <see cref="SourceOf"/> allows only where the target names the source in backup.drillFrom) as the drill's
    /// ServiceAccount, whose identity may read the source's container only and ends with the drill (the tenant program's
    /// AzureDrillReader); every other as the backup's (the tenant's own identity or S3 keys). Without drillFrom the drill's
    /// ServiceAccount does not exist, and Kubernetes refuses the Job's pods.
    /// </summary>
    public static string ServiceAccountOf(RestoreRun run) =>
        run.Source is { } source && IsAzureBlob(source.Repository) ? OffSiteBackup.DrillServiceAccount : OffSiteBackup.ServiceAccount;

    private static bool IsAzureBlob(string repository) => repository.StartsWith("azure:", StringComparison.Ordinal);

    /// <summary>The fetch step: the upload container's access, fetching the restore point (or its parts) beside /media.</summary>
    private static JsonObject Fetch(JsonObject upload, RestoreRun run)
    {
        var fetch = Step(upload, FetchStep, run, keep: name => name is not ("BACKUP_ROOT" or "BACKUP_KIND" or "RETENTION_DAYS"));
        Set(fetch, "RESTORE_POINT", run.Point ?? throw new InvalidOperationException("A fetch needs a restore point."));
        if (run.GrowHint is { } hint)
        {
            Set(fetch, "RESTORE_GROW_HINT", hint);
        }
        if (run.RecoveredHost is not null || !run.WithMedia)
        {
            Set(fetch, "RESTORE_PARTS", run.WithMedia ? "media" : "database");
        }
        if (run.Source is { } source)
        {
            Set(fetch, "RESTIC_REPOSITORY", source.Repository);
            // Another tenant's repository is only read: no lock written into it (an Azure drill may only read).
            Set(fetch, "RESTIC_READ_ONLY", "yes");
            Set(fetch, "RESTIC_PASSWORD", SecretKey(run.SourceSecret, OffSiteBackup.RepositoryPasswordKey));
            if (fetch["env"]!.AsArray().Any(e => (string?)e!["name"] == "AWS_ACCESS_KEY_ID"))
            {
                Set(fetch, "AWS_ACCESS_KEY_ID", SecretKey(run.SourceSecret, OffSiteBackup.AccessKeyIdKey));
                Set(fetch, "AWS_SECRET_ACCESS_KEY", SecretKey(run.SourceSecret, OffSiteBackup.SecretAccessKeyKey));
            }
        }
        return fetch;
    }

    /// <summary>
    /// Another tenant's backups as a restore into a tenant not in use reads them, from the source's backup CronJob
    /// (<c>kubectl get cronjob backup -o json</c> in its namespace): its repository, and the Secrets holding its
    /// password and S3 keys, which the CLI copies for the restore only. An Azure Blob repository is reached with a
    /// workload identity, which cannot be lent to another namespace: the target reads it as its drill-reader identity
    /// (<see cref="ServiceAccountOf"/>), which exists only while the target's stack names the source in backup.drillFrom.
    /// </summary>
    /// <returns>The source and what to copy into <see cref="SourceSecret"/>, or why it cannot be read from another tenant.</returns>
    public static (RestoreSource? Source, IReadOnlyList<SecretCopy> Copy, string? Refusal) SourceOf(string slug, string cronJobJson, Tenant into)
    {
        var cronJob = JsonNode.Parse(cronJobJson) ?? throw new InvalidOperationException("kubectl printed no CronJob.");
        var pod = cronJob["spec"]?["jobTemplate"]?["spec"]?["template"]?["spec"]?.AsObject()
            ?? throw new InvalidOperationException($"The CronJob {TenantObjects.Backup} of {slug} has no job template.");
        var env = (Container(pod, "containers", UploadContainer)["env"]?.AsArray() ?? []).Select(e => e!.AsObject())
            .ToDictionary(e => (string)e["name"]!);
        var repository = (string?)env.GetValueOrDefault("RESTIC_REPOSITORY")?["value"]
            ?? throw new InvalidOperationException($"The backup CronJob of {slug} names no RESTIC_REPOSITORY: is the tenant on this version of the kit?");
        if (IsAzureBlob(repository) && into.Backup.DrillFrom != slug)
        {
            return (null, [], $"{slug}'s backups are in Azure Blob, which {into.Slug} reads with a drill identity only where its stack allows it: " +
                $"set {ConfigKeys.BackupDrillFrom}: {slug} in stacks/Pulumi.{into.Slug}.yaml, 'pulumi up --stack {into.Slug}', then restore again.");
        }
        var copy = new List<SecretCopy>();
        foreach (var (variable, key) in new[] { ("RESTIC_PASSWORD", OffSiteBackup.RepositoryPasswordKey), ("AWS_ACCESS_KEY_ID", OffSiteBackup.AccessKeyIdKey), ("AWS_SECRET_ACCESS_KEY", OffSiteBackup.SecretAccessKeyKey) })
        {
            if (env.GetValueOrDefault(variable)?["valueFrom"]?["secretKeyRef"] is JsonObject reference)
            {
                copy.Add(new SecretCopy(key, (string)reference["name"]!, (string)reference["key"]!));
            }
            else if (variable == "RESTIC_PASSWORD")
            {
                throw new InvalidOperationException($"The backup CronJob of {slug} takes RESTIC_PASSWORD from no Secret.");
            }
        }
        return (new RestoreSource(slug, repository), copy, null);
    }

    /// <summary>
    /// For a restore into another tenant: the source tenant's repository password (and S3 keys), copied into the
    /// target's namespace for the restore only (the CLI deletes it afterwards). Values are base64 as kubectl reads them.
    /// </summary>
    public static string SourceSecret(RestoreRun run, string @namespace, IReadOnlyDictionary<string, string> data) => new JsonObject
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Secret",
        ["type"] = "Opaque",
        ["metadata"] = new JsonObject { ["name"] = run.SourceSecret, ["namespace"] = @namespace, ["labels"] = new JsonObject { [TenantObjects.ComponentLabel] = Component } },
        ["data"] = new JsonObject([.. data.Select(d => KeyValuePair.Create(d.Key, (JsonNode?)JsonValue.Create(d.Value)))]),
    }.ToJsonString();

    private static JsonObject SecretKey(string secret, string key) =>
        new() { ["secretKeyRef"] = new JsonObject { ["name"] = secret, ["key"] = key } };

    /// <summary>
    /// A point in time: the fetch takes /media only; the database as of the time asked is dumped from the recovered
    /// cluster (templates/backup-dump.sh, with the app's login, its managed role) into the same folder.
    /// </summary>
    private static JsonObject Recovered(JsonObject dump, RestoreRun run, string host)
    {
        var dumpStep = Step(dump, DumpStep, run, keep: name => name.StartsWith("PG", StringComparison.Ordinal) || name == "SCRATCH_LIMIT_BYTES");
        var step = run.RecoveredSharesTenantCa ? DatabaseClient(dumpStep, DatabaseTls.Volume, DatabaseTls.MountPath) : DatabaseClient(dumpStep, RecoveredCaVolume, RecoveredCaPath);
        Set(step, "PGHOST", host);
        if (!run.RecoveredSharesTenantCa)
        {
            // The recovered cluster has a CA of its own (CNPG makes one per cluster), whose certificate names its own Service.
            Set(step, "PGSSLROOTCERT", $"{RecoveredCaPath}/{DatabaseTls.CertificateFile}");
        }
        Set(step, "BACKUP_ROOT", run.SideFolder);
        return step;
    }

    /// <summary>A step that connects to a database: the root certificate it verifies the server by, mounted read-only (the CronJob's PGSSLMODE and PGSSLROOTCERT come with the PG variables).</summary>
    private static JsonObject DatabaseClient(JsonObject step, string volume, string path)
    {
        step["volumeMounts"]!.AsArray().Add(new JsonObject { ["name"] = volume, ["mountPath"] = path, ["readOnly"] = true });
        return step;
    }

    private static JsonObject Container(JsonObject pod, string list, string name) =>
        pod[list]?.AsArray().Select(c => c!.AsObject()).FirstOrDefault(c => (string?)c["name"] == name)
        ?? throw new InvalidOperationException($"The CronJob {TenantObjects.Backup} has no container '{name}': is the tenant on this version of the kit?");

    /// <summary>One step: the CronJob container's image, resources and the environment <paramref name="keep"/> selects, running its script.</summary>
    private static JsonObject Step(JsonObject from, string step, RestoreRun run, Func<string, bool> keep)
    {
        var container = from.DeepClone().AsObject();
        container["name"] = step;
        container["command"] = new JsonArray("/bin/sh", $"{ScriptPath}/{StepsOf(run).Single(s => s.Step == step).Script}");
        container.Remove("args");
        var env = new JsonArray([.. (container["env"]?.AsArray() ?? []).Where(e => keep((string)e!["name"]!)).Select(e => e!.DeepClone())]);
        container["env"] = env;
        Set(container, "RESTORE_ROOT", run.SideFolder);
        Set(container, "MEDIA_DIR", MediaPath);
        Set(container, "RESTORE_KEEP_AS", run.KeepAs);
        if (run.IntoFresh)
        {
            Set(container, "RESTORE_INTO_FRESH", "yes");
        }
        // The pod's user (the app's) applies; a container's own would override it.
        if (container["securityContext"] is JsonObject security)
        {
            security.Remove("runAsUser");
            security.Remove("runAsGroup");
        }
        container["volumeMounts"] = new JsonArray(
            new JsonObject { ["name"] = ScriptVolume, ["mountPath"] = ScriptPath, ["readOnly"] = true },
            new JsonObject { ["name"] = MediaVolume, ["mountPath"] = MediaPath },
            new JsonObject { ["name"] = ScratchVolume, ["mountPath"] = "/tmp" });
        return container;
    }

    private static void Set(JsonObject container, string name, JsonNode value)
    {
        var env = container["env"]!.AsArray();
        env.Remove(env.FirstOrDefault(e => (string?)e!["name"] == name));
        env.Add(value is JsonObject source
            ? new JsonObject { ["name"] = name, ["valueFrom"] = source }
            : new JsonObject { ["name"] = name, ["value"] = value });
    }

    /// <summary>The CronJob's /media and scratch volumes (the former writable here), and the restore's scripts.</summary>
    private static JsonArray Volumes(JsonObject pod, RestoreRun run)
    {
        var volumes = pod["volumes"]?.AsArray().Select(v => v!.AsObject()).ToList() ?? [];
        var media = volumes.FirstOrDefault(v => (string?)v["name"] == MediaVolume)?.DeepClone().AsObject()
            ?? throw new InvalidOperationException($"The CronJob {TenantObjects.Backup} mounts no volume '{MediaVolume}'.");
        foreach (var source in media.Where(p => p.Value is JsonObject).Select(p => p.Value!.AsObject()))
        {
            source.Remove("readOnly");
        }
        var scratch = volumes.FirstOrDefault(v => (string?)v["name"] == ScratchVolume)?.DeepClone()
            ?? new JsonObject { ["name"] = ScratchVolume, ["emptyDir"] = new JsonObject() };
        var ca = volumes.FirstOrDefault(v => (string?)v["name"] == DatabaseTls.Volume)?.DeepClone()
            ?? throw new InvalidOperationException($"The CronJob {TenantObjects.Backup} mounts no volume '{DatabaseTls.Volume}' (the database's root certificate): is the tenant on this version of the kit?");
        var result = new JsonArray(
            new JsonObject { ["name"] = ScriptVolume, ["configMap"] = new JsonObject { ["name"] = run.ScriptConfigMap } },
            media,
            scratch,
            ca);
        if (run.RecoveredHost is not null && !run.RecoveredSharesTenantCa)
        {
            var recovered = DatabaseTls.CloudNativePgCa(RecoveryCluster.Name);
            result.Add(new JsonObject
            {
                ["name"] = RecoveredCaVolume,
                ["secret"] = new JsonObject
                {
                    ["secretName"] = recovered.Name,
                    ["items"] = new JsonArray(new JsonObject { ["key"] = recovered.Key, ["path"] = DatabaseTls.CertificateFile }),
                },
            });
        }
        return result;
    }
}
