using k8s;
using k8s.Models;
using OS2BorgerPC.Deploy.TenantDecisions.Model;
using OS2BorgerPC.Deploy.TenantDecisions.Naming;
using OS2BorgerPC.Deploy.TenantDecisions.Security;
using OS2BorgerPC.Deploy.TenantDecisions.Templates;

namespace OS2BorgerPC.Deploy.TenantDecisions.Import;

/// <summary>
/// The Kubernetes objects of one import, as data: the CLI applies them with kubectl. They pass the
/// namespace's Pod Security Standard <c>restricted</c>, run as the app's user (uploads stay the app's), take
/// the database password from the tenant's Secret by reference, and mount the same volumes the program mounts.
/// </summary>
public static class ImportManifests
{
    public const string ManagedBy = "os2borgerpc-deploy-cli";
    public const string ImportComponent = "import";
    public const string UploadWorkload = "import-upload";
    public const string StagingVolume = "staging";

    /// <summary>How long an upload pod lives if the CLI never deletes it.</summary>
    public const int UploadPodDeadlineSeconds = 3600;

    public static V1ConfigMap ScriptConfigMap(ImportPlan plan) => new()
    {
        ApiVersion = "v1",
        Kind = "ConfigMap",
        Metadata = Meta(plan, plan.ScriptConfigMapName, TenantObjects.Backup),
        Data = new Dictionary<string, string> { [ImportPlan.ScriptFile] = TemplateRenderer.Source(ImportPlan.ScriptFile) },
    };

