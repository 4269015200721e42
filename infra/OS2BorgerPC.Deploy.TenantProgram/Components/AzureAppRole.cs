using OS2BorgerPC.Deploy.TenantProgram.Contracts;
using OS2BorgerPC.Deploy.TenantProgram.Kubernetes;
using OS2BorgerPC.Deploy.TenantDecisions.Model;
using OS2BorgerPC.Deploy.TenantDecisions.Security;
using OS2BorgerPC.Deploy.TenantDecisions.Templates;
using Pulumi;
using Pulumi.Azure.Authorization;
using Pulumi.Kubernetes.Batch.V1;
using Pulumi.Kubernetes.Core.V1;
using Pulumi.Kubernetes.Networking.V1;
using Pulumi.Kubernetes.Types.Inputs.Batch.V1;
using Pulumi.Kubernetes.Types.Inputs.Core.V1;
using Pulumi.Kubernetes.Types.Inputs.Meta.V1;
using Pulumi.Kubernetes.Types.Inputs.Networking.V1;

namespace OS2BorgerPC.Deploy.TenantProgram.Components;

/// <param name="Host">The server's FQDN.</param>
/// <param name="Administrator">The managed identity that is the server's Entra administrator.</param>
/// <param name="Password">The app role's password, in the app's Secret.</param>
/// <param name="Peer">The server as a NetworkPolicy peer.</param>
/// <param name="Ca">The roots the server's certificate chains to (verify-full).</param>
/// <param name="DependsOn">The database and the Entra administrator: the Job runs once both exist.</param>
public sealed record AzureAppRoleArgs(
    Output<string> Host,
    UserAssignedIdentity Administrator,
    SecretKey Password,
    NetworkPolicyPeerArgs Peer,
    DatabaseCa Ca,
    IReadOnlyList<Resource> DependsOn);

/// <summary>
/// The admin site's own role on an Azure server (<see cref="DatabaseRoles.AzureAppRole"/>): a Job, run on every
/// <c>pulumi up</c> whose inputs changed, that signs in as the server's Entra administrator through workload
/// identity (an access token good for about an hour; no password of the server's administrator in the pod) and
/// runs templates/azure-app-role.sh. The admin site starts after it (<see cref="Job"/> is the connection's Ready).
/// </summary>
public sealed class AzureAppRole : ComponentResource
{
    public const string Workload = "db-app-role";
    private const string TokenPath = "/token";
    private const string TokenFile = TokenPath + "/access-token";
    private const int DeadlineSeconds = 600;

