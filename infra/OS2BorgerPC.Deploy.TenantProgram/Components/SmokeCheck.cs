using OS2BorgerPC.Deploy.TenantProgram.Kubernetes;
using OS2BorgerPC.Deploy.TenantProgram.Kubernetes.GatewayApi;
using OS2BorgerPC.Deploy.TenantDecisions.Model;
using OS2BorgerPC.Deploy.TenantDecisions.Templates;
using OS2BorgerPC.Deploy.TenantDecisions.Traffic;
using Pulumi;
using Pulumi.Kubernetes.Batch.V1;
using Pulumi.Kubernetes.Types.Inputs.Batch.V1;
using Pulumi.Kubernetes.Types.Inputs.Core.V1;

namespace OS2BorgerPC.Deploy.TenantProgram.Components;

/// <summary>
/// After each rollout, a Job in the tenant's namespace checks the admin site's login page and XML-RPC through its
/// Service, and over HTTPS through the platform's Gateway that the route refuses the check's pod, or the tenant's own route where
/// the check's pod may be inside the allow-list (<see cref="SmokeCheckPlan"/>; templates/smoke-check.sh.scriban). Pulumi waits for
/// the Job: its failure fails <c>pulumi up</c>, and the pod's termination message carries the end of its log.
/// </summary>
public sealed class SmokeCheck : ComponentResource
{
    public SmokeCheck(TenantScope scope, AdminSite site, AdminSiteTraffic traffic, ComponentResourceOptions? options = null)
        : base("os2borgerpc:operations:SmokeCheck", scope.Tenant.Slug, options)
    {
        var tenant = scope.Tenant;
        var plan = SmokeCheckPlan.For(tenant, scope.Platform.PodSourceRanges);
        var gateway = new PlatformGateway("platform-gateway", scope.Platform.Gateway, new CustomResourceOptions { Parent = this });
        Job = new Job(Workloads.SmokeCheck, new JobArgs
        {
            Metadata = scope.Meta(Workloads.SmokeCheck, Workloads.SmokeCheck),
            Spec = new JobSpecArgs
            {
                BackoffLimit = 0,
                ActiveDeadlineSeconds = StartupBudget.SmokeCheckDeadlineSeconds,
                Template = new PodTemplateSpecArgs
                {
                    // A new release is checked again: the template changes, so the Job is replaced.
                    Metadata = scope.PodMeta(Workloads.SmokeCheck, new InputMap<string> { { "os2borgerpc.dk/release", tenant.Release.VersionText } }),
                    Spec = new PodSpecArgs
                    {
                        RestartPolicy = "Never",
                        // On the pod too: only a pod's own deadline puts it in the Jobs' quota, not the app's.
                        ActiveDeadlineSeconds = StartupBudget.SmokeCheckDeadlineSeconds,
                        ServiceAccountName = Workloads.ServiceAccount,
                        AutomountServiceAccountToken = false,
                        SecurityContext = Restricted.Pod(Images.CurlUid),
                        Containers = new ContainerArgs
                        {
                            Name = "check",
                            Image = scope.Images.Curl.PullPath,
                            Command = { "/bin/sh", "-c", gateway.Address.Apply(address => OperationScripts.SmokeCheck(tenant, address, plan)) },
                            Resources = Restricted.Resources(tenant.Size.Job),
                            SecurityContext = Restricted.Container(),
                            // On failure the end of the log becomes the pod's termination message, which Pulumi reports.
                            TerminationMessagePolicy = "FallbackToLogsOnError",
                        },
                    },
                },
            },
        }, new CustomResourceOptions
        {
            Parent = this,
            DependsOn = { site.Deployment, traffic },
            // The Job keeps its name, so a replacement deletes the old one first.
            DeleteBeforeReplace = true,
            CustomTimeouts = new CustomTimeouts { Create = StartupBudget.SmokeCheckTimeout, Update = StartupBudget.SmokeCheckTimeout },
        });
        RegisterOutputs(new Dictionary<string, object?> { ["url"] = tenant.AdminUrl });
    }

    public Job Job { get; }
}
