using OS2BorgerPC.Deploy.Infra.Contracts;
using OS2BorgerPC.Deploy.Infra.Kubernetes;
using OS2BorgerPC.Deploy.Tenants.Model;
using OS2BorgerPC.Deploy.Tenants.Templates;
using Pulumi;
using Pulumi.Kubernetes.Apps.V1;
using Pulumi.Kubernetes.Core.V1;
using Pulumi.Kubernetes.Types.Inputs.Apps.V1;
using Pulumi.Kubernetes.Types.Inputs.Core.V1;
using Pulumi.Kubernetes.Types.Inputs.Networking.V1;
using Pulumi.Random;

namespace OS2BorgerPC.Deploy.Infra.Components;

/// <summary>
/// The database of a <c>kubernetes</c> tenant: PostgreSQL as a single-replica StatefulSet under the
/// <c>restricted</c> profile, on a protected claim, with the app's login owning its database (not a superuser).
/// </summary>
public sealed class InClusterDatabase : ComponentResource
{
    public const int Port = DatabaseEndpoint.PostgresPort;
    private const string DataPath = "/var/lib/postgresql/data";

    public InClusterDatabase(TenantScope scope, SecretKey appPassword, ComponentResourceOptions? options = null)
        : base("os2borgerpc:kubernetes:InClusterDatabase", scope.Tenant.Slug, options)
    {
        var tenant = scope.Tenant;
        var child = new CustomResourceOptions { Parent = this };

        var superuserPassword = new RandomPassword("superuser-password", new RandomPasswordArgs { Length = 32, Special = false }, child);
        var superuser = new Secret("superuser", new SecretArgs
        {
            Metadata = scope.Meta("postgres-superuser", Workloads.Postgres),
            StringData = { { "password", Output.CreateSecret(superuserPassword.Result) } },
        }, child);
        var superuserRef = new SecretKey(superuser.Metadata.Apply(m => m.Name), "password");

        var init = new ConfigMap("init", new ConfigMapArgs
        {
            Metadata = scope.Meta("postgres-init", Workloads.Postgres),
            Data = { { "10-app-login.sh", TemplateRenderer.Source("postgres-init.sh") } },
        }, child);

        var data = Claims.Data(scope, "postgres-data", tenant.Size.DatabaseStorageGiB, "ReadWriteOnce", tenant.Cluster.StorageClass, this);

        var statefulSet = new StatefulSet("postgres", new StatefulSetArgs
        {
            Metadata = scope.Meta(Workloads.Postgres, Workloads.Postgres),
            Spec = new StatefulSetSpecArgs
            {
                Replicas = 1,
                ServiceName = Workloads.Postgres,
                Selector = Workloads.PodSelector(Workloads.Postgres),
                Template = new PodTemplateSpecArgs
                {
                    Metadata = scope.PodMeta(Workloads.Postgres),
                    Spec = new PodSpecArgs
                    {
                        ServiceAccountName = Workloads.ServiceAccount,
                        AutomountServiceAccountToken = false,
                        SecurityContext = Restricted.Pod(Images.PostgresUid),
                        Containers = new ContainerArgs
                        {
                            Name = "postgres",
                            Image = Images.Postgres,
                            Ports = new ContainerPortArgs { Name = "postgres", ContainerPortValue = Port },
                            Env =
                            {
                                Env.Secret("POSTGRES_PASSWORD", superuserRef),
                                // A subfolder: the volume's root may hold lost+found, which initdb refuses.
                                Env.Value("PGDATA", $"{DataPath}/pgdata"),
                                Env.Value("APP_DB_NAME", tenant.Names.DatabaseName),
                                Env.Value("APP_DB_USER", tenant.Names.DatabaseUser),
                                Env.Secret("APP_DB_PASSWORD", appPassword),
                            },
                            Resources = Restricted.Resources(tenant.Size.Database),
                            SecurityContext = Restricted.Container(),
                            ReadinessProbe = IsReady(periodSeconds: 10, failureThreshold: 3),
                            LivenessProbe = IsReady(periodSeconds: 30, failureThreshold: 6),
                            VolumeMounts =
                            {
                                new VolumeMountArgs { Name = "data", MountPath = DataPath },
                                new VolumeMountArgs { Name = "init", MountPath = "/docker-entrypoint-initdb.d", ReadOnly = true },
                                new VolumeMountArgs { Name = "run", MountPath = "/var/run/postgresql" },
                                new VolumeMountArgs { Name = "tmp", MountPath = "/tmp" },
                            },
                        },
                        Volumes =
                        {
                            Claims.Volume("data", data.Metadata.Apply(m => m.Name)),
                            new VolumeArgs { Name = "init", ConfigMap = new ConfigMapVolumeSourceArgs { Name = init.Metadata.Apply(m => m.Name), DefaultMode = 365 } },
                            Restricted.Scratch("run"),
                            Restricted.Scratch("tmp"),
                        },
                    },
                },
            },
        }, child);

        var service = new Service("postgres", new ServiceArgs
        {
            Metadata = scope.Meta(Workloads.Postgres, Workloads.Postgres),
            Spec = new ServiceSpecArgs
            {
                Selector = Workloads.Selector(Workloads.Postgres),
                Ports = new ServicePortArgs { Name = "postgres", Port = Port, TargetPort = "postgres" },
            },
        }, child);

        Connection = new DatabaseConnection(
            Host: service.Metadata.Apply(m => m.Name),
            Port: Port,
            Name: tenant.Names.DatabaseName,
            User: tenant.Names.DatabaseUser,
            Password: appPassword,
            Peer: new NetworkPolicyPeerArgs { PodSelector = Workloads.PodSelector(Workloads.Postgres) },
            Ready: statefulSet)
        {
            PodLabels = new Dictionary<string, string> { [OS2BorgerPC.Deploy.Tenants.Naming.TenantObjects.NameLabel] = Workloads.Postgres },
        };

        RegisterOutputs(new Dictionary<string, object?> { ["host"] = Connection.Host });
    }

    public DatabaseConnection Connection { get; }

    private static ProbeArgs IsReady(int periodSeconds, int failureThreshold) => new()
    {
        Exec = new ExecActionArgs { Command = { "pg_isready", "--host=127.0.0.1", $"--port={Port}" } },
        PeriodSeconds = periodSeconds,
        FailureThreshold = failureThreshold,
        TimeoutSeconds = 5,
    };
}
