using OS2BorgerPC.Deploy.TenantProgram.Kubernetes;
using OS2BorgerPC.Deploy.TenantDecisions.Model;
using Pulumi;
using Pulumi.Kubernetes.Types.Inputs.Core.V1;

namespace OS2BorgerPC.Deploy.TenantProgram.Components;

/// <summary>
/// The admin site's scheduled jobs (check_notifications, clean_up_database): CronJobs that call the
/// jobs port inside the namespace, so the image's entrypoint (migrations, core-scripts clone) never re-runs.
/// </summary>
public sealed class AdminSiteJobs : ComponentResource
{
    public AdminSiteJobs(TenantScope scope, ComponentResourceOptions? options = null)
        : base("os2borgerpc:kubernetes:AdminSiteJobs", scope.Tenant.Slug, options)
    {
        var tenant = scope.Tenant;
        foreach (var job in ScheduledJob.All)
        {
            CronJobs.Create(scope, job.Name, Workloads.ScheduledJob, job.Schedule, new PodSpecArgs
            {
                SecurityContext = Restricted.Pod(Images.CurlUid),
                Containers = new ContainerArgs
                {
                    Name = "call",
                    Image = scope.Images.Curl.PullPath,
                    // The Host header is the tenant's: Django rejects hosts outside ALLOWED_HOSTS.
                    Command =
                    {
                        "curl", "--fail", "--silent", "--show-error", "--max-time", "1800",
                        "--header", $"Host: {tenant.Host}",
                        $"http://{AdminSite.JobsService}:{AdminSitePorts.Jobs}{job.Endpoint}",
                    },
                    Resources = Restricted.Resources(tenant.Size.Job),
                    SecurityContext = Restricted.Container(),
                },
            }, this);
        }
        RegisterOutputs(new Dictionary<string, object?> { ["jobs"] = ScheduledJob.All.Count });
    }
}
