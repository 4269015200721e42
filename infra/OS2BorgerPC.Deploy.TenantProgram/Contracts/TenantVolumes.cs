using Pulumi;
using Pulumi.Kubernetes.Types.Inputs.Core.V1;

namespace OS2BorgerPC.Deploy.TenantProgram.Contracts;

/// <summary>
/// Where /media lives, as a pod volume: a claim in the cluster or an Azure Files share. The admin site and the
/// backup job mount it without knowing which. (Nightly backups go off-site; an import stages on a volume the CLI picks.)
/// </summary>
/// <param name="Media">The /media volume (uploads the BorgerPCs download).</param>
/// <param name="Ready">Resolve when the volumes exist.</param>
public sealed record TenantVolumes(Func<string, VolumeArgs> Media, IReadOnlyList<Resource> Ready);
