using System.Security.Cryptography;
using System.Text;
using OS2BorgerPC.Deploy.TenantProgram.Contracts;
using OS2BorgerPC.Deploy.TenantProgram.Kubernetes;
using OS2BorgerPC.Deploy.TenantDecisions.Model;
using OS2BorgerPC.Deploy.TenantDecisions.Platform;
using OS2BorgerPC.Deploy.TenantDecisions.Templates;
using Pulumi;
using OS2BorgerPC.Deploy.TenantDecisions.Traffic;
using Pulumi.Kubernetes.Core.V1;
using Pulumi.Kubernetes.Types.Inputs.Apps.V1;
using Pulumi.Kubernetes.Types.Inputs.Core.V1;
using Deployment = Pulumi.Kubernetes.Apps.V1.Deployment;

namespace OS2BorgerPC.Deploy.TenantProgram.Components;

/// <summary>
/// One admin-site instance: the app with a media server in front of it in one pod, and its Services (the
/// web Service is what the tenant's Gateway route forwards to: see <see cref="AdminSiteTraffic"/>). It gets a
/// database connection and volumes, and knows neither where the database runs nor what backs the volumes.
/// </summary>
public sealed class AdminSite : ComponentResource
{
    /// <summary>pulumi-kubernetes' per-object switch to force server-side apply (metadata.AnnotationPatchForce, v4.32.0 provider/pkg/metadata/annotations.go).</summary>
    public const string PatchForceAnnotation = "pulumi.com/patchForce";

    public const string WebService = TrafficObjects.WebService;
    public const string JobsService = "admin-site-jobs";
    private const string MediaPath = MediaServerConfig.MediaPath;

    /// <param name="rolloutAfter">What must succeed before the app is (re)deployed: the pre-upgrade backup.</param>
    public AdminSite(TenantScope scope, DatabaseConnection database, TenantVolumes volumes, TenantSecrets secrets,
        IReadOnlyList<Resource> rolloutAfter, ComponentResourceOptions? options = null)
        : base("os2borgerpc:kubernetes:AdminSite", scope.Tenant.Slug, options)
    {
        var tenant = scope.Tenant;
        var child = new CustomResourceOptions { Parent = this };

        var nginxConf = MediaServerConfig.Render(tenant);
        var mediaConfig = new ConfigMap("media-server", new ConfigMapArgs
        {
            Metadata = scope.Meta("media-server", Workloads.AdminSite),
            Data = { { "nginx.conf", nginxConf } },
        }, child);

        var metadata = scope.Meta(Workloads.AdminSite, Workloads.AdminSite);
        // tenant restore --keep-stopped (a rollback) and any hand scale set spec.replicas through the scale
        // subresource, which moves the field's ownership to kubectl: a later server-side apply of replicas 1 without
        // force is a field conflict. Forced, 'pulumi up' takes it back and starts the app (pulumi-kubernetes v4.32.0,
        // provider/pkg/await/await.go patchForce: the annotation forces every apply of this object).
        metadata.Annotations = new InputMap<string> { { PatchForceAnnotation, "true" } };
        var deployment = new Deployment("admin-site", new DeploymentArgs
        {
            Metadata = metadata,
            Spec = new DeploymentSpecArgs
            {
                // One replica, replaced rather than rolled: migrations run at start and must not race.
                Replicas = 1,
                Strategy = new DeploymentStrategyArgs { Type = "Recreate" },
                Selector = Workloads.PodSelector(Workloads.AdminSite),
                Template = new PodTemplateSpecArgs
                {
                    // A changed media-server config restarts the pod.
                    Metadata = scope.PodMeta(Workloads.AdminSite, new InputMap<string> { { "os2borgerpc.dk/media-server-config", Checksum(nginxConf) } }),
                    Spec = new PodSpecArgs
                    {
                        ServiceAccountName = Workloads.ServiceAccount,
                        AutomountServiceAccountToken = false,
                        SecurityContext = Restricted.Pod(AdminSitePorts.AppUid),
                        Containers = { AppContainer(tenant, scope.Images, database, secrets), MediaServerContainer(tenant, scope.Images) },
                        Volumes =
                        {
                            volumes.Media("media"),
                            new VolumeArgs { Name = "media-server-config", ConfigMap = new ConfigMapVolumeSourceArgs { Name = mediaConfig.Metadata.Apply(m => m.Name) } },
                            Restricted.Scratch("tmp"),
                            Restricted.SharedMemory("shm"),
                            Restricted.Scratch("core-scripts"),
                            Restricted.Scratch("media-server-tmp"),
                            DatabaseCaMount.Volume(database.Ca),
                        },
                    },
                },
            },
        }, new CustomResourceOptions
        {
            Parent = this,
            DependsOn = [database.Ready, .. volumes.Ready, .. rolloutAfter],
            // Pulumi waits as long as the startup probe lets the first start (migrations) take, and a little longer.
            CustomTimeouts = new CustomTimeouts { Create = StartupBudget.DeploymentTimeout, Update = StartupBudget.DeploymentTimeout },
        });

        var web = new Service("web", new ServiceArgs
        {
            Metadata = scope.Meta(WebService, Workloads.AdminSite),
            Spec = new ServiceSpecArgs
            {
                Type = "ClusterIP",
                Selector = Workloads.Selector(Workloads.AdminSite),
                Ports = new ServicePortArgs { Name = "http", Port = TrafficObjects.WebServicePort, TargetPort = "http" },
            },
        }, child);

        // The unauthenticated job endpoints: a ClusterIP service, and NetworkPolicy admits only the tenant's job pods.
        new Service("jobs", new ServiceArgs
        {
            Metadata = scope.Meta(JobsService, Workloads.AdminSite),
            Spec = new ServiceSpecArgs
            {
                Type = "ClusterIP",
                Selector = Workloads.Selector(Workloads.AdminSite),
                Ports = new ServicePortArgs { Name = "jobs", Port = AdminSitePorts.Jobs, TargetPort = "jobs" },
            },
        }, child);

        Deployment = deployment;
        Web = web;
        RegisterOutputs(new Dictionary<string, object?> { ["deployment"] = deployment.Metadata.Apply(m => m.Name) });
    }

