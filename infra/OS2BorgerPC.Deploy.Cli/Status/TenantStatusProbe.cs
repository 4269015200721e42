using OS2BorgerPC.Deploy.Cli.Processes;
using OS2BorgerPC.Deploy.TenantDecisions.Fleet;
using OS2BorgerPC.Deploy.TenantDecisions.Model;
using OS2BorgerPC.Deploy.TenantDecisions.Security;

namespace OS2BorgerPC.Deploy.Cli.Status;

/// <summary>
/// Gathers what <c>fleet status</c> shows of one tenant: the commit its stack was deployed from (the stack tag a
/// successful deploy writes, <c>pulumi stack tag get</c>, run in the repository as an operator would: Pulumi has no
/// question that answers it for every stack at once), its namespace's facts picked from its cluster's lists
/// (<see cref="ClusterLists"/>), the drift workflow's last verdict and the last restore drill. Anything it cannot read becomes an unknown
/// fact with the reason, never an exception.
/// </summary>
public sealed class TenantStatusProbe(IProcessRunner processes, string repositoryRoot, IReadOnlyDictionary<string, DriftResult>? drift,
    IReadOnlyDictionary<string, DrillResult>? drills = null)
{
    public const string Pulumi = "pulumi";

    /// <param name="commit">The stack's deployed commit (<see cref="DeployedCommit"/>).</param>
    /// <param name="clusters">The lists of each cluster the tenants run on, by context ("" for the current one).</param>
    public TenantObservation Observe(Tenant tenant, Observed<string> commit, IReadOnlyDictionary<string, ClusterInventory> clusters)
    {
        var driftResult = drift is null ? Observed<DriftResult>.Unknown("no drift result file")
            : drift.TryGetValue(tenant.Slug, out var verdict) ? Observed<DriftResult>.Known(verdict)
            : Observed<DriftResult>.Unknown("not in the drift result file");
        var facts = tenant.HasLiveCluster
            ? ClusterFacts.Of(clusters[tenant.Cluster.Context ?? ""], tenant.Names.Namespace, BackupKinds.All)
            : NamespaceFacts.Unknown($"renders manifests to {tenant.Cluster.RenderToDirectory}; there is no cluster");
        return new TenantObservation(tenant.Slug, tenant.AdminUrl, tenant.Release.VersionText, facts.DeployedVersion, commit, facts.LastBackup,
            facts.CertificateNotAfter, facts.Pods, driftResult)
        {
            Ring = tenant.Ring,
            Archiving = facts.Archiving,
            Drill = drills is null ? Observed<DrillResult>.Unknown("no drill results file")
                : drills.TryGetValue(tenant.Slug, out var drill) ? Observed<DrillResult>.Known(drill)
                : Observed<DrillResult>.Unknown("not drilled yet"),
        };
    }

    /// <summary>The commit the stack was deployed from, or why it is not known.</summary>
    public Observed<string> DeployedCommit(string stack)
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
}