    public AzureAppRole(TenantScope scope, AzureAppRoleArgs args, ComponentResourceOptions? options = null)
        : base("os2borgerpc:azure:AzureAppRole", scope.Tenant.Slug, options)
    {
        var tenant = scope.Tenant;
        var endpoint = DatabaseEndpoint.For(tenant);
        var child = new CustomResourceOptions { Parent = this };

        // The workload identity webhook gives pods of this service account the administrator identity's token.
        var serviceAccount = new ServiceAccount(Workload, new ServiceAccountArgs
        {
            Metadata = new ObjectMetaArgs
            {
                Name = DatabaseRoles.AppRoleServiceAccount,
                Namespace = scope.Namespace,
                Labels = Workloads.Labels(tenant, Workload),
                Annotations = { { "azure.workload.identity/client-id", args.Administrator.ClientId } },
            },
            AutomountServiceAccountToken = false,
        }, child);

        var scripts = new ConfigMap("scripts", new ConfigMapArgs
        {
            Metadata = scope.Meta(Workload, Workload),
            Data =
            {
                { DatabaseRoles.TokenScript, TemplateRenderer.Source(DatabaseRoles.TokenScript) },
                { DatabaseRoles.AppRoleScript, TemplateRenderer.Source(DatabaseRoles.AppRoleScript) },
            },
        }, child);

        // Default deny holds for everything else: the Job reaches Entra ID (HTTPS) and its server, nothing more.
        var egress = new NetworkPolicy(Workload + "-egress", new NetworkPolicyArgs
        {
            Metadata = scope.Meta(Workload + "-egress"),
            Spec = new NetworkPolicySpecArgs
            {
                PodSelector = Workloads.PodSelector(Workload),
                PolicyTypes = { "Egress" },
                Egress =
                {
                    new NetworkPolicyEgressRuleArgs { To = args.Peer, Ports = new NetworkPolicyPortArgs { Port = endpoint.Port, Protocol = "TCP" } },
                    new NetworkPolicyEgressRuleArgs
                    {
                        To = new NetworkPolicyPeerArgs { IpBlock = new IPBlockArgs { Cidr = "0.0.0.0/0", Except = [.. OS2BorgerPC.Deploy.TenantDecisions.Traffic.TenantNetwork.PrivateRanges] } },
                        Ports = new NetworkPolicyPortArgs { Port = 443, Protocol = "TCP" },
                    },
                },
            },
        }, child);

        var role = Script("role", scope.Images.Postgres.PullPath, DatabaseRoles.AppRoleScript, tokenWritable: false, tenant.Size.Job,
            Env.Value("PGHOST", args.Host),
            Env.Value("PGUSER", args.Administrator.Name),
            Env.Value("ACCESS_TOKEN_FILE", TokenFile),
            Env.Value("APP_DB_USER", endpoint.User),
            Env.Value("APP_DB_NAME", endpoint.Name),
            Env.Secret("APP_DB_PASSWORD", args.Password));
        // It verifies the server (verify-full against Azure's roots) before it sends the administrator's token.
        role.Env.Add(DatabaseCaMount.Environment());
        role.VolumeMounts.Add(DatabaseCaMount.Mount());

        var podLabels = Workloads.Labels(tenant, Workload);
        podLabels.Add("azure.workload.identity/use", "true");
        Job = new Job(Workload, new JobArgs
        {
            Metadata = scope.Meta(Workload, Workload),
            Spec = new JobSpecArgs
            {
                BackoffLimit = 2,
                ActiveDeadlineSeconds = DeadlineSeconds,
                Template = new PodTemplateSpecArgs
                {
                    Metadata = new ObjectMetaArgs { Labels = podLabels },
                    Spec = new PodSpecArgs
                    {
                        ServiceAccountName = serviceAccount.Metadata.Apply(m => m.Name),
                        AutomountServiceAccountToken = false,
                        RestartPolicy = "Never",
                        // On the pod too: only a pod's own deadline puts it in the Jobs' quota, not the app's.
                        ActiveDeadlineSeconds = DeadlineSeconds,
                        SecurityContext = Restricted.Pod(Images.PostgresUid),
                        InitContainers = Script("token", scope.Images.Curl.PullPath, DatabaseRoles.TokenScript, tokenWritable: true, tenant.Size.Job,
                            Env.Value("TOKEN_SCOPE", DatabaseRoles.AccessTokenScope),
                            Env.Value("ACCESS_TOKEN_FILE", TokenFile)),
                        Containers = role,
                        Volumes =
                        {
                            new VolumeArgs { Name = "scripts", ConfigMap = new ConfigMapVolumeSourceArgs { Name = scripts.Metadata.Apply(m => m.Name), DefaultMode = 292 } },
                            // The access token, in memory only, gone with the pod.
                            new VolumeArgs { Name = "token", EmptyDir = new EmptyDirVolumeSourceArgs { Medium = "Memory", SizeLimit = "1Mi" } },
                            DatabaseCaMount.Volume(args.Ca),
                        },
                    },
                },
            },
        }, new CustomResourceOptions
        {
            Parent = this,
            DependsOn = [.. args.DependsOn, egress],
            // A Job's pod template cannot change: a new script or setting runs a new Job under the same name.
            DeleteBeforeReplace = true,
        });

        RegisterOutputs(new Dictionary<string, object?> { ["job"] = Job.Metadata.Apply(m => m.Name) });
    }

    /// <summary>Resolves when the app's role exists and owns its database.</summary>
    public Job Job { get; }

    /// <summary>A container that runs one of the kit's scripts from the ConfigMap, with the token folder mounted.</summary>
    private static ContainerArgs Script(string name, string image, string script, bool tokenWritable, ComputeBudget size, params EnvVarArgs[] env) => new()
    {
        Name = name,
        Image = image,
        Command = { "/bin/sh", $"/scripts/{script}" },
        Env = env,
        VolumeMounts =
        {
            new VolumeMountArgs { Name = "scripts", MountPath = "/scripts", ReadOnly = true },
            new VolumeMountArgs { Name = "token", MountPath = TokenPath, ReadOnly = !tokenWritable },
        },
        Resources = Restricted.Resources(size),
        SecurityContext = Restricted.Container(),
    };
}