    public Deployment Deployment { get; }

    /// <summary>The web Service: port 80 to the media server.</summary>
    public Service Web { get; }

    /// <summary>Every variable the app reads (shared/docs/admin-site-runtime.md); secrets only as secretKeyRef.</summary>
    internal static List<EnvVarArgs> AppEnvironment(Tenant tenant, DatabaseConnection database, TenantSecrets secrets)
    {
        var env = new List<EnvVarArgs>
        {
            Env.Value("DB_HOST", database.Host),
            Env.Value("DB_PORT", database.Port.ToString()),
            Env.Value("DB_NAME", database.Name),
            Env.Value("DB_USER", database.User),
            Env.Secret("DB_PASSWORD", database.Password),
            Env.Secret("SECRET_KEY", secrets.DjangoSecretKeyRef),
            Env.Value("TIME_ZONE", tenant.TimeZone),
            Env.Value("LANGUAGE_CODE", tenant.Language),
            Env.Value("ALLOWED_HOSTS", tenant.Host),
            Env.Value("CSRF_TRUSTED_ORIGINS", $"https://{tenant.Host}"),
            // TLS ends at the gateway: trust its forwarded host and scheme.
            Env.Value("USE_X_FORWARDED_HOST", "true"),
            Env.Value("SECURE_PROXY_SSL_HEADER", "true"),
            Env.Value("LOG_LEVEL", "INFO"),
            Env.Value("ADMIN_USERNAME", tenant.Admin.Username),
            Env.Value("ADMIN_EMAIL", tenant.Admin.Email),
            Env.Secret("ADMIN_PASSWORD", secrets.AdminPasswordRef),
            Env.Value("CORE_SCRIPT_VERSION_TAG", tenant.Release.CoreScriptsTag),
            Env.Value("CORE_SCRIPT_COMMIT_HASH", tenant.Release.CoreScriptsCommit),
            // Workers by size (not the node's CPUs) and the request timeout the gateway grants.
            Env.Value("GUNICORN_CMD_ARGS", Gunicorn.CommandArgs(tenant)),
            // An unset SERVER_EMAIL breaks Django's security-event handling.
            Env.Value("SERVER_EMAIL", tenant.Email?.From ?? tenant.Admin.Email),
            Env.Value("DEFAULT_FROM_EMAIL", tenant.Email?.From ?? tenant.Admin.Email),
        };
        // The settings pass no sslmode: psycopg's libpq takes these (DatabaseTls).
        env.AddRange(DatabaseCaMount.Environment());
        if (tenant.Email is { } email)
        {
            env.Add(Env.Value("EMAIL_HOST", email.Host));
            env.Add(Env.Value("EMAIL_PORT", email.Port.ToString()));
            if (email.Username is not null)
            {
                env.Add(Env.Value("EMAIL_USER", email.Username));
            }
            if (secrets.EmailPasswordRef is { } password)
            {
                env.Add(Env.Secret("EMAIL_PASSWORD", password));
            }
        }
        return env;
    }

