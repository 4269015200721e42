namespace OS2BorgerPC.Deploy.TenantDecisions.Model;

/// <summary>The images the kit runs besides the admin site, pinned for the whole fleet.</summary>
public static class Images
{
    /// <summary>In-cluster database server, and pg_dump for backups (a dump needs a client at least as new as the server).</summary>
    public const string Postgres = "docker.io/library/postgres:17.6-bookworm";

    /// <summary>The major version of <see cref="Postgres"/>: the newest dump format the kit's pg_restore reads.</summary>
    public const int PostgresMajor = 17;

    /// <summary>Serves /media next to the app, as a non-root user.</summary>
    public const string MediaServer = "docker.io/nginxinc/nginx-unprivileged:1.27.5-alpine";

    /// <summary>Calls the admin site's job endpoints.</summary>
    public const string Curl = "docker.io/curlimages/curl:8.11.1";

    /// <summary>
    /// Uploads backups off-site and fetches them back (restic, with jq and a POSIX shell; its azure backend takes
    /// workload identity from 0.16 on). Runs as the pod's user; writes only its cache under /tmp.
    /// </summary>
    public const string Restic = "docker.io/restic/restic:0.17.3";

    /// <summary>Every image above: each tenant runs all of them (image scans cover them with the admin site's).</summary>
    public static readonly IReadOnlyList<string> All = [Postgres, MediaServer, Curl, Restic];

    public const int PostgresUid = 999;
    public const int MediaServerUid = 101;
    public const int CurlUid = 100;
}

/// <summary>
/// gunicorn's settings for the admin site (GUNICORN_CMD_ARGS, which override the image's docker/gunicorn-settings.py).
/// That file (OS2borgerPC/os2borgerpc-admin-site v7.0.1) sets no timeout, so gunicorn's default of 30 s would kill a
/// worker the gateway still waits for: the worker timeout is the gateway's request timeout, one number
/// (<see cref="Traffic.TenantTraffic.RequestTimeoutSeconds"/>), and so is the media server's proxy read timeout.
/// </summary>
public static class Gunicorn
{
    /// <summary>Workers from the size tier (gunicorn would count the node's CPUs, not the pod's limit); the request timeout.</summary>
    public static string CommandArgs(Tenant tenant) => $"--workers={tenant.Size.GunicornWorkers} --timeout={Traffic.TenantTraffic.RequestTimeoutSeconds}";
}

/// <summary>The admin site's ports and paths (see shared/docs/admin-site-runtime.md).</summary>
public static class AdminSitePorts
{
    /// <summary>gunicorn: web app and XML-RPC.</summary>
    public const int Web = 9999;

    /// <summary>gunicorn: the unauthenticated job endpoints; never leaves the namespace.</summary>
    public const int Jobs = 8080;

    /// <summary>The media server in front of the app: /media/ from disk, the rest proxied to <see cref="Web"/>.</summary>
    public const int MediaServer = 8081;

    public const int AppUid = 1000;

    /// <summary>Answers 200 without a session; Django checks the Host header against ALLOWED_HOSTS.</summary>
    public const string ReadinessPath = "/accounts/login/";

    /// <summary>Where BorgerPC clients call in (XML-RPC).</summary>
    public const string XmlRpcPath = "/admin-xml/";
}

/// <summary>The limits of every Job in a tenant's namespace: the backup, the scheduled jobs and an import.</summary>
public static class JobLimits
{
    /// <summary>A job fails after this; the CLI, waiting on a backup or an import job, stops waiting a little later.</summary>
    public const int DeadlineSeconds = 3 * 3600;

    /// <summary>How long a finished job and its pod's log are kept.</summary>
    public const int KeepFinishedSeconds = 7 * 86400;
}

/// <summary>The admin site's scheduled jobs: which endpoint, and when.</summary>
public sealed record ScheduledJob(string Name, string Endpoint, string Schedule)
{
    public static readonly IReadOnlyList<ScheduledJob> All =
    [
        new("check-notifications", "/jobs/check_notifications", "*/10 * * * *"),
        // Weekly, Sunday night, clear of the nightly backup.
        new("clean-up-database", "/jobs/clean_up_database", "30 4 * * 0"),
    ];
}
