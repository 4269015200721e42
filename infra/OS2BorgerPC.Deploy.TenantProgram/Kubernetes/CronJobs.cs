using OS2BorgerPC.Deploy.TenantDecisions.Model;
using Pulumi;
using Pulumi.Kubernetes.Batch.V1;
using Pulumi.Kubernetes.Types.Inputs.Batch.V1;
using Pulumi.Kubernetes.Types.Inputs.Core.V1;

namespace OS2BorgerPC.Deploy.TenantProgram.Kubernetes;

/// <summary>CronJobs in the tenant's time zone that never overlap and keep a short history.</summary>
internal static class CronJobs
{
    /// <param name="serviceAccount">The pods' ServiceAccount: the tenant's own unless a job needs an identity (the backup).</param>
    /// <param name="podLabels">Labels the pods carry besides the tenant's (e.g. the workload identity webhook's).</param>
    public static CronJob Create(TenantScope scope, string name, string workload, string schedule, PodSpecArgs pod, Resource parent,
        string serviceAccount = Workloads.ServiceAccount, IReadOnlyDictionary<string, string>? podLabels = null)
    {
        pod.RestartPolicy = "Never";
        // On the pod too: the Job's deadline is not copied into its pods, and only a pod's own deadline puts it
        // in the namespace's Terminating quota (TenantQuota.Jobs) instead of the app's.
        pod.ActiveDeadlineSeconds = JobLimits.DeadlineSeconds;
        pod.ServiceAccountName = serviceAccount;
        pod.AutomountServiceAccountToken = false;
        return new CronJob(name, new CronJobArgs
        {
            Metadata = scope.Meta(name, workload),
            Spec = new CronJobSpecArgs
            {
                Schedule = schedule,
                TimeZone = scope.Tenant.TimeZone,
                ConcurrencyPolicy = "Forbid",
                StartingDeadlineSeconds = 600,
                SuccessfulJobsHistoryLimit = 1,
                FailedJobsHistoryLimit = 3,
                JobTemplate = new JobTemplateSpecArgs
                {
                    Spec = new JobSpecArgs
                    {
                        BackoffLimit = 1,
                        ActiveDeadlineSeconds = JobLimits.DeadlineSeconds,
                        TtlSecondsAfterFinished = JobLimits.KeepFinishedSeconds,
                        Template = new PodTemplateSpecArgs { Metadata = PodMeta(scope, workload, podLabels), Spec = pod },
                    },
                },
            },
        }, new CustomResourceOptions { Parent = parent });
    }

    private static Pulumi.Kubernetes.Types.Inputs.Meta.V1.ObjectMetaArgs PodMeta(TenantScope scope, string workload, IReadOnlyDictionary<string, string>? podLabels)
    {
        var meta = scope.PodMeta(workload);
        foreach (var (key, value) in podLabels ?? new Dictionary<string, string>())
        {
            meta.Labels.Add(key, value);
        }
        return meta;
    }
}