        private static ContainerArgs AppContainer(Tenant tenant, TenantImages images, DatabaseConnection database, TenantSecrets secrets) => new()
    {
        Name = "admin-site",
        Image = images.AdminSite.PullPath,
        Ports =
        {
            new ContainerPortArgs { Name = "web", ContainerPortValue = AdminSitePorts.Web },
            new ContainerPortArgs { Name = "jobs", ContainerPortValue = AdminSitePorts.Jobs },
        },
        Env = AppEnvironment(tenant, database, secrets),
        Resources = Restricted.Resources(tenant.Size.AdminSite),
        // The entrypoint clones core scripts into the image's tree, so the root stays writable.
        SecurityContext = Restricted.Container(new ContainerSecurity(ReadOnlyRootFilesystem: false)),
        // Migrations run before gunicorn listens: the first start may take the whole startup budget.
        StartupProbe = new ProbeArgs
        {
            TcpSocket = new TCPSocketActionArgs { Port = "web" },
            PeriodSeconds = StartupBudget.ProbePeriodSeconds,
            FailureThreshold = StartupBudget.ProbeFailureThreshold,
        },
        LivenessProbe = new ProbeArgs { TcpSocket = new TCPSocketActionArgs { Port = "web" }, PeriodSeconds = 20, FailureThreshold = 3 },
        // Django answers 400 to hosts outside ALLOWED_HOSTS, so the probe sends the tenant's host.
        ReadinessProbe = new ProbeArgs
        {
            HttpGet = new HTTPGetActionArgs
            {
                Path = AdminSitePorts.ReadinessPath,
                Port = "web",
                HttpHeaders = new HTTPHeaderArgs { Name = "Host", Value = tenant.Host },
            },
            PeriodSeconds = 10,
            TimeoutSeconds = 5,
            FailureThreshold = 3,
        },
        VolumeMounts =
        {
            new VolumeMountArgs { Name = "media", MountPath = MediaPath },
            new VolumeMountArgs { Name = "tmp", MountPath = "/tmp" },
            new VolumeMountArgs { Name = "shm", MountPath = "/dev/shm" },
            new VolumeMountArgs { Name = "core-scripts", MountPath = "/code/admin_site/downloaded_core_scripts" },
            DatabaseCaMount.Mount(),
        },
    };

        private static ContainerArgs MediaServerContainer(Tenant tenant, TenantImages images) => new()
    {
        Name = "media-server",
        Image = images.MediaServer.PullPath,
        Ports = new ContainerPortArgs { Name = "http", ContainerPortValue = AdminSitePorts.MediaServer },
        Resources = Restricted.Resources(tenant.Size.MediaServer),
        SecurityContext = Restricted.Container(new ContainerSecurity(Uid: Images.MediaServerUid)),
        ReadinessProbe = new ProbeArgs { TcpSocket = new TCPSocketActionArgs { Port = "http" }, PeriodSeconds = 10 },
        VolumeMounts =
        {
            new VolumeMountArgs { Name = "media", MountPath = MediaPath, ReadOnly = true },
            new VolumeMountArgs { Name = "media-server-config", MountPath = "/etc/nginx/nginx.conf", SubPath = "nginx.conf", ReadOnly = true },
            new VolumeMountArgs { Name = "media-server-tmp", MountPath = "/tmp" },
        },
    };

    private static string Checksum(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
}
