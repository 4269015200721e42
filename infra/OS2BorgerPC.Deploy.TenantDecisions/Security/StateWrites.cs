using OS2BorgerPC.Deploy.TenantDecisions.Configuration;
using OS2BorgerPC.Deploy.TenantDecisions.Model;

namespace OS2BorgerPC.Deploy.TenantDecisions.Security;

/// <summary>
/// Which blobs of the one state container a CI identity may write: only its own projects' checkpoints, locks, history and
/// backups. Storage Blob Data Contributor on the container alone would let the tenants' or the platform's identity rewrite the
/// foundation's checkpoint (inject a resource an operator's next foundation <c>up</c> then deletes) or another project's.
/// An ABAC condition (version 2.0) on the grant allows the writing data actions only under the identity's own prefixes;
/// reads stay open (the platform reads the foundation's outputs through a StackReference).
/// </summary>
public static class StateWrites
{
    /// <summary>The foundation program's Pulumi project (its Pulumi.yaml's name).</summary>
    public const string FoundationPulumiProject = "os2borgerpc-foundation";

    /// <summary>The Pulumi project (Pulumi.yaml name) of each of tenant-stacks.yml's projects.</summary>
    public static string PulumiProject(string project) => project switch
    {
        CiIdentities.TenantProject => ConfigKeys.Namespace,
        CiIdentities.PlatformProject => PlatformReference.ProjectName,
        CiIdentities.FoundationProject => FoundationPulumiProject,
        _ => throw new ArgumentOutOfRangeException(nameof(project), project, "No Pulumi project is known by this name."),
    };

    /// <summary>
    /// The data actions of Storage Blob Data Contributor that change a blob: write, create (add), delete, rename (move).
    /// learn.microsoft.com built-in roles (storage): Storage Blob Data Contributor's DataActions are blobs/delete, read, write,
    /// move/action, add/action; MicrosoftDocs/azure-docs articles/storage/blobs/storage-auth-abac-attributes.md lists the blob
    /// path as a resource attribute of each of these four.
    /// </summary>
    public static readonly IReadOnlyList<string> WriteActions =
    [
        "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write",
        "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/add/action",
        "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/delete",
        "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/move/action",
    ];

    /// <summary>The blob path attribute (container name and leading slash excluded: storage-auth-abac-attributes.md, "Blob path").</summary>
    public const string PathAttribute = "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs:path]";

    /// <summary>
    /// Every blob path prefix the DIY backend (azblob://, project-scoped layout) writes for one project's stacks, each ending in a
    /// slash (<c>os2borgerpc</c> is a prefix of <c>os2borgerpc-platform</c>). pulumi/pulumi pkg/backend/diy: store.go
    /// (projectReferenceStore: checkpoints <c>.pulumi/stacks/&lt;project&gt;/&lt;stack&gt;.json</c> and its <c>.bak</c>, history
    /// <c>.pulumi/history/&lt;project&gt;/&lt;stack&gt;/</c>, backups <c>.pulumi/backups/&lt;project&gt;/&lt;stack&gt;/</c>, journal
    /// <c>.pulumi/journal/&lt;project&gt;/&lt;stack&gt;/</c>); stack_tags.go (<c>stack tag set</c>: the checkpoint's path +
    /// <c>.pulumi-tags</c>); lock.go (lockPath: <c>.pulumi/locks/</c> + the fully qualified name
    /// <c>organization/&lt;project&gt;/&lt;stack&gt;</c>, so locks sit under <c>organization/</c>); backend.go
    /// (CancelCurrentUpdate deletes the files of that lock directory).
    /// </summary>
    public static IReadOnlyList<string> Prefixes(string pulumiProject) =>
    [
        $".pulumi/stacks/{pulumiProject}/",
        $".pulumi/history/{pulumiProject}/",
        $".pulumi/backups/{pulumiProject}/",
        $".pulumi/journal/{pulumiProject}/",
        $".pulumi/locks/organization/{pulumiProject}/",
    ];

    /// <summary>The prefixes of every project an identity runs (tenant-stacks.yml's project names).</summary>
    public static IReadOnlyList<string> PrefixesOf(IEnumerable<string> projects) => [.. projects.SelectMany(p => Prefixes(PulumiProject(p)))];

    /// <summary>
    /// The condition: an action that is none of <see cref="WriteActions"/> passes (reads); one of them passes only where the blob's
    /// path starts with one of the identity's prefixes (StringStartsWith, a string operator of Azure's condition format).
    /// </summary>
    public static string Condition(IEnumerable<string> projects)
    {
        var notWriting = string.Join(" AND ", WriteActions.Select(a => $"!(ActionMatches{{'{a}'}})"));
        var ownPaths = string.Join(" OR ", PrefixesOf(projects).Select(p => $"{PathAttribute} StringStartsWith '{p}'"));
        return $"(({notWriting}) OR ({ownPaths}))";
    }

    /// <summary>Whether <see cref="Condition"/> lets an identity running <paramref name="projects"/> write the blob at <paramref name="path"/>.</summary>
    public static bool Allows(IEnumerable<string> projects, string path) =>
        PrefixesOf(projects).Any(p => path.StartsWith(p, StringComparison.Ordinal));
}