    /// <summary>
    /// The import itself. It runs as the backup workload: the NetworkPolicies let exactly that workload (and the
    /// admin site) reach the database. Never retried: a failed restore has rolled back, and a rerun repeats it.
    /// </summary>
    public static V1Job Job(ImportPlan plan) => new()
    {
        ApiVersion = "batch/v1",
        Kind = "Job",
        Metadata = Meta(plan, plan.JobName, TenantObjects.Backup),
        Spec = new V1JobSpec
        {
            BackoffLimit = 0,
            ActiveDeadlineSeconds = JobLimits.DeadlineSeconds,
            TtlSecondsAfterFinished = JobLimits.KeepFinishedSeconds,
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = Labels(plan.Tenant, TenantObjects.Backup) },
                Spec = Pod(plan, new V1Container
                {
                    Name = ImportComponent,
                    Image = Images.Postgres,
                    Command = ["/bin/bash", $"{ImportPlan.ScriptPath}/{ImportPlan.ScriptFile}"],
                    Env =
                    [
                        .. plan.Connection.Select(Value),
                        new V1EnvVar
                        {
                            Name = "PGPASSWORD",
                            ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = TenantObjects.AppSecret, Key = TenantObjects.DatabasePasswordKey } },
                        },
                        .. plan.Settings.Select(Value),
                    ],
                    VolumeMounts =
                    [
                        new V1VolumeMount { Name = "script", MountPath = ImportPlan.ScriptPath, ReadOnlyProperty = true },
                        new V1VolumeMount { Name = "media", MountPath = ImportPlan.MediaPath },
                        new V1VolumeMount { Name = StagingVolume, MountPath = ImportPlan.StagingPath },
                        new V1VolumeMount { Name = "tmp", MountPath = "/tmp" },
                        new V1VolumeMount { Name = DatabaseTls.Volume, MountPath = DatabaseTls.MountPath, ReadOnlyProperty = true },
                    ],
                },
                [
                    new V1Volume { Name = "script", ConfigMap = new V1ConfigMapVolumeSource { Name = plan.ScriptConfigMapName } },
                    Volume("media", TenantStorage.Media(plan.Tenant)),
                    Volume(StagingVolume, plan.StagingVolume),
                    RootCertificate(DatabaseTls.For(plan.Tenant)),
                ], restartPolicy: "Never", activeDeadlineSeconds: JobLimits.DeadlineSeconds),
            },
        },
    };

    /// <summary>A pod with only the staging volume mounted, idle, into which the CLI streams the dump and the archive.</summary>
    public static V1Pod UploadPod(ImportPlan plan) => new()
    {
        ApiVersion = "v1",
        Kind = "Pod",
        Metadata = Meta(plan, plan.UploadPodName, UploadWorkload),
        Spec = Pod(plan, new V1Container
        {
            Name = "upload",
            Image = Images.Postgres,
            Command = ["sleep", UploadPodDeadlineSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            VolumeMounts = [new V1VolumeMount { Name = StagingVolume, MountPath = ImportPlan.StagingPath }, new V1VolumeMount { Name = "tmp", MountPath = "/tmp" }],
        },
        [Volume(StagingVolume, plan.StagingVolume)], restartPolicy: "Never", activeDeadlineSeconds: UploadPodDeadlineSeconds),
    };

    /// <summary>The import's own staging claim (kubernetes hosting), labelled as the import's.</summary>
    public static V1PersistentVolumeClaim StagingClaim(ImportPlan plan, string storageClass) =>
        plan.StagingClaim(storageClass).Manifest(plan.Tenant, ImportComponent, ManagedBy);

    /// <summary>The objects as one YAML stream for <c>kubectl apply -f -</c>.</summary>
    public static string Yaml(params object[] objects) => string.Join("---\n", objects.Select(KubernetesYaml.Serialize));

    /// <summary>
    /// A restricted pod of the tenant, placed freely: /media is ReadWriteMany (the platform's shared class, Azure Files),
    /// so no affinity to the app, which may be scaled to 0. Its own deadline puts it in the namespace's Terminating
    /// quota (TenantQuota.Jobs).
    /// </summary>
    private static V1PodSpec Pod(ImportPlan plan, V1Container container, IReadOnlyList<V1Volume> volumes, string restartPolicy, long activeDeadlineSeconds)
    {
        container.Resources = new V1ResourceRequirements
        {
            Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new(plan.Tenant.Size.Job.CpuRequest), ["memory"] = new(plan.Tenant.Size.Job.MemoryRequest) },
            Limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = new(plan.Tenant.Size.Job.CpuLimit), ["memory"] = new(plan.Tenant.Size.Job.MemoryLimit) },
        };
        container.SecurityContext = ContainerContext(new ContainerSecurity());
        return new V1PodSpec
        {
            RestartPolicy = restartPolicy,
            ActiveDeadlineSeconds = activeDeadlineSeconds,
            ServiceAccountName = TenantObjects.ServiceAccount,
            AutomountServiceAccountToken = false,
            SecurityContext = PodContext(PodSecurity.RunAs(AdminSitePorts.AppUid)),
            Containers = [container],
            Volumes = [.. volumes, new V1Volume { Name = "tmp", EmptyDir = new V1EmptyDirVolumeSource { SizeLimit = new ResourceQuantity(ContainerSecurity.ScratchSizeLimit) } }],
        };
    }

    private static V1PodSecurityContext PodContext(PodSecurity security) => new()
    {
        RunAsNonRoot = security.RunAsNonRoot,
        RunAsUser = security.Uid,
        RunAsGroup = security.Gid,
        FsGroup = security.FsGroup,
        FsGroupChangePolicy = security.FsGroupChangePolicy,
        SeccompProfile = new V1SeccompProfile { Type = security.SeccompProfile },
    };

    private static V1SecurityContext ContainerContext(ContainerSecurity security) => new()
    {
        RunAsNonRoot = security.RunAsNonRoot,
        RunAsUser = security.Uid,
        RunAsGroup = security.Gid,
        AllowPrivilegeEscalation = security.AllowPrivilegeEscalation,
        Privileged = security.Privileged,
        ReadOnlyRootFilesystem = security.ReadOnlyRootFilesystem,
        Capabilities = new V1Capabilities { Drop = [.. security.DroppedCapabilities] },
        SeccompProfile = new V1SeccompProfile { Type = security.SeccompProfile },
    };

    /// <summary>A data volume as the program mounts it: the claim, or the Azure Files share through the CSI driver.</summary>
    private static V1Volume Volume(string name, DataVolume volume) => volume switch
    {
        DataVolume.Claim claim => new V1Volume { Name = name, PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = claim.ClaimName } },
        DataVolume.AzureFiles share => new V1Volume
        {
            Name = name,
            Csi = new V1CSIVolumeSource { Driver = TenantStorage.AzureFilesCsiDriver, VolumeAttributes = share.Attributes.ToDictionary() },
        },
        _ => throw new ArgumentOutOfRangeException(nameof(volume), volume, "unknown data volume"),
    };

    /// <summary>The database's root certificate: only its certificate key projected (<see cref="DatabaseTls"/>).</summary>
    private static V1Volume RootCertificate(DatabaseCa ca)
    {
        List<V1KeyToPath> items = [new V1KeyToPath { Key = ca.Key, Path = DatabaseTls.CertificateFile }];
        return ca.Kind switch
        {
            DatabaseCaKind.Secret => new V1Volume { Name = DatabaseTls.Volume, Secret = new V1SecretVolumeSource { SecretName = ca.Name, Items = items } },
            DatabaseCaKind.ConfigMap => new V1Volume { Name = DatabaseTls.Volume, ConfigMap = new V1ConfigMapVolumeSource { Name = ca.Name, Items = items } },
            _ => throw new ArgumentOutOfRangeException(nameof(ca), ca.Kind, "unknown kind of root certificate"),
        };
    }

    private static V1EnvVar Value(KeyValuePair<string, string> setting) => new() { Name = setting.Key, Value = setting.Value };

    private static V1ObjectMeta Meta(ImportPlan plan, string name, string workload) => new()
    {
        Name = name,
        NamespaceProperty = plan.Tenant.Names.Namespace,
        Labels = Labels(plan.Tenant, workload),
    };

    private static Dictionary<string, string> Labels(Tenant tenant, string workload) => new(tenant.Names.Labels)
    {
        [TenantObjects.NameLabel] = workload,
        [TenantObjects.ComponentLabel] = ImportComponent,
        [TenantObjects.ManagedByLabel] = ManagedBy,
    };
}
