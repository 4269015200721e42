using OS2BorgerPC.Deploy.Cli.Processes;
using OS2BorgerPC.Deploy.TenantDecisions.Fleet;
using OS2BorgerPC.Deploy.TenantDecisions.Model;
using OS2BorgerPC.Deploy.TenantDecisions.Naming;
using OS2BorgerPC.Deploy.TenantDecisions.Security;

namespace OS2BorgerPC.Deploy.Cli.Status;

/// <summary>
/// Gathers what <c>fleet status</c> shows of one tenant: the commit its stack was deployed from (the stack tag a
/// successful deploy writes, <c>pulumi stack tag get</c>, run in the repository as an operator would), its namespace (<c>kubectl get ... -o json</c>) and the drift workflow's
/// last verdict. Anything it cannot read becomes an unknown fact with the reason, never an exception.
/// </summary>
public sealed class TenantStatusProbe(IProcessRunner processes, string repositoryRoot, IReadOnlyList<IBackupProbe> backups, IReadOnlyDictionary<string, DriftResult>? drift)
{
    public const string Pulumi = "pulumi";

    public TenantObservation Observe(Tenant tenant)
    {
        var commit = DeployedCommit(tenant.Slug);
        var driftResult = drift is null ? Observed<DriftResult>.Unknown("no drift result file")
            : drift.TryGetValue(tenant.Slug, out var verdict) ? Observed<DriftResult>.Known(verdict)
            : Observed<DriftResult>.Unknown("not in the drift result file");
        var (version, backup, certificate, pods) = InCluster(tenant);
        return new TenantObservation(tenant.Slug, tenant.AdminUrl, tenant.Release.VersionText, version, commit, backup, certificate, pods, driftResult) { Ring = tenant.Ring };
    }

    private Observed<string> DeployedCommit(string stack)
    {
        var tag = CiIdentities.DeployedCommitTag;
        var result = processes.Run(new ProcessCall(Pulumi, ["stack", "tag", "get", tag, "--stack", stack, "--non-interactive"]) { WorkingDirectory = repositoryRoot });
        if (result.NotFound)
        {
            return Observed<string>.Unknown("pulumi is not installed");
        }
        if (result.Succeeded && result.Output.Trim() is { Length: > 0 } commit)
        {
            return Observed<string>.Known(commit);
        }
        return Observed<string>.Unknown(result.Reason.Contains("no stack named", StringComparison.Ordinal)
            ? $"no stack '{stack}' in the Pulumi backend (pulumi stack init {stack})"
            : $"the stack has no tag {tag} (a successful deploy writes it): {result.Reason}".TrimEnd(' ', ':'));
    }

    private (Observed<string>, Observed<DateTimeOffset>, Observed<DateTimeOffset>, Observed<PodReadiness>) InCluster(Tenant tenant)
    {
        if (!tenant.HasLiveCluster)
        {
            return AllUnknown($"renders manifests to {tenant.Cluster.RenderToDirectory}; there is no cluster");
        }
        var kubectl = new Kubectl(processes, tenant.Cluster.Context, tenant.Names.Namespace);
        var deployment = ClusterQuery.Get(kubectl, "deployment", TenantObjects.AdminSite);
        if (!deployment.IsKnown && !ClusterQuery.IsNotFound(deployment.Why!))
        {
            // The cluster did not answer (or kubectl is missing): every other question would wait for it too.
            return AllUnknown(deployment.Why!);
        }
        var version = deployment.IsKnown ? ClusterQuery.Parsed(() => ClusterFacts.RunningVersion(deployment.Value))
            : Observed<string>.Unknown($"no Deployment {TenantObjects.AdminSite} in {tenant.Names.Namespace}");
        var pods = ClusterQuery.Get(kubectl, "pods");
        var certificates = ClusterQuery.Get(kubectl, "certificates.cert-manager.io");
        return (
            version,
            LastBackup(kubectl),
            certificates.IsKnown
                ? ClusterQuery.Parsed(() => ClusterFacts.CertificateNotAfter(certificates.Value) is { } notAfter ? Observed<DateTimeOffset>.Known(notAfter)
                    : Observed<DateTimeOffset>.Unknown($"no issued Certificate in {tenant.Names.Namespace}"))
                : Observed<DateTimeOffset>.Unknown(certificates.Why!),
            pods.IsKnown ? ClusterQuery.Parsed(() => Observed<PodReadiness>.Known(ClusterFacts.Pods(pods.Value))) : Observed<PodReadiness>.Unknown(pods.Why!));
    }

    /// <summary>The oldest of the newest backups of each kind the tenant has.</summary>
    private Observed<DateTimeOffset> LastBackup(Kubectl kubectl)
    {
        var kinds = backups.Select(probe => probe.Last(kubectl)).OfType<Observed<DateTimeOffset>>().ToList();
        if (kinds.Count == 0)
        {
            return Observed<DateTimeOffset>.Unknown("the tenant has no backups of any kind the status knows");
        }
        var unknown = kinds.Where(k => !k.IsKnown).Select(k => k.Why).ToList();
        return unknown.Count > 0 ? Observed<DateTimeOffset>.Unknown(string.Join("; ", unknown)) : Observed<DateTimeOffset>.Known(kinds.Min(k => k.Value));
    }

    private static (Observed<string>, Observed<DateTimeOffset>, Observed<DateTimeOffset>, Observed<PodReadiness>) AllUnknown(string why) =>
        (Observed<string>.Unknown(why), Observed<DateTimeOffset>.Unknown(why), Observed<DateTimeOffset>.Unknown(why), Observed<PodReadiness>.Unknown(why));
}
