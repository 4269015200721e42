using OS2BorgerPC.Deploy.PlatformDecisions.Configuration;
using OS2BorgerPC.Deploy.PlatformDecisions.Model;
using OS2BorgerPC.Deploy.TenantDecisions.Configuration;
using OS2BorgerPC.Deploy.TenantDecisions.Model;
using OS2BorgerPC.Deploy.TenantDecisions.Platform;
using OS2BorgerPC.Deploy.TenantDecisions.Validation;

namespace OS2BorgerPC.Deploy.PlatformDecisions.Validation;

/// <summary>
/// Whether tenants' platform references hold, from the repository alone (no stack outputs): the named platform has
/// a stack file that loads and it can serve the tenant (an azure tenant without a
/// network of its own needs an azure platform in its region); a recorded facts file exists and parses.
/// </summary>
public sealed class PlatformReferences(PlatformWorkspace platforms, string repositoryRoot)
{
    private readonly Dictionary<string, PlatformLoadResult> _loaded = new(StringComparer.Ordinal);

    public IReadOnlyList<Problem> Problems(Tenant tenant, string stackFile)
    {
        var (facts, settings, problems) = Platform(tenant, stackFile);
        return facts is not null ? PlatformInputs.Resolve(tenant, facts, stackFile).Problems
            : settings is not null ? PlatformInputs.Problems(tenant, settings.Flavour, settings.Azure?.Location, Decisions.TenantFacts.BackupKind(settings), stackFile)
            : problems;
    }

    /// <summary>The kind of store the tenant's platform keeps backups in (its recorded facts, else its stack file), or why it cannot be told.</summary>
    public (BackupTargetKind? Kind, IReadOnlyList<Problem> Problems) BackupKind(Tenant tenant, string stackFile)
    {
        var (facts, settings, problems) = Platform(tenant, stackFile);
        return (facts?.Backup.Kind ?? (settings is null ? null : Decisions.TenantFacts.BackupKind(settings)), problems);
    }

    /// <summary>The tenant's platform: its recorded facts file, else its loaded stack file, else the problems that keep it from loading.</summary>
    private (PlatformFacts? Facts, PlatformSettings? Settings, IReadOnlyList<Problem> Problems) Platform(Tenant tenant, string stackFile)
    {
        var reference = tenant.Platform;
        var key = $"{ConfigKeys.Qualified(ConfigKeys.TenantKey)}.platform.stack";
        if (reference.FactsFile is not null)
        {
            var (facts, factProblems) = PlatformInputs.ReadFactsFile(repositoryRoot, reference, stackFile);
            return (facts, null, factProblems);
        }
        var stack = reference.StackName;
        if (!platforms.StackNames().Contains(stack))
        {
            return (null, null, [new Problem(stackFile, key,
                $"names platform stack '{reference.Stack}', but there is no {platforms.Display(platforms.StackFilePath(stack))}.",
                $"Create the platform with 'platform new {stack}', or name an existing one: {string.Join(", ", platforms.StackNames())}.")]);
        }
        if (!_loaded.TryGetValue(stack, out var platform))
        {
            _loaded[stack] = platform = PlatformLoader.Load(platforms.ReadStack(stack));
        }
        if (platform.Platform is not { } settings)
        {
            return (null, null, [new Problem(stackFile, key, $"names platform stack '{reference.Stack}', whose stack file has {platform.Problems.Count} problem(s).",
                $"Run 'platform check {stack}' and fix them.")]);
        }
        return (null, settings, []);
    }
}
